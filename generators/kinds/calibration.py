"""Calibration: answerable questions with a stated confidence, and questions the data cannot answer.

Unanswerable questions are split by subject, not only by phrasing: the test split asks about genes,
tissues, drugs and stressor combinations that no training question mentions. Each topic is a row of the
judge's answerability model (curate.judge.answerability.LIMITS): its answer states that row's reason, and
the judge classifies every question it makes as that row (tests/test_answerability.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.judge.answerability import limit
from curate.schemas import CROSS_TISSUE, DegCountFact, ExampleKind, Fact, FactSheet, KmpEffectFact, PathwayShiftFact

KIND: ExampleKind = "calibration"


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    answerable = [
        Subject(f"confidence:{f.id}", f"confidence_{f.kind}", f.tissue, (f.id,), {"fact": f})
        for f in sheet.facts
        if f.tissue in tissues and f.kind in ("deg_count", "kmp_effect", "pathway_shift")
    ]
    measured = set(sheet.tissues)
    unanswerable = [
        Subject(f"unanswerable:{topic.name}:{key}", f"unanswerable_{topic.name}", tissue, (), values,
                answerable=False, only_split=split)
        for topic in TOPICS
        for key, tissue, values, split in topic.items(tissues, measured)
    ]
    return answerable + unanswerable


# -- answerable: the value, and how much weight it bears -------------------------------------------
# What a DEG count can support, by size (0, at most 10, at most 100, more), in training's words and in the
# test split's own (its references share no sentence with training's).
_COUNT_TIERS = (0, 10, 100)
_COUNT_CONFIDENCE = {
    "train": (
        "Confidence: moderate. Zero DEGs means no effect was detected at padj < 0.05; it does not prove "
        "there is none, because a small effect can fall under the cut-off.",
        "Confidence: low that this reflects a real biological effect. A handful of genes at padj < 0.05 "
        "is close to what chance and outliers produce; treat it as essentially no effect.",
        "Confidence: moderate. The effect is detectable but small, and the exact count would move with "
        "the threshold and the replicate number.",
        "Confidence: high that the effect is real and broad. The exact count still depends on the padj < 0.05 "
        "cut-off and on statistical power, so compare orders of magnitude rather than exact numbers.",
    ),
    "test": (
        "How firm: moderate. Finding zero DEGs at padj < 0.05 means that nothing passed the cut-off, which is "
        "weaker than showing there is no effect: a small one could sit below the threshold.",
        "How firm: low, as evidence of a real biological effect. A handful of genes at padj < 0.05 is about "
        "what chance and outliers give; read it as essentially no effect.",
        "How firm: moderate. The effect is small but detectable, and the exact count would shift with the "
        "threshold and with the number of replicates.",
        "How firm: high that the effect is real and broad. The exact count still rests on the padj < 0.05 "
        "cut-off and on statistical power, so compare orders of magnitude rather than exact numbers.",
    ),
}


def _count_confidence(n: int, words: str = "train") -> str:
    tier = next((i for i, top in enumerate(_COUNT_TIERS) if n <= top), len(_COUNT_TIERS))
    return _COUNT_CONFIDENCE[words][tier]


# What a pathway pattern can support: both shifts significant, or not; training's words and the test split's.
_PATHWAY_CONFIDENCE = {
    "train": ("Confidence: high. Both shifts are significant and point in opposite directions, which is what "
              "the pattern requires.",
              "Confidence: moderate. The pattern rests partly on a shift that is not significant, and a "
              "non-significant NES cannot rule out a small effect."),
    "test": ("How firm: high. Both shifts are significant and run in opposite directions, as the pattern requires.",
             "How firm: moderate. Part of the pattern rests on a shift that is not significant, and a "
             "non-significant NES cannot rule out a small effect."),
}


def _pathway_confidence(fact: PathwayShiftFact, words: str = "train") -> str:
    both = fact.stress_significant and fact.kmp_significant
    return _PATHWAY_CONFIDENCE[words][0 if both else 1]


def _confident_answer(s: Subject) -> str:
    fact = s.values["fact"]
    if isinstance(fact, PathwayShiftFact):
        return f"{t.describe(fact)} {_pathway_confidence(fact)}"
    return f"{t.describe(fact)} {_count_confidence(fact.n_degs)}"


def _confident_answer_test(s: Subject) -> str:
    fact = s.values["fact"]
    if isinstance(fact, PathwayShiftFact):
        return f"{t.restate(fact)} {_pathway_confidence(fact, 'test')}"
    return f"{t.restate(fact)} {_count_confidence(fact.n_degs, 'test')}"


def _what(fact: Fact) -> str:
    if isinstance(fact, DegCountFact):
        return f"the number of genes {t.STRESSOR_PHRASE[fact.contrast]} changes in {fact.tissue}"
    if isinstance(fact, KmpEffectFact):
        return f"KMP's effect on {fact.tissue} {t.CONDITION_PHRASE[fact.condition]}"
    assert isinstance(fact, PathwayShiftFact)
    return f"what combined stress and KMP do to {t.pathway_name(fact.pathway)} in {fact.tissue}"


def _confidence_templates(family: str) -> list:
    return templates(KIND, family, train=[
        lambda s: Rendered(f"How sure can we be about {_what(s.values['fact'])}? Give the figure and your "
                           "confidence.", _confident_answer(s)),
        lambda s: Rendered(f"State {_what(s.values['fact'])}, and say how much weight that result can bear.",
                           _confident_answer(s)),
        lambda s: Rendered(f"What does the study report for {_what(s.values['fact'])}, and how confident are you "
                           "in it?", _confident_answer(s)),
        lambda s: Rendered(f"Answer with a confidence level: {_what(s.values['fact'])}?", _confident_answer(s)),
    ], test=[
        lambda s: Rendered(f"I need {_what(s.values['fact'])} for a grant report. What is it, and is it solid "
                           "enough to quote?", _confident_answer_test(s)),
    ])


# -- unanswerable: say plainly what the data cannot tell -------------------------------------------
UnanswerableItem = tuple[str, str, dict[str, str], Literal["train", "test"]]  # key, tissue, values, split


@dataclass(frozen=True)
class Topic:
    """Questions of one row of the answerability model (`category`), and how to decline them."""

    name: str
    category: str
    items: Callable[[Sequence[str], set[str]], list[UnanswerableItem]]
    detail: Callable[[Subject], str]  # what this question would need, after the model's reason
    train: tuple[Callable[[Subject], str], ...]
    test: Callable[[Subject], str]

    def answer(self, s: Subject) -> str:
        return f"The data cannot tell: {limit(self.category).reason}. {self.detail(s)}"


def _per_tissue(values: Sequence[str], test_values: Sequence[str],
                field: str) -> Callable[[Sequence[str], set[str]], list[UnanswerableItem]]:
    """Cross every selected tissue with values; test subjects get values no training subject has."""
    def items(tissues: Sequence[str], _measured: set[str]) -> list[UnanswerableItem]:
        made: list[UnanswerableItem] = []
        for tissue in tissues:
            made += [(f"{tissue}:{v}", tissue, {field: v, "tissue": tissue}, "train") for v in values]
            made += [(f"{tissue}:{v}", tissue, {field: v, "tissue": tissue}, "test") for v in test_values]
        return made
    return items


def _unmeasured_tissues(tissues: Sequence[str], measured: set[str]) -> list[UnanswerableItem]:
    train = [o for o in ("kidney", "lung", "spleen") if o not in measured]
    test = [o for o in ("retina", "bone marrow") if o not in measured]
    return ([(o, CROSS_TISSUE, {"other": o}, "train") for o in train]
            + [(o, CROSS_TISSUE, {"other": o}, "test") for o in test])


def _other_drugs(tissues: Sequence[str], measured: set[str]) -> list[UnanswerableItem]:
    made: list[UnanswerableItem] = []
    for tissue in tissues:
        made += [(f"{tissue}:{d}", tissue, {"drug": d, "tissue": tissue}, "train") for d in ("quercetin", "metformin")]
        made += [(f"{tissue}:resveratrol", tissue, {"drug": "resveratrol", "tissue": tissue}, "test")]
    return made


TOPICS = (
    Topic(
        "protein", "phenotype",
        _per_tissue(("Hmox1", "Nfe2l2"), ("Sod2",), "gene"),
        lambda s: (f"Transcript changes do not fix protein levels, which also depend on translation and turnover. "
                   f"Measuring {s.values['gene']} protein in {s.values['tissue']} needs western blots or proteomics "
                   "on the same groups."),
        (lambda s: f"What happens to {s.values['gene']} protein levels in {s.values['tissue']} under HU?",
         lambda s: f"Does KMP raise {s.values['gene']} protein abundance in the {s.values['tissue']}?",
         lambda s: f"How much {s.values['gene']} protein is there in irradiated {s.values['tissue']}?"),
        lambda s: (f"Based on this RNA-seq study, would you expect more {s.values['gene']} protein in stressed "
                   f"{s.values['tissue']} once KMP is given?"),
    ),
    Topic(
        "time_course", "time",
        _per_tissue(("HU", "IR"), ("HU_IR",), "stressor"),
        lambda s: (f"Following the {s.values['tissue']} response needs samples at several times, including after "
                   "reloading or recovery from radiation."),
        (lambda s: (f"Does the {s.values['tissue']} response to {t.STRESSOR_SHORT[s.values['stressor']]} persist after "
                    "the mice recover?"),
         lambda s: (f"How quickly does the {s.values['tissue']} transcriptome change after "
                    f"{t.STRESSOR_SHORT[s.values['stressor']]} begins?"),
         lambda s: (f"Is the {t.STRESSOR_SHORT[s.values['stressor']]} effect in {s.values['tissue']} transient or "
                    "lasting?")),
        lambda s: (f"Weeks after the combined unloading-plus-radiation exposure ends, would the {s.values['tissue']} "
                   "still show the same changes?"),
    ),
    Topic(
        "cell_type", "cell_type",
        _per_tissue(("HU",), ("IR",), "stressor"),
        lambda s: (f"Bulk RNA-seq averages over every cell in the {s.values['tissue']}; single-cell or sorted-cell "
                   "sequencing would be needed."),
        (lambda s: (f"Which cell type drives the {s.values['tissue']} response to "
                    f"{t.STRESSOR_SHORT[s.values['stressor']]}?"),
         lambda s: (f"Are the {t.STRESSOR_SHORT[s.values['stressor']]} DEGs in {s.values['tissue']} coming from "
                    "immune cells or from parenchymal cells?"),
         lambda s: (f"In which {s.values['tissue']} cells does {t.STRESSOR_SHORT[s.values['stressor']]} change "
                    "gene expression?")),
        lambda s: (f"Could you pin the radiation signature in the {s.values['tissue']} to a single cell "
                   "population using these results?"),
    ),
    Topic(
        "unmeasured_tissue", "tissue",
        _unmeasured_tissues,
        lambda s: f"The {s.values['other']} was not sequenced in this study, so no count can be given for it.",
        (lambda s: f"How many genes does hindlimb unloading change in the {s.values['other']}?",
         lambda s: f"Is the {s.values['other']} a Type A, B or C tissue in its response to KMP?",
         lambda s: f"Does KMP rescue oxidative phosphorylation in the {s.values['other']}?"),
        lambda s: f"What would this experiment have found in the {s.values['other']} of irradiated mice?",
    ),
    Topic(
        "other_drug", "drug",
        _other_drugs,
        lambda s: f"{s.values['drug'].capitalize()} was not in this study.",
        (lambda s: f"Would {s.values['drug']} rescue the {s.values['tissue']} response to HU+IR as KMP does?",
         lambda s: f"How many genes would {s.values['drug']} change in {s.values['tissue']} at baseline?",
         lambda s: f"Is {s.values['drug']} better than kaempferol for the {s.values['tissue']}?"),
        lambda s: (f"If a lab swapped kaempferol for {s.values['drug']}, what would the {s.values['tissue']} "
                   "results look like?"),
    ),
)


def _topic_templates(topic: Topic) -> list:
    def render(question: Callable[[Subject], str]) -> Callable[[Subject], Rendered]:
        return lambda s: Rendered(question(s), topic.answer(s))
    return templates(KIND, f"unanswerable_{topic.name}", train=[render(q) for q in topic.train],
                     test=[render(topic.test)])


TEMPLATES = (
    _confidence_templates("confidence_deg_count")
    + _confidence_templates("confidence_kmp_effect")
    + _confidence_templates("confidence_pathway_shift")
    + [template for topic in TOPICS for template in _topic_templates(topic)]
)

GENERATOR = KindGenerator(kind=KIND, version="2", subjects=subjects, templates=TEMPLATES)
