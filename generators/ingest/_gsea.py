"""`pathway_enrichment`: preranked GSEA (gseapy, offline) of the stress and KMP contrasts on a GMT."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.generators.ingest._contrasts import KMP_UNDER_STRESS_CONTRAST, STRESS_CONTRAST
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

GSEA_CONTRASTS = (STRESS_CONTRAST, KMP_UNDER_STRESS_CONTRAST)
MIN_SET_SIZE, MAX_SET_SIZE = 15, 500


def pathway_enrichment(
    adata: AnnData,
    gene_sets: Mapping[str, Sequence[str]],
    *,
    key: str = "de",
    key_added: str = "gsea",
    contrasts: Sequence[str] = GSEA_CONTRASTS,
    permutations: int = 1000,
    seed: int = 0,
    source: Mapping[str, str] | None = None,
) -> None:
    """Preranked GSEA of each contrast's Wald statistic against `gene_sets` (gseapy ``prerank``).

    Genes are matched to the sets by id or by ``var["symbol"]``, whichever shares more genes with
    the sets. Without a Wald statistic (old GeneLab tables) genes are ranked by
    sign(log2FC) x -log10(p).

    Returns
    -------
    None. Adds ``uns[key_added]`` with ``params``, ``source`` (the GMT's name and sha256) and
    ``results[contrast]`` = {pathway, NES, pvalue, padj, size} arrays.
    """
    import gseapy

    names = list(adata.uns[key]["contrasts"])
    missing = [c for c in contrasts if c not in names]
    if missing:
        raise BadInputError(
            f"pathways need the {missing[0]} contrast, which these results lack (they hold {', '.join(names)})"
        )
    labels, matched = _gene_labels(adata, gene_sets)
    gmt_name = (source or {}).get("name", "gene sets")
    usable = {
        name: genes for name, genes in gene_sets.items() if MIN_SET_SIZE <= len(set(genes) & matched) <= MAX_SET_SIZE
    }
    if not usable:
        example = next(iter(gene_sets.values()))[:3]
        raise BadInputError(
            f"{gmt_name}: no gene set shares {MIN_SET_SIZE}-{MAX_SET_SIZE} genes with the results "
            f"(sets name genes like {', '.join(example)}; results name them like {', '.join(labels[:3])})"
        )
    results: dict[str, Any] = {}
    logging.getLogger("gseapy").setLevel(logging.ERROR)
    for contrast in contrasts:
        ranking = _ranking(adata, key, names.index(contrast), labels)
        run = gseapy.prerank(
            rnk=ranking, gene_sets=dict(usable), permutation_num=permutations, seed=seed, threads=1,
            min_size=MIN_SET_SIZE, max_size=MAX_SET_SIZE, outdir=None, no_plot=True, verbose=False,
        )
        table = run.res2d
        results[contrast] = {
            "pathway": table["Term"].astype(str).to_numpy(),
            "NES": pd.to_numeric(table["NES"]).to_numpy(dtype=float),
            "pvalue": pd.to_numeric(table["NOM p-val"]).to_numpy(dtype=float),
            "padj": pd.to_numeric(table["FDR q-val"]).to_numpy(dtype=float),
            "size": np.array([len(set(usable[t]) & matched) for t in table["Term"]], dtype=int),
        }
    adata.uns[key_added] = {
        "params": {
            "method": f"gseapy {gseapy.__version__} prerank", "ranking": "Wald stat", "permutations": permutations,
            "seed": seed, "min_size": MIN_SET_SIZE, "max_size": MAX_SET_SIZE, "n_sets": len(usable),
        },
        "source": dict(source or {}),
        "contrasts": list(contrasts),
        "results": results,
    }


def gsea_from_tables(
    adata: AnnData, tables: Mapping[str, pd.DataFrame], *, files: Mapping[str, Mapping[str, str]],
    key_added: str = "gsea",
) -> None:
    """Store fGSEA tables (read by `read_fgsea`) in the layout `pathway_enrichment` writes."""
    missing = [c for c in GSEA_CONTRASTS if c not in tables]
    if missing:
        given = ", ".join(sorted(tables)) or "none"
        raise BadInputError(
            f"fGSEA tables are needed for both {' and '.join(GSEA_CONTRASTS)}; missing {missing[0]} (given: {given})"
        )
    adata.uns[key_added] = {
        "params": {"method": "fGSEA table (read)", "ranking": "as computed by the table's author"},
        "source": {name: dict(record) for name, record in files.items()},
        "contrasts": list(GSEA_CONTRASTS),
        "results": {
            contrast: {
                "pathway": table.index.astype(str).to_numpy(),
                "NES": table["NES"].to_numpy(dtype=float),
                "pvalue": np.full(len(table), np.nan),
                "padj": table["padj"].to_numpy(dtype=float),
                "size": np.nan_to_num(table["size"].to_numpy(dtype=float), nan=0).astype(int),
            }
            for contrast, table in tables.items()
            if contrast in GSEA_CONTRASTS
        },
    }


def _gene_labels(adata: AnnData, gene_sets: Mapping[str, Sequence[str]]) -> tuple[list[str], set[str]]:
    wanted = {gene for genes in gene_sets.values() for gene in genes}
    ids = [str(g) for g in adata.var_names]
    best = ids
    if "symbol" in adata.var:
        symbols = [str(s) if str(s) else i for s, i in zip(adata.var["symbol"], ids, strict=False)]
        if len(wanted & set(symbols)) > len(wanted & set(ids)):
            best = symbols
    return best, wanted & set(best)


def _ranking(adata: AnnData, key: str, column: int, labels: list[str]) -> pd.Series:
    stat = adata.varm[f"{key}_stat"][:, column]
    if np.isnan(stat).all():
        pvalue = np.clip(adata.varm[f"{key}_pvalue"][:, column], 1e-300, 1)
        stat = np.sign(adata.varm[f"{key}_log2FoldChange"][:, column]) * -np.log10(pvalue)
    ranking = pd.Series(stat, index=labels).dropna()
    ranking = ranking.iloc[np.argsort(-np.abs(ranking.to_numpy()), kind="stable")]
    ranking = ranking[~ranking.index.duplicated(keep="first")]  # a duplicated name keeps its strongest value
    return ranking.sort_values(ascending=False)
