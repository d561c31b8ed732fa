"""Rankings written as structure: an ordered list or table, and the pick that answers "which ... the most?".

"1. Hippocampus: 5,477 / 2. Liver: 1,273 / 3. Heart: 33 / 4. Soleus: 67" under "DEGs under IR, ranked:"
claims each item is above the next. A list counts as a ranking when it is numbered, or a table has a
Rank column, and its lead-in, heading or the question says it ranks or orders ("rank", "largest to
smallest", "top five"); items must each be labelled by one entity of one kind (tissues, stressors,
terms, genes, pathways). The values compared are the facts of those entities (`orderings.group`),
or, when the words do not say which facts, the numbers the items give.

A one-word answer to "Which tissue has the most DEGs under HU alone?" ("Liver, 4,110.") states the
question's superlative of that entity: it is read as "Liver has the most DEGs under HU alone".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge.markdown import Block
from curate.judge.numbers import read_numbers
from curate.judge.orderings import group

if TYPE_CHECKING:
    from curate.judge.lexicon import Cue
    from curate.judge.linking import Reader

_RANKED = re.compile(r"\brank|\border(?:ed|ing)?\b|\bfrom (?:the )?(?:most|largest|highest|biggest|least|smallest|"
                     r"lowest|fewest)|(?:largest|most|highest|biggest|smallest|least|lowest|fewest) (?:to|first)\b|"
                     r"\btop (?:\d+|two|three|four|five|six|seven|eight)\b|\bdescending|\bascending|\bsorted", re.I)
_ASCENDING = re.compile(r"(?:smallest|least|lowest|fewest) (?:to|first)|\bascending|from (?:the )?(?:least|smallest|"
                        r"lowest|fewest)", re.I)
_ENTITY_DIMS = ("tissue", "cond", "term", "gene", "pathway")


def check_rankings(reader: Reader) -> None:
    for block in reader.blocks:
        if len(block.items) >= 2 and _is_ranking(reader, block):
            _check_block(reader, block)


def _is_ranking(reader: Reader, block: Block) -> bool:
    if not (block.ordered or block.ranked_column or _RANKED.search(_intro_text(reader, block))):
        return False
    return block.ranked_column or bool(_RANKED.search(_intro_text(reader, block) + " " + reader.question))


def _intro_text(reader: Reader, block: Block) -> str:
    if not block.items:
        return ""
    parents = reader.doc.parents_of(block.items[0].start)
    return " ".join(reader.text[a:b] for a, b in parents)


def _check_block(reader: Reader, block: Block) -> None:
    labels: list[Cue] = []
    for item in block.items:
        cues = [c for c in reader.doc.cues if item.start <= c.start < item.label_end and c.dim in _ENTITY_DIMS
                and not c.negated]
        if len({(c.dim, c.value) for c in cues}) != 1:
            return
        labels.append(cues[0])
    if len({c.dim for c in labels}) != 1 or len({c.value for c in labels}) != len(labels):
        return
    items = block.items
    if block.ranked_column and all(item.rank is not None for item in items):
        order = sorted(range(len(items)), key=lambda i: items[i].rank or 0)
        items, labels = [items[i] for i in order], [labels[i] for i in order]
    values = _true_values(reader, labels, block) or _written_values(reader, block, items)
    if values is None:
        return
    ascending = bool(_ASCENDING.search(_intro_text(reader, block) + " " + reader.question))
    for i in range(len(items) - 1):
        a, b = values[i], values[i + 1]
        if (a < b) if not ascending else (a > b):
            start, end = items[i].start, items[i + 1].end
            word = "below" if not ascending else "above"
            reader.wrong("wrong_order", start, end, f"{labels[i].value} ranked above {labels[i + 1].value}",
                         f"{labels[i].value} ({a:g}) is {word} {labels[i + 1].value} ({b:g})", (),
                         f"{labels[i].value} ({a:g}) ranked above {labels[i + 1].value} ({b:g})")
            return
    reader.confirm("ordering", items[0].start, items[-1].end, ())


def _true_values(reader: Reader, labels: list[Cue], block: Block) -> list[float] | None:
    dim = labels[0].dim
    members = group(reader, dim, {c.value for c in labels}, block.items[0].start, block.items[0].end, near=True)
    if not members:
        return None
    by_label = {s.label(dim): s.value for s in members}
    return [by_label[c.value] for c in labels] if all(c.value in by_label for c in labels) else None


def _written_values(reader: Reader, block: Block, items: list) -> list[float] | None:
    """The first number after each item's label, when every item gives one of the same kind."""
    values, kinds = [], set()
    for item in items:
        numbers = [n for n in read_numbers(reader.text[item.label_end:item.end], 1.0) if not n.exempt]
        if not numbers:
            return None
        values.append(numbers[0].value)
        kinds.add(numbers[0].vtype)
    return values if len(kinds) == 1 else None


_PICK = re.compile(r"^\s*(?:[^?]*?[,:;]\s*)?(?:which|what)\s+(?:single\s+)?(?P<noun>tissues?|organs?|stressors?|"
                   r"conditions?|"
                   r"(?:interaction\s+)?terms?|(?:hub\s+)?genes?|pathways?)\s+(?P<rest>[^?]{3,120})\?", re.I)
_NOUN_DIM = {"tissue": "tissue", "organ": "tissue", "stressor": "cond", "condition": "cond", "term": "term",
             "gene": "gene", "pathway": "pathway"}
_LEAD = re.compile(r"\s*(?:answer:\s*|the\s+|it'?s\s+(?:the\s+)?|that'?s\s+(?:the\s+)?)?", re.I)


def pick(reader: Reader) -> tuple[str, int, int] | None:
    """The statement a one-entity answer makes to a "which ... the most/least?" question, and the entity's span:
    ("Liver has the most DEGs under HU alone", start, end), or None."""
    from curate.judge.superlatives import HINT

    asked = _PICK.search(reader.question)
    if not asked or not HINT.search(asked.group("rest")):
        return None
    noun = asked.group("noun").lower().split()[-1].rstrip("s")
    dim = _NOUN_DIM.get(noun)
    lead = _LEAD.match(reader.text)
    position = lead.end() if lead else 0
    first = next((c for c in reader.doc.cues if c.dim == dim and not c.negated), None)
    if first is None or first.start != position:
        return None
    following = reader.text[first.end:first.end + 2]
    if following and following[0].isalpha():
        return None
    return f"{reader.text[first.start:first.end]} {asked.group('rest').strip()}.", first.start, first.end
