"""Scorers: is a model's answer right? The judge decides; the reference answer adds evidence.

The verdict is `curate.judge.verdict.judge_answer`'s, the same judge that gates examples: it reads every
claim of the answer against the fact sheet (a wrong claim fails it), judges from the question whether the
design can answer it, reads declines for meaning (a hedge is not one), refuses salad and answers that do
not state what is asked, and refuses a made-up answer after a decline. There is no optional claim check:
if the judge cannot run, scoring fails with one line (`CurateError`).

Evidence from the reference answer, recorded per item (`ref_*` in `Verdicts.results`) but never deciding:

- ref_numeric: every value the reference states from the example's facts is in the answer (counts
  exactly; NES and log2 fold changes within max(0.01, half a unit of the last stated decimal)), and every
  number the answer states is attached to the same tissue, contrast, pathway and gene as in the reference.
- ref_categorical: the class, pattern, direction and interaction type the reference asserts.
- ref_negation: a label or number the reference asserts is not negated in the answer, and vice versa.
- ref_ranking: when the reference orders things, the answer names them in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.train import text as tx

if TYPE_CHECKING:
    from curate.judge.verdict import Verdict
    from curate.schemas import Fact, FactSheet, Finding

FLOAT_TOLERANCE = 0.01
NUMERIC_FIELDS = ("n_degs", "n_up", "n_down", "stress_nes", "kmp_nes", "mean_abs_log2fc")
BOUND_KINDS = ("tissue", "contrast", "pathway", "gene")


@dataclass(frozen=True)
class Question:
    """What a scorer needs to know about the question an answer responds to.

    `answerable` is None when unknown: the judge's answerability model decides.
    """

    question: str
    reference: str = ""
    fact_ids: tuple[str, ...] = ()
    answerable: bool | None = None
    tissue: str = ""
    example_id: str = ""
    kind: str = "factual_qa"


@dataclass
class Verdicts:
    """The judge's verdict (`results["judge"]` decides), its findings, and the reference's evidence."""

    verdict: Verdict
    results: dict[str, bool | None] = field(default_factory=dict)
    evidence: list[Finding] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return self.verdict.correct

    @property
    def findings(self) -> list[Finding]:
        return list(self.verdict.findings)

    def add(self, check: str, findings: list[Finding] | None) -> None:
        """Reference evidence. None: it did not apply. Otherwise it passes when it found nothing."""
        self.results[check] = None if findings is None else not findings
        self.evidence.extend(findings or [])


def finding(check: str, message: str, *, fact_id: str | None = None, expected: Any = None,
            found: Any = None) -> Finding:
    from curate.schemas import Finding

    return Finding(type=check, check=check, message=message, fact_ids=(fact_id,) if fact_id else (),
                   expected=None if expected is None else str(expected), found=None if found is None else str(found))


# -- numbers ---------------------------------------------------------------------------------
def matches(stated: tx.Number, value: float, is_float: bool) -> bool:
    """Whether a stated number is the fact's value, within the stated tolerance."""
    if not is_float:
        return stated.decimals == 0 and stated.value == value
    if stated.decimals == 0:
        return False
    return abs(stated.value - value) <= max(FLOAT_TOLERANCE, 0.5 * 10 ** (-stated.decimals)) + 1e-9


def fact_values(fact: Fact) -> list[tuple[str, float, bool]]:
    out = []
    for name in NUMERIC_FIELDS:
        value = getattr(fact, name, None)
        if value is not None:
            out.append((name, float(value), isinstance(value, float)))
    return out


def fact_entities(fact: Fact) -> dict[str, str]:
    found = {"tissue": fact.tissue}
    for attribute, kind in (("contrast", "contrast"), ("condition", "contrast"), ("term", "contrast"),
                            ("pathway", "pathway"), ("gene", "gene")):
        value = getattr(fact, attribute, None)
        if value is not None:
            found[kind] = value
    return found


def same_number(a: tx.Number, b: tx.Number) -> bool:
    if a.decimals == b.decimals == 0:
        return a.value == b.value
    tolerance = max(FLOAT_TOLERANCE, 0.5 * 10 ** -max(1, min(a.decimals, b.decimals)))
    return abs(a.value - b.value) <= tolerance + 1e-9


def binding(text: str, number: tx.Number, mentions: list[tx.Mention]) -> dict[str, str]:
    """What a number is attached to: per kind, the nearest mention in its clause, else the sentence's only one."""
    sentence = tx.enclosing(tx.sentence_spans(text), number.start)
    segment = tx.enclosing(tx.segment_spans(text, sentence), number.start)
    bound: dict[str, str] = {}
    for kind in BOUND_KINDS:
        in_segment = [m for m in mentions if m.kind == kind and segment[0] <= m.start < segment[1]]
        if in_segment:
            bound[kind] = min(in_segment, key=lambda m: _distance(m, number)).value
            continue
        in_sentence = {m.value for m in mentions if m.kind == kind and sentence[0] <= m.start < sentence[1]}
        if len(in_sentence) == 1:
            bound[kind] = in_sentence.pop()
    return bound


def _distance(mention: tx.Mention, number: tx.Number) -> int:
    return number.start - mention.end if mention.end <= number.start else mention.start - number.end + 1


# -- the scorers -----------------------------------------------------------------------------
def score_numeric(q: Question, answer: str, sheet: FactSheet, facts: list[Fact]) -> list[Finding] | None:
    ref_numbers, ans_numbers = tx.numbers(q.reference), tx.numbers(answer)
    if not ref_numbers and not ans_numbers:
        return None
    out = [
        finding("ref_numeric", f"the answer does not state {name} = {_fmt(value)}", fact_id=fact_id,
                expected=_fmt(value))
        for fact_id, name, value, is_float in _expected_values(q, facts, ref_numbers)
        if not any(matches(n, value, is_float) for n in ans_numbers)
    ]
    ref_mentions = tx.entities(q.reference, sheet)
    ans_mentions = tx.entities(answer, sheet)
    allowed = [n for n in tx.numbers(q.question)] + [tx.Number(sheet.padj_threshold, 2, "", 0, 0)]
    for number in ans_numbers:
        bound = binding(answer, number, ans_mentions)
        in_reference = [r for r in ref_numbers if same_number(r, number)]
        if in_reference:
            out.extend(_binding_conflicts(q, number, bound, in_reference, ref_mentions))
        elif not any(same_number(a, number) for a in allowed) and not _grounded(number, bound, q, sheet):
            where = ", ".join(f"{k} {v}" for k, v in bound.items()) or "nothing named"
            out.append(finding("ref_numeric", f"{number.text} ({where}) matches no fact", found=number.text))
    return out


def _expected_values(
    q: Question, facts: list[Fact], ref_numbers: list[tx.Number]
) -> list[tuple[str, str, float, bool]]:
    """(fact id, field, value, is_float) of every fact value that the reference states."""
    out = []
    for fact in facts:
        for name, value, is_float in fact_values(fact):
            if any(matches(n, value, is_float) for n in ref_numbers):
                out.append((fact.id, name, value, is_float))
    return out


def _binding_conflicts(
    q: Question, number: tx.Number, bound: dict[str, str], in_reference: list[tx.Number], ref_mentions: list[tx.Mention]
) -> list[Finding]:
    out = []
    ref_bound = [binding(q.reference, r, ref_mentions) for r in in_reference]
    for kind, value in bound.items():
        expected = {b[kind] for b in ref_bound if kind in b}
        if expected and value not in expected:
            out.append(finding(
                "ref_numeric", f"{number.text} is attached to {kind} {value}; the reference attaches it to "
                f"{', '.join(sorted(expected))}", expected=", ".join(sorted(expected)), found=value,
            ))
    return out


def _grounded(number: tx.Number, bound: dict[str, str], q: Question, sheet: FactSheet) -> bool:
    """A fact of the sheet has this value and agrees with everything the number is attached to."""
    context = dict(bound)
    if "tissue" not in context and q.tissue in sheet.tissues:
        context["tissue"] = q.tissue
    for fact in sheet.facts:
        if not any(matches(number, value, is_float) for _, value, is_float in fact_values(fact)):
            continue
        attributes = fact_entities(fact)
        if all(attributes.get(kind, value) == value for kind, value in context.items()):
            return True
    return False


def _fmt(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _asserted_and_negated(text: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    found = tx.labels(text)
    masked = [(m.start, m.end) for m in found]
    asserted: dict[str, set[str]] = {}
    negated: dict[str, set[str]] = {}
    for mention in found:
        target = negated if tx.is_negated(text, mention.start, masked=masked) else asserted
        target.setdefault(mention.kind, set()).add(mention.value)
    return asserted, negated


def score_categorical(q: Question, answer: str, facts: list[Fact]) -> list[Finding] | None:
    expected, _ = _asserted_and_negated(q.reference) if q.reference else (_labels_of_facts(facts), {})
    if not expected:
        return None
    said, _ = _asserted_and_negated(answer)
    out = []
    for category, values in sorted(expected.items()):
        for value in sorted(values - said.get(category, set())):
            out.append(finding("ref_categorical", f"the answer does not say {category} {value}", expected=value))
        for value in sorted(said.get(category, set()) - values):
            out.append(finding("ref_categorical", f"the answer says {category} {value}; expected "
                               f"{', '.join(sorted(values))}", expected=", ".join(sorted(values)), found=value))
    return out


def _labels_of_facts(facts: list[Fact]) -> dict[str, set[str]]:
    """Without a reference: the class and pattern the example's facts hold."""
    out: dict[str, set[str]] = {}
    for fact in facts:
        if fact.kind == "tissue_class":
            out.setdefault("class", set()).add(fact.response_class)
        elif fact.kind == "pathway_shift":
            out.setdefault("pattern", set()).add(fact.pattern)
    return out


def score_negation(q: Question, answer: str) -> list[Finding] | None:
    if not q.reference:
        return None
    ref_asserted, ref_negated = _asserted_and_negated(q.reference)
    ans_asserted, ans_negated = _asserted_and_negated(answer)
    out = []
    for category, values in ans_negated.items():
        for value in sorted(values & ref_asserted.get(category, set())):
            out.append(finding("ref_negation", f"the answer negates {category} {value}, which the reference asserts",
                               expected=value, found=f"not {value}"))
    for category, values in ans_asserted.items():
        for value in sorted(values & ref_negated.get(category, set())):
            out.append(finding("ref_negation", f"the answer asserts {category} {value}, which the reference negates",
                               expected=f"not {value}", found=value))
    out.extend(_negated_numbers(q, answer))
    applies = bool(tx.labels(q.reference) or tx.labels(answer) or tx.numbers(q.reference))
    return out if applies else None


def _negated_numbers(q: Question, answer: str) -> list[Finding]:
    masked = [(m.start, m.end) for m in tx.labels(answer)]
    ref_masked = [(m.start, m.end) for m in tx.labels(q.reference)]
    out = []
    for number in tx.numbers(answer):
        refs = [r for r in tx.numbers(q.reference) if same_number(r, number)]
        if not refs:
            continue
        ref_polarities = {tx.is_negated(q.reference, r.start, masked=ref_masked) for r in refs}
        negated = tx.is_negated(answer, number.start, masked=masked)
        if negated not in ref_polarities:
            state = "negates" if negated else "asserts"
            out.append(finding("ref_negation", f"the answer {state} the claim about {number.text}", found=number.text))
    return out


RANKING_CUE = r"\s>\s|\s<\s|\bmost\b|\bfewest\b|\bleast\b|\bhighest\b|\blowest\b|\blargest\b|\bsmallest\b" \
              r"|\bmore\b|\bfewer\b|\bless\b|\bgreater\b|\bhigher\b|\blower\b|\brank(?:ed|s|ing)?\b|\bfollowed by\b"
UP_WORDS = r"\s>\s|\bmost\b|\bhighest\b|\blargest\b|\bmore\b|\bgreater\b|\bhigher\b"
DOWN_WORDS = r"\s<\s|\bfewest\b|\bleast\b|\blowest\b|\bsmallest\b|\bfewer\b|\bless\b|\blower\b"


def score_ranking(q: Question, answer: str, sheet: FactSheet) -> list[Finding] | None:
    import re

    if not q.reference or not re.search(RANKING_CUE, q.reference, re.IGNORECASE):
        return None
    ref_order = _order(q.reference, sheet)
    if len(ref_order) < 2:
        return None
    if _polarity(answer) * _polarity(q.reference) < 0:
        ref_order = list(reversed(ref_order))
    ans_order = [value for value in _order(answer, sheet) if value in ref_order]
    if ans_order == ref_order:
        return []
    return [finding("ref_ranking", f"the answer orders {' > '.join(ans_order) or 'nothing'}; expected "
                    f"{' > '.join(ref_order)}", expected=" > ".join(ref_order), found=" > ".join(ans_order))]


def _order(text: str, sheet: FactSheet) -> list[str]:
    """Tissues (or else pathways, contrasts, genes) in order of first mention, in the "a > b > c" chain if any."""
    chain = max(tx.sentence_spans(text), key=lambda span: text.count(" > ", *span), default=(0, len(text)))
    if text.count(" > ", *chain) >= 1:
        text = text[chain[0]:chain[1]]
    mentions = tx.entities(text, sheet)
    for kind in ("tissue", "pathway", "contrast", "gene"):
        seen: list[str] = []
        for mention in mentions:
            if mention.kind == kind and mention.value not in seen:
                seen.append(mention.value)
        if len(seen) >= 2:
            return seen
    return []


def _polarity(text: str) -> int:
    import re

    up = bool(re.search(UP_WORDS, text, re.IGNORECASE))
    down = bool(re.search(DOWN_WORDS, text, re.IGNORECASE))
    return int(up) - int(down)


def _judge() -> Any:
    """The judge's verdict function. The claim check is part of every verdict: without it, no score."""
    try:
        from curate.judge.verdict import judge_answer
    except ImportError as exc:
        from curate.schemas.errors import CurateError

        raise CurateError(f"the judge (curate.judge: claim check and verdict) cannot run: {exc}") from exc
    return judge_answer


def score_answer(q: Question, answer: str, sheet: FactSheet) -> Verdicts:
    """The judge's verdict on `answer`, with the reference's evidence beside it (see the module docstring)."""
    verdict = _judge()(q.question, answer, sheet, fact_ids=q.fact_ids, reference=q.reference or None,
                       answerable=q.answerable)
    verdicts = Verdicts(verdict)
    verdicts.results["judge"] = verdict.correct
    verdicts.results["claims"] = not any(f.check == "claims" for f in verdict.findings)
    verdicts.results["answer"] = not any(f.check == "verdict" for f in verdict.findings)
    if q.reference and verdict.answerable:
        by_id = sheet.by_id()
        facts = [by_id[fact_id] for fact_id in q.fact_ids if fact_id in by_id]
        verdicts.add("ref_numeric", score_numeric(q, answer, sheet, facts))
        verdicts.add("ref_categorical", score_categorical(q, answer, facts))
        verdicts.add("ref_negation", score_negation(q, answer))
        verdicts.add("ref_ranking", score_ranking(q, answer, sheet))
    return verdicts
