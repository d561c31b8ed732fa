"""Error correction: a plausible wrong claim in the question, and the correction in the answer.

Wrong claims are made the way people make them: a figure from the neighbouring contrast, a flipped
direction, the wrong class or pattern. The answer states the true fact and where the wrong figure came
from, without repeating the wrong figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.schemas import (
    RESPONSE_CLASS_LABELS,
    DegCountFact,
    ExampleKind,
    Fact,
    FactSheet,
    InteractionFact,
    KmpEffectFact,
    PathwayShiftFact,
    TissueClassFact,
)

KIND: ExampleKind = "error_correction"
FAMILY = "wrong_claim"


@dataclass(frozen=True)
class WrongClaim:
    train_text: str  # the claim as written in training questions
    test_text: str  # the same wrong claim, worded differently for the test split
    why: str  # where the error comes from, without the wrong value


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    made = []
    for fact in sheet.facts:
        if fact.tissue not in tissues:
            continue
        claims = wrong_claims(fact, sheet)
        if claims:
            made.append(Subject(f"wrong:{fact.id}", FAMILY, fact.tissue, (fact.id,),
                                {"fact": fact, "claims": claims}))
    return made


def wrong_claims(fact: Fact, sheet: FactSheet) -> list[WrongClaim]:
    match fact:
        case DegCountFact():
            return _deg_claims(fact, sheet)
        case KmpEffectFact():
            return _kmp_claims(fact, sheet)
        case InteractionFact():
            return _interaction_claims(fact, sheet)
        case TissueClassFact():
            return _class_claims(fact)
        case PathwayShiftFact():
            return _pathway_claims(fact)
        case _:
            return []


CountFact = TypeVar("CountFact", DegCountFact, KmpEffectFact, InteractionFact)


def _swaps(fact: CountFact, sheet: FactSheet, key: str, label: Callable[[CountFact], str]) -> list[tuple[int, str]]:
    """Counts of sibling facts (same tissue, other contrast; then same contrast, other tissue) that differ."""
    same_tissue = [(f.n_degs, f"the {label(f)} in {f.tissue}") for f in sheet.of_type(type(fact), tissue=fact.tissue)
                   if getattr(f, key) != getattr(fact, key)]
    same_contrast = [(f.n_degs, f"the {f.tissue} count for the same comparison") for f in sheet.of_type(type(fact))
                     if f.tissue != fact.tissue and getattr(f, key) == getattr(fact, key)]
    return [(n, why) for n, why in same_tissue + same_contrast if n != fact.n_degs]


def _deg_claims(fact: DegCountFact, sheet: FactSheet) -> list[WrongClaim]:
    phrase = t.STRESSOR_PHRASE[fact.contrast]
    return [
        WrongClaim(f"In {fact.tissue}, {phrase} changes {t.count(n)} genes.",
                   f"{t.cap(fact.tissue)} samples showed {t.count(n)} differentially expressed transcripts "
                   f"after {phrase}.",
                   f"The figure in the claim is {why}.")
        for n, why in _swaps(fact, sheet, "contrast", lambda f: f"{t.STRESSOR_SHORT[f.contrast]} count")
    ]


def _kmp_claims(fact: KmpEffectFact, sheet: FactSheet) -> list[WrongClaim]:
    where = t.CONDITION_PHRASE[fact.condition]
    return [
        WrongClaim(f"KMP alters {t.count(n)} genes in {fact.tissue} {where}.",
                   f"Kaempferol shifted the expression of {t.count(n)} {fact.tissue} genes {where}, versus vehicle.",
                   f"The figure in the claim is {why}.")
        for n, why in _swaps(fact, sheet, "condition", lambda f: f"KMP count {t.CONDITION_PHRASE[f.condition]}")
    ]


def _interaction_claims(fact: InteractionFact, sheet: FactSheet) -> list[WrongClaim]:
    term = t.TERM_PHRASE[fact.term]
    return [
        WrongClaim(f"The {term} term is significant for {t.count(n)} genes in {fact.tissue}.",
                   f"Only {t.count(n)} {fact.tissue} genes carry a significant {fact.term} coefficient.",
                   f"The figure in the claim is {why}.")
        for n, why in _swaps(fact, sheet, "term", lambda f: f"{f.term} count")
    ]


def _class_claims(fact: TissueClassFact) -> list[WrongClaim]:
    return [
        WrongClaim(f"{t.cap(fact.tissue)} is a {label} tissue in its response to KMP.",
                   f"The KMP response of the {fact.tissue} should be classed as Type {wrong}.",
                   "The claim assigns the wrong response class.")
        for wrong, label in RESPONSE_CLASS_LABELS.items()
        if wrong != fact.response_class
    ]


def _pathway_claims(fact: PathwayShiftFact) -> list[WrongClaim]:
    name = t.pathway_name(fact.pathway)
    kmp_wrong = "lowers" if fact.kmp_nes > 0 else "raises"
    claims = [WrongClaim(f"In {fact.tissue}, KMP {kmp_wrong} {name}.",
                         f"Kaempferol treatment {kmp_wrong} the "
                         f"{fact.pathway} gene set in the {fact.tissue}, according to GSEA.",
                         "The claim gets the direction of the KMP shift backwards.")]
    if fact.stress_significant:
        stress_wrong = "suppresses" if fact.stress_nes > 0 else "activates"
        claims.append(WrongClaim(f"Combined HU+IR {stress_wrong} {name} in {fact.tissue}.",
                                 f"Under unloading plus radiation, the {fact.tissue} shows {fact.pathway} "
                                 f"{'suppressed' if fact.stress_nes > 0 else 'activated'}.",
                                 "The claim gets the direction of the stress shift backwards."))
    else:
        claims.append(WrongClaim(f"Combined HU+IR significantly shifts {name} in {fact.tissue}.",
                                 f"Unloading plus radiation clearly moves the {fact.pathway} gene set in the "
                                 f"{fact.tissue}.",
                                 "The claim treats a non-significant stress shift as real."))
    return claims



def _claim(s: Subject, index: int) -> WrongClaim:
    claims: list[WrongClaim] = s.values["claims"]
    return claims[index % len(claims)]


def _correction(claim: WrongClaim, s: Subject, opener: str) -> str:
    return f"{opener} {t.describe(s.values['fact'])} {claim.why}"


def _frame(index: int, question: Callable[[str], str], opener: str) -> Callable[[Subject], Rendered]:
    def render(s: Subject) -> Rendered:
        claim = _claim(s, index)
        return Rendered(question(claim.train_text), _correction(claim, s, opener))
    return render


# Each `why` of the wrong claims above, as the test split says it.
TEST_WHY = {
    "The claim assigns the wrong response class.": "The line puts the tissue in the wrong response class.",
    "The claim gets the direction of the KMP shift backwards.": "The line reverses the direction of the KMP shift.",
    "The claim gets the direction of the stress shift backwards.":
        "The line reverses the direction of the stress shift.",
    "The claim treats a non-significant stress shift as real.":
        "The line reads a stress shift that is not significant as a real one.",
}


def _test_why(why: str) -> str:
    prefix = "The figure in the claim is "
    if why.startswith(prefix):
        return f"The quoted number belongs to {why.removeprefix(prefix)}"
    return TEST_WHY.get(why, why)


def _test_frame(s: Subject) -> Rendered:
    """The wrong claim in other words, and the correction in the test split's own words."""
    claim = _claim(s, len(s.values["claims"]) - 1)
    return Rendered(
        f"Spot the error, if any, in this line from a lab summary, and give the right result: «{claim.test_text}»",
        f"That line is mistaken. {t.restate(s.values['fact'])} {_test_why(claim.why)}",
    )


TEMPLATES = templates(KIND, FAMILY, train=[
    _frame(0, lambda c: f'Is this statement correct? "{c}"', "No."),
    _frame(1, lambda c: f'A colleague wrote: "{c}" Check it against the study\'s results.', "That is not right."),
    _frame(2, lambda c: f"Fact-check this claim about the KMP study: {c}", "The claim is wrong."),
    _frame(3, lambda c: f'Review this sentence from a draft and correct it if needed: "{c}"', "It needs correcting."),
], test=[_test_frame])

GENERATOR = KindGenerator(kind=KIND, version="2", subjects=subjects, templates=TEMPLATES)
