"""From facts to examples: ingestion of study data, and one module per kind of example.

`generate_examples` is pure: the same fact sheet, options and seed give the same examples, in the
same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.schemas import Example, FactSheet


def generate_examples(
    sheet: FactSheet,
    *,
    tissues: Sequence[str],
    kinds: Sequence[str],
    seed: int = 0,
    per_fact: int = 3,
) -> list[Example]:
    """Every example of the chosen kinds about the chosen tissues."""
    from curate.generators.engine import GenerateConfig, expand
    from curate.generators.kinds import GENERATORS

    config = GenerateConfig(tissues=tuple(tissues), kinds=tuple(kinds), seed=seed, per_fact=per_fact)
    examples: list[Example] = []
    for kind in kinds:
        examples += expand(GENERATORS[kind], sheet, config)
    return examples


def generator_versions() -> dict[str, str]:
    from curate.generators.kinds import GENERATORS

    return {kind: generator.version for kind, generator in GENERATORS.items()}


__all__ = ["generate_examples", "generator_versions"]
