"""Read a dataset curate did not make, in any of the usual shapes, as `GateItem`s.

Containers: a JSON list, JSONL, a `datasets` folder (`save_to_disk`, a Dataset or a DatasetDict whose
split names become the items' splits), a curate version folder (its examples.jsonl), and plain text
in `### Instruction:` / `### Input:` / `### Response:` blocks. Record shapes: Alpaca
(`instruction`, `input`, `output`), chat (`messages`: the user turns are the prompt, the last
assistant turn the answer), and the common synonyms (`prompt`/`question`, `response`/`answer`/
`completion`). Every problem is one line naming the file and the record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.gates.items import GateItem, item_from_record
from curate.schemas.errors import BadInputError, NotFoundError

FORMATS = ("auto", "json", "jsonl", "datasets", "alpaca", "chat", "text")
PROMPT_FIELDS = ("instruction", "prompt", "question", "query")
INPUT_FIELDS = ("input", "context")
ANSWER_FIELDS = ("output", "response", "answer", "completion", "target")
_HEADER = re.compile(r"^###\s*(instruction|input|response|output|answer)\s*:?[ \t]*", re.I | re.M)
_EXPECTED = "JSON list, JSONL, a datasets folder, or ### Instruction / ### Response text"


@dataclass
class Loaded:
    items: list[GateItem]
    format: str  # the container and record shape actually read, e.g. "jsonl/alpaca"
    path: Path


def load_dataset(path: Path, fmt: str = "auto", *, split: str | None = None) -> Loaded:
    """Every record of `path` as a GateItem. `split` overrides the records' own split."""
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise BadInputError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    if not path.exists():
        raise NotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        records, container = _read_folder(path, fmt)
    else:
        records, container = _read_file(path, fmt)
    if not records:
        raise BadInputError(f"{path}: no records found; expected a {_EXPECTED}")
    items: list[Any] = []
    shapes: set[str] = set()
    for number, (record, record_split) in enumerate(records, start=1):
        mapped, shape = _map_record(record, path, number, fmt)
        if shapes and shape not in shapes:  # e.g. Alpaca and chat records concatenated by mistake
            raise BadInputError(f"{path}: record {number} is in {shape} form but record 1 is in "
                                f"{next(iter(shapes))} form; a dataset must use one schema")
        shapes.add(shape)
        mapped["split"] = split or mapped.get("split") or record_split or "train"
        items.append(item_from_record(mapped, index=number, source=f"{path.name}:{number}"))
    given = [str(record.get("id") or "") if isinstance(record, dict) else "" for record, _ in records]
    if not all(given) or len(set(given)) != len(given):  # no usable ids: number the records
        from dataclasses import replace

        items = [replace(item, id=f"#{number}") for number, item in enumerate(items, start=1)]
    return Loaded(items=items, format=f"{container}/{'+'.join(sorted(shapes))}", path=path)


# -- containers -----------------------------------------------------------------------------------
def _read_folder(path: Path, fmt: str) -> tuple[list[tuple[Any, str | None]], str]:
    if (path / "examples.jsonl").is_file() and fmt in ("auto", "jsonl"):
        return _read_file(path / "examples.jsonl", "jsonl")
    if fmt not in ("auto", "datasets", "alpaca", "chat"):
        raise BadInputError(f"{path}: a folder, but --format {fmt} reads a file")
    markers = ("dataset_dict.json", "dataset_info.json", "state.json")
    if not any((path / m).is_file() for m in markers):
        raise BadInputError(f"{path}: a folder that is not a datasets folder (no {' or '.join(markers)}); "
                            f"expected a {_EXPECTED}")
    try:
        import datasets

        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # datasets raises many types for a broken folder
        raise BadInputError(f"{path}: cannot load the datasets folder ({type(exc).__name__}: {exc})") from None
    if isinstance(loaded, datasets.DatasetDict):
        rows = [(row, name) for name, part in loaded.items() for row in part]
    else:
        rows = [(row, None) for row in loaded]
    return rows, "datasets"


def _read_file(path: Path, fmt: str) -> tuple[list[tuple[Any, str | None]], str]:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise BadInputError(f"{path}: a binary file, not text; expected a {_EXPECTED}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path}: not UTF-8 text (byte {exc.start}); expected a {_EXPECTED}") from None
    if not text.strip():
        raise BadInputError(f"{path}: empty file; expected a {_EXPECTED}")
    if fmt == "datasets":
        raise BadInputError(f"{path}: a file, but --format datasets reads a folder saved with save_to_disk")
    container = _container(path, text, fmt)
    if container == "text":
        return [(record, None) for record in _read_blocks(path, text)], "text"
    if container == "jsonl":
        return [(record, None) for record in _read_jsonl(path, text)], "jsonl"
    return [(record, None) for record in _read_json(path, text)], "json"


def _container(path: Path, text: str, fmt: str) -> str:
    if fmt in ("json", "jsonl", "text"):
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".json":
        return "json"
    head = text.lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first_line = head.splitlines()[0].strip()
        return "jsonl" if first_line.endswith("}") else "json"
    if _HEADER.search(text):
        return "text"
    raise BadInputError(f"{path}: cannot tell the format (not JSON, JSONL or ### Instruction text); "
                        "give --format")


def _read_json(path: Path, text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, list):
        raise BadInputError(f"{path}: the JSON top level is {_type_name(data)}, not a list of records")
    return data


def _read_jsonl(path: Path, text: str) -> list[Any]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{path}: line {number} is not valid JSON ({exc.msg})") from None
    return records


def _read_blocks(path: Path, text: str) -> list[dict[str, str]]:
    headers = list(_HEADER.finditer(text))
    if not headers:
        raise BadInputError(f"{path}: no '### Instruction:' block found")
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        name = header.group(1).lower()
        body = text[header.end():end].strip()
        if name == "instruction":
            if current:
                records.append(current)
            current = {"instruction": body}
        elif not current:
            raise BadInputError(f"{path}: '### {header.group(1)}' at line {text.count(chr(10), 0, header.start()) + 1} "
                                "comes before any '### Instruction:'")
        else:
            current["input" if name == "input" else "output"] = body
    if current:
        records.append(current)
    return records


# -- records --------------------------------------------------------------------------------------
def _map_record(record: Any, path: Path, number: int, fmt: str) -> tuple[dict[str, Any], str]:
    if not isinstance(record, dict):
        raise BadInputError(f"{path}: record {number} is {_type_name(record)}, not an object with a prompt and "
                            "an answer")
    if fmt == "chat" or (fmt != "alpaca" and "messages" in record):
        return _map_chat(record, path, number), "chat"
    prompt_key = next((k for k in PROMPT_FIELDS if _text(record.get(k))), None)
    answer_key = next((k for k in ANSWER_FIELDS if k in record and record[k] is not None), None)
    if answer_key is None or not _text(record.get(answer_key)):
        raise BadInputError(f"{path}: record {number} has no answer field (one of {', '.join(ANSWER_FIELDS)}, "
                            f"non-empty); it has {', '.join(sorted(record)) or 'no fields'}")
    if prompt_key is None:
        raise BadInputError(f"{path}: record {number} has no prompt field (one of {', '.join(PROMPT_FIELDS)}); "
                            f"it has {', '.join(sorted(record))}")
    input_key = next((k for k in INPUT_FIELDS if _text(record.get(k))), None)
    mapped = {**record, "instruction": _text(record[prompt_key]), "output": _text(record[answer_key]),
              "input": _text(record.get(input_key)) if input_key else ""}
    shape = "alpaca" if prompt_key == "instruction" and answer_key == "output" else f"{prompt_key}/{answer_key}"
    return mapped, shape


def _map_chat(record: dict[str, Any], path: Path, number: int) -> dict[str, Any]:
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadInputError(f"{path}: record {number} has no 'messages' list")
    turns = []
    for turn_number, turn in enumerate(messages, start=1):
        if not isinstance(turn, dict) or "role" not in turn or "content" not in turn:
            raise BadInputError(f"{path}: record {number}, message {turn_number}: expected an object with 'role' "
                                "and 'content'")
        turns.append((str(turn["role"]), _text(turn["content"])))
    answers = [i for i, (role, _) in enumerate(turns) if role == "assistant"]
    if not answers or not turns[answers[-1]][1]:
        raise BadInputError(f"{path}: record {number} has no answer field (no non-empty assistant message)")
    last = answers[-1]
    prompt = "\n".join(content for role, content in turns[:last] if role == "user")
    system = "\n".join(content for role, content in turns[:last] if role == "system")
    if not prompt:
        raise BadInputError(f"{path}: record {number} has no user message before its answer")
    return {**record, "instruction": prompt, "input": system, "output": turns[last][1]}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # content given as parts: [{"type": "text", "text": ...}]
        return "\n".join(_text(part.get("text") if isinstance(part, dict) else part) for part in value)
    return str(value).strip()


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)
