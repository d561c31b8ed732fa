"""SIGKILL at random moments never leaves half a version or a lost review: `curate verify` finds every
version complete after each kill. 50 kills in all: 20 during `generate`, 15 during `drill`, 15 during
`review pull` (against a real local Argilla)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_curate, write_eval_report

from curate.registry import Registry
from curate.verify import verify

KILLS_DURING_GENERATE = 20
KILLS_DURING_DRILL = 15
KILLS_DURING_PULL = 15
USER_FILES = {"versions", "registry.lock", "reviews", "evals"}


def _kill_after(args: list[str], home: Path, delay: float, env: dict[str, str] | None = None) -> int:
    env = {**os.environ, **(env or {}), "CURATE_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "curate", *args], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait()


@pytest.mark.slow
def test_kill_generate_anywhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    began = time.perf_counter()
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    full_run = time.perf_counter() - began
    rng = random.Random(20261124)
    killed = 0
    for _ in range(KILLS_DURING_GENERATE):
        code = _kill_after(["generate", "--tissue", "all"], home, rng.uniform(0.05, full_run * 1.2))
        killed += code == -signal.SIGKILL
        _assert_whole(home)
    assert killed >= KILLS_DURING_GENERATE // 2, "most runs must really be killed mid-way"
    # The next write clears whatever staging the killed runs left behind.
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    assert not any((home / ".staging").iterdir())
    assert verify(Registry(home)).ok


def _assert_whole(home: Path) -> None:
    report = verify(Registry(home))
    assert report.ok, report.problems
    assert not [p for p in home.iterdir() if not p.name.startswith(".") and p.name not in USER_FILES]


def _timed(args: list[str], home: Path, env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    done = run_curate(*args, home=home, env=env)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - began


@pytest.mark.slow
def test_kill_drill_anywhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    drill = ["drill", "--version", "v1", "--from-eval", str(write_eval_report(home, tmp_path))]
    full_run = _timed(drill, home)
    rng = random.Random(20261201)
    killed = 0
    for _ in range(KILLS_DURING_DRILL):
        killed += _kill_after(drill, home, rng.uniform(0.05, full_run * 1.2)) == -signal.SIGKILL
        _assert_whole(home)
    assert killed >= KILLS_DURING_DRILL // 2, "most runs must really be killed mid-way"
    versions = sorted((home / "versions").iterdir())
    assert all(json.loads((v / "manifest.json").read_text()).get("parent") in (None, "v1") for v in versions)
    assert _timed(drill, home) and not any((home / ".staging").iterdir())


@pytest.mark.slow
def test_kill_review_pull_anywhere(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    from _review_server import add_annotator, connection_env, dataset_id, my_records, respond, shared_server

    from curate.annotations.pull import load_reviews, partial_files

    server = shared_server(tmp_path_factory)
    env = connection_env(server)
    home = tmp_path / "home"
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    pushed = run_curate("review", "push", "v1", "--workspace", "crash", "--json", home=home, env=env)
    assert pushed.returncode == 0, pushed.stderr
    biologist = add_annotator(server, "bio-crash", "crash")
    records = sorted(my_records(biologist, dataset_id(server, "curate-review", "crash")).values(),
                     key=lambda r: r["external_id"])
    pull = ["review", "pull", "--workspace", "crash"]
    rng = random.Random(20261202)
    submitted: dict[str, str] = {}
    killed, full_run = 0, 0.0
    for number in range(KILLS_DURING_PULL):
        # New answers arrive between pulls, so each pull has something to write.
        for record in records[number * 3:(number + 1) * 3]:
            verdict = rng.choice(["correct", "wrong", "partly_correct"])
            respond(biologist, record, "submitted", verdict=verdict, confidence=3)
            submitted[record["external_id"]] = verdict
        full_run = full_run or _timed(pull, home, env)
        killed += _kill_after(pull, home, rng.uniform(0.05, full_run * 1.2), env) == -signal.SIGKILL
        _assert_whole(home)
    assert killed >= KILLS_DURING_PULL // 2, "most runs must really be killed mid-way"
    assert run_curate(*pull, home=home, env=env).returncode == 0
    reviews_dir = home / "reviews"
    assert not partial_files(reviews_dir) and not verify(Registry(home)).notes
    # Nothing submitted was lost, across all the kills.
    pulled = {r.example_id: r.verdict for r in load_reviews(reviews_dir) if r.status == "submitted"}
    assert pulled == submitted
