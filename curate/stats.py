"""Statistics for a paired two-arm experiment on fixed held-out items, repeated over seeds.

Each arm answers the same items in every seed, so the comparison is paired twice over: by item and by
seed. A matrix ``correct[seed][item]`` (0 or 1) holds one arm's results in one round.

- `wilson`: the Wilson score interval of a proportion (for one seed's accuracy, or a pooled one).
- `bootstrap`: percentile intervals for each arm's mean accuracy and for the paired difference,
  resampling seeds and items together (a two-way cluster bootstrap), so that neither the variation
  between training runs nor the choice of items is ignored.
- `mcnemar_exact`: the exact (binomial) McNemar test on the discordant item-seed pairs.
- `sign_flip_test`: a paired permutation test on the per-item differences averaged over seeds, which
  treats an item answered in five seeds as one item, not five; exact when the items are few enough.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Matrix = Sequence[Sequence[int]]  # correct[seed][item], 0 or 1
Z95 = 1.959963984540054
EXACT_FLIPS_UP_TO = 20  # items with a non-zero difference: all 2^n sign flips up to this many


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for successes/n (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def binomial_two_sided(k: int, n: int) -> float:
    """Exact two-sided p-value of k successes in n fair coin flips (doubling the smaller tail)."""
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(0, min(k, n - k) + 1)) / 2**n
    return min(1.0, 2 * tail)


@dataclass(frozen=True)
class McNemar:
    b: int  # first arm right, second wrong
    c: int  # first arm wrong, second right
    p_value: float


def mcnemar_exact(first: Matrix, second: Matrix) -> McNemar:
    """Exact McNemar test over every (seed, item) pair of two arms' results."""
    b = c = 0
    for row_a, row_b in zip(first, second, strict=True):
        for x, y in zip(row_a, row_b, strict=True):
            b += int(x and not y)
            c += int(y and not x)
    return McNemar(b, c, binomial_two_sided(min(b, c), b + c))


def item_differences(first: Matrix, second: Matrix) -> list[float]:
    """Per item: first arm's accuracy over seeds minus the second's."""
    n_seeds = len(first)
    return [sum(first[s][i] - second[s][i] for s in range(n_seeds)) / n_seeds for i in range(len(first[0]))]


def sign_flip_test(differences: Sequence[float], *, draws: int = 20000, seed: int = 0) -> float:
    """Two-sided paired permutation test of mean difference 0: each item's difference keeps or flips its sign.

    Exact over all 2^n flips of the n non-zero differences when n <= EXACT_FLIPS_UP_TO; else `draws`
    random flips (the observed assignment counted once, so p > 0)."""
    nonzero = [d for d in differences if d != 0]
    if not nonzero:
        return 1.0
    observed = abs(sum(nonzero)) - 1e-12
    if len(nonzero) <= EXACT_FLIPS_UP_TO:
        extreme = 0
        for mask in range(2 ** len(nonzero)):
            total = sum(-d if mask >> i & 1 else d for i, d in enumerate(nonzero))
            extreme += abs(total) >= observed
        return extreme / 2 ** len(nonzero)
    rng = random.Random(seed)
    extreme = 1
    for _ in range(draws):
        extreme += abs(sum(d if rng.random() < 0.5 else -d for d in nonzero)) >= observed
    return extreme / (draws + 1)


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def mean_accuracy(matrix: Matrix) -> float:
    cells = [x for row in matrix for x in row]
    return sum(cells) / len(cells) if cells else 0.0


def bootstrap(first: Matrix, second: Matrix | None = None, *, draws: int = 4000, seed: int = 0,
              level: float = 0.95) -> tuple[Interval, Interval | None, Interval | None]:
    """Percentile intervals for the first arm's accuracy, the second's, and first minus second.

    Each draw resamples seeds and items with replacement, the same seeds and items for both arms."""
    import numpy as np

    a = np.asarray(first, dtype=float)
    b = None if second is None else np.asarray(second, dtype=float)
    rng = np.random.default_rng(seed)
    n_seeds, n_items = a.shape
    seeds = rng.integers(0, n_seeds, size=(draws, n_seeds))
    items = rng.integers(0, n_items, size=(draws, n_items))

    def resampled(m: np.ndarray) -> np.ndarray:
        return np.array([m[np.ix_(s, i)].mean() for s, i in zip(seeds, items, strict=True)])

    tail = (1 - level) / 2 * 100

    def interval(estimate: float, values: np.ndarray) -> Interval:
        low, high = np.percentile(values, [tail, 100 - tail])
        return Interval(float(estimate), float(low), float(high))

    draws_a = resampled(a)
    first_interval = interval(float(a.mean()), draws_a)
    if b is None:
        return first_interval, None, None
    draws_b = resampled(b)
    return (first_interval, interval(float(b.mean()), draws_b),
            interval(float(a.mean() - b.mean()), draws_a - draws_b))
