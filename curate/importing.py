"""`curate import`: register a dataset curate did not make as a new version, with its gate report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from curate.files import sha256_tree
from curate.gates.readers import load_dataset
from curate.gates.run import Progress, run_gates

if TYPE_CHECKING:
    from curate.gates.items import GateItem
    from curate.gates.report import GateReport
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example, FactSheet


def import_dataset(registry: Registry, path: Path, sheet: FactSheet, *, fmt: str = "auto",
                   progress: Progress | None = None) -> tuple[DatasetManifest, GateReport]:
    """Register an external dataset as a new version (origin "imported"), with its gate report.

    It is written even when gates fail, so that it can be cleaned and drilled like any other
    version; the manifest then says `gates_passed: false, allow_failing: true`. Records without fact
    ids get the facts the claim check saw them state.
    """
    loaded = load_dataset(path, fmt)
    registry.ensure_writable()
    registry.manifests()
    report = run_gates(loaded.items, sheet, enforce_coverage=False, progress=progress)
    contradicted: dict[str, set[str]] = {}
    for finding in report.claims.findings:  # the facts an answer gets wrong are facts it is about
        contradicted.setdefault(finding.example_id, set()).update(finding.fact_ids)
    examples = [_to_example(item, tuple(sorted(set(facts) | contradicted.get(item.id, set()))), sheet)
                for item, facts in zip(loaded.items, report.stated, strict=False)]
    config = {
        "origin": "imported",
        "source": str(path),
        "source_sha256": sha256_tree(path),
        "format": loaded.format,
        "n_records": len(loaded.items),
    }
    from curate.pipeline import write_checked_version

    manifest, _ = write_checked_version(registry, examples, sheet, config=config, seed=0, report=report,
                                        allow_failing=not report.passed)
    return manifest, report


def _to_example(item: GateItem, stated: tuple[str, ...], sheet: FactSheet) -> Example:
    from curate.schemas import CROSS_TISSUE, EXAMPLE_KINDS, SPLITS, Example

    known = sheet.by_id()
    fact_ids = [f for f in item.fact_ids if f in known] or list(stated)
    tissues = sorted({known[f].tissue for f in fact_ids if f in known})
    tissue = item.tissue or (tissues[0] if len(tissues) == 1 else CROSS_TISSUE)
    metadata: dict[str, str | int | float | bool | None] = {"source": item.source, "source_id": item.id}
    if item.kind and item.kind not in EXAMPLE_KINDS:
        metadata["source_kind"] = item.kind
    return Example.model_validate(dict(
        kind=item.kind if item.kind in EXAMPLE_KINDS else "factual_qa",
        tissue=tissue,
        instruction=item.instruction,
        input=item.input,
        output=item.output,
        fact_ids=fact_ids,
        template_id=item.template_id,
        answerable=item.answerable,
        split=item.split if item.split in SPLITS else "train",
        origin="imported",
        metadata=metadata,
    ))
