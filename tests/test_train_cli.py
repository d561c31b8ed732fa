"""`curate train` and `curate eval` end to end, as real subprocesses against a throwaway home."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from conftest import run_curate as _run_curate

ONE_THREAD = {"OMP_NUM_THREADS": "1"}  # two spinning OpenMP threads are several times slower on a busy machine


def run_curate(*args: str, home: Path) -> object:
    return _run_curate(*args, home=home, env=ONE_THREAD)


GENERATE = ("generate", "--tissue", "heart", "--kinds", "factual_qa,calibration", "--per-fact", "1",
            "--allow-failing", "--json")  # a small version: the coverage gate would refuse it
EVAL_FAST = ("--batch-size", "64", "--max-new-tokens", "64", "--json")


@pytest.fixture(scope="module")
def home_with_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A home with v1 (heart facts and unanswerable questions), and a tiny base trained on its text."""
    home = tmp_path_factory.mktemp("train-home")
    generated = run_curate(*GENERATE, home=home)
    assert generated.returncode == 0, generated.stderr
    base = home.parent / f"{home.name}-base"
    built = run_curate("train", "tiny-base", "--out", str(base), "--json", home=home)
    assert built.returncode == 0, built.stderr
    assert built.json()["version"] == "v1"
    return home, base


@pytest.mark.slow
def test_fit_then_eval_beats_the_untrained_model(home_with_base: tuple[Path, Path], tmp_path: Path) -> None:
    home, base = home_with_base
    recipe = tmp_path / "recipe.yaml"  # 46 examples: smaller batches give the tiny preset enough steps
    recipe.write_text("per_device_train_batch_size: 8\nnum_train_epochs: 40\n")
    fitted = run_curate("train", "fit", "--version", "v1", "--base-model", str(base), "--preset", "tiny",
                        "--config", str(recipe), "--json", home=home)
    assert fitted.returncode == 0, fitted.stderr
    record = fitted.json()
    run_dir = home / "runs" / record["run_id"]
    assert Path(record["path"]) == run_dir
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    manifest = json.loads((home / "versions" / "v1" / "manifest.json").read_text())
    assert json.loads((run_dir / "run.json").read_text())["data_content_hash"] == manifest["content_hash"]
    assert not Path(record["work_dir"]).exists(), "checkpoints are dropped once the run is published"
    assert "fit" in fitted.stderr  # the progress bar goes to stderr, stdout stays JSON

    trained = run_curate("train", "eval", "--version", "v1", "--adapter", record["run_id"], "--split", "train",
                         *EVAL_FAST, home=home)
    assert trained.returncode == 0, trained.stderr
    untrained = run_curate("train", "eval", "--version", "v1", "--base-model", str(base), "--split", "train",
                           *EVAL_FAST, home=home)
    assert untrained.returncode == 0, untrained.stderr
    after, before = trained.json(), untrained.json()
    assert after["run_id"] == record["run_id"] and before["run_id"] is None
    assert after["accuracy"] >= 0.8 and before["accuracy"] <= 0.2, (after["accuracy"], before["accuracy"])
    assert json.loads((run_dir / "config.json").read_text())["per_device_train_batch_size"] == 8
    assert set(after["accuracy_by_kind"]) == {"factual_qa", "calibration"}
    for summary in (after, before):
        folder = Path(summary["path"])
        assert folder.parent == home / "evals"
        assert (folder / "reliability.png").read_bytes()[:4] == b"\x89PNG"
        report = json.loads((folder / "report.json").read_text())
        assert report["n_items"] == 46 and report["split"] == "train"
        assert report["ece"] is not None and report["brier"] is not None
        failures = [item for item in report["items"] if not item["correct"]]
        assert len(failures) == report["n_items"] - report["n_correct"]
        assert all(item["findings"] for item in failures), "every failure keeps its findings"
        assert all(0 <= item["confidence"] <= 1 for item in report["items"])


@pytest.mark.slow
def test_resume_continues_a_killed_fit_from_its_checkpoint(home_with_base: tuple[Path, Path], tmp_path: Path) -> None:
    home, base = home_with_base
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("save_steps: 10\nsave_total_limit: 10\nnum_train_epochs: 10\n")
    work = tmp_path / "work"
    command = [sys.executable, "-m", "curate", "train", "fit", "--version", "v1", "--base-model", str(base),
               "--preset", "tiny", "--config", str(recipe), "--out", str(work), "--json"]
    env = {**os.environ, **ONE_THREAD, "CURATE_HOME": str(home)}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while not (work / "checkpoint-10" / "trainer_state.json").is_file():
            assert process.poll() is None, process.communicate()[1].decode()[-2000:]
            assert time.monotonic() < deadline, "no checkpoint within 300 s"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    complete = [p for p in work.glob("checkpoint-*") if (p / "trainer_state.json").is_file()]
    steps_done = max(int(p.name.split("-")[1]) for p in complete)
    assert steps_done < 30, "killed before the end (30 steps)"

    refused = run_curate(*command[3:], home=home)
    assert refused.returncode == 2 and "--resume" in refused.stderr

    resumed = run_curate(*command[3:], "--resume", home=home)
    assert resumed.returncode == 0, resumed.stderr
    record = resumed.json()
    assert record["resumed_from"] == f"checkpoint-{steps_done}"
    assert record["global_step"] == 30
    run_dir = home / "runs" / record["run_id"]
    history = json.loads((run_dir / "log.json").read_text())
    logged_steps = [entry["step"] for entry in history if "loss" in entry]
    assert logged_steps == sorted(logged_steps) and logged_steps[-1] == 30
    assert 0 < record["session_tokens"] < record["tokens"], "the resumed session trained only the remaining steps"
    assert work.is_dir(), "a folder given with --out is kept"


def test_fit_refuses_bad_input_with_one_line(home_with_base: tuple[Path, Path], tmp_path: Path) -> None:
    home, base = home_with_base
    cases = [
        (["--version", "v9", "--base-model", str(base)], "v9"),
        (["--version", "v1", "--base-model", str(tmp_path / "nowhere")], "config.json"),
        (["--version", "v1", "--base-model", str(base), "--preset", "huge"], "--preset"),
        (["--version", "v1", "--base-model", str(base), "--resume", "--out", str(tmp_path / "empty")], "--resume"),
    ]
    for args, named in cases:
        result = run_curate("train", "fit", *args, home=home)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and named in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    bad_recipe = tmp_path / "bad.yaml"
    bad_recipe.write_text("lora_r: -3\n")
    result = run_curate("train", "fit", "--version", "v1", "--base-model", str(base), "--config", str(bad_recipe),
                        home=home)
    assert result.returncode == 2 and "lora_r" in result.stderr
    result = run_curate("train", "eval", "--version", "v1", "--adapter", str(tmp_path), home=home)
    assert result.returncode == 2 and "adapter_config.json" in result.stderr


def test_eval_score_judges_foreign_answers(tmp_path: Path) -> None:
    rows = [
        {"question": "How many DEGs does HU cause in liver?", "answer": "HU causes 4,110 DEGs in liver.",
         "expected": "Hindlimb unloading (HU) causes 4,110 DEGs in liver.", "fact_ids": ["deg_count:liver:HU"]},
        {"question": "How many DEGs does HU cause in liver?", "answer": "HU causes 4,110 DEGs in hippocampus.",
         "expected": "Hindlimb unloading (HU) causes 4,110 DEGs in liver.", "fact_ids": ["deg_count:liver:HU"]},
        {"question": "What does KMP do to OXPHOS in heart?", "answer": "KMP does not rescue OXPHOS in heart.",
         "fact_ids": ["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"]},
        {"question": "How many genes does HU change in soleus?", "answer": "6,425 genes change in soleus under HU."},
        {"question": "How many genes would metformin change in liver?", "answer": "Metformin changes 50 genes.",
         "answerable": False},
    ]
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    result = run_curate("eval", "score", str(answers), "--facts", "kmp-study", "--json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    summary = result.json()
    report = json.loads((Path(summary["path"]) / "report.json").read_text())
    assert [item["correct"] for item in report["items"]] == [True, False, False, True, False]
    assert summary["accuracy"] == 0.4 and summary["split"] == "imported"
    assert report["ece"] is None, "no confidences were given, so none is made up"
    assert report["config"]["claim_check"] is True, "the quality gates' claim check is wired in"
    assert report["items"][0]["verdicts"]["claims"] is True

    listed = tmp_path / "answers.json"
    listed.write_text(json.dumps(rows[:1]))
    assert run_curate("eval", "score", str(listed), "--facts", "kmp-study", "--json",
                      home=tmp_path / "home").json()["accuracy"] == 1.0
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"question": "q", "answer": "a"}\n{"question": 3}\n')
    failed = run_curate("eval", "score", str(broken), "--facts", "kmp-study", home=tmp_path / "home")
    assert failed.returncode == 2 and "row 2" in failed.stderr
    unknown = run_curate("eval", "score", str(answers), "--facts", "no-such-sheet", home=tmp_path / "home")
    assert unknown.returncode == 2 and "no-such-sheet" in unknown.stderr
