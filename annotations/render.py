"""What a record shows, as the markdown Argilla's UI renders: the answer with the automatic check's
findings marked, what each finding says, and the facts with their source file, row and value.

Argilla renders markdown fields with marked (plus KaTeX for `$...$`) and sanitises the HTML. The
answer must read exactly as written, so every character markdown or KaTeX could take for syntax is
written as an HTML character reference; `plain_answer` undoes `mark_answer` exactly, which is how
`review pull` gets the answer back as plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.schemas import Fact

SYNTAX = set("\\`*_{}[]<>#|~&$!")
MARK = re.compile(r'<mark(?: title="[^"]*")?>|</mark>')


@dataclass(frozen=True)
class Span:
    """A stretch of the answer the automatic check disputes, and what it says about it."""

    start: int
    end: int
    label: str  # e.g. "wrong number"
    note: str  # e.g. "12 does not match 4,110 (deg_count:liver:HU)"


def _literal(text: str) -> str:
    return "".join(f"&#{ord(char)};" if char in SYNTAX else char for char in text)


def usable_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Spans inside the text, in order, without overlaps (the first one wins)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if 0 <= span.start < span.end <= len(text) and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


def mark_answer(text: str, spans: Iterable[Span]) -> str:
    """The answer as markdown that renders as the plain text, with each span in a <mark> (title: its note)."""
    parts, at = [], 0
    for number, span in enumerate(usable_spans(text, spans), 1):
        title = html.escape(f"{number}: {span.label}: {span.note}", quote=True)
        parts += [_literal(text[at:span.start]), f'<mark title="{title}">', _literal(text[span.start:span.end]),
                  "</mark>"]
        at = span.end
    parts.append(_literal(text[at:]))
    return "".join(parts)


def plain_answer(marked: str) -> str:
    """The text `mark_answer` was given."""
    return html.unescape(MARK.sub("", marked))


def findings_markdown(text: str, spans: Iterable[Span]) -> str:
    """One line per marked span: what the answer says there and what the check expected."""
    lines = [f"{number}. <mark>{_literal(text[span.start:span.end])}</mark> **{_literal(span.label)}**: "
             f"{_literal(span.note)}" for number, span in enumerate(usable_spans(text, spans), 1)]
    if not lines:
        return ""
    return ("The automatic check disputes the marked parts of the answer. It is often right, not always: "
            "judge for yourself.\n\n" + "\n".join(lines))


def facts_markdown(facts: Iterable[tuple[Fact, str]]) -> str:
    """Each fact as one sentence (given by the caller), then its source file, row and value, then its id
    and how it was derived."""
    blocks = []
    for number, (fact, statement) in enumerate(facts, 1):
        source = fact.provenance
        where = [f"**source** `{source.source}`"]
        where += [f"row {source.row}"] if source.row is not None else []
        where += [f"**value** {_literal(fact_value(fact))}"]
        how = [f"`{fact.id}`"]
        how += [f"contrast {source.contrast}"] if source.contrast else []
        how += [_literal(source.method)]
        how += [_literal(source.threshold)] if source.threshold else []
        how += [f"sha256 `{source.sha256[:12]}`"]
        block = f"**{number}.** {_literal(statement)}\n\n{', '.join(where)}\n\n<small>{' · '.join(how)}</small>"
        if source.note:
            block += f"\n\n> {_literal(source.note)}"
        blocks.append(block)
    return "\n\n---\n\n".join(blocks) if blocks else "_No facts are linked to this answer._"


def fact_value(fact: Fact) -> str:
    """The fact's measured values (not the fields that name it), e.g. 'n_degs 165, n_up 67, n_down 98'."""
    naming = {"id", "tissue", "kind", "provenance", *getattr(fact, "key_fields", ())}
    values = fact.model_dump(exclude=naming)
    return ", ".join(f"{name} {_number(value)}" for name, value in values.items() if value is not None)


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"

