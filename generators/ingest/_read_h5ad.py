"""Raw counts from .h5ad: unique names, whole non-negative counts, a design that maps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from curate.generators.ingest._tables import (
    check_unique,
    source_record,
)
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

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
    check_unique(where, "gene", adata.var_names)
    check_unique(where, "sample", adata.obs_names)
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
