"""JSON and JSONL files. A JSON file is a list of records, or an object holding one under a usual key
({"data": [...]}, {"answers": [...]}); a `.json` file that is really JSONL is read as JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from curate.gates.readers._common import type_name
from curate.schemas.errors import BadInputError

WRAPPERS = ("data", "examples", "records", "rows", "answers")


def read_json(path: Path, text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if isinstance(data, dict):
        lists = [key for key in WRAPPERS if isinstance(data.get(key), list)]
        if len(lists) == 1:
            return list(data[lists[0]])
    if isinstance(data, dict):
        raise BadInputError(f"{path}: the JSON top level is an object, not a list of records (nor an object "
                            f"holding one under {', '.join(WRAPPERS)}); for one record per line use --format jsonl")
    if not isinstance(data, list):
        raise BadInputError(f"{path}: the JSON top level is {type_name(data)}, not a list of records")
    return data


def read_jsonl(path: Path, text: str) -> list[Any]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{path}: line {number} is not valid JSON ({exc.msg})") from None
    return records


def looks_like_jsonl(text: str, *, lines_needed: int = 1) -> bool:
    """One JSON object per line: the first line is an object that parses on its own."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < lines_needed or not lines[0].lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except json.JSONDecodeError:
        return False
