"""fGSEA result tables and GMT gene-set files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from curate.generators.ingest._design import DesignSpec
from curate.generators.ingest._tables import (
    check_gene_ids,
    check_probabilities,
    contrast_for_file,
    numeric_column,
    read_required,
)
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    pass

FGSEA_COLUMNS = ("pathway", "NES", "padj")


def read_fgsea(path: str | os.PathLike[str], *, design: DesignSpec | None = None) -> tuple[str, pd.DataFrame]:
    """Read one fGSEA/GSEA table (pathway, NES, padj; size and leadingEdge optional).

    Returns
    -------
    (contrast, table indexed by pathway with columns NES, padj, size).
    """
    where = Path(path)
    contrast = contrast_for_file(where, design or DesignSpec())
    frame, present = read_required(where, FGSEA_COLUMNS, "fGSEA",
                                   "a GSEA table needs pathway, NES, padj (size, leadingEdge optional)")
    names = frame[present["pathway"]].str.strip()
    check_gene_ids(where, names, present["pathway"])
    out = pd.DataFrame(index=pd.Index(names.to_numpy(), name="pathway"))
    out["NES"] = numeric_column(where, frame, present["nes"], "NES")
    out["padj"] = numeric_column(where, frame, present["padj"], "padj")
    out["size"] = numeric_column(where, frame, present["size"], "size") if "size" in present else np.nan
    for column in ("NES", "padj"):
        gaps = np.flatnonzero(np.isnan(out[column].to_numpy()))
        if gaps.size:
            raise BadInputError(
                f"{where}: {column} is NaN at row {gaps[0] + 1} (pathway {out.index[gaps[0]]!r}); "
                "every pathway needs one"
            )
    check_probabilities(where, out, "padj")
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
