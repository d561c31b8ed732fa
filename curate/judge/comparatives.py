"""Comparatives: "under HU the liver has more DEGs than the soleus", "IR changes fewer genes than HU in the heart",
"the hippocampus responds more strongly to unloading than the liver does".

A comparative names two subjects of one kind (two tissues, two conditions, two terms...): the one after "than"
and the last one of the same kind before it. What is compared is an amount (genes, DEGs, a response, an effect,
"fewer"), one fact kind varying only in the subjects' dimension (`orderings.group`), read from the words around
them (a stressor, KMP, a tissue). The claim is judged only when all of this is unambiguous: a negated comparative,
a bound ("more than 4,000"), or a sentence that names other subjects of that kind in play is left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge.orderings import group

if TYPE_CHECKING:
    from curate.judge.lexicon import Cue
    from curate.judge.linking import Reader

HINT = re.compile(r"\bthan\b", re.I)
_COMPARATIVE = re.compile(
    r"\b(?P<word>more|fewer|less|larger|smaller|bigger|greater|higher|lower|stronger|weaker|broader|narrower|"
    r"wider)\b(?P<between>[^.;:!?()]{0,80}?)\bthan\s+(?:(?:that|those)\s+(?:of|in|under)\s+|in\s+|under\s+|with\s+|"
    r"at\s+|for\s+|after\s+|from\s+|does\s+)?(?:the\s+)?", re.I)
_UP = frozenset(("more", "larger", "bigger", "greater", "higher", "stronger", "broader", "wider"))
# what is compared must be an amount: genes, a response, an effect ("fewer" says so by itself)
_AMOUNT = re.compile(r"\b(?:DEGs?|genes?|transcripts?|changes?|responses?|responsive|effects?|impact|footprint|"
                     r"hits|affected|perturbed|differentially|strongly|heavily|widely|dramatically|disrupted|"
                     r"reprogramm\w*|program\w*|counts?)\b", re.I)
_NOT_AMOUNT = re.compile(r"\b(?:up|down|regulated|enriched|depleted|synerg\w*|antagon\w*|additiv\w*|balanced|"
                         r"significant|likely|times|fold|twice|half|than\s+(?:expected|predicted)|NES|score|"
                         r"sensitive|resistant|variable|complex|specific|important)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|n't)\b|n't\b", re.I)
_ENTITY_DIMS = ("tissue", "cond", "term")


def check_comparatives(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    text = reader.text
    for match in _COMPARATIVE.finditer(text):
        start = match.start()
        if reader.skippable(start, quotes):
            continue
        other = _cue_at(reader, match.end())
        if other is None:
            continue  # "more than 4,000", "more down than up": no subject after "than"
        subject = _subject(reader, other, start, match.start("between"), match.end("between"))
        if subject is None or not _about_amounts(text, match, subject):
            continue
        if _NEGATION.search(text, max(subject.end, start - 12), start) or _NEGATION.search(match.group("between")):
            continue
        _judge(reader, subject, other, match.group("word").lower() in _UP, subject.start, other.end)


def _cue_at(reader: Reader, pos: int) -> Cue | None:
    found = [c for c in reader.doc.cues if pos <= c.start <= pos + 1 and c.dim in _ENTITY_DIMS and not c.negated]
    return found[0] if found else None


def _subject(reader: Reader, other: Cue, word_start: int, between_start: int, between_end: int) -> Cue | None:
    """The other subject of the same kind: the one cue of `other`'s dimension between the sentence's start (or
    its last semicolon) and "than". Several different ones in play (or none) make the comparison unclear."""
    lo = reader.doc.sentences[reader.doc.sentence_of(word_start)][0]
    lo = max(lo, reader.text.rfind(";", lo, word_start) + 1)
    cues = [c for c in reader.doc.in_range(other.dim, lo, between_end) if c.value != other.value]
    if len({c.value for c in cues}) != 1 or any(c.value == other.value for c in
                                                 reader.doc.in_range(other.dim, lo, between_end)):
        return None
    return cues[-1]


def _about_amounts(text: str, match: re.Match[str], subject: Cue) -> bool:
    between = match.group("between")
    word = match.group("word").lower()
    if _NOT_AMOUNT.search(between):
        return False
    if word in ("fewer",):
        return True
    window = text[max(subject.start, match.start() - 40):match.end()]
    return bool(_AMOUNT.search(window)) and not _NOT_AMOUNT.search(text, match.start(), match.end("word") + 20)


def _judge(reader: Reader, subject: Cue, other: Cue, larger: bool, start: int, end: int) -> None:
    dim = subject.dim
    members = group(reader, dim, {subject.value, other.value}, start, end, near=True)
    if not members:
        return
    values = {s.label(dim): s for s in members}
    a, b = values.get(subject.value), values.get(other.value)
    if a is None or b is None or a.value == b.value:
        return
    if (a.value > b.value) == larger:
        reader.confirm("ordering", start, end, [*a.fact_ids, *b.fact_ids])
        return
    said = f"{subject.value} {'>' if larger else '<'} {other.value}"
    reader.wrong("wrong_order", start, end, said, f"{subject.value} {a.value:g}, {other.value} {b.value:g}",
                 (*a.fact_ids, *b.fact_ids), f"{said} is false: {subject.value} {a.value:g}, {other.value} {b.value:g}")
