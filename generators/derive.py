"""Values derived from facts by code, never typed by hand: rankings and fold changes.

The rules that turn values into labels (interaction class, direction bias, response class) are part of
the contract and live in `curate.schemas.rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    label: str
    value: float


def ranking(items: Sequence[Ranked]) -> list[Ranked]:
    """Highest first; ties keep a stable, alphabetical order."""
    return sorted(items, key=lambda item: (-item.value, item.label))


def fold(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
