"""The experiment's statistics on hand-made numbers with known answers."""

from __future__ import annotations

import pytest

from curate.stats import binomial_two_sided, bootstrap, item_differences, mcnemar_exact, sign_flip_test, wilson


def test_wilson_interval_known_values() -> None:
    assert wilson(0, 10) == pytest.approx((0.0, 0.27753), abs=1e-5)
    assert wilson(5, 10) == pytest.approx((0.23659, 0.76341), abs=1e-5)
    assert wilson(9, 28) == pytest.approx((0.17933, 0.50661), abs=1e-5)
    assert wilson(0, 0) == (0.0, 1.0)


def test_exact_binomial_and_mcnemar_known_p_values() -> None:
    assert binomial_two_sided(2, 12) == pytest.approx(158 / 4096)  # 2 * (1 + 12 + 66) / 2^12
    assert binomial_two_sided(3, 6) == 1.0
    assert binomial_two_sided(0, 5) == pytest.approx(2 / 32)
    # 10 pairs where only the first arm is right, 2 where only the second: statsmodels' exact mcnemar 0.03857421875
    first = [[1] * 10 + [0] * 2 + [1] * 5 + [0] * 3]
    second = [[0] * 10 + [1] * 2 + [1] * 5 + [0] * 3]
    result = mcnemar_exact(first, second)
    assert (result.b, result.c) == (10, 2)
    assert result.p_value == pytest.approx(0.038574, abs=1e-6)
    assert mcnemar_exact([[1, 0]], [[1, 0]]).p_value == 1.0


def test_sign_flip_test_is_exact_for_few_items() -> None:
    assert sign_flip_test([1, 1, 1, 1, 1]) == pytest.approx(2 / 32)
    assert sign_flip_test([1, -1, 0, 0]) == 1.0
    assert sign_flip_test([0, 0]) == 1.0
    # 6 of 8 flips of (1, 1, 0.5) reach |sum| >= 2.5? only all-plus and all-minus: 2/8
    assert sign_flip_test([1, 1, 0.5]) == pytest.approx(2 / 8)
    many = [1.0] * 30  # Monte Carlo: the observed all-positive assignment is as extreme as it gets
    assert sign_flip_test(many, draws=2000) < 0.002


def test_item_differences_average_over_seeds() -> None:
    first = [[1, 0, 1], [1, 1, 0]]
    second = [[0, 0, 1], [1, 0, 1]]
    assert item_differences(first, second) == [0.5, 0.5, -0.5]


def test_bootstrap_intervals_cover_the_estimate_and_pair_the_arms() -> None:
    ones, zeros = [[1] * 6] * 5, [[0] * 6] * 5
    a, b, diff = bootstrap(ones, zeros, draws=200)
    assert (a.estimate, a.low, a.high) == (1.0, 1.0, 1.0)
    assert b is not None and (b.low, b.high) == (0.0, 0.0)
    assert diff is not None and (diff.low, diff.high) == (1.0, 1.0)
    mixed = [[1, 0, 1, 0, 1, 1, 0, 0], [1, 1, 1, 0, 0, 1, 0, 0]]
    same, _, zero = bootstrap(mixed, mixed, draws=500)
    assert same.estimate == pytest.approx(0.5) and same.low <= 0.5 <= same.high
    assert zero is not None and (zero.low, zero.estimate, zero.high) == (0.0, 0.0, 0.0)  # paired: identical arms
