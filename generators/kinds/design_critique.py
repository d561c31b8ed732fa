"""Design critique: what the 2x2x2 factorial design can and cannot separate, grounded in a tissue's terms."""

from __future__ import annotations

from collections.abc import Sequence

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, subject_ids, templates, tissue_subjects
from curate.schemas import ExampleKind, FactSheet

KIND: ExampleKind = "design_critique"
FAMILY = "factorial_design"
CANNOT = (
    "It cannot tell how the response develops over time (one time point), how it scales with dose (one KMP "
    "dose, one radiation dose), whether the sexes differ, which cell types drive it (bulk RNA-seq), or whether "
    "protein levels follow the transcripts."
)


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    return tissue_subjects(sheet, tissues, key="design", family=FAMILY, needed=lambda tissue: {
        "hu": f"deg_count:{tissue}:HU",
        "ir": f"deg_count:{tissue}:IR",
        "hu_x_ir": f"interaction:{tissue}:HU_x_IR",
        "kmp_x_hu": f"interaction:{tissue}:KMP_x_HU",
        "kmp_x_ir": f"interaction:{tissue}:KMP_x_IR",
    })


_ids = subject_ids


def _n(s: Subject, name: str) -> str:
    return t.genes(s.values[name].n_degs)


def _separates(s: Subject) -> Rendered:
    return Rendered(
        f"What can the 2x2x2 design separate in {s.tissue}, and what can it not?",
        f"Because all eight combinations of drug, unloading and radiation were run, the design separates the "
        f"main effects of HU, IR and KMP and their two-way interactions. In {s.tissue} the HU×IR term is "
        f"significant for {_n(s, 'hu_x_ir')}, the KMP×HU term for {_n(s, 'kmp_x_hu')} and the KMP×IR term for "
        f"{_n(s, 'kmp_x_ir')}. {CANNOT}",
        fact_ids=_ids(s, "hu_x_ir", "kmp_x_hu", "kmp_x_ir"),
    )


def _reviewer(s: Subject) -> Rendered:
    return Rendered(
        f"A reviewer says the {s.tissue} data cannot tell radiation effects from unloading effects. Is that right?",
        f"No. Each stressor was also run alone, so each main effect has its own control: in {s.tissue}, HU alone "
        f"changes {_n(s, 'hu')} and IR alone {_n(s, 'ir')}. The HU×IR term then flags {_n(s, 'hu_x_ir')} whose "
        "radiation response depends on loading. What the design cannot do is say why, or whether the two "
        "stressors act through the same cells.",
        fact_ids=_ids(s, "hu", "ir", "hu_x_ir"),
    )


def _kmp_additive(s: Subject) -> Rendered:
    n = s.values["kmp_x_hu"].n_degs
    verdict = (f"for {t.genes(n)} in {s.tissue} it is significant, so there KMP's effect is not simply added to "
               "the unloading effect" if n else
               f"in {s.tissue} no gene reaches significance, so the data give no evidence against simple addition")
    return Rendered(
        f"Could KMP's effect in unloaded {s.tissue} simply be its baseline effect added to the unloading effect? "
        "How does the design test this?",
        f"The KMP×HU interaction term tests exactly that: it asks whether KMP's effect differs between loaded and "
        f"unloaded mice. {t.cap(verdict)}. A non-significant term is not proof of additivity, only an absence "
        "of evidence at this sample size.",
        fact_ids=_ids(s, "kmp_x_hu"),
    )


def _counts_limit(s: Subject) -> Rendered:
    return Rendered(
        f"What is the main limitation of using DEG counts to compare stressors in {s.tissue}?",
        f"A count depends on power and on the padj < 0.05 cut-off, and says nothing about effect sizes or which "
        f"genes overlap. That HU changes {_n(s, 'hu')} and IR {_n(s, 'ir')} in {s.tissue} ranks their reach, not "
        f"their strength per gene. To ask whether the stressors interact, use the HU×IR term ({_n(s, 'hu_x_ir')}) "
        "rather than comparing counts.",
        fact_ids=_ids(s, "hu", "ir", "hu_x_ir"),
    )


def _radiation_questions(s: Subject) -> Rendered:
    return Rendered(
        f"Which questions about KMP and radiation in the {s.tissue} can this factorial experiment answer, and "
        "which would need a different experiment?",
        f"It can answer whether KMP's effect depends on radiation: the KMP×IR term is significant for "
        f"{_n(s, 'kmp_x_ir')} in {s.tissue}. {CANNOT} Those need a time course, a dose series, both sexes, "
        "single-cell or sorted-cell data, and proteomics.",
        fact_ids=_ids(s, "kmp_x_ir"),
    )


TEMPLATES = templates(KIND, FAMILY, train=[_separates, _reviewer, _kmp_additive, _counts_limit],
                      test=[_radiation_questions])

GENERATOR = KindGenerator(kind=KIND, version="1", subjects=subjects, templates=TEMPLATES)
