"""`call_rules`: DEG counts, the tissue's KMP response class, pathway patterns and hub genes.

Every threshold is a named constant, so a fact's provenance can state the rule that made it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from curate.generators.ingest._contrasts import (
    KMP_UNDER_STRESS_CONTRAST,
    PAIRWISE_CONTRASTS,
    STRESS_CONTRAST,
    STRESSOR_CONTRASTS,
)
from curate.schemas.rules import BASELINE_SHARE, BLOCKED_FRACTION, pathway_pattern, response_class

if TYPE_CHECKING:
    from anndata import AnnData

# Hub genes: the largest mean |log2FC| over the simple contrasts, among genes that are DEGs in at
# least HUB_MIN_CONTRASTS of them.
HUB_TOP_N = 10
HUB_MIN_CONTRASTS = 2
_GENE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def call_rules(
    adata: AnnData, *, padj: float = 0.05, key: str = "de", gsea_key: str = "gsea", key_added: str = "rules",
    hub_top_n: int = HUB_TOP_N,
) -> None:
    """Apply the rules to DE (and GSEA) results.

    Returns
    -------
    None. Adds ``uns[key_added]`` with ``params``, ``deg_counts`` ({contrast: [n, up, down]}),
    ``response_class`` ("" when none) with ``class_inputs``, ``pathways`` (per pathway: NES and
    padj of stress and KMP, significance, pattern) and ``hub_genes`` (gene, mean_abs_log2fc).
    """
    names = list(adata.uns[key]["contrasts"])
    counts = {name: _deg_count(adata, key, j, padj) for j, name in enumerate(names)}
    rules: dict[str, Any] = {
        "params": {"padj": padj, "blocked_fraction": BLOCKED_FRACTION, "baseline_share": BASELINE_SHARE,
                   "hub_top_n": hub_top_n, "hub_min_contrasts": HUB_MIN_CONTRASTS},
        "deg_counts": {name: list(value) for name, value in counts.items()},
        "response_class": "",
        "class_inputs": {},
    }
    if "KMP_baseline" in counts and KMP_UNDER_STRESS_CONTRAST in counts:
        stressor = max((counts[c][0] for c in STRESSOR_CONTRASTS if c in counts), default=0)
        inputs = {
            "KMP_baseline": counts["KMP_baseline"][0],
            KMP_UNDER_STRESS_CONTRAST: counts[KMP_UNDER_STRESS_CONTRAST][0],
            "largest_stressor": stressor,
        }
        rules["class_inputs"] = inputs
        rules["response_class"] = response_class(*inputs.values()) or ""
    if gsea_key in adata.uns:
        rules["pathways"] = _pathways(adata.uns[gsea_key], padj)
    rules["hub_genes"] = _hub_genes(adata, key, names, padj, hub_top_n)
    adata.uns[key_added] = rules


def gene_label(adata: AnnData, index: int) -> str:
    """The gene's symbol when it has a usable one, else its id."""
    if "symbol" in adata.var:
        symbol = str(adata.var["symbol"].iloc[index])
        if _GENE.match(symbol):
            return symbol
    return str(adata.var_names[index])


def _deg_count(adata: AnnData, key: str, column: int, padj: float) -> tuple[int, int, int]:
    significant = np.nan_to_num(adata.varm[f"{key}_padj"][:, column], nan=1.0) < padj
    lfc = adata.varm[f"{key}_log2FoldChange"][:, column]
    return int(significant.sum()), int((significant & (lfc > 0)).sum()), int((significant & (lfc < 0)).sum())


def _pathways(gsea: dict[str, Any], padj: float) -> dict[str, Any]:
    stress, kmp = gsea["results"][STRESS_CONTRAST], gsea["results"][KMP_UNDER_STRESS_CONTRAST]
    kmp_index = {name: i for i, name in enumerate(kmp["pathway"])}
    rows: dict[str, list[Any]] = {k: [] for k in ("pathway", "stress_nes", "stress_padj", "kmp_nes", "kmp_padj",
                                                  "stress_significant", "kmp_significant", "pattern")}
    for i, name in enumerate(stress["pathway"]):
        if name not in kmp_index:
            continue
        j = kmp_index[name]
        stress_sig = bool(stress["padj"][i] < padj)
        kmp_sig = bool(kmp["padj"][j] < padj)
        pattern = pathway_pattern(float(stress["NES"][i]), float(kmp["NES"][j]), stress_sig, kmp_sig)
        values = (str(name), float(stress["NES"][i]), float(stress["padj"][i]), float(kmp["NES"][j]),
                  float(kmp["padj"][j]), stress_sig, kmp_sig, pattern or "")
        for field, value in zip(rows, values, strict=True):
            rows[field].append(value)
    return {field: np.array(values) for field, values in rows.items()}


def _hub_genes(adata: AnnData, key: str, names: list[str], padj: float, top_n: int) -> dict[str, Any]:
    columns = [names.index(c) for c in PAIRWISE_CONTRASTS if c in names]
    empty = {"gene": np.array([], dtype=str), "mean_abs_log2fc": np.array([], dtype=float), "contrasts": []}
    if not columns or adata.n_vars == 0:
        return empty
    lfc = np.abs(adata.varm[f"{key}_log2FoldChange"][:, columns])
    significant = np.nan_to_num(adata.varm[f"{key}_padj"][:, columns], nan=1.0) < padj
    needed = min(HUB_MIN_CONTRASTS, len(columns))
    with np.errstate(invalid="ignore"):
        mean_abs = np.nanmean(np.where(np.isfinite(lfc), lfc, np.nan), axis=1)
    eligible = np.flatnonzero((significant.sum(axis=1) >= needed) & np.isfinite(mean_abs))
    order = eligible[np.lexsort((np.array(adata.var_names[eligible], dtype=str), -mean_abs[eligible]))][:top_n]
    return {
        "gene": np.array([gene_label(adata, i) for i in order], dtype=str),
        "mean_abs_log2fc": np.round(mean_abs[order], 4),
        "contrasts": [names[c] for c in columns],
    }
