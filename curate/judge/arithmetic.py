"""Arithmetic written out ("67 / 165 = 40.6%", "4,110 - 140 = 3,970"): found, and recomputed."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from curate.judge import messages
from curate.judge.numbers import Num, matches

if TYPE_CHECKING:
    from curate.judge.linking import Reader

_OP_GAP = re.compile(r"\s*\)?\s*([+\-−/÷×*])\s*\(?\s*$")
_EQ_GAP = re.compile(r"\s*\)?\s*(=|≈)\s*\(?\s*$")


def link_expressions(numbers: list[Num], text: str) -> list[list[tuple[Num, str]]]:
    """'a op b (op c) = r' chains, as [(a, ''), (b, op), ..., (r, '=')]. Marks each number's expression."""
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


def check_expression(reader: Reader, expression: list[tuple[Num, str]]) -> None:
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
    start = operands[0][0].start
    if matches(probe, value):
        reader.confirm("number", start, result.end, (), states=False)
        return
    shown = messages.fmt(value, result.decimals) + ("%" if result.vtype == "percent" else "")
    reader.refute(messages.wrong_arithmetic(reader.text, start, result, shown))


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


def _design_product(chain: list[tuple[Num, str]]) -> None:
    """'2 × 2 × 2' with no result is the design, not a claim."""
    if all(op in ("", "×", "*") for _, op in chain) and all(n.vtype == "int" and n.value <= 8 for n, _ in chain):
        for num, _ in chain:
            num.exempt = "design constant"
