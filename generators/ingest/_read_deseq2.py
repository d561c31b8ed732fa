"""DESeq2 results tables (one CSV per contrast) as one AnnData of results."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from curate.generators.ingest._design import DesignSpec
from curate.generators.ingest._tables import (
    SYMBOL_COLUMNS,
    check_gene_ids,
    check_padj_gaps,
    check_probabilities,
    contrast_for_file,
    numeric_column,
    read_required,
    results_adata,
    source_record,
)
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

DESEQ2_COLUMNS = ("baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj")


def read_deseq2(paths: Sequence[str | os.PathLike[str]], *, design: DesignSpec | None = None) -> AnnData:
    """Read DESeq2 results, one CSV per contrast (columns baseMean, log2FoldChange, lfcSE, stat,
    pvalue, padj). The contrast comes from the file name (``HU_IR.csv``) or from design.yaml ``files``.

    Returns
    -------
    AnnData with no samples: ``var["de_baseMean"]``, ``varm["de_<field>"]`` (genes x contrasts) and
    ``uns["de"]`` (``contrasts``, ``params``), ``uns["source"]`` naming each contrast's file.
    """
    spec = design or DesignSpec()
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, dict[str, str]] = {}
    for raw in paths:
        where = Path(raw)
        contrast = contrast_for_file(where, spec)
        if contrast in tables:
            raise BadInputError(
                f"{where}: contrast {contrast} already comes from {files[contrast]['name']}; give one file per contrast"
            )
        tables[contrast] = _deseq2_table(where)
        files[contrast] = source_record(where)
    return results_adata(tables, files=files, fmt="deseq2", params={"method": "DESeq2 results tables (read)"})




def _deseq2_table(where: Path) -> pd.DataFrame:
    frame, present = read_required(where, DESEQ2_COLUMNS, "DESeq2",
                                   f"a results table needs {', '.join(DESEQ2_COLUMNS)}")
    gene_column = frame.columns[0]
    genes = frame[gene_column].str.strip()
    check_gene_ids(where, genes, gene_column)
    out = pd.DataFrame(index=pd.Index(genes.to_numpy(), name="gene"))
    for column in DESEQ2_COLUMNS:
        out[column] = numeric_column(where, frame, present[column.lower()], column)
    symbol = next((c for c in SYMBOL_COLUMNS if c in frame.columns), None)
    if symbol:
        out["symbol"] = frame[symbol].to_numpy()
    check_probabilities(where, out, "pvalue")
    check_probabilities(where, out, "padj")
    check_padj_gaps(where, out["padj"], out["pvalue"], out["baseMean"])
    return out

