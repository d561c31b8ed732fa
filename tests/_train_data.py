"""Examples made straight from the embedded fact sheet, for the train tests and bench.

`curate generate` makes the real ones; these few templates exist so train/ can be tested on its
own, with the same Example schema.
"""

from __future__ import annotations

from schemas import CROSS_TISSUE, Example, FactSheet

CONTRASTS = {"HU": "hindlimb unloading (HU)", "IR": "radiation (IR)", "HU_IR": "combined HU+IR"}
CONDITIONS = {"baseline": "at baseline", "HU": "under HU", "IR": "under IR", "HU_IR": "under combined HU+IR"}
CLASS_WORDS = {"A": "Type A (stress-activated)", "B": "Type B (baseline-active)", "C": "Type C (stress-blocked)"}
PATTERN_WORDS = {"RESCUE": "rescues", "SUPPRESSION": "suppresses", "KMP_ONLY": "shifts on its own (KMP_ONLY)"}


def facts_examples(sheet: FactSheet) -> list[Example]:
    """One or two questions per fact, a tissue ranking per contrast, and unanswerable questions."""
    out: list[Example] = []
    for fact in sheet.facts:
        out.extend(_for_fact(fact))
    out.extend(_rankings(sheet))
    out.extend(_unanswerable(sheet))
    return _assign_splits(out)


def _ex(kind: str, tissue: str, instruction: str, output: str, fact_ids: list[str], template: str,
        answerable: bool = True) -> Example:
    return Example(kind=kind, tissue=tissue, instruction=instruction, output=output, fact_ids=fact_ids,
                   template_id=template, answerable=answerable)


def _for_fact(fact) -> list[Example]:
    t = fact.tissue
    if fact.kind == "deg_count":
        c = CONTRASTS[fact.contrast]
        return [
            _ex("factual_qa", t, f"How many genes are differentially expressed in {t} under {c}?",
                f"{c[0].upper() + c[1:]} causes {fact.n_degs:,} DEGs in {t} ({fact.n_up:,} up, {fact.n_down:,} down).",
                [fact.id], "toy.deg_count"),
        ]
    if fact.kind == "kmp_effect":
        return [_ex("factual_qa", t, f"How many genes does KMP change in {t} {CONDITIONS[fact.condition]}?",
                    f"KMP changes {fact.n_degs:,} genes in {t} {CONDITIONS[fact.condition]}.",
                    [fact.id], "toy.kmp_effect")]
    if fact.kind == "interaction":
        term = fact.term.replace("_x_", " x ")
        return [_ex("factual_qa", t, f"How many genes show a {term} interaction in {t}?",
                    f"{fact.n_degs:,} genes show a significant {term} interaction in {t}.",
                    [fact.id], "toy.interaction")]
    if fact.kind == "pathway_shift":
        name = fact.pathway
        verb = PATTERN_WORDS.get(fact.pattern, "does not shift")
        return [_ex("factual_qa", t, f"What does KMP do to {name} in {t} under combined stress?",
                    f"KMP {verb} {name} in {t}: NES {fact.stress_nes:.3f} under stress, {fact.kmp_nes:.3f} "
                    f"with KMP (pattern {fact.pattern}).", [fact.id], "toy.pathway")]
    if fact.kind == "tissue_class":
        return [_ex("factual_qa", t, f"Which KMP response class is {t}?",
                    f"{t.capitalize()} is {CLASS_WORDS[fact.response_class]}.", [fact.id], "toy.class")]
    if fact.kind == "hub_gene":
        return [_ex("factual_qa", t, f"What is the mean absolute log2 fold change of {fact.gene} in {t}?",
                    f"{fact.gene} in {t} has a mean absolute log2 fold change of {fact.mean_abs_log2fc:.2f}.",
                    [fact.id], "toy.hub_gene")]
    return []


def _rankings(sheet: FactSheet) -> list[Example]:
    out = []
    for contrast, words in CONTRASTS.items():
        facts = sorted(sheet.select(kind="deg_count"), key=lambda f: -f.n_degs)
        facts = [f for f in facts if f.contrast == contrast]
        order = " > ".join(f"{f.tissue} ({f.n_degs:,})" for f in facts)
        out.append(_ex("comparison", CROSS_TISSUE, f"Rank the tissues by the number of DEGs under {words}.",
                       f"Ranked by DEGs under {words}: {order}.", [f.id for f in facts], "toy.rank"))
    return out


def _unanswerable(sheet: FactSheet) -> list[Example]:
    out = []
    for tissue in sheet.tissues:
        for what in ("the KMP effect on kidney", "the protein levels", "the effect at 6 months"):
            out.append(_ex("calibration", tissue, f"What does the study report about {what} in {tissue}?",
                           f"The data cannot answer this: the study does not report {what}.",
                           [], "toy.unanswerable", answerable=False))
    return out


def _assign_splits(examples: list[Example]) -> list[Example]:
    """Every fifth example to test (ids are hashes, so this is a stable pseudo-random choice)."""
    out = []
    for example in examples:
        split = "test" if int(example.id[:4], 16) % 5 == 0 else "train"
        out.append(example.model_copy(update={"split": split}))
    return out
