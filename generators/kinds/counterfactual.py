"""Counterfactuals: what the data say would differ had the experiment been run another way."""

from __future__ import annotations

from collections.abc import Sequence

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, subject_ids, templates, tissue_subjects
from curate.schemas import ExampleKind, FactSheet

KIND: ExampleKind = "counterfactual"
FAMILY = "what_if"


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    return tissue_subjects(sheet, tissues, key="whatif", family=FAMILY, needed=lambda tissue: {
        "hu": f"deg_count:{tissue}:HU",
        "ir": f"deg_count:{tissue}:IR",
        "both": f"deg_count:{tissue}:HU_IR",
        "kmp_base": f"kmp_effect:{tissue}:baseline",
        "kmp_both": f"kmp_effect:{tissue}:HU_IR",
    })


_ids = subject_ids


def _n(s: Subject, name: str) -> int:
    return int(s.values[name].n_degs)


def _additive(s: Subject) -> Rendered:
    expected = _n(s, "hu") + _n(s, "ir")
    observed = _n(s, "both")
    relation = "more" if observed > expected else "fewer" if observed < expected else "exactly as many"
    return Rendered(
        f"If HU and IR acted independently and their effects simply added up in {s.tissue}, how many DEGs would "
        "the combined exposure give, and what was observed?",
        f"Simple addition predicts {t.count(_n(s, 'hu'))} + {t.count(_n(s, 'ir'))} = {t.count(expected)} DEGs. "
        f"The combined exposure changed {t.genes(observed)}, {t.count(abs(observed - expected))} {relation} than "
        "that. Overlapping gene sets alone would push the count below the sum, so a count above it points to "
        "genuine interaction." if observed != expected else
        f"Simple addition predicts {t.count(expected)} DEGs, exactly the number observed.",
        fact_ids=_ids(s, "hu", "ir", "both"),
    )


def _baseline_only(s: Subject) -> Rendered:
    base, both = _n(s, "kmp_base"), _n(s, "kmp_both")
    missed = ("would have missed most of KMP's action, which appears under stress"
              if both > base else "would have overstated what KMP does in stressed animals")
    return Rendered(
        f"Suppose the study had tested KMP only in unstressed mice. What would it have concluded about {s.tissue}, "
        "and what would it have missed?",
        f"It would have seen KMP change {t.genes(base)} in {s.tissue}. Under combined HU+IR the KMP effect is "
        f"{t.genes(both)}, so a baseline-only study {missed}.",
        fact_ids=_ids(s, "kmp_base", "kmp_both"),
    )


def _change_without(s: Subject, remaining: str) -> str:
    """How the DEG count moves when only the `remaining` stressor is left of the combined exposure."""
    diff = _n(s, "both") - _n(s, remaining)
    return f"{t.count(abs(diff))} {'fewer' if diff > 0 else 'more'} DEGs" if diff else "the same number of DEGs"


def _drop_ir(s: Subject) -> Rendered:
    return Rendered(
        f"If the irradiation were left out of the combined exposure, how would the {s.tissue} DEG count change?",
        f"Without IR the mice would be unloaded only: {t.genes(_n(s, 'hu'))} instead of {t.count(_n(s, 'both'))} "
        f"under HU+IR, that is {_change_without(s, 'hu')}.",
        fact_ids=_ids(s, "hu", "both"),
    )


def _drop_hu(s: Subject) -> Rendered:
    return Rendered(
        f"Had the mice been irradiated but not unloaded, how many DEGs would {s.tissue} show compared with the "
        "combined exposure?",
        f"Radiation alone changes {t.genes(_n(s, 'ir'))} in {s.tissue}, against {t.count(_n(s, 'both'))} under "
        f"HU+IR: {_change_without(s, 'ir')}.",
        fact_ids=_ids(s, "ir", "both"),
    )


def _no_kmp(s: Subject) -> Rendered:
    return Rendered(
        f"Imagine the unloaded, irradiated mice had received only vehicle. Which part of the {s.tissue} "
        "transcriptome picture would vanish?",
        f"The KMP-dependent part: under combined HU+IR, KMP changes {t.genes(_n(s, 'kmp_both'))} in {s.tissue} "
        f"relative to vehicle. The stress response itself ({t.genes(_n(s, 'both'))} against control) would "
        "remain.",
        fact_ids=_ids(s, "kmp_both", "both"),
    )


TEMPLATES = templates(KIND, FAMILY, train=[_additive, _baseline_only, _drop_ir, _drop_hu], test=[_no_kmp])

GENERATOR = KindGenerator(kind=KIND, version="1", subjects=subjects, templates=TEMPLATES)
