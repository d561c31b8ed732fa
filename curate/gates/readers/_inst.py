"""Mistral / Llama-2 `[INST] ... [/INST]` text in a `text` field: `<s>[INST] prompt [/INST] answer</s>`,
several turns in a row, and a Llama-2 `<<SYS>> ... <</SYS>>` block at the start of the first prompt."""

from __future__ import annotations

import re
from typing import Any

from curate.gates.readers._common import Pair, RecordError, shorten
from curate.gates.readers._conversation import pair_from_turns
from curate.gates.readers._text_field import template_text

NAME = "inst"
EXAMPLE = "'<s>[INST] prompt [/INST] answer</s>'"
OPEN, CLOSE = "[INST]", "[/INST]"
_SYSTEM = re.compile(r"^\s*<<SYS>>(.*?)<</SYS>>(.*)$", re.S)
_BOUNDARY = re.compile(r"</?s>")


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and (OPEN in text or CLOSE in text)


def read(record: dict[str, Any]) -> Pair:
    text = template_text(record, OPEN)
    turns: list[tuple[str, str]] = []
    position = 0
    while (start := text.find(OPEN, position)) != -1:
        _between(text[position:start], turns)
        end = text.find(CLOSE, start)
        if end == -1:
            raise RecordError(f"{OPEN} text has no {CLOSE}")
        prompt = text[start + len(OPEN):end]
        if OPEN in prompt:
            raise RecordError(f"{OPEN} inside another {OPEN} (no {CLOSE} before it)")
        turns.extend(_prompt_turns(prompt, first=not turns))
        position = end + len(CLOSE)
    _between(text[position:], turns)
    return pair_from_turns(turns, NAME)


def _between(segment: str, turns: list[tuple[str, str]]) -> None:
    """The text before an [INST] (or the end): the answer to the previous prompt, or nothing at all."""
    if CLOSE in segment:
        raise RecordError(f"{CLOSE} without an {OPEN} before it")
    answer = _BOUNDARY.sub("", segment).strip()
    if not turns:
        if answer:
            raise RecordError(f"text before the first {OPEN}: {shorten(answer)}")
        return
    turns.append(("assistant", answer))


def _prompt_turns(prompt: str, *, first: bool) -> list[tuple[str, str]]:
    if "<<SYS>>" not in prompt:
        return [("user", prompt.strip())]
    match = _SYSTEM.match(prompt)
    if match is None:
        raise RecordError("<<SYS>> without <</SYS>>, or not at the start of the prompt")
    if not first:
        raise RecordError(f"a <<SYS>> block after the first {OPEN}")
    return [("system", match.group(1).strip()), ("user", match.group(2).strip())]
