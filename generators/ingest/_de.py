"""`differential_expression`: one factorial fit, then all 10 contrasts in one vectorised Wald test."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.generators.ingest._contrasts import CELLS, CONTRAST_NAMES, CONTRASTS, FACTORS, LEVELS, Cell
from curate.generators.ingest._fast import Fit, fit_saturated
from curate.generators.ingest._tables import RESULT_FIELDS
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

DESIGN_FORMULA = "~drug*hu*ir"
METHODS = ("pydeseq2", "fast")
_RIDGE = 1e-6


def differential_expression(
    adata: AnnData,
    *,
    method: str = "pydeseq2",
    padj: float = 0.05,
    design_key: str = "design",
    key_added: str = "de",
    n_cpus: int | None = None,
) -> None:
    """Fit ``~drug*hu*ir`` (reference levels first) once and test all 10 contrasts at once.

    ``method="pydeseq2"`` fits with pydeseq2's `DeseqDataSet`; ``"fast"`` with the vectorised
    fit of the same model (see `generators.ingest._fast`). Either way the Wald tests, Cook's
    filtering and independent filtering reproduce `DeseqStats` for every contrast, with
    ``alpha = padj``. BLAS runs single-threaded during the fit (faster here).

    Returns
    -------
    None. Adds ``var[f"{key_added}_baseMean"]``, ``varm[f"{key_added}_{field}"]`` for field in
    log2FoldChange, lfcSE, stat, pvalue, padj (genes x contrasts), and ``uns[key_added]`` with
    ``contrasts`` (column order), ``contrast_matrix`` (coefficients x contrasts), ``design_columns``
    and ``params``.
    """
    if method not in METHODS:
        raise BadInputError(f"DE method {method!r} is unknown; choose {' or '.join(METHODS)}")
    if not 0 < padj < 1:
        raise BadInputError(f"--padj {padj}: the threshold must lie strictly between 0 and 1")
    counts, metadata = _inputs(adata, design_key)
    cells = cells_of(metadata)
    with single_threaded_blas():
        if method == "pydeseq2":
            fit, version = fit_pydeseq2(counts, metadata, n_cpus=n_cpus)[1], _pydeseq2_version()
        else:
            fit, version = _fit_fast(counts, metadata, cells), "vectorised saturated fit"
    contrasts = contrast_matrix(fit.design, cells)
    results = wald_tests(fit, contrasts, alpha=padj)
    adata.var[f"{key_added}_baseMean"] = fit.base_mean
    for field in RESULT_FIELDS:
        adata.varm[f"{key_added}_{field}"] = results[field]
    adata.uns[key_added] = {
        "contrasts": list(CONTRAST_NAMES),
        "contrast_matrix": contrasts,
        "design_columns": list(fit.columns),
        "params": {
            "method": method, "estimator": version, "design": DESIGN_FORMULA, "padj": padj, "alpha": padj,
            "cooks_filter": True, "independent_filter": True, "test": "Wald, all contrasts vectorised",
            "blas_threads": 1,
        },
    }


def de_table(adata: AnnData, contrast: str, *, key: str = "de") -> pd.DataFrame:
    """One contrast's results with DESeq2's column names (baseMean, log2FoldChange, ... padj)."""
    names = list(adata.uns[key]["contrasts"])
    if contrast not in names:
        raise BadInputError(f"contrast {contrast!r} is not in these results; available: {', '.join(names)}")
    column = names.index(contrast)
    table = pd.DataFrame({f: adata.varm[f"{key}_{f}"][:, column] for f in RESULT_FIELDS}, index=adata.var_names)
    table.insert(0, "baseMean", np.asarray(adata.var[f"{key}_baseMean"], dtype=float))
    return table


def contrast_matrix(design: np.ndarray, cells: Sequence[Cell]) -> np.ndarray:
    """Coefficients x contrasts: each contrast's signed sum of its cells' design rows."""
    rows: dict[Cell, np.ndarray] = {}
    for row, cell in zip(np.asarray(design, dtype=float), cells, strict=False):
        rows.setdefault(cell, row)
    return np.column_stack(
        [sum(weight * rows[cell] for cell, weight in CONTRASTS[name].items()) for name in CONTRAST_NAMES]
    )


def wald_tests(fit: Fit, contrasts: np.ndarray, *, alpha: float) -> dict[str, np.ndarray]:
    """`DeseqStats.summary()` for every column of `contrasts` at once (genes x contrasts arrays)."""
    from scipy.stats import norm

    n_genes, n_contrasts = fit.lfc.shape[0], contrasts.shape[1]
    lfc_c = np.full((n_genes, n_contrasts), np.nan)
    se = np.full((n_genes, n_contrasts), np.nan)
    fitted = np.isfinite(fit.lfc).all(axis=1) & np.isfinite(fit.dispersions)
    beta = fit.lfc[fitted]
    mu = np.exp(fit.design @ beta.T) * fit.size_factors[:, None]
    weight = mu / (1.0 + mu * fit.dispersions[fitted][None, :])
    information = np.einsum("ig,ij,ik->gjk", weight, fit.design, fit.design)
    inverse = np.linalg.inv(information + _RIDGE * np.eye(fit.design.shape[1]))
    projected = inverse @ contrasts  # genes x coefficients x contrasts
    se[fitted] = np.sqrt(np.einsum("gjk,gjl,glk->gk", projected, information, projected))
    lfc_c[fitted] = beta @ contrasts
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = lfc_c / se
    pvalue = 2 * norm.sf(np.abs(stat))
    zero = fit.zero_after_refit
    se[zero], stat[zero], pvalue[zero] = 0.0, 0.0, 1.0
    pvalue[fit.cooks_outlier] = np.nan
    padj = np.column_stack([independent_filtering(pvalue[:, k], fit.base_mean, alpha) for k in range(n_contrasts)])
    return {
        "log2FoldChange": lfc_c / np.log(2), "lfcSE": se / np.log(2), "stat": stat, "pvalue": pvalue, "padj": padj,
    }


def independent_filtering(pvalues: np.ndarray, base_mean: np.ndarray, alpha: float) -> np.ndarray:
    """pydeseq2's independent filtering: BH above the baseMean quantile that maximises rejections.

    The 50 nested BH adjustments share one sort of the p-values.
    """
    from pydeseq2.utils import lowess

    lower = float(np.mean(base_mean == 0))
    theta = np.linspace(lower, 0.95 if lower < 0.95 else 1.0, 50)
    cutoffs = np.quantile(base_mean, theta)
    tested = np.flatnonzero(~np.isnan(pvalues))
    order = tested[np.argsort(pvalues[tested])]
    ordered_p = pvalues[order]
    use = base_mean[order][None, :] >= cutoffs[:, None]  # thresholds x tested genes, in p order
    rank = np.cumsum(use, axis=1).astype(float)
    size = use.sum(axis=1, keepdims=True).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = np.where(use, ordered_p[None, :] * (size / rank), np.inf)
    adjusted = np.minimum.accumulate(adjusted[:, ::-1], axis=1)[:, ::-1]
    adjusted = np.where(use, np.clip(adjusted, 0.0, 1.0), np.nan)
    rejections = (adjusted < alpha).sum(axis=1)
    smooth = lowess(theta, rejections, frac=1 / 5)
    chosen = 0
    if rejections.max() > 10:
        residual = rejections[rejections > 0] - smooth[rejections > 0]
        threshold = smooth.max() - np.sqrt(np.mean(residual**2))
        above = np.flatnonzero(rejections > threshold)
        chosen = int(above[0]) if above.size else 0
    padj = np.full(pvalues.size, np.nan)
    padj[order] = adjusted[chosen]
    return padj


def fit_pydeseq2(counts: np.ndarray, metadata: pd.DataFrame, *, n_cpus: int | None = None) -> tuple[Any, Fit]:
    """pydeseq2's default pipeline (`DeseqDataSet.deseq2()`) on the factorial design.

    Returns the `DeseqDataSet` (for `DeseqStats`) and the `Fit` the vectorised Wald tests read.
    """
    from pydeseq2.dds import DeseqDataSet

    frame = pd.DataFrame(counts, index=metadata.index, columns=[f"g{i}" for i in range(counts.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dds = DeseqDataSet(counts=frame, metadata=metadata, design=DESIGN_FORMULA, quiet=True, n_cpus=n_cpus)
        dds.deseq2()
    design = dds.obsm["design_matrix"]
    zero = np.zeros(counts.shape[1], dtype=bool)
    if dds.refit_cooks and dds.var["replaced"].sum() > 0 and hasattr(dds, "new_all_zeroes_genes"):
        zero = dds.var_names.isin(dds.new_all_zeroes_genes)
    fit = Fit(
        design=design.to_numpy(dtype=float),
        columns=list(design.columns),
        lfc=dds.varm["LFC"].to_numpy(dtype=float),
        dispersions=dds.var["dispersions"].to_numpy(dtype=float),
        size_factors=dds.obs["size_factors"].to_numpy(dtype=float),
        base_mean=dds.var["_normed_means"].to_numpy(dtype=float),
        cooks_outlier=np.asarray(dds.cooks_outlier(), dtype=bool),
        zero_after_refit=np.asarray(zero, dtype=bool),
    )
    return dds, fit


def design_metadata(adata: AnnData, design_key: str = "design") -> pd.DataFrame:
    """The factors as pydeseq2 metadata: drug, hu, ir, categorical with the reference level first."""
    columns = {factor: f"{design_key}_{factor}" for factor in FACTORS}
    missing = [column for column in columns.values() if column not in adata.obs]
    if missing:
        raise BadInputError(f"obs has no {missing[0]!r}; run map_design first")
    return pd.DataFrame(
        {f: pd.Categorical(adata.obs[c].astype(str), categories=list(LEVELS[f])) for f, c in columns.items()},
        index=adata.obs_names.astype(str),
    )


def cells_of(metadata: pd.DataFrame) -> list[Cell]:
    """Each sample's cell (drug, hu, ir) as 0/1 codes, from `design_metadata`'s categoricals."""
    codes = np.column_stack([metadata[factor].cat.codes.to_numpy() for factor in FACTORS])
    return [(int(d), int(h), int(i)) for d, h, i in codes]


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """OPENBLAS_NUM_THREADS=1 for this process (threadpoolctl) and for the worker processes it starts."""
    from threadpoolctl import threadpool_limits

    saved = {name: os.environ.get(name) for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    os.environ.update({name: "1" for name in saved})
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _inputs(adata: AnnData, design_key: str) -> tuple[np.ndarray, pd.DataFrame]:
    metadata = design_metadata(adata, design_key)
    counts = np.asarray(adata.X.toarray() if hasattr(adata.X, "toarray") else adata.X)
    return counts.astype(np.int64), metadata


def _fit_fast(counts: np.ndarray, metadata: pd.DataFrame, cells: list[Cell]) -> Fit:
    from formulaic import model_matrix

    if (counts == 0).any(axis=0).all():
        raise BadInputError(
            "every gene has a zero count in some sample, so median-of-ratios size factors are undefined; "
            "use --de-method pydeseq2 (it falls back to iterative size factors)"
        )
    design = model_matrix(DESIGN_FORMULA, metadata)
    cell_index = np.array([CELLS.index(cell) for cell in cells])
    return fit_saturated(counts, cell_index, design.to_numpy(dtype=float), list(design.columns))


def _pydeseq2_version() -> str:
    from importlib.metadata import version

    return f"pydeseq2 {version('pydeseq2')} DeseqDataSet.deseq2()"

