"""CSV and TSV files with a header row. A cell of a conversation column (messages, conversations,
prompt, completion) that holds a JSON list of turns is read as that list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError

JSON_COLUMNS = ("messages", "conversations", "prompt", "completion")


def read_csv(path: Path, text: str) -> list[Any]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise BadInputError(f"{path}: not valid CSV at line {reader.line_num} ({exc})") from None
    columns = reader.fieldnames or []
    if len(set(columns)) != len(columns) or "" in columns:
        raise BadInputError(f"{path}: the header row has an empty or repeated column name: {', '.join(columns)}")
    for number, row in enumerate(rows, start=1):
        if None in row:  # DictReader keeps extra cells under the key None
            raise BadInputError(f"{path}: record {number} has more cells than the header ({len(columns)})")
        for column in JSON_COLUMNS:
            row[column] = _json_cell(row.get(column))
    return [{key: value for key, value in row.items() if value is not None} for row in rows]


def _json_cell(value: Any) -> Any:
    if not isinstance(value, str) or not value.lstrip().startswith("["):
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return value
    return parsed if isinstance(parsed, list) and all(isinstance(turn, dict) for turn in parsed) else value
