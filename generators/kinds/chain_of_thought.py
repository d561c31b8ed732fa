"""Chain-of-thought: the reasoning written out, with every derived number computed by code."""

from __future__ import annotations

from collections.abc import Sequence

from curate.generators import text as t
from curate.generators.derive import fold
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.schemas import DegCountFact, ExampleKind, FactSheet, KmpEffectFact, PathwayShiftFact, TissueClassFact
from curate.schemas.rules import BALANCED_HIGH, BALANCED_LOW, direction_bias, response_class, share

KIND: ExampleKind = "chain_of_thought"


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    made: list[Subject] = []
    for tissue in tissues:
        made += [
            Subject(f"split:{f.id}", "direction_split", tissue, (f.id,), {"fact": f})
            for f in sheet.of_type(DegCountFact, tissue)
            if f.n_up is not None
        ]
        made += _kmp_shift(sheet, tissue)
        made += [
            Subject(f"nes:{f.id}", "pathway_reasoning", tissue, (f.id,), {"fact": f})
            for f in sheet.of_type(PathwayShiftFact, tissue)
        ]
    return made


def _kmp_shift(sheet: FactSheet, tissue: str) -> list[Subject]:
    baseline = sheet.get(f"kmp_effect:{tissue}:baseline", KmpEffectFact)
    stressed = sheet.get(f"kmp_effect:{tissue}:HU_IR", KmpEffectFact)
    klass = sheet.get(f"tissue_class:{tissue}", TissueClassFact)
    if baseline is None or stressed is None or klass is None:
        return []
    largest_stressor = max((f.n_degs for f in sheet.of_type(DegCountFact, tissue)), default=0)
    if response_class(baseline.n_degs, stressed.n_degs, largest_stressor) != klass.response_class:
        return []  # the counts alone do not explain the published class: no reasoning we could show
    return [Subject(f"kmpshift:{tissue}", "kmp_shift", tissue, (baseline.id, stressed.id, klass.id),
                    {"baseline": baseline, "stressed": stressed, "klass": klass})]


# -- direction split -------------------------------------------------------------------------------
def _split_steps(s: Subject) -> str:
    f = s.values["fact"]
    up, down = share(f.n_up, f.n_degs), share(f.n_down, f.n_degs)
    bias = direction_bias(f.n_up, f.n_down)
    verdict = {
        "up": "more genes go up than down",
        "down": "more genes go down than up",
        "balanced": f"the response is balanced (between {BALANCED_LOW:.0f}% and {BALANCED_HIGH:.0f}% up)",
    }[bias]
    return (
        f"1. {t.cap(t.STRESSOR_PHRASE[f.contrast])} changes {t.genes(f.n_degs)} in {f.tissue}.\n"
        f"2. Of these, {t.count(f.n_up)} are up and {t.count(f.n_down)} are down.\n"
        f"3. Share up: {t.count(f.n_up)} / {t.count(f.n_degs)} = {t.percent(up)}; share down: {t.percent(down)}.\n"
        f"4. Ratio up to down: {t.count(f.n_up)} / {t.count(f.n_down)} = {t.decimal(f.n_up / f.n_down, 2)}.\n"
        f"Answer: {t.percent(up)} of the DEGs are up-regulated, so {verdict}."
    )


def _split_steps_test(s: Subject) -> str:
    """The same arithmetic, in the test split's own words."""
    f = s.values["fact"]
    up, down = share(f.n_up, f.n_degs), share(f.n_down, f.n_degs)
    verdict = {
        "up": "up outnumbers down",
        "down": "down outnumbers up",
        "balanced": f"up and down are balanced (between {BALANCED_LOW:.0f}% and {BALANCED_HIGH:.0f}% up)",
    }[direction_bias(f.n_up, f.n_down)]
    return (
        f"1. With {t.STRESSOR_PHRASE[f.contrast]}, {t.genes(f.n_degs)} change in the {f.tissue}.\n"
        f"2. {t.count(f.n_up)} of them are up and {t.count(f.n_down)} are down.\n"
        f"3. Up share {t.count(f.n_up)} / {t.count(f.n_degs)} = {t.percent(up)}, down share "
        f"{t.percent(down)}.\n"
        f"4. Up to down {t.count(f.n_up)} / {t.count(f.n_down)} = {t.decimal(f.n_up / f.n_down, 2)}.\n"
        f"So {verdict}: {t.percent(up)} of the DEGs are up-regulated."
    )


SPLIT = templates(KIND, "direction_split", train=[
    lambda s: Rendered(
        f"What share of the {t.STRESSOR_SHORT[s.values['fact'].contrast]} DEGs in {s.tissue} are "
        "up-regulated, and is the response biased up or down? Reason step by step.", _split_steps(s)),
    lambda s: Rendered(
        f"Work out the up/down balance of the {s.tissue} response to {t.STRESSOR_PHRASE[s.values['fact'].contrast]}.",
        _split_steps(s)),
    lambda s: Rendered(
        f"Is the {s.tissue} transcriptome mostly induced or mostly repressed by "
        f"{t.STRESSOR_PHRASE[s.values['fact'].contrast]}? Show the arithmetic.", _split_steps(s)),
    lambda s: Rendered(
        f"Compute the ratio of up- to down-regulated genes for {t.STRESSOR_SHORT[s.values['fact'].contrast]} "
        f"in {s.tissue}, explaining each step.", _split_steps(s)),
], test=[
    lambda s: Rendered(
        f"Think it through: after {t.STRESSOR_PHRASE[s.values['fact'].contrast]}, do {s.tissue} genes tend to "
        "be switched on or off, and by what proportion?", _split_steps_test(s)),
])


# -- KMP effect from baseline to combined stress -----------------------------------------------
def _shift_steps(s: Subject) -> str:
    b, h, k = s.values["baseline"], s.values["stressed"], s.values["klass"]
    ratio = fold(h.n_degs, b.n_degs)
    if ratio is None:
        change = f"KMP goes from no effect at baseline to {t.genes(h.n_degs)} under stress"
    elif ratio >= 1:
        change = f"{t.count(h.n_degs)} / {t.count(b.n_degs)} = {t.times(ratio)}-fold more genes under stress"
    else:
        drop = 100.0 * (b.n_degs - h.n_degs) / b.n_degs
        change = (f"the effect shrinks from {t.count(b.n_degs)} to {t.count(h.n_degs)} genes, "
                  f"a {t.percent(drop)} drop")
    return (
        f"1. At baseline, KMP changes {t.genes(b.n_degs)} in {k.tissue}.\n"
        f"2. Under combined HU+IR, KMP changes {t.genes(h.n_degs)}.\n"
        f"3. So {change}.\n"
        f"4. {t.cap(t.CLASS_MEANING[k.response_class])} is the signature of a {k.label} tissue.\n"
        f"Answer: {k.tissue} is Type {k.response_class} ({k.label})."
    )


def _shift_steps_test(s: Subject) -> str:
    """The same reasoning, in the test split's own words."""
    b, h, k = s.values["baseline"], s.values["stressed"], s.values["klass"]
    ratio = fold(h.n_degs, b.n_degs)
    if ratio is None:
        change = f"KMP goes from no effect at baseline to {t.genes(h.n_degs)} under stress"  # as in training: the
        # scorer reads "no effect ... N genes" one way only
    elif ratio >= 1:
        change = f"stress multiplies the effect: {t.count(h.n_degs)} / {t.count(b.n_degs)} = {t.times(ratio)}-fold"
    else:
        drop = 100.0 * (b.n_degs - h.n_degs) / b.n_degs
        change = f"the effect falls from {t.count(b.n_degs)} to {t.count(h.n_degs)} genes, a {t.percent(drop)} fall"
    return (
        f"1. In the unstressed {k.tissue}, KMP moves {t.genes(b.n_degs)}.\n"
        f"2. Under combined HU+IR it moves {t.genes(h.n_degs)}.\n"
        f"3. {t.cap(change)}.\n"
        f"4. A {k.label} tissue is defined by exactly this: {t.CLASS_MEANING[k.response_class]}.\n"
        f"So the {k.tissue} is Type {k.response_class} ({k.label})."
    )


SHIFT = templates(KIND, "kmp_shift", train=[
    lambda s: Rendered(
        f"How does KMP's effect in {s.tissue} change from baseline to combined stress, and what class does "
        "that make the tissue? Reason step by step.", _shift_steps(s)),
    lambda s: Rendered(
        f"Using the KMP DEG counts at baseline and under HU+IR, derive the response type of {s.tissue}.",
        _shift_steps(s)),
    lambda s: Rendered(
        f"Explain, with numbers, why {s.tissue} gets the response class it does.", _shift_steps(s)),
    lambda s: Rendered(
        f"Does stress amplify or dampen kaempferol's transcriptional effect in {s.tissue}? Walk through it.",
        _shift_steps(s)),
], test=[
    lambda s: Rendered(
        f"Starting from how many genes KMP moves in unstressed {s.tissue} versus unloaded-and-irradiated "
        f"{s.tissue}, reason your way to its Type A/B/C label.", _shift_steps_test(s)),
])


# -- pathway NES reasoning -------------------------------------------------------------------------
def _pathway_steps(s: Subject) -> str:
    f = s.values["fact"]
    stress_dir = "lower" if f.stress_nes < 0 else "higher"
    kmp_dir = "lower" if f.kmp_nes < 0 else "higher"
    stress_line = (f"Under combined stress the NES is {t.nes(f.stress_nes)}: the pathway is {stress_dir}."
                   if f.stress_significant else
                   f"Under combined stress the NES is {t.nes(f.stress_nes)}, which is not significant: "
                   "stress does not shift the pathway.")
    kmp_line = (f"With KMP the NES is {t.nes(f.kmp_nes)}: the pathway is {kmp_dir}."
                if f.kmp_significant else f"With KMP the NES is {t.nes(f.kmp_nes)}, which is not significant.")
    return (
        f"1. {stress_line}\n"
        f"2. {kmp_line}\n"
        f"3. The shift from stress to KMP is {t.nes(f.kmp_nes)} - ({t.nes(f.stress_nes)}) = "
        f"{t.nes(round(f.kmp_nes - f.stress_nes, 3))} NES units.\n"
        f"4. That is the {f.pattern} pattern: {t.PATTERN_MEANING[f.pattern]}.\n"
        f"Answer: {t.pathway_name(f.pathway)} in {f.tissue} follows a {f.pattern} pattern."
    )


def _pathway_steps_test(s: Subject) -> str:
    """The same reasoning, in the test split's own words."""
    f = s.values["fact"]
    stress_move = "drops" if f.stress_nes < 0 else "rises"
    kmp_move = "drops" if f.kmp_nes < 0 else "rises"
    stress_line = (f"combined stress gives NES {t.nes(f.stress_nes)}, so the pathway {stress_move}."
                   if f.stress_significant else
                   f"combined stress gives NES {t.nes(f.stress_nes)}, which is not significant: no shift from stress.")
    kmp_line = (f"KMP gives NES {t.nes(f.kmp_nes)}, so the pathway {kmp_move}." if f.kmp_significant else
                f"KMP gives NES {t.nes(f.kmp_nes)}, which is not significant.")
    return (
        f"1. {t.cap(stress_line)}\n"
        f"2. {kmp_line}\n"
        f"3. KMP minus stress is {t.nes(f.kmp_nes)} - ({t.nes(f.stress_nes)}) = "
        f"{t.nes(round(f.kmp_nes - f.stress_nes, 3))} NES units.\n"
        f"4. A {f.pattern} pattern means that {t.PATTERN_MEANING[f.pattern]}.\n"
        f"So, in the {f.tissue}, {t.pathway_name(f.pathway)} shows a {f.pattern} pattern."
    )


PATHWAY = templates(KIND, "pathway_reasoning", train=[
    lambda s: Rendered(
        f"Under combined stress, {s.values['fact'].pathway} in {s.tissue} has NES "
        f"{t.nes(s.values['fact'].stress_nes)}; with KMP it is {t.nes(s.values['fact'].kmp_nes)}. Walk through "
        "what that means.", _pathway_steps(s)),
    lambda s: Rendered(
        f"Reason step by step: what pattern does {t.pathway_name(s.values['fact'].pathway)} follow in "
        f"{s.tissue}?", _pathway_steps(s)),
    lambda s: Rendered(
        f"How far does KMP move {t.pathway_name(s.values['fact'].pathway)} in {s.tissue} relative to the "
        "stressed state? Show the calculation.", _pathway_steps(s)),
    lambda s: Rendered(
        f"From the two NES values for {s.values['fact'].pathway} in {s.tissue}, infer the pathway pattern.",
        _pathway_steps(s)),
], test=[
    lambda s: Rendered(
        f"Explain, one step at a time, whether kaempferol counteracts what HU+IR does to the "
        f"{t.pathway_name(s.values['fact'].pathway)} gene set in {s.tissue}.", _pathway_steps_test(s)),
])

GENERATOR = KindGenerator(kind=KIND, version="2", subjects=subjects, templates=SPLIT + SHIFT + PATHWAY)
