"""Reward functions from the judge: one per verifier, each a plain callable in TRL's `reward_funcs` shape.

`reward(prompts=..., completions=..., **columns)` returns one float in [-1, 1] per completion, or
None where the verifier does not apply. The columns it reads (all optional) are the prompts
dataset's: `reference` (the expected answer), `fact_ids`, `answerable`. Every verifier reads the
answer through `train.judging.Judge`, never through a substring:

- factual (applies when the reference states fact values, or the answer states numbers): +1 for every
  value the reference states, bound to the right fact, and nothing wrong; the share stated when some
  are missing; below 0 (the share wrong) as soon as a number is wrong or unsupported; -1 for any
  number stated about an unanswerable question.
- direction (the reference states a direction per side, a pattern, a class or an interaction type):
  +1 when all are right, the share stated when some are missing, below 0 when any is wrong; up and
  down swapped around the right numbers are wrong.
- consistency (the answer states one subject more than once): +1 when it always gives the same
  value, -1 when it gives two ("4,110" genes, then "4,100"). It says nothing about truth.
- calibration (the question is unanswerable, or the answer states a confidence or declines): +1 for
  a plain decline of an unanswerable question, -0.5 for a hedged guess, -1 for a confident one, -0.5
  for declining an answerable question; else 1 - 2 (p - target)^2 for a stated confidence p.

Factual and direction give partial credit (the share of expected values stated) when nothing is
wrong, and a text that loops ("liver liver 4,110 4,110") gets -1 from any verifier that applies.
The calibration target is 0 for a wrong answer and, for a right one, the confidence the reference
states (the study's calibration questions weigh the evidence) or 1. Correctness never reads the
stated confidence.

`ComposedReward` is the weighted mean of the verifiers that apply (weights from the config); when
none applies (free text: a design critique, a counterfactual) it is +1 for an answer the judge finds
correct that shares at least CONTENT_F1 of its words with the reference, and -1 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError
from curate.train.judging import Judge, Reading, completion_text, prompt_question

if TYPE_CHECKING:
    from curate.schemas import FactSheet

REWARD_NAMES = ("factual", "direction", "consistency", "calibration")
CONTENT_F1 = 0.6  # word F1 with the reference a free-text answer needs when no verifier applies
DEFAULT_WEIGHTS: dict[str, float] = {"factual": 1.0, "direction": 1.0, "consistency": 0.5, "calibration": 1.0}
HEDGED_GUESS = -0.5


def factual_score(r: Reading) -> float | None:
    if not r.answerable:
        return -1.0 if (r.n_numbers or r.number_problems) else None
    if not (r.expected or r.n_numbers or r.number_problems):
        return None
    if r.degenerate:
        return -1.0
    wrong, right = len(r.number_problems), len(r.stated)
    if wrong:
        return -wrong / (wrong + right)
    return right / len(r.expected) if r.expected else None


def direction_score(r: Reading) -> float | None:
    wrong = len(r.directions_wrong) + len(r.label_problems)
    right = r.directions_right
    if not (wrong or r.directions_expected):
        return None
    if r.degenerate:
        return -1.0
    if wrong:
        return -wrong / (wrong + right)
    return right / r.directions_expected


def consistency_score(r: Reading) -> float | None:
    if r.conflicts or (r.degenerate and r.n_repeated):
        return -1.0
    return 1.0 if r.n_repeated else None


def calibration_score(r: Reading) -> float | None:
    if not r.answerable:
        if r.plain_decline and not r.degenerate:
            return 1.0
        if r.degenerate:
            return -1.0
        hedged = r.guesses or (r.confidence is not None and r.confidence <= 0.5)
        return HEDGED_GUESS if hedged or not r.states_claims else -1.0
    if r.plain_decline:
        return HEDGED_GUESS  # declines what the data can answer
    if r.confidence is None:
        return None
    target = (r.reference_confidence or 1.0) if r.correct else 0.0
    return 1.0 - 2.0 * (r.confidence - target) ** 2


SCORES: dict[str, Callable[[Reading], float | None]] = {
    "factual": factual_score, "direction": direction_score, "consistency": consistency_score,
    "calibration": calibration_score,
}


def read_batch(judge: Judge, prompts: Sequence[Any], completions: Sequence[Any],
               columns: Mapping[str, Any]) -> list[Reading]:
    """One Reading per completion, with the dataset's columns (TRL repeats them per generation)."""
    n = len(completions)
    references = _column(columns, "reference", n, "")
    fact_ids = _column(columns, "fact_ids", n, ())
    answerable = _column(columns, "answerable", n, True)
    return [judge.read(completion_text(completion), question=prompt_question(prompt), reference=str(ref or ""),
                       fact_ids=tuple(ids or ()), answerable=bool(ok))
            for prompt, completion, ref, ids, ok in zip(prompts, completions, references, fact_ids, answerable,
                                                         strict=True)]


def _column(columns: Mapping[str, Any], name: str, n: int, default: Any) -> list[Any]:
    values = columns.get(name)
    return [default] * n if values is None else list(values)


class Reward:
    """One verifier as a TRL reward function (TRL names it by `__name__`)."""

    def __init__(self, name: str, judge: Judge) -> None:
        self.__name__ = name
        self.judge = judge
        self.score = SCORES[name]

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        return [self.score(r) for r in read_batch(self.judge, prompts, completions, columns)]


class ComposedReward:
    """The weighted mean of the verifiers that apply; logs each verifier's batch mean through TRL's `log_metric`."""

    __name__ = "judge"

    def __init__(self, judge: Judge, weights: Mapping[str, float]) -> None:
        self.judge = judge
        self.weights = dict(weights)

    def scores(self, readings: Sequence[Reading]) -> list[dict[str, float | None]]:
        return [{name: SCORES[name](r) for name in self.weights} for r in readings]

    def combine(self, reading: Reading, parts: Mapping[str, float | None]) -> float:
        applicable = [(self.weights[name], value) for name, value in parts.items() if value is not None]
        total = sum(weight for weight, _ in applicable)
        if not applicable or total <= 0:
            similar = reading.overlap is None or reading.overlap >= CONTENT_F1
            return 1.0 if reading.correct and similar else -1.0
        return sum(weight * value for weight, value in applicable) / total

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float | None]:
        readings = read_batch(self.judge, prompts, completions, columns)
        parts = self.scores(readings)
        log_metric = columns.get("log_metric")
        if callable(log_metric):
            for name in self.weights:
                values = [value for p in parts if (value := p[name]) is not None]
                if values:
                    log_metric(f"verifier/{name}", sum(values) / len(values))
            log_metric("verifier/correct", sum(1.0 for r in readings if r.correct) / max(1, len(readings)))
        return [self.combine(r, p) for r, p in zip(readings, parts, strict=True)]


def check_weights(weights: Mapping[str, float], *, source: str = "reward_weights") -> dict[str, float]:
    """Known names only, non-negative weights, at least one above zero."""
    unknown = [name for name in weights if name not in SCORES]
    if unknown:
        raise BadInputError(f"{source}: reward {unknown[0]!r} does not exist; the rewards are: "
                            f"{', '.join(REWARD_NAMES)}")
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise BadInputError(f"{source}: weights must be 0 or more, and at least one above 0 (got {dict(weights)})")
    return dict(weights)


def select(names: str | None, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """`--rewards factual,calibration` (default: all) with their weights from the config."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    chosen = [n.strip() for n in names.split(",") if n.strip()] if names else list(weights)
    check_weights({name: 1.0 for name in chosen}, source="--rewards")
    return check_weights({name: weights.get(name, DEFAULT_WEIGHTS[name]) for name in chosen})


def reward_functions(sheet: FactSheet, names: Sequence[str] = REWARD_NAMES) -> list[Reward]:
    """The verifiers as separate TRL reward functions, sharing one judge (and its cache)."""
    check_weights({name: 1.0 for name in names}, source="--rewards")
    judge = Judge(sheet)
    return [Reward(name, judge) for name in names]


def composed_reward(sheet: FactSheet, weights: Mapping[str, float] | None = None) -> ComposedReward:
    return ComposedReward(Judge(sheet), check_weights(weights or DEFAULT_WEIGHTS))
