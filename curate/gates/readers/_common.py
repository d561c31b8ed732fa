"""What every reader shares: the pair a record becomes, the error a record raises, and text checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# End-of-sequence and padding tokens that templates leave at the end of an answer.
END_TOKENS = ("</s>", "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<eos>", "<|end|>")


@dataclass(frozen=True)
class Pair:
    """One SFT example as read: what is asked, the context around it, and the answer."""

    instruction: str  # the question: the Alpaca instruction, the (last) user turn before the answer
    output: str  # the answer: the Alpaca output, the last assistant turn
    input: str = ""  # context given with the question: the Alpaca input, earlier turns of a conversation
    system: str = ""  # a system prompt, when the record has one
    shape: str = ""  # the record shape read, e.g. "sharegpt"


class RecordError(Exception):
    """A record that does not fit a shape. The loader adds the file, the record number and what a
    record of that shape looks like, so the message here says only what is wrong."""


def present(record: dict[str, Any], key: str) -> bool:
    """A field that is there: tables (parquet, datasets) give every column to every row, None when absent."""
    return record.get(key) is not None


def field_text(record: dict[str, Any], key: str) -> str:
    """A string field, stripped; anything else is an error naming the field."""
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{key!r} is {type_name(value)}, not a string")
    return value.strip()


def strip_end_tokens(text: str) -> str:
    text = text.strip()
    changed = True
    while changed:
        changed = False
        for token in END_TOKENS:
            if text.endswith(token):
                text = text[: -len(token)].rstrip()
                changed = True
    return text


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a one-line message."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)
