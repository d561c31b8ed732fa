"""Claim check: every number, category, direction and ordering an answer states, checked against the facts.

How a number is checked (see docs/gates.md for the full rules):

1. It is read with its format: thousands separators, sign, decimals, %, "1.9k", "18.8-fold", and a
   hedge or bound before it ("about 2,000", "fewer than 200", "between 1,500 and 1,600", "not 165").
   Digits inside words (log2, mTORC1, Cdkn1a, 2x2x2) are not numbers.
2. Numbers that claim nothing about the data are skipped: list markers, p-value and padj cut-offs
   (a padj cut-off other than the sheet's is a finding), design constants ("8 groups"), and the
   rule thresholds of curate's derived labels (1.25, 0.8, 45%, 55%, 1,000) when stated as a rule.
3. The facts in play are the example's fact ids; without them (external data) the facts of every
   tissue the text or question names. Each fact offers *slots* (its values) and derived slots
   (sums, differences, ratios, shares, NES shifts), recomputed here from the facts.
4. The words around the number (its clause first, then its sentence, earlier sentences, the
   question) say which slot it is about: tissue, contrast, KMP or stressor, term, pathway, gene,
   up or down. The number must match a slot those words allow, to the precision it is written
   with. A number that matches a slot the words rule out is a wrong number; one that matches no
   slot at all is unsupported, unless the question states it.
5. Arithmetic written out ("67 / 165 = 40.6%") is recomputed.

Categories (response class, pathway pattern, additive/synergistic/antagonistic, significance),
directions (NES up/down, more genes up than down, more/fewer than a sum, grows/shrinks) and
orderings ("a (3) > b (2)", "ranks first", "has the least", "tie") are checked the same way:
bound to a fact by the words around them, negation-aware ("not stress-activated" claims the
opposite), and skipped inside questions, quotes and rule statements.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.gates.entities import Cue, Lexicon, Slot, derived_slots, lexicon
from curate.gates.findings import Finding

if TYPE_CHECKING:
    from curate.schemas import Example, FactSheet

# -- reading numbers ---------------------------------------------------------------------------
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[+\-−](?=\d))?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>\s?(?:%|percent\b|per cent\b)|[kKM](?!\w)|-?\s?fold(?!\w)|[x×](?!\w))?(?![\w]|\.\d)"
)
_RULE_CONSTANTS = (1.25, 0.8, 45.0, 55.0, 1000.0)
_P_CUTOFFS = (0.05, 0.01, 0.001, 0.1, 0.005, 0.0001)
_PADJ = re.compile(r"(?:\bp-?adj(?:usted)?|\badjusted p(?:-values?)?|\bFDR|\bq)\s*(?:<=|<|≤|=|of|below|under|at)\s*$",
                   re.I)
_PVAL = re.compile(r"(?:\bp-?values?|\bp|\bα|\balpha|significance (?:level|threshold|cut-?off)(?: of)?)\s*"
                   r"(?:<=|>=|<|>|≤|≥|=|of|below|under|at)?\s*$", re.I)
_LFC_CUT = re.compile(
    r"(?:log2 ?FC\|?|log2 fold changes?|fold changes?|\bFC)\s*(?:<=|>=|<|>|≤|≥|of at least|above|over)\s*$", re.I)
_DESIGN_AFTER = re.compile(
    r"\s*(?:groups?|combinations?|tissues?|conditions?|factors?|arms?|time ?points?|doses?|sexes|replicates?|"
    r"samples?|mice|animals|weeks?|days?|hours?|h\b|Gy|cGy|mg/kg|months?|treatments?|cohorts?|levels?)\b", re.I)
_N_EQUALS = re.compile(r"(?:\bn|\bN|\bsample size of)\s*=?\s*$")
_RULE_BEFORE = re.compile(r"(?:at least|at most|between|between\s+[\d.,]+%?\s+and|<=|>=|<|>|≤|≥|threshold(?: of)?|"
                          r"cut-?off(?: of)?)\s*$", re.I)
_RULE_AFTER = re.compile(r"%?\s*=\s*[A-Za-z]")
_APPROX = re.compile(r"(?:about|approximately|approx\.?|around|roughly|nearly|almost|some|close to|~|≈|"
                     r"on the order of)\s*$", re.I)
_LESS = re.compile(r"(?P<op>fewer than|less than|below|under|<=|<|≤|no more than|at most|up to)\s*$", re.I)
_MORE = re.compile(r"(?P<op>more than|over|above|greater than|>=|>|≥|at least|no fewer than|no less than|"
                   r"exceeding|in excess of)\s*$", re.I)
_NOT = re.compile(r"\bnot\s+(?:about\s+|exactly\s+|quite\s+)?$", re.I)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_FROM = re.compile(r"\bfrom\s*$", re.I)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to)\s*$")
_AND_GAP = re.compile(r"\s*(?:and|-|–|to)\s*$")
_RATIO_BEFORE = re.compile(r"\bratios?\b[^.;:]{0,20}?(?:of|is|was|=)?\s*$", re.I)
_TIMES_AFTER = re.compile(r"\s*(?:times|-fold|fold)\b", re.I)
_OP_GAP = re.compile(r"\s*\)?\s*([+\-−/÷×*])\s*\(?\s*$")
_EQ_GAP = re.compile(r"\s*\)?\s*(=|≈)\s*\(?\s*$")
_REPORTED = re.compile(r"\b(?:claim(?:ed|s)?|says?|said|wrote|written|stated?|quoted?|reported as|draft|figure in)\b",
                       re.I)


@dataclass(slots=True)
class Num:
    start: int
    end: int
    text: str
    value: float
    decimals: int
    signed: bool
    vtype: str  # percent | ratio | signed | decimal | int
    precision: float  # the unit of the last written digit
    pred: str = "eq"  # eq | approx | lt | le | gt | ge | range | neq
    hi: float = 0.0
    exempt: str = ""
    expr: int = -1  # index of the expression it belongs to
    operand_first: bool = False
    is_result: bool = False


def _read_numbers(text: str, padj: float) -> tuple[list[Num], list[Finding]]:
    numbers: list[Num] = []
    findings: list[Finding] = []
    for match in _NUMBER.finditer(text):
        raw = match.group("num")
        clean = raw.replace(",", "")
        decimals = len(clean.split(".")[1]) if "." in clean else 0
        value = float(clean)
        suffix = (match.group("suffix") or "").strip().lower()
        precision = 10.0 ** -decimals
        if suffix in ("k", "m"):
            scale = 1000.0 if suffix == "k" else 1e6
            value *= scale
            precision *= scale
        sign = match.group("sign")
        if sign and sign != "+":
            value = -value
        start, end = match.span()
        vtype = "int"
        if suffix in ("k", "m"):
            vtype = "int"
        elif suffix.startswith(("%", "percent", "per cent")):
            vtype = "percent"
        elif suffix.endswith("fold") or suffix in ("x", "×") or (
                text[end:end + 7].lstrip().lower().startswith(("times", "fold", "-fold"))
                and _TIMES_AFTER.match(text, end)):
            vtype = "ratio"
        elif sign:
            vtype = "signed"
        elif decimals:
            vtype = "decimal"
        num = Num(start, end, match.group(0), value, decimals, bool(sign), vtype, precision)
        if vtype == "decimal" and "ratio" in text[max(0, start - 40):start].lower() and \
                _RATIO_BEFORE.search(text, max(0, start - 40), start):
            num.vtype = "ratio"
        _classify(num, text, padj, findings)
        numbers.append(num)
    _pair_ranges(numbers, text)
    return numbers, findings


_HEDGE_WORDS = frozenset((
    "not", "about", "approximately", "approx", "approx.", "around", "roughly", "nearly", "almost", "some",
    "to", "~", "≈", "of", "than", "under", "below", "over", "above", "<", ">", "<=", ">=", "≤", "≥", "most",
    "least", "excess", "exceeding",
))
_NEXT_WORD = re.compile(r"\s*([A-Za-z/]+)")
_DESIGN_WORDS = frozenset((
    "group", "groups", "combination", "combinations", "tissue", "tissues", "condition", "conditions",
    "factor", "factors", "arm", "arms", "timepoint", "timepoints", "time", "doses", "dose", "sexes",
    "replicate", "replicates", "sample", "samples", "mice", "animals", "week", "weeks", "day", "days", "hour",
    "hours", "h", "gy", "cgy", "mg/kg", "month", "months", "treatment", "treatments", "cohort", "cohorts",
    "level", "levels",
))


def _classify(num: Num, text: str, padj: float, findings: list[Finding]) -> None:
    start, end = num.start, num.end
    before = text[max(0, start - 40):start]
    tail = before[-24:].lower()
    if num.vtype == "int" and text[end:end + 1] in (".", ")") and text[end + 1:end + 2] in (" ", "\n", "\t") \
            and not text[text.rfind("\n", 0, start) + 1:start].strip():
        num.exempt = "list marker"
        return
    if "step" in tail and re.search(r"\bstep\s*$", before, re.I):
        num.exempt = "list marker"
        return
    if any(k in tail for k in ("adj", "fdr", "q ", "q<", "q=")) and _PADJ.search(before):
        num.exempt = "threshold"
        if abs(num.value - padj) > 1e-12:
            findings.append(Finding("wrong_threshold", start, end, num.text, num.text, f"padj < {padj:g}",
                                    message=f"the significance cut-off is padj < {padj:g}"))
        return
    if (num.value in _P_CUTOFFS or abs(num.value - padj) < 1e-12) and _PVAL.search(before):
        num.exempt = "p-value cut-off"
        return
    if ("fc" in tail or "fold" in tail) and _LFC_CUT.search(before):
        num.exempt = "threshold"
        return
    following = text[end:end + 24].split(None, 1)
    next_word = following[0].lower().rstrip(".,;:)") if following else ""
    if (next_word in _DESIGN_WORDS and _DESIGN_AFTER.match(text, end)) or (
            ("=" in tail[-4:] or "size of" in tail) and _N_EQUALS.search(before)):
        num.exempt = "design constant"
        return
    if not num.signed and any(abs(num.value - c) < 1e-9 for c in _RULE_CONSTANTS) and (
            _RULE_BEFORE.search(before) or _RULE_AFTER.match(text, end)):
        num.exempt = "rule threshold"
        return
    words = tail.split()
    if words and (words[-1] in _HEDGE_WORDS or tail.endswith(("<", ">", "~", "≈", "≤", "≥"))):
        if _NOT.search(before):
            num.pred = "neq"
        elif _APPROX.search(before):
            num.pred = "approx"
        elif found := _LESS.search(before):
            num.pred = "le" if found.group("op").lower() in ("no more than", "at most", "up to", "<=", "≤") else "lt"
        elif found := _MORE.search(before):
            num.pred = "ge" if found.group("op").lower() in ("at least", "no fewer than", "no less than", ">=",
                                                             "≥") else "gt"
    if num.pred in ("approx", "lt", "le", "gt", "ge") or num.text.strip().lower().endswith(("k", "m")):
        digits = re.sub(r"\D", "", num.text.split(".")[0])
        zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        if not num.decimals and zeros and not num.text.strip().lower().endswith(("k", "m")):
            num.precision = 10.0 ** zeros


def _pair_ranges(numbers: list[Num], text: str) -> None:
    """'between A and B', 'A-B', 'A to B' (not 'from A to B'): one range claim held by A."""
    for a, b in itertools.pairwise(numbers):
        if a.exempt or b.exempt or a.pred == "range" or b.pred == "range":
            continue
        gap = text[a.end:b.start]
        before = text[max(0, a.start - 20):a.start]
        is_between = _BETWEEN.search(before) and _AND_GAP.fullmatch(gap)
        is_dash = _RANGE_GAP.fullmatch(gap) and not _FROM.search(before) and a.vtype == b.vtype
        if (is_between or is_dash) and a.value <= b.value and not (a.signed or b.signed):
            a.pred, a.hi = "range", b.value
            a.precision = max(a.precision, b.precision)
            b.exempt = "range end"


def _matches(num: Num, value: float) -> bool:
    tol = 0.5 * num.precision + 1e-9 * max(1.0, abs(value))
    if num.pred == "eq":
        return abs(value - num.value) <= tol
    if num.pred == "approx":
        return abs(value - num.value) <= max(tol, 0.01 * abs(num.value))
    if num.pred == "neq":
        return abs(value - num.value) > tol
    if num.pred == "lt":
        return value < num.value
    if num.pred == "le":
        return value <= num.value + tol
    if num.pred == "gt":
        return value > num.value
    if num.pred == "ge":
        return value >= num.value - tol
    if num.pred == "range":
        return num.value - tol <= value <= num.hi + tol
    return False


_VTYPES = {
    "percent": ("percent",),
    "ratio": ("ratio",),
    "signed": ("nes", "shift"),
    "decimal": ("nes", "lfc", "shift"),
    "int": ("count",),
}


# -- the text as sentences, clauses and cues ------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[\"«(A-Z0-9])|\n+")
_FROM_TO_WORD = re.compile(r"\bfrom\b(?:[^,;:.]|(?<=\d)[,.](?=\d))*?\s(to)\b")
_COLON_BEFORE_NUMBER = re.compile(r":(?=\s*[+\-−]?\d)")
_NOT_SIGNIFICANT = r"\s*(?:which is\s+)?not significant"  # "NES +0.931, not significant under stress": one clause
_BOUNDARY = re.compile(rf"(?<!\d),(?!{_NOT_SIGNIFICANT})|,(?!\d|{_NOT_SIGNIFICANT})|[;()]|:(?!\s*[+\-−]?\d)|"
                       r"\b(?:and|but|nor|while|whereas|or)\b|\s[-–—]\s")


@dataclass
class Doc:
    text: str
    cues: list[Cue]
    sentences: list[tuple[int, int]]
    sent_starts: list[int]
    bounds: list[int]
    by_dim: dict[str, list[Cue]] = field(default_factory=dict)
    starts_by_dim: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str, lex: Lexicon) -> Doc:
        cues = lex.scan(text)
        sentences, last = [], 0
        for match in _SENTENCE_END.finditer(text):
            sentences.append((last, match.start()))
            last = match.end()
        sentences.append((last, len(text)))
        bounds = sorted({m.start() for m in _BOUNDARY.finditer(text)} | {e for _, e in sentences})
        # "from no effect at baseline to 491 genes under stress": the cue before "to" is not 491's.
        for match in _FROM_TO_WORD.finditer(text):
            bisect.insort(bounds, match.start(1))
        # "share up: 59.4%" reads across its colon; "against 910 under HU+IR: 877 fewer" does not.
        for colon in _COLON_BEFORE_NUMBER.finditer(text):
            before = bisect.bisect_left(bounds, colon.start()) - 1
            previous = bounds[before] if before >= 0 else 0
            if _NUMBER.search(text, previous, colon.start()):
                bisect.insort(bounds, colon.start())
        doc = cls(text, cues, sentences, [s for s, _ in sentences], bounds)
        for cue in cues:
            if not cue.negated:
                doc.by_dim.setdefault(cue.dim, []).append(cue)
        doc.starts_by_dim = {dim: [c.start for c in found] for dim, found in doc.by_dim.items()}
        return doc

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


# Resolution levels: how close the words that bind a claim are. 0-1 are strong.
CLAUSE, SENT_LEFT, SENT_RIGHT, EARLIER, QUESTION, NONE, DEFAULT = range(7)


@dataclass
class Context:
    values: dict[str, tuple[frozenset[str], int]]

    def strong(self) -> bool:
        return any(level <= SENT_LEFT or (dim == "tissue" and level == SENT_RIGHT)
                   for dim, (_, level) in self.values.items())

    def only_strong(self) -> Context:
        """The same context without the words from earlier sentences or the question."""
        return Context({dim: (values, level) for dim, (values, level) in self.values.items()
                        if level <= SENT_RIGHT or level == DEFAULT})


class Checker:
    """Checks one text. Build one per text; it is cheap."""

    def __init__(self, lex: Lexicon, text: str, question: str, fact_ids: Sequence[str] | None) -> None:
        self.lex = lex
        self.text = text
        self.doc = Doc.read(text, lex)
        self.question = question
        self.used_question = False  # whether the verdict depended on the question at all
        self._q_by_dim: dict[str, frozenset[str]] | None = None
        self._q_numbers: set[float] | None = None
        self.findings: list[Finding] = []
        self.stated: set[str] = set()
        self._dims_cache: dict[tuple[str, int], tuple[str, ...]] = {}
        known = [f for f in (fact_ids or ()) if f in lex.facts]
        for unknown in [f for f in (fact_ids or ()) if f not in lex.facts]:
            self.findings.append(Finding("unknown_fact", 0, 0, "", unknown, "a fact id of this sheet",
                                         (unknown,), f"fact id {unknown!r} is not in fact sheet {lex.sheet.name!r}"))
        self.has_ids = bool(known)
        self.scope_ids = tuple(known) if known else self._resolve_scope()
        self.primary = lex.slots(self.scope_ids)
        self.derived = derived_slots(lex, self.scope_ids) if self.has_ids else _structural_derived(lex, self.scope_ids)

    @property
    def q_by_dim(self) -> dict[str, frozenset[str]]:
        self.used_question = True
        if self._q_by_dim is None:
            self._q_by_dim = {}
            for cue in self.lex.scan(self.question) if self.question else ():
                if not cue.negated:
                    self._q_by_dim[cue.dim] = self._q_by_dim.get(cue.dim, frozenset()) | {cue.value}
        return self._q_by_dim

    @property
    def question_numbers(self) -> set[float]:
        self.used_question = True
        if self._q_numbers is None:
            self._q_numbers = ({round(n.value, 6) for n in _read_numbers(self.question, 1.0)[0]}
                               if self.question and _Q_NUMBER.search(self.question) else set())
        return self._q_numbers

    def _resolve_scope(self) -> tuple[str, ...]:
        named = {c.value for c in self.doc.cues if c.dim == "tissue"} | self.q_by_dim.get("tissue", frozenset())
        tissues = named & self.lex.tissues
        if not tissues:
            return self.lex.all_fact_ids
        return tuple(f for t in sorted(tissues) for f in self.lex.facts_by_tissue[t])

    # -- context ------------------------------------------------------------------------------
    def resolve(self, dim: str, start: int, end: int, clause: tuple[int, int], *,
                operand: bool = False) -> tuple[frozenset[str], int]:
        doc = self.doc
        lo, hi = clause
        near = [c for c in doc.in_range(dim, lo, hi) if c.end <= start or c.start >= end]
        if operand:
            left = {c.value for c in near if c.end <= start}
            return (frozenset(left), CLAUSE) if left else (frozenset(), NONE)
        if near:
            best = min(near, key=lambda c: start - c.end if c.end <= start else c.start - end)
            return frozenset({best.value}), CLAUSE
        if dim == "cattr":
            return frozenset({"total"}), DEFAULT
        sent_lo, sent_hi = doc.sentences[doc.sentence_of(start)]
        before = doc.in_range(dim, sent_lo, lo)
        if before:
            return frozenset({before[-1].value}), SENT_LEFT
        if dim == "tissue":
            after = doc.in_range(dim, hi, sent_hi)
            if after:
                return frozenset({after[0].value}), SENT_RIGHT
        for index in range(doc.sentence_of(start) - 1, -1, -1):
            s_lo, s_hi = doc.sentences[index]
            found = doc.in_range(dim, s_lo, s_hi)
            if found:
                return frozenset(c.value for c in found), EARLIER
        if dim in self.q_by_dim:
            return self.q_by_dim[dim], QUESTION
        return frozenset(), NONE

    def context(self, start: int, end: int, clause: tuple[int, int], dims: Sequence[str], *,
                operand: bool = False) -> Context:
        values = {}
        for dim in dims:
            found, level = self.resolve(dim, start, end, clause, operand=operand)
            if level != NONE:
                values[dim] = (found, level)
        return Context(values)

    @staticmethod
    def named_near(slot: Slot, strong: Context) -> bool:
        """Words close by name this slot: far words (the question) may not rule it out."""
        if not Checker.compatible(slot, strong):
            return False
        return any(level != DEFAULT and slot.label(dim) in values for dim, (values, level) in strong.values.items())

    @staticmethod
    def compatible(slot: Slot, ctx: Context) -> bool:
        for dim, (values, level) in ctx.values.items():
            label = slot.label(dim)
            if label is None:
                if level == CLAUSE and ((dim in ("cond", "agent") and not slot.derived)
                                        or (dim == "cattr" and slot.derived and slot.vtype == "count")):
                    return False
                continue
            if slot.derived and (level == DEFAULT or level > SENT_RIGHT):
                continue
            if label not in values:
                return False
        return True

    # -- numbers ------------------------------------------------------------------------------
    def check_numbers(self) -> list[Num]:
        numbers, found = _read_numbers(self.text, self.lex.sheet.padj_threshold)
        self.findings += found
        expressions = _link_expressions(numbers, self.text)
        for expression in expressions:
            self._check_expression(expression)
        previous_end = 0
        for index, num in enumerate(numbers):
            next_start = numbers[index + 1].start if index + 1 < len(numbers) else len(self.text)
            if not num.exempt and not num.is_result:
                clause = self.doc.clause(num.start, num.end, previous_end, next_start)
                self._check_number(num, clause)
            previous_end = num.end
        return numbers

    def _candidates(self, num: Num, slots: list[Slot]) -> list[Slot]:
        vtypes = _VTYPES[num.vtype]
        return [s for s in slots if s.vtype in vtypes]

    def _check_number(self, num: Num, clause: tuple[int, int]) -> None:
        operand = num.expr >= 0
        if operand and not num.operand_first:
            clause = (num.start, num.end)
        primary = self._candidates(num, self.primary)
        derived = self._candidates(num, self.derived)
        if operand:  # arithmetic starts from the facts (or a sum of them), not from another result
            derived = [s for s in derived if s.vtype == "count"]
        if num.vtype == "int" and self.doc.in_range("kind", *clause):
            kinds = {c.value for c in self.doc.in_range("kind", *clause)}
            if kinds & {"pathway", "hub"}:
                primary += [s for s in self.primary if s.vtype in ("nes", "lfc") and s not in primary]
        key = (num.vtype, len(primary))
        dims = self._dims_cache.get(key)
        if dims is None:
            dims = self._dims_cache[key] = _dims_that_matter(primary, derived)
        ctx = self.context(num.start, num.end, clause, dims, operand=operand)
        strong = ctx.only_strong()
        allowed = [s for s in primary if self.compatible(s, ctx) or self.named_near(s, strong)]
        hit = next((s for s in allowed if _matches(num, s.value)), None)
        if hit is None and (self.has_ids or not allowed):  # far words (earlier sentences, the question) yield
            allowed_near = [s for s in primary if self.compatible(s, strong)]
            hit = next((s for s in allowed_near if _matches(num, s.value)), None)
            allowed = allowed or allowed_near
        if hit is None and not (num.vtype == "int" and self._named_in_clause(clause, num)):
            hit = next((s for s in derived if self.compatible(s, strong) and _matches(num, s.value)), None)
        if hit is not None:
            self.stated.update(hit.fact_ids if not hit.derived else ())
            return
        if round(num.value, 6) in self.question_numbers and (
                not self.context(num.start, num.end, clause, _ALL_DIMS, operand=operand).strong()
                or _REPORTED.search(self.text, max(0, num.start - 60), num.start)):
            return
        if num.pred == "neq" and not allowed:
            return
        wide = self._widen(num, clause, ctx)
        if wide is not None:
            return
        any_scope = next((s for s in primary if _matches(num, s.value)), None)
        bound = self.context(num.start, num.end, clause, _ALL_DIMS, operand=operand).strong()
        if any_scope is not None and (not bound or not allowed):
            self.stated.update(any_scope.fact_ids)
            return
        if allowed:
            self._add("wrong_number", num, allowed, swapped=any_scope)
        else:
            self._add("unsupported_number", num, [])

    def _named_in_clause(self, clause: tuple[int, int], num: Num) -> bool:
        """A count with its own contrast, term, gene or pathway beside it states that fact, not a sum."""
        return any(c.end <= num.start or c.start >= num.end
                   for dim in ("cond", "term", "gene", "pathway") for c in self.doc.in_range(dim, *clause))

    def _widen(self, num: Num, clause: tuple[int, int], ctx: Context) -> bool | None:
        """Cues that name facts outside the example's fact ids: check against those facts."""
        if not self.has_ids:
            return None
        full = self.context(num.start, num.end, clause, ("tissue", "kind", "cond", "agent", "term", "pathway", "gene",
                                                          "cattr")).only_strong()
        named = {d for d, (_, level) in full.values.items() if level <= SENT_RIGHT and d != "cattr"}
        if not named & {"tissue", "cond", "term", "pathway", "gene"}:
            return None
        scope_fits = [s for s in self._candidates(num, self.primary) if self.compatible(s, full)]
        if scope_fits:
            return None
        scope_tissues = {self.lex.facts[f].tissue for f in self.scope_ids}
        tissues = full.values.get("tissue", (frozenset(scope_tissues), NONE))[0]
        pool = [s for t in tissues for f in self.lex.facts_by_tissue.get(t, ()) for s in self.lex.slots_by_fact[f]]
        fits = [s for s in self._candidates(num, pool) if self.compatible(s, full)]
        if not fits:
            return None
        hit = next((s for s in fits if _matches(num, s.value)), None)
        if hit is not None:
            self.stated.update(hit.fact_ids)
            return True
        if len(fits) <= 3:
            self._add("wrong_number", num, fits)
            return True
        return None

    def _add(self, kind: str, num: Num, expected: list[Slot], swapped: Slot | None = None) -> None:
        if expected:
            shown = sorted({_show(s) for s in expected})[:4]
            ids = tuple(sorted({f for s in expected for f in s.fact_ids}))[:6]
            message = f"{num.text.strip()} does not match {' or '.join(shown)}"
            if swapped is not None:
                message += f"; {num.text.strip()} is {_show(swapped)}"
            self.findings.append(Finding(kind, num.start, num.end, num.text, num.text.strip(), " or ".join(shown),
                                         ids, message))
        else:
            ids = self.scope_ids[:6] if self.has_ids else ()
            self.findings.append(Finding(kind, num.start, num.end, num.text, num.text.strip(),
                                         "no fact or value derived from the facts", ids,
                                         f"{num.text.strip()} matches no fact in play and no value derived from them"))

    def _check_expression(self, expression: list[tuple[Num, str]]) -> None:
        *operands, (result, _) = expression
        value = operands[0][0].value
        for num, op in operands[1:]:
            step = _apply(value, op, num.value)
            if step is None:
                return
            value = step
        ops = {op for _, op in operands[1:]}
        if result.vtype == "percent" and ops == {"/"}:
            value *= 100.0
        probe = Num(result.start, result.end, result.text, result.value, result.decimals, result.signed,
                    result.vtype, result.precision, "approx" if result.pred == "approx" else "eq")
        if not _matches(probe, value):
            start = operands[0][0].start
            shown = _fmt(value, result.decimals) + ("%" if result.vtype == "percent" else "")
            self.findings.append(Finding("wrong_arithmetic", start, result.end, self.text[start:result.end],
                                         result.text.strip(), shown,
                                         message=f"{self.text[start:result.end]}: the arithmetic gives {shown}"))


_ALL_DIMS = ("tissue", "kind", "cond", "agent", "term", "pathway", "gene", "cattr")


def _dims_that_matter(primary: list[Slot], derived: list[Slot]) -> tuple[str, ...]:
    """The dimensions on which the candidate slots differ: only those need words to bind a number."""
    dims = []
    for dim in _ALL_DIMS:
        labels = {s.label(dim) for s in primary} | {s.label(dim) for s in derived if s.label(dim) is not None}
        if len(labels) > 1:
            dims.append(dim)
    return tuple(dims)


def _apply(a: float, op: str, b: float) -> float | None:
    if op == "+":
        return a + b
    if op in ("-", "−"):
        return a - b
    if op in ("/", "÷"):
        return a / b if b else None
    if op in ("×", "*"):
        return a * b
    return None


def _link_expressions(numbers: list[Num], text: str) -> list[list[tuple[Num, str]]]:
    """'a op b (op c) = r' chains, as [(a, ''), (b, op), ..., (r, '=')]."""
    expressions: list[list[tuple[Num, str]]] = []
    current: list[tuple[Num, str]] = []
    for a, b in itertools.pairwise(numbers):
        gap = text[a.end:b.start]
        op = _OP_GAP.fullmatch(gap)
        eq = _EQ_GAP.fullmatch(gap)
        if a.exempt or b.exempt or (a.vtype == "ratio" and not eq):
            op = eq = None
        if op and not (current and current[-1][1] == "="):
            if not current:
                current = [(a, "")]
            current.append((b, op.group(1)))
        elif eq and current and current[-1][1] != "=":
            current.append((b, "="))
            expressions.append(current)
            current = []
        else:
            if current and current[-1][1] != "=":
                _design_product(current)
            current = []
    if current and current[-1][1] != "=":
        _design_product(current)
    for index, expression in enumerate(expressions):
        for position, (num, _) in enumerate(expression):
            num.expr = index
            num.operand_first = position == 0
        expression[-1][0].is_result = True
    return expressions


def _design_product(chain: list[tuple[Num, str]]) -> None:
    """'2 × 2 × 2' with no result is the design, not a claim."""
    if all(op in ("", "×", "*") for _, op in chain) and all(n.vtype == "int" and n.value <= 8 for n, _ in chain):
        for num, _ in chain:
            num.exempt = "design constant"


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _show(slot: Slot) -> str:
    decimals = 0 if slot.vtype == "count" else 3 if slot.vtype in ("nes", "shift") else 2
    text = _fmt(slot.value, decimals).rstrip("0").rstrip(".") if decimals else _fmt(slot.value, 0)
    if slot.vtype == "percent":
        text = f"{slot.value:.1f}%"
    where = slot.derived or ":".join(v for d, v in slot.labels if d in ("cattr",) and v != "total")
    ids = ",".join(slot.fact_ids)
    return f"{text} ({ids}{' ' + where if where else ''})"


def _structural_derived(lex: Lexicon, fact_ids: tuple[str, ...]) -> list[Slot]:
    """Without fact ids: derived values within each tissue, and across tissues for one contrast."""
    cached = lex._structural_cache.get(fact_ids)
    if cached is None:
        cached = lex._structural_cache[fact_ids] = _structural(lex, fact_ids)
    return cached


def _structural(lex: Lexicon, fact_ids: tuple[str, ...]) -> list[Slot]:
    groups: dict[tuple[str, str], list[str]] = {}
    facts = lex.facts
    for fid in fact_ids:
        fact = facts[fid]
        groups.setdefault(("tissue", fact.tissue), []).append(fid)  # type: ignore[attr-defined]
        key = getattr(fact, "contrast", None) or getattr(fact, "condition", None) or getattr(fact, "term", None)
        if key:
            groups.setdefault((fact.kind, str(key)), []).append(fid)  # type: ignore[attr-defined]
    made: list[Slot] = []
    for (scope, _), ids in groups.items():
        if scope == "tissue":
            for kind in ("deg_count", "kmp_effect", "interaction", "hub_gene", "pathway_shift"):
                members = tuple(i for i in ids if facts[i].kind == kind)  # type: ignore[attr-defined]
                if members:
                    made += derived_slots(lex, members)
            mixed = tuple(i for i in ids if facts[i].kind in ("deg_count", "kmp_effect"))  # type: ignore[attr-defined]
            if len(mixed) <= 6:
                made += derived_slots(lex, mixed)
        elif len(ids) <= 8:  # across tissues: a handful of tissues, not a sheet of hundreds
            made += derived_slots(lex, tuple(ids))
    return made


# -- the API ----------------------------------------------------------------------------------------
@dataclass
class ClaimResult:
    findings: list[Finding]
    stated_fact_ids: tuple[str, ...]
    used_question: bool = True


def analyse(text: str, sheet: FactSheet, *, fact_ids: Sequence[str] | None = None, question: str = "") -> ClaimResult:
    """Every finding in `text`, and the facts it was seen to state (for coverage of external data)."""
    from curate.gates import claim_words as words

    checker = Checker(lexicon(sheet), text, question, fact_ids)
    numbers = checker.check_numbers()
    quotes = words._quoted_spans(text) if any(q in text for q in '"«“') else []
    lower = text.lower()
    if "signific" in lower:
        words.check_significance(checker, numbers)
    if "type " in lower or "stress-" in lower or "baseline-active" in lower:
        words.check_classes(checker, quotes)
    if words.PATTERN_HINT.search(text):
        words.check_patterns(checker, quotes)
    if "additive" in lower or "synergistic" in lower or "antagonistic" in lower:
        words.check_interactions(checker, quotes)
    words.check_nes_directions(checker, quotes)
    if words.SPLIT_HINT.search(lower):
        words.check_split_directions(checker, quotes)
    if numbers:
        words.check_number_directions(checker, numbers)
    if words.RELATION_HINT.search(text):
        words.check_chains(checker)
    if words.SUPERLATIVE_HINT.search(lower):
        words.check_superlatives(checker, quotes)
    findings = sorted(checker.findings, key=lambda f: (f.start, f.end, f.type))
    stated = tuple(sorted(set(checker.stated) | (set(checker.scope_ids) if checker.has_ids else set())))
    return ClaimResult(findings, stated, checker.used_question)


def check_text(text: str, sheet: FactSheet, *, fact_ids: Sequence[str] | None = None,
               question: str = "") -> list[Finding]:
    """Check the claims in any text (an answer, a model's output) against a fact sheet.

    `fact_ids`, when known, are the facts the text is meant to state; without them the facts are
    found from the tissues the text and `question` name. Numbers the question states are not
    flagged as unsupported.
    """
    return analyse(text, sheet, fact_ids=fact_ids, question=question).findings


def check_example(example: Example | Any, sheet: FactSheet) -> list[Finding]:
    """Check an example's output (a `schemas.Example` or a `GateItem`)."""
    question = f"{example.instruction}\n{example.input}" if example.input else example.instruction
    found = check_text(example.output, sheet, fact_ids=list(example.fact_ids) or None, question=question)
    return [f.with_example(example.id) for f in found]


def check_items(items: Sequence[Any], sheet: FactSheet, *, progress: Any = None) -> tuple[list[Finding],
                                                                                              list[tuple[str, ...]]]:
    """Check many items. An answer is checked once for all the questions it answers, unless its
    verdict depended on the question (a number only the question states, a tissue only it names)."""
    by_answer: dict[tuple[str, tuple[str, ...]], ClaimResult] = {}
    by_question: dict[tuple[str, tuple[str, ...], str], ClaimResult] = {}
    findings: list[Finding] = []
    stated: list[tuple[str, ...]] = []
    for index, item in enumerate(items):
        fact_ids = tuple(item.fact_ids)
        result = by_answer.get((item.output, fact_ids))
        if result is None and fact_ids:
            # With fact ids, a question can only excuse a finding (a number it states), never add one:
            # an answer clean without its question is clean with any question.
            result = analyse(item.output, sheet, fact_ids=list(fact_ids), question="")
            result.used_question = bool(result.findings)
            by_answer[(item.output, fact_ids)] = result
        if result is None or result.used_question:
            question = f"{item.instruction}\n{item.input}" if item.input else item.instruction
            key = (item.output, fact_ids, question)
            result = by_question.get(key)
            if result is None:
                result = analyse(item.output, sheet, fact_ids=list(fact_ids) or None, question=question)
                by_question[key] = result
                by_answer.setdefault((item.output, fact_ids), result)
        if result.findings:
            findings += [f.with_example(item.id) for f in result.findings]
        stated.append(result.stated_fact_ids)
        if progress is not None and index % 1000 == 0:
            progress(index)
    return findings, stated


_Q_NUMBER = re.compile(r"\d")
