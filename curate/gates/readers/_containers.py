"""Which container a path is, and its rows: (record, split, file, number in that file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.gates.readers import _csv, _folders, _json_files, _parquet, _plain_text
from curate.schemas.errors import BadInputError, NotFoundError

CONTAINERS = ("json", "jsonl", "parquet", "csv", "datasets", "text")
ANY_CONTAINER = ("a JSON list, JSONL, parquet, CSV, a datasets folder (save_to_disk), or a text file of "
                 "### Instruction / ### Response blocks")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv", ".tsv": "csv"}


@dataclass(frozen=True)
class Row:
    record: Any
    split: str | None  # from the container: a DatasetDict split, a data file named train*/test*
    file: Path  # what a message names: the file, or the datasets folder
    number: int  # 1-based, within `file`


def read_rows(path: Path, forced: str | None) -> tuple[list[Row], str]:
    """Every row of `path`, and the container it was read as."""
    if not path.exists():
        raise NotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        return _read_folder(path, forced)
    records, container = _read_file(path, forced)
    return [Row(record, None, path, number) for number, record in enumerate(records, start=1)], container


def _read_folder(path: Path, forced: str | None) -> tuple[list[Row], str]:
    version_file = path / "examples.jsonl"  # a curate version folder
    if version_file.is_file() and forced in (None, "jsonl"):
        return read_rows(version_file, "jsonl")
    if _folders.is_datasets_folder(path) and forced in (None, "datasets"):
        table = _folders.read_datasets_folder(path)
        return [Row(record, split, path, number) for number, (record, split) in enumerate(table, start=1)], "datasets"
    if forced == "datasets":
        raise BadInputError(f"{path}: not a datasets folder (no {' or '.join(_folders.DATASETS_MARKERS)})")
    files = _folders.data_files(path)
    if not files:
        raise BadInputError(f"{path}: a folder with no datasets files ({', '.join(_folders.DATASETS_MARKERS)}) "
                            f"and no data files ({', '.join(_folders.DATA_SUFFIXES)}); expected {ANY_CONTAINER}")
    rows: list[Row] = []
    containers = set()
    for file in files:
        records, container = _read_file(file, forced)
        containers.add(container)
        rows += [Row(record, _folders.split_of(file), file, number) for number, record in enumerate(records, start=1)]
    return rows, "+".join(sorted(containers))


def _read_file(path: Path, forced: str | None) -> tuple[list[Any], str]:
    if forced == "datasets":
        raise BadInputError(f"{path}: a file, but --format datasets reads a folder saved with save_to_disk")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    is_parquet = path.suffix.lower() == ".parquet" or raw.startswith(_parquet.MAGIC)
    if forced == "parquet" or (forced is None and is_parquet):
        return _parquet.read_parquet(path), "parquet"
    text = _decode(path, raw)
    container = forced or _sniff(path, text)
    if container == "text":
        return _plain_text.read_blocks(path, text), "text"
    if container == "csv":
        return _csv.read_csv(path, text), "csv"
    if container == "jsonl":
        return _json_files.read_jsonl(path, text), "jsonl"
    return _json_files.read_json(path, text), "json"


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise BadInputError(f"{path}: a binary file, not text; expected {ANY_CONTAINER}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path}: not UTF-8 text (byte {exc.start}); expected {ANY_CONTAINER}") from None
    if not text.strip():
        raise BadInputError(f"{path}: empty file; expected {ANY_CONTAINER}")
    return text


def _sniff(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix == ".json":  # many a .json file on the Hub is JSONL
        return "jsonl" if _json_files.looks_like_jsonl(text, lines_needed=2) else "json"
    head = text.lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl" if _json_files.looks_like_jsonl(text) else "json"
    if _plain_text.has_blocks(text):
        return "text"
    raise BadInputError(f"{path}: cannot tell the format (not JSON, JSONL, parquet, CSV or ### Instruction "
                        "text); give --format")
