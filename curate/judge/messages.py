"""The wording of findings: what the text says, what the facts say, and which facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from curate.schemas.findings import Finding

if TYPE_CHECKING:
    from curate.judge.lexicon import Slot
    from curate.judge.numbers import Num


def fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def show(slot: Slot) -> str:
    """A slot as a reader wants to see it: its value, its facts, and how it was derived."""
    decimals = 0 if slot.vtype == "count" else 3 if slot.vtype in ("nes", "shift") else 2
    text = fmt(slot.value, decimals).rstrip("0").rstrip(".") if decimals else fmt(slot.value, 0)
    if slot.vtype == "percent":
        text = f"{slot.value:.1f}%"
    where = slot.derived or ":".join(v for d, v in slot.labels if d in ("cattr",) and v != "total")
    ids = ",".join(slot.fact_ids)
    return f"{text} ({ids}{' ' + where if where else ''})"


def claim(kind: str, text: str, start: int, end: int, found: str, expected: str, fact_ids: Sequence[str],
          message: str) -> Finding:
    """A wrong claim at text[start:end]."""
    return Finding(type=kind, message=message, found=found, expected=expected, fact_ids=tuple(fact_ids),
                   start=start, end=end, text=text[start:end])


def unknown_fact(fact_id: str, sheet_name: str) -> Finding:
    return Finding(type="unknown_fact", message=f"fact id {fact_id!r} is not in fact sheet {sheet_name!r}",
                   found=fact_id, expected="a fact id of this sheet", fact_ids=(fact_id,), start=0, end=0)


def wrong_threshold(text: str, num: Num, padj: float) -> Finding:
    return claim("wrong_threshold", text, num.start, num.end, num.text, f"padj < {padj:g}", (),
                 f"the significance cut-off is padj < {padj:g}")


def wrong_number(text: str, num: Num, expected: list[Slot], swapped: Slot | None = None) -> Finding:
    shown = sorted({show(s) for s in expected})[:4]
    ids = tuple(sorted({f for s in expected for f in s.fact_ids}))[:6]
    said = num.text.strip()
    message = f"{said} does not match {' or '.join(shown)}"
    if swapped is not None:
        message += f"; {said} is {show(swapped)}"
    return claim("wrong_number", text, num.start, num.end, said, " or ".join(shown), ids, message)


def unsupported_number(text: str, num: Num, scope_ids: Sequence[str]) -> Finding:
    said = num.text.strip()
    return claim("unsupported_number", text, num.start, num.end, said, "no fact or value derived from the facts",
                 tuple(scope_ids)[:6], f"{said} matches no fact in play and no value derived from them")


def wrong_arithmetic(text: str, start: int, result: Num, shown: str) -> Finding:
    return claim("wrong_arithmetic", text, start, result.end, result.text.strip(), shown, (),
                 f"{text[start:result.end]}: the arithmetic gives {shown}")


def from_wrong_figure(text: str, start: int, result: Num) -> Finding:
    return claim("wrong_arithmetic", text, start, result.end, result.text.strip(), "a result from the facts", (),
                 f"{text[start:result.end]}: worked from a figure that is wrong")


def not_measured(text: str, num: Num) -> Finding:
    said = num.text.strip()
    return claim("unsupported_number", text, num.start, num.end, said, "no such result: one dose, one time point", (),
                 f"{said}: the design (one dose, one time point) cannot give this result")


def foreign(text: str, num: Num, subject: str) -> Finding:
    said = num.text.strip()
    return claim("unsupported_number", text, num.start, num.end, said, f"no fact about {subject}", (),
                 f"{said} is about {subject}, which the study does not report")
