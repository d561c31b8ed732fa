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
         "strongest", "weakest", "tie", "top", "bottom", "lead", "domin", "maximum", "minimum", "second", "third",
         "fourth", "2nd", "3rd", "4th", "runner-up", "hardest", "worst")
HINT = re.compile(r"first|last|most|least|highest|lowest|largest|smallest|greatest|biggest|fewest|strongest|weakest|"
                  r"\btie|\btop\b|bottom|\bleads?\b|dominat|second|third|fourth|2nd|3rd|4th|runner-up|hardest|worst",
                  re.I)
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
    rf"top|bottom|first|last)|"
    rf"(?:is|are|was|were)\s+(?:only\s+|just\s+)?(?:the\s+)?(?P<ord>second|third|fourth|2nd|3rd|4th)[- ]"
    rf"(?P<ordword>{_WORDS})\b|"
    rf"(?:ranks?|comes?|is ranked|places?|finishes|is)\s+(?:only\s+)?(?P<ord2>second|third|fourth|2nd|3rd|4th)\b|"
    rf"(?:is|was|comes|as)\s+(?:the\s+)?(?P<runner>runner-up)|"
    rf"(?:is|are|was|were)\s+(?:hit|affected|struck|changed)\s+(?:the\s+)?(?P<hard>hardest|worst|most|least)\b)",
    re.I)
# the subject after a verb: "unloading hits the soleus hardest", "radiation affects the heart the least"
_VERB_OBJECT = re.compile(r"\b(?:hits?|affects?|affected|strikes?|struck|changes|perturbs?)\s+(?:the\s+)?"
                          r"(?P<obj>[\w-]+(?:\s[\w-]+)?)\s+(?:the\s+)?(?P<hard>hardest|worst|most|least)\b", re.I)
_ORDINALS = {"second": 2, "2nd": 2, "runner-up": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
# "apart from the brain, the liver has the most": a subject set aside is not in the comparison
_SET_ASIDE = re.compile(r"\b(?:apart from|aside from|besides|except(?: for)?|other than|outside(?: of)?|excluding|"
                        r"not counting|after|behind|beyond|not)\s+(?:the\s+)?$", re.I)
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
            rank, word = _rank_asked(match)
            _judge(reader, cues, word, cues[0].start, match.end(), rank=rank)
    for match in _VERB_OBJECT.finditer(text) if ("hardest" in text or " the least" in text or " most" in text
                                                  or "worst" in text) else ():
        if reader.skippable(match.start(), quotes):
            continue
        cues = [c for c in reader.doc.in_range("tissue", *match.span("obj")) if not c.negated][:1]
        if cues:
            _judge(reader, cues, _word(match), match.start(), match.end())
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
    for name in ("word", "word2", "rank", "lead", "tie", "ord", "ord2", "runner", "hard"):
        found = match.groupdict().get(name)
        if found:
            found = found.lower()
            return {"hardest": "most", "worst": "most"}.get(found, found)
    return ""


def _rank_asked(match: re.Match[str]) -> tuple[int, str]:
    """'the second most responsive' -> (2, 'most'); 'the runner-up' -> (2, 'most'); else (1, its word)."""
    groups = match.groupdict()
    ordinal = groups.get("ord") or groups.get("ord2") or groups.get("runner")
    if ordinal:
        return _ORDINALS[ordinal.lower()], (groups.get("ordword") or "most").lower()
    return 1, _word(match)


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


def _judge(reader: Reader, cues: list[Cue], word: str, start: int, end: int, rank: int = 1) -> None:
    text = reader.text
    dim = cues[0].dim
    labels = {c.value for c in cues}
    lo, hi = reader.doc.sentences[reader.doc.sentence_of(start)]
    nes = bool(_PATHWAY_WORDS.search(text, lo, hi)) and dim != "pathway"
    members = group(reader, dim, labels, start, end, nes=nes, near=True)
    if members is not None and dim == "cond" and _SINGLE.search(text, lo, hi):
        members = [s for s in members if s.label("cond") in ("HU", "IR")]
    aside = _set_aside(reader, dim, labels, lo, start)
    members = [s for s in members or () if s.label(dim) not in aside]
    if len(members) < 2 or rank > len(members):
        return
    phrase = text[start:end].lower()
    top = word in _TOP
    value = _measure(members, phrase, word)
    if "negative" in phrase:
        top = not top
    ordered = sorted({value(s) for s in members}, reverse=top)
    extreme = ordered[rank - 1] if rank <= len(ordered) else ordered[-1]
    negated = reader.negated(start) or bool(re.search(r"\bnot\b", text[cues[-1].end:end], re.I))
    values = {s.label(dim) or "": value(s) for s in members}
    is_extreme = all(abs(values[label] - extreme) < 1e-9 for label in labels if label in values)
    ids = sorted({f for s in members for f in s.fact_ids})
    if is_extreme == negated:
        winners = sorted(label for label, v in values.items() if abs(v - extreme) < 1e-9)
        reader.wrong("wrong_superlative", start, end, text[start:end],
                     f"{' and '.join(winners)} {_place(rank, top)}", tuple(ids),
                     f"{_place(rank, top)}: {', '.join(winners)} ({extreme:g})")
    else:
        reader.confirm("ordering", start, end, [f for s in members if s.label(dim) in labels for f in s.fact_ids])


def _place(rank: int, top: bool) -> str:
    if rank == 1:
        return "ranks first" if top else "has the least"
    return f"ranks {rank} from the {'top' if top else 'bottom'}"


def _set_aside(reader: Reader, dim: str, labels: set[str], lo: int, start: int) -> set[str]:
    """The subjects the sentence sets aside before the superlative ('apart from the brain', 'after the soleus')."""
    return {c.value for c in reader.doc.cues if c.dim == dim and lo <= c.start < start and c.value not in labels
            and _SET_ASIDE.search(reader.text, max(lo, c.start - 24), c.start)}


def _measure(members: list[Slot], phrase: str, word: str) -> Callable[[Slot], float]:
    """NES compare by size when 'strongest'/'weakest', else by value; counts by value."""
    if word in ("strongest", "weakest") and any(s.vtype == "nes" for s in members) and \
            "positive" not in phrase and "negative" not in phrase:
        return lambda s: abs(s.value)
    return lambda s: s.value
