"""Interaction prediction: is combined HU+IR additive, synergistic or antagonistic, given HU and IR alone?"""

from __future__ import annotations

from collections.abc import Sequence

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.schemas import ExampleKind, FactSheet
from curate.schemas.rules import ANTAGONISM_RATIO, SYNERGY_RATIO, interaction_class

KIND: ExampleKind = "interaction_prediction"
FAMILY = "hu_ir_additivity"


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    ids = sheet.by_id()
    made = []
    for tissue in tissues:
        hu, ir, both = (ids.get(f"deg_count:{tissue}:{c}") for c in ("HU", "IR", "HU_IR"))
        if hu is None or ir is None or both is None:
            continue
        term = ids.get(f"interaction:{tissue}:HU_x_IR")
        fact_ids = tuple(f.id for f in (hu, ir, both, term) if f is not None)
        made.append(Subject(f"additivity:{tissue}", FAMILY, tissue, fact_ids,
                            {"hu": hu, "ir": ir, "both": both, "term": term}))
    return made


def _verdict(s: Subject) -> str:
    hu, ir, both = s.values["hu"].n_degs, s.values["ir"].n_degs, s.values["both"].n_degs
    return interaction_class(hu, ir, both)


def _reasoning(s: Subject) -> str:
    hu, ir, both, term = (s.values[k] for k in ("hu", "ir", "both", "term"))
    expected = hu.n_degs + ir.n_degs
    verdict = _verdict(s)
    ratio = f"{t.decimal(both.n_degs / expected, 2)}" if expected else "undefined"
    lines = [
        f"HU alone changes {t.genes(hu.n_degs)} and IR alone {t.genes(ir.n_degs)} in {hu.tissue}; if the two "
        f"simply added up, about {t.count(expected)} would be expected.",
        f"The combined exposure changes {t.genes(both.n_degs)}, a ratio of {ratio} to that sum.",
        f"By the rule used here (ratio of at least {SYNERGY_RATIO} = synergistic, at most {ANTAGONISM_RATIO} = "
        f"antagonistic, in between = additive), the combined effect is {verdict}.",
    ]
    if term is not None:
        lines.append(
            f"Counts are only a proxy, because the same gene can respond to both stressors; the formal test is "
            f"the HU×IR interaction term, significant for {t.genes(term.n_degs)} in {hu.tissue}."
        )
    return " ".join(lines)


def _reasoning_test(s: Subject) -> str:
    """The same reasoning in the test split's own words."""
    hu, ir, both, term = (s.values[k] for k in ("hu", "ir", "both", "term"))
    expected = hu.n_degs + ir.n_degs
    ratio = f"{t.decimal(both.n_degs / expected, 2)}" if expected else "undefined"
    lines = [
        f"HU by itself changes {t.genes(hu.n_degs)} and IR by itself {t.genes(ir.n_degs)} in the {hu.tissue}; "
        f"were their effects simply summed, about {t.count(expected)} would change.",
        f"Together the two exposures change {t.genes(both.n_degs)}, which is {ratio} times that sum.",
        f"With the usual cut-offs (at least {SYNERGY_RATIO} = synergistic, at most {ANTAGONISM_RATIO} = "
        f"antagonistic, in between = additive), the combined effect is {_verdict(s)}.",
    ]
    if term is not None:
        lines.append(
            f"Gene counts stand in for the real test, since one gene can answer to both stressors: the HU×IR "
            f"interaction term itself is significant for {t.genes(term.n_degs)} in the {hu.tissue}."
        )
    return " ".join(lines)


TEMPLATES = templates(KIND, FAMILY, train=[
    lambda s: Rendered(
        f"Given the effects of HU alone and IR alone in {s.tissue}, is their combined effect additive, "
        "synergistic or antagonistic?", _reasoning(s)),
    lambda s: Rendered(
        f"Predict whether combining hindlimb unloading with radiation in {s.tissue} produces more or fewer DEGs "
        "than the two stressors would add up to.", _reasoning(s)),
    lambda s: Rendered(
        f"Do HU and IR interact in {s.tissue}? Classify the combined response as additive, synergistic or "
        "antagonistic.", _reasoning(s)),
    lambda s: Rendered(
        f"In {s.tissue}, compare the combined HU+IR DEG count with the sum of the single-stressor counts. What "
        "kind of interaction is it?", _reasoning(s)),
], test=[
    lambda s: Rendered(
        f"When unloaded mice are also irradiated, does the {s.tissue} transcriptome respond beyond, in line "
        "with, or below what each exposure produces separately?", _reasoning_test(s)),
])

GENERATOR = KindGenerator(kind=KIND, version="2", subjects=subjects, templates=TEMPLATES)
