"""The README's drilling result is the committed report's, and the committed data recompute the report."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_curate

EXPERIMENT = REPO / "docs" / "experiment"


def _interval(bounds: list[float]) -> str:
    return f"[{bounds[0]:.3f}, {bounds[1]:.3f}]"


def effect_row(effect: dict) -> str:
    """A round of the report as the README's table writes it."""
    arms, difference, mcnemar = effect["arms"], effect["difference"], effect["mcnemar"]
    drilled, control = arms["drilled"], arms["control"]
    return (f"| {effect['round']} | {len(drilled['per_seed'])} x {effect['n_items']} | "
            f"{drilled['accuracy']:.3f} {_interval(drilled['bootstrap_95'])} | "
            f"{control['accuracy']:.3f} {_interval(control['bootstrap_95'])} | "
            f"{difference['drilled_minus_control']:+.3f} {_interval(difference['bootstrap_95'])} | "
            f"{mcnemar['drilled_only_right']} / {mcnemar['control_only_right']}, p = {mcnemar['p_value']:.2g} | "
            f"{effect['sign_flip']['p_value']:.2g} |")


def test_readme_table_is_the_committed_report() -> None:
    report = json.loads((EXPERIMENT / "report.json").read_text())
    readme = (REPO / "README.md").read_text()
    assert len(report["effects"]) == 3 and all(len(e["arms"]["drilled"]["per_seed"]) == 5 for e in report["effects"])
    for effect in report["effects"]:
        assert effect_row(effect) in readme, f"README's row for round {effect['round']} is not the report's"
    assert all(budget["equal"] for budget in report["budgets"]) and len(report["budgets"]) == 10


def test_committed_data_recompute_the_report(tmp_path: Path) -> None:
    committed = json.loads((EXPERIMENT / "report.json").read_text())
    again = run_curate("report", "--json", "--from", str(EXPERIMENT), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    result = again.json()
    assert result["effects"] == committed["effects"] and result["budgets"] == committed["budgets"]
    assert (tmp_path / "again" / "progression.png").stat().st_size > 1000
