"""Chat templates that wrap each turn in a start token, a role, and an end token (ChatML, Llama-3,
Gemma): the text split into (role, content) turns, with a one-line reason when it does not split."""

from __future__ import annotations

from dataclasses import dataclass

from curate.gates.readers._common import END_TOKENS, RecordError, shorten
from curate.gates.readers._conversation import role_of


@dataclass(frozen=True)
class Template:
    start: str  # opens a turn: "<|im_start|>"
    role_end: str  # ends the role: "\n", "<|end_header_id|>"
    end: str  # closes a turn: "<|im_end|>"
    ignorable: tuple[str, ...] = ()  # tokens allowed between turns: "<s>", "<|begin_of_text|>"


def turns(text: str, template: Template) -> list[tuple[str, str]]:
    head, *parts = text.split(template.start)
    if _leftover(head, template):
        raise RecordError(f"text before the first {template.start}: {shorten(head)}")
    read = []
    for number, part in enumerate(parts, start=1):
        body, closed, tail = part.partition(template.end)
        if not closed and number < len(parts):
            raise RecordError(f"turn {number} has no {template.end} before the next {template.start}")
        if _leftover(tail, template):
            raise RecordError(f"text after the {template.end} of turn {number}: {shorten(tail)}")
        role, found, content = body.partition(template.role_end)
        if not found:
            ending = template.role_end.replace("\n", "\\n")
            raise RecordError(f"turn {number} has no role: a turn starts {template.start}ROLE{ending}")
        read.append((role_of(role.strip(), number), content.strip()))
    return read


def _leftover(text: str, template: Template) -> bool:
    for token in (*template.ignorable, *END_TOKENS):
        text = text.replace(token, "")
    return bool(text.strip())
