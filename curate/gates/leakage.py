"""Leakage: no test prompt may have an exact or near copy of itself in training.

The generator makes this true by construction (test templates are disjoint from training templates,
and questions the data cannot answer are split by subject); this gate verifies it. A pair is a leak
when the normalised prompts are equal, or when their similarity is at least `LEAK_THRESHOLD` and they
are about the same thing (see `curate.gates.dedup`). For curate's own examples the report also lists
templates used on both sides of the split, which would break the construction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from curate.gates.dedup import LEAK_THRESHOLD, Pair, Prompts, _pair, _similar_pairs

TRAIN_SIDE = ("train", "validation")


@dataclass
class LeakageReport:
    pairs: list[Pair] = field(default_factory=list)
    template_collisions: dict[str, dict[str, int]] = field(default_factory=dict)
    threshold: float = LEAK_THRESHOLD
    n_test: int = 0
    n_train: int = 0

    @property
    def passed(self) -> bool:
        return not self.pairs and not self.template_collisions

    def to_dict(self, limit: int = 2000) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "threshold": self.threshold,
            "n_test": self.n_test,
            "n_train": self.n_train,
            "n_pairs": len(self.pairs),
            "pairs": [p.to_dict() for p in self.pairs[:limit]],
            "template_collisions": self.template_collisions,
        }


def find_leakage(prompts: Prompts, *, test_indices: Sequence[int] | None = None,
                 train_indices: Sequence[int] | None = None, threshold: float = LEAK_THRESHOLD) -> LeakageReport:
    """Test prompts against training prompts. By default the split of each item decides its side."""
    items = prompts.items
    test = list(test_indices) if test_indices is not None else [i for i, it in enumerate(items) if it.split == "test"]
    train = list(train_indices) if train_indices is not None else [
        i for i, it in enumerate(items) if it.split in TRAIN_SIDE]
    report = LeakageReport(threshold=threshold, n_test=len(test), n_train=len(train))
    train_by_text: dict[str, list[int]] = defaultdict(list)
    for index in train:
        train_by_text[prompts.text[index]].append(index)
    seen: set[tuple[int, int]] = set()
    for index in test:
        for other in train_by_text.get(prompts.text[index], ()):
            seen.add((index, other))
            report.pairs.append(_pair(prompts, index, other, 100.0))
    for test_block, train_block in _paired_blocks(prompts, test, train):
        for a, b, score in _similar_pairs(prompts, test_block, train_block, threshold):
            if (a, b) not in seen:
                seen.add((a, b))
                report.pairs.append(_pair(prompts, a, b, score))
    report.pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    report.template_collisions = _template_collisions(prompts, test, train)
    return report


def _paired_blocks(prompts: Prompts, test: list[int], train: list[int]) -> list[tuple[list[int], list[int]]]:
    sides: dict[tuple[str, frozenset[str]], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side, indices in ((0, test), (1, train)):
        for index in indices:
            sides[prompts.about(index)][side].append(index)
    return [(a, b) for a, b in sides.values() if a and b]


def _template_collisions(prompts: Prompts, test: list[int], train: list[int]) -> dict[str, dict[str, int]]:
    items = prompts.items
    test_templates = Counter(items[i].template_id for i in test if items[i].template_id)
    train_templates = Counter(items[i].template_id for i in train if items[i].template_id)
    return {t: {"test": test_templates[t], "train": train_templates[t]}
            for t in sorted(set(test_templates) & set(train_templates))}
