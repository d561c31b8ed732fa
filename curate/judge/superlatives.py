"""Superlatives: "the soleus has the most DEGs", "X is the largest", "the smallest KMP effect under IR is in
the soleus", "... — the largest baseline KMP effect of any tissue", "ranks first", "leads", ties.

A superlative names its subject (the labels before it, the label after "is (in)", or, for an aside, the one
entity of its kind the sentence names) and what it compares (the words around it: a stressor, KMP, a
pathway's NES). The facts compared are one kind varying in the subject's dimension (`orderings.group`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from curate.judge.lexicon import Cue
from curate.judge.orderings import group, labels_before

if TYPE_CHECKING:
    from curate.judge.lexicon import Slot
    from curate.judge.linking import Reader

WORDS = ("first", "last", "most", "least", "highest", "lowest", "largest", "smallest", "greatest", "biggest", "fewest",
         "strongest", "weakest", "tie", "top", "bottom", "lead", "domin", "maximum", "minimum")
HINT = re.compile(r"first|last|most|least|highest|lowest|largest|smallest|greatest|biggest|fewest|strongest|weakest|"
                  r"\btie|\btop\b|bottom|\bleads?\b|dominat", re.I)
_WORDS = r"largest|smallest|highest|lowest|most|least|fewest|biggest|greatest|strongest|weakest|maximum|minimum"
_WORD = rf"(?P<word>{_WORDS})"
_WORD2 = rf"(?P<word2>{_WORDS})"
_AFTER_MOST = re.compile(r"\s+(?:\w+\s+)?(?:DEGs?|genes?|changes?|changed|transcripts?|effects?|responses?|"
                         r"responsive|impact|interactions?|terms?|counts?|NES|enrichment|fold|shifts?|hits|affected|"
                         r"perturbed|differentially|regulated|negative|positive|KMP|stress|HU|IR)\b|\s*[.,;:()]|\s*$")
# subject first: "X has the most ...", "X is the largest", "X ranks first", "X leads", "X and Y tie for the least"
_SUBJECT_FIRST = re.compile(
    rf"\b(?:(?:has|have|had|shows?|showed|displays?|gives?|gets?|produces?|sees?|carries|holds)\s+(?:by far\s+|"
    rf"clearly\s+|still\s+)?the\s+(?:single\s+)?{_WORD}|(?:is|are|was|were)\s+(?:by far\s+|clearly\s+|still\s+)?"
    rf"(?:the\s+)?{_WORD2}\b|(?:ranks?|comes?|is ranked|places?|sits?)\s+(?P<rank>first|top|highest|last|bottom|"
    rf"lowest)|(?P<lead>leads|tops the list|dominates)\b|ties?\s+for\s+(?:the\s+)?(?P<tie>most|least|highest|lowest|"
    rf"top|bottom|first|last))", re.I)
# subject after: "the smallest KMP effect under IR is in the soleus"
_SUBJECT_AFTER = re.compile(rf"\bthe\s+{_WORD}\s+(?P<what>[^.;:!?]{{0,60}}?)\s+(?:is|are|was|were|comes|occurs|sits|"
                            rf"lies)\s+(?:in|for|from|under|at|with)?\s*(?:the\s+)?", re.I)
# an aside: "... 309 liver genes — the largest baseline KMP effect of any tissue"
_ASIDE = re.compile(rf"(?:[—–,(]|\bit'?s|\bit is|\bthat'?s|\bthis is|\bwith)\s*(?:by far\s+)?the\s+{_WORD}\s+"
                    rf"(?P<what>[^.;:!?]{{0,60}}?)\s+(?:of any|of all|among|of the (?:four|4|three|five|eight)|"
                    rf"across(?: the)?|in the (?:study|dataset|set))\s+(?P<over>[\w ]{{0,20}})", re.I)
# a label naming the extreme: "Largest term: HU×IR" (a table column rendered), "Dominant single stressor HU"
_LABELLED = re.compile(r"\b(?P<word>largest|smallest|highest|lowest|biggest|top|dominant|strongest|weakest)\s+"
                       r"(?:single\s+)?(?:interaction\s+)?(?:term|stressor|tissue|condition|gene|pathway|effect)s?"
                       r"\s*:?\s+", re.I)
_TOP = {"first", "top", "highest", "most", "largest", "greatest", "biggest", "maximum", "strongest", "leads",
        "tops the list", "dominates", "dominant"}
_SINGLE = re.compile(r"\bsingle\b|\balone\b|dominat|\bby itself\b|\bon its own\b", re.I)
_PATHWAY_WORDS = re.compile(r"\bNES\b|enrich|pathway|gene set|OXPHOS|rescue|recovery|suppression", re.I)
_DIM_NOUNS = {"tissue": "tissue", "tissues": "tissue", "organ": "tissue", "organs": "tissue", "condition": "cond",
              "conditions": "cond", "stressor": "cond", "stressors": "cond", "term": "term", "terms": "term",
              "gene": "gene", "genes": "gene", "pathway": "pathway", "pathways": "pathway"}


def check_superlatives(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    text = reader.text
    for match in _SUBJECT_FIRST.finditer(text):
        if reader.skippable(match.start(), quotes) or not _about_amounts(text, match):
            continue
        cues = labels_before(reader, match.start())
        if cues:
            _judge(reader, cues, _word(match), cues[0].start, match.end())
    lower = text.lower()
    the_word = any(f"the {word}" in lower for word in _WORDS.split("|"))
    for match in _SUBJECT_AFTER.finditer(text) if the_word else ():
        if reader.skippable(match.start(), quotes) or not _about_amounts(text, match):
            continue
        cues = _labels_at(reader, match.end())
        if cues:
            _judge(reader, cues, _word(match), match.start(), cues[-1].end)
    for match in _LABELLED.finditer(text) if ("dominant" in lower or the_word or ":" in text or ";" in text) else ():
        if reader.skippable(match.start(), quotes):
            continue
        cues = _labels_at(reader, match.end())
        if cues:
            _judge(reader, cues, match.group("word").lower(), match.start(), cues[-1].end)
    for match in _ASIDE.finditer(text) if the_word else ():
        if reader.skippable(match.start(), quotes):
            continue
        dim = _DIM_NOUNS.get(match.group("over").strip().split(" ")[-1].lower(), "tissue") if match.group(
            "over").strip() else "tissue"
        cue = _subject_of_aside(reader, dim, match.start())
        if cue is not None:
            _judge(reader, [cue], _word(match), match.start(), match.end())


def _word(match: re.Match[str]) -> str:
    for name in ("word", "word2", "rank", "lead", "tie"):
        found = match.groupdict().get(name)
        if found:
            return found.lower()
    return ""


def _about_amounts(text: str, match: re.Match[str]) -> bool:
    """'the most lopsided response' is not about how many: 'most'/'least' must be followed by an amount."""
    word = (match.groupdict().get("word") or match.groupdict().get("word2") or "").lower()
    return word not in ("most", "least") or bool(_AFTER_MOST.match(text, match.end()))


def _labels_at(reader: Reader, pos: int) -> list[Cue]:
    """The entity named right at `pos` (after "... is in the")."""
    cues = [c for c in reader.doc.cues if pos <= c.start <= pos + 2 and c.dim in ("tissue", "cond", "term", "gene",
                                                                                   "pathway") and not c.negated]
    return cues[:1]


def _subject_of_aside(reader: Reader, dim: str, pos: int) -> Cue | None:
    """The one entity of `dim` the sentence names before the aside, else the one the question names."""
    lo, _ = reader.doc.sentences[reader.doc.sentence_of(pos)]
    named = {c.value: c for c in reader.doc.in_range(dim, lo, pos)}
    if len(named) == 1:
        return next(iter(named.values()))
    asked = reader.q_by_dim.get(dim, frozenset()) if not named else frozenset()
    if len(asked) == 1:  # "it's the smallest ... of the four tissues", about the tissue the question names
        return Cue(pos, pos, dim, next(iter(asked)))
    return None


def _judge(reader: Reader, cues: list[Cue], word: str, start: int, end: int) -> None:
    text = reader.text
    dim = cues[0].dim
    labels = {c.value for c in cues}
    lo, hi = reader.doc.sentences[reader.doc.sentence_of(start)]
    nes = bool(_PATHWAY_WORDS.search(text, lo, hi)) and dim != "pathway"
    members = group(reader, dim, labels, start, end, nes=nes, near=True)
    if members is not None and dim == "cond" and _SINGLE.search(text, lo, hi):
        members = [s for s in members if s.label("cond") in ("HU", "IR")]
    if not members or len(members) < 2:
        return
    phrase = text[start:end].lower()
    top = word in _TOP
    value = _measure(members, phrase, word)
    if "negative" in phrase:
        top = not top
    extreme = max(value(s) for s in members) if top else min(value(s) for s in members)
    negated = reader.negated(start) or bool(re.search(r"\bnot\b", text[cues[-1].end:end], re.I))
    values = {s.label(dim) or "": value(s) for s in members}
    is_extreme = all(abs(values[label] - extreme) < 1e-9 for label in labels if label in values)
    ids = sorted({f for s in members for f in s.fact_ids})
    if is_extreme == negated:
        winners = sorted(label for label, v in values.items() if abs(v - extreme) < 1e-9)
        reader.wrong("wrong_superlative", start, end, text[start:end],
                     f"{' and '.join(winners)} {'ranks first' if top else 'has the least'}", tuple(ids),
                     f"{'highest' if top else 'lowest'} is {', '.join(winners)} ({extreme:g})")
    else:
        reader.confirm("ordering", start, end, [f for s in members if s.label(dim) in labels for f in s.fact_ids])


def _measure(members: list[Slot], phrase: str, word: str) -> Callable[[Slot], float]:
    """NES compare by size when 'strongest'/'weakest', else by value; counts by value."""
    if word in ("strongest", "weakest") and any(s.vtype == "nes" for s in members) and \
            "positive" not in phrase and "negative" not in phrase:
        return lambda s: abs(s.value)
    return lambda s: s.value
