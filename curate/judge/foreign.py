"""Study quantities about subjects the study does not report: another organ, species or sex, a gene or
pathway outside the fact sheet. Such a number is foreign, not wrong."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.judge.linking import Reader
    from curate.judge.numbers import Num

# Subjects the study reports nothing about: other organs, species, sexes (beside the number), and genes or
# Hallmark pathways outside the sheet (beside it, or named by the question of a short answer).
_FOREIGN_HERE = re.compile(r"\b(?:kidneys?|lungs?|spleen|retina|bone marrow|thymus|pancreas|testis|ovary|ovaries|rats?|"
                           r"monkeys?|dogs?|females?|males?|cortex|cortical|cerebellum|striatum|hypothalamus|amygdala|"
                           r"gastrocnemius|quadriceps|tibialis)\b", re.I)
_FOREIGN_NAMED = re.compile(r"(?i:\b(?:hypoxia|apoptosis|glycolysis|inflammatory response|unfolded protein "
                            r"response)\b)|\b[A-Z][a-z]{1,5}\d{1,2}[a-z]?\b|\b[A-Z]{2,4}-\d[α-ω]")


def foreign_subject(reader: Reader, num: Num, clause: tuple[int, int]) -> str:
    """A study quantity about something the study does not report (another organ, species or sex, a gene or
    pathway not in the sheet): the subject named beside the number, or by the question of a short answer."""
    if num.vtype not in ("int", "signed", "decimal") or num.pred == "neq":
        return ""
    here = reader.text[clause[0]:clause[1]]
    found = _FOREIGN_HERE.search(here)
    if found:
        return found.group(0)
    for window in (here, reader.question) if is_short(reader) else (here,):
        for match in _FOREIGN_NAMED.finditer(window):
            word = match.group(0)
            if word not in reader.lex.names_exact and word.lower() not in reader.lex.name_keys:
                return word
    return ""


def is_short(reader: Reader) -> bool:
    """A one- or two-sentence answer: the question says what its numbers are about."""
    return bool(reader.question) and len(reader.doc.sentences) <= 2
