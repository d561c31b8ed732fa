"""`facts_from_results`: typed facts, each with its provenance, from the rules' output."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from curate.generators.ingest._contrasts import (
    INTERACTION_CONTRASTS,
    KMP_CONTRASTS,
    KMP_UNDER_STRESS_CONTRAST,
    STRESS_CONTRAST,
    STRESSOR_CONTRASTS,
)
from curate.generators.ingest._rules import HUB_MIN_CONTRASTS
from curate.schemas.rules import BASELINE_SHARE, BLOCKED_FRACTION

if TYPE_CHECKING:
    from anndata import AnnData

    from curate.schemas import Fact, FactSheet, Provenance

_HALLMARK = "HALLMARK_"


def facts_from_results(adata: AnnData, *, tissue: str, key: str = "de", rules_key: str = "rules") -> list[Fact]:
    """DEG counts, KMP effects, interactions, the response class, pathway shifts and hub genes.

    Fact kinds the inputs cannot support are left out (no pathways without a GMT or fGSEA tables,
    no interactions from GeneLab's pairwise comparisons).
    """
    from curate.schemas import DegCountFact, HubGeneFact, InteractionFact, KmpEffectFact, TissueClassFact

    rules = adata.uns[rules_key]
    padj = float(rules["params"]["padj"])
    method = _method(adata.uns[key]["params"])
    facts: list[Fact] = []
    counts = rules["deg_counts"]
    for contrast, field in STRESSOR_CONTRASTS.items():
        if contrast in counts:
            n, up, down = (int(v) for v in counts[contrast])
            facts.append(DegCountFact.model_validate(
                {"tissue": tissue, "contrast": field, "n_degs": n, "n_up": up, "n_down": down,
                 "provenance": _provenance(adata, contrast, method, padj)}
            ))
    for contrast, condition in KMP_CONTRASTS.items():
        if contrast in counts:
            facts.append(KmpEffectFact.model_validate(
                {"tissue": tissue, "condition": condition, "n_degs": int(counts[contrast][0]),
                 "provenance": _provenance(adata, contrast, method, padj)}
            ))
    for contrast, term in INTERACTION_CONTRASTS.items():
        if contrast in counts:
            facts.append(InteractionFact.model_validate(
                {"tissue": tissue, "term": term, "n_degs": int(counts[contrast][0]),
                 "provenance": _provenance(adata, contrast, method, padj)}
            ))
    if rules["response_class"]:
        inputs = {k: int(v) for k, v in rules["class_inputs"].items()}
        note = (
            f"KMP DEGs {inputs['KMP_baseline']} at baseline, {inputs[KMP_UNDER_STRESS_CONTRAST]} under HU+IR; "
            f"largest stressor response {inputs['largest_stressor']} DEGs. Rule: A if under stress > baseline; "
            f"else, if under stress <= {BLOCKED_FRACTION:g} x baseline, B if baseline >= {BASELINE_SHARE:g} x the "
            "largest stressor response, C otherwise"
        )
        facts.append(TissueClassFact(
            tissue=tissue, response_class=rules["response_class"],
            provenance=_provenance(adata, KMP_UNDER_STRESS_CONTRAST, f"{method}; class rule", padj,
                                   contrast="KMP_baseline vs KMP_in_HU_IR", note=note),
        ))
    facts.extend(_pathway_facts(adata, tissue, rules, padj))
    hubs = rules["hub_genes"]
    used = ", ".join(str(c) for c in hubs["contrasts"])
    for gene, value in zip(hubs["gene"], hubs["mean_abs_log2fc"], strict=False):
        facts.append(HubGeneFact(
            tissue=tissue, gene=str(gene), mean_abs_log2fc=float(value),
            provenance=_provenance(adata, KMP_UNDER_STRESS_CONTRAST, f"{method}; mean |log2FC|", padj, contrast=used,
                                   note=f"ranked by mean |log2FC| over {used}, among genes that are DEGs in at "
                                        f"least {HUB_MIN_CONTRASTS} of them"),
        ))
    return facts


def build_factsheet(
    facts: list[Fact], *, name: str, tissue: str, padj: float, existing: FactSheet | None = None,
) -> FactSheet:
    """A fact sheet of `facts`, keeping an existing sheet's facts about other tissues."""
    from curate.schemas import FactSheet

    kept = [f for f in existing.facts if f.tissue != tissue] if existing is not None else []
    tissues = sorted({f.tissue for f in kept} | {tissue})
    return FactSheet(
        name=name,
        title=existing.title if existing is not None else f"Ingested study: {', '.join(tissues)}",
        description=(
            "Facts computed by `curate ingest` from a lab's own data (2x2x2: KMP vs vehicle x HU vs normally "
            f"loaded x IR vs sham). DEG = padj < {padj:g}. Tissues: {', '.join(tissues)}."
        ),
        padj_threshold=padj,
        facts=[*kept, *facts],
    )


def pathway_name(raw: str, default_collection: str) -> tuple[str, str]:
    """(pathway, collection): upper-case words joined by "_", with MSigDB's HALLMARK_ prefix as collection."""
    name = re.sub(r"[^A-Z0-9]+", "_", raw.upper()).strip("_") or "UNNAMED"
    if name.startswith(_HALLMARK) and len(name) > len(_HALLMARK):
        return name[len(_HALLMARK):], "MSigDB Hallmark"
    return name, default_collection


def _pathway_facts(adata: AnnData, tissue: str, rules: Mapping[str, Any], padj: float) -> list[Fact]:
    from curate.schemas import PathwayShiftFact

    if "pathways" not in rules:
        return []
    gsea = adata.uns["gsea"]
    table = rules["pathways"]
    source, note_source = _gsea_source(adata, gsea)
    collection_default = source.get("name", "gene sets").rsplit(".", 1)[0]
    facts: list[Fact] = []
    seen: set[str] = set()
    for i, raw in enumerate(table["pathway"]):
        pattern = str(table["pattern"][i])
        if not pattern:
            continue
        pathway, collection = pathway_name(str(raw), collection_default)
        if pathway in seen:
            continue
        seen.add(pathway)
        note = (
            f"{raw}: NES {float(table['stress_nes'][i]):.3f} (padj {float(table['stress_padj'][i]):.3g}) "
            f"under HU+IR vs control, {float(table['kmp_nes'][i]):.3f} (padj {float(table['kmp_padj'][i]):.3g}) "
            "for KMP under HU+IR; "
            f"ranking: {gsea['params']['ranking']}{note_source}"
        )
        facts.append(PathwayShiftFact.model_validate({
            "tissue": tissue, "pathway": pathway, "collection": collection,
            "stress_nes": round(float(table["stress_nes"][i]), 3), "kmp_nes": round(float(table["kmp_nes"][i]), 3),
            "pattern": pattern, "stress_significant": bool(table["stress_significant"][i]),
            "kmp_significant": bool(table["kmp_significant"][i]),
            "provenance": _record(source, contrast=f"{STRESS_CONTRAST}, {KMP_UNDER_STRESS_CONTRAST}",
                                  method=f"{gsea['params']['method']}; pattern rule", padj=padj, note=note),
        }))
    return facts


def _gsea_source(adata: AnnData, gsea: Mapping[str, Any]) -> tuple[dict[str, str], str]:
    src = dict(gsea["source"])
    if "name" in src:  # a GMT: the ranking came from the DE source
        ranked = _file_for(adata, STRESS_CONTRAST)
        return src, f"; ranked genes from {ranked['name']} (sha256 {ranked['sha256'][:12]}...)"
    stress = dict(src[STRESS_CONTRAST])
    kmp = dict(src[KMP_UNDER_STRESS_CONTRAST])
    return stress, f"; KMP NES from {kmp['name']} (sha256 {kmp['sha256'][:12]}...)"


def _method(params: Mapping[str, Any]) -> str:
    estimator = str(params.get("estimator") or params.get("method") or "DE results")
    test = str(params.get("test", ""))
    return f"{estimator}, {params.get('design', '~drug*hu*ir')}, {test}".rstrip(", ") if test else estimator


def _file_for(adata: AnnData, contrast: str) -> dict[str, str]:
    """The file a contrast's results came from (one file for all of them when read from counts)."""
    files = adata.uns["source"]["files"]
    for name in (contrast, "*"):
        if name in files:
            return dict(files[name])
    return dict(next(iter(files.values())))


def _provenance(
    adata: AnnData, file_contrast: str, method: str, padj: float, *, contrast: str | None = None,
    note: str | None = None,
) -> Provenance:
    """Provenance naming the file that holds `file_contrast`'s results."""
    return _record(_file_for(adata, file_contrast), contrast=contrast or file_contrast, method=method, padj=padj,
                   note=note)


def _record(
    source: Mapping[str, str], *, contrast: str, method: str, padj: float, note: str | None = None
) -> Provenance:
    from curate.schemas import Provenance

    return Provenance(source=source["name"], sha256=source["sha256"], contrast=contrast, method=method,
                      threshold=f"padj < {padj:g}", note=note)
