"""Readers: raw counts (.h5ad), DESeq2 results, NASA GeneLab DGE tables, fGSEA tables and GMT files.

Each reader checks its input and names the file, column, row or value at fault. Tables of results
become an AnnData with no samples (genes as ``var``) holding the same slots that
`differential_expression` writes, so everything after it reads one layout.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.generators.ingest._contrasts import CONTRAST_NAMES, CONTRASTS, PAIRWISE_CONTRASTS, contrast_from_name
from curate.generators.ingest._design import DesignSpec, check_cells, map_groups
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

FORMATS = ("h5ad", "deseq2", "genelab", "fgsea", "gmt")
DESEQ2_COLUMNS = ("baseMean", "log2FoldChange", "lfcSE", "stat", "pvalue", "padj")
RESULT_FIELDS = ("log2FoldChange", "lfcSE", "stat", "pvalue", "padj")  # varm[f"{key}_{field}"]
FGSEA_COLUMNS = ("pathway", "NES", "padj")
_NA = {"", "na", "nan", "n/a", "null", "none", "-nan"}
_SYMBOL_COLUMNS = ("symbol", "SYMBOL", "gene_symbol", "gene_name", "Symbol")
_GENELAB_STAT = re.compile(r"^(Log2fc|Stat|P\.value|Adj\.p\.value)_\((.+)\)v\((.+)\)$")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_record(path: Path) -> dict[str, str]:
    return {"name": path.name, "sha256": sha256_of(path)}


# -- format detection -------------------------------------------------------------------------
def detect_format(path: Path) -> str:
    """Which reader a file needs, from its name and header."""
    suffix = path.suffix.lower()
    if suffix == ".h5ad":
        return "h5ad"
    if suffix == ".gmt":
        return "gmt"
    header = _header(path)
    lowered = {column.lower() for column in header}
    if "basemean" in lowered and "log2foldchange" in lowered:
        return "deseq2"
    if "nes" in lowered and "pathway" in lowered:
        return "fgsea"
    if "ENSEMBL" in header or any(column.startswith("Log2fc_") for column in header) or _is_genelab_companion(path):
        return "genelab"
    shown = ", ".join(header[:8]) or "empty"
    raise BadInputError(
        f"{path}: cannot tell its format (header: {shown}); pass --format h5ad|deseq2|genelab|fgsea"
    )


def _is_genelab_companion(path: Path) -> bool:
    name = path.name.lower()
    return "sampletable" in name or ("contrasts" in name and "glbulkrnaseq" in name)


def _first_line(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            return handle.readline().rstrip("\r\n")
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _delimiter(path: Path) -> str:
    first = _first_line(path)
    return "\t" if first.count("\t") > first.count(",") else ","


def _header(path: Path) -> list[str]:
    return [cell.strip().strip('"') for cell in _first_line(path).split(_delimiter(path))]


# -- .h5ad counts -----------------------------------------------------------------------------
def read_counts(path: str | os.PathLike[str]) -> AnnData:
    """Read raw counts (samples x genes) from .h5ad and check them.

    Counts come from ``layers["counts"]`` when present, else from ``X``. They must be finite,
    non-negative integers; sample and gene names must be unique.

    Returns
    -------
    AnnData with integer ``X`` and ``uns["source"] = {"format": "h5ad", "files": {"*": {name, sha256}}}``.
    """
    import anndata as ad

    where = Path(path)
    if not where.is_file():
        raise BadInputError(f"{where}: no such file")
    try:
        adata = ad.read_h5ad(where)
    except Exception as exc:  # h5py and anndata raise many types for a damaged file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise BadInputError(f"{where}: not a readable .h5ad file ({reason})") from None
    if adata.n_obs == 0 or adata.n_vars == 0:
        raise BadInputError(f"{where}: holds {adata.n_obs} samples x {adata.n_vars} genes; nothing to analyse")
    _check_unique(where, "gene", adata.var_names)
    _check_unique(where, "sample", adata.obs_names)
    layer = "counts" if "counts" in adata.layers else None
    matrix = adata.layers[layer] if layer else adata.X
    counts = _dense(matrix)
    _check_counts(where, counts, adata, "layers['counts']" if layer else "X")
    out = ad.AnnData(X=counts.astype(np.int64), obs=adata.obs.copy(), var=adata.var.copy())
    out.uns["source"] = {"format": "h5ad", "files": {"*": source_record(where)}}
    return out


def _dense(matrix: Any) -> np.ndarray:
    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    return np.asarray(matrix)


def _check_unique(where: Path, what: str, names: pd.Index) -> None:
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


def _check_counts(where: Path, counts: np.ndarray, adata: AnnData, slot: str) -> None:
    if not np.issubdtype(counts.dtype, np.number):
        raise BadInputError(f"{where}: {slot} holds {counts.dtype} values; counts must be integers")
    if np.issubdtype(counts.dtype, np.integer):
        bad = counts < 0
    else:
        bad = ~np.isfinite(counts) | (counts < 0) | (counts != np.round(counts))
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        value = counts[i, j].item()
        problem = "missing" if not np.isfinite(value) else "negative" if value < 0 else "non-integer"
        raise BadInputError(
            f"{where}: {slot} holds {problem} counts (sample {adata.obs_names[i]!r}, gene {adata.var_names[j]!r}: "
            f"{value!r}); give raw integer counts, not normalised values"
        )


# -- DESeq2 results ---------------------------------------------------------------------------
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


def _deseq2_table(where: Path) -> pd.DataFrame:
    frame = _read_strings(where)
    present = {column.lower(): column for column in frame.columns}
    missing = [column for column in DESEQ2_COLUMNS if column.lower() not in present]
    if missing:
        raise BadInputError(
            f"{where}: missing DESeq2 column {missing[0]!r}; a results table needs {', '.join(DESEQ2_COLUMNS)} "
            f"(found {', '.join(frame.columns[:10])})"
        )
    gene_column = frame.columns[0]
    genes = frame[gene_column].str.strip()
    _check_gene_ids(where, genes, gene_column)
    out = pd.DataFrame(index=pd.Index(genes.to_numpy(), name="gene"))
    for column in DESEQ2_COLUMNS:
        out[column] = _numbers(where, frame, present[column.lower()], column)
    symbol = next((c for c in _SYMBOL_COLUMNS if c in frame.columns), None)
    if symbol:
        out["symbol"] = frame[symbol].to_numpy()
    _check_probabilities(where, out, "pvalue")
    _check_probabilities(where, out, "padj")
    _check_padj_gaps(where, out["padj"], out["pvalue"], out["baseMean"])
    return out


def _read_strings(where: Path) -> pd.DataFrame:
    if not where.is_file():
        raise BadInputError(f"{where}: no such file")
    try:
        frame = pd.read_csv(where, sep=_delimiter(where), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise BadInputError(f"{where}: not a readable CSV table ({str(exc).splitlines()[0][:100]})") from None
    if frame.empty:
        raise BadInputError(f"{where}: has a header but no rows")
    return frame


def _check_gene_ids(where: Path, genes: pd.Series, column: str) -> None:
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


def _numbers(where: Path, frame: pd.DataFrame, column: str, label: str) -> np.ndarray:
    text = frame[column].str.strip()
    missing = text.str.lower().isin(_NA).to_numpy()
    values = pd.to_numeric(text.where(~missing, None), errors="coerce").to_numpy(dtype=float)
    broken = np.flatnonzero(np.isnan(values) & ~missing)
    if broken.size:
        row = broken[0]
        raise BadInputError(f"{where}: column {label!r} row {row + 1}: {text.iloc[row]!r} is not a number")
    return values


def _check_probabilities(where: Path, table: pd.DataFrame, column: str) -> None:
    values = table[column].to_numpy()
    bad = np.flatnonzero((values < 0) | (values > 1))
    if bad.size:
        row = bad[0]
        raise BadInputError(
            f"{where}: column {column!r} row {row + 1} (gene {table.index[row]!r}): {values[row]!r} is outside [0, 1]"
        )


def _check_padj_gaps(where: Path, padj: pd.Series, pvalue: pd.Series, base_mean: pd.Series | None) -> None:
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


# -- NASA GeneLab -----------------------------------------------------------------------------
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
    frame = _read_strings(where)
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
    _check_gene_ids(where, genes, gene_column)
    base_mean = None
    if "All.mean" in frame.columns:
        base_mean = pd.Series(_numbers(where, frame, "All.mean", "All.mean") - 1.0, index=genes.to_numpy())
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
    out["log2FoldChange"] = sign * _numbers(where, frame, f"Log2fc_{label}", f"Log2fc_{label}")
    stat_column = f"Stat_{label}"
    out["stat"] = sign * _numbers(where, frame, stat_column, stat_column) if stat_column in frame.columns else np.nan
    out["lfcSE"] = np.abs(out["log2FoldChange"] / out["stat"])
    out["pvalue"] = _numbers(where, frame, f"P.value_{label}", f"P.value_{label}")
    out["padj"] = _numbers(where, frame, f"Adj.p.value_{label}", f"Adj.p.value_{label}")
    _check_probabilities(where, out, "pvalue")
    _check_probabilities(where, out, "padj")
    _check_padj_gaps(where, out["padj"], out["pvalue"], base_mean)
    return out


def _companion(table: Path, kind: str) -> Path | None:
    matches = sorted(p for p in table.parent.glob(f"*{kind}*GLbulkRNAseq*.csv") if p != table)
    return matches[0] if matches else None


def _check_sample_table(path: Path, groups: Sequence[str], design: DesignSpec | None) -> None:
    """Every cell of the 2x2x2 has 2 or more samples. Conditions are mapped with the table's group
    names, so a SampleTable that lacks whole groups still maps (and is refused for the missing cell)."""
    frame = _read_strings(path)
    if "condition" not in frame.columns:
        raise BadInputError(f"{path}: no 'condition' column; GeneLab's SampleTable lists each sample's group")
    conditions = frame["condition"].str.strip().tolist()
    cells = map_groups(sorted(set(conditions) | set(groups)), design=design, where=f"{path.name} conditions")
    check_cells([cells[c] for c in conditions], what=f"samples in {path.name}")


def _check_contrasts_table(path: Path, comparisons: Mapping[tuple[str, str], Any]) -> None:
    frame = _read_strings(path)
    listed = {column for column in frame.columns[1:]}
    names = {f"({a})v({b})" for a, b in comparisons}
    unknown = sorted(names - listed)
    if listed and unknown:
        raise BadInputError(f"{path}: the DGE table's comparison {unknown[0]} is not listed here")


# -- fGSEA tables and GMT files ---------------------------------------------------------------
def read_fgsea(path: str | os.PathLike[str], *, design: DesignSpec | None = None) -> tuple[str, pd.DataFrame]:
    """Read one fGSEA/GSEA table (pathway, NES, padj; size and leadingEdge optional).

    Returns
    -------
    (contrast, table indexed by pathway with columns NES, padj, size).
    """
    where = Path(path)
    contrast = contrast_for_file(where, design or DesignSpec())
    frame = _read_strings(where)
    present = {column.lower(): column for column in frame.columns}
    missing = [column for column in FGSEA_COLUMNS if column.lower() not in present]
    if missing:
        raise BadInputError(
            f"{where}: missing fGSEA column {missing[0]!r}; a GSEA table needs pathway, NES, padj "
            f"(size, leadingEdge optional; found {', '.join(frame.columns[:8])})"
        )
    names = frame[present["pathway"]].str.strip()
    _check_gene_ids(where, names, present["pathway"])
    out = pd.DataFrame(index=pd.Index(names.to_numpy(), name="pathway"))
    out["NES"] = _numbers(where, frame, present["nes"], "NES")
    out["padj"] = _numbers(where, frame, present["padj"], "padj")
    out["size"] = _numbers(where, frame, present["size"], "size") if "size" in present else np.nan
    for column in ("NES", "padj"):
        gaps = np.flatnonzero(np.isnan(out[column].to_numpy()))
        if gaps.size:
            raise BadInputError(
                f"{where}: {column} is NaN at row {gaps[0] + 1} (pathway {out.index[gaps[0]]!r}); "
                "every pathway needs one"
            )
    _check_probabilities(where, out, "padj")
    return contrast, out


def read_gmt(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Read a GMT file: one gene set per line, name, description, then genes, tab-separated."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{where}: cannot read GMT file ({getattr(exc, 'strerror', None) or exc})") from None
    sets: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        genes = [gene for gene in fields[2:] if gene]
        if len(fields) < 3 or not fields[0] or not genes:
            raise BadInputError(
                f"{where}: line {number} is not 'name<TAB>description<TAB>gene...' with at least one gene"
            )
        if fields[0] in sets:
            raise BadInputError(f"{where}: gene set {fields[0]!r} appears twice (line {number})")
        sets[fields[0]] = list(dict.fromkeys(genes))
    if not sets:
        raise BadInputError(f"{where}: GMT file has no gene sets")
    return sets
