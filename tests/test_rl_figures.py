"""The README's DPO/GRPO measurement is the committed results file's, and its summary is its runs'."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

from conftest import REPO

RESULTS = REPO / "docs" / "rl-measure" / "results.json"


def _rl_measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rl_measure", REPO / "bench" / "rl_measure.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_summary_is_recomputed_from_the_runs() -> None:
    results = json.loads(RESULTS.read_text())
    assert _rl_measure().summarise(results["runs"]) == results["summary"]
    assert {arm: row["n_seeds"] for arm, row in results["summary"].items()} == {
        "round1": 3, "sft": 3, "dpo": 3, "grpo": 3}


def test_readme_and_train_docs_show_the_committed_table() -> None:
    table = _rl_measure().markdown_table(json.loads(RESULTS.read_text())["summary"])
    for page in (REPO / "README.md", REPO / "docs" / "train.md"):
        assert table in page.read_text(), f"{page.name}: the DPO/GRPO table is not the committed results'"
