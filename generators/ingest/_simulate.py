"""`simulate_study`: a realistic 2x2x2 study with planted effects, for tests, the demo and the bench."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.files import staged_folder
from curate.generators.ingest._contrasts import CELLS, CONTRASTS, Cell
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

SIMULATION_VERSION = "1"
TISSUES = ("heart", "hippocampus", "liver", "soleus")
PLANTED_SET = "SIM_STRESS_RESCUED"
GMT_NAME = "gene_sets.gmt"
TRUTH_NAME = "truth.json"
DEG_LOG2FC = 1.0  # a planted effect at least this large (log2) is a planted DEG
RESCUE_SHIFT = 0.7  # log2: mild, so the set moves as a whole while few of its genes are DEGs alone

# Which cells each program of genes shifts. Genes of one program move together.
PROGRAMS: dict[str, tuple[Cell, ...]] = {
    "HU": tuple(c for c in CELLS if c[1] == 1),
    "IR": tuple(c for c in CELLS if c[2] == 1),
    "HU_IR_synergy": tuple(c for c in CELLS if c[1] == 1 and c[2] == 1),
    "KMP_all": tuple(c for c in CELLS if c[0] == 1),
    "KMP_baseline_only": ((1, 0, 0),),
    "KMP_under_stress_only": ((1, 1, 1),),
    "KMP_under_HU": ((1, 1, 0), (1, 1, 1)),
    "KMP_under_IR": ((1, 0, 1), (1, 1, 1)),
}

# Share of genes in each program, per tissue; the KMP programs set the tissue's class.
PLANS: dict[str, dict[str, float]] = {
    # A: small KMP effect at baseline, large under combined stress.
    "heart": {"HU": 0.02, "IR": 0.01, "HU_IR_synergy": 0.03, "KMP_all": 0.002, "KMP_baseline_only": 0.003,
              "KMP_under_stress_only": 0.06, "KMP_under_HU": 0.01, "KMP_under_IR": 0.005},
    # B: large KMP effect at baseline (comparable to the stress response), blocked under stress.
    "hippocampus": {"HU": 0.03, "IR": 0.10, "HU_IR_synergy": 0.02, "KMP_all": 0.003, "KMP_baseline_only": 0.12,
                    "KMP_under_stress_only": 0.002, "KMP_under_HU": 0.001, "KMP_under_IR": 0.003},
    # C: moderate KMP effect at baseline (small next to the stress response), nearly abolished under stress.
    "liver": {"HU": 0.12, "IR": 0.04, "HU_IR_synergy": 0.06, "KMP_all": 0.0005, "KMP_baseline_only": 0.03,
              "KMP_under_stress_only": 0.0005, "KMP_under_HU": 0.0005, "KMP_under_IR": 0.001},
    # A, with a large unloading response.
    "soleus": {"HU": 0.15, "IR": 0.003, "HU_IR_synergy": 0.01, "KMP_all": 0.0005, "KMP_baseline_only": 0.0,
               "KMP_under_stress_only": 0.025, "KMP_under_HU": 0.005, "KMP_under_IR": 0.002},
}
PLANNED_CLASS = {"heart": "A", "hippocampus": "B", "liver": "C", "soleus": "A"}

# How each tissue's obs spells the design, to exercise the automatic mapping.
_OBS_STYLES: dict[str, dict[str, Any]] = {
    "heart": {"treatment": ("Vehicle", "Kaempferol"), "unloading": ("NL", "HU"), "radiation": ("Sham", "IR")},
    "hippocampus": {"drug": ("VEH", "KMP"), "hu": ("loaded", "HLU"), "ir": ("0Gy", "0.5Gy")},
    "liver": {"group": ("VEH", "NL", "sham", "KMP", "HU", "IR")},
    "soleus": {"compound": ("control", "kaempferol"), "loading": ("normally loaded", "unloaded"),
               "irradiation": ("sham", "irradiated")},
}


@dataclass(frozen=True)
class _Genes:
    ids: np.ndarray
    symbols: np.ndarray
    base: np.ndarray  # shared baseline mean count, before tissue scatter
    planted_set: np.ndarray  # indices of the rescued gene set


def simulate_study(
    out: str | os.PathLike[str],
    *,
    seed: int = 0,
    n_genes: int = 20000,
    replicates: int = 4,
    tissues: tuple[str, ...] = TISSUES,
) -> dict[str, Any]:
    """Write a simulated study to `out`: one ``<tissue>.h5ad`` per tissue, a GMT and ``truth.json``.

    Counts are negative binomial (dispersion trend 0.04 + 1/mean, log-normal scatter), with
    `replicates` animals per cell of the 2x2x2. Each tissue gets planted main effects, interactions
    and KMP programs that set its response class, and every tissue shares one gene set
    (``SIM_STRESS_RESCUED``) that combined stress lowers and KMP restores.

    Returns
    -------
    The truth, as written to ``truth.json``: per tissue the planned class, the obs columns, and for
    each of the 10 contrasts the planted DEGs (|log2FC| >= 1) and every gene with a non-zero effect.
    """
    _check_simulation_args(n_genes, replicates, tissues)
    destination = Path(out)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BadInputError(f"{destination}: already exists and is not an empty folder; choose a new --out")
    rng = np.random.default_rng(seed)
    genes = _make_genes(rng, n_genes)
    truth: dict[str, Any] = {
        "simulation_version": SIMULATION_VERSION, "seed": seed, "n_genes": n_genes, "replicates": replicates,
        "gmt": GMT_NAME, "planted_set": PLANTED_SET, "deg_log2fc": DEG_LOG2FC, "tissues": {},
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    with staged_folder(destination) as stage:
        for tissue in tissues:
            adata, tissue_truth = simulate_tissue(tissue, genes=genes, rng=rng, replicates=replicates)
            adata.write_h5ad(stage / f"{tissue}.h5ad")
            truth["tissues"][tissue] = {"file": f"{tissue}.h5ad", **tissue_truth}
        (stage / GMT_NAME).write_text(_gmt_text(genes, rng))
        (stage / TRUTH_NAME).write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")
    return truth


def simulate_tissue(
    tissue: str, *, genes: _Genes, rng: np.random.Generator, replicates: int
) -> tuple[AnnData, dict[str, Any]]:
    """One tissue's counts (AnnData, samples x genes) and its truth."""
    import anndata as ad

    n_genes = genes.ids.size
    base = genes.base * rng.lognormal(0.0, 0.5, n_genes)
    log2_cells = np.zeros((len(CELLS), n_genes))
    programs = _assign_programs(tissue, genes, rng)
    for program, members in programs.items():
        effect = rng.uniform(2.0, 3.5, members.size) * rng.choice([-1.0, 1.0], members.size)
        for cell in PROGRAMS[program]:
            log2_cells[CELLS.index(cell), members] += effect
    for cell in ((0, 1, 0), (0, 0, 1), (0, 1, 1)):  # stress lowers the set in vehicle; KMP keeps it up
        log2_cells[CELLS.index(cell), genes.planted_set] -= RESCUE_SHIFT

    cell_of_sample = np.repeat(np.arange(len(CELLS)), replicates)
    rng.shuffle(cell_of_sample)
    size_factors = rng.lognormal(0.0, 0.15, cell_of_sample.size)
    mean = size_factors[:, None] * base[None, :] * np.exp2(log2_cells[cell_of_sample])
    dispersion = (0.04 + 1.0 / base) * rng.lognormal(0.0, 0.3, n_genes)
    shape = 1.0 / dispersion
    counts = rng.poisson(rng.gamma(shape[None, :], mean / shape[None, :])).astype(np.int32)

    obs = _obs(tissue, cell_of_sample, rng)
    var = pd.DataFrame({"symbol": genes.symbols}, index=pd.Index(genes.ids, name="gene_id"))
    adata = ad.AnnData(X=counts, obs=obs, var=var)
    adata.uns["simulation"] = {"tissue": tissue, "version": SIMULATION_VERSION}
    return adata, _tissue_truth(tissue, genes, log2_cells, programs)


def _check_simulation_args(n_genes: int, replicates: int, tissues: tuple[str, ...]) -> None:
    if n_genes < 500:
        raise BadInputError(f"--genes {n_genes}: a simulated study needs at least 500 genes (default 20000)")
    if replicates < 2:
        raise BadInputError(f"--replicates {replicates}: each cell of the 2x2x2 needs at least 2 replicates")
    unknown = sorted(set(tissues) - set(PLANS))
    if unknown:
        raise BadInputError(f"tissue {unknown[0]!r} cannot be simulated; choose from {', '.join(PLANS)}")


def _make_genes(rng: np.random.Generator, n_genes: int) -> _Genes:
    ids = np.array([f"ENSMUSG{90000000000 + i:011d}" for i in range(n_genes)])
    symbols = np.array([f"Sg{i:05d}" for i in range(n_genes)])
    base = np.exp(rng.normal(np.log(150.0), 1.6, n_genes)).clip(0.05, 2e5)
    expressed = np.flatnonzero(base >= 400)
    size = int(np.clip(n_genes // 400, 20, 50))
    planted = rng.choice(expressed, size=min(size, expressed.size // 4), replace=False)
    return _Genes(ids=ids, symbols=symbols, base=base, planted_set=np.sort(planted))


def _assign_programs(tissue: str, genes: _Genes, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Disjoint, well-expressed genes for each program (planted DEGs must be detectable)."""
    pool = np.setdiff1d(np.flatnonzero(genes.base >= 200), genes.planted_set)
    pool = rng.permutation(pool)
    programs: dict[str, np.ndarray] = {}
    start = 0
    for program, share in PLANS[tissue].items():
        size = round(share * genes.ids.size)
        programs[program] = np.sort(pool[start : start + size])
        start += size
    if start > pool.size:
        raise BadInputError(f"--genes {genes.ids.size}: too few expressed genes to plant {tissue}'s effects")
    return programs


def _tissue_truth(
    tissue: str, genes: _Genes, log2_cells: np.ndarray, programs: dict[str, np.ndarray]
) -> dict[str, Any]:
    contrasts: dict[str, Any] = {}
    for name, weights in CONTRASTS.items():
        effect = sum(weight * log2_cells[CELLS.index(cell)] for cell, weight in weights.items())
        contrasts[name] = {
            "degs": genes.ids[np.abs(effect) >= DEG_LOG2FC].tolist(),
            "nonnull": genes.ids[np.abs(effect) > 1e-9].tolist(),
        }
    return {
        "response_class": PLANNED_CLASS[tissue],
        "obs_columns": sorted(_OBS_STYLES[tissue]),
        "programs": {name: int(members.size) for name, members in programs.items()},
        "contrasts": contrasts,
        "pathways": {PLANTED_SET: {"stress_direction": "down", "kmp_direction": "up", "pattern": "RESCUE"}},
    }


def _obs(tissue: str, cell_of_sample: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    style = _OBS_STYLES[tissue]
    cells = [CELLS[i] for i in cell_of_sample]
    names = [f"{tissue[:4]}_{i + 1:03d}" for i in range(len(cells))]
    columns: dict[str, list[str]] = {}
    if "group" in style:
        levels = style["group"]
        columns["group"] = [" & ".join(levels[3 * bit + k] for k, bit in enumerate(cell)) for cell in cells]
    else:
        for (column, (reference, treated)), position in zip(style.items(), range(3), strict=False):
            columns[column] = [treated if cell[position] else reference for cell in cells]
    columns["animal"] = [f"M{i + 1:03d}" for i in range(len(cells))]
    columns["batch"] = list(rng.choice(["run1", "run2"], len(cells)))
    columns["sex"] = ["F"] * len(cells)
    obs = pd.DataFrame(columns, index=pd.Index(names, name="sample"))
    return obs.astype("category")


def _gmt_text(genes: _Genes, rng: np.random.Generator) -> str:
    lines = [f"{PLANTED_SET}\tplanted: combined stress lowers it, KMP restores it\t"
             + "\t".join(genes.symbols[genes.planted_set])]
    others = np.setdiff1d(np.arange(genes.ids.size), genes.planted_set)
    for number in range(1, 25):
        members = rng.choice(others, size=int(rng.integers(20, 100)), replace=False)
        lines.append(f"SIM_RANDOM_{number:02d}\trandom decoy\t" + "\t".join(genes.symbols[np.sort(members)]))
    return "\n".join(lines) + "\n"
