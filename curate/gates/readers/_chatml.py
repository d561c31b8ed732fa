"""ChatML in a `text` field: `<|im_start|>role\\ncontent<|im_end|>` turns (Qwen, SmolLM, OpenHermes...)."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import END_TOKENS, Pair, RecordError, shorten
from curate.gates.readers._conversation import pair_from_turns, role_of
from curate.gates.readers._text_field import template_text

NAME = "chatml"
EXAMPLE = r"'<|im_start|>user\nprompt<|im_end|>\n<|im_start|>assistant\nanswer<|im_end|>'"
START, END = "<|im_start|>", "<|im_end|>"


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and START in text


def read(record: dict[str, Any]) -> Pair:
    text = template_text(record, START)
    head, *parts = text.split(START)
    if _leftover(head):
        raise RecordError(f"text before the first {START}: {shorten(head)}")
    turns = []
    for number, part in enumerate(parts, start=1):
        body, closed, tail = part.partition(END)
        if not closed and number < len(parts):
            raise RecordError(f"turn {number} has no {END} before the next {START}")
        if _leftover(tail):
            raise RecordError(f"text after the {END} of turn {number}: {shorten(tail)}")
        role, newline, content = body.partition("\n")
        if not newline and not role.strip():
            raise RecordError(f"turn {number} has no role after {START}")
        turns.append((role_of(role.strip(), number), content))
    return pair_from_turns(turns, NAME)


def _leftover(text: str) -> bool:
    for token in ("<s>", "<|endoftext|>", *END_TOKENS):
        text = text.replace(token, "")
    return bool(text.strip())
