"""Rebuild the binary fixtures of the bad-input corpus (h5ad, parquet, a datasets folder):
`python tests/bad_inputs/make_cases.py` (or `... make_cases.py sft` for the SFT readers' cases only).

Text fixtures are written by hand in each case folder; only the files that need a library to make
are built here, deterministically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import anndata
import numpy as np
import pandas as pd

HERE = Path(__file__).parent
CELLS = [(d, h, i) for d in (0, 1) for h in (0, 1) for i in (0, 1)]
LEVELS = {"treatment": ("Vehicle", "Kaempferol"), "unloading": ("NL", "HU"), "radiation": ("Sham", "IR")}


def h5ad(path: Path, *, replicates: int = 3, keep: Callable[[tuple[int, int, int], int], bool] = lambda c, r: True,
         drop_column: str | None = None, rename: dict[str, str] | None = None,
         extra: dict[str, list[str]] | None = None, counts: np.ndarray | None = None,
         genes: list[str] | None = None) -> None:
    rng = np.random.default_rng(0)
    rows = [(cell, r) for cell in CELLS for r in range(replicates) if keep(cell, r)]
    obs = pd.DataFrame({name: [pair[cell[k]] for cell, _ in rows] for k, (name, pair) in enumerate(LEVELS.items())},
                       index=[f"s{i}" for i in range(len(rows))])
    for name, values in (extra or {}).items():
        obs[name] = values[: len(rows)]
    if drop_column:
        obs = obs.drop(columns=drop_column)
    if rename:
        obs = obs.rename(columns=rename)
    genes = genes or [f"g{i}" for i in range(40)]
    matrix = counts if counts is not None else rng.poisson(50, size=(len(rows), len(genes))).astype(np.int64)
    adata = anndata.AnnData(X=matrix, obs=obs, var=pd.DataFrame(index=genes))
    path.parent.mkdir(parents=True, exist_ok=True)
    adata.write_h5ad(path)


def case(name: str, args: list[str], expect: str) -> Path:
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    (folder / "case.json").write_text(json.dumps({"args": args, "expect": expect}, indent=2, ensure_ascii=False) + "\n")
    return folder


def main() -> None:
    ingest = ["ingest", "{dir}/counts.h5ad", "--tissue", "heart"]
    h5ad(case("h5ad-missing-factor", ingest, "obs has no column for IR (irradiated vs sham)") / "counts.h5ad",
         drop_column="radiation")
    h5ad(case("h5ad-missing-cell", ingest, "missing the cell KMP & HU & IR (no samples)") / "counts.h5ad",
         keep=lambda c, r: c != (1, 1, 1))
    h5ad(case("h5ad-one-replicate", ingest, "cell KMP & NL & sham has 1 replicate") / "counts.h5ad",
         keep=lambda c, r: c != (1, 0, 0) or r == 0)
    float_counts = np.random.default_rng(0).poisson(50, size=(24, 40)).astype(float)
    float_counts[2, 5] = 12.5
    h5ad(case("h5ad-float-counts", ingest, "X holds non-integer counts (sample 's2', gene 'g5': 12.5)")
         / "counts.h5ad", counts=float_counts)
    negative = np.random.default_rng(0).poisson(50, size=(24, 40)).astype(np.int64)
    negative[3, 7] = -4
    h5ad(case("h5ad-negative-counts", ingest, "counts.h5ad") / "counts.h5ad", counts=negative)
    h5ad(case("h5ad-duplicate-genes", ingest, "counts.h5ad") / "counts.h5ad",
         genes=[f"g{i}" for i in range(39)] + ["g3"])
    drugs = [LEVELS["treatment"][1 - cell[0]] for cell in CELLS for _ in range(3)]
    h5ad(case("h5ad-ambiguous-mapping", ingest, "ambiguous design: 'treatment' and 'drug'") / "counts.h5ad",
         extra={"drug": drugs})
    folder = case("h5ad-truncated", ingest, "counts.h5ad: not a readable .h5ad file")
    h5ad(folder / "full.h5ad")
    (folder / "counts.h5ad").write_bytes((folder / "full.h5ad").read_bytes()[:3000])
    (folder / "full.h5ad").unlink()
    folder = case("h5ad-empty-gmt", [*ingest, "--gmt", "{dir}/empty.gmt"], "empty.gmt: GMT file has no gene sets")
    h5ad(folder / "counts.h5ad")
    (folder / "empty.gmt").write_text("\n# no sets here\n")
    folder = case("h5ad-gmt-empty-set", [*ingest, "--gmt", "{dir}/sets.gmt"], "sets.gmt")
    h5ad(folder / "counts.h5ad")
    (folder / "sets.gmt").write_text("HALLMARK_A\thttp://x\tg1\tg2\tg3\nHALLMARK_EMPTY\thttp://x\n")
    folder = case("design-yaml-unknown-key", [*ingest, "--design", "{dir}/design.yaml"],
                  "design.yaml: unknown key 'samples'")
    h5ad(folder / "counts.h5ad")
    (folder / "design.yaml").write_text("factors:\n  drug: {column: treatment}\nsamples: all\n")
    folder = case("h5ad-unicode-name", ["ingest", "{dir}/zählung_ö.h5ad", "--tissue", "heart"],
                  "zählung_ö.h5ad: not a readable .h5ad file")
    (folder / "zählung_ö.h5ad").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 4)


def sft_cases() -> None:
    """Containers that need a library to write: a parquet file cut short, a datasets folder whose data is broken."""
    import datasets

    datasets.disable_progress_bars()
    rows = {"messages": [[{"role": "user", "content": "How many genes does HU change in liver?"},
                          {"role": "assistant", "content": "4,110 genes."}]] * 40}
    folder = case("import-parquet-truncated", ["import", "{dir}/train.parquet"],
                  "train.parquet: not a readable parquet file")
    pd.DataFrame(rows).to_parquet(folder / "full.parquet")
    (folder / "train.parquet").write_bytes((folder / "full.parquet").read_bytes()[:600])
    (folder / "full.parquet").unlink()
    folder = case("import-datasets-folder-broken", ["import", "{dir}/hf"], "hf: cannot load the datasets folder")
    datasets.Dataset.from_dict(rows).save_to_disk(str(folder / "hf"))
    for arrow in (folder / "hf").glob("*.arrow"):
        arrow.write_bytes(b"not arrow data\n")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["sft"]:
        main()
    sft_cases()
