"""`ingest`: from a lab's files to facts. Reads, maps the design, runs DE and GSEA, applies the rules."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.generators.ingest._contrasts import INTERACTION_CONTRASTS
from curate.generators.ingest._de import METHODS, differential_expression
from curate.generators.ingest._design import DesignSpec, load_design, map_design
from curate.generators.ingest._facts import facts_from_results
from curate.generators.ingest._gsea import GSEA_CONTRASTS, gsea_from_tables, pathway_enrichment
from curate.generators.ingest._read_deseq2 import read_deseq2
from curate.generators.ingest._read_genelab import read_genelab
from curate.generators.ingest._read_gsea import read_fgsea, read_gmt
from curate.generators.ingest._read_h5ad import read_counts
from curate.generators.ingest._rules import call_rules
from curate.generators.ingest._tables import FORMATS, detect_format, is_genelab_companion, source_record
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

    from curate.schemas import Fact

STEPS = ("read inputs", "map the design", "differential expression", "pathways", "rules and facts")
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".h5ad", ".gmt"}
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass
class IngestResult:
    facts: list[Fact]
    adata: AnnData
    summary: dict[str, Any] = field(default_factory=dict)


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    *,
    tissue: str,
    design: str | os.PathLike[str] | None = None,
    gmt: str | os.PathLike[str] | None = None,
    fmt: str = "auto",
    padj: float = 0.05,
    de_method: str = "pydeseq2",
    n_cpus: int | None = None,
    permutations: int = 1000,
    seed: int = 0,
    step: Callable[[str], None] | None = None,
) -> IngestResult:
    """Turn one tissue's files into facts.

    `paths` hold exactly one kind of DE input (one .h5ad of raw counts, DESeq2 result tables, or
    one GeneLab DGE table with its companions), plus optional fGSEA tables (for HU_IR and
    KMP_in_HU_IR) or a GMT for preranked GSEA. Folders are read file by file. `step` is called
    with each step's name as it starts (for a progress bar).
    """
    announce = step or (lambda _name: None)
    slug = tissue_slug(tissue)
    _check_options(fmt, padj, de_method)
    announce(STEPS[0])
    spec = load_design(design)
    groups = _group_inputs(_expand(paths), fmt)
    pathways = _read_pathway_inputs(groups.get("fgsea", []), _gmt_path(gmt, groups.pop("gmt", [])), spec)
    kind, adata = _read_de_input(groups, spec)
    announce(STEPS[1])
    if kind == "h5ad":
        map_design(adata, design=spec)
        announce(STEPS[2])
        differential_expression(adata, method=de_method, padj=padj, n_cpus=n_cpus)
    announce(STEPS[3])
    notes = _add_pathways(adata, pathways, permutations, seed)
    announce(STEPS[4])
    call_rules(adata, padj=padj)
    facts = facts_from_results(adata, tissue=slug)
    if not any(c in adata.uns["de"]["contrasts"] for c in INTERACTION_CONTRASTS):
        notes.append("no interaction terms in these results (pairwise comparisons only)")
    return IngestResult(facts=facts, adata=adata, summary=_summary(adata, kind, slug, facts, notes, de_method))


def tissue_slug(raw: str) -> str:
    slug = re.sub(r"[\s]+", "-", raw.strip().lower())
    if not _SLUG.match(slug) or len(slug) > 64:
        raise BadInputError(
            f"--tissue {raw!r}: a tissue is a lowercase slug (letters, digits, '-' or '_', starting with a letter)"
        )
    return slug


def results_only(adata: AnnData) -> AnnData:
    """The results without the counts: genes, DE arrays and the uns records (what the registry keeps)."""
    import anndata as ad
    import pandas as pd

    out = ad.AnnData(obs=pd.DataFrame(index=pd.Index([], dtype=str)), var=adata.var.copy())
    for name, value in adata.varm.items():
        out.varm[name] = value
    for name in ("de", "design", "source", "gsea", "rules"):
        if name in adata.uns:
            out.uns[name] = adata.uns[name]
    return out


def _check_options(fmt: str, padj: float, de_method: str) -> None:
    if fmt != "auto" and fmt not in FORMATS:
        raise BadInputError(f"--format {fmt!r} is unknown; choose auto, {', '.join(f for f in FORMATS if f != 'gmt')}")
    if not 0 < padj < 1:
        raise BadInputError(f"--padj {padj}: the threshold must lie strictly between 0 and 1")
    if de_method not in METHODS:
        raise BadInputError(f"--de-method {de_method!r} is unknown; choose {' or '.join(METHODS)}")


def _expand(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _TABLE_SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                raise BadInputError(f"{path}: folder holds no .h5ad, .csv, .tsv, .txt or .gmt files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise BadInputError(f"{path}: no such file or folder")
    if not files:
        raise BadInputError("no input files given")
    return files


def _group_inputs(files: list[Path], fmt: str) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in files:
        if path.suffix.lower() == ".gmt":
            kind = "gmt"
        elif fmt == "auto" or (fmt == "genelab" and is_genelab_companion(path)):
            kind = detect_format(path)
        else:
            kind = fmt
        groups.setdefault(kind, []).append(path)
    return groups


def _gmt_path(option: str | os.PathLike[str] | None, given: list[Path]) -> Path | None:
    if option is not None and given:
        raise BadInputError(f"{given[0]}: a GMT among the inputs and --gmt {option}; give one GMT")
    if len(given) > 1:
        raise BadInputError(f"{given[1]}: more than one GMT among the inputs; give one")
    chosen = Path(option) if option is not None else (given[0] if given else None)
    if chosen is not None and not chosen.is_file():
        raise BadInputError(f"{chosen}: no such GMT file")
    return chosen


def _read_de_input(groups: dict[str, list[Path]], spec: DesignSpec) -> tuple[str, AnnData]:
    present = [kind for kind in ("h5ad", "deseq2", "genelab") if groups.get(kind)]
    if not present:
        shown = ", ".join(p.name for ps in groups.values() for p in ps)
        raise BadInputError(
            f"no DE input among {shown}: give one .h5ad of raw counts, DESeq2 result tables or a GeneLab DGE table"
        )
    if len(present) > 1:
        first, second = (groups[k][0] for k in present[:2])
        raise BadInputError(
            f"{second}: {present[1]} input mixed with {present[0]} input ({first.name}); ingest one kind at a time"
        )
    kind = present[0]
    files = groups[kind]
    if kind == "h5ad":
        if len(files) > 1:
            raise BadInputError(f"{files[1]}: one .h5ad per ingest (one tissue); ingest {files[0].name} alone")
        return kind, read_counts(files[0])
    if kind == "deseq2":
        return kind, read_deseq2(files, design=spec)
    tables = [p for p in files if not is_genelab_companion(p)]
    if len(tables) != 1:
        raise BadInputError(
            f"give one GeneLab differential_expression table (found {len(tables)}: "
            f"{', '.join(p.name for p in tables) or 'none'})"
        )
    sample = next((p for p in files if "sampletable" in p.name.lower()), None)
    contrasts = next((p for p in files if "contrasts" in p.name.lower() and p not in tables), None)
    return kind, read_genelab(tables[0], sample_table=sample, contrasts_table=contrasts, design=spec)


@dataclass
class _PathwayInputs:
    tables: dict[str, Any] = field(default_factory=dict)  # fGSEA tables by contrast
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    gene_sets: dict[str, list[str]] | None = None
    gmt: dict[str, str] | None = None


def _read_pathway_inputs(fgsea_files: list[Path], gmt: Path | None, spec: DesignSpec) -> _PathwayInputs:
    """Read (and so check) fGSEA tables or the GMT before the long DE fit."""
    if fgsea_files and gmt is not None:
        raise BadInputError(f"{fgsea_files[0]}: give fGSEA tables or a GMT to compute them, not both")
    found = _PathwayInputs()
    for path in fgsea_files:
        contrast, table = read_fgsea(path, design=spec)
        if contrast in found.tables:
            first = found.files[contrast]["name"]
            raise BadInputError(f"{path}: a second fGSEA table for {contrast} ({first} came first)")
        found.tables[contrast], found.files[contrast] = table, source_record(path)
    missing = [c for c in GSEA_CONTRASTS if c not in found.tables]
    if found.tables and missing:
        raise BadInputError(
            f"fGSEA tables are needed for both {' and '.join(GSEA_CONTRASTS)}; missing {missing[0]} "
            f"(given: {', '.join(record['name'] for record in found.files.values())})"
        )
    if gmt is not None:
        found.gene_sets, found.gmt = read_gmt(gmt), source_record(gmt)
    return found


def _add_pathways(adata: AnnData, pathways: _PathwayInputs, permutations: int, seed: int) -> list[str]:
    if pathways.tables:
        gsea_from_tables(adata, pathways.tables, files=pathways.files)
        return []
    if pathways.gene_sets is None:
        return ["no GMT or fGSEA tables: no pathway facts"]
    pathway_enrichment(adata, pathways.gene_sets, source=pathways.gmt, permutations=permutations, seed=seed)
    return []


def _summary(
    adata: AnnData, kind: str, tissue: str, facts: list[Fact], notes: list[str], de_method: str
) -> dict[str, Any]:
    rules = adata.uns["rules"]
    pathways = rules.get("pathways", {})
    patterns = Counter(str(p) for p in pathways.get("pattern", []) if str(p))
    files = adata.uns["source"]["files"]
    return {
        "tissue": tissue,
        "format": kind,
        "files": sorted({record["name"] for record in files.values()}),
        "de": dict(adata.uns["de"]["params"]) | ({"requested": de_method} if kind == "h5ad" else {}),
        "design": {f: dict(m) for f, m in adata.uns.get("design", {}).get("mapping", {}).items()},
        "contrasts": list(adata.uns["de"]["contrasts"]),
        "deg_counts": {c: int(v[0]) for c, v in rules["deg_counts"].items()},
        "response_class": rules["response_class"] or None,
        "pathway_patterns": dict(sorted(patterns.items())),
        "n_facts": len(facts),
        "facts_by_kind": dict(sorted(Counter(f.kind for f in facts).items())),
        "notes": notes,
    }
