"""Factual Q&A: one fact, asked plainly, answered with its value and what it means."""

from __future__ import annotations

from collections.abc import Sequence

from curate.generators import text as t
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.schemas import ExampleKind, FactSheet

KIND: ExampleKind = "factual_qa"


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    return [
        Subject(key=fact.id, family=fact.kind, tissue=fact.tissue, fact_ids=(fact.id,), values={"fact": fact})
        for fact in sheet.facts
        if fact.tissue in tissues
    ]


def _deg_split(s: Subject) -> str:
    f = s.values["fact"]
    if f.n_up is None:
        return f"{t.genes(f.n_degs)} change (the source gives no up/down split)."
    return f"{t.count(f.n_up)} genes go up and {t.count(f.n_down)} go down, {t.count(f.n_degs)} in total (padj < 0.05)."


DEG = templates(KIND, "deg_count", train=[
    lambda s: Rendered(
        f"How many genes are differentially expressed in {s.tissue} under "
        f"{t.STRESSOR_PHRASE[s.values['fact'].contrast]} compared with controls?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"What is the DEG count for {t.STRESSOR_SHORT[s.values['fact'].contrast]} versus control in the "
        f"{s.tissue}, and how does it split between up- and down-regulated genes?",
        _deg_split(s)),
    lambda s: Rendered(
        f"In the KMP study, how strongly does {t.STRESSOR_PHRASE[s.values['fact'].contrast]} alter the "
        f"{s.tissue} transcriptome?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Give the number of up- and down-regulated {s.tissue} genes after "
        f"{t.STRESSOR_PHRASE[s.values['fact'].contrast]}.",
        _deg_split(s)),
], test=[
    lambda s: Rendered(
        f"{t.cap(s.tissue)} tissue from vehicle-treated mice exposed to "
        f"{t.STRESSOR_PHRASE[s.values['fact'].contrast]}: how many transcripts reach significance, "
        "and in which direction?",
        t.restate(s.values["fact"])),
])


def _kmp_verdict(s: Subject) -> str:
    f = s.values["fact"]
    where = t.CONDITION_PHRASE[f.condition]
    if f.n_degs == 0:
        return f"No. KMP changes no genes in {f.tissue} {where} at padj < 0.05."
    if f.n_degs <= 5:
        return f"Barely. Only {t.genes(f.n_degs)} differ between KMP and vehicle in {f.tissue} {where}."
    return f"Yes. KMP changes {t.genes(f.n_degs)} relative to vehicle in {f.tissue} {where}."


KMP = templates(KIND, "kmp_effect", train=[
    lambda s: Rendered(
        f"How many genes does KMP change in {s.tissue} {t.CONDITION_PHRASE[s.values['fact'].condition]}?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"What is the size of the kaempferol effect in {s.tissue} "
        f"{t.CONDITION_PHRASE[s.values['fact'].condition]}, counted in DEGs versus vehicle?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"KMP vs vehicle in {s.tissue}, {t.CONDITION_SHORT[s.values['fact'].condition]} condition: "
        "how many DEGs?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Does KMP have a transcriptional effect on {s.tissue} "
        f"{t.CONDITION_PHRASE[s.values['fact'].condition]}? Quantify it.",
        _kmp_verdict(s)),
], test=[
    lambda s: Rendered(
        f"Comparing kaempferol-treated with vehicle-treated {s.tissue} "
        f"{t.CONDITION_PHRASE[s.values['fact'].condition]}, how many genes pass the significance cut-off?",
        t.restate(s.values["fact"])),
])

INTERACTION = templates(KIND, "interaction", train=[
    lambda s: Rendered(
        f"How many genes show a significant {t.TERM_PHRASE[s.values['fact'].term]} in {s.tissue}?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"In {s.tissue}, for how many genes does the {t.TERM_PHRASE[s.values['fact'].term]} term reach "
        "significance, and what does that term mean?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"What does the {t.TERM_PHRASE[s.values['fact'].term]} term tell us about {s.tissue}?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Count the {s.tissue} genes with a significant {s.values['fact'].term} term.",
        f"{t.genes(s.values['fact'].n_degs)}. {t.describe(s.values['fact'])}"),
], test=[
    lambda s: Rendered(
        f"For the {s.tissue}, how widespread is the non-additivity captured by the "
        f"{t.TERM_PHRASE[s.values['fact'].term]}?",
        t.restate(s.values["fact"])),
])


def _reversal(s: Subject) -> str:
    f = s.values["fact"]
    name = t.pathway_name(f.pathway)
    if f.pattern == "RESCUE":
        return (f"Yes. Combined stress lowers {name} in {f.tissue} (NES {t.nes(f.stress_nes)}) and KMP raises "
                f"it (NES {t.nes(f.kmp_nes)}): a RESCUE pattern.")
    if f.pattern == "SUPPRESSION":
        return (f"Yes, by suppression. Combined stress raises {name} in {f.tissue} (NES {t.nes(f.stress_nes)}) "
                f"and KMP pushes it down (NES {t.nes(f.kmp_nes)}): a SUPPRESSION pattern.")
    if f.pattern == "KMP_ONLY":
        return (f"There is no stress-induced change to reverse. Under combined stress {name} in {f.tissue} has "
                f"NES {t.nes(f.stress_nes)}, which is not significant; KMP alone shifts it (NES "
                f"{t.nes(f.kmp_nes)}): a KMP_ONLY pattern.")
    return (f"No. Neither stress (NES {t.nes(f.stress_nes)}) nor KMP (NES {t.nes(f.kmp_nes)}) shifts {name} "
            f"significantly in {f.tissue}: the pattern is NS.")


PATHWAY = templates(KIND, "pathway_shift", train=[
    lambda s: Rendered(
        f"What happens to {t.pathway_name(s.values['fact'].pathway)} in {s.tissue} under combined stress "
        "and with KMP?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Give the NES of {s.values['fact'].pathway} in {s.tissue} under HU+IR and with KMP, and name the "
        "pattern.",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Which pattern does {t.pathway_name(s.values['fact'].pathway)} follow in {s.tissue}: rescue, "
        "suppression, KMP-only or not significant?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Does KMP reverse the stress-induced change in {t.pathway_name(s.values['fact'].pathway)} in "
        f"{s.tissue}?",
        _reversal(s)),
], test=[
    lambda s: Rendered(
        f"Summarise the GSEA result for the {s.values['fact'].pathway} hallmark set in the {s.tissue}: "
        "enrichment under stress, enrichment with kaempferol, and the resulting pattern.",
        t.restate(s.values["fact"])),
])

CLASS = templates(KIND, "tissue_class", train=[
    lambda s: Rendered(f"What is the KMP response class of {s.tissue}?", t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Is {s.tissue} stress-activated, baseline-active or stress-blocked in its response to KMP?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"How would you classify the {s.tissue} response to kaempferol in the study's Type A/B/C scheme?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Describe how KMP's effect in {s.tissue} depends on stress.", t.describe(s.values["fact"])),
], test=[
    lambda s: Rendered(
        f"Which of the three KMP response types does the {s.tissue} belong to, and what defines that type?",
        t.restate(s.values["fact"])),
])

HUB = templates(KIND, "hub_gene", train=[
    lambda s: Rendered(
        f"What is {s.values['fact'].gene}'s role in the {s.tissue} response, and how strongly does it change?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"What is the mean absolute log2 fold change of {s.values['fact'].gene} in {s.tissue}?",
        t.describe(s.values["fact"])),
    lambda s: Rendered(
        f"Is {s.values['fact'].gene} a hub gene of the {s.tissue} response?",
        f"Yes. {t.describe(s.values['fact'])}"),
    lambda s: Rendered(
        f"Give the function and effect size of hub gene {s.values['fact'].gene} ({s.tissue}).",
        t.describe(s.values["fact"])),
], test=[
    lambda s: Rendered(
        f"How large is the average |log2FC| of {s.values['fact'].gene} in the {s.tissue}, and what does "
        "the gene do?",
        t.restate(s.values["fact"])),
])

GENERATOR = KindGenerator(
    kind=KIND, version="2", subjects=subjects, templates=DEG + KMP + INTERACTION + PATHWAY + CLASS + HUB
)
