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

_MARKER_WORDS = re.compile(r"step|fig|table|rank|no\.|phase|panel|chapter|section|version|day|week|month|year|hour|#")
_COUNT_OF_SET = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                           r"twelve)\s+(?:\w+\s+)?(?:shifts?|tissues?|pathways?|terms?|hub genes|contrasts?|"
                           r"conditions?|combinations?|stressors?|patterns?|facts?)\b", re.I)
_ALL_N = re.compile(r"\ball\s+$")
_RULE_WORDS = re.compile(r"=|threshold|cut|rule|mark|boundary|line|bar")
_BOUND_WORDS = re.compile(r"above|below|over|under|[><≥≤]|exceed|beyond")
_FACTOR_WORDS = re.compile(r"[×x*]|times|factor")
_THRESHOLDS = frozenset(round(value, 9) for value in RULE_THRESHOLDS)
_GENOME_WORD = re.compile(r"\b(?:genome|transcriptome)\b", re.I)
_RANGE_THEN_PHYSIOLOGY = re.compile(r"\s*(?:-|–|—|to)\s*[\d.,]+\s*%[^.;]{0,40}?\b(?:mass|weight|bone|atrophy|survival|"
                                    r"mortality|strength|volume|body|muscle loss|lifespan)", re.I)
_PADJ_KEYS = re.compile(r"adj|fdr|q[ <=≤-]")
_TIME_OR_DOSE = re.compile(r"\s*(?:(?:-|–|—|to)\s*[\d.,]+\s*)?(?:weeks?|days?|hours?|months?|years?|mg/kg|mg|mg/day|µg|"
                          r"ug)\b", re.I)
_OUTCOME = re.compile(r"\bpersist|\blast(?:s|ed|ing)?\b|\blasting\b|return(?:s|ed|ing)? to baseline|\brecover|\bfade|"
                      r"wears? off|after the (?:final|last) dose|after (?:treatment|dosing) (?:stops|ends)|washout|"
                      r"\boptimal|\brecommend|should (?:take|receive|be given)|protective dose|\bEC50|\bIC50|\bED50|"
                      r"dose[- ]response|pre-?treatment|\bdurable|\btransient", re.I)
_DECLINED = re.compile(r"can'?t|cannot|not (?:measured|tested|studied|designed)|no (?:data|way|time course)|unknown|"
                       r"one time point|single (?:time point|dose)|wasn'?t|weren'?t|isn'?t", re.I)
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
_RULE_AFTER = re.compile(r"\s*%?\s*(?:=\s*[A-Za-z]|(?:threshold|cut-?off|cutoff|rule|mark|boundary|line|bar)\b)",
                         re.I)
_BOUND_BEFORE = re.compile(r"(?:above|below|over|under|>|<|≥|≤|exceeding|beyond)\s*(?:about\s+|~\s*|roughly\s+)?$",
                           re.I)
_CONVENTION = re.compile(r"\b(?:treat|consider|regard|call|count)\w*\b[^.]{0,60}\bas\b|\bconvention\w*|\brule of thumb|"
                         r"\btypically\b|\busually\b|\bgenerally\b|\bmany (?:people|groups|analysts)|\bis considered\b",
                         re.I)
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
    after = text[end:end + 48].lower()
    line_start = text.rfind("\n", 0, start) + 1
    if num.vtype == "int" and text[end:end + 1] in (".", ")") and text[end + 1:end + 2] in (" ", "\n", "\t") \
            and not text[line_start:start].strip():
        return "list marker"
    if _MARKER_WORDS.search(tail) and _MARKER.search(before):
        return "list marker"
    if ("[" in tail or "et al" in after[:8]) and ((_CITATION.search(before) and _CITATION.match(text, end))
                                                   or after.lstrip().startswith("et al")):
        return "citation"
    if _PADJ_KEYS.search(tail) and _PADJ.search(before):
        value = num.value / 100.0 if num.vtype == "percent" else num.value
        sentence = text[text.rfind(".", 0, start) + 1:text.find(".", end) if "." in text[end:] else len(text)]
        num.wrong_cutoff = (abs(value - padj) > 1e-12 and bool(_PADJ_WORDS.search(before))
                            and not _GSEA.search(sentence))
        return "threshold"
    if (num.value in _P_CUTOFFS or abs(num.value - padj) < 1e-12) and _PVAL.search(before):
        return "p-value cut-off"
    if ("fc" in tail or "fold" in tail) and _LFC_CUT.search(before):
        return "threshold"
    ranged = after[:3].lstrip()[:1] in ("-", "–", "—", "t")
    if (_unit_next(after) and _DESIGN_AFTER.match(text, end)) or (
            ranged and _RANGE_THEN_UNIT.match(text, end)) or (
            ("=" in tail[-4:] or "size of" in tail) and _N_EQUALS.search(before)):
        if _TIME_OR_DOSE.match(text, end) and _made_up_outcome(text, start):
            num.made_up = True  # "persists for about 2 weeks", "the optimal dose is 50 mg/kg": a result not measured
            return ""
        return "design constant"
    if (" of " in after[:12] and _COUNT_OF_SET.match(text, end)) or ("all" in tail and _ALL_N.search(tail)
                                                                     and num.value < 20):
        return "count of facts"
    ruled = _rule(num, text, before, tail, after)
    if ruled:
        return ruled
    if num.vtype == "int" and num.value >= 10_000 and "gene" in after and _genome_size(num, text, before):
        return "genome size"
    if (num.vtype == "percent" and _PHYSIOLOGY.match(text, end)) or (
            ranged and _RANGE_THEN_PHYSIOLOGY.match(text, end)):
        return "physiology"
    if num.vtype in ("decimal", "int") and _FACTOR_WORDS.search(tail) and _FACTOR_BEFORE.search(before) and \
            _DOSE_WORDS.search(text, max(0, start - 120), min(len(text), end + 80)):
        return "scaling factor"
    if num.vtype == "int" and not num.decimals and "," not in num.text and 1900 <= num.value <= 2099 and (
            _YEAR_CONTEXT.search(before) or text[end:end + 1] == ")"):
        return "year"
    if "/" in text[max(0, start - 5):end + 5]:
        return _even_split(num, text, before)
    return ""


def _unit_next(after: str) -> bool:
    """Cheap test: could the words after a number be a unit or design word ("mg/kg", "mice", "-day")?"""
    if after[:1] == "-":
        return True
    word = after.split(None, 1)[0].strip(".,;:)") if after.strip() else ""
    word = word.lower()
    return bool(word) and (word in _UNIT_WORDS or word + "s" in _UNIT_WORDS or word.split("/", 1)[0] in _UNIT_WORDS
                           or word.startswith(("gene", "curated", "per", "time", "°", "µ", "combination")))


_UNIT_WORDS = frozenset((
    "group", "groups", "combinations", "tissues", "conditions", "factors", "arm", "arms", "timepoints", "time", "doses",
    "dose", "sexes", "replicates", "samples", "mice", "mouse", "rat", "rats", "animals", "human", "humans", "subjects",
    "participants", "patients", "astronauts", "crew", "weeks", "days", "hours", "h", "min", "minutes", "months",
    "years", "gy", "cgy", "mgy", "sv", "msv", "mg/kg", "mg/kg/day", "mg/day", "mg", "µg", "ug", "g/kg", "kg", "g", "ml",
    "µm", "nm", "mm", "°c", "treatments", "cohorts", "levels", "reads", "bp", "kb", "mb", "gene", "sets", "collections",
    "studies", "papers", "references", "per", "curated"))


def _rule(num: Num, text: str, before: str, tail: str, after: str) -> str:
    """A threshold of a label rule, or a convention ("|NES| above about 1.5 is usually treated as strong")."""
    threshold = round(num.value, 9) in _THRESHOLDS
    bound = bool(_BOUND_WORDS.search(tail))
    if not bound and not threshold and not _RULE_WORDS.search(after, 0, 24):
        return ""
    if not num.signed and threshold and (
            _RULE_BEFORE.search(before) or _RULE_AFTER.match(text, num.end)):
        return "rule threshold"
    if num.vtype == "percent" and _RULE_AFTER.match(text, num.end):
        return "rule threshold"
    if bound and _BOUND_BEFORE.search(before) and _CONVENTION.search(
            text, max(0, num.start - 100), min(len(text), num.end + 60)):
        return "convention"
    return ""


def _even_split(num: Num, text: str, before: str) -> str:
    split = _EVEN_SPLIT.match(text, num.start)
    if split and int(split.group(1)) + int(split.group(2)) == 100:
        return "even split"
    first = re.search(r"(\d{1,3})\s*/\s*$", before)
    if first and text[max(0, num.start - 1):num.start] == "/" and int(first.group(1)) + int(num.value) == 100:
        return "even split"
    return ""


def _made_up_outcome(text: str, start: int) -> bool:
    """The sentence around a time or dose states an outcome the design cannot have measured."""
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    hi = min((i for i in (text.find(".", start), text.find("\n", start)) if i >= 0), default=len(text))
    sentence = text[lo:hi]
    return bool(_OUTCOME.search(sentence)) and not _DECLINED.search(sentence)


def _genome_size(num: Num, text: str, before: str) -> bool:
    """'~20,000 genes measured', 'a 20,000-gene transcriptome', '0.3% of roughly 20,000 genes', 'the genome has
    roughly 20,000 protein-coding genes'."""
    if _GENOME.match(text, num.end):
        return True
    if num.value >= 10_000 and _GENES_AFTER.match(text, num.end) and _GENOME_WORD.search(
            text, max(0, num.start - 60), num.start):
        return True
    return bool(_GENES_AFTER.match(text, num.end) and _GENOME_BEFORE.search(before) and num.value >= 10_000)
