"""Publishing versions to the Hugging Face Hub, and registering Hub datasets as local versions.

A pushed version is one commit, tagged `vN`, holding:

    README.md                          the version's data card (metadata + body)
    data/<split>-00000-of-00001.parquet  one shard per split, as the card's `configs` say
    manifest.json                      the version's manifest (how it was made)
    factsheet.json                     the fact sheet behind it, when it is known here

The token comes from `HF_TOKEN` or the stored login (`huggingface_hub.get_token`). It is passed to
huggingface_hub and nowhere else: never printed, logged or written, and scrubbed from any error.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from curate.schemas.errors import BadInputError, CurateError, NotFoundError, ServiceUnavailableError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example, FactSheet

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 120.0
REPO_TYPE = "dataset"
UPLOAD_PATTERNS = ["README.md", "manifest.json", "factsheet.json", "data/*.parquet"]


@dataclass(frozen=True)
class PushResult:
    repo_id: str
    version: str
    files: dict[str, str]  # path in the repo -> sha256
    dry_run_dir: Path | None = None
    commit: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"repo_id": self.repo_id, "version": self.version, "tag": self.version, "files": self.files,
                "dry_run": self.dry_run_dir is not None,
                "dir": str(self.dry_run_dir) if self.dry_run_dir else None, "commit": self.commit, "url": self.url}


# -- what gets uploaded -----------------------------------------------------------------------

def stage_upload(registry: Registry, version: str, folder: Path) -> dict[str, str]:
    """Write into `folder` exactly the files a push uploads, check the card, return path -> sha256."""
    from curate.cards import card_for_version, check_card, data_file, split_names
    from curate.export import write_parquet
    from curate.files import sha256_file
    from curate.registry import FACTSHEET_FILE, MANIFEST
    from curate.summary import CARD_FILE

    manifest = registry.manifest(version)
    source = registry.version_dir(version)
    examples = registry.examples(version)
    for split in split_names(examples):
        target = folder / data_file(split)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_parquet([e for e in examples if e.split == split], target)
    card = source / CARD_FILE
    text = card.read_text(encoding="utf-8") if card.is_file() else card_for_version(registry, version)
    (folder / CARD_FILE).write_text(text, encoding="utf-8")
    shutil.copyfile(source / MANIFEST, folder / MANIFEST)
    sheet = registry.factsheet_matching(manifest.facts_name, manifest.facts_sha256, source)
    if sheet is not None:
        (folder / FACTSHEET_FILE).write_text(sheet.model_dump_json(indent=2) + "\n", encoding="utf-8")
    files = {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}
    check_card(text, files, n_examples=manifest.n_examples)
    return files


def push_to_hub(registry: Registry, repo_id: str, version: str, *, private: bool = False,
                dry_run: Path | None = None) -> PushResult:
    check_repo_id(repo_id)
    registry.manifest(version)  # a missing version is the first thing to report
    if dry_run is not None:
        return _dry_run(registry, repo_id, version, dry_run)
    token = hub_token()
    with hub_session(token) as api, tempfile.TemporaryDirectory(prefix="curate-push-") as tmp:
        files = stage_upload(registry, version, Path(tmp))
        with hub_errors(repo_id, token):
            api.create_repo(repo_id, repo_type=REPO_TYPE, private=private, exist_ok=True)
            if version in {ref.name for ref in api.list_repo_refs(repo_id, repo_type=REPO_TYPE).tags}:
                raise BadInputError(f"{repo_id} already has a tag {version}: that version was pushed before")
            info = api.upload_folder(repo_id=repo_id, repo_type=REPO_TYPE, folder_path=tmp,
                                     commit_message=f"curate {version}", delete_patterns=["data/*.parquet"])
            api.create_tag(repo_id, tag=version, revision=info.oid, repo_type=REPO_TYPE,
                           tag_message=f"curate dataset version {version}")
    return PushResult(repo_id=repo_id, version=version, files=files, commit=info.oid, url=str(info.commit_url))


def _dry_run(registry: Registry, repo_id: str, version: str, out: Path) -> PushResult:
    """Write the upload to `out` (a new or empty folder), atomically."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BadInputError(f"--dry-run {out} exists and is not an empty folder: give a new or empty folder")
    from curate.files import staged_folder

    out.parent.mkdir(parents=True, exist_ok=True)
    with staged_folder(out) as stage:
        files = stage_upload(registry, version, stage)
    return PushResult(repo_id=repo_id, version=version, files=files, dry_run_dir=out)


# -- pulling -------------------------------------------------------------------------------------

def pull_from_hub(registry: Registry, repo_id: str, revision: str | None = None, *,
                  from_dir: Path | None = None) -> DatasetManifest:
    """Register a pushed dataset as a new local version whose parent is `hub:REPO_ID@REVISION`.

    `from_dir` reads a local folder laid out like the Hub repo (e.g. a `push-to-hub --dry-run`
    folder) instead of downloading the snapshot.
    """
    check_repo_id(repo_id)
    registry.ensure_writable()
    if from_dir is not None:
        if not from_dir.is_dir():
            raise NotFoundError(f"--from-dir {from_dir}: no such folder")
        return register_snapshot(registry, repo_id, revision, from_dir)
    from huggingface_hub import snapshot_download

    token = hub_token(required=False)
    with tempfile.TemporaryDirectory(prefix="curate-pull-") as tmp:
        with hub_session(token), hub_errors(repo_id, token, revision):
            snapshot_download(repo_id, repo_type=REPO_TYPE, revision=revision, token=token or False,
                              local_dir=tmp, allow_patterns=UPLOAD_PATTERNS)
        return register_snapshot(registry, repo_id, revision, Path(tmp))


def register_snapshot(registry: Registry, repo_id: str, revision: str | None, folder: Path) -> DatasetManifest:
    from curate.gates import run_gates
    from curate.pipeline import write_checked_version
    from curate.registry import FACTSHEET_FILE

    source = _snapshot_manifest(folder)
    examples = read_snapshot_examples(folder)
    sheet, from_snapshot = _snapshot_factsheet(registry, folder, source)
    driver = {"type": "hub", "repo_id": repo_id, "revision": revision or "main", "source_version": source.version,
              "source_content_hash": source.content_hash, "reason": f"pulled from {repo_id}@{revision or 'main'}"}
    extra = {FACTSHEET_FILE: (folder / FACTSHEET_FILE).read_bytes()} if from_snapshot else {}
    report = run_gates(examples, sheet, enforce_coverage=False)  # recorded, as for an import: a pull is not refused
    manifest, _ = write_checked_version(
        registry, examples, sheet, config=source.generator_config, seed=source.seed,
        parent=f"hub:{repo_id}@{revision or 'main'}", drivers=[driver], extra_files=extra, report=report,
        allow_failing=not report.passed,
    )
    return manifest


def _snapshot_manifest(folder: Path) -> DatasetManifest:
    from pydantic import ValidationError

    from curate.registry import MANIFEST
    from curate.schemas import DatasetManifest

    path = folder / MANIFEST
    if not path.is_file():
        raise BadInputError(f"{path}: missing; only datasets pushed by `curate push-to-hub` can be pulled")
    try:
        return DatasetManifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise BadInputError(f"{path}: not a curate manifest: {exc.errors()[0]['msg']}") from None


def read_snapshot_examples(folder: Path) -> list[Example]:
    """Every row of data/<split>-*.parquet, validated as an Example (its id must match its content)."""
    import json

    import pyarrow.parquet as pq
    from pydantic import ValidationError

    from curate.schemas import SPLITS, Example

    shards = sorted((folder / "data").glob("*.parquet")) if (folder / "data").is_dir() else []
    if not shards:
        raise BadInputError(f"{folder / 'data'}: no parquet shards (data/<split>-*.parquet)")
    order = {split: i for i, split in enumerate(SPLITS)}
    shards.sort(key=lambda p: (order.get(p.name.split("-")[0], len(order)), p.name))
    examples = []
    for shard in shards:
        for number, row in enumerate(pq.read_table(shard).to_pylist(), start=1):
            if isinstance(row.get("metadata"), str):
                row["metadata"] = json.loads(row["metadata"] or "{}")
            try:
                examples.append(Example.model_validate(row))
            except ValidationError as exc:
                raise BadInputError(f"{shard}: row {number}: {exc.errors()[0]['msg']}") from None
    return examples


def _snapshot_factsheet(registry: Registry, folder: Path, source: DatasetManifest) -> tuple[FactSheet, bool]:
    from curate.pipeline import read_factsheet_file
    from curate.registry import FACTSHEET_FILE, factsheet_sha256

    path = folder / FACTSHEET_FILE
    if path.is_file():
        sheet = read_factsheet_file(path)
        if factsheet_sha256(sheet) != source.facts_sha256:
            raise BadInputError(f"{path}: sha256 does not match manifest.json facts_sha256 {source.facts_sha256}")
        return sheet, True
    found = registry.factsheet_matching(source.facts_name, source.facts_sha256)
    if found is None:
        raise NotFoundError(f"fact sheet {source.facts_name!r} (sha256 {source.facts_sha256[:12]}) is neither in "
                            f"the snapshot nor registered here: register it with `curate ingest` first")
    return found, False


# -- talking to the Hub --------------------------------------------------------------------------

def check_repo_id(repo_id: str) -> None:
    from huggingface_hub.utils import validate_repo_id

    try:
        validate_repo_id(repo_id)
    except ValueError as exc:
        raise BadInputError(f"repo id {repo_id!r} is not valid: use NAMESPACE/NAME ({exc})") from None


def hub_token(required: bool = True) -> str | None:
    from huggingface_hub import get_token

    token = get_token()
    if not token and required:
        raise BadInputError("no Hugging Face token: set HF_TOKEN or run `hf auth login` "
                            "(or write the files with --dry-run DIR)")
    return token


def hub_endpoint() -> str:
    from huggingface_hub import constants

    return str(constants.ENDPOINT)


def check_reachable(endpoint: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail fast, with one line, when the Hub cannot be reached at all (no retries, no long hang)."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ServiceUnavailableError(f"cannot reach the Hugging Face Hub at {endpoint} ({reason}): no network? "
                                      "--dry-run DIR writes the files instead") from None


@contextmanager
def hub_session(token: str | None) -> Iterator[Any]:
    """An HfApi whose HTTP client gives up after short timeouts, once the endpoint is reachable."""
    import huggingface_hub
    from huggingface_hub import HfApi

    check_reachable(hub_endpoint())
    session = huggingface_hub.utils.get_session()
    try:
        import httpx2

        session.timeout = httpx2.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    except ImportError:  # an older huggingface_hub on requests: its own defaults apply
        pass
    yield HfApi(token=token or False)


@contextmanager
def hub_errors(repo_id: str, token: str | None, revision: str | None = None) -> Iterator[None]:
    """Hub exceptions become one CurateError line; the token never appears in it."""
    from huggingface_hub import errors

    try:
        yield
    except CurateError:
        raise
    except errors.RevisionNotFoundError:
        raise NotFoundError(f"revision {revision!r} not found in dataset repo {repo_id}") from None
    except errors.RepositoryNotFoundError:
        raise NotFoundError(f"dataset repo {repo_id} does not exist on {hub_endpoint()}, "
                            "or this token cannot see it") from None
    except errors.LocalEntryNotFoundError as exc:
        raise ServiceUnavailableError(_unreachable(exc, token)) from None
    except errors.HfHubHTTPError as exc:  # also an OSError: keep it before the next clause
        status = getattr(getattr(exc, "response", None), "status_code", "?")
        if status in (401, 403):
            raise BadInputError(f"the Hub refused the token for {repo_id} (HTTP {status}): check HF_TOKEN "
                                "or `hf auth login`, and what it may access") from None
        raise ServiceUnavailableError(_scrub(f"the Hub refused the request for {repo_id} (HTTP {status}): "
                                             f"{str(exc).splitlines()[0]}", token)) from None
    except OSError as exc:
        raise ServiceUnavailableError(_unreachable(exc, token)) from None
    except Exception as exc:
        if _is_transport_error(exc):
            raise ServiceUnavailableError(_unreachable(exc, token)) from None
        raise


def _unreachable(exc: BaseException, token: str | None) -> str:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return _scrub(f"cannot reach the Hugging Face Hub at {hub_endpoint()}: {first}", token)


def _is_transport_error(exc: BaseException) -> bool:
    """httpx's network errors (the Hub client's), without importing a particular httpx."""
    return any(cls.__name__ in ("TransportError", "TimeoutException") for cls in type(exc).__mro__)


def _scrub(message: str, token: str | None) -> str:
    return message.replace(token, "***") if token else message
