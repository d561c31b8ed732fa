"""The judge as the reward functions and the preference-pair gates see it: one module to switch.

`Judge.read` turns one answer into a `Reading`: the judge's verdict (`curate.judge.verdict.judge_answer`:
the claim check, what the question asks, declines, guesses, salad), the claim check's findings, which
of the values the reference states the answer states right, the directions and labels it gets right
or wrong per side, claims it states two ways, the confidence it states, and whether it loops.
`_verdict` is the one call into curate.judge; the finer readings the rewards grade with (partial
credit, per-side directions, repeated claims, stated confidence, loops) are train/readings.py.

Correctness here is the judge's verdict, which never reads the confidence an answer states ("a hedge
changes nothing"): the calibration reward compares that confidence with it, and ECE is computed
against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curate.schemas import PathwayShiftFact, TissueClassFact
from curate.train import readings as rd
from curate.train import text as tx
from curate.train.scorers import NUMERIC_FIELDS, matches

if TYPE_CHECKING:
    from curate.schemas import Fact, FactSheet

LABEL_CLAIMS = ("category", "direction", "ordering")


@dataclass(frozen=True)
class Problem:
    """One wrong claim the claim check found: its type, the kind of claim, and where."""

    type: str
    claim: str  # number | category | direction | ordering
    text: str
    expected: str
    start: int
    end: int


@dataclass(frozen=True)
class Expected:
    fact_id: str
    field: str
    value: float
    is_float: bool


@dataclass(frozen=True)
class Reading:
    answerable: bool
    problems: tuple[Problem, ...]
    expected: tuple[Expected, ...]  # the fact values the reference states
    stated: tuple[Expected, ...]  # those the answer states, bound right
    n_numbers: int  # numbers the answer states about the data
    n_labels: int  # class, pattern and interaction labels it asserts
    directions_expected: int  # directions and labels the reference states
    directions_right: int
    directions_wrong: tuple[str, ...]
    conflicts: tuple[str, ...]
    n_repeated: int  # subjects the answer states more than once
    plain_decline: bool
    guesses: bool  # "probably", "my guess", "I think"...
    confidence: float | None  # what the answer states
    reference_confidence: float | None
    degenerate: bool  # empty, a loop, or keywords and numbers with no claim
    verdict_correct: bool  # the judge's verdict
    made_up: bool  # after declining, puts forward an answer of its own
    overlap: float | None  # word F1 with the reference (None without one): free text, where nothing else applies

    @property
    def number_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.claim == "number")

    @property
    def label_problems(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.claim in LABEL_CLAIMS)

    @property
    def states_claims(self) -> bool:
        """States a number, label or direction about the data."""
        return bool(self.n_numbers or self.problems or self.directions_right or self.directions_wrong
                    or self.n_labels)

    @property
    def correct(self) -> bool:
        """The judge's verdict (it never reads a stated confidence), and floors under it: never a loop or
        garbled text, no direction wrong for its side, and an answer to a question whose reference states
        values or directions states at least one of them right."""
        if not self.verdict_correct or self.degenerate or self.directions_wrong:
            return False
        if not self.answerable:
            return True
        return (not self.expected or bool(self.stated)) and (not self.directions_expected or self.directions_right > 0)


class Judge:
    """Reads answers against one fact sheet; readings are cached, since every reward reads the same answer."""

    def __init__(self, sheet: FactSheet, *, cache_size: int = 8192) -> None:
        self.sheet = sheet
        self.facts = sheet.by_id()
        self._cache: dict[tuple[Any, ...], Reading] = {}
        self._cache_size = cache_size

    def read(self, answer: str, *, question: str = "", reference: str = "", fact_ids: Sequence[str] = (),
             answerable: bool = True) -> Reading:
        key = (answer, question, reference, tuple(fact_ids), answerable)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            cached = self._cache[key] = self._read(answer, question, reference, tuple(fact_ids), answerable)
        return cached

    def _read(self, answer: str, question: str, reference: str, fact_ids: tuple[str, ...],
              answerable: bool) -> Reading:
        facts = [self.facts[i] for i in fact_ids if i in self.facts]
        verdict = _verdict(answer, question, reference, fact_ids, answerable, self.sheet)
        problems = [Problem(f.type, f.claim, f.text, f.expected or "", f.start or 0, f.end or 0)
                    for f in verdict.findings if f.claim != "other"]
        made_up = any(f.type == "made_up" for f in verdict.findings)
        guesses = _guesses(answer)
        expected = expected_values(facts, reference, question)
        wrong_spans = [(p.start, p.end) for p in problems if p.claim == "number"]
        numbers = rd.data_numbers(answer, question, self.sheet.padj_threshold)
        stated = tuple(e for e in expected if any(
            matches(n, e.value, e.is_float) and not any(a <= n.start < b for a, b in wrong_spans) for n in numbers))
        d_expected, d_right, d_wrong = self._directions(answer, reference, facts)
        keys = rd.claim_keys(answer, self.sheet, question)
        return Reading(
            answerable=answerable,
            problems=tuple(problems),
            expected=expected,
            stated=stated,
            n_numbers=len(numbers),
            n_labels=len(rd.asserted_labels(answer)),
            directions_expected=d_expected,
            directions_right=d_right,
            directions_wrong=tuple(d_wrong),
            conflicts=tuple(rd.conflicts(keys)),
            n_repeated=rd.repeated_subjects(keys),
            plain_decline=verdict.declines and not (made_up or guesses or problems),
            guesses=guesses,
            confidence=rd.stated_confidence(answer),
            reference_confidence=rd.stated_confidence(reference) if reference else None,
            degenerate=rd.degenerate(answer) or _salad(answer),
            verdict_correct=verdict.correct,
            made_up=made_up,
            overlap=rd.word_f1(answer, reference) if reference else None,
        )

    def _directions(self, answer: str, reference: str, facts: list[Fact]) -> tuple[int, int, list[str]]:
        """(directions and labels the reference states, those the answer gets right, those it gets wrong)."""
        truth = _direction_truth(facts)
        labels = _label_truth(facts, reference)
        ref_dirs = {(c.side, c.direction) for c in rd.direction_claims(reference)} if reference else set()
        expected_dirs = {(side, d) for side, d in ref_dirs if truth.get(side) == d} if reference else set(
            truth.items())
        ref_labels = {(m.kind, m.value) for m in rd.asserted_labels(reference)} if reference else set(labels.items())
        expected_labels = {(k, v) for k, v in ref_labels if labels.get(k) == v}
        right: set[tuple[str, str]] = set()
        wrong: list[str] = []
        if truth:
            for claim in rd.direction_claims(answer):
                if claim.side not in truth:
                    continue
                if truth[claim.side] == claim.direction:
                    right.add((claim.side, claim.direction))
                else:
                    wrong.append(f"'{claim.text}' says {claim.direction}; the data say {truth[claim.side]}")
        for mention in rd.asserted_labels(answer):
            want = labels.get(mention.kind)
            if want is None or (mention.value == "NS" and want != "NS" and answer[mention.start:mention.end] != "NS"):
                continue
            if mention.value == want:
                right.add((mention.kind, mention.value))
            else:
                wrong.append(f"{mention.kind} {mention.value}; the data say {want}")
        expected = expected_dirs | expected_labels
        return len(expected), len(right & expected), wrong


def expected_values(facts: list[Fact], reference: str, question: str = "") -> tuple[Expected, ...]:
    """The fact values the reference states and the question does not (all counts without a reference)."""
    ref_numbers = tx.numbers(reference)
    given = tx.numbers(question)
    out = []
    for fact in facts:
        for name in NUMERIC_FIELDS:
            value = getattr(fact, name, None)
            if value is None:
                continue
            is_float = isinstance(value, float)
            stated = any(matches(n, float(value), is_float) for n in ref_numbers) if reference else name == "n_degs"
            if stated and not any(matches(n, float(value), is_float) for n in given):
                out.append(Expected(fact.id, name, float(value), is_float))
    return tuple(dict.fromkeys(out))


def _direction_truth(facts: list[Fact]) -> dict[str, str]:
    """'stress' and 'kmp' -> 'up' or 'down', when exactly one pathway shift is in play."""
    shifts = [f for f in facts if isinstance(f, PathwayShiftFact)]
    if len(shifts) != 1:
        return {}
    fact = shifts[0]
    return {"stress": "up" if fact.stress_nes > 0 else "down", "kmp": "up" if fact.kmp_nes > 0 else "down"}


def _label_truth(facts: list[Fact], reference: str) -> dict[str, str]:
    """The pattern, class and interaction type the facts (or, for interaction types, the reference) fix."""
    truth: dict[str, str] = {}
    patterns = {f.pattern for f in facts if isinstance(f, PathwayShiftFact)}
    classes = {f.response_class for f in facts if isinstance(f, TissueClassFact)}
    if len(patterns) == 1:
        truth["pattern"] = patterns.pop()
    if len(classes) == 1:
        truth["class"] = classes.pop()
    interactions = {m.value for m in rd.asserted_labels(reference) if m.kind == "interaction"}
    if len(interactions) == 1:
        truth["interaction"] = interactions.pop()
    return truth


# -- the calls into curate.judge ------------------------------------------------------------------------
def _verdict(answer: str, question: str, reference: str, fact_ids: tuple[str, ...], answerable: bool,
             sheet: FactSheet) -> Any:
    from curate.judge import judge_answer

    return judge_answer(question, answer, sheet, fact_ids=fact_ids, reference=reference or None,
                        answerable=answerable)


def _guesses(answer: str) -> bool:
    from curate.judge.declines import guess_clauses

    return bool(guess_clauses(answer))


def _salad(answer: str) -> bool:
    from curate.judge.declines import is_salad

    return bool(answer.strip()) and is_salad(answer)


def completion_text(completion: Any) -> str:
    """TRL passes a string, or (conversational) a list of messages: the assistant's content."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    if isinstance(completion, list) and completion:
        return str(completion[-1].get("content", "")) if isinstance(completion[-1], dict) else str(completion[-1])
    return ""


def prompt_question(prompt: Any) -> str:
    """The user's question from a string prompt or a list of messages."""
    if isinstance(prompt, list):
        users = [m.get("content", "") for m in prompt if isinstance(m, dict) and m.get("role") == "user"]
        return str(users[-1]) if users else ""
    return str(prompt)
