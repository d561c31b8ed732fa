"""The number check: every number that states a study quantity must match a fact, or a value derived from facts.

A number is bound to the slots its words allow (`curate.judge.linking`), and must match one of them
to the precision it is written with. A number that matches a slot the words rule out is a wrong
number; one that matches no slot at all is unsupported, unless the question states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from curate.judge import messages
from curate.judge.arithmetic import Expression, check_expression, from_written, link_expressions
from curate.judge.asks import INTERACTION_CLASS_WORDS
from curate.judge.binding import conflicts, specific
from curate.judge.derived import derivation_said
from curate.judge.fact_counts import check_fact_count
from curate.judge.foreign import foreign_subject, is_short
from curate.judge.linking import CLAUSE, NONE, PARENT, QUESTION, SENT_LEFT, Context
from curate.judge.numbers import VTYPES, Num, matches, read_numbers
from curate.schemas.rules import RULE_THRESHOLDS

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
    reader.written = [n for n in numbers if not n.exempt and n.vtype != "signed"]
    reader.doc.number_starts = [n.start for n in numbers if not n.exempt]
    for num in numbers:
        if num.wrong_cutoff:
            reader.refute(messages.wrong_threshold(reader.text, num, padj))
    expressions = link_expressions(numbers, reader.text)
    _set_aside(expressions, reader)
    results = {e.sides[-1][0][-1].text.strip() for e in expressions}
    clauses, deferred = {}, []
    previous_end = 0
    written = [n.text.strip() for n in numbers if not n.exempt]
    for index, num in enumerate(numbers):
        next_start = numbers[index + 1].start if index + 1 < len(numbers) else len(reader.text)
        if not num.exempt and not num.is_result:
            clauses[index] = reader.doc.clause(num.start, num.end, previous_end, next_start)
            if num.text.strip() in results and num.expr < 0:  # may repeat a result worked out above
                deferred.append(index)
            elif num.expr < 0 and written.count(num.text.strip()) > 1 and _bare(reader, num, clauses[index]):
                num.restated = True  # '244 genes. In heart, the HU×IR term holds 244 genes': read with its words
                deferred.append(index)
            else:
                _check_number(reader, num, clauses[index])
        previous_end = num.end
    wrong = {(f.start, f.end) for f in reader.findings}
    wrong_results: set[str] = set()  # results worked out wrong above: a later sum that uses one is wrong too
    for expression in expressions:
        operands = [n for side, _ in expression.sides for n in side if not n.is_result]
        result = expression.sides[-1][0][-1]
        if any((n.start, n.end) in wrong or n.text.strip() in wrong_results for n in operands):
            reader.refute(messages.from_wrong_figure(reader.text, expression.start, result))
            wrong_results.add(result.text.strip())
        elif check_expression(reader, expression):
            reader.confirmed_values.add(result.text.strip())
        else:
            wrong_results.add(result.text.strip())
    for index in deferred:
        _check_number(reader, numbers[index], clauses[index])
    return numbers


def _set_aside(expressions: list[Expression], reader: Reader) -> None:
    """Arithmetic on a rule's threshold ("1.25 × 198 = 247.5", "910 − 247.5") or a complement ("100 − 32.4 =
    67.6%") states no result of the study: its numbers are not checked against the facts (its sums still are)."""
    for expression in expressions:
        numbers = [n for side, _ in expression.sides for n in side]
        joined = reader.text[expression.start:expression.end]
        rule = any(round(n.value, 9) in _THRESHOLDS or round(n.value, 6) in reader.rule_bars for n in numbers
                   if not n.is_result) and any(op in joined for op in ("×", "*", "−", "-", " x "))
        complement = any(n.value == 100 and n.vtype == "int" for n in numbers) and any(
            n.vtype == "percent" for n in numbers) and ("−" in joined or "-" in joined)
        if rule or complement:
            for num in numbers:
                num.exempt = num.exempt or ("rule bar" if rule else "complement")
            if rule:
                reader.rule_bars.add(round(expression.sides[-1][0][-1].value, 6))


def _candidates(num: Num, slots: list[Slot]) -> list[Slot]:
    vtypes = VTYPES[num.vtype] if not (num.vtype == "signed" and not num.decimals) else ("count", "nes", "shift")
    return [s for s in slots if s.vtype in vtypes]


def _check_number(reader: Reader, num: Num, clause: tuple[int, int]) -> None:
    if round(num.value, 6) in reader.rule_bars:  # "below 5,625.6": the bar worked out from a rule
        return
    if num.made_up:
        if not reader.skippable(num.start, []):
            reader.refute(messages.not_measured(reader.text, num))
        return
    operand = num.expr >= 0
    foreign = "" if reader.has_ids else foreign_subject(reader, num, clause)  # with fact ids the subject is known
    if foreign:
        reader.refute(messages.foreign(reader.text, num, foreign))
        return
    if not reader.has_ids and check_fact_count(reader, num, clause):  # "8 hub genes", "3 pathways"
        return
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
    if _ARROW_FROM.match(reader.text, num.end) or (_FROM.search(reader.text, max(0, num.start - 8), num.start)
                                                   and _TO.match(reader.text, num.end)):
        # "4,110 → 140 under stress", "from 4,110 to 140 under stress": the stress is the end's, not the start's
        ctx.values = {d: v for d, v in ctx.values.items() if d not in ("cond", "agent") or v[1] == CLAUSE}
    agent, cond = ctx.values.get("agent"), ctx.values.get("cond")
    if agent and agent[1] > CLAUSE and cond and cond[1] == CLAUSE and num.vtype == "int":
        del ctx.values["agent"]  # "(6,425 HU DEGs)": a count naming its own condition is not the sentence's KMP effect
        agent = None
    if agent and agent[1] == SENT_LEFT and num.vtype in ("signed", "decimal") and \
            reader.stress_after_kmp(num.start, clause):
        ctx.values["agent"] = (frozenset({"stress"}), SENT_LEFT)
    strong = ctx.only_strong()
    if num.restated and not strong.named() and num.text.strip() in reader.bound_figures:
        # '244 genes. In heart, the HU×IR term holds 244 genes': a figure with no words of its own takes those
        # of the same figure written elsewhere, before the question's
        reader.confirm("number", num.start, num.end, reader.bound_figures[num.text.strip()])
        return
    if not reader.has_ids and _interaction_unsaid(reader, num, clause, primary):
        # a count of genes in an interaction term is said to be one
        primary = [s for s in primary if s.by_dim.get("kind") != "interaction"]
    if not reader.has_ids and not _kmp_named(reader):  # a KMP effect is claimed only by text that names KMP
        primary = [s for s in primary if s.by_dim.get("agent") != "kmp"]
    allowed = [s for s in primary if reader.compatible(s, ctx) or reader.named_near(s, strong)]
    value_of = _value_as_written(reader, num)
    hit = _best(reader, [s for s in allowed if matches(num, value_of(s))], ctx)
    if hit is None and strong.named():  # far words (earlier sentences, the question) yield to near ones
        allowed_near = [s for s in primary if reader.compatible(s, strong)]
        hit = next((s for s in allowed_near if matches(num, value_of(s))), None)
        allowed = allowed or allowed_near
    if hit is None and not (num.vtype == "int" and _named_in_clause(reader, clause, num)):
        hit = next((s for s in derived if reader.compatible(s, strong) and matches(num, s.value)
                    and derivation_said(reader, num, s)), None)
    if hit is not None:
        reader.confirm("number", num.start, num.end, hit.fact_ids, states=not hit.derived)
        if strong.named():
            reader.bound_figures.setdefault(num.text.strip(), hit.fact_ids)
        return
    if num.text.strip() in reader.confirmed_values and not any(
            level == CLAUSE and dim in ("cond", "agent", "cattr") for dim, (_, level) in ctx.values.items()):
        return  # a result worked out above, said again ("1.15 falls in between")
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
    # "not 4,110" matches every other value: only a point figure can be another fact's
    any_scope = next((s for s in primary if matches(num, s.value)), None) if num.pred != "neq" else None
    bound = reader.context(num.start, num.end, clause, ALL_DIMS, operand=operand).strong() or (
        is_short(reader) and ctx.values != {})
    if any_scope is not None and (not bound or not allowed or (
            not reader.has_ids and specific(num)
            and not conflicts(reader, ctx, any_scope, clause))):
        # a figure that is exactly another fact's, in text whose facts are not given, bound to a different fact only
        # by words outside its clause: the words are the weaker evidence
        reader.confirm("number", num.start, num.end, any_scope.fact_ids)
        return
    if any_scope is None and not reader.has_ids and num.vtype != "int" and \
            from_written(num, _right_so_far(reader), reader.text[slice(*_sentence(reader, num))]):
        return
    tied = strong.named() or _STUDY_QUANTITY.match(reader.text, num.end) or reader.has_ids or is_short(reader) or \
        any(f.found == num.text.strip() for f in reader.findings)  # a figure found wrong above, used again
    if not tied:
        return  # no word of its own ties it to the study: far words alone make no finding
    if allowed:
        reader.refute(messages.wrong_number(reader.text, num, allowed, swapped=any_scope))
    elif reader.has_ids or is_short(reader) or _STUDY_QUANTITY.match(reader.text, num.end) or \
            _STUDY_BEFORE.search(reader.text, max(0, num.start - 30), num.start) or any(
            level == CLAUSE for _, level in ctx.values.values()):
        # a figure that matches nothing: a finding when its own clause says what of the study it counts
        reader.refute(messages.unsupported_number(reader.text, num, reader.scope_ids if reader.has_ids else ()))


def _bare(reader: Reader, num: Num, clause: tuple[int, int]) -> bool:
    """The figure's clause names nothing of the study, not even up or down, and no line above it does."""
    return not reader.doc.parents_of(num.start) and not any(reader.doc.in_range(dim, *clause) for dim in ALL_DIMS)


def _best(reader: Reader, hits: list[Slot], ctx: Context) -> Slot | None:
    """Of several facts of equal value the words allow, the one all the words fit, far ones included ('2 genes
    differ between KMP and vehicle in heart under irradiation' is the IR effect, not the HU one of equal value)."""
    if len(hits) > 1:
        return next((s for s in hits if reader.compatible(s, ctx)), hits[0])
    return hits[0] if hits else None


def _right_so_far(reader: Reader) -> list[Num]:
    """The figures written in the text that no finding so far has called wrong."""
    wrong = [(f.start or 0, f.end or 0) for f in reader.findings]
    return [n for n in reader.written if not any(a < n.end and n.start < b for a, b in wrong)]


def _kmp_named(reader: Reader) -> bool:
    return any(c.value == "kmp" for c in reader.doc.by_dim.get("agent", ())) or "kmp" in reader.q_by_dim.get(
        "agent", frozenset())


def _interaction_unsaid(reader: Reader, num: Num, clause: tuple[int, int], primary: list[Slot]) -> bool:
    """Other counts are in play and no word near the number (or in the question) says interaction term."""
    kinds = {s.by_dim.get("kind") for s in primary}
    if "interaction" not in kinds or len(kinds) == 1:
        return False
    said = reader.context(num.start, num.end, clause, ("kind", "term"))
    if _asks_class(reader.question):  # "HU x IR in the heart: synergistic or ...?" asks no term count
        said.values = {d: v for d, v in said.values.items() if v[1] != QUESTION}
    return "term" not in said.values and "interaction" not in said.values.get("kind", (frozenset(), NONE))[0]


def _asks_class(question: str) -> bool:
    """The question asks how HU and IR combine (a class), not how many genes a term holds: it names a class or
    the way they combine ('non-additivity' names the interaction itself), and asks for no amount."""
    return bool(INTERACTION_CLASS_WORDS.search(question)) and not _ASKS_AMOUNT.search(question)


_ASKS_AMOUNT = re.compile(r"\bhow (?:many|much|widespread|large|big|extensive|common)\b|\bnumber of\b|"
                          r"\b(?:what|which) (?:share|fraction|proportion|percentage)\b", re.I)


_THRESHOLDS = frozenset(round(value, 9) for value in RULE_THRESHOLDS)
_ARROW_FROM = re.compile(r"\s*(?:DEGs?\s*|genes\s*)?(?:→|->|⟶)\s*[~≈]?\s*[+\-−]?\d")
_STUDY_QUANTITY = re.compile(r"\s*(?:%\s*)?(?:of\s+(?:the\s+)?)?(?:\w+\s+)?(?:DEGs?|genes?|transcripts?|NES|"
                             r"differentially)\b", re.I)
_FROM = re.compile(r"\bfrom\s+(?:~|about\s+)?$", re.I)
_STUDY_BEFORE = re.compile(r"(?:\bNES|enrichment scores?|log2 ?FC\|?|log2 fold changes?|\bDEGs?)\s*(?:of|=|:|was|is|at|"
                           r"around|about|≈|~)?\s*(?:about|around|roughly|~|≈)?\s*$", re.I)
_TO = re.compile(r"(?:\s+[\w-]+){0,3}?\s+to\s+[~≈]?\s*[+\-−]?\d")
_ABSOLUTE = re.compile(r"\|[^|\n]{1,20}\||absolute|magnitude", re.I)


def _sentence(reader: Reader, num: Num) -> tuple[int, int]:
    return reader.doc.sentences[reader.doc.sentence_of(num.start)]


def _value_as_written(reader: Reader, num: Num) -> Callable[[Slot], float]:
    """How a sign-less decimal is compared: by magnitude under '|NES|' or 'absolute'; with the sign its direction
    word gives ('depleted, NES 2.30' is −2.30, 'enriched (NES 1.6)' +1.6); else as written, positive."""
    if num.vtype != "decimal":
        return _as_is
    if _ABSOLUTE.search(reader.text, *_sentence(reader, num)):
        return _absolute
    return _negated if _direction_word(reader, num) == "down" else _as_is


def _direction_word(reader: Reader, num: Num) -> str:
    """The direction word nearest a sign-less figure, before it in its sentence (not past another number) or in
    the bracket or clause right after it."""
    lo, hi = _sentence(reader, num)
    starts = reader.doc.number_starts
    before = max((s for s in starts if lo <= s < num.start), default=lo)
    after = min((s for s in starts if num.end <= s < hi), default=hi)
    found = list(_SIGN_WORD.finditer(reader.text, before, num.start))
    if found:
        return "down" if found[-1].group("down") else "up"
    right = _SIGN_WORD.search(reader.text, num.end, min(after, num.end + 24))
    return ("down" if right.group("down") else "up") if right else ""


_SIGN_WORD = re.compile(r"(?<![\w-])(?:(?P<down>depleted|depletion|negative(?:ly)?|down(?:-?regulated|ward)?|"
                        r"suppressed|lowered|reduced|decreased|repressed)|(?P<up>enriched|enrichment|positive(?:ly)?|"
                        r"up(?:-?regulated|ward)?|raised|elevated|increased|induced))(?![\w-])", re.I)


def _negated(slot: Slot) -> float:
    return -slot.value


def _as_is(slot: Slot) -> float:
    return slot.value


def _absolute(slot: Slot) -> float:
    return abs(slot.value)


def _share_of_outside(reader: Reader, num: Num) -> bool:
    """'roughly 27%' of '~20,000 genes measured': a share of a number from outside the study."""
    bases = reader.outside_bases
    if not bases:
        return False
    counts = {s.value for s in reader.primary if s.vtype == "count"} | reader.counts_written
    return any(base and matches(num, 100.0 * value / base) for base in bases for value in counts)


def _named_in_clause(reader: Reader, clause: tuple[int, int], num: Num) -> bool:
    """A count with its own contrast, term, gene or pathway beside it states that fact, not a sum (one that
    names two, "198 for HU and IR added together", may be their sum)."""
    if _TWO_CONDITIONS.match(reader.text, num.end) or _SUM_OF_TWO.search(reader.text, max(0, num.start - 40),
                                                                            num.start):
        return False  # "198 for HU and IR added together", "HU + IR = 198"
    for dim in ("cond", "term", "gene", "pathway"):
        named = {c.value for c in reader.doc.in_range(dim, *clause) if c.end <= num.start or c.start >= num.end}
        if len(named) == 1:
            return True
    return False


_CONDITION = r"(?:HU|IR|unloading|radiation|irradiation|hindlimb unloading)"
_SUM_OF_TWO = re.compile(rf"(?<!combined )\b{_CONDITION}\s+(?:\+|and|plus)\s+{_CONDITION}\s*(?:=|≈)\s*$", re.I)
_TWO_CONDITIONS = re.compile(rf"\s*(?:[\w']+\s+){{0,4}}?{_CONDITION}\s+(?:and|plus|\+)\s+{_CONDITION}\b", re.I)


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
        labels = {s.by_dim.get(dim) for s in primary}
        labels.update(label for s in derived if (label := s.by_dim.get(dim)) is not None)
        if len(labels) > 1:
            dims.append(dim)
    return tuple(dims)
