"""Arithmetic written out ("67 / 165 = 40.6%", "910 ÷ (165 + 33) = 910 ÷ 198 ≈ 4.60"): found, and recomputed.

A run of numbers joined only by operators, brackets and "=" or "≈" is an expression chain. Each side is
evaluated (brackets and precedence as usual), and each side must equal the one before it: a single
number to the precision it is written with, an expression to within rounding. The first side's numbers
are operands, checked against the facts like any number; a side that is one number is a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curate.judge import messages
from curate.judge.numbers import Num, matches

if TYPE_CHECKING:
    from curate.judge.linking import Reader

_GAP = re.compile(r"[\s()+\-−/÷×*x=≈]*")
_OPERATOR = re.compile(r"[+\-−/÷×*=≈]|(?<=\s)x(?=\s)")
_TOKEN = re.compile(r"\s*(?:(?P<num>#\d+)|(?P<op>[+\-−/÷×*x])|(?P<open>\()|(?P<close>\)))")


@dataclass
class Expression:
    """One chain: its sides (each a list of numbers and the text that joins them), in order."""

    sides: list[tuple[list[Num], str]]  # (numbers, the side written with #i for its i-th number)

    @property
    def start(self) -> int:
        return self.sides[0][0][0].start

    @property
    def end(self) -> int:
        return self.sides[-1][0][-1].end


def link_expressions(numbers: list[Num], text: str) -> list[Expression]:
    """Every expression chain among `numbers`; marks each number's place in it (`expr`, `operand_first`,
    `is_result`) and '2 × 2 × 2' with no result as a design constant."""
    runs: list[list[Num]] = []
    current: list[Num] = []
    for num in numbers:
        joins = not num.exempt or num.exempt == "rule threshold"  # "1.25 × 198 = 247.5" is arithmetic too
        if current and joins and _GAP.fullmatch(text, current[-1].end, num.start) \
                and _OPERATOR.search(text, current[-1].end, num.start):
            current.append(num)
            continue
        if len(current) > 1:
            runs.append(current)
        current = [num] if joins else []
    if len(current) > 1:
        runs.append(current)
    expressions: list[Expression] = []
    for run in runs:
        expression = _sides(run, text)
        if expression is None:
            _design_product(run, text)
            continue
        index = len(expressions)
        for position, (side, _) in enumerate(expression.sides):
            for k, num in enumerate(side):
                num.expr = index
                num.operand_first = position == 0 and k == 0
                num.is_result = position > 0 and len(side) == 1
        expressions.append(expression)
    return expressions


def _sides(run: list[Num], text: str) -> Expression | None:
    sides: list[tuple[list[Num], str]] = []
    numbers: list[Num] = []
    written = ""
    for i, num in enumerate(run):
        written += f"#{len(numbers)}"
        numbers.append(num)
        gap = text[num.end:run[i + 1].start] if i + 1 < len(run) else ""
        pieces = re.split(r"[=≈]", gap)
        written += pieces[0]
        for piece in pieces[1:]:
            sides.append((numbers, written))
            numbers, written = [], piece
    sides.append((numbers, written))
    if len(sides) < 2 or any(not side for side, _ in sides):
        return None
    return Expression(sides)


def check_expression(reader: Reader, expression: Expression) -> bool:
    """Recompute each side; False (and a finding) at the first side that does not follow from the one before."""
    values = [_evaluate(side, written) for side, written in expression.sides]
    if any(v is None for v in values):
        return True
    for i in range(1, len(values)):
        before, value = values[i - 1], values[i]
        assert before is not None and value is not None
        side, _ = expression.sides[i]
        result = side[0]
        if len(side) == 1:
            expected = before * 100.0 if result.vtype == "percent" and _divides(expression.sides[i - 1][1]) and \
                before < 1.5 else before
            probe = Num(result.start, result.end, result.text, result.value, result.decimals, result.signed,
                        result.vtype, result.precision, "approx" if result.pred == "approx" else "eq")
            ok = matches(probe, expected)
        else:
            expected = before
            ok = abs(value - before) <= 0.01 * max(abs(before), 1e-9) + 0.5
        if not ok:
            start = expression.start
            shown = messages.fmt(expected, result.decimals if len(side) == 1 else 2) + (
                "%" if result.vtype == "percent" else "")
            reader.refute(messages.wrong_arithmetic(reader.text, start, side[-1], shown))
            return False
    reader.confirm("number", expression.start, expression.end, (), states=False)
    return True


def _divides(written: str) -> bool:
    return "/" in written or "÷" in written


def _evaluate(numbers: list[Num], written: str) -> float | None:
    """The value of one side ('#0 ÷ (#1 + #2)'), or None when it does not parse."""
    tokens: list[float | str] = []
    position = 0
    while position < len(written):
        match = _TOKEN.match(written, position)
        if not match or match.end() == position:
            if written[position:].strip() == "":
                break
            return None
        position = match.end()
        if match.group("num"):
            tokens.append(numbers[int(match.group("num")[1:])].value)
        elif match.group("op"):
            tokens.append(match.group("op"))
        elif match.group("open"):
            tokens.append("(")
        else:
            tokens.append(")")
    parser = _Parser(tokens)
    try:
        value = parser.sum()
    except (IndexError, ValueError, ZeroDivisionError):
        return None
    return value if parser.at == len(tokens) else None


class _Parser:
    def __init__(self, tokens: list[float | str]) -> None:
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> float | str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def sum(self) -> float:
        value = self.product()
        while self._peek() in ("+", "-", "−"):
            op = self.tokens[self.at]
            self.at += 1
            right = self.product()
            value = value + right if op == "+" else value - right
        return value

    def product(self) -> float:
        value = self.atom()
        while self._peek() in ("×", "*", "x", "/", "÷"):
            op = self.tokens[self.at]
            self.at += 1
            right = self.atom()
            value = value * right if op in ("×", "*", "x") else value / right
        return value

    def atom(self) -> float:
        token = self.tokens[self.at]
        self.at += 1
        if token == "(":
            value = self.sum()
            if self._peek() != ")":
                raise ValueError("unclosed bracket")
            self.at += 1
            return value
        if isinstance(token, str):
            raise ValueError(f"unexpected {token}")
        return token


def _design_product(run: list[Num], text: str) -> None:
    """'2 × 2 × 2' with no result is the design, not a claim."""
    joined = text[run[0].start:run[-1].end]
    if all(n.vtype == "int" and n.value <= 8 for n in run) and not re.search(r"[+\-−/÷=≈]", joined):
        for num in run:
            num.exempt = "design constant"
