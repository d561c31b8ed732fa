"""Run every gate on a set of examples and return one `GateReport`."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from curate.gates.coverage import measure_coverage
from curate.gates.dedup import LEAK_THRESHOLD, NEAR_THRESHOLD, Prompts, find_duplicates
from curate.gates.items import GateItem, as_items
from curate.gates.leakage import TRAIN_SIDE, find_leakage
from curate.gates.parallel import check_items_parallel, check_num_proc
from curate.gates.report import ClaimsReport, GateReport
from curate.judge import lexicon

if TYPE_CHECKING:
    from curate.schemas import Example, FactSheet

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def run_gates(
    examples: Sequence[Example | GateItem],
    sheet: FactSheet,
    *,
    tissues: Sequence[str] | None = None,
    test_items: Sequence[Example | GateItem] | None = None,
    coverage: bool = True,
    enforce_coverage: bool = True,
    near_threshold: float = NEAR_THRESHOLD,
    leak_threshold: float = LEAK_THRESHOLD,
    progress: Progress | None = None,
    num_proc: int = 1,
) -> GateReport:
    """Claim check, duplicates, leakage and coverage.

    `num_proc` > 1 runs the claim check (most of the time) over a process pool of shards; the
    report is identical to one process's (curate.gates.parallel).

    `test_items` (`curate lint --test`) are a separate test set: they join the test side of the
    leakage check, and the dataset's own items all count as training. `tissues` limits coverage to
    the facts of those tissues. With `enforce_coverage=False` coverage is measured and reported but
    does not fail the report.
    """
    collecting = gc.isenabled()
    gc.disable()  # the gates allocate millions of small acyclic objects: collecting them costs ~10%
    try:
        return _run(examples, sheet, tissues=tissues, test_items=test_items, coverage=coverage,
                    enforce_coverage=enforce_coverage, near_threshold=near_threshold,
                    leak_threshold=leak_threshold, progress=progress, num_proc=check_num_proc(num_proc))
    finally:
        if collecting:
            gc.enable()


def _run(examples: Sequence[Example | GateItem], sheet: FactSheet, *, tissues: Sequence[str] | None,
         test_items: Sequence[Example | GateItem] | None, coverage: bool, enforce_coverage: bool,
         near_threshold: float, leak_threshold: float, progress: Progress | None, num_proc: int) -> GateReport:
    items = as_items(examples)
    extra = as_items(test_items or [])
    everything = items + extra
    seconds: dict[str, float] = {}
    notify = progress or (lambda stage, done, total: None)

    began = time.perf_counter()
    notify("claims", 0, len(everything))
    findings, stated = check_items_parallel(everything, sheet, num_proc=num_proc,
                                            progress=lambda done: notify("claims", done, len(everything)))
    claims = ClaimsReport(findings=findings, n_checked=len(everything))
    seconds["claims"] = time.perf_counter() - began

    began = time.perf_counter()
    notify("duplicates", 0, len(everything))
    prompts = Prompts(everything, lexicon(sheet))
    duplicates = find_duplicates(prompts, threshold=near_threshold)
    seconds["duplicates"] = time.perf_counter() - began

    began = time.perf_counter()
    notify("leakage", 0, len(everything))
    if extra:
        test = [len(items) + i for i in range(len(extra))] + [i for i, it in enumerate(items) if it.split == "test"]
        train = [i for i, it in enumerate(items) if it.split != "test"]
        leakage = find_leakage(prompts, test_indices=test, train_indices=train, threshold=leak_threshold)
    else:
        leakage = find_leakage(prompts, threshold=leak_threshold)
    seconds["leakage"] = time.perf_counter() - began

    report_coverage = None
    if coverage:
        began = time.perf_counter()
        notify("coverage", 0, len(everything))
        split_view = everything if not extra else [
            _as_split(it, "test") for it in extra] + [_as_split(it, "train" if it.split in TRAIN_SIDE else it.split)
                                                     for it in items]
        stated_view = stated if not extra else stated[len(items):] + stated[:len(items)]
        report_coverage = measure_coverage(Prompts(split_view, None) if extra else prompts, sheet, tissues=tissues,
                                           stated=stated_view)
        seconds["coverage"] = time.perf_counter() - began
    notify("done", len(everything), len(everything))
    return GateReport(
        claims=claims,
        duplicates=duplicates,
        leakage=leakage,
        coverage=report_coverage,
        n_items=len(everything),
        counts_by_split=dict(sorted(Counter(it.split for it in everything).items())),
        coverage_gates=enforce_coverage,
        seconds=seconds,
        stated=stated,
    )


def _as_split(item: GateItem, split: str) -> GateItem:
    from dataclasses import replace

    return item if item.split == split else replace(item, split=split)


def gate_files(report: GateReport, *, title: str = "") -> dict[str, bytes]:
    """The files a version keeps: gates.json, and the coverage heatmap when coverage was measured."""
    from curate.gates.coverage import heatmap_png
    from curate.gates.report import COVERAGE_FILE, GATES_FILE

    files = {GATES_FILE: report.to_json()}
    if report.coverage is not None and report.coverage.facts:
        files[COVERAGE_FILE] = heatmap_png(report.coverage, title=title)
    return files


def failure_message(report: GateReport) -> str:
    """One line for GateFailedError."""
    failed = [name for name, passed in report.gate_results.items() if not passed]
    summaries = report.summaries()
    return "quality gates failed: " + "; ".join(f"{name}: {summaries[name]}" for name in failed) + \
        " (use --allow-failing to write the version anyway)"


def enforce(report: GateReport, *, allow_failing: bool) -> None:
    """Refuse a failing report: raise GateFailedError (exit 1) carrying the report, which the CLI prints
    (the table on stdout, or inside --json) beside the one-line error on stderr."""
    if report.passed or allow_failing:
        return
    from curate.schemas.errors import GateFailedError

    raise GateFailedError(failure_message(report), report=report)
