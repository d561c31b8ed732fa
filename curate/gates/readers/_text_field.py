"""The `text` field that template shapes (ChatML, [INST], Alpaca text) read."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import RecordError, type_name


def template_text(record: dict[str, Any], marker: str) -> str:
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError("no 'text' field" if text is None else f"'text' is {type_name(text)}, not a string")
    if marker not in text:
        raise RecordError(f"the text has no {marker}")
    return text
