"""How facts are said in words: number formats, names of contrasts, one careful sentence per fact."""

from __future__ import annotations

from curate.schemas import (
    DegCountFact,
    Fact,
    HubGeneFact,
    InteractionFact,
    KmpEffectFact,
    PathwayShiftFact,
    TissueClassFact,
)

STRESSOR_PHRASE = {
    "HU": "hindlimb unloading (HU)",
    "IR": "ionizing radiation (IR)",
    "HU_IR": "combined HU+IR",
}
STRESSOR_SHORT = {"HU": "HU", "IR": "IR", "HU_IR": "HU+IR"}
CONDITION_PHRASE = {
    "baseline": "at baseline (no stressor)",
    "HU": "under hindlimb unloading",
    "IR": "under irradiation",
    "HU_IR": "under combined HU+IR",
}
CONDITION_SHORT = {"baseline": "baseline", "HU": "HU", "IR": "IR", "HU_IR": "HU+IR"}
TERM_PHRASE = {
    "HU_x_IR": "HU×IR interaction",
    "KMP_x_HU": "KMP×HU interaction",
    "KMP_x_IR": "KMP×IR interaction",
}
TERM_MEANING = {
    "HU_x_IR": "the radiation effect differs between unloaded and normally loaded mice",
    "KMP_x_HU": "KMP's effect differs between unloaded and normally loaded mice",
    "KMP_x_IR": "KMP's effect differs between irradiated and sham-irradiated mice",
}
PATTERN_MEANING = {
    "RESCUE": "combined stress lowers the pathway and KMP raises it back",
    "SUPPRESSION": "combined stress raises the pathway and KMP pushes it back down",
    "KMP_ONLY": "stress does not significantly shift the pathway, but KMP does",
    "NS": "neither stress nor KMP shifts the pathway significantly",
}
CLASS_MEANING = {
    "A": "small KMP effect at baseline, large under combined stress",
    "B": "large KMP effect at baseline, blocked under combined stress",
    "C": "moderate KMP effect at baseline, nearly abolished under combined stress",
}


def count(n: int) -> str:
    """4110 -> '4,110'."""
    return f"{n:,}"


def genes(n: int) -> str:
    return f"{count(n)} gene" if n == 1 else f"{count(n)} genes"


def nes(x: float) -> str:
    """NES as published (up to 3 decimals), with an explicit sign."""
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text if x < 0 else f"+{text}"


def decimal(x: float, places: int = 1) -> str:
    return f"{x:.{places}f}"


def times(x: float) -> str:
    """A fold change: one decimal when small, a whole number when large (166.0 -> '166')."""
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def percent(x: float) -> str:
    return f"{x:.1f}%"


def pathway_name(pathway: str) -> str:
    """OXIDATIVE_PHOSPHORYLATION -> 'oxidative phosphorylation (OXPHOS)'."""
    short = {"OXIDATIVE_PHOSPHORYLATION": " (OXPHOS)", "MTORC1_SIGNALING": ""}.get(pathway, "")
    words = pathway.lower().replace("_", " ").replace("mtorc1", "mTORC1")
    return words + short


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(fact: Fact) -> str:
    """One sentence that states the whole fact, as a careful biologist would."""
    if isinstance(fact, DegCountFact):
        split = ""
        if fact.n_up is not None and fact.n_down is not None:
            split = f" ({count(fact.n_up)} up, {count(fact.n_down)} down)"
        return (
            f"In {fact.tissue}, {STRESSOR_PHRASE[fact.contrast]} changes {genes(fact.n_degs)}{split} against "
            "vehicle controls at padj < 0.05."
        )
    if isinstance(fact, KmpEffectFact):
        condition = CONDITION_PHRASE[fact.condition]
        return f"In {fact.tissue}, KMP changes {genes(fact.n_degs)} relative to vehicle {condition}."
    if isinstance(fact, InteractionFact):
        return (
            f"In {fact.tissue}, the {TERM_PHRASE[fact.term]} term is significant for {genes(fact.n_degs)}, "
            f"meaning that for those genes {TERM_MEANING[fact.term]}."
        )
    if isinstance(fact, PathwayShiftFact):
        return describe_pathway(fact)
    if isinstance(fact, TissueClassFact):
        return (
            f"{cap(fact.tissue)} is a Type {fact.response_class} ({fact.label}) tissue: "
            f"{CLASS_MEANING[fact.response_class]}."
        )
    if isinstance(fact, HubGeneFact):
        function = f" ({fact.function})" if fact.function else ""
        return (
            f"{fact.gene}{function} is a hub gene of the {fact.tissue} response, with a mean absolute "
            f"log2 fold change of {decimal(fact.mean_abs_log2fc, 2)}."
        )
    raise TypeError(f"no sentence for {type(fact).__name__}")


def describe_pathway(fact: PathwayShiftFact) -> str:
    name = pathway_name(fact.pathway)
    stress = f"NES {nes(fact.stress_nes)}" + ("" if fact.stress_significant else ", not significant")
    kmp = f"NES {nes(fact.kmp_nes)}" + ("" if fact.kmp_significant else ", not significant")
    return (
        f"In {fact.tissue}, {name} has {stress} under combined stress and {kmp} with KMP: "
        f"a {fact.pattern} pattern, meaning {PATTERN_MEANING[fact.pattern]}."
    )


def join_and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


# -- the test split's own phrasing of a fact -----------------------------------------------------------
# Training answers state a fact with `describe`; test answers state the same fact with `restate`, in
# words no training answer uses, so a held-out item is passed by knowing the fact, not by recalling a
# string. The claims (numbers and what they are attached to, labels) are the same, and read the same.
def restate(fact: Fact) -> str:
    """The whole fact again, as `describe` states it, but in the test split's own words."""
    if isinstance(fact, DegCountFact):
        split = ""
        if fact.n_up is not None and fact.n_down is not None:
            split = f"; {count(fact.n_up)} of them are up and {count(fact.n_down)} down"
        return (f"With {STRESSOR_PHRASE[fact.contrast]}, {_some_genes(fact.n_degs)} in the {fact.tissue} are "
                f"differentially expressed relative to vehicle controls{split}.")
    if isinstance(fact, KmpEffectFact):
        return (f"Kaempferol (KMP) alters {_some_genes(fact.n_degs)} in the {fact.tissue} "
                f"{CONDITION_PHRASE[fact.condition]}, relative to vehicle.")
    if isinstance(fact, InteractionFact):
        return (f"In the {fact.tissue}, {_some_genes(fact.n_degs)} carry a significant {TERM_PHRASE[fact.term]} "
                f"term; for them, {TERM_MEANING[fact.term]}.")
    if isinstance(fact, PathwayShiftFact):
        return restate_pathway(fact)
    if isinstance(fact, TissueClassFact):
        return (f"The {fact.tissue} belongs to Type {fact.response_class} ({fact.label}), the group with "
                f"{CLASS_MEANING[fact.response_class]}.")
    if isinstance(fact, HubGeneFact):
        function = f" ({fact.function})" if fact.function else ""
        return (f"In the {fact.tissue} response, {fact.gene}{function} is a hub gene whose mean absolute "
                f"log2 fold change is {decimal(fact.mean_abs_log2fc, 2)}.")
    raise TypeError(f"no sentence for {type(fact).__name__}")


def _some_genes(n: int) -> str:
    return "no genes" if n == 0 else genes(n)


def restate_pathway(fact: PathwayShiftFact) -> str:
    name = pathway_name(fact.pathway)
    stress = f"NES {nes(fact.stress_nes)}" + ("" if fact.stress_significant else ", not significant")
    kmp = f"NES {nes(fact.kmp_nes)}" + ("" if fact.kmp_significant else ", not significant")
    return (f"The {fact.tissue} shows a {fact.pattern} pattern for {name}: combined stress gives {stress} and "
            f"KMP gives {kmp}, that is, {PATTERN_MEANING[fact.pattern]}.")
