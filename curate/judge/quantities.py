"""The number check: every number that states a study quantity must match a fact, or a value derived from facts.

A number is bound to the slots its words allow (`curate.judge.linking`), and must match one of them
to the precision it is written with. A number that matches a slot the words rule out is a wrong
number; one that matches no slot at all is unsupported, unless the question states it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge import messages
from curate.judge.arithmetic import check_expression, link_expressions
from curate.judge.linking import NONE, PARENT, SENT_LEFT, Context
from curate.judge.numbers import VTYPES, Num, matches, read_numbers

if TYPE_CHECKING:
    from curate.judge.lexicon import Slot
    from curate.judge.linking import Reader

ALL_DIMS = ("tissue", "kind", "cond", "agent", "term", "pathway", "gene", "cattr")
_REPORTED = re.compile(r"\b(?:claim(?:ed|s)?|says?|said|wrote|written|stated?|quoted?|reported as|draft|figure in)\b",
                       re.I)


def check_numbers(reader: Reader) -> list[Num]:
    """Check every number of the text; returns them all (exempt ones included) for the word checks."""
    padj = reader.lex.sheet.padj_threshold
    numbers = read_numbers(reader.text, padj)
    reader.outside_bases = [n.value for n in numbers if n.exempt == "genome size"]
    reader.counts_written = {n.value for n in numbers if n.vtype == "int" and not n.exempt}
    reader.doc.number_starts = [n.start for n in numbers if not n.exempt]
    for num in numbers:
        if num.wrong_cutoff:
            reader.refute(messages.wrong_threshold(reader.text, num, padj))
    for expression in link_expressions(numbers, reader.text):
        check_expression(reader, expression)
    previous_end = 0
    for index, num in enumerate(numbers):
        next_start = numbers[index + 1].start if index + 1 < len(numbers) else len(reader.text)
        if not num.exempt and not num.is_result:
            clause = reader.doc.clause(num.start, num.end, previous_end, next_start)
            _check_number(reader, num, clause)
        previous_end = num.end
    return numbers


def _candidates(num: Num, slots: list[Slot]) -> list[Slot]:
    vtypes = VTYPES[num.vtype]
    return [s for s in slots if s.vtype in vtypes]


def _check_number(reader: Reader, num: Num, clause: tuple[int, int]) -> None:
    operand = num.expr >= 0
    if operand and not num.operand_first:
        clause = (num.start, num.end)
    primary = _candidates(num, reader.primary)
    derived = _candidates(num, reader.derived)
    if operand:  # arithmetic starts from the facts (or a sum of them), not from another result
        derived = [s for s in derived if s.vtype == "count"]
    if num.vtype == "int" and reader.doc.in_range("kind", *clause):
        kinds = {c.value for c in reader.doc.in_range("kind", *clause)}
        if kinds & {"pathway", "hub"}:
            primary += [s for s in reader.primary if s.vtype in ("nes", "lfc") and s not in primary]
    key = (num.vtype, len(primary))
    dims = reader.dims_cache.get(key)
    if dims is None:
        dims = reader.dims_cache[key] = _dims_that_matter(primary, derived)
    ctx = reader.context(num.start, num.end, clause, dims, operand=operand)
    agent = ctx.values.get("agent")
    if agent and agent[1] == SENT_LEFT and num.vtype in ("signed", "decimal") and \
            reader.stress_after_kmp(num.start, clause):
        ctx.values["agent"] = (frozenset({"stress"}), SENT_LEFT)
    strong = ctx.only_strong()
    allowed = [s for s in primary if reader.compatible(s, ctx) or reader.named_near(s, strong)]
    hit = next((s for s in allowed if matches(num, s.value)), None)
    if hit is None:  # far words (earlier sentences, the question) yield to near ones
        allowed_near = [s for s in primary if reader.compatible(s, strong)]
        hit = next((s for s in allowed_near if matches(num, s.value)), None)
        allowed = allowed or allowed_near
    if hit is None and not (num.vtype == "int" and _named_in_clause(reader, clause, num)):
        hit = next((s for s in derived if reader.compatible(s, strong) and matches(num, s.value)), None)
    if hit is not None:
        reader.confirm("number", num.start, num.end, hit.fact_ids, states=not hit.derived)
        return
    if round(num.value, 6) in reader.question_numbers and (
            not reader.context(num.start, num.end, clause, ALL_DIMS, operand=operand).strong()
            or _REPORTED.search(reader.text, max(0, num.start - 60), num.start)):
        return
    if num.pred == "neq" and not allowed:
        return
    if num.vtype == "percent" and _share_of_outside(reader, num):
        return
    if _widen(reader, num, clause):
        return
    any_scope = next((s for s in primary if matches(num, s.value)), None)
    bound = reader.context(num.start, num.end, clause, ALL_DIMS, operand=operand).strong()
    if any_scope is not None and (not bound or not allowed):
        reader.confirm("number", num.start, num.end, any_scope.fact_ids)
        return
    if allowed:
        reader.refute(messages.wrong_number(reader.text, num, allowed, swapped=any_scope))
    else:
        reader.refute(messages.unsupported_number(reader.text, num, reader.scope_ids if reader.has_ids else ()))


def _share_of_outside(reader: Reader, num: Num) -> bool:
    """'roughly 27%' of '~20,000 genes measured': a share of a number from outside the study."""
    bases = reader.outside_bases
    if not bases:
        return False
    counts = {s.value for s in reader.primary if s.vtype == "count"} | reader.counts_written
    return any(base and matches(num, 100.0 * value / base) for base in bases for value in counts)


def _named_in_clause(reader: Reader, clause: tuple[int, int], num: Num) -> bool:
    """A count with its own contrast, term, gene or pathway beside it states that fact, not a sum."""
    return any(c.end <= num.start or c.start >= num.end
               for dim in ("cond", "term", "gene", "pathway") for c in reader.doc.in_range(dim, *clause))


def _widen(reader: Reader, num: Num, clause: tuple[int, int]) -> bool:
    """Cues that name facts outside the example's fact ids: check against those facts."""
    if not reader.has_ids:
        return False
    full: Context = reader.context(num.start, num.end, clause, ALL_DIMS).only_strong()
    named = {d for d, (_, level) in full.values.items() if level <= PARENT and d != "cattr"}
    if not named & {"tissue", "cond", "term", "pathway", "gene"}:
        return False
    if any(reader.compatible(s, full) for s in _candidates(num, reader.primary)):
        return False
    scope_tissues = {reader.lex.facts[f].tissue for f in reader.scope_ids}
    tissues = full.values.get("tissue", (frozenset(scope_tissues), NONE))[0]
    pool = [s for t in tissues for f in reader.lex.facts_by_tissue.get(t, ()) for s in reader.lex.slots_by_fact[f]]
    fits = [s for s in _candidates(num, pool) if reader.compatible(s, full)]
    if not fits:
        return False
    hit = next((s for s in fits if matches(num, s.value)), None)
    if hit is not None:
        reader.confirm("number", num.start, num.end, hit.fact_ids)
        return True
    if len(fits) <= 3:
        reader.refute(messages.wrong_number(reader.text, num, fits))
        return True
    return False


def _dims_that_matter(primary: list[Slot], derived: list[Slot]) -> tuple[str, ...]:
    """The dimensions on which the candidate slots differ: only those need words to bind a number."""
    dims = []
    for dim in ALL_DIMS:
        labels = {s.label(dim) for s in primary} | {s.label(dim) for s in derived if s.label(dim) is not None}
        if len(labels) > 1:
            dims.append(dim)
    return tuple(dims)
