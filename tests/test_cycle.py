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
CYCLE = ["cycle", "--rounds", "2", "--epochs", "4", "--per-fact", "2", "--control", "--threads", "1", "--warm-start",
         "--warm-epochs", "2"]


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

    # Interrupt the cycle once its first fit has saved a checkpoint, then resume it: the fit goes on from there.
    env = {**os.environ, "CURATE_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "curate", *CYCLE], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not list(home.glob("work/fit-*/checkpoint-*/trainer_state.json")):
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not _state(home)["finished"]

    resumed = run_curate(*CYCLE, "--resume", "--json", home=home, timeout=1800)
    assert resumed.returncode == 0, resumed.stderr
    state = _state(home)
    assert state["finished"]
    first, second = sorted((r for r in state["rounds"] if r["arm"] == "drilled"), key=lambda r: r["round"])
    assert first["done"] == ["fit", "eval", "review", "drill"] and second["done"] == ["fit", "eval"]
    first_run = json.loads((home / "runs" / first["run_id"] / "run.json").read_text())
    assert first_run["resumed_from"] and first_run["resumed_from"].startswith("checkpoint-")
    # --warm-start: round 2 of both arms went on training round 1's adapter, for --warm-epochs
    control_second = next(r for r in state["rounds"] if (r["arm"], r["round"]) == ("control", 2))
    assert second["init_run"] == control_second["init_run"] == first["run_id"]
    run = json.loads((home / "runs" / second["run_id"] / "run.json").read_text())
    assert run["init_adapter"].endswith(f"{first['run_id']}/adapter") and run["epochs"] == 2

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

    # The control arm added as many paraphrases, corrections and tokens as the drilled arm, about random facts.
    control = next(r for r in state["rounds"] if (r["arm"], r["round"]) == ("control", 1))
    assert control["added_by_kind"] == first["added_by_kind"] and control["added_tokens"] == first["added_tokens"]
    assert sum(first["added_by_kind"].values()) == first["added"] > 0 and first["added_tokens"] > first["added"]
    assert _test_ids(home, control["next_version"]) == _test_ids(home, "v1")

    report = run_curate("report", "--json", "--out", str(tmp_path / "report"), home=home)
    assert report.returncode == 0, report.stderr
    result = report.json()
    rows = result["rows"]
    assert [(r["arm"], r["round"]) for r in rows] == [("drilled", 1), ("drilled", 2), ("control", 1), ("control", 2)]
    assert all(0 <= r["accuracy"] <= 1 for r in rows)
    assert result["budgets"] == [{"seed": 0, "round": 1, "equal": True, "drilled": [first["added_by_kind"],
                                  first["added_tokens"]], "control": [first["added_by_kind"], first["added_tokens"]]}]
    second_round = result["effects"][1]
    assert second_round["round"] == 2 and second_round["n_items"] == len(_test_ids(home, "v1"))
    assert 0 <= second_round["mcnemar"]["p_value"] <= 1 and 0 <= second_round["sign_flip"]["p_value"] <= 1
    low, high = second_round["difference"]["bootstrap_95"]
    assert low <= second_round["difference"]["drilled_minus_control"] <= high
    drilled_groups = second_round["arms"]["drilled"]["by_drilled_facts"]
    assert drilled_groups["drilled"]["answers"] > 0  # round 2 asks about facts round 1 drilled
    assert (tmp_path / "report" / "progression.png").stat().st_size > 1000
    assert list((tmp_path / "report").glob("reliability-*.png"))
    assert run_curate("verify", home=home).returncode == 0

    # The exported data alone recompute the same statistics.
    again = run_curate("report", "--json", "--from", str(tmp_path / "report"), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert again.json()["effects"] == result["effects"]
    assert len(list((tmp_path / "report" / "data" / "evals").glob("*.json"))) == 3  # round 1 is shared

    # An ablation reuses round 1: same model, so no new round-1 fit; only the drill and round 2 are new.
    source_id = state["cycle_id"]
    cycles_before = sorted(p.name for p in (home / "cycles").iterdir())
    three_epochs = [("3" if a == "4" else a) for a in CYCLE]
    for args, expected in (([*CYCLE, "--round1-from", "cycle-nope"], "no such cycle"),
                           ([*three_epochs, "--round1-from", source_id], "its epochs is")):
        refused = run_curate(*args, home=home)
        assert refused.returncode == 2 and expected in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in (home / "cycles").iterdir()) == cycles_before  # nothing written
    runs_before = set(p.name for p in (home / "runs").iterdir())
    drilled_only = [a for a in CYCLE if a != "--control"]
    ablation = run_curate(*drilled_only, "--drill", "corrections", "--round1-from", source_id, "--json", home=home,
                          timeout=1800)
    assert ablation.returncode == 0, ablation.stderr
    new_id = ablation.json()["cycle_id"]
    reused = json.loads((home / "cycles" / new_id / "state.json").read_text())
    again_first = next(r for r in reused["rounds"] if (r["arm"], r["round"]) == ("drilled", 1))
    assert again_first["run_id"] == first["run_id"] and again_first["eval_id"] == first["eval_id"]
    assert set(again_first["added_by_kind"]) == {"correction"}  # the ablation's own drill
    new_runs = set(p.name for p in (home / "runs").iterdir()) - runs_before
    assert len(new_runs) == 1  # round 2; round 1 was not fitted again
