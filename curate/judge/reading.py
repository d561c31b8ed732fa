"""Reading a text's claims: every number, category, direction and ordering, bound to facts and judged.

How a claim is read, bound and judged: docs/judge.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from curate.judge import categories, directions, orderings, rankings, superlatives
from curate.judge.declines import is_salad
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
                question: str = "", claims: bool = True) -> ClaimReading:
    """Read every claim of `text` about the study and judge it against `sheet`.

    `fact_ids`, when known, are the facts the text is meant to state; without them the facts are
    found from the tissues the text and `question` name. Numbers the question states are not
    flagged as unsupported. `claims=False` skips recording the right claims (the gates need findings only).
    """
    if _salad(text):  # keywords and numbers with no sentence around them claim nothing
        return ClaimReading([], [], tuple(fact_ids or ()), False)
    rendered = None if plain(text) else render(text)
    reader = Reader(lexicon(sheet), rendered.text if rendered else text, question, fact_ids, rendered=rendered,
                    keep_claims=claims)
    _check(reader)
    findings = sorted(reader.findings, key=lambda f: (f.start or 0, f.end or 0, f.type))
    bound = sorted(reader.claims, key=lambda c: (c.start, c.end))
    if rendered is not None:
        findings, bound = _to_original(text, rendered, findings, bound)
    stated = tuple(sorted(set(reader.stated) | (set(reader.scope_ids) if reader.has_ids else set())))
    return ClaimReading(findings, bound, stated, reader.used_question)


# A number tied to a word or a label ("1,273 DEGs", "(860 up", "Liver: 4,110") or a verb: a statement, not a salad.
_STRUCTURED = re.compile(r"\d\s*(?:DEGs?|genes?|up|down|%)\b|[:(]\s*[+\-−~]?\d|\b(?:is|are|was|were|has|have|changes?|"
                         r"shows?)\b", re.I)


def _salad(text: str) -> bool:
    """Keywords and numbers strung together, with no punctuation that would make a statement of them."""
    if len(text) >= 400 or _STRUCTURED.search(text):
        return False
    return is_salad(text)


def _check(reader: Reader) -> None:
    text = reader.text
    numbers = check_numbers(reader)
    quotes = quoted_spans(text)
    lower = text.lower()
    if "signific" in lower:
        categories.check_significance(reader, numbers)
        if "significantly" in lower:
            categories.check_significance_words(reader, quotes)
    if "type " in lower or "stress-" in lower or "baseline-active" in lower:
        categories.check_classes(reader, quotes)
    if any(word in lower for word in categories.PATTERN_WORDS) and categories.PATTERN_HINT.search(text):
        categories.check_patterns(reader, quotes)
    if "additiv" in lower or "synerg" in lower or "antagonis" in lower or "each other" in lower:
        categories.check_interactions(reader, quotes)
    directions.check_nes_directions(reader, quotes)
    if any(word in lower for word in directions.SPLIT_WORDS):
        directions.check_split_directions(reader, quotes)
    if numbers:
        directions.check_number_directions(reader, numbers)
    if any(sign in text for sign in "<>=≤≥") and orderings.RELATION_HINT.search(text):
        orderings.check_chains(reader)
    if any(word in lower for word in superlatives.WORDS):
        superlatives.check_superlatives(reader, quotes)
    if reader.blocks:
        rankings.check_rankings(reader)
    if reader.question:
        _check_pick(reader)


def _check_pick(reader: Reader) -> None:
    """A bare pick ("Liver, 4,110.") answers "which tissue has the most ...?" with a superlative claim."""
    found = rankings.pick(reader)
    if found is None:
        return
    statement, start, end = found
    said = Reader(reader.lex, statement, "", None)
    superlatives.check_superlatives(said, [])
    for finding in said.findings:
        reader.refute(finding.model_copy(update={"start": start, "end": end, "text": reader.text[start:end]}))
    for claim in said.claims:
        reader.confirm(claim.kind, start, end, claim.fact_ids, said=claim.said)


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
            result = read_claims(item.output, sheet, fact_ids=list(fact_ids), question="", claims=False)
            result.used_question = bool(result.findings)
            by_answer[(item.output, fact_ids)] = result
        if result is None or result.used_question:
            question = join_prompt(item.instruction, item.input)
            key = (item.output, fact_ids, question)
            result = by_question.get(key)
            if result is None:
                result = read_claims(item.output, sheet, fact_ids=list(fact_ids) or None, question=question,
                                     claims=False)
                by_question[key] = result
                by_answer.setdefault((item.output, fact_ids), result)
        if result.findings:
            findings += [f.with_example(item.id) for f in result.findings]
        stated.append(result.stated_fact_ids)
        if progress is not None and index % 1000 == 0:
            progress(index)
    return findings, stated
