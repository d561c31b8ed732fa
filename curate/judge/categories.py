"""Categories: response class, pathway pattern, interaction class (additive/synergistic/antagonistic), significance.

Each rule finds its phrase, skips it where it claims nothing (inside a question, a quotation, a list
of options or a rule statement), binds it to a fact with the words around it, and compares;
"not stress-activated" claims the opposite.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.schemas.rules import interaction_class

if TYPE_CHECKING:
    from curate.judge.linking import Reader
    from curate.judge.numbers import Num

CLASS_LABELS = {"A": "stress-activated", "B": "baseline-active", "C": "stress-blocked"}
LABEL_CLASS = {label: letter for letter, label in CLASS_LABELS.items()}
# Cheap test that says whether a rule can apply at all (the rules' own patterns are slower).
PATTERN_WORDS = ("rescu", "suppression", "kmp_only", "kmp-only", "kmp only", " ns", "(ns", "ns)", "ns.", "ns,")
PATTERN_HINT = re.compile(r"RESCU|SUPPRESSION|KMP_ONLY|\bNS\b|KMP[- ]only", re.I)
_CLASS = re.compile(r"(?-i:\bType ([ABC])\b)(?!\s*/|\s*,\s*[ABC]\b|\s+or\s+[ABC]\b)|"
                    r"\b(stress-activated|baseline-active|stress-blocked)\b", re.I)
_PATTERN = re.compile(
    r"(?-i:\b(RESCUE|SUPPRESSION|KMP_ONLY|NS)\b)|\b(KMP[- ]only)\b(?!\s+(?:partly|partially|slightly|modestly|"
    r"shifts|changes|moves|raises|lowers|acts|has|does))|\b(rescue|suppression)\s+pattern\b|"
    r"\b(?P<rescue>rescue[sd]?|rescuing)\b|\b(?P<suppression>suppression)\b", re.I)
_OF_PATHWAY = re.compile(r"\s+(?:of|in)\s+(?:the\s+)?(?:stress-driven\s+\w+\s+in\s+)?", re.I)
_INTERACTION = re.compile(r"\b(?P<word>additive(?:ly)?|synergistic(?:ally)?|antagonistic(?:ally)?|"
                          r"(?<=from )additivity)\b|"
                          r"(?P<amplify>amplif(?:y|ies|ied)\s+each\s+other|more than (?:the )?sum)", re.I)
_NOT_A_CLASS = re.compile(r"\s+(?:expectation|expected|model|sum|prediction|null|baseline|reference|"
                          r"rule|cut-?offs?|thresholds?)\b", re.I)
_EXPECTED_BEFORE = re.compile(r"\b(?:expect(?:ed|ation)?|if|assuming|were it)\s+$", re.I)
_DEPARTS = re.compile(r"\b(?:depart(?:s|ed|ing)?|deviat(?:es|ed|ing)?|differs?)\s+from\s+$", re.I)
_CLASS_OF = {"additiv": "additive", "synergis": "synergistic", "antagonis": "antagonistic"}
_SIGNIFICANCE = re.compile(r"\)?\s*,?\s*(?:which is\s+|and\s+)?(not\s+)?(?:statistically\s+)?significant\b", re.I)


def check_classes(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    text = reader.text
    for match in _CLASS.finditer(text):
        start, end = match.span()
        letter = match.group(1) or LABEL_CLASS[match.group(2).lower()]
        after = text[end:end + 12].lower()
        if reader.skippable(start, quotes) or after.lstrip(" )").startswith("tissues"):
            continue
        if match.group(2) and _in_list(text, start, end, r"stress-activated|baseline-active|stress-blocked"):
            continue
        ids = [f"tissue_class:{t}" for t in reader.tissues_for(start, end)]
        facts = [reader.lex.facts[i] for i in ids if i in reader.lex.facts]
        if not facts:
            continue
        negated = reader.negated(start)
        truths = [f.response_class for f in facts]
        wrong = all((t == letter) == negated for t in truths)
        if wrong:
            fact = facts[0]
            expected = f"Type {fact.response_class} ({CLASS_LABELS[fact.response_class]})"
            said = ("not " if negated else "") + match.group(0)
            reader.wrong("wrong_class", start, end, said, expected, tuple(f.id for f in facts),
                    f"{fact.tissue} is {expected}")
        else:
            reader.confirm("category", start, end, [f.id for f in facts], said=("not " if negated else "") + letter)


def _in_list(text: str, start: int, end: int, alternatives: str) -> bool:
    window_before = text[max(0, start - 40):start]
    window_after = text[end:end + 40]
    joined = rf"(?:{alternatives})\s*(?:,|\bor\b|\band\b|/)\s*$"
    return bool(re.search(joined, window_before, re.I) or
                re.match(rf"\s*(?:,|\bor\b|\band\b|/)\s*(?:\w+\s*)?(?:{alternatives})", window_after, re.I))


def check_patterns(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    text = reader.text
    names = r"RESCUE|SUPPRESSION|KMP_ONLY|KMP[- ]only|NS|rescue|suppression|not significant"
    for match in _PATTERN.finditer(text):
        start, end = match.span()
        word = match.group(1) or match.group(2) or match.group(3) or ("RESCUE" if match.group("rescue") else
                                                                      "SUPPRESSION")
        said = word.upper().replace("-", "_").replace(" ", "_")
        if reader.skippable(start, quotes) or _in_list(text, start, end, names):
            continue
        negated = reader.negated(start)
        for fact in _pathway_facts(reader, start, end):
            if (fact.pattern == said) == negated:
                reader.wrong("wrong_pattern", start, end, ("not " if negated else "") + said, fact.pattern,
                             (fact.id,), f"{fact.pathway} in {fact.tissue} follows a {fact.pattern} pattern")
                break
            reader.confirm("category", start, end, [fact.id], said=("not " if negated else "") + said)


def _pathway_facts(reader: Reader, start: int, end: int) -> list:
    """The pathway facts a pattern word is about: 'OXPHOS and mTORC1 are rescued', 'rescue of OXPHOS', else the one
    pathway the words around it name."""
    lo = reader.doc.sentences[reader.doc.sentence_of(start)][0]
    cut = max(reader.text.rfind(";", lo, start), reader.text.rfind(":", lo, start), lo - 1) + 1
    named = [c.value for c in reader.doc.in_range("pathway", cut, start)]
    after = _OF_PATHWAY.match(reader.text, end)
    if after:
        named += [c.value for c in reader.doc.in_range("pathway", after.end(), after.end() + 2)]
    tissues = reader.tissues_for(start, end)
    if named and len(tissues) == 1:
        tissue = next(iter(tissues))
        facts = [reader.lex.facts.get(f"pathway_shift:{tissue}:{p}") for p in dict.fromkeys(named)]
        return [f for f in facts if f is not None]
    fact = reader.pathway_fact(start, end)
    return [fact] if fact is not None else []


def check_interactions(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    text = reader.text
    names = r"additive|synergistic|antagonistic"
    for match in _INTERACTION.finditer(text):
        start, end = match.span()
        word = (match.group("word") or "").lower()
        said = "synergistic" if match.group("amplify") else next(v for k, v in _CLASS_OF.items() if word.startswith(k))
        if reader.skippable(start, quotes) or re.search(r"=\s*$", text[max(0, start - 4):start]):
            continue
        if _in_list(text, start, end, names) or _NOT_A_CLASS.match(text, end) or \
                _EXPECTED_BEFORE.search(text, max(0, start - 14), start):
            continue
        for tissue in sorted(reader.tissues_for(start, end))[:1]:
            ids = [f"deg_count:{tissue}:{c}" for c in ("HU", "IR", "HU_IR")]
            facts = [reader.lex.facts[i] for i in ids if i in reader.lex.facts]
            if len(facts) != 3:
                continue
            truth = interaction_class(*(f.n_degs for f in facts))
            negated = reader.negated(start) or bool(_DEPARTS.search(text, max(0, start - 24), start))
            if (truth == said) == negated:
                reader.wrong("wrong_interaction", start, end, ("not " if negated else "") + said, truth,
                        tuple(ids), f"HU and IR in {tissue}: the combined count makes the effect {truth}")
            else:
                reader.confirm("category", start, end, ids, said=("not " if negated else "") + said)


def check_significance(reader: Reader, numbers: list[Num]) -> None:
    """'NES +0.931, not significant': the flag of the NES it follows."""
    nes_slots = [s for s in reader.primary if s.vtype == "nes"]
    for num in numbers:
        match = _SIGNIFICANCE.match(reader.text, num.end)
        if not match or num.vtype not in ("signed", "decimal"):
            continue
        slots = [s for s in nes_slots if abs(s.value - num.value) <= 0.5 * num.precision + 1e-9]
        if len(slots) != 1:
            continue
        fact = reader.lex.facts[slots[0].fact_ids[0]]
        side = slots[0].label("agent")
        truth = fact.stress_significant if side == "stress" else fact.kmp_significant
        said_significant = not match.group(1)
        if truth != said_significant:
            reader.wrong("wrong_significance", num.start, match.end(), match.group(0).strip(" ,"),
                         "significant" if truth else "not significant", (fact.id,),
                         f"the {side} NES of {fact.pathway} in {fact.tissue} is {'' if truth else 'not '}significant")
        else:
            reader.confirm("category", num.start, match.end(), [fact.id],
                           said="significant" if said_significant else "not significant")


_SIGNIFICANT_WORDS = re.compile(
    r"(?P<neg>\bnot\s+|n't\s+|\bno\s+)?(?:statistically\s+)?significantly\s+(?:\w+\s+)?(?P<verb>enrich\w*|deplet\w*|"
    r"shift\w*|chang\w*|alter\w*|rais\w*|lower\w*|mov\w*|affect\w*|up-?regulat\w*|down-?regulat\w*)", re.I)


def check_significance_words(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    """'OXPHOS is significantly enriched by stress', 'not significantly shifted': the significance flag of the side
    (stress or KMP) that moves the pathway."""
    from curate.judge.directions import side_of_verb

    text = reader.text
    for match in _SIGNIFICANT_WORDS.finditer(text):
        start, end = match.span()
        if reader.skippable(start, quotes):
            continue
        lo, _ = reader.doc.sentences[reader.doc.sentence_of(start)]
        side = side_of_verb(reader, lo, start, end)
        fact = reader.pathway_fact(start, end)
        if side is None or fact is None:
            continue
        truth = fact.stress_significant if side == "stress" else fact.kmp_significant
        said = not (match.group("neg") or reader.negated(start))
        if truth != said:
            shown = "significant" if truth else "not significant"
            reader.wrong("wrong_significance", start, end, match.group(0), shown,
                         (fact.id,), f"the {side} NES of {fact.pathway} in {fact.tissue} is "
                                     f"{'' if truth else 'not '}significant")
        else:
            reader.confirm("category", start, end, [fact.id], said="significant" if said else "not significant")
