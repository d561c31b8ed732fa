"""The 2x2x2 design's vocabulary: factors, cells, and the 10 contrasts as signed sums of cells.

A cell is ``(drug, hu, ir)`` with 0 for the reference level (vehicle, normally loaded, sham) and 1
for the treated one (KMP, hindlimb unloaded, irradiated). Every contrast is a signed sum of cell
means on the log scale, so the same definition gives a pydeseq2 contrast vector (the same sum of
design-matrix rows), the truth of a simulation, and the pairwise GeneLab comparison to read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

FACTORS = ("drug", "hu", "ir")
# Canonical level names, reference first.
LEVELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"drug": ("vehicle", "KMP"), "hu": ("NL", "HU"), "ir": ("sham", "IR")}
)
FACTOR_WORDS = {
    "drug": "drug (KMP vs vehicle)", "hu": "HU (unloaded vs normally loaded)", "ir": "IR (irradiated vs sham)",
}

Cell = tuple[int, int, int]
CELLS: tuple[Cell, ...] = tuple((drug, hu, ir) for drug in (0, 1) for hu in (0, 1) for ir in (0, 1))

_CONTROL: Cell = (0, 0, 0)


def _pair(test: Cell, ref: Cell) -> dict[Cell, int]:
    return {test: 1, ref: -1}


def _interaction(both: Cell, first: Cell, second: Cell) -> dict[Cell, int]:
    return {both: 1, first: -1, second: -1, _CONTROL: 1}


# Contrast name -> {cell: weight}. Names follow the published tables (deg_counts.csv).
CONTRASTS: Mapping[str, Mapping[Cell, int]] = MappingProxyType(
    {
        "HU": _pair((0, 1, 0), _CONTROL),
        "IR": _pair((0, 0, 1), _CONTROL),
        "HU_IR": _pair((0, 1, 1), _CONTROL),
        "KMP_baseline": _pair((1, 0, 0), _CONTROL),
        "KMP_in_HU": _pair((1, 1, 0), (0, 1, 0)),
        "KMP_in_IR": _pair((1, 0, 1), (0, 0, 1)),
        "KMP_in_HU_IR": _pair((1, 1, 1), (0, 1, 1)),
        "HU_x_IR": _interaction((0, 1, 1), (0, 1, 0), (0, 0, 1)),
        "KMP_x_HU": _interaction((1, 1, 0), (0, 1, 0), (1, 0, 0)),
        "KMP_x_IR": _interaction((1, 0, 1), (0, 0, 1), (1, 0, 0)),
    }
)
CONTRAST_NAMES = tuple(CONTRASTS)
STRESSOR_CONTRASTS = {"HU": "HU", "IR": "IR", "HU_IR": "HU_IR"}  # DegCountFact.contrast
KMP_CONTRASTS = {"KMP_baseline": "baseline", "KMP_in_HU": "HU", "KMP_in_IR": "IR", "KMP_in_HU_IR": "HU_IR"}
INTERACTION_CONTRASTS = {"HU_x_IR": "HU_x_IR", "KMP_x_HU": "KMP_x_HU", "KMP_x_IR": "KMP_x_IR"}
PAIRWISE_CONTRASTS = tuple(name for name, cells in CONTRASTS.items() if len(cells) == 2)
# The two rankings a pathway pattern compares: stress against control, and KMP under that stress.
STRESS_CONTRAST, KMP_UNDER_STRESS_CONTRAST = "HU_IR", "KMP_in_HU_IR"

_ALIASES = {
    "kmp": "KMP_baseline",
    "kmp_in_baseline": "KMP_baseline",
    "kmp_vs_vehicle": "KMP_baseline",
    "hu_ir_vs_control": "HU_IR",
    "hu_vs_control": "HU",
    "ir_vs_control": "IR",
}
# Words a results file's name may carry around the contrast name.
_NAME_NOISE = re.compile(
    r"^(?:(?:deseq2|pydeseq2|results?|res|de|deg|degs|dge|fgsea|gsea|prerank|table)[_.-])+"
    r"|(?:[_.-](?:deseq2|pydeseq2|results?|res|de|deg|degs|dge|fgsea|gsea|prerank|table))+$",
    re.IGNORECASE,
)


def cell_label(cell: Cell) -> str:
    return " & ".join(LEVELS[factor][level] for factor, level in zip(FACTORS, cell, strict=False))


def contrast_from_name(stem: str) -> str | None:
    """The contrast a file name stands for (`HU_IR.csv`, `deseq2_KMP_in_HU.csv`), or None."""
    core = _NAME_NOISE.sub("", stem.strip())
    key = re.sub(r"[\s.-]+", "_", core).lower()
    by_lower = {name.lower(): name for name in CONTRAST_NAMES}
    return by_lower.get(key) or _ALIASES.get(key)
