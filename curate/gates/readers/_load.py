"""Read a file or folder as SFT pairs: the container's rows, each read by one record shape."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from curate.gates.readers._common import Pair, RecordError
from curate.gates.readers._containers import CONTAINERS, Row, read_rows
from curate.gates.readers._shapes import ANY_SHAPE, SHAPES, NoShape, detect
from curate.schemas.errors import BadInputError

ALIASES = {"chat": "openai", "messages": "openai", "llama": "inst", "llama2": "inst", "mistral": "inst",
           "llama-3": "llama3",
           "text_alpaca": "text-alpaca", "prompt_completion": "prompt-completion", "parquet-folder": "parquet"}


@dataclass(frozen=True)
class Choice:
    """What `--format` asked for: a container, a record shape, both, or neither (auto)."""

    container: str | None
    shape: str | None


@dataclass(frozen=True)
class Record:
    pair: Pair
    fields: dict[str, Any]  # the record's own fields, for ids, splits and fact ids
    split: str | None
    file: Path
    number: int


def format_names() -> str:
    return f"auto, {', '.join(CONTAINERS)}, {', '.join(SHAPES)}, or CONTAINER/SHAPE such as jsonl/sharegpt"


def parse_format(fmt: str) -> Choice:
    """'auto', a container ('parquet'), a shape ('sharegpt'), or both ('jsonl/sharegpt')."""
    names = [ALIASES.get(name, name) for name in fmt.strip().lower().split("/")]
    if names == ["auto"]:
        return Choice(None, None)
    container = next((name for name in names if name in CONTAINERS), None)
    shape = next((name for name in names if name in SHAPES), None)
    if len(names) > 2 or len(names) != (container is not None) + (shape is not None):
        raise BadInputError(f"unknown format {fmt!r}: choose {format_names()}")
    return Choice(container, shape)


def read_records(path: Path, fmt: str = "auto", *, unit: str = "record",
                 allow_empty_answer: bool = False) -> tuple[list[Record], str]:
    """Every record of `path` as a pair, and the format read ("jsonl/sharegpt"); [] when it has none.

    All records must be in one shape. `unit` is what a message calls a record ("row" for answers)."""
    choice = parse_format(fmt)
    rows, container = read_rows(path, choice.container)
    fixed = SHAPES[choice.shape] if choice.shape else None
    records: list[Record] = []
    for row in rows:
        where = f"{row.file}: {unit} {row.number}"
        pair, shape = _read_row(row, fixed, where)
        if records and pair.shape != records[0].pair.shape:
            first = records[0]
            raise BadInputError(f"{where} is in {pair.shape} form but {unit} {first.number} of {first.file.name} "
                                f"is in {first.pair.shape} form; a dataset must use one shape")
        if not pair.instruction:
            raise BadInputError(f"{where}: empty prompt; expected {shape.EXAMPLE}")
        if not pair.output and not allow_empty_answer:
            raise BadInputError(f"{where}: empty answer; expected {shape.EXAMPLE}")
        records.append(Record(pair, dict(row.record), row.split, row.file, row.number))
    shape_name = records[0].pair.shape if records else (choice.shape or "none")
    return records, f"{container}/{shape_name}"


def _read_row(row: Row, fixed: ModuleType | None, where: str) -> tuple[Pair, ModuleType]:
    record = row.record
    claimed = fixed is not None and isinstance(record, dict) and fixed.claims(record)
    try:
        shape = fixed if claimed and fixed is not None else _detect_against(record, fixed)
    except RecordError as exc:  # NoShape, or plainly another shape than the forced one
        expected = fixed.EXAMPLE if fixed is not None and not isinstance(exc, NoShape) else ANY_SHAPE
        raise BadInputError(f"{where}: {exc}; expected {expected}") from None
    try:
        return shape.read(record), shape
    except RecordError as exc:
        raise BadInputError(f"{where}: {exc}; expected {shape.EXAMPLE}") from None


def _detect_against(record: Any, fixed: ModuleType | None) -> ModuleType:
    """The shape a record is in; with a forced shape, that shape (so that its reader says what is missing)
    unless the record is plainly in another one."""
    try:
        detected = detect(record)
    except NoShape:
        if fixed is None or not isinstance(record, dict):
            raise
        return fixed
    if fixed is not None and detected is not fixed:
        raise RecordError(f"in {detected.NAME} form, not {fixed.NAME}")
    return detected
