"""The closed loop end to end on the tiny model: fit, eval, auto review, drill, gates, version, fit again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_curate

pytest.importorskip("trl")
CYCLE = ["cycle", "--rounds", "2", "--epochs", "4", "--per-fact", "2"]


def _state(home: Path) -> dict:
    (path,) = (home / "cycles").glob("cycle-*/state.json")
    return json.loads(path.read_text())


def _test_ids(home: Path, version: str) -> list[str]:
    examples = (json.loads(line) for line in (home / "versions" / version / "examples.jsonl").read_text().splitlines())
    return sorted(e["id"] for e in examples if e["split"] == "test")


@pytest.mark.slow
def test_two_round_cycle_targets_failures_and_resumes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    made = run_curate("generate", "--tissue", "liver", "--kinds", "factual_qa,error_correction", home=home)
    assert made.returncode == 0, made.stderr

    # Interrupt the cycle once its first fit is under way, then resume it.
    env = {**os.environ, "CURATE_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "curate", *CYCLE], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not list((home / "cycles").glob("cycle-*/base/config.json")):
        time.sleep(0.5)
    time.sleep(2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not _state(home)["finished"]

    resumed = run_curate(*CYCLE, "--resume", "--json", home=home, timeout=1800)
    assert resumed.returncode == 0, resumed.stderr
    state = _state(home)
    assert state["finished"]
    first, second = sorted((r for r in state["rounds"] if r["arm"] == "drilled"), key=lambda r: r["round"])
    assert first["done"] == ["fit", "eval", "review", "drill"] and second["done"] == ["fit", "eval"]

    # Lineage v1 -> v2, and v2's new examples are about v1's failures.
    assert (first["version"], first["next_version"], second["version"]) == ("v1", "v2", "v2")
    manifest = json.loads((home / "versions" / "v2" / "manifest.json").read_text())
    assert manifest["parent"] == "v1" and manifest["gates_passed"] is True
    assert any(d.get("eval_id") == first["eval_id"] or first["eval_id"] in json.dumps(d) for d in manifest["drivers"])
    v1_ids = {json.loads(line)["id"] for line in (home / "versions/v1/examples.jsonl").read_text().splitlines()}
    new = [json.loads(line) for line in (home / "versions/v2/examples.jsonl").read_text().splitlines()
           if json.loads(line)["id"] not in v1_ids]
    assert new and all(e["split"] == "train" for e in new)
    failing = set(first["failing_facts"])
    assert all(set(e["fact_ids"]) & failing for e in new)
    # The held-out test split is the same in both versions: it is never drilled.
    assert _test_ids(home, "v1") == _test_ids(home, "v2")

    report = run_curate("report", "--json", "--out", str(tmp_path / "report"), home=home)
    assert report.returncode == 0, report.stderr
    rows = report.json()["rows"]
    assert [r["round"] for r in rows] == [1, 2] and all(0 <= r["accuracy"] <= 1 for r in rows)
    assert (tmp_path / "report" / "progression.png").stat().st_size > 1000
    assert list((tmp_path / "report").glob("reliability-*.png"))
    assert run_curate("verify", home=home).returncode == 0
