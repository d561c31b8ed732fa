"""Numbers that claim nothing about the study's results: what they quantify says so.

A list marker or a step number, a cut-off (padj < 0.05, q < 0.25, |log2FC| > 1), a design constant
(8 groups, n = 6 per group, 3 Gy, 100 mg/kg, 30 days), a body-weight scaling factor (x 0.081), the size
of the genome ("~20,000 genes measured"), a year or a citation, the thresholds of the label rules when
stated as a rule ("at least 1.25 = synergistic", "the 45 % cut-off"), physiology from outside knowledge
("20-40% loss of soleus mass"), an even split written as "50/50". `reason` names why a number is left
alone, or returns "" for a number that may state a result.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.schemas.rules import RULE_THRESHOLDS

if TYPE_CHECKING:
    from curate.judge.numbers import Num

_P_CUTOFFS = (0.05, 0.01, 0.001, 0.1, 0.005, 0.0001, 0.25)
_PADJ = re.compile(r"(?:\bp-?adj(?:usted)?|\badjusted p(?:-values?)?|\bFDR(?: of)?|\bq(?:-values?)?)\s*"
                   r"(?:<=|<|≤|=|of|below|under|at)?\s*$", re.I)
_PADJ_WORDS = re.compile(r"\bp-?adj|\badjusted p", re.I)
_GSEA = re.compile(r"\bGSEA\b|\bNES\b|enrichment|for example|e\.g\.|versus|vs\.?\s", re.I)
_PVAL = re.compile(r"(?:\bp-?values?|\bp|\bα|\balpha|significance (?:level|threshold|cut-?off)(?: of)?)\s*"
                   r"(?:<=|>=|<|>|≤|≥|=|of|below|under|at)?\s*$", re.I)
_LFC_CUT = re.compile(
    r"(?:log2 ?FC\|?|log2 fold changes?|fold changes?|\bFC)\s*(?:<=|>=|<|>|≤|≥|of at least|above|over)\s*$", re.I)
_MARKER = re.compile(r"\b(?:step|fig(?:ure)?\.?|table|rank(?:ed)?|no\.|phase|panel|chapter|section|version|"
                     r"day|week|month|year|hour)\s*#?\s*$|#\s*$", re.I)
_UNITS = (r"groups?|combinations?|tissues?|conditions?|factors?|arms?|time ?points?|doses?|sexes|replicates?|"
          r"samples?|mice|mouse|rats?|animals|humans?|subjects|participants|patients|astronauts|crew|weeks?|days?|"
          r"hours?|h|min(?:utes?)?|months?|years?|Gy|cGy|mGy|m?Sv|mg/kg(?:/day)?|mg/day|mg|µg|ug|g/kg|kg|g|mL|ml|"
          r"µM|nM|mM|°C|treatments?|cohorts?|levels?|reads|bp|kb|Mb|gene sets|curated gene sets|sets|collections?|"
          r"studies|papers|references|per group|per arm|per cage")
_DESIGN_AFTER = re.compile(rf"\s*(?:{_UNITS})\b|-(?:day|week|month|year|hour|minute|dose|gene|mouse|point|step)s?\b",
                           re.I)
_RANGE_THEN_UNIT = re.compile(rf"\s*(?:-|–|—|to)\s*[\d.,]+\s*%?\s*(?:{_UNITS})\b", re.I)
_N_EQUALS = re.compile(r"(?:\bn|\bN|\bsample size of)\s*=?\s*$")
_RULE_BEFORE = re.compile(r"(?:at least|at most|between|between\s+[\d.,]+\s*%?\s+and|<=|>=|<|>|≤|≥|threshold(?: of)?|"
                          r"cut-?off(?: of)?|above|below|past|exceeds?)\s*$", re.I)
_RULE_AFTER = re.compile(r"\s*%?\s*(?:=\s*[A-Za-z]|(?:threshold|cut-?off|cutoff|rule|mark|boundary)\b)", re.I)
_GENOME = re.compile(r"\s*(?:-gene\b|(?:(?:protein-coding|mouse|coding|measured|expressed|annotated)\s+)*genes?\b"
                     r"(?=[^.;:]{0,40}?\b(?:measured|detected|expressed|quantified|tested|annotated|sequenced|"
                     r"genome|transcriptome|in total|protein-coding|assayed|profiled)\b))", re.I)
_GENOME_BEFORE = re.compile(r"(?:\bof|out of|\bamong)\s+(?:the\s+|all\s+)?(?:~|≈|about\s+|roughly\s+|some\s+|"
                            r"approximately\s+)?$", re.I)
_GENES_AFTER = re.compile(r"\s*(?:protein-coding\s+|mouse\s+)?genes\b", re.I)
_PHYSIOLOGY = re.compile(r"[^.;]{0,40}?\b(?:mass|weight|bone|atrophy|survival|mortality|strength|volume|body|"
                         r"muscle loss|lifespan|tumou?r)", re.I)
_FACTOR_BEFORE = re.compile(r"(?:[×x*]|\btimes|\bfactor(?: of| is)?(?: roughly| about| approximately| ~)?)\s*$", re.I)
_DOSE_WORDS = re.compile(r"\bdose|mg\b|mg/|\bHED\b|human[- ]equivalent|body[- ]surface|scaling|\bKm\b", re.I)
_YEAR_CONTEXT = re.compile(r"(?:\b(?:in|since|by|until|from|year|published)\s*|\(|et al\.?,?\s*)$", re.I)
_CITATION = re.compile(r"\[\s*$|^\s*(?:[,–-]\s*\d+\s*)*\]")
_EVEN_SPLIT = re.compile(r"(\d{1,3})\s*/\s*(\d{1,3})(?!\d)")


def reason(num: Num, text: str, padj: float) -> str:
    """Why `num` claims nothing about the study's results, or "" when it may."""
    start, end = num.start, num.end
    before = text[max(0, start - 40):start]
    tail = before[-24:].lower()
    line_start = text.rfind("\n", 0, start) + 1
    if num.vtype == "int" and text[end:end + 1] in (".", ")") and text[end + 1:end + 2] in (" ", "\n", "\t") \
            and not text[line_start:start].strip():
        return "list marker"
    if _MARKER.search(before):
        return "list marker"
    if (_CITATION.search(before) and _CITATION.match(text, end)) or re.match(r"\s*et al", text[end:end + 8]):
        return "citation"
    if any(k in tail for k in ("adj", "fdr", "q ", "q<", "q=", "q-", "q ≤")) and _PADJ.search(before):
        value = num.value / 100.0 if num.vtype == "percent" else num.value
        sentence = text[text.rfind(".", 0, start) + 1:text.find(".", end) if "." in text[end:] else len(text)]
        num.wrong_cutoff = (abs(value - padj) > 1e-12 and bool(_PADJ_WORDS.search(before))
                            and not _GSEA.search(sentence))
        return "threshold"
    if (num.value in _P_CUTOFFS or abs(num.value - padj) < 1e-12) and _PVAL.search(before):
        return "p-value cut-off"
    if ("fc" in tail or "fold" in tail) and _LFC_CUT.search(before):
        return "threshold"
    if _DESIGN_AFTER.match(text, end) or _RANGE_THEN_UNIT.match(text, end) or (
            ("=" in tail[-4:] or "size of" in tail) and _N_EQUALS.search(before)):
        return "design constant"
    if not num.signed and any(abs(num.value - c) < 1e-9 for c in RULE_THRESHOLDS) and (
            _RULE_BEFORE.search(before) or _RULE_AFTER.match(text, end)):
        return "rule threshold"
    if num.vtype == "percent" and _RULE_AFTER.match(text, end):
        return "rule threshold"
    if num.vtype == "int" and _genome_size(num, text, before):
        return "genome size"
    if num.vtype == "percent" and _PHYSIOLOGY.match(text, end):
        return "physiology"
    if num.vtype in ("decimal", "int") and _FACTOR_BEFORE.search(before) and _DOSE_WORDS.search(
            text, max(0, start - 120), min(len(text), end + 80)):
        return "scaling factor"
    if num.vtype == "int" and not num.decimals and "," not in num.text and 1900 <= num.value <= 2099 and (
            _YEAR_CONTEXT.search(before) or text[end:end + 1] == ")"):
        return "year"
    split = _EVEN_SPLIT.match(text, start)
    if split and int(split.group(1)) + int(split.group(2)) == 100:
        return "even split"
    if text[max(0, start - 1):start] == "/" and re.search(r"(\d{1,3})\s*/\s*$", before):
        first = re.search(r"(\d{1,3})\s*/\s*$", before)
        if first and int(first.group(1)) + int(num.value) == 100:
            return "even split"
    return ""


def _genome_size(num: Num, text: str, before: str) -> bool:
    """'~20,000 genes measured', 'a 20,000-gene transcriptome', '0.3% of roughly 20,000 genes'."""
    if _GENOME.match(text, num.end):
        return True
    return bool(_GENES_AFTER.match(text, num.end) and _GENOME_BEFORE.search(before) and num.value >= 10_000)
