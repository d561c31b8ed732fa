"""Reading a text's claims: every number, category, direction and ordering, bound to facts and judged.

How a claim is read, bound and judged: docs/judge.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from curate.judge import categories, directions, orderings
from curate.judge.document import quoted_spans
from curate.judge.lexicon import lexicon
from curate.judge.linking import Claim, Reader
from curate.judge.markdown import Rendered, plain, render
from curate.judge.quantities import check_numbers
from curate.schemas.examples import join_prompt

if TYPE_CHECKING:
    from curate.schemas import Example, FactSheet, Finding


@dataclass
class ClaimReading:
    """What a text claims: the wrong claims (`findings`), every claim bound to facts, and the facts it states."""

    findings: list[Finding]
    claims: list[Claim]
    stated_fact_ids: tuple[str, ...]
    used_question: bool = field(default=True, repr=False)  # whether the verdict depended on the question


def read_claims(text: str, sheet: FactSheet, *, fact_ids: Sequence[str] | None = None,
                question: str = "") -> ClaimReading:
    """Read every claim of `text` about the study and judge it against `sheet`.

    `fact_ids`, when known, are the facts the text is meant to state; without them the facts are
    found from the tissues the text and `question` name. Numbers the question states are not
    flagged as unsupported.
    """
    rendered = None if plain(text) else render(text)
    reader = Reader(lexicon(sheet), rendered.text if rendered else text, question, fact_ids, rendered=rendered)
    _check(reader)
    findings = sorted(reader.findings, key=lambda f: (f.start or 0, f.end or 0, f.type))
    claims = sorted(reader.claims, key=lambda c: (c.start, c.end))
    if rendered is not None:
        findings, claims = _to_original(text, rendered, findings, claims)
    stated = tuple(sorted(set(reader.stated) | (set(reader.scope_ids) if reader.has_ids else set())))
    return ClaimReading(findings, claims, stated, reader.used_question)


def _check(reader: Reader) -> None:
    text = reader.text
    numbers = check_numbers(reader)
    quotes = quoted_spans(text)
    lower = text.lower()
    if "signific" in lower:
        categories.check_significance(reader, numbers)
    if "type " in lower or "stress-" in lower or "baseline-active" in lower:
        categories.check_classes(reader, quotes)
    if categories.PATTERN_HINT.search(text):
        categories.check_patterns(reader, quotes)
    if "additive" in lower or "synergistic" in lower or "antagonistic" in lower:
        categories.check_interactions(reader, quotes)
    directions.check_nes_directions(reader, quotes)
    if directions.SPLIT_HINT.search(lower):
        directions.check_split_directions(reader, quotes)
    if numbers:
        directions.check_number_directions(reader, numbers)
    if orderings.RELATION_HINT.search(text):
        orderings.check_chains(reader)
    if orderings.SUPERLATIVE_HINT.search(lower):
        orderings.check_superlatives(reader, quotes)


def _to_original(text: str, rendered: Rendered, findings: list[Finding],
                 claims: list[Claim]) -> tuple[list[Finding], list[Claim]]:
    """Spans in the rendered text back to spans of the original (a claim found twice is kept once)."""
    mapped: dict[tuple[int, int, str], Finding] = {}
    for finding in findings:
        if finding.start is None or finding.end is None or finding.end <= finding.start:
            mapped.setdefault((finding.start or 0, finding.end or 0, finding.type), finding)
            continue
        start, end = rendered.span(finding.start, finding.end)
        mapped.setdefault((start, end, finding.type), finding.model_copy(
            update={"start": start, "end": end, "text": text[start:end]}))
    moved: dict[tuple[int, int, str], Claim] = {}
    for claim in claims:
        start, end = rendered.span(claim.start, claim.end) if claim.end > claim.start else (claim.start, claim.end)
        moved.setdefault((start, end, claim.kind), replace(claim, start=start, end=end, text=text[start:end]))
    return list(mapped.values()), list(moved.values())


def check_text(text: str, sheet: FactSheet, *, fact_ids: Sequence[str] | None = None,
               question: str = "") -> list[Finding]:
    """The wrong claims of any text (an answer, a model's output) against a fact sheet; see `read_claims`."""
    return read_claims(text, sheet, fact_ids=fact_ids, question=question).findings


def check_example(example: Example | Any, sheet: FactSheet) -> list[Finding]:
    """Check an example's output (a `schemas.Example` or a `GateItem`)."""
    question = join_prompt(example.instruction, example.input)
    found = check_text(example.output, sheet, fact_ids=list(example.fact_ids) or None, question=question)
    return [f.with_example(example.id) for f in found]


def check_items(items: Sequence[Any], sheet: FactSheet, *,
                progress: Callable[[int], Any] | None = None) -> tuple[list[Finding], list[tuple[str, ...]]]:
    """Check many items: (findings, the facts each item states). An answer is checked once for all the
    questions it answers, unless its verdict depended on the question (a number only the question
    states, a tissue only it names)."""
    by_answer: dict[tuple[str, tuple[str, ...]], ClaimReading] = {}
    by_question: dict[tuple[str, tuple[str, ...], str], ClaimReading] = {}
    findings: list[Finding] = []
    stated: list[tuple[str, ...]] = []
    for index, item in enumerate(items):
        fact_ids = tuple(item.fact_ids)
        result = by_answer.get((item.output, fact_ids))
        if result is None and fact_ids:
            # With fact ids, a question can only excuse a finding (a number it states), never add one:
            # an answer clean without its question is clean with any question.
            result = read_claims(item.output, sheet, fact_ids=list(fact_ids), question="")
            result.used_question = bool(result.findings)
            by_answer[(item.output, fact_ids)] = result
        if result is None or result.used_question:
            question = join_prompt(item.instruction, item.input)
            key = (item.output, fact_ids, question)
            result = by_question.get(key)
            if result is None:
                result = read_claims(item.output, sheet, fact_ids=list(fact_ids) or None, question=question)
                by_question[key] = result
                by_answer.setdefault((item.output, fact_ids), result)
        if result.findings:
            findings += [f.with_example(item.id) for f in result.findings]
        stated.append(result.stated_fact_ids)
        if progress is not None and index % 1000 == 0:
            progress(index)
    return findings, stated
