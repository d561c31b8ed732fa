"""The gate report: what every gate found, serialisable (gates.json in a version) and printable."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from curate.gates.coverage import CoverageReport
from curate.gates.dedup import DuplicateReport
from curate.gates.leakage import LeakageReport
from curate.schemas.findings import Finding

GATES_SCHEMA = "curate.gates/1"


def _e(value: object) -> Any:
    """Data shown as-is: no markup, no emoji codes."""
    from rich.text import Text

    return Text(str(value))

GATES_FILE = "gates.json"
COVERAGE_FILE = "coverage.png"
FINDINGS_KEPT = 5000  # findings listed in gates.json; the counts always cover all of them


@dataclass
class ClaimsReport:
    findings: list[Finding] = field(default_factory=list)
    n_checked: int = 0

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(f.type for f in self.findings).items()))

    @property
    def n_items_with_findings(self) -> int:
        return len({f.example_id for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "n_checked": self.n_checked,
            "n_findings": len(self.findings),
            "n_items_with_findings": self.n_items_with_findings,
            "by_type": self.by_type,
            "findings": [f.model_dump(mode="json") for f in self.findings[:FINDINGS_KEPT]],
            "truncated": max(0, len(self.findings) - FINDINGS_KEPT),
        }


@dataclass
class GateReport:
    claims: ClaimsReport
    duplicates: DuplicateReport
    leakage: LeakageReport
    coverage: CoverageReport | None
    n_items: int
    counts_by_split: dict[str, int]
    coverage_gates: bool = True  # False for `curate lint`: coverage is reported, not enforced
    seconds: dict[str, float] = field(default_factory=dict)
    stated: list[tuple[str, ...]] = field(default_factory=list, repr=False)  # per item: facts it states

    @property
    def gate_results(self) -> dict[str, bool]:
        results = {"claims": self.claims.passed, "duplicates": self.duplicates.passed, "leakage": self.leakage.passed}
        if self.coverage is not None and self.coverage_gates:
            results["coverage"] = self.coverage.passed
        return results

    @property
    def passed(self) -> bool:
        return all(self.gate_results.values())

    def summaries(self) -> dict[str, str]:
        claims, dup, leak = self.claims, self.duplicates, self.leakage
        kinds = ", ".join(f"{n} {t}" for t, n in claims.by_type.items())
        out = {
            "claims": (f"{claims.n_checked} answers checked, no false or unsupported claim" if claims.passed else
                       f"{len(claims.findings)} findings in {claims.n_items_with_findings} items ({kinds})"),
            "duplicates": ("no exact or near duplicate" if dup.passed else
                           f"{len(dup.exact_examples)} exact groups, {len(dup.conflicting)} prompts with conflicting "
                           f"answers, {len(dup.near_pairs)} near pairs (similarity >= {dup.threshold:g})"),
            "leakage": (f"{leak.n_test} test prompts, none close to a training prompt (similarity >= "
                        f"{leak.threshold:g})" if leak.passed else
                        f"{len(leak.pairs)} test-train pairs, {len(leak.template_collisions)} templates on both sides"),
        }
        if self.coverage is not None:
            cov = self.coverage
            stated = sum(1 for f in cov.facts if f.train_paraphrases or f.test_items)
            if cov.passed:
                out["coverage"] = (f"{len(cov.facts)} facts, each with >= {cov.min_train} training paraphrases and "
                                   f">= {cov.min_test} test item")
            elif self.coverage_gates:
                out["coverage"] = (f"{len(cov.failing)} of {len(cov.facts)} facts below {cov.min_train} training "
                                   f"paraphrases or {cov.min_test} test item")
            else:
                out["coverage"] = (f"{stated} of {len(cov.facts)} facts stated; {len(cov.facts) - len(cov.failing)} "
                                   f"with >= {cov.min_train} training paraphrases and >= {cov.min_test} test item")
        return out

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        """Deterministic unless `timings`: the same examples give a byte-identical gates.json."""
        summaries = self.summaries()
        gates: dict[str, Any] = {
            "claims": {**self.claims.to_dict(), "summary": summaries["claims"]},
            "duplicates": {**self.duplicates.to_dict(), "summary": summaries["duplicates"]},
            "leakage": {**self.leakage.to_dict(), "summary": summaries["leakage"]},
        }
        if self.coverage is not None:
            gates["coverage"] = {**self.coverage.to_dict(), "summary": summaries["coverage"],
                                 "enforced": self.coverage_gates}
        out = {
            "schema": GATES_SCHEMA,
            "passed": self.passed,
            "n_items": self.n_items,
            "counts_by_split": self.counts_by_split,
            "results": self.gate_results,
            "gates": gates,
        }
        if timings:
            out["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return out

    def to_json(self) -> bytes:
        return (json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def print_report(report: GateReport, console: Any, *, examples: int = 3, title: str = "quality gates") -> None:
    """A rich report: one line per gate, then findings by type with examples, duplicates, leakage, coverage.

    Everything printed from the data is escaped: fact ids such as `hub_gene:heart:Alb` would otherwise
    turn into emoji and brackets into markup."""
    from rich.table import Table

    summary = Table(title=title, title_justify="left")
    for column in ("gate", "result", "summary"):
        summary.add_column(column)
    summaries = report.summaries()
    for name, passed in report.gate_results.items():
        summary.add_row(name, "[green]pass[/green]" if passed else "[red]FAIL[/red]", _e(summaries[name]))
    if report.coverage is not None and not report.coverage_gates:
        summary.add_row("coverage", "[dim]info[/dim]", _e(summaries["coverage"]))
    console.print(summary)
    _print_findings(report, console, examples)
    _print_duplicates(report, console, examples)
    _print_leakage(report, console, examples)
    _print_coverage(report, console, examples)


def _print_findings(report: GateReport, console: Any, examples: int) -> None:
    from rich.table import Table

    if not report.claims.findings:
        return
    table = Table(title="claim findings by type (examples)", title_justify="left", show_lines=False)
    for column in ("type", "n", "item", "claim", "facts say"):
        table.add_column(column, overflow="fold")
    by_type: dict[str, list[Finding]] = {}
    for finding in report.claims.findings:
        by_type.setdefault(finding.type, []).append(finding)
    for kind, found in sorted(by_type.items()):
        for index, finding in enumerate(found[:examples]):
            table.add_row(_e(kind if index == 0 else ""), _e(len(found) if index == 0 else ""), _e(finding.example_id),
                          _e(finding.text.strip()[:80]), _e((finding.expected or "")[:100]))
    console.print(table)


def _print_duplicates(report: GateReport, console: Any, examples: int) -> None:
    from rich.table import Table

    dup = report.duplicates
    if dup.passed:
        return
    table = Table(title="duplicate groups (examples)", title_justify="left")
    for column in ("kind", "items", "similarity", "prompt"):
        table.add_column(column, overflow="fold")
    for group in dup.exact_examples[:examples]:
        table.add_row("exact", _e(", ".join(group[:6]) + (" ..." if len(group) > 6 else "")), "100", "")
    for group in dup.conflicting[:examples]:
        table.add_row("same prompt, other answer", _e(", ".join(group[:6])), "100", "")
    for pair in dup.near_pairs[:examples]:
        texts = f"{pair.text_a[:70]} | {pair.text_b[:70]}"
        table.add_row("near", _e(f"{pair.a}, {pair.b}"), f"{pair.similarity:.1f}", _e(texts))
    console.print(table)


def _print_leakage(report: GateReport, console: Any, examples: int) -> None:
    from rich.table import Table

    leak = report.leakage
    if leak.passed:
        return
    table = Table(title="leakage: test prompts with a copy in training", title_justify="left")
    for column in ("test item", "train item", "similarity", "test prompt", "train prompt"):
        table.add_column(column, overflow="fold")
    for pair in leak.pairs[:max(examples, 10)]:
        table.add_row(_e(pair.a), _e(pair.b), f"{pair.similarity:.1f}", _e(pair.text_a[:70]), _e(pair.text_b[:70]))
    console.print(table)
    if leak.template_collisions:
        console.print(_e("templates used in both test and train: " + ", ".join(sorted(leak.template_collisions))))


def _print_coverage(report: GateReport, console: Any, examples: int) -> None:
    from rich.table import Table

    cov = report.coverage
    if cov is None or not cov.failing or not report.coverage_gates:
        return
    table = Table(title=f"coverage: facts below {cov.min_train} train paraphrases or {cov.min_test} test item",
                  title_justify="left")
    for column in ("fact", "train paraphrases", "test items"):
        table.add_column(column)
    for fact in cov.failing[:max(examples, 10)]:
        table.add_row(_e(fact.fact_id), str(fact.train_paraphrases), str(fact.test_items))
    if len(cov.failing) > max(examples, 10):
        table.add_row(f"... {len(cov.failing) - max(examples, 10)} more", "", "")
    console.print(table)
