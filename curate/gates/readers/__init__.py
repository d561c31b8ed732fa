"""Readers: a dataset curate did not make, in any common SFT format, as prompt/answer pairs.

    from curate.gates.readers import load_dataset, read_answers
    loaded = load_dataset(Path("data.jsonl"))      # Loaded(items, format="jsonl/sharegpt", path)
    rows = read_answers(Path("answers.jsonl"))      # [{"question", "answer", ...the record's fields}]

A format is a container and a record shape, detected in that order and reported as
"container/shape". Containers (one module each): JSON, JSONL, parquet, CSV, a `datasets` folder, a
folder of data files, a curate version folder, a text file of Alpaca blocks. Record shapes: alpaca
(and synonyms), text-alpaca, chatml, llama3, gemma, inst, sharegpt, openai, prompt-completion. A conversation's
answer is its last assistant turn; the user turn before it is the instruction, earlier turns the
input. Every problem is one line naming the file, the record and what that shape looks like.
The table of formats: docs/formats.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.gates.items import GateItem, item_from_pair
from curate.gates.readers._containers import ANY_CONTAINER, CONTAINERS
from curate.gates.readers._load import Choice, Record, format_names, parse_format, read_records
from curate.gates.readers._shapes import SHAPES
from curate.schemas.errors import BadInputError

__all__ = ["CONTAINERS", "SHAPES", "Choice", "Loaded", "Record", "format_names", "load_dataset", "parse_format",
           "read_answers", "read_records"]


@dataclass
class Loaded:
    items: list[GateItem]
    format: str  # the container and record shape actually read, e.g. "jsonl/sharegpt"
    path: Path


def load_dataset(path: Path, fmt: str = "auto", *, split: str | None = None) -> Loaded:
    """Every record of `path` as a GateItem. `split` overrides the records' own split."""
    records, label = read_records(path, fmt)
    if not records:
        raise BadInputError(f"{path}: no records found; expected {ANY_CONTAINER}")
    given = [str(record.fields.get("id") or "") for record in records]
    if not all(given) or len(set(given)) != len(given):  # no usable ids: number the records
        given = [f"#{number}" for number in range(1, len(records) + 1)]
    items = [item_from_pair(record.pair.instruction, _context(record), record.pair.output, record.fields,
                            id=item_id, split=split or _split(record), source=f"{record.file.name}:{record.number}")
             for item_id, record in zip(given, records, strict=True)]
    return Loaded(items=items, format=label, path=path)


def read_answers(path: Path, fmt: str = "auto") -> list[dict[str, Any]]:
    """An answers file for `curate eval score`: each record's fields, with the prompt as `question` and
    the answer to judge (the last assistant turn of a conversation) as `answer`. An empty answer is kept:
    a model that said nothing is scored, not refused."""
    records, _ = read_records(path, fmt, unit="row", allow_empty_answer=True)
    if not records:
        raise BadInputError(f"{path}: no answers in the file")
    return [{**record.fields, "question": _question(record), "answer": record.pair.output} for record in records]


def _context(record: Record) -> str:
    return "\n\n".join(part for part in (record.pair.system, record.pair.input) if part)


def _question(record: Record) -> str:
    return "\n".join(part for part in (record.pair.instruction, record.pair.input) if part)


def _split(record: Record) -> str:
    own = record.fields.get("split")
    return str(own) if isinstance(own, str) and own else record.split or "train"
