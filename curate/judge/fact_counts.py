"""Counts of the items the fact sheet lists: "the heart has 8 hub genes", "3 liver pathways follow a SUPPRESSION
pattern", "all 4 tissues". Such a count is about the summary's structure, not a DEG count: it is checked against
how many facts of that kind the sheet holds (for the tissue its own words name, or in all), and never against a
gene count or a fold change.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge import messages
from curate.judge.numbers import matches

if TYPE_CHECKING:
    from curate.judge.linking import Reader
    from curate.judge.numbers import Num

_NOUN = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?P<noun>hub genes?|(?:hallmark\s+)?pathways?|gene sets?|"
                   r"(?:interaction\s+)?terms|tissues|organs)\b", re.I)
_KIND = {"hub": "hub_gene", "pathway": "pathway_shift", "gene set": "pathway_shift", "interaction": "interaction",
         "term": "interaction", "tissue": "tissue_class", "organ": "tissue_class"}
_PATTERNS = {"rescu": "RESCUE", "suppress": "SUPPRESSION", "kmp-only": "KMP_ONLY", "kmp only": "KMP_ONLY",
             "kmp_only": "KMP_ONLY"}


def check_fact_count(reader: Reader, num: Num, clause: tuple[int, int]) -> bool:
    """Judge `num` as a count of listed facts if the words after it say so; False when they do not."""
    if num.vtype != "int" or num.value > 50 or num.pred == "neq":
        return False
    found = _NOUN.match(reader.text, num.end)
    if found is None:
        return False
    noun = found.group("noun").lower()
    kind = next(v for k, v in _KIND.items() if k in noun)
    lo, hi = reader.doc.sentences[reader.doc.sentence_of(num.start)]
    sentence = reader.text[lo:hi].lower()
    pattern = next((v for k, v in _PATTERNS.items() if k in sentence), None)
    tissues = {c.value for c in reader.doc.in_range("tissue", lo, hi)} & reader.lex.tissues
    counts = {tissue: _count(reader, kind, pattern, tissue) for tissue in reader.lex.tissues}
    counts[""] = sum(counts.values()) if kind != "tissue_class" else len(reader.lex.tissues)
    if any(matches(num, float(value)) for value in counts.values()):
        reader.confirm("number", num.start, num.end, (), states=False)
        return True
    where = ""
    if len(tissues) == 1 and kind != "tissue_class" and reader.doc.in_range("tissue", *clause):
        where = next(iter(tissues))  # its own clause names the tissue: the sheet lists another count there
    elif not tissues and _IN_ALL.search(sentence):
        where = "all tissues"  # "in total, KMP rescues 10 pathway-tissue combinations"
    if where:
        expected = counts[where if where in counts else ""]
        reader.refute(messages.claim("wrong_number", reader.text, num.start, num.end, num.text.strip(),
                                     str(expected), (), f"the summary lists {expected} {noun} "
                                     f"({where}), not {num.text.strip()}"))
    return True


_IN_ALL = re.compile(r"\b(?:in total|total of|overall|in all|altogether|across (?:all|the) (?:four |4 )?tissues)\b")


def _count(reader: Reader, kind: str, pattern: str | None, tissue: str) -> int:
    facts = [reader.lex.facts[f] for f in reader.lex.facts_by_tissue.get(tissue, ())]
    return sum(1 for f in facts if f.kind == kind and (pattern is None or getattr(f, "pattern", pattern) == pattern))
