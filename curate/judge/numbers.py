"""Numbers as written: format, hedge or bound, and the ones that claim nothing about the study.

1. A number is read with its format: thousands separators, sign, decimals, %, "1.9k", "18.8-fold", and a
   hedge or bound before it ("about 2,000", "fewer than 200", "between 1,500 and 1,600", "not 165").
   Digits inside words (log2, mTORC1, Cdkn1a, 2x2x2) are not numbers.
2. Numbers that claim nothing about the data are `exempt`: list markers, p-value and padj cut-offs
   (a padj cut-off other than the sheet's is flagged by the caller), design constants ("8 groups"),
   and the thresholds of the label rules (`curate.schemas.rules`) when stated as a rule.
3. `matches` says whether a value satisfies the claim, to the precision the number is written with.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from curate.judge import outside

NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z][-‐])(?P<sign>[+\-−](?=\d))?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>[ \u00a0\u202f]?(?:%|percent\b|per cent\b)|[kKM](?!\w)| (?:thousand|million)\b|-?\s?fold(?!\w)|"
    r"[x×](?!\w))?(?![\w]|\.\d)"
)
_APPROX = re.compile(r"(?:about|approximately|approx\.?|around|roughly|nearly|almost|some|close to|~|≈|"
                     r"on the order of)\s*$", re.I)
_LESS = re.compile(r"(?P<op>fewer than|less than|below|under|<=|<|≤|no more than|at most|up to)\s*$", re.I)
_MORE = re.compile(r"(?P<op>more than|over|above|greater than|>=|>|≥|at least|no fewer than|no less than|"
                   r"exceeding|in excess of)\s*$", re.I)
_NEGATED_VERB = re.compile(r"(?:\b(?:does|did|do|has|have|had|is|are|was|were)\s+not|\b(?:doesn't|didn't|don't|hasn't|"
                           r"haven't|isn't|aren't|wasn't|weren't)|\bnever)\s+(?:[a-z]+\s+){0,2}$", re.I)
_DENIED = {"eq": "neq", "gt": "le", "ge": "lt", "lt": "ge", "le": "gt"}  # what a denied claim states
_NOT = re.compile(r"\bnot\s+(?:about\s+|exactly\s+|quite\s+)?$", re.I)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_FROM = re.compile(r"\bfrom\s*$", re.I)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to)\s*$")
_AND_GAP = re.compile(r"\s*(?:and|-|–|to)\s*$")
_RATIO_BEFORE = re.compile(r"\bratios?\b[^.;:]{0,20}?(?:of|is|was|=)?\s*$", re.I)
_TIMES_AFTER = re.compile(r"\s*(?:times|-fold|fold)\b", re.I)


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
    wrong_cutoff: bool = False  # a padj cut-off other than the sheet's
    made_up: bool = False  # a time or dose stated as an outcome the design cannot have measured
    restated: bool = False  # written again elsewhere in the text, here with no words of its own


_SCIENTIFIC = re.compile(r"(?<![\w.,])(?P<mant>\d+(?:\.\d+)?)\s*(?:[eE](?P<e1>[+-]?\d+)|[x×·]\s*10\s*(?:\^|\*\*)?\s*"
                         r"(?P<e2>[+-]?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))(?![\w.])")
_MAYBE_SCIENTIFIC = re.compile(r"\d[eE][+-]?\d|10\s*(?:\^|\*\*|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻])")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _scientific(text: str) -> list[Num]:
    """'6.2e3', '6.2 × 10³', '6.2x10^3': read as the count they write, to the precision of the mantissa."""
    found = []
    for match in _SCIENTIFIC.finditer(text):
        mantissa = match.group("mant")
        exponent = int((match.group("e1") or match.group("e2")).translate(_SUPERSCRIPT))
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        value = float(mantissa) * 10.0 ** exponent
        precision = 10.0 ** (exponent - decimals)
        vtype = "int" if value >= 1 and precision >= 1 else "decimal"
        found.append(Num(match.start(), match.end(), match.group(0), value, max(0, decimals - exponent), False,
                         vtype, precision))
    return found


_NONE = re.compile(r"\b(?:zero|no|not a single)(?=\s+(?:\w+\s+)?(?:DEGs?|genes|differentially expressed genes|"
                   r"transcripts)\b)",
                   re.I)


def _no_genes(text: str) -> list[Num]:
    """'zero DEGs', 'no genes': a count of 0."""
    return [Num(m.start(), m.end(), m.group(0), 0.0, 0, False, "int", 1.0) for m in _NONE.finditer(text)]


def read_numbers(text: str, padj: float) -> list[Num]:
    """Every number in `text` with its format, hedge or bound, and whether it claims nothing (`exempt`)."""
    numbers: list[Num] = []
    scientific = _scientific(text) if _MAYBE_SCIENTIFIC.search(text) else []
    if "zero" in text or "no " in text or "No " in text or "single" in text:
        scientific += _no_genes(text)
    taken = [(n.start, n.end) for n in scientific]
    for num in scientific:
        _classify(num, text, padj)
    for match in NUMBER.finditer(text):
        if taken and any(a <= match.start() < b for a, b in taken):
            continue
        raw = match.group("num")
        clean = raw.replace(",", "")
        decimals = len(clean.split(".")[1]) if "." in clean else 0
        value = float(clean)
        suffix = (match.group("suffix") or "").strip().lower()
        suffix = {"thousand": "k", "million": "m"}.get(suffix, suffix)
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
        _classify(num, text, padj)
        numbers.append(num)
    if scientific:
        numbers = sorted(numbers + scientific, key=lambda n: n.start)
    _pair_ranges(numbers, text)
    return numbers


_HEDGE_WORDS = frozenset((
    "not", "about", "approximately", "approx", "approx.", "around", "roughly", "nearly", "almost", "some",
    "to", "~", "≈", "of", "than", "under", "below", "over", "above", "<", ">", "<=", ">=", "≤", "≥", "most",
    "least", "excess", "exceeding",
))

def _classify(num: Num, text: str, padj: float) -> None:
    start = num.start
    before = text[max(0, start - 40):start]
    tail = before[-24:].lower()
    num.exempt = outside.reason(num, text, padj)
    if num.exempt:
        return
    words = tail.split()
    found = None
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
    if ("not" in tail or "n't" in tail or "never" in tail) and num.pred in _DENIED:
        head = before[:found.start()] if found is not None and num.pred != "eq" else before
        if _NEGATED_VERB.search(head):  # "HU does not cause 4,110 DEGs", "IR never changes more than 100 genes"
            num.pred = _DENIED[num.pred]
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


def matches(num: Num, value: float) -> bool:
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


VTYPES = {
    "percent": ("percent",),
    "ratio": ("ratio",),
    "signed": ("nes", "shift"),
    "decimal": ("nes", "lfc", "shift", "ratio"),
    "int": ("count",),
}
