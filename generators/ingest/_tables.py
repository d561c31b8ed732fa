"""What the readers share: format detection, source records, and the checks every table of results gets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.files import sha256_file
from curate.generators.ingest._contrasts import CONTRAST_NAMES, contrast_from_name
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

    from curate.generators.ingest._design import DesignSpec

SYMBOL_COLUMNS = ("symbol", "SYMBOL", "gene_symbol", "gene_name", "Symbol")
FORMATS = ("h5ad", "deseq2", "genelab", "fgsea", "gmt")
RESULT_FIELDS = ("log2FoldChange", "lfcSE", "stat", "pvalue", "padj")  # varm[f"{key}_{field}"]


NA_STRINGS = {"", "na", "nan", "n/a", "null", "none", "-nan"}


def source_record(path: Path) -> dict[str, str]:
    return {"name": path.name, "sha256": sha256_file(path)}


def detect_format(path: Path) -> str:
    """Which reader a file needs, from its name and header."""
    suffix = path.suffix.lower()
    if suffix == ".h5ad":
        return "h5ad"
    if suffix == ".gmt":
        return "gmt"
    header = header_of(path)
    lowered = {column.lower() for column in header}
    if "basemean" in lowered and "log2foldchange" in lowered:
        return "deseq2"
    if "nes" in lowered and "pathway" in lowered:
        return "fgsea"
    if "ENSEMBL" in header or any(column.startswith("Log2fc_") for column in header) or is_genelab_companion(path):
        return "genelab"
    shown = ", ".join(header[:8]) or "empty"
    raise BadInputError(
        f"{path}: cannot tell its format (header: {shown}); pass --format h5ad|deseq2|genelab|fgsea"
    )


def is_genelab_companion(path: Path) -> bool:
    name = path.name.lower()
    return "sampletable" in name or ("contrasts" in name and "glbulkrnaseq" in name)


def first_line(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            return handle.readline().rstrip("\r\n")
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def delimiter(path: Path) -> str:
    first = first_line(path)
    return "\t" if first.count("\t") > first.count(",") else ","


def header_of(path: Path) -> list[str]:
    return [cell.strip().strip('"') for cell in first_line(path).split(delimiter(path))]


def check_unique(where: Path, what: str, names: pd.Index) -> None:
    duplicated = names[names.duplicated()]
    if len(duplicated):
        first = duplicated[0]
        rows = [i + 1 for i, name in enumerate(names) if name == first][:2]
        raise BadInputError(
            f"{where}: {what} {first!r} appears more than once (positions {rows[0]} and {rows[1]}); "
            f"each {what} must appear once"
        )
    blank = [i + 1 for i, name in enumerate(names) if not str(name).strip()]
    if blank:
        raise BadInputError(f"{where}: {what} name at position {blank[0]} is empty")


def read_strings(where: Path) -> pd.DataFrame:
    if not where.is_file():
        raise BadInputError(f"{where}: no such file")
    try:
        frame = pd.read_csv(where, sep=delimiter(where), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise BadInputError(f"{where}: not a readable CSV table ({str(exc).splitlines()[0][:100]})") from None
    if frame.empty:
        raise BadInputError(f"{where}: has a header but no rows")
    return frame


def check_gene_ids(where: Path, genes: pd.Series, column: str) -> None:
    blank = np.flatnonzero(genes.eq("").to_numpy())
    if blank.size:
        raise BadInputError(f"{where}: row {blank[0] + 1} has an empty gene id in column {column!r}")
    duplicated = genes[genes.duplicated()]
    if len(duplicated):
        first = duplicated.iloc[0]
        rows = np.flatnonzero(genes.eq(first).to_numpy())[:2] + 1
        raise BadInputError(
            f"{where}: gene {first!r} appears twice (rows {rows[0]} and {rows[1]}); each gene must appear once"
        )


def numeric_column(where: Path, frame: pd.DataFrame, column: str, label: str) -> np.ndarray:
    text = frame[column].str.strip()
    missing = text.str.lower().isin(NA_STRINGS).to_numpy()
    values = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=float)
    broken = np.flatnonzero(np.isnan(values) & ~missing)
    if broken.size:
        row = broken[0]
        raise BadInputError(f"{where}: column {label!r} row {row + 1}: {text.iloc[row]!r} is not a number")
    return values


def check_probabilities(where: Path, table: pd.DataFrame, column: str) -> None:
    values = table[column].to_numpy()
    bad = np.flatnonzero((values < 0) | (values > 1))
    if bad.size:
        row = bad[0]
        raise BadInputError(
            f"{where}: column {column!r} row {row + 1} (gene {table.index[row]!r}): {values[row]!r} is outside [0, 1]"
        )


def results_adata(
    tables: Mapping[str, pd.DataFrame], *, files: Mapping[str, Mapping[str, str]], fmt: str, key: str = "de",
    params: Mapping[str, Any] | None = None,
) -> AnnData:
    """Results tables (one per contrast, DESeq2 columns) as an AnnData with no samples."""
    import anndata as ad

    order = [name for name in CONTRAST_NAMES if name in tables]
    genes = pd.Index([])
    for name in order:
        genes = genes.union(tables[name].index, sort=False)
    var = pd.DataFrame(index=pd.Index(genes.astype(str), name="gene"))
    base = pd.concat([tables[name]["baseMean"].reindex(genes) for name in order], axis=1)
    var[f"{key}_baseMean"] = base.mean(axis=1).to_numpy()
    symbols = [tables[name]["symbol"].reindex(genes) for name in order if "symbol" in tables[name]]
    if symbols:
        var["symbol"] = pd.concat(symbols, axis=1).bfill(axis=1).iloc[:, 0].fillna("").astype(str).to_numpy()
    adata = ad.AnnData(obs=pd.DataFrame(index=pd.Index([], dtype=str)), var=var)
    for field in RESULT_FIELDS:
        adata.varm[f"{key}_{field}"] = np.column_stack(
            [tables[name][field].reindex(genes).to_numpy(dtype=float) for name in order]
        ) if order else np.zeros((len(genes), 0))
    adata.uns[key] = {"contrasts": list(order), "params": dict(params or {"method": f"read from {fmt} tables"})}
    adata.uns["source"] = {"format": fmt, "files": {name: dict(files[name]) for name in order}}
    return adata


def check_padj_gaps(where: Path, padj: pd.Series, pvalue: pd.Series, base_mean: pd.Series | None) -> None:
    """DESeq2 leaves padj empty only for genes without a p-value (outliers, all-zero counts) or
    below the independent-filtering cutoff. Any other gap means the table was damaged."""
    gap = padj.isna() & pvalue.notna()
    if not gap.any():
        return
    tested = padj.notna()
    if base_mean is not None and tested.any():
        cutoff = float(base_mean[tested].min())
        gap &= base_mean.fillna(np.inf) >= cutoff
        reason = f"its baseMean {{bm:.4g}} is above the independent-filtering cutoff {cutoff:.4g}"
    else:
        reason = "no independent filtering explains it"
    if gap.any():
        position = int(np.flatnonzero(gap.to_numpy())[0])
        gene = padj.index[position]
        bm = float(base_mean.iloc[position]) if base_mean is not None else float("nan")
        raise BadInputError(
            f"{where}: padj is NaN at row {position + 1} (gene {gene!r}) although its pvalue is "
            f"{pvalue.iloc[position]:.3g} and {reason.format(bm=bm)}; DESeq2 leaves padj empty only for "
            "filtered or outlier genes"
        )


def contrast_for_file(where: Path, spec: DesignSpec) -> str:
    if where.name in spec.files:
        return spec.files[where.name]
    contrast = contrast_from_name(where.stem)
    if contrast is None:
        raise BadInputError(
            f"{where}: file name {where.stem!r} names no known contrast; allowed: {', '.join(CONTRAST_NAMES)} "
            f"(name the file after its contrast, or map it in design.yaml under files)"
        )
    return contrast


def read_required(where: Path, required: Sequence[str], what: str, hint: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as strings, and its columns by lower-case name; one line naming the first missing one."""
    frame = read_strings(where)
    present = {column.lower(): column for column in frame.columns}
    missing = [column for column in required if column.lower() not in present]
    if missing:
        raise BadInputError(f"{where}: missing {what} column {missing[0]!r}; {hint} "
                            f"(found {', '.join(frame.columns[:10])})")
    return frame, present
