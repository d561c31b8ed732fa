"""Writes dev/round3_added.jsonl: the round-3 dev items, every figure computed from the embedded fact sheet's CSVs.

Run `python tests/judge_corpus/round3_items.py` from the repository root; it rewrites the file. The items are
written in styles and voices the dev split lacked (organ synonyms, sign-less NES with a direction word, ordinal
and verb-form superlatives, KMP compared across conditions, declines that give study figures as context, a
decline asked back as a question, a decline in an SFT "### Response:" voice, hedges that doubt a kept figure).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "generators" / "data" / "kmp_study"
OUT = Path(__file__).resolve().parent / "dev" / "round3_added.jsonl"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return list(csv.DictReader(handle))


STRESS = {(r["tissue"], r["contrast"]): (int(r["n_degs"]), int(r["n_up"]), int(r["n_down"]))
          for r in _rows("stressor_degs.csv")}
KMP = {(r["tissue"], r["condition"]): int(r["n_degs"]) for r in _rows("kmp_degs.csv")}
TERM = {(r["tissue"], r["term"]): int(r["n_degs"]) for r in _rows("interaction_degs.csv")}
NES = {(r["tissue"], r["pathway"]): (float(r["stress_nes"]), float(r["kmp_nes"])) for r in _rows("pathways.csv")}
HUB = {(r["tissue"], r["gene"]): float(r["mean_abs_log2fc"]) for r in _rows("hub_genes.csv")}


def n(value: float) -> str:
    return f"{value:,}"


def nes(value: float, digits: int = 2, sign: bool = False) -> str:
    text = f"{abs(value):.{digits}f}"
    return ("+" if value > 0 else "−") + text if sign else text


def rank(contrast: str) -> list[str]:
    """Tissues by DEGs under a stressor, most first."""
    return sorted(("heart", "hippocampus", "liver", "soleus"), key=lambda t: -STRESS[(t, contrast)][0])


def claim(span: str, about: str | None, verdict: str, kind: str, **extra: object) -> dict:
    return {"span": span, "about": about, "verdict": verdict, "kind": kind, **extra}


def item(id_: str, style: str, question: str, answer: str, *, claims: list[dict], asks: list[str],
         correct: bool, why: str, answerable: bool = True, declines: bool = False, trap: bool = False,
         source: str = "model_answer") -> dict:
    out = {"id": id_, "style": style, "source": source, "question": question, "answer": answer,
           "answerable": answerable, "asks": asks, "declines": declines, "claims": claims, "correct": correct,
           "why": why}
    if trap:
        out["trap"] = True
    return out


def synonyms() -> list[dict]:
    sol_hu, sol_hu_up, sol_hu_down = STRESS[("soleus", "HU")]
    sol_c = STRESS[("soleus", "HU_IR")][0]
    liv_c = STRESS[("liver", "HU_IR")][0]
    hip_c = STRESS[("hippocampus", "HU_IR")][0]
    heart_c = STRESS[("heart", "HU_IR")][0]
    hip_ir, hip_ir_up, hip_ir_down = STRESS[("hippocampus", "IR")]
    hip_hu, hip_hu_up, hip_hu_down = STRESS[("hippocampus", "HU")]
    assert rank("HU")[0] == "soleus" and rank("HU_IR")[0] == "soleus" and hip_hu_down > hip_hu_up
    return [
        item("r3-syn-001", "paraphrase", "How strongly does unloading affect skeletal muscle in this study?",
             f"Skeletal muscle (the soleus) is hit hardest by unloading: {n(sol_hu)} DEGs, split almost evenly "
             f"({n(sol_hu_up)} up, {n(sol_hu_down)} down).",
             claims=[claim("hit hardest by unloading", "ranking deg_count:*:HU", "right", "ordering"),
                     claim(f"{n(sol_hu)} DEGs", "deg_count:soleus:HU", "right", "number"),
                     claim(f"{n(sol_hu_up)} up", "deg_count:soleus:HU", "right", "number"),
                     claim(f"{n(sol_hu_down)} down", "deg_count:soleus:HU", "right", "number")],
             asks=["deg_count:soleus:HU"], correct=True,
             why="skeletal muscle is the soleus, the only skeletal muscle sequenced; all figures right"),
        item("r3-syn-002", "chat_transcript",
             "What happens to slow-twitch muscle under combined unloading and irradiation?",
             f"Sure! In slow-twitch muscle the combined exposure changes {n(liv_c)} genes — the largest combined "
             "response of the four tissues.",
             claims=[claim(f"changes {n(liv_c)} genes", "deg_count:soleus:HU_IR", "wrong", "number"),
                     claim("the largest combined response", "ranking deg_count:*:HU_IR", "right", "ordering")],
             asks=["deg_count:soleus:HU_IR"], correct=False, trap=True,
             why=f"slow-twitch muscle is the soleus: {n(sol_c)} under HU+IR; {n(liv_c)} is the liver's"),
        item("r3-syn-003", "terse", "Skeletal muscle, radiation alone: how many DEGs?",
             f"{n(STRESS[('soleus', 'IR')][0])}.",
             claims=[claim(f"{n(STRESS[('soleus', 'IR')][0])}", "deg_count:soleus:IR", "right", "number")],
             asks=["deg_count:soleus:IR"], correct=True, why="the soleus under IR"),
        item("r3-syn-004", "paraphrase", "How does the brain respond to radiation in this dataset?",
             f"In the brain — the hippocampus is the region that was sequenced — radiation alters {n(hip_ir)} "
             f"genes, of which {n(hip_ir_down)} go down and {n(hip_ir_up)} go up.",
             claims=[claim(f"radiation alters {n(hip_ir)} genes", "deg_count:hippocampus:IR", "right", "number"),
                     claim(f"{n(hip_ir_down)} go down", "deg_count:hippocampus:IR", "right", "number"),
                     claim(f"{n(hip_ir_up)} go up", "deg_count:hippocampus:IR", "right", "number")],
             asks=["deg_count:hippocampus:IR"], correct=True,
             why="the brain region sequenced is the hippocampus, which the answer says; figures right"),
        item("r3-syn-005", "markdown_long", "Summarise the hippocampal formation's response to unloading.",
             f"**Hippocampal formation, HU:** {n(hip_hu)} DEGs, {hip_hu_up} up and 884 down, so the response "
             "leans down.",
             claims=[claim(f"{n(hip_hu)} DEGs", "deg_count:hippocampus:HU", "right", "number"),
                     claim(f"{hip_hu_up} up", "deg_count:hippocampus:HU", "right", "number"),
                     claim("884 down", "deg_count:hippocampus:HU", "wrong", "number"),
                     claim("leans down", "deg_count:hippocampus:HU", "right", "direction")],
             asks=["deg_count:hippocampus:HU"], correct=False, trap=True,
             why=f"down is {hip_hu_down}, not 884 (digits swapped)"),
        item("r3-syn-006", "bullets", "Compare cardiac and skeletal muscle responses to HU+IR.",
             f"- Cardiac muscle: {n(heart_c)} DEGs under HU+IR\n- Skeletal muscle (soleus): {n(hip_c)} DEGs under "
             "HU+IR\n- So skeletal muscle responds far more strongly.",
             claims=[claim(f"{n(heart_c)} DEGs", "deg_count:heart:HU_IR", "right", "number"),
                     claim(f"{n(hip_c)} DEGs", "deg_count:soleus:HU_IR", "wrong", "number"),
                     claim("skeletal muscle responds far more strongly", "comparison soleus vs heart HU_IR", "right",
                           "ordering")],
             asks=["deg_count:heart:HU_IR", "deg_count:soleus:HU_IR"], correct=False, trap=True,
             why=f"the soleus has {n(sol_c)} under HU+IR; {n(hip_c)} is the hippocampus's"),
        item("r3-syn-007", "hedged", "In the calf muscle that was sequenced, how many genes does KMP change under "
             "combined stress?",
             f"If I have it right, the soleus shows {KMP[('soleus', 'HU_IR')]} KMP-responsive genes under "
             "combined HU+IR.",
             claims=[claim(f"{KMP[('soleus', 'HU_IR')]} KMP-responsive genes", "kmp_effect:soleus:HU_IR", "right",
                           "number")],
             asks=["kmp_effect:soleus:HU_IR"], correct=True, why="right; the hedge does not change it"),
    ]


def signless_nes() -> list[dict]:
    h_ox_s, h_ox_k = NES[("heart", "OXIDATIVE_PHOSPHORYLATION")]
    l_ox_s, l_ox_k = NES[("liver", "OXIDATIVE_PHOSPHORYLATION")]
    h_fa_s, _ = NES[("heart", "FATTY_ACID_METABOLISM")]
    h_ad_s, _ = NES[("heart", "ADIPOGENESIS")]
    s_fa_s, s_fa_k = NES[("soleus", "FATTY_ACID_METABOLISM")]
    assert h_ox_s < 0 < h_ox_k and l_ox_s > 0 > l_ox_k and s_fa_s < 0 < s_fa_k
    return [
        item("r3-nes-001", "paraphrase",
             "How does oxidative phosphorylation move in the stressed heart, and what does KMP do?",
             f"Under combined stress, cardiac oxidative phosphorylation is depleted, NES {nes(h_ox_s)}; kaempferol "
             f"flips it to enriched, NES {nes(h_ox_k)} — a rescue.",
             claims=[claim(f"depleted, NES {nes(h_ox_s)}", "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "right",
                           "number", note="sign-less NES with a direction word: the word gives the sign"),
                     claim(f"enriched, NES {nes(h_ox_k)}", "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "right",
                           "number"),
                     claim("a rescue", "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "right", "category")],
             asks=["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"], correct=True,
             why=f"stress NES {h_ox_s} written as its magnitude with 'depleted'; KMP {h_ox_k}; RESCUE"),
        item("r3-nes-002", "markdown_long", "What happens to OXPHOS in the liver under stress and with KMP?",
             f"In the liver, combined stress leaves OXPHOS depleted (NES {nes(l_ox_s)}), and KMP pushes it up "
             f"(NES {nes(l_ox_k)}).",
             claims=[claim(f"depleted (NES {nes(l_ox_s)})", "pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION",
                           "wrong", "direction"),
                     claim(f"pushes it up (NES {nes(l_ox_k)})", "pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION",
                           "wrong", "direction")],
             asks=["pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION"], correct=False, trap=True,
             why=f"liver OXPHOS is enriched under stress ({l_ox_s}) and KMP lowers it ({l_ox_k}): SUPPRESSION"),
        item("r3-nes-003", "numbered_list", "Which heart pathways are depleted under combined stress?",
             "Heart pathways under combined HU+IR (vehicle vs control):\n\n"
             f"1. Oxidative phosphorylation: depleted, NES {nes(h_ox_s)}\n"
             f"2. Fatty acid metabolism: depleted, NES {nes(h_fa_s)}\n"
             f"3. Adipogenesis: depleted, NES {nes(h_ad_s)}",
             claims=[claim(f"depleted, NES {nes(h_ox_s)}", "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "right",
                           "number"),
                     claim(f"depleted, NES {nes(h_fa_s)}", "pathway_shift:heart:FATTY_ACID_METABOLISM", "right",
                           "number"),
                     claim(f"depleted, NES {nes(h_ad_s)}", "pathway_shift:heart:ADIPOGENESIS", "right", "number")],
             asks=["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "pathway_shift:heart:FATTY_ACID_METABOLISM",
                   "pathway_shift:heart:ADIPOGENESIS"], correct=True,
             why="magnitudes with 'depleted': right; the list is not a ranking claim (FA is the most depleted)"),
        item("r3-nes-004", "terse", "What's the stress NES for heart OXPHOS?", f"{nes(h_ox_s)}.",
             claims=[claim(nes(h_ox_s), "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION", "wrong", "number",
                           note="a sign-less NES with no direction word reads as positive")],
             asks=["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"], correct=False, trap=True,
             why=f"the NES is {h_ox_s}: without a sign or a direction word, {nes(h_ox_s)} says enriched"),
        item("r3-nes-005", "sft_example", "Describe fatty acid metabolism in the soleus under stress and with KMP.",
             f"Soleus fatty acid metabolism is depleted under combined stress by an NES of {nes(s_fa_s)} and "
             f"restored by kaempferol to {nes(s_fa_k)}, which makes it a rescued pathway.",
             claims=[claim(f"depleted under combined stress by an NES of {nes(s_fa_s)}",
                           "pathway_shift:soleus:FATTY_ACID_METABOLISM", "right", "number"),
                     claim(f"restored by kaempferol to {nes(s_fa_k)}", "pathway_shift:soleus:FATTY_ACID_METABOLISM",
                           "right", "number"),
                     claim("a rescued pathway", "pathway_shift:soleus:FATTY_ACID_METABOLISM", "right", "category")],
             asks=["pathway_shift:soleus:FATTY_ACID_METABOLISM"], correct=True, source="sft_example",
             why=f"{s_fa_s} depleted, {s_fa_k} with KMP: RESCUE"),
    ]


def ordinals() -> list[dict]:
    hu, ir, both = rank("HU"), rank("IR"), rank("HU_IR")
    assert hu[:2] == ["soleus", "liver"] and ir[:2] == ["hippocampus", "liver"] and ir[-1] == "heart"
    assert both[:2] == ["soleus", "liver"] and both[-1] == "heart"
    return [
        item("r3-ord-001", "chat_transcript", "Which tissue is the second most responsive to unloading?",
             "Good question — the liver is the second most responsive to unloading, with "
             f"{n(STRESS[('liver', 'HU')][0])} DEGs, behind the soleus ({n(STRESS[('soleus', 'HU')][0])}).",
             claims=[claim("the liver is the second most responsive", "ranking deg_count:*:HU", "right", "ordering"),
                     claim(f"{n(STRESS[('liver', 'HU')][0])} DEGs", "deg_count:liver:HU", "right", "number"),
                     claim(f"soleus ({n(STRESS[('soleus', 'HU')][0])})", "deg_count:soleus:HU", "right", "number")],
             asks=[f"deg_count:{t}:HU" for t in hu], correct=True, why="liver second under HU"),
        item("r3-ord-002", "paraphrase", "Under radiation alone, which tissue comes second?",
             f"The soleus is the runner-up under radiation alone ({STRESS[('soleus', 'IR')][0]} DEGs), well behind "
             "the hippocampus.",
             claims=[claim("The soleus is the runner-up", "ranking deg_count:*:IR", "wrong", "ordering"),
                     claim(f"{STRESS[('soleus', 'IR')][0]} DEGs", "deg_count:soleus:IR", "right", "number")],
             asks=[f"deg_count:{t}:IR" for t in ir], correct=False, trap=True,
             why=f"under IR the liver ({n(STRESS[('liver', 'IR')][0])}) is second; the soleus is third"),
        item("r3-ord-003", "hedged", "Which tissue does unloading affect most?",
             "I think unloading hits the liver hardest — around 4,100 DEGs — though I'd double-check.",
             claims=[claim("unloading hits the liver hardest", "ranking deg_count:*:HU", "wrong", "ordering"),
                     claim("around 4,100 DEGs", "deg_count:liver:HU", "right", "number")],
             asks=[f"deg_count:{t}:HU" for t in hu], correct=False, trap=True,
             why=f"the soleus ({n(STRESS[('soleus', 'HU')][0])}) is hit hardest; 4,110 rounds to 4,100"),
        item("r3-ord-004", "paraphrase", "Where does radiation act most and least?",
             f"Radiation hits the hippocampus hardest ({n(STRESS[('hippocampus', 'IR')][0])} DEGs) and the heart "
             f"least ({STRESS[('heart', 'IR')][0]}).",
             claims=[claim("Radiation hits the hippocampus hardest", "ranking deg_count:*:IR", "right", "ordering"),
                     claim(f"{n(STRESS[('hippocampus', 'IR')][0])} DEGs", "deg_count:hippocampus:IR", "right",
                           "number"),
                     claim("the heart least", "ranking deg_count:*:IR", "right", "ordering"),
                     claim(f"({STRESS[('heart', 'IR')][0]})", "deg_count:heart:IR", "right", "number")],
             asks=[f"deg_count:{t}:IR" for t in ir], correct=True, why="hippocampus most, heart least under IR"),
        item("r3-ord-005", "markdown_long", "How does the heart rank under combined stress?",
             f"### Combined stress\nThe heart is only the third most responsive tissue under HU+IR "
             f"({STRESS[('heart', 'HU_IR')][0]} DEGs).",
             claims=[claim("the third most responsive tissue", "ranking deg_count:*:HU_IR", "wrong", "ordering"),
                     claim(f"{STRESS[('heart', 'HU_IR')][0]} DEGs", "deg_count:heart:HU_IR", "right", "number")],
             asks=[f"deg_count:{t}:HU_IR" for t in both], correct=False, trap=True,
             why="the heart is fourth (last) under HU+IR"),
        item("r3-ord-006", "terse", "Under combined stress, which tissue ranks second?",
             f"Liver — it ranks second ({n(STRESS[('liver', 'HU_IR')][0])}), just behind the soleus "
             f"({n(STRESS[('soleus', 'HU_IR')][0])}).",
             claims=[claim("it ranks second", "ranking deg_count:*:HU_IR", "right", "ordering"),
                     claim(f"({n(STRESS[('liver', 'HU_IR')][0])})", "deg_count:liver:HU_IR", "right", "number"),
                     claim(f"({n(STRESS[('soleus', 'HU_IR')][0])})", "deg_count:soleus:HU_IR", "right", "number")],
             asks=[f"deg_count:{t}:HU_IR" for t in both], correct=True, why="liver second under HU+IR"),
    ]


def kmp_conditions() -> list[dict]:
    assert KMP[("heart", "HU_IR")] > KMP[("heart", "baseline")]
    assert KMP[("hippocampus", "baseline")] > KMP[("hippocampus", "HU_IR")]
    assert KMP[("soleus", "baseline")] < KMP[("soleus", "HU_IR")] and KMP[("soleus", "HU")] < KMP[("soleus", "IR")]
    assert KMP[("liver", "HU_IR")] < KMP[("liver", "baseline")]
    return [
        item("r3-kmp-001", "terse", "Does KMP change more genes at baseline or under HU+IR in the heart?",
             f"Far more under HU+IR: {n(KMP[('heart', 'HU_IR')])} DEGs against {KMP[('heart', 'baseline')]} at "
             "baseline.",
             claims=[claim("Far more under HU+IR", "comparison kmp_effect:heart:HU_IR vs baseline", "right",
                           "ordering"),
                     claim(f"{n(KMP[('heart', 'HU_IR')])} DEGs", "kmp_effect:heart:HU_IR", "right", "number"),
                     claim(f"{KMP[('heart', 'baseline')]} at baseline", "kmp_effect:heart:baseline", "right",
                           "number")],
             asks=["kmp_effect:heart:HU_IR", "kmp_effect:heart:baseline"], correct=True, why="2,110 > 112"),
        item("r3-kmp-002", "chat_transcript",
             "In the hippocampus, where does KMP act most — baseline or combined stress?",
             "KMP changes more genes under combined stress than at baseline in the hippocampus, consistent with a "
             "stress-activated profile.",
             claims=[claim("KMP changes more genes under combined stress than at baseline",
                           "comparison kmp_effect:hippocampus:HU_IR vs baseline", "wrong", "ordering"),
                     claim("stress-activated", "tissue_class:hippocampus", "wrong", "category")],
             asks=["kmp_effect:hippocampus:baseline", "kmp_effect:hippocampus:HU_IR"], correct=False, trap=True,
             why=f"baseline {n(KMP[('hippocampus', 'baseline')])} vs {KMP[('hippocampus', 'HU_IR')]} under HU+IR; "
                 "Type B, baseline-active"),
        item("r3-kmp-003", "bullets", "Compare KMP's baseline and combined-stress effects in the soleus and heart.",
             "- Soleus: KMP alters more genes at baseline than under HU+IR\n"
             "- Heart: KMP alters more genes under HU+IR than at baseline",
             claims=[claim("KMP alters more genes at baseline than under HU+IR",
                           "comparison kmp_effect:soleus:baseline vs HU_IR", "wrong", "ordering"),
                     claim("KMP alters more genes under HU+IR than at baseline",
                           "comparison kmp_effect:heart:HU_IR vs baseline", "right", "ordering")],
             asks=["kmp_effect:soleus:baseline", "kmp_effect:soleus:HU_IR", "kmp_effect:heart:baseline",
                   "kmp_effect:heart:HU_IR"], correct=False, trap=True,
             why=f"soleus: {KMP[('soleus', 'baseline')]} at baseline, {KMP[('soleus', 'HU_IR')]} under HU+IR"),
        item("r3-kmp-004", "sft_example", "Compare KMP's effect in the liver at baseline and under combined stress.",
             f"KMP changes fewer genes in the liver under combined HU+IR ({KMP[('liver', 'HU_IR')]}) than at "
             f"baseline ({KMP[('liver', 'baseline')]}), the stress-blocked (Type C) pattern.",
             claims=[claim("KMP changes fewer genes in the liver under combined HU+IR",
                           "comparison kmp_effect:liver:HU_IR vs baseline", "right", "ordering"),
                     claim(f"({KMP[('liver', 'HU_IR')]})", "kmp_effect:liver:HU_IR", "right", "number"),
                     claim(f"({KMP[('liver', 'baseline')]})", "kmp_effect:liver:baseline", "right", "number"),
                     claim("Type C", "tissue_class:liver", "right", "category")],
             asks=["kmp_effect:liver:baseline", "kmp_effect:liver:HU_IR"], correct=True, source="sft_example",
             why="3 < 309; liver is Type C"),
        item("r3-kmp-005", "paraphrase", "In the soleus, is KMP's effect bigger under radiation or under unloading?",
             "Kaempferol does more in the unloaded soleus than in the irradiated one.",
             claims=[claim("Kaempferol does more in the unloaded soleus than in the irradiated one",
                           "comparison kmp_effect:soleus:HU vs IR", "wrong", "ordering")],
             asks=["kmp_effect:soleus:HU", "kmp_effect:soleus:IR"], correct=False, trap=True,
             why=f"soleus KMP effect: {KMP[('soleus', 'HU')]} under HU, {KMP[('soleus', 'IR')]} under IR"),
    ]


def declines() -> list[dict]:
    heart_c, heart_b = KMP[("heart", "HU_IR")], KMP[("heart", "baseline")]
    s_ox_s, s_ox_k = NES[("soleus", "OXIDATIVE_PHOSPHORYLATION")]
    alb = HUB[("heart", "Alb")]
    assert alb == max(v for (t, _), v in HUB.items() if t == "heart")
    liver_ir, liver_ir_up, liver_ir_down = STRESS[("liver", "IR")]
    hu = [STRESS[(t, "HU")][0] for t in ("heart", "hippocampus", "liver", "soleus")]
    return [
        item("r3-dec-001", "decline", "What dose of KMP would an astronaut need to protect the heart?",
             "That can't be answered from this study: it tested one KMP dose, in mice. What it does show is that, in "
             f"the mouse heart, KMP changes {n(heart_c)} genes under combined HU+IR against {heart_b} at baseline — "
             "but that says nothing about a human dose.",
             claims=[claim(f"KMP changes {n(heart_c)} genes under combined HU+IR", "kmp_effect:heart:HU_IR", "right",
                           "number"),
                     claim(f"{heart_b} at baseline", "kmp_effect:heart:baseline", "right", "number")],
             asks=[], answerable=False, declines=True, correct=True,
             why="declines (one dose, mice) and gives right study figures as context"),
        item("r3-dec-002", "decline", "What dose of KMP would an astronaut need to protect the heart?",
             "No dose can be read from this design — one dose, mice only. For context, KMP changes 1,210 heart genes "
             f"under combined HU+IR versus {heart_b} at baseline.",
             claims=[claim("KMP changes 1,210 heart genes", "kmp_effect:heart:HU_IR", "wrong", "number"),
                     claim(f"{heart_b} at baseline", "kmp_effect:heart:baseline", "right", "number")],
             asks=[], answerable=False, declines=True, correct=False, trap=True,
             why=f"the decline is right but the context figure is wrong: {n(heart_c)}, not 1,210"),
        item("r3-dec-003", "decline", "How long does KMP's rescue of OXPHOS last in the soleus?",
             "Do you mean after how many days the effect fades? The study sampled every animal at one time point, so "
             "it can't say how long the rescue lasts — only that at that point KMP moved soleus OXPHOS from an NES "
             f"of {nes(s_ox_s, sign=True)} under stress to {nes(s_ox_k, sign=True)}.",
             claims=[claim(f"from an NES of {nes(s_ox_s, sign=True)} under stress",
                           "pathway_shift:soleus:OXIDATIVE_PHOSPHORYLATION", "right", "number"),
                     claim(f"to {nes(s_ox_k, sign=True)}", "pathway_shift:soleus:OXIDATIVE_PHOSPHORYLATION", "right",
                           "number")],
             asks=[], answerable=False, declines=True, correct=True,
             why="asks back, then declines (one time point) with right NES as context"),
        item("r3-dec-004", "decline", "Which single gene is responsible for KMP's protective effect in the heart?",
             "Could a bulk RNA-seq study ever name one gene as *responsible*? It can't: it shows which transcripts "
             f"change together, not what causes what. Alb has the largest change among the heart hubs (mean "
             f"|log2FC| {alb}), but that is association, not cause.",
             claims=[claim("Alb has the largest change among the heart hubs", "ranking hub_gene:heart:*", "right",
                           "ordering"),
                     claim(f"|log2FC| {alb}", "hub_gene:heart:Alb", "right", "number")],
             asks=[], answerable=False, declines=True, correct=True,
             why="a rhetorical question, then the reason; the hub figure is context and named as association"),
        item("r3-dec-005", "sft_example",
             "### Instruction:\nWill kaempferol definitely protect astronauts' livers on a Mars mission?",
             "### Response:\nNo study of this kind can promise that. This was a mouse experiment with one dose and one "
             f"time point; in the mouse liver KMP's effect all but vanished under combined stress "
             f"({KMP[('liver', 'HU_IR')]} DEGs). Whether it protects human livers in flight is not something these "
             "data can show.",
             claims=[claim(f"({KMP[('liver', 'HU_IR')]} DEGs)", "kmp_effect:liver:HU_IR", "right", "number")],
             asks=[], answerable=False, declines=True, correct=True, source="sft_example",
             why="declines certainty and humans; right liver figure as context"),
        item("r3-dec-006", "hedged", "How many genes does radiation change in the liver?",
             f"{n(liver_ir)}, if I'm remembering the table right — I'd double-check that figure, but I'm fairly sure "
             f"it's {n(liver_ir)} ({liver_ir_up} up, {liver_ir_down} down).",
             claims=[claim(f"{n(liver_ir)}", "deg_count:liver:IR", "right", "number"),
                     claim(f"it's {n(liver_ir)}", "deg_count:liver:IR", "right", "number"),
                     claim(f"{liver_ir_up} up", "deg_count:liver:IR", "right", "number"),
                     claim(f"{liver_ir_down} down", "deg_count:liver:IR", "right", "number")],
             asks=["deg_count:liver:IR"], correct=True, why="doubts its own figure but keeps it, and it is right"),
        item("r3-dec-007", "hedged", "How many genes does radiation change in the liver?",
             "Roughly 1,237 genes — I may have the digits transposed, so treat it with caution.",
             claims=[claim("Roughly 1,237 genes", "deg_count:liver:IR", "wrong", "number")],
             asks=["deg_count:liver:IR"], correct=False, trap=True,
             why=f"{n(liver_ir)}, not 1,237; a hedge does not change the claim"),
        item("r3-dec-008", "hedged", "How many DEGs does HU cause in the heart?",
             "I can't vouch for the exact number, but the study reports "
             f"{STRESS[('heart', 'HU')][0]} DEGs for unloading in the heart.",
             claims=[claim(f"{STRESS[('heart', 'HU')][0]} DEGs", "deg_count:heart:HU", "right", "number")],
             asks=["deg_count:heart:HU"], correct=True, why="a hedge, not a decline; right figure"),
        item("r3-dec-009", "decline", "How many genes does KMP change in the soleus under HU+IR?",
             "Isn't that something the data can't really tell us, given it's bulk tissue?",
             claims=[], asks=["kmp_effect:soleus:HU_IR"], declines=True, correct=False,
             why=f"declines an answerable question (KMP changes {KMP[('soleus', 'HU_IR')]} genes there)"),
        item("r3-dec-010", "sft_example", "### Instruction:\nWhat is the optimal KMP dose for the soleus?",
             "### Response:\nThe data can't pin down an optimal dose, since only one dose was tested; my guess would "
             "be somewhere near 50 mg/kg.",
             claims=[claim("somewhere near 50 mg/kg", "optimal dose (not in the study)", "wrong", "number")],
             asks=[], answerable=False, declines=True, correct=False, source="sft_example",
             why="declines, then puts forward a made-up optimal dose"),
        item("r3-dec-011", "decline", "Do female mice show a bigger KMP response in the heart?",
             "Were females even included? As far as the summary says, one sex was studied, so there's no way to "
             "compare.",
             claims=[], asks=[], answerable=False, declines=True, correct=True,
             why="asks back and declines: one sex"),
        item("r3-dec-012", "decline", "How many genes does HU change in the kidney?",
             "The kidney wasn't sequenced, so there's no number for it. For the organs that were measured, unloading "
             f"ranges from {min(hu)} DEGs (heart) to {n(max(hu))} (soleus).",
             claims=[claim(f"{min(hu)} DEGs (heart)", "deg_count:heart:HU", "right", "number"),
                     claim(f"{n(max(hu))} (soleus)", "deg_count:soleus:HU", "right", "number")],
             asks=[], answerable=False, declines=True, correct=True,
             why="declines (not sequenced) and gives the measured range as context"),
    ]


def main() -> None:
    items = synonyms() + signless_nes() + ordinals() + kmp_conditions() + declines()
    OUT.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    print(f"{len(items)} items -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
