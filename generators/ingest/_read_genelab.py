"""NASA GeneLab DGE tables (differential_expression_GLbulkRNAseq.csv with its sample and contrast tables)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.generators.ingest._contrasts import CONTRASTS, PAIRWISE_CONTRASTS
from curate.generators.ingest._design import DesignSpec, check_cells, map_groups
from curate.generators.ingest._tables import (
    check_gene_ids,
    check_padj_gaps,
    check_probabilities,
    numeric_column,
    read_strings,
    results_adata,
    source_record,
)
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData



_GENELAB_STAT = re.compile(r"^(Log2fc|Stat|P\.value|Adj\.p\.value)_\((.+)\)v\((.+)\)$")


def read_genelab(
    path: str | os.PathLike[str],
    *,
    sample_table: str | os.PathLike[str] | None = None,
    contrasts_table: str | os.PathLike[str] | None = None,
    design: DesignSpec | None = None,
) -> AnnData:
    """Read a GeneLab ``differential_expression_GLbulkRNAseq.csv`` and pick the design's contrasts.

    Group names join factor levels with `` & `` (``(KMP & HU & IR)v(Vehicle & NL & Sham)``); they
    are mapped to cells of the 2x2x2. The companions ``SampleTable_GLbulkRNAseq.csv`` (samples per
    group: the 2x2x2 must be complete, with 2 or more replicates per cell) and
    ``contrasts_GLbulkRNAseq.csv`` are read when given or found beside the table. Pairwise group
    comparisons give the 7 simple contrasts; interaction terms need counts and are absent.

    Returns
    -------
    AnnData with no samples, laid out as `read_deseq2`'s.
    """
    where = Path(path)
    frame = read_strings(where)
    gene_column = _genelab_gene_column(where, frame)
    comparisons = _genelab_comparisons(where, frame)
    groups = sorted({g for pair in comparisons for g in pair})
    cells = map_groups(groups, design=design, where=f"{where.name} groups")
    sample_path = Path(sample_table) if sample_table else _companion(where, "SampleTable")
    contrasts_path = Path(contrasts_table) if contrasts_table else _companion(where, "contrasts")
    if sample_path is not None:
        _check_sample_table(sample_path, groups, design)
    if contrasts_path is not None:
        _check_contrasts_table(contrasts_path, comparisons)
    genes = frame[gene_column].str.strip()
    check_gene_ids(where, genes, gene_column)
    base_mean = None
    if "All.mean" in frame.columns:
        base_mean = pd.Series(numeric_column(where, frame, "All.mean", "All.mean") - 1.0, index=genes.to_numpy())
    tables: dict[str, pd.DataFrame] = {}
    for contrast in PAIRWISE_CONTRASTS:
        found = _genelab_pair(contrast, comparisons, cells)
        if found is None:
            continue
        (test, ref), sign = found
        tables[contrast] = _genelab_table(where, frame, genes, (test, ref), sign, base_mean)
    if not tables:
        raise BadInputError(
            f"{where}: none of its comparisons is a contrast of the 2x2x2 "
            f"(comparisons: {', '.join(f'({a})v({b})' for a, b in list(comparisons)[:4])})"
        )
    if "SYMBOL" in frame.columns:
        for table in tables.values():
            table["symbol"] = frame["SYMBOL"].to_numpy()
    record = source_record(where)
    return results_adata(tables, files={name: record for name in tables}, fmt="genelab",
                         params={"method": "GeneLab DGE table (DESeq2 Wald, pairwise groups; read)"})


def _genelab_gene_column(where: Path, frame: pd.DataFrame) -> str:
    for column in ("ENSEMBL", "TAIR", "GENEID"):
        if column in frame.columns:
            return column
    raise BadInputError(
        f"{where}: no ENSEMBL column; a GeneLab DGE table starts with ENSEMBL, SYMBOL, ... "
        f"(found {', '.join(frame.columns[:6])})"
    )


def _genelab_comparisons(where: Path, frame: pd.DataFrame) -> dict[tuple[str, str], dict[str, str]]:
    comparisons: dict[tuple[str, str], dict[str, str]] = {}
    for column in frame.columns:
        match = _GENELAB_STAT.match(column)
        if match:
            comparisons.setdefault((match.group(2), match.group(3)), {})[match.group(1)] = column
        elif re.match(r"^(log2fc|stat|p\.?value|adj\.?p\.?value)[_.]", column, re.IGNORECASE):
            raise BadInputError(
                f"{where}: column {column!r} is not GeneLab's form; expected e.g. "
                "'Log2fc_(A)v(B)', 'Stat_(A)v(B)', 'P.value_(A)v(B)', 'Adj.p.value_(A)v(B)'"
            )
    if not comparisons:
        raise BadInputError(
            f"{where}: no 'Log2fc_(A)v(B)' columns; not a GeneLab DGE table "
            f"(found {', '.join(frame.columns[:8])})"
        )
    for (a, b), columns in comparisons.items():
        for needed in ("Log2fc", "P.value", "Adj.p.value"):
            if needed not in columns:
                raise BadInputError(f"{where}: comparison ({a})v({b}) has no column '{needed}_({a})v({b})'")
    return comparisons


def _genelab_pair(
    contrast: str, comparisons: Mapping[tuple[str, str], Any], cells: Mapping[str, tuple[int, int, int]]
) -> tuple[tuple[str, str], float] | None:
    weights = CONTRASTS[contrast]
    test = next(cell for cell, w in weights.items() if w > 0)
    ref = next(cell for cell, w in weights.items() if w < 0)
    for (a, b) in comparisons:
        if cells.get(a) == test and cells.get(b) == ref:
            return (a, b), 1.0
    for (a, b) in comparisons:
        if cells.get(a) == ref and cells.get(b) == test:
            return (a, b), -1.0
    return None


def _genelab_table(
    where: Path, frame: pd.DataFrame, genes: pd.Series, pair: tuple[str, str], sign: float,
    base_mean: pd.Series | None,
) -> pd.DataFrame:
    a, b = pair
    label = f"({a})v({b})"
    out = pd.DataFrame(index=pd.Index(genes.to_numpy(), name="gene"))
    out["baseMean"] = base_mean.to_numpy() if base_mean is not None else np.nan
    out["log2FoldChange"] = sign * numeric_column(where, frame, f"Log2fc_{label}", f"Log2fc_{label}")
    stat_column = f"Stat_{label}"
    has_stat = stat_column in frame.columns
    out["stat"] = sign * numeric_column(where, frame, stat_column, stat_column) if has_stat else np.nan
    out["lfcSE"] = np.abs(out["log2FoldChange"] / out["stat"])
    out["pvalue"] = numeric_column(where, frame, f"P.value_{label}", f"P.value_{label}")
    out["padj"] = numeric_column(where, frame, f"Adj.p.value_{label}", f"Adj.p.value_{label}")
    check_probabilities(where, out, "pvalue")
    check_probabilities(where, out, "padj")
    check_padj_gaps(where, out["padj"], out["pvalue"], base_mean)
    return out


def _companion(table: Path, kind: str) -> Path | None:
    matches = sorted(p for p in table.parent.glob(f"*{kind}*GLbulkRNAseq*.csv") if p != table)
    return matches[0] if matches else None


def _check_sample_table(path: Path, groups: Sequence[str], design: DesignSpec | None) -> None:
    """Every cell of the 2x2x2 has 2 or more samples. Conditions are mapped with the table's group
    names, so a SampleTable that lacks whole groups still maps (and is refused for the missing cell)."""
    frame = read_strings(path)
    if "condition" not in frame.columns:
        raise BadInputError(f"{path}: no 'condition' column; GeneLab's SampleTable lists each sample's group")
    conditions = frame["condition"].str.strip().tolist()
    cells = map_groups(sorted(set(conditions) | set(groups)), design=design, where=f"{path.name} conditions")
    check_cells([cells[c] for c in conditions], what=f"samples in {path.name}")


def _check_contrasts_table(path: Path, comparisons: Mapping[tuple[str, str], Any]) -> None:
    frame = read_strings(path)
    listed = {column for column in frame.columns[1:]}
    names = {f"({a})v({b})" for a, b in comparisons}
    unknown = sorted(names - listed)
    if listed and unknown:
        raise BadInputError(f"{path}: the DGE table's comparison {unknown[0]} is not listed here")
