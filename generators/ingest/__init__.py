"""Ingestion: a lab's own 2x2x2 data (counts, DESeq2 or GeneLab tables, fGSEA, GMT) to facts.

In scanpy's style, each step takes an AnnData and writes its results into it (``.obs``, ``.var``,
``.varm``, ``.uns[key]`` with the step's ``params``), storing only what ``write_h5ad`` can write:

    adata = read_counts("heart.h5ad")          # or read_deseq2([...]) / read_genelab(...)
    map_design(adata)                          # obs["design_drug"/"design_hu"/"design_ir"], uns["design"]
    differential_expression(adata)             # varm["de_*"] (genes x 10 contrasts), uns["de"]
    pathway_enrichment(adata, read_gmt(gmt))   # uns["gsea"]
    call_rules(adata)                          # uns["rules"]: DEG counts, class, patterns, hub genes
    facts = facts_from_results(adata, tissue="heart")

`ingest` runs the whole chain for the CLI; `simulate_study` writes a study with planted truth.
Heavy libraries (anndata, pydeseq2, gseapy) are imported inside the functions that use them.
"""

from curate.generators.ingest._contrasts import CONTRAST_NAMES, CONTRASTS, FACTORS, LEVELS
from curate.generators.ingest._de import contrast_matrix, de_table, differential_expression
from curate.generators.ingest._design import DesignSpec, FactorSpec, load_design, map_design, map_groups
from curate.generators.ingest._facts import build_factsheet, facts_from_results, pathway_name
from curate.generators.ingest._gsea import gsea_from_tables, pathway_enrichment
from curate.generators.ingest._ingest import IngestResult, ingest, results_only, tissue_slug
from curate.generators.ingest._read_deseq2 import read_deseq2
from curate.generators.ingest._read_genelab import read_genelab
from curate.generators.ingest._read_gsea import read_fgsea, read_gmt
from curate.generators.ingest._read_h5ad import read_counts
from curate.generators.ingest._rules import call_rules
from curate.generators.ingest._simulate import simulate_study
from curate.generators.ingest._tables import detect_format
from curate.schemas.rules import pathway_pattern, response_class

__all__ = [
    "CONTRASTS",
    "CONTRAST_NAMES",
    "FACTORS",
    "LEVELS",
    "DesignSpec",
    "FactorSpec",
    "IngestResult",
    "build_factsheet",
    "call_rules",
    "contrast_matrix",
    "de_table",
    "detect_format",
    "differential_expression",
    "facts_from_results",
    "gsea_from_tables",
    "ingest",
    "load_design",
    "map_design",
    "map_groups",
    "pathway_enrichment",
    "pathway_name",
    "pathway_pattern",
    "read_counts",
    "read_deseq2",
    "read_fgsea",
    "read_genelab",
    "read_gmt",
    "response_class",
    "results_only",
    "simulate_study",
    "tissue_slug",
]
