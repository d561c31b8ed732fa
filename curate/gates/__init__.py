"""Quality gates: claim check, exact and near duplicates, leakage, coverage. One module per gate.

    from curate.gates import run_gates
    report = run_gates(examples, sheet)       # GateReport; report.to_json() is gates.json

The claim check itself is `curate.judge` (check_text, check_items, read_claims).

Rules and thresholds: docs/gates.md.
"""

from curate.gates.dedup import LEAK_THRESHOLD, NEAR_THRESHOLD
from curate.gates.items import GateItem, as_items
from curate.gates.report import COVERAGE_FILE, GATES_FILE, GateReport, print_report
from curate.gates.run import failure_message, gate_files, run_gates

__all__ = [
    "COVERAGE_FILE",
    "GATES_FILE",
    "LEAK_THRESHOLD",
    "NEAR_THRESHOLD",
    "GateItem",
    "GateReport",
    "as_items",
    "failure_message",
    "gate_files",
    "print_report",
    "run_gates",
]
