"""Orderings: "a (3) > b (2)" chains, "ranks first", "has the least", ties.

A chain's items are bound to facts by their labels (and their numbers, when written); a superlative
by the labels just before it. The values compared are one kind of fact varying in one dimension.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from curate.judge.linking import EARLIER
from curate.judge.numbers import read_numbers

if TYPE_CHECKING:
    from curate.judge.lexicon import Cue, Slot
    from curate.judge.linking import Reader

RELATION_HINT = re.compile(r"\s(?:>=|<=|>|<|=|≥|≤)\s")
_LABEL_GAP = re.compile(r"\s*(?:,\s*and|,|and)?\s*")
_RELATION = re.compile(r"\s(>=|<=|>|<|=|≥|≤)\s")
_ITEM = re.compile(r"^\s*(?P<label>[^()]*?)\s*(?:\((?P<num>[^()]*)\))?\s*$")
_ENTITY_DIMS = ("tissue", "cond", "term", "gene", "pathway")


def check_chains(reader: Reader) -> None:
    """'soleus (6,425) > liver (4,110) = ...': every relation between neighbours must hold."""
    text = reader.text
    relations = list(_RELATION.finditer(text))
    chains: list[list[tuple[int, int, str]]] = []  # items as (start, end, relation to the next item)
    current: list[tuple[int, int, str]] = []
    for index, rel in enumerate(relations):
        following = relations[index + 1].start() if index + 1 < len(relations) else None
        if current and current[-1][1] == rel.start():
            current[-1] = (current[-1][0], current[-1][1], rel.group(1))
        else:
            if current:
                chains.append(current)
            current = [(_item_start(text, rel.start()), rel.start(), rel.group(1))]
        current.append((rel.end(), _item_end(text, rel.end(), following), ""))
    if current:
        chains.append(current)
    for chain in chains:
        _check_chain(reader, chain)


def _item_start(text: str, pos: int) -> int:
    depth, i = 0, pos - 1
    while i >= 0:
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and (ch in ";:\n" or (ch in ",." and text[i + 1:i + 2].isspace())):
            return i + 1
        i -= 1
    return 0


def _item_end(text: str, pos: int, following: int | None) -> int:
    depth, i = 0, pos
    while i < len(text):
        if following is not None and i >= following:
            return following
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
            if depth == 0:
                return i + 1
        elif depth == 0 and (ch in ";:\n" or (ch in ",." and (i + 1 >= len(text) or text[i + 1].isspace()))):
            return i
        i += 1
    return i


def _check_chain(reader: Reader, chain: list[tuple[int, int, str]]) -> None:
    parsed_items: list[tuple[Cue, float | None, str, int, int]] = []
    for start, end, relation in chain:
        parsed = _ITEM.match(reader.text[start:end])
        if not parsed or not parsed.group("label") or len(parsed.group("label").split()) > 4:
            return
        label_start = start + parsed.start("label")
        label_end = start + parsed.end("label")
        cues = [c for c in reader.doc.cues if label_start <= c.start and c.end <= label_end and c.dim in _ENTITY_DIMS]
        if not cues:
            return
        number = None
        if parsed.group("num") is not None:
            nums = read_numbers(parsed.group("num"), 1.0)
            if len(nums) != 1:
                return
            number = nums[0].value
        parsed_items.append((cues[-1], number, relation, start, end))
    if any(number is None for _, number, *_ in parsed_items):
        values = _resolve_values(reader, [cue for cue, *_ in parsed_items])
        if values is None:
            return
    else:
        values = [number for _, number, *_ in parsed_items if number is not None]
    items = [(cue, value, rel, s, e) for (cue, _, rel, s, e), value in zip(parsed_items, values, strict=True)]
    for (cue_a, a, rel, _, _), (cue_b, b, _, _, _) in itertools.pairwise(items):
        ok = {">": a > b, "<": a < b, "=": abs(a - b) < 1e-9, ">=": a >= b, "≥": a >= b, "<=": a <= b,
              "≤": a <= b}[rel]
        if not ok:
            start, end = items[0][3], items[-1][4]
            ordered = " > ".join(c.value for c, *_ in sorted(items, key=lambda item: -item[1]))
            reader.wrong("wrong_order", start, end, f"{cue_a.value} {rel} {cue_b.value}", ordered, (),
                    f"{cue_a.value} ({a:g}) {rel} {cue_b.value} ({b:g}) is false")
            return


def group(reader: Reader, dim: str, labels: set[str], start: int, end: int, *,
          nes: bool = False, near: bool = False) -> list[Slot] | None:
    """The values a superlative or ranking compares: one fact kind, varying only in `dim` (`nes`: pathway NES
    may be what is compared, one side of them: stress or KMP)."""
    vtypes = ("count", "lfc", "nes") if nes else ("count", "lfc")
    pool = [s for s in (reader.primary if reader.has_ids else
                        [s for f in reader.lex.sheet.facts for s in reader.lex.slots_by_fact[f.id]])
            if s.vtype in vtypes and s.label("cattr") in ("total", None)]
    if not reader.has_ids:
        clause = reader.doc.clause(start, end)
        others = tuple(d for d in ("tissue", "cond", "agent", "kind", "term", "pathway") if d != dim)
        ctx = reader.context(start, end, clause, others)
        ctx.values = {d: v for d, v in ctx.values.items() if d != "cattr" and not (near and v[1] == EARLIER)}
        pool = [s for s in pool if reader.compatible(s, ctx)]
        if "cond" in ctx.values and dim != "cond":
            pool = [s for s in pool if s.label("cond") is not None]
            if "agent" not in ctx.values:
                pool = [s for s in pool if s.label("kind") != "kmp"]
    named = [s for s in pool if s.label(dim) in labels]
    kinds = {s.label("kind") for s in named}
    if len(kinds) > 1 and "kmp" in kinds and not _says_kmp(reader, start, end):  # no KMP said: the stressors'
        pool = [s for s in pool if s.label("kind") != "kmp"]
        named = [s for s in named if s.label("kind") != "kmp"]
        kinds.discard("kmp")
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    members = [s for s in pool if s.label("kind") == kind and s.label(dim) is not None]
    fixed = [d for d in ("tissue", "cond", "term", "gene", "pathway") if d != dim]
    for d in fixed:
        values = {s.label(d) for s in named}
        if len(values) == 1:
            members = [s for s in members if s.label(d) in values]
    if {s.label(dim) for s in members} < labels or len(members) < 2:
        return None
    if len({s.label(dim) for s in members}) != len(members):
        return None
    return members


def _says_kmp(reader: Reader, start: int, end: int) -> bool:
    lo, hi = reader.doc.sentences[reader.doc.sentence_of(start)]
    return any(c.value == "kmp" for c in reader.doc.in_range("agent", lo, max(hi, end)))


def _resolve_values(reader: Reader, cues: list) -> list[float] | None:
    dims = {c.dim for c in cues}
    if len(dims) != 1:
        return None
    dim = dims.pop()
    found = group(reader, dim, {c.value for c in cues}, cues[0].start, cues[-1].end)
    if found is None:
        return None
    by_label = {s.label(dim): s.value for s in found}
    return [by_label[c.value] for c in cues]


def labels_before(reader: Reader, pos: int) -> list:
    cues = [c for c in reader.doc.cues if c.end <= pos and c.dim in _ENTITY_DIMS and not c.negated]
    picked: list = []
    cursor = pos
    for cue in reversed(cues):
        if cue.end > cursor:
            continue
        if not _LABEL_GAP.fullmatch(reader.text[cue.end:cursor]):
            break
        if picked and cue.dim != picked[0].dim:
            break
        picked.insert(0, cue)
        cursor = cue.start
    return picked
