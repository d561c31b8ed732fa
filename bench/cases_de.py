"""Differential expression for one tissue: 20k genes x 32 samples (2x2x2 x 4), all 10 contrasts.

Baseline: pydeseq2's default path in the same run, `DeseqDataSet(design="~drug*hu*ir").deseq2()`
then one `DeseqStats(...).summary()` per contrast. Candidate: `differential_expression(method="fast")`,
the vectorised fit of the same model (the 2x2x2 design is saturated, so every per-gene fit runs on
whole arrays) and one vectorised Wald test over the 10-column contrast matrix, with pydeseq2's Cook's
and independent filtering. Both run with single-threaded BLAS. The case also times the vectorised
Wald alone on the baseline's own fit (it reproduces DeseqStats to ~1e-14).

Goal: candidate <= 1/5 of the baseline's time, and >= 95% agreement of DEG calls (padj < 0.05):
the Jaccard index of the (contrast, gene) pairs each calls. Quick mode uses 2k genes.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def de_ten_contrasts(quick: bool) -> dict:
    import numpy as np

    from curate.generators.ingest import CONTRAST_NAMES, differential_expression, map_design
    from curate.generators.ingest._de import (
        cells_of,
        contrast_matrix,
        design_metadata,
        fit_pydeseq2,
        single_threaded_blas,
        wald_tests,
    )
    from curate.generators.ingest._simulate import _make_genes, simulate_tissue

    n_genes = 2000 if quick else 20000
    rng = np.random.default_rng(2024)
    adata, _ = simulate_tissue("heart", genes=_make_genes(rng, n_genes), rng=rng, replicates=4)
    adata.X = np.asarray(adata.X).astype(np.int64)
    map_design(adata)
    metadata = design_metadata(adata)
    cells = cells_of(metadata)

    with warnings.catch_warnings(), single_threaded_blas():
        warnings.simplefilter("ignore")
        from pydeseq2.ds import DeseqStats

        began = time.perf_counter()
        dds, fit = fit_pydeseq2(np.asarray(adata.X), metadata)
        matrix = contrast_matrix(fit.design, cells)
        baseline_padj = []
        for k in range(len(CONTRAST_NAMES)):
            stats = DeseqStats(dds, contrast=matrix[:, k], alpha=0.05, quiet=True)
            stats.summary()
            baseline_padj.append(stats.results_df["padj"].to_numpy())
        baseline_s = time.perf_counter() - began

        began = time.perf_counter()
        wald_tests(fit, matrix, alpha=0.05)
        wald_only_s = time.perf_counter() - began

    began = time.perf_counter()
    differential_expression(adata, method="fast", padj=0.05)
    candidate_s = time.perf_counter() - began

    reference = np.nan_to_num(np.column_stack(baseline_padj), nan=1.0) < 0.05
    ours = np.nan_to_num(adata.varm["de_padj"], nan=1.0) < 0.05
    both, either = int((reference & ours).sum()), int((reference | ours).sum())
    agreement = both / either if either else 1.0
    ratio = candidate_s / baseline_s
    return {
        "baseline_s": round(baseline_s, 2),
        "candidate_s": round(candidate_s, 2),
        "ratio": round(ratio, 3),
        "agreement": round(agreement, 4),
        "baseline_degs": int(reference.sum()),
        "candidate_degs": int(ours.sum()),
        "wald_only_s": round(wald_only_s, 3),
        "genes": n_genes,
        "samples": int(adata.n_obs),
        "goal": "ratio <= 0.2 and DEG agreement >= 0.95",
        "goal_met": bool(ratio <= 0.2 and agreement >= 0.95),
        "note": (
            f"{n_genes} genes x {adata.n_obs} samples, 10 contrasts; DEG-call Jaccard {agreement:.4f} "
            f"({int(reference.sum())} vs {int(ours.sum())} calls); vectorised Wald alone on pydeseq2's fit "
            f"{wald_only_s:.2f} s for all 10 contrasts"
        ),
    }


CASES = {"de_10_contrasts": de_ten_contrasts}
