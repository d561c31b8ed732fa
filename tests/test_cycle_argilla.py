"""`curate cycle --reviewer argilla` against a real local Argilla.

A biologist's verdicts, submitted through the API the web UI uses, decide what the next round
drills: an answer the scorer failed but the biologist judged correct is not drilled. Argilla is
stopped and restarted while the round waits for reviews; the round waits the outage out, and
nothing is duplicated or lost (counted).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from _review_server import (
    add_annotator,
    dataset_id,
    my_records,
    owner_client,
    respond,
    restart_server,
    shared_server,
)
from conftest import REPO, read_examples, run_curate

pytest.importorskip("trl")
WORKSPACE = "cycle"
POLL_SECONDS = 5  # curate.cycle_review.REVIEW_POLL_SECONDS


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shared_server(tmp_path_factory)


def _round(home: Path, number: int) -> dict[str, Any]:
    (path,) = (home / "cycles").glob("cycle-*/state.json")
    rounds = json.loads(path.read_text())["rounds"]
    return next((r for r in rounds if r["round"] == number and r["arm"] == "drilled"), {})


def _wait_for_push(home: Path, cycle: subprocess.Popen[str], timeout: float = 900) -> str:
    """The review dataset of round 1, once the cycle has pushed the round's failures."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert cycle.poll() is None, f"the cycle ended before it pushed anything: {cycle.communicate()[1]}"
        if list((home / "cycles").glob("cycle-*/state.json")) and _round(home, 1).get("review_dataset"):
            return str(_round(home, 1)["review_dataset"])
        time.sleep(0.5)
    raise AssertionError("the cycle pushed nothing to review in time")


@pytest.mark.slow
def test_argilla_round_drills_what_the_biologist_judged_wrong(tmp_path: Path, server: dict[str, Any]) -> None:
    home = tmp_path / "home"
    made = run_curate("generate", "--tissue", "liver", "--kinds", "factual_qa,error_correction", home=home)
    assert made.returncode == 0, made.stderr
    # The connection is the home's stored one (`review login`), not the environment: the cycle finds it alone.
    logged = run_curate("review", "login", server["api_url"], "--api-key", server["api_key"], "--json", home=home,
                        env={"ARGILLA_API_URL": "", "ARGILLA_API_KEY": ""})
    assert logged.returncode == 0, logged.stderr
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARGILLA_")}
    env["CURATE_HOME"] = str(home)
    command = [sys.executable, "-m", "curate", "cycle", "--rounds", "2", "--epochs", "4", "--per-fact", "2",
               "--reviewer", "argilla", "--workspace", WORKSPACE, "--review-timeout", "900", "--json"]
    cycle = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        dataset = _wait_for_push(home, cycle)
        biologist = add_annotator(server, "bio-cycle", WORKSPACE)
        records = sorted(my_records(biologist, dataset_id(server, dataset, WORKSPACE)).values(),
                         key=lambda r: r["external_id"])
        assert len(records) >= 3, "round 1 should fail enough answers to review"
        # The first answer the scorer failed is judged correct; the rest wrong, half before an outage.
        verdicts = {records[0]["external_id"]: "correct"} | {r["external_id"]: "wrong" for r in records[1:]}
        half = len(records) // 2
        for record in records[:half]:
            _judge(biologist, record, verdicts[record["external_id"]])
        restart_server(down_for=2 * POLL_SECONDS + 1)  # longer than two of the cycle's polls
        biologist = add_annotator(server, "bio-cycle", WORKSPACE)  # a fresh token after the restart
        for record in records[half:]:
            _judge(biologist, record, verdicts[record["external_id"]])
        out, err = cycle.communicate(timeout=1200)
    finally:
        cycle.kill()
    assert cycle.returncode == 0, err

    first, second = _round(home, 1), _round(home, 2)
    reviews = first["reviews"]
    assert reviews["pushed"] == len(records) == first["scorer_failures"]
    assert reviews["verdicts"] == {"correct": 1, "wrong": len(records) - 1}
    assert reviews["outages_waited_out"] >= 1
    judged_wrong = [r for r in records if verdicts[r["external_id"]] == "wrong"]
    assert first["n_failures"] == len(judged_wrong)
    assert first["failing_facts"] == sorted({f for r in judged_wrong for f in r["metadata"]["fact_ids"]})

    # v2 is drilled from the biologist's verdicts, and only about what they judged wrong.
    assert (first["next_version"], second["version"]) == ("v2", "v2") and second["done"] == ["fit", "eval"]
    manifest = json.loads((home / "versions/v2/manifest.json").read_text())
    review_drivers = [d for d in manifest["drivers"] if d["type"] == "review"]
    assert {d["example_id"] for d in review_drivers} == {r["external_id"] for r in judged_wrong}
    assert all(d["dataset"] == dataset for d in review_drivers) and manifest["gates_passed"]
    old = {e["id"] for e in read_examples(home, "v1")}
    new = [e for e in read_examples(home, "v2") if e["id"] not in old]
    assert new and all(set(e["fact_ids"]) & set(first["failing_facts"]) for e in new)

    # Counted across the outage: every record once, every submitted verdict pulled.
    on_server = list(owner_client(server).datasets(name=dataset, workspace=WORKSPACE).records)
    assert len(on_server) == len(records) == len({r.id for r in on_server})
    from curate.annotations.pull import load_reviews

    pulled = [r for r in load_reviews(home / "reviews") if r.dataset == dataset and r.status == "submitted"]
    assert {r.example_id: r.verdict for r in pulled} == verdicts and len(pulled) == len(records)
    assert json.loads(out)["rows"] and run_curate("verify", home=home).returncode == 0
    events = " ".join(err.split())
    assert f"of {len(records)} answers in {dataset} reviewed" in events and "unreachable; waiting" in events


def _judge(biologist: Any, record: dict[str, Any], verdict: str) -> None:
    if verdict == "correct":
        respond(biologist, record, "submitted", verdict="correct", confidence=4)
    else:
        respond(biologist, record, "submitted", verdict="wrong", error_types=["wrong_number"], confidence=4)
