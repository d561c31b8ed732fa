"""Bad inputs to `curate ingest`, through the real CLI: one line on stderr naming the file, column or
value at fault, exit 2, and nothing registered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_curate

anndata = pytest.importorskip("anndata")

CELLS = [(d, h, i) for d in (0, 1) for h in (0, 1) for i in (0, 1)]
LEVELS = {"treatment": ("Vehicle", "Kaempferol"), "unloading": ("NL", "HU"), "radiation": ("Sham", "IR")}
DESEQ2_HEADER = "gene,baseMean,log2FoldChange,lfcSE,stat,pvalue,padj"


def _h5ad(path: Path, *, replicates: int = 3, keep: Callable[[tuple[int, int, int], int], bool] = lambda c, r: True,
          drop_column: str | None = None, extra: dict[str, list[str]] | None = None) -> Path:
    rng = np.random.default_rng(0)
    rows = [(cell, r) for cell in CELLS for r in range(replicates) if keep(cell, r)]
    obs = pd.DataFrame({name: [pair[cell[k]] for cell, _ in rows] for k, (name, pair) in enumerate(LEVELS.items())},
                       index=[f"s{i}" for i in range(len(rows))])
    for name, values in (extra or {}).items():
        obs[name] = values[: len(rows)]
    if drop_column:
        obs = obs.drop(columns=drop_column)
    counts = rng.poisson(50, size=(len(rows), 40)).astype(np.int64)
    adata = anndata.AnnData(X=counts, obs=obs, var=pd.DataFrame(index=[f"g{i}" for i in range(40)]))
    adata.write_h5ad(path)
    return path


def _deseq2(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([DESEQ2_HEADER, *rows]) + "\n")
    return path


GOOD_ROWS = ["g1,500,2.0,0.3,6.6,1e-10,1e-8", "g2,300,-1.0,0.3,-3.3,0.001,0.01", "g3,80,0.1,0.3,0.3,0.7,0.9"]


def _missing_factor(d: Path) -> list[str]:
    return [str(_h5ad(d / "counts.h5ad", drop_column="radiation")), "--tissue", "heart"]


def _missing_cell(d: Path) -> list[str]:
    return [str(_h5ad(d / "counts.h5ad", keep=lambda c, r: c != (1, 1, 1))), "--tissue", "heart"]


def _one_replicate(d: Path) -> list[str]:
    return [str(_h5ad(d / "counts.h5ad", keep=lambda c, r: c != (1, 0, 0) or r == 0)), "--tissue", "heart"]


def _float_counts(d: Path) -> list[str]:
    path = _h5ad(d / "counts.h5ad")
    adata = anndata.read_h5ad(path)
    adata.X = adata.X.astype(float)
    adata.X[2, 5] = 12.5
    adata.write_h5ad(path)
    return [str(path), "--tissue", "heart"]


def _nan_padj(d: Path) -> list[str]:
    return [str(_deseq2(d / "HU.csv", [*GOOD_ROWS, "g4,900,1.5,0.3,5.0,1e-6,NA"])), "--tissue", "heart"]


def _duplicate_genes(d: Path) -> list[str]:
    return [str(_deseq2(d / "HU_IR.csv", [*GOOD_ROWS, "g2,310,-1.1,0.3,-3.4,0.001,0.01"])), "--tissue", "heart"]


def _wrong_genelab_header(d: Path) -> list[str]:
    path = d / "differential_expression_GLbulkRNAseq.csv"
    path.write_text("ENSEMBL,SYMBOL,Log2FC_(KMP & HU & IR)v(VEH & HU & IR),P.value_(KMP & HU & IR)v(VEH & HU & IR)\n"
                    "ENSMUSG1,Abc,1.0,0.01\n")
    return [str(path), "--tissue", "heart"]


def _unknown_contrast(d: Path) -> list[str]:
    return [str(_deseq2(d / "KMP_vs_everything.csv", GOOD_ROWS)), "--tissue", "heart"]


def _empty_gmt(d: Path) -> list[str]:
    (d / "empty.gmt").write_text("\n# no sets here\n")
    return [str(_h5ad(d / "counts.h5ad")), "--tissue", "heart", "--gmt", str(d / "empty.gmt")]


def _corrupt_h5ad(d: Path) -> list[str]:
    (d / "counts.h5ad").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 4)
    return [str(d / "counts.h5ad"), "--tissue", "heart"]


def _ambiguous(d: Path) -> list[str]:
    drugs = [LEVELS["treatment"][1 - cell[0]] for cell in CELLS for _ in range(3)]  # disagrees with 'treatment'
    return [str(_h5ad(d / "counts.h5ad", extra={"drug": drugs})), "--tissue", "heart"]


def _fgsea_nan_nes(d: Path) -> list[str]:
    (d / "HU_IR_fgsea.csv").write_text("pathway,pval,padj,NES,size\nA,0.01,0.02,1.5,20\nB,0.2,0.3,NA,30\n")
    return [str(_deseq2(d / "HU_IR.csv", GOOD_ROWS)), str(d / "HU_IR_fgsea.csv"), "--tissue", "heart"]


def _bad_tissue(d: Path) -> list[str]:
    return [str(_deseq2(d / "HU.csv", GOOD_ROWS)), "--tissue", "Heart muscle!"]


def _bad_design_yaml(d: Path) -> list[str]:
    (d / "design.yaml").write_text("factors:\n  drug: {column: treatment}\nsamples: all\n")
    return [str(_h5ad(d / "counts.h5ad")), "--tissue", "heart", "--design", str(d / "design.yaml")]


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "missing obs factor": (_missing_factor, "obs has no column for IR (irradiated vs sham)"),
    "missing design cell": (_missing_cell, "missing the cell KMP & HU & IR (no samples)"),
    "one replicate": (_one_replicate, "cell KMP & NL & sham has 1 replicate"),
    "float counts": (_float_counts, "counts.h5ad: X holds non-integer counts (sample 's2', gene 'g5': 12.5)"),
    "NaN padj": (_nan_padj, "HU.csv: padj is NaN at row 4 (gene 'g4')"),
    "duplicate genes": (_duplicate_genes, "HU_IR.csv: gene 'g2' appears twice (rows 2 and 4)"),
    "wrong GeneLab header": (_wrong_genelab_header,
                             "column 'Log2FC_(KMP & HU & IR)v(VEH & HU & IR)' is not GeneLab's form"),
    "unknown contrast name": (_unknown_contrast,
                              "KMP_vs_everything.csv: file name 'KMP_vs_everything' names no known contrast"),
    "empty GMT": (_empty_gmt, "empty.gmt: GMT file has no gene sets"),
    "corrupt h5ad": (_corrupt_h5ad, "counts.h5ad: not a readable .h5ad file"),
    "ambiguous mapping": (_ambiguous, "ambiguous design: 'treatment' and 'drug'"),
    "fGSEA NaN NES": (_fgsea_nan_nes, "HU_IR_fgsea.csv: NES is NaN at row 2 (pathway 'B')"),
    "tissue not a slug": (_bad_tissue, "--tissue 'Heart muscle!'"),
    "unknown design.yaml key": (_bad_design_yaml, "design.yaml: unknown key 'samples'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_line_and_exit_2(name: str, tmp_path: Path) -> None:
    build, expected = CASES[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    home = tmp_path / "home"
    run = run_curate("ingest", *build(inputs), home=home, timeout=300)
    lines = run.stderr.strip("\n").split("\n")
    assert run.returncode == 2, run.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert expected in lines[0], lines[0]
    assert not (home / "facts").exists(), "something was registered"
