"""Coverage: every fact is taught in several phrasings and tested at least once.

For each fact in scope: the number of distinct training prompts that state it (its paraphrases) and
the number of test items that state it. An item states the facts in its `fact_ids`; an external
item without them states the facts its answer was seen to state by the claim check. The gate: every
fact has at least `MIN_TRAIN` training paraphrases and `MIN_TEST` test items.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.gates.dedup import Prompts

if TYPE_CHECKING:
    from curate.schemas import FactSheet

MIN_TRAIN = 3
MIN_TEST = 1


@dataclass(frozen=True)
class FactCoverage:
    fact_id: str
    tissue: str
    kind: str
    train_paraphrases: int
    test_items: int

    @property
    def ok(self) -> bool:
        return self.train_paraphrases >= MIN_TRAIN and self.test_items >= MIN_TEST

    def to_dict(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "tissue": self.tissue, "kind": self.kind,
                "train_paraphrases": self.train_paraphrases, "test_items": self.test_items, "ok": self.ok}


@dataclass
class CoverageReport:
    facts: list[FactCoverage] = field(default_factory=list)
    min_train: int = MIN_TRAIN
    min_test: int = MIN_TEST

    @property
    def failing(self) -> list[FactCoverage]:
        return [f for f in self.facts if not f.ok]

    @property
    def passed(self) -> bool:
        return bool(self.facts) and not self.failing

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "min_train": self.min_train,
            "min_test": self.min_test,
            "n_facts": len(self.facts),
            "n_failing": len(self.failing),
            "facts": [f.to_dict() for f in self.facts],
        }


def measure_coverage(prompts: Prompts, sheet: FactSheet, *, tissues: Sequence[str] | None = None,
                     stated: Sequence[Sequence[str]] | None = None) -> CoverageReport:
    chosen = set(tissues) if tissues is not None else set(sheet.tissues)
    train_prompts: dict[str, set[str]] = defaultdict(set)
    test_items: dict[str, int] = defaultdict(int)
    for index, item in enumerate(prompts.items):
        fact_ids = item.fact_ids or (stated[index] if stated is not None else ())
        for fact_id in fact_ids:
            if item.split == "test":
                test_items[fact_id] += 1
            elif item.split == "train":
                train_prompts[fact_id].add(prompts.text[index])
    rows = [FactCoverage(f.id, f.tissue, f.kind, len(train_prompts[f.id]), test_items[f.id])
            for f in sheet.facts if f.tissue in chosen]
    return CoverageReport(facts=rows)


def heatmap_png(report: CoverageReport, *, title: str = "") -> bytes:
    """Tissue x fact type: the fewest training paraphrases of any fact in the cell, and how many pass."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from curate.schemas import FACT_KINDS

    tissues = sorted({f.tissue for f in report.facts})
    kinds = [k for k in FACT_KINDS if any(f.kind == k for f in report.facts)]
    if len(tissues) > 60:  # a synthetic or very large sheet: one row per tissue would be unreadable
        tissues = tissues[:60]
    grid = np.full((len(tissues), len(kinds)), np.nan)
    notes: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, tissue in enumerate(tissues):
        for c, kind in enumerate(kinds):
            cell = [f for f in report.facts if f.tissue == tissue and f.kind == kind]
            if cell:
                grid[r, c] = min(f.train_paraphrases for f in cell)
                ok = sum(f.ok for f in cell)
                notes[r, c] = (f"{int(grid[r, c])}\n{ok}/{len(cell)} ok", ok == len(cell))
    fig, ax = plt.subplots(figsize=(1.6 + 1.5 * max(1, len(kinds)), 1.2 + 0.6 * max(1, len(tissues))), dpi=100)
    vmax = max(report.min_train * 2, float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="YlGn", vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(kinds)), [k.replace("_", " ") for k in kinds], rotation=30, ha="right")
    ax.set_yticks(range(len(tissues)), tissues)
    for (r, c), (note, all_ok) in notes.items():
        ax.text(c, r, note, ha="center", va="center", fontsize=8, color="black" if all_ok else "firebrick")
    fig.colorbar(image, ax=ax, label="fewest training paraphrases of a fact")
    ax.set_title(title or f"coverage: gate is >= {report.min_train} train paraphrases and >= {report.min_test} "
                          "test item per fact", fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
