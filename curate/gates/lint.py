"""`curate lint` and `curate import`: the gates on a dataset curate did not make, and registering it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.gates.readers import load_dataset
from curate.gates.run import Progress, gate_files, run_gates

if TYPE_CHECKING:
    from curate.gates.items import GateItem
    from curate.gates.report import GateReport
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example, FactSheet


@dataclass
class LintResult:
    path: Path
    format: str
    items: list[GateItem]
    test_path: Path | None
    n_test: int
    report: GateReport

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "n_records": len(self.items),
            "test_path": str(self.test_path) if self.test_path else None,
            "n_test_records": self.n_test,
            "passed": self.report.passed,
            "report": self.report.to_dict(),
        }


def lint(path: Path, sheet: FactSheet, *, fmt: str = "auto", test_path: Path | None = None,
         progress: Progress | None = None, num_proc: int = 1) -> LintResult:
    """Every gate on an external dataset. Coverage is reported, not enforced: a dataset need not teach
    every fact of the sheet."""
    loaded = load_dataset(path, fmt)
    test = load_dataset(test_path, "auto", split="test").items if test_path is not None else None
    if test is not None:
        test = [_renamed(item, f"test{item.id}" if item.id.startswith("#") else item.id) for item in test]
    report = run_gates(loaded.items, sheet, test_items=test, enforce_coverage=False, progress=progress,
                       num_proc=num_proc)
    return LintResult(path, loaded.format, loaded.items, test_path, len(test or []), report)


def _renamed(item: GateItem, new_id: str) -> GateItem:
    from dataclasses import replace

    return replace(item, id=new_id)


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
        "source_sha256": _sha256(path),
        "format": loaded.format,
        "n_records": len(loaded.items),
    }
    from curate.cards import card_finalizer

    manifest = registry.write_version(examples, facts=sheet, generator_config=config, seed=0,
                                      extra_files=gate_files(report), gates_passed=report.passed,
                                      allow_failing=not report.passed,
                                      finalize=card_finalizer(registry, examples, sheet))
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()
