"""Whether a claim's own words rule a fact out: the binding rule of the number check (docs/judge.md).

A figure that equals some fact is right unless its *own* words name something that fact is not. Its own words
are its clause; the clause it hangs on (a bracket, "which"); the line right above a list item or table row (its
lead-in or column header); and the sentence's one named subject. Earlier sentences, headings further up and
the question are weaker evidence: they never turn a figure that equals a fact into a finding.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge.linking import CLAUSE, PARENT, SENT_LEFT

if TYPE_CHECKING:
    from curate.judge.lexicon import Slot
    from curate.judge.linking import Context, Reader
    from curate.judge.numbers import Num


def specific(num: Num) -> bool:
    """Written as a point value precise enough to name a fact: exact, or hedged with two significant digits or
    more ("about 1,300", not "about 1,000", which many facts round to)."""
    if num.pred == "eq":
        return True
    return num.pred == "approx" and abs(num.value) >= 10 * num.precision


def conflicts(reader: Reader, ctx: Context, slot: Slot, clause: tuple[int, int]) -> bool:
    """The number's own words name something the slot is not (another contrast, side, direction, tissue...).

    Its own words are its clause; for a clause that only hangs on the one before ("KMP × IR is much smaller
    (211)", "unloading, which changed 910"), that one too; the line right above a list item or table row; and
    the sentence's subject (tissue, pathway, gene or term) named before it, when the sentence names one only,
    not several in play. Words further away (earlier sentences, headings, the question) do not rule a fact out."""
    for dim, (values, level) in ctx.values.items():
        label = slot.by_dim.get(dim)
        if label is None or label in values:
            continue
        if level == CLAUSE or (level == PARENT and _in_lead_in(reader, dim, clause)):
            return True
        if level == SENT_LEFT and ((dim in _SUBJECTS and _sole_value(reader, dim, clause))
                                   or _in_attached(reader, dim, clause)):
            return True
    return False


def _in_lead_in(reader: Reader, dim: str, clause: tuple[int, int]) -> bool:
    """The line right above a list item or table row (its lead-in, or the column header) names `dim`; a heading
    further up does not speak for every line under it."""
    parents = reader.doc.parents_of(clause[0])
    return bool(parents) and bool(reader.doc.in_range(dim, *parents[0]))


_SUBJECTS = ("tissue", "pathway", "gene", "term")  # what a sentence is about, named once for all its figures


def _sole_value(reader: Reader, dim: str, clause: tuple[int, int]) -> bool:
    """The sentence names one value of `dim` before the clause (its subject), not several."""
    lo = reader.doc.sentences[reader.doc.sentence_of(clause[0])][0]
    return len({c.value for c in reader.doc.in_range(dim, lo, clause[0])}) == 1


_ATTACHED = re.compile(r"[\s,]*(?:\(\s*[+\-−~≈]?\d|\b(?:which|that)\b)", re.I)


def _in_attached(reader: Reader, dim: str, clause: tuple[int, int]) -> bool:
    """The clause hangs on the one before it (a bracket opening on the figure, 'which'), and that one names `dim`."""
    if not _ATTACHED.match(reader.text, max(0, clause[0] - 1)) and not _ATTACHED.match(reader.text, clause[0]):
        return False
    before = reader.doc.clause(max(0, clause[0] - 2), max(1, clause[0] - 1))
    return bool(reader.doc.in_range(dim, before[0], clause[0]))
