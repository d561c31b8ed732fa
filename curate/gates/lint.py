"""`curate lint`: the gates on a dataset curate did not make (registering it is `curate.importing`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.gates.readers import load_dataset
from curate.gates.run import Progress, run_gates

if TYPE_CHECKING:
    from curate.gates.items import GateItem
    from curate.gates.report import GateReport
    from curate.schemas import FactSheet


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
