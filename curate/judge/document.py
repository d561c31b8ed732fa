"""The text a claim sits in: sentences, clauses and the cue words of the lexicon, with fast look-ups.

A clause is the stretch between boundaries (commas, semicolons, brackets, "and", "but", "while", a
dash); the words that bind a claim to a fact are looked for in its clause first, then its sentence,
then earlier sentences (`curate.judge.linking`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from curate.judge.lexicon import Cue, Lexicon
from curate.judge.numbers import NUMBER

_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[\"«(A-Z0-9])|\n+")
_FROM_TO_WORD = re.compile(r"\bfrom\b(?:[^,;:.]|(?<=\d)[,.](?=\d))*?\s(to)\b")
_COLON_BEFORE_NUMBER = re.compile(r":(?=\s*[+\-−]?\d)")
_NOT_SIGNIFICANT = r"\s*(?:which is\s+)?not significant"  # "NES +0.931, not significant under stress": one clause
_BOUNDARY = re.compile(rf"(?<!\d),(?!{_NOT_SIGNIFICANT})|,(?!\d|{_NOT_SIGNIFICANT})|[;()]|:(?!\s*[+\-−]?\d)|"
                       r"\b(?:and|but|nor|while|whereas|or)\b|\s[-–—]\s")
_BETWEEN = re.compile(r"\bbetween\s+(?:[\w'’-]+\s+){1,3}?(and)\b", re.I)
_ACRONYM = re.compile(r"\((?:HU|IR|KMP|HU\+IR|OXPHOS|NES|DEGs?|padj|vs\.? control)\)")
# arrows, "vs" and "against 198" (a figure set against another) also end a clause
_MORE_BOUNDARIES = re.compile(r"→|⟶|->|\bvs\.?(?=\s)|\bversus\b|"
                              r"\b(?:against|compared (?:with|to))(?=\s+(?:the\s+|just\s+|only\s+)?[~≈]?\d)")


@dataclass
class Doc:
    text: str
    cues: list[Cue]
    sentences: list[tuple[int, int]]
    sent_starts: list[int]
    bounds: list[int]
    by_dim: dict[str, list[Cue]] = field(default_factory=dict)
    starts_by_dim: dict[str, list[int]] = field(default_factory=dict)
    parents: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # line start -> context lines
    number_starts: list[int] = field(default_factory=list)  # where the numbers that may claim something start

    @classmethod
    def read(cls, text: str, lex: Lexicon, parents: dict[int, list[tuple[int, int]]] | None = None) -> Doc:
        cues = lex.scan(text)
        sentences, last = [], 0
        for match in _SENTENCE_END.finditer(text):
            sentences.append((last, match.start()))
            last = match.end()
        sentences.append((last, len(text)))
        starts = {m.start() for m in _BOUNDARY.finditer(text)} | {e for _, e in sentences}
        if "(" in text:  # "hindlimb unloading (HU) causes 4,110": an acronym in brackets does not end the clause
            for match in _ACRONYM.finditer(text):
                starts.discard(match.start())
                starts.discard(match.end() - 1)
        if "→" in text or "->" in text or "⟶" in text or "vs" in text or "versus" in text or "against" in text or \
                "compared" in text:
            starts |= {m.start() for m in _MORE_BOUNDARIES.finditer(text)}
        if "between" in text:  # "differ between KMP and vehicle under IR": the two sides of one contrast, one clause
            starts -= {m.start(1) for m in _BETWEEN.finditer(text)}
        bounds = sorted(starts)
        # "from no effect at baseline to 491 genes under stress": the cue before "to" is not 491's.
        for match in _FROM_TO_WORD.finditer(text):
            bisect.insort(bounds, match.start(1))
        # "share up: 59.4%" reads across its colon; "against 910 under HU+IR: 877 fewer" does not.
        for colon in _COLON_BEFORE_NUMBER.finditer(text):
            before = bisect.bisect_left(bounds, colon.start()) - 1
            previous = bounds[before] if before >= 0 else 0
            if NUMBER.search(text, previous, colon.start()):
                bisect.insort(bounds, colon.start())
        doc = cls(text, cues, sentences, [s for s, _ in sentences], bounds, parents=parents or {})
        for cue in cues:
            if not cue.negated:
                doc.by_dim.setdefault(cue.dim, []).append(cue)
        doc.starts_by_dim = {dim: [c.start for c in found] for dim, found in doc.by_dim.items()}
        return doc

    def modifies_a_number(self, cue: Cue) -> bool:
        """'−1.6 with KMP', '52 under IR': a cue after a number in its clause is that number's, not the sentence's."""
        lo, _ = self.clause(cue.start, cue.end)
        i = bisect.bisect_left(self.number_starts, lo)
        return i < len(self.number_starts) and self.number_starts[i] < cue.start

    def parents_of(self, pos: int) -> list[tuple[int, int]]:
        """The lines that give context to the line at `pos` (a list item's lead-in, headings), nearest first."""
        if not self.parents:
            return []
        return self.parents.get(self.text.rfind("\n", 0, pos) + 1, [])

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def clause(self, start: int, end: int, left_stop: int = 0, right_stop: int | None = None) -> tuple[int, int]:
        i = bisect.bisect_right(self.bounds, start) - 1
        left = self.bounds[i] if i >= 0 else 0
        j = bisect.bisect_right(self.bounds, end - 1)
        right = self.bounds[j] if j < len(self.bounds) else len(self.text)
        sent = self.sentences[self.sentence_of(start)]
        left = max(left, left_stop, sent[0])
        right = min(right, right_stop if right_stop is not None else right, sent[1])
        return left, right

    def in_range(self, dim: str, lo: int, hi: int) -> list[Cue]:
        starts = self.starts_by_dim.get(dim)
        if not starts:
            return []
        cues = self.by_dim[dim]
        return cues[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


_QUOTED = re.compile(r"«[^»]*»|\"[^\"\n]*\"|“[^”]*”")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Quotations: what someone else said is not the text's own claim."""
    return [m.span() for m in _QUOTED.finditer(text)] if any(q in text for q in '"«“') else []
