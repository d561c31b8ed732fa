"""`curate verify`: is every version complete, and does every hash match its manifest?"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from curate.annotations.pull import load_reviews, partial_files, snapshot_intact
from curate.files import sha256_bytes, sha256_file
from curate.registry import EXAMPLES, MANIFEST, Registry
from curate.schemas.errors import CurateError


@dataclass(frozen=True)
class Problem:
    where: str
    what: str
    fix: str


@dataclass
class VerifyReport:
    home: str
    versions_checked: int
    fact_sheets_checked: int
    review_snapshots_checked: int
    problems: list[Problem]
    notes: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def verify(registry: Registry) -> VerifyReport:
    problems: list[Problem] = []
    versions = _version_folders(registry)
    for folder in versions:
        problems += _check_version(registry, folder)
    sheets = _check_fact_sheets(registry, problems)
    snapshots = _check_review_snapshots(registry, problems)
    notes = _check_staging(registry) + _check_pull_leftovers(registry)
    return VerifyReport(str(registry.home), len(versions), sheets, snapshots, problems, notes)


def _version_folders(registry: Registry) -> list[Path]:
    if not registry.versions_dir.is_dir():
        return []
    return sorted((p for p in registry.versions_dir.iterdir() if p.is_dir()), key=lambda p: p.name)


def _check_version(registry: Registry, folder: Path) -> list[Problem]:
    where = str(folder)
    if not (folder / MANIFEST).is_file():
        return [Problem(where, "no manifest.json: not a complete version",
                        f"move {folder} out of versions/ (it was never published)")]
    try:
        manifest = registry.manifest(folder.name)
    except CurateError as exc:
        return [Problem(where, str(exc), f"restore {folder / MANIFEST} from a backup, or remove {folder}")]
    problems = [
        Problem(f"{folder}/{relpath}", why, f"restore {folder.name} from a backup or regenerate it")
        for relpath, why in _file_mismatches(folder, manifest.files)
    ]
    payload = (folder / EXAMPLES).read_bytes() if (folder / EXAMPLES).is_file() else b""
    if sha256_bytes(payload) != manifest.content_hash:
        problems.append(Problem(f"{folder}/{EXAMPLES}", "content hash differs from the manifest",
                                f"restore {folder.name} from a backup or regenerate it"))
    problems += _check_examples(folder, manifest.n_examples)
    problems += _check_parent(registry, folder.name, manifest.parent)
    return problems


def _file_mismatches(folder: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for relpath, expected in sorted(files.items()):
        path = folder / relpath
        if not path.is_file():
            found.append((relpath, "listed in the manifest but missing"))
        elif sha256_file(path) != expected:
            found.append((relpath, "sha256 differs from the manifest"))
    listed = set(files) | {MANIFEST}
    for path in sorted(folder.rglob("*")):
        relpath = path.relative_to(folder).as_posix()
        if path.is_file() and relpath not in listed:
            found.append((relpath, "not listed in the manifest"))
    return found


def _check_examples(folder: Path, expected_count: int) -> list[Problem]:
    from pydantic import ValidationError

    from curate.schemas import Example

    path = folder / EXAMPLES
    if not path.is_file():
        return []
    count = 0
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        count += 1
        try:
            Example.model_validate_json(line)
        except ValidationError as exc:
            return [Problem(f"{path}:{number}", f"invalid example: {exc.errors()[0]['msg']}",
                            f"restore {folder.name} from a backup or regenerate it")]
    if count != expected_count:
        return [Problem(str(path), f"{count} examples, manifest says {expected_count}",
                        f"restore {folder.name} from a backup or regenerate it")]
    return []


def _check_parent(registry: Registry, version: str, parent: str | None) -> list[Problem]:
    if parent is None or not parent.startswith("v") or not parent[1:].isdigit():
        return []  # a root version, or a parent outside this registry (e.g. a hub revision)
    if int(parent[1:]) >= int(version[1:]):
        return [Problem(version, f"parent {parent} is not older than {version}", "the lineage is corrupt")]
    if not (registry.versions_dir / parent / MANIFEST).is_file():
        return [Problem(version, f"parent {parent} is missing", f"restore {parent} from a backup")]
    return []


def _check_fact_sheets(registry: Registry, problems: list[Problem]) -> int:
    names = registry.factsheet_names()
    for name in names:
        try:
            registry.factsheet(name)
        except CurateError as exc:
            problems.append(Problem(f"facts/{name}", str(exc), f"re-run `curate ingest` for {name}"))
    return len(names)


def _check_review_snapshots(registry: Registry, problems: list[Problem]) -> int:
    """Every snapshot file must be valid JSON (or JSONL); a `.sha256` beside it must match."""
    folder = registry.home / "reviews"
    if not folder.is_dir():
        return 0
    snapshots = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in {".json", ".jsonl"}]
    for path in snapshots:
        sidecar = path.with_name(path.name + ".sha256")
        if sidecar.is_file() and sidecar.read_text().split()[0] != sha256_file(path):
            problems.append(Problem(str(path), "sha256 differs from its .sha256 file",
                                    "the snapshot was altered; restore it from a backup"))
            continue
        try:
            text = path.read_text()
            _ = [json.loads(line) for line in text.splitlines() if line.strip()] if path.suffix == ".jsonl" \
                else json.loads(text)
        except (ValueError, UnicodeDecodeError):
            problems.append(Problem(str(path), "not valid JSON", "restore the snapshot from a backup"))
            continue
        if path.parent.name == "snapshots" and not snapshot_intact(path):
            problems.append(Problem(str(path), "records differ from the records_sha256 in its header",
                                    "the snapshot was altered; restore it from a backup"))
    return len(snapshots)


def _check_pull_leftovers(registry: Registry) -> list[Problem]:
    """What a pull killed mid-write leaves: hidden partial files, or reviews.jsonl older than the snapshots."""
    folder = registry.home / "reviews"
    if not folder.is_dir():
        return []
    notes = []
    partials = partial_files(folder)
    if partials:
        notes.append(Problem(str(folder), f"{len(partials)} partial file(s) from an interrupted pull",
                             "harmless: the next `curate review pull` removes them"))
    index = folder / "reviews.jsonl"
    expected = [review.model_dump_json(by_alias=True) for review in load_reviews(folder)]
    found = [line for line in index.read_text(encoding="utf-8").splitlines() if line.strip()] if index.is_file() else []
    if expected != found:
        notes.append(Problem(str(index), "behind the snapshots (a pull was interrupted before rebuilding it)",
                             "harmless: reviews are read from the snapshots; the next `curate review pull` "
                             "rebuilds it"))
    return notes


def _check_staging(registry: Registry) -> list[Problem]:
    if not registry.staging_dir.is_dir():
        return []
    leftovers = list(registry.staging_dir.iterdir())
    if not leftovers:
        return []
    return [Problem(str(registry.staging_dir), f"{len(leftovers)} leftover staging folder(s) from an interrupted write",
                    "harmless: the next `curate` write removes them")]
