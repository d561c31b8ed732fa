"""Scorers: is an answer right, judged against the facts and the reference answer?

A substring match passes "KMP does not rescue OXPHOS in heart" when the reference says it does,
and passes a right number inside a wrong statement. These scorers read what the answer claims:

- numeric: every value the reference states from the example's facts must be in the answer
  (counts exactly; NES and log2 fold changes within max(0.01, half a unit of the last stated
  decimal), so -2.3 matches -2.302 and -2 does not). Every number the answer states must be
  attached to the same tissue, contrast, pathway and gene as in the reference, or, when the
  reference does not state it, to a fact of the sheet with that value.
- categorical: the response class (A/B/C or its label), pathway pattern (RESCUE, SUPPRESSION,
  KMP_ONLY, NS), direction (up/down) and interaction type (additive, synergistic, antagonistic)
  the answer asserts must be the ones the reference asserts.
- negation: a label or number the reference asserts must not be negated in the answer, and one
  it negates must not be asserted.
- ranking: when the reference orders things (">", "most", "more than"...), the answer must name
  them in the same order (or the reverse, if it flips the comparison).
- entities: the answer must not bring in tissues, pathways or genes that neither the question
  nor the reference mention.
- calibration: an unanswerable question must be declined; an answerable one must not be.
- content: only when none of the above has anything to check, bag-of-words F1 with the
  reference must reach CONTENT_F1.
- claims: an optional whole-answer claim check passed in by the caller (curate's quality gates).

An answer is correct when every scorer that applies passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.train import text as tx

if TYPE_CHECKING:
    from curate.schemas import Fact, FactSheet, Finding

CONTENT_F1 = 0.6
FLOAT_TOLERANCE = 0.01
NUMERIC_FIELDS = ("n_degs", "n_up", "n_down", "stress_nes", "kmp_nes", "mean_abs_log2fc")
BOUND_KINDS = ("tissue", "contrast", "pathway", "gene")
# (answer, the example's facts, the question) -> problems, each a dict with message and optionally
# fact_id, expected, found. curate passes its quality gates' claim check.
ClaimCheck = Callable[[str, list[Any], str], list[dict[str, Any]]]


@dataclass(frozen=True)
class Question:
    """What a scorer needs to know about the question an answer responds to."""

    question: str
    reference: str = ""
    fact_ids: tuple[str, ...] = ()
    answerable: bool = True
    tissue: str = ""
    example_id: str = ""
    kind: str = "factual_qa"


@dataclass
class Verdicts:
    results: dict[str, bool | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, scorer: str, findings: list[Finding] | None) -> None:
        """None: the scorer did not apply. Otherwise it passes when it found nothing."""
        self.results[scorer] = None if findings is None else not findings
        self.findings.extend(findings or [])

    @property
    def correct(self) -> bool:
        return all(result is not False for result in self.results.values())


def finding(scorer: str, message: str, **fields: Any) -> Finding:
    from curate.schemas import Finding

    return Finding(scorer=scorer, message=message, **{k: None if v is None else str(v) for k, v in fields.items()})


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
        finding("numeric", f"the answer does not state {name} = {_fmt(value)}", fact_id=fact_id, expected=_fmt(value))
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
            out.append(finding("numeric", f"{number.text} ({where}) matches no fact", found=number.text))
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
                "numeric", f"{number.text} is attached to {kind} {value}; the reference attaches it to "
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
            out.append(finding("categorical", f"the answer does not say {category} {value}", expected=value))
        for value in sorted(said.get(category, set()) - values):
            out.append(finding("categorical", f"the answer says {category} {value}; expected "
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
            out.append(finding("negation", f"the answer negates {category} {value}, which the reference asserts",
                               expected=value, found=f"not {value}"))
    for category, values in ans_asserted.items():
        for value in sorted(values & ref_negated.get(category, set())):
            out.append(finding("negation", f"the answer asserts {category} {value}, which the reference negates",
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
            out.append(finding("negation", f"the answer {state} the claim about {number.text}", found=number.text))
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
    return [finding("ranking", f"the answer orders {' > '.join(ans_order) or 'nothing'}; expected "
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


def score_entities(q: Question, answer: str, sheet: FactSheet) -> list[Finding] | None:
    if not q.reference:
        return None
    known = {(m.kind, m.value) for m in tx.entities(q.reference + "\n" + q.question, sheet)}
    extra = sorted({(m.kind, m.value) for m in tx.entities(answer, sheet) if m.kind in ("tissue", "pathway", "gene")}
                   - known)
    return [finding("entities", f"the answer brings in {kind} {value}, which the question and reference do not name",
                    found=value) for kind, value in extra]


def score_calibration(q: Question, answer: str) -> list[Finding]:
    declined = tx.declines(answer) and not (q.answerable and tx.declines(q.reference))
    if not q.answerable and not declined:
        return [finding("calibration", "the question cannot be answered from the data, and the answer does not "
                        "decline", expected="decline", found="answer")]
    if q.answerable and declined:
        return [finding("calibration", "the answer declines a question the data can answer", expected="answer",
                        found="decline")]
    return []


def score_content(q: Question, answer: str) -> list[Finding]:
    f1 = tx.token_f1(answer, q.reference)
    if f1 >= CONTENT_F1:
        return []
    return [finding("content", f"the answer shares little with the reference (word F1 {f1:.2f} < {CONTENT_F1})",
                    expected=f">= {CONTENT_F1}", found=f"{f1:.2f}")]


def score_claims(q: Question, answer: str, facts: list[Fact], claim_check: ClaimCheck) -> list[Finding]:
    out = []
    for problem in claim_check(answer, facts, q.question):
        message = str(problem.get("message") or problem.get("reason") or problem)
        fact_id = problem.get("fact_id")
        out.append(finding("claims", message, fact_id=fact_id, expected=problem.get("expected"),
                           found=problem.get("found") or problem.get("claim")))
    return out


def score_answer(
    q: Question, answer: str, sheet: FactSheet, *, claim_check: ClaimCheck | None = None
) -> Verdicts:
    """Run every scorer; see the module docstring for what each checks."""
    by_id = sheet.by_id()
    facts = [by_id[fact_id] for fact_id in q.fact_ids if fact_id in by_id]
    verdicts = Verdicts()
    verdicts.add("calibration", score_calibration(q, answer))
    verdicts.add("numeric", score_numeric(q, answer, sheet, facts))
    verdicts.add("categorical", score_categorical(q, answer, facts))
    verdicts.add("negation", score_negation(q, answer))
    verdicts.add("ranking", score_ranking(q, answer, sheet))
    verdicts.add("entities", score_entities(q, answer, sheet))
    structured = any(verdicts.results.get(name) is not None for name in ("categorical", "ranking")) or bool(
        _expected_values(q, facts, tx.numbers(q.reference))
    )
    content = score_content(q, answer) if q.answerable and q.reference and not structured else None
    verdicts.add("content", content)
    verdicts.add("claims", score_claims(q, answer, facts, claim_check) if claim_check else None)
    return verdicts
