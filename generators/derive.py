"""Values derived from facts by code, never typed by hand: ratios, shares, rankings, rule-based labels.

Every rule here has its threshold in one named constant, so an answer can state the rule it used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Combined effect against the sum of the single effects, on DEG counts.
SYNERGY_RATIO = 1.25
ANTAGONISM_RATIO = 0.8
# Share of up-regulated genes inside which a response counts as balanced.
BALANCED_LOW, BALANCED_HIGH = 45.0, 55.0
# KMP DEGs at baseline from which a tissue counts as baseline-active (Type B) when stress blocks it.
LARGE_BASELINE = 1000


@dataclass(frozen=True)
class Ranked:
    label: str
    value: float


def ranking(items: Sequence[Ranked]) -> list[Ranked]:
    """Highest first; ties keep a stable, alphabetical order."""
    return sorted(items, key=lambda item: (-item.value, item.label))


def interaction_class(hu: int, ir: int, combined: int) -> str:
    expected = hu + ir
    if expected == 0:
        return "synergistic" if combined > 0 else "additive"
    ratio = combined / expected
    if ratio >= SYNERGY_RATIO:
        return "synergistic"
    if ratio <= ANTAGONISM_RATIO:
        return "antagonistic"
    return "additive"


def share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def direction_bias(n_up: int, n_down: int) -> str:
    up_share = share(n_up, n_up + n_down)
    if up_share > BALANCED_HIGH:
        return "up"
    if up_share < BALANCED_LOW:
        return "down"
    return "balanced"


def fold(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def response_class(baseline: int, under_stress: int) -> str:
    """Type A stress-activated, B baseline-active, C stress-blocked (the study's classes)."""
    if under_stress > baseline:
        return "A"
    return "B" if baseline >= LARGE_BASELINE else "C"
