"""The registry: immutable dataset versions, fact sheets and run records under one home folder.

Layout of a home (``CURATE_HOME``, ``--home``, or ``$XDG_DATA_HOME/curate``, which defaults to
``~/.local/share/curate``)::

    registry.lock            filelock held by every writer
    .staging/                half-written versions; anything here is garbage once the lock is ours
    versions/vN/             one immutable version
        manifest.json        written last: a folder without it is not a version
        examples.jsonl       every example, canonical JSON, one per line (content_hash covers it)
        dataset/             datasets.DatasetDict.save_to_disk, one split per folder
        ...                  reports kept with the version (gates.json, coverage.png, card)
    facts/<name>/factsheet.json   registered fact sheets
    runs/, evals/, reviews/  records written by train/ and annotations/

A version is staged in ``.staging`` and renamed into ``versions/`` while the lock is held, so a
crash leaves either the old state or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.files import fsync_path, sha256_bytes, sha256_file
from curate.schemas.errors import NotFoundError, RegistryError

if TYPE_CHECKING:
    from filelock import FileLock

    from curate.schemas import DatasetManifest, Example, FactSheet

# Called inside write_version with the staged folder and the manifest's fields; returns more files.
Finalizer = Callable[[Path, dict[str, Any]], dict[str, bytes]]

MANIFEST = "manifest.json"
EXAMPLES = "examples.jsonl"
DATASET_DIR = "dataset"
FACTSHEET_FILE = "factsheet.json"


def default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "curate"


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """`--home` wins over `CURATE_HOME`, which wins over the XDG default."""
    chosen = home or os.environ.get("CURATE_HOME") or default_home()
    return Path(chosen).expanduser()


def examples_to_jsonl(examples: Iterable[Example]) -> bytes:
    """Canonical JSONL: field order of the schema, no extra whitespace, UTF-8."""
    lines = [example.model_dump_json() for example in examples]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def version_number(version: str) -> int:
    if not (version.startswith("v") and version[1:].isdigit() and int(version[1:]) > 0):
        raise NotFoundError(f"version {version!r} is not of the form vN (v1, v2, ...)")
    return int(version[1:])


class Registry:
    """A home folder of versions. Reads need no lock; every write holds `registry.lock`."""

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = resolve_home(home)

    # -- paths -------------------------------------------------------------------------------
    @property
    def versions_dir(self) -> Path:
        return self.home / "versions"

    @property
    def staging_dir(self) -> Path:
        return self.home / ".staging"

    def version_dir(self, version: str) -> Path:
        version_number(version)
        path = self.versions_dir / version
        if not (path / MANIFEST).is_file():
            known = ", ".join(self.version_names()) or "none yet"
            raise NotFoundError(f"version {version!r} not found in {self.home} (versions: {known})")
        return path

    # -- writing safely ----------------------------------------------------------------------
    def ensure_writable(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            probe = self.home / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise RegistryError(f"home {self.home} is not writable ({exc.strerror or exc}); "
                                "set --home or CURATE_HOME to a writable folder") from None

    @contextmanager
    def locked(self, timeout: float = 600) -> Iterator[None]:
        """Hold the registry lock; clear staging left behind by writers that died."""
        from filelock import FileLock, Timeout

        self.ensure_writable()
        lock: FileLock = FileLock(str(self.home / "registry.lock"))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise RegistryError(f"another curate process holds {self.home / 'registry.lock'}") from None
        try:
            self._clear_staging()
            yield
        finally:
            lock.release()

    def _clear_staging(self) -> None:
        if self.staging_dir.exists():
            for leftover in self.staging_dir.iterdir():
                shutil.rmtree(leftover, ignore_errors=True)

    @contextmanager
    def staged(self) -> Iterator[Path]:
        """A fresh folder inside the home, removed unless the caller renamed it away. Hold the lock."""
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        folder = self.staging_dir / uuid.uuid4().hex
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def publish(self, staged: Path, destination: Path) -> None:
        """Move a staged folder into place, durably."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        _fsync_tree(staged)
        os.rename(staged, destination)
        fsync_path(destination.parent)

    # -- versions ----------------------------------------------------------------------------
    def version_names(self) -> list[str]:
        if not self.versions_dir.is_dir():
            return []
        names = [p.name for p in self.versions_dir.iterdir() if p.name.startswith("v") and p.name[1:].isdigit()]
        return sorted(names, key=lambda name: int(name[1:]))

    def manifests(self) -> list[DatasetManifest]:
        """Every version's manifest, oldest first. A corrupt manifest is an error, never skipped."""
        return [self.manifest(name) for name in self.version_names()]

    def manifest(self, version: str) -> DatasetManifest:
        from pydantic import ValidationError

        from curate.schemas import DatasetManifest

        path = self.version_dir(version) / MANIFEST
        try:
            return DatasetManifest.model_validate_json(path.read_bytes())
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "<root>"
            raise RegistryError(f"{path}: corrupt manifest: {where}: {first['msg']}") from None
        except OSError as exc:
            raise RegistryError(f"{path}: cannot read manifest ({exc.strerror})") from None

    def next_version(self) -> str:
        names = self.version_names()
        return f"v{int(names[-1][1:]) + 1}" if names else "v1"

    def examples(self, version: str, split: str | None = None) -> list[Example]:
        from curate.schemas import Example

        path = self.version_dir(version) / EXAMPLES
        with path.open("rb") as handle:
            rows = [Example.model_validate_json(line) for line in handle if line.strip()]
        return [row for row in rows if split is None or row.split == split]

    def dataset(self, version: str) -> Any:
        """The version as a `datasets.DatasetDict`."""
        import datasets

        return datasets.load_from_disk(str(self.version_dir(version) / DATASET_DIR))

    def write_version(
        self,
        examples: list[Example],
        *,
        facts: FactSheet,
        generator_config: dict[str, Any],
        seed: int,
        parent: str | None = None,
        extra_files: dict[str, bytes] | None = None,
        gates_passed: bool | None = None,
        allow_failing: bool = False,
        drivers: list[dict[str, Any]] | None = None,
        finalize: Finalizer | None = None,
    ) -> DatasetManifest:
        """Write a new immutable version and return its manifest.

        `finalize(stage, fields)` runs once the data and `extra_files` are staged and the version
        number is known; `fields` are the manifest's fields except `files`. The files it returns
        (relative path to bytes, e.g. the card) are staged too, and listed in the manifest.
        """
        import datasets  # noqa: F401  (about 1 s to import: do it before taking the lock, not while holding it)

        from curate.schemas import DatasetManifest

        with self.locked(), self.staged() as stage:
            version = self.next_version()
            self.manifests()  # refuse to add to a registry whose history is corrupt
            payload = examples_to_jsonl(examples)
            (stage / EXAMPLES).write_bytes(payload)
            _save_dataset_dict(examples, stage / DATASET_DIR)
            for relpath, content in sorted((extra_files or {}).items()):
                target = stage / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            fields: dict[str, Any] = dict(
                version=version,
                parent=parent,
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                curate_version=_curate_version(),
                facts_name=facts.name,
                facts_sha256=factsheet_sha256(facts),
                generator_config=generator_config,
                seed=seed,
                content_hash=sha256_bytes(payload),
                n_examples=len(examples),
                counts_by_kind=_counts(e.kind for e in examples),
                counts_by_tissue=_counts(e.tissue for e in examples),
                counts_by_split=_counts(e.split for e in examples),
                gates_passed=gates_passed,
                allow_failing=allow_failing,
                drivers=drivers or [],
            )
            for relpath, content in sorted((finalize(stage, dict(fields)) if finalize else {}).items()):
                (stage / relpath).parent.mkdir(parents=True, exist_ok=True)
                (stage / relpath).write_bytes(content)
            manifest = DatasetManifest(**fields, files=_file_hashes(stage))
            (stage / MANIFEST).write_text(manifest.model_dump_json(indent=2, by_alias=True) + "\n")
            self.publish(stage, self.versions_dir / version)
        return manifest

    # -- fact sheets -------------------------------------------------------------------------
    def factsheet_names(self) -> list[str]:
        folder = self.home / "facts"
        return sorted(p.name for p in folder.iterdir() if (p / "factsheet.json").is_file()) if folder.is_dir() else []

    def save_factsheet(self, sheet: FactSheet, *, extra_files: dict[str, bytes] | None = None) -> Path:
        """Register a fact sheet under its name; a new sheet of the same name replaces the old one."""
        destination = self.home / "facts" / sheet.name
        with self.locked(), self.staged() as stage:
            (stage / FACTSHEET_FILE).write_text(sheet.model_dump_json(indent=2) + "\n")
            for relpath, content in sorted((extra_files or {}).items()):
                (stage / relpath).parent.mkdir(parents=True, exist_ok=True)
                (stage / relpath).write_bytes(content)
            if destination.exists():
                retired = self.staging_dir / f"retired-{uuid.uuid4().hex}"
                os.rename(destination, retired)
            self.publish(stage, destination)
        return destination

    def factsheet(self, name: str | None = None) -> FactSheet:
        """The fact sheet called `name`: a registered one, else the embedded default (for its own name
        or None). The one place a fact sheet is looked up by name."""
        from curate.generators.embedded import DEFAULT_FACTS_NAME, load_default_factsheet

        if name is None or (name == DEFAULT_FACTS_NAME and name not in self.factsheet_names()):
            return load_default_factsheet()
        return self._load_registered(name)

    def factsheet_matching(self, name: str, sha256: str, folder: Path | None = None) -> FactSheet | None:
        """The fact sheet a version was made from, if one with the same hash can be found: the copy in
        the version folder, the embedded default, or the registered sheet of that name."""
        from curate.generators.embedded import DEFAULT_FACTS_NAME, load_default_factsheet
        from curate.schemas import FactSheet

        candidates: list[Callable[[], FactSheet]] = []
        if folder is not None and (folder / FACTSHEET_FILE).is_file():
            candidates.append(lambda: FactSheet.model_validate_json((folder / FACTSHEET_FILE).read_bytes()))
        if name == DEFAULT_FACTS_NAME:
            candidates.append(load_default_factsheet)
        if name in self.factsheet_names():
            candidates.append(lambda: self._load_registered(name))
        return next((sheet for sheet in (load() for load in candidates) if factsheet_sha256(sheet) == sha256), None)

    def _load_registered(self, name: str) -> FactSheet:
        from pydantic import ValidationError

        from curate.schemas import FactSheet

        path = self.home / "facts" / name / FACTSHEET_FILE
        if not path.is_file():
            known = ", ".join(self.factsheet_names()) or "none registered"
            raise NotFoundError(f"fact sheet {name!r} not found in {self.home / 'facts'} (registered: {known})")
        try:
            return FactSheet.model_validate_json(path.read_bytes())
        except ValidationError as exc:
            raise RegistryError(f"{path}: corrupt fact sheet: {exc.errors()[0]['msg']}") from None


def factsheet_sha256(sheet: FactSheet) -> str:
    return sha256_bytes(sheet.model_dump_json().encode("utf-8"))


def _save_dataset_dict(examples: list[Example], folder: Path) -> None:
    import datasets

    from curate.schemas import SPLITS

    by_split: dict[str, list[dict[str, Any]]] = {}
    for example in examples:
        row = example.model_dump(mode="json")
        row["metadata"] = json.dumps(row["metadata"], sort_keys=True)  # free-form: keep the Arrow schema fixed
        by_split.setdefault(example.split, []).append(row)
    ordered = {split: by_split[split] for split in SPLITS if split in by_split}
    datasets.disable_progress_bars()
    dataset_dict = datasets.DatasetDict({split: datasets.Dataset.from_list(rows) for split, rows in ordered.items()})
    dataset_dict.save_to_disk(str(folder))


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _curate_version() -> str:
    from curate import __version__

    return __version__


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fsync_path(path)
    fsync_path(folder)
