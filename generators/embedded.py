"""The embedded default fact sheet: the KMP study's published summary, shipped as data files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from curate.files import sha256_bytes
from curate.schemas import Fact, FactSheet, Provenance

DEFAULT_FACTS_NAME = "kmp-study"
METHOD = "published summary (BioRLHF ground truth, KMP 2x2x2 study)"
# Which fact kind each file holds, and how a row becomes the fact's own fields.
_TABLES: dict[str, str] = {
    "stressor_degs.csv": "deg_count",
    "kmp_degs.csv": "kmp_effect",
    "interaction_degs.csv": "interaction",
    "pathways.csv": "pathway_shift",
    "classes.csv": "tissue_class",
    "hub_genes.csv": "hub_gene",
}
_INT_COLUMNS = {"n_degs", "n_up", "n_down"}
_FLOAT_COLUMNS = {"stress_nes", "kmp_nes", "mean_abs_log2fc"}
_BOOL_COLUMNS = {"stress_significant", "kmp_significant"}


def data_dir() -> Path:
    return Path(str(resources.files("curate.generators") / "data" / "kmp_study"))


def load_default_factsheet() -> FactSheet:
    """Build the embedded fact sheet from its CSV files."""
    return load_factsheet_from_tables(
        data_dir(),
        name=DEFAULT_FACTS_NAME,
        title="Kaempferol (KMP) x hindlimb unloading x radiation in mice: published summary",
        description=(
            "2x2x2 factorial study (KMP vs vehicle, HU vs normal loading, IR vs sham) with bulk RNA-seq of "
            "heart, hippocampus, liver and soleus. DEG = padj < 0.05. See PROVENANCE.md beside the data."
        ),
    )


def load_factsheet_from_tables(folder: Path, *, name: str, title: str, description: str = "") -> FactSheet:
    adapter: TypeAdapter[Fact] = TypeAdapter(Fact)
    facts = [adapter.validate_python(record) for record in _fact_records(folder)]
    return FactSheet(name=name, title=title, description=description, facts=facts)


def _fact_records(folder: Path) -> Iterator[dict[str, Any]]:
    for filename, kind in _TABLES.items():
        path = folder / filename
        raw = path.read_bytes()
        sha = sha256_bytes(raw)
        rows = csv.DictReader(raw.decode("utf-8").splitlines())
        for row_number, row in enumerate(rows, start=1):
            note = row.pop("note", "") or None
            fields = {key: _parse(key, value) for key, value in row.items()}
            contrast = fields.get("contrast") or fields.get("condition") or fields.get("term")
            fields["provenance"] = Provenance(
                source=filename,
                sha256=sha,
                row=row_number,
                contrast=contrast,
                method=METHOD,
                threshold="padj < 0.05",
                note=note,
            )
            yield {"kind": kind, **fields}


def _parse(column: str, value: str) -> Any:
    if value == "":
        return None
    if column in _INT_COLUMNS:
        return int(value)
    if column in _FLOAT_COLUMNS:
        return float(value)
    if column in _BOOL_COLUMNS:
        return {"true": True, "false": False}[value]
    return value
