"""`curate train grpo`: TRL's GRPOTrainer with the judge's composed reward, on the tiny model, a few steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_curate as _run_curate

ONE_THREAD = {"OMP_NUM_THREADS": "1"}
GENERATE = ("generate", "--tissue", "liver", "--kinds", "factual_qa,calibration", "--per-fact", "1",
            "--allow-failing", "--json")
FAST = ("--preset", "tiny", "--num-generations", "2", "--max-completion-length", "16")


def run_curate(*args: str, home: Path):
    return _run_curate(*args, home=home, env=ONE_THREAD)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(home, tiny base, run id of a short SFT fit on v1)."""
    home = tmp_path_factory.mktemp("grpo-home")
    assert run_curate(*GENERATE, home=home).returncode == 0
    base = home.parent / f"{home.name}-base"
    assert run_curate("train", "tiny-base", "--out", str(base), "--json", home=home).returncode == 0
    fit = run_curate("train", "fit", "--version", "v1", "--base-model", str(base), "--preset", "tiny",
                     "--max-steps", "20", "--json", home=home)
    assert fit.returncode == 0, fit.stderr
    return home, base, fit.json()["run_id"]


@pytest.mark.slow
def test_grpo_trains_a_fitted_adapter_on_the_judges_reward(fitted: tuple[Path, Path, str]) -> None:
    home, _, run_id = fitted
    result = run_curate("train", "grpo", "--version", "v1", "--from-run", run_id, *FAST, "--max-steps", "2",
                        "--json", home=home)
    assert result.returncode == 0, result.stderr
    record = result.json()
    assert record["stage"] == "grpo" and record["from_run"] == run_id and record["global_step"] == 2
    assert set(record["reward_weights"]) == {"factual", "direction", "consistency", "calibration"}
    assert -1.0 <= record["reward_last"] <= 1.0
    run_dir = home / "runs" / record["run_id"]
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    logged = json.loads((run_dir / "log.json").read_text())[-1]
    assert {"reward", "reward_std", "frac_reward_zero_std", "verifier/correct"} <= set(logged)
    assert any(key.startswith("verifier/factual") or key.startswith("verifier/calibration") for key in logged)
    config = json.loads((run_dir / "config.json").read_text())
    assert config["num_generations"] == 2 and config["beta"] == 0.0 and config["loss_type"] == "dapo"
    assert "grpo" in result.stderr


@pytest.mark.slow
def test_grpo_composes_the_rewards_it_is_given_and_resumes(fitted: tuple[Path, Path, str], tmp_path: Path) -> None:
    home, base, _ = fitted
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("save_steps: 1\nsave_total_limit: 5\nreward_weights: {factual: 2.0, calibration: 0.5}\n")
    work = tmp_path / "work"
    args = ("train", "grpo", "--version", "v1", "--base-model", str(base), *FAST, "--config", str(recipe),
            "--rewards", "factual,calibration", "--out", str(work), "--json")
    first = run_curate(*args, "--max-steps", "1", home=home)
    assert first.returncode == 0, first.stderr
    assert first.json()["reward_weights"] == {"factual": 2.0, "calibration": 0.5}
    assert first.json()["from_run"] is None, "a new adapter on the base"
    again = run_curate(*args, "--max-steps", "2", home=home)
    assert again.returncode == 2 and "--resume" in again.stderr
    resumed = run_curate(*args, "--max-steps", "2", "--resume", home=home)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.json()["resumed_from"] == "checkpoint-1" and resumed.json()["global_step"] == 2


def test_grpo_bad_input_is_one_line_and_writes_nothing(fitted: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, base, _ = fitted
    home = tmp_path / "home"
    assert run_curate(*GENERATE, home=home).returncode == 0
    unknown_field = tmp_path / "recipe.yaml"
    unknown_field.write_text("num_generation: 4\n")
    cases = {
        "no such reward": (("--base-model", str(base), "--rewards", "factual,accuracy"),
                           "reward 'accuracy' does not exist; the rewards are: factual, direction"),
        "no such run": (("--from-run", "nope"), "--from-run nope: no such run"),
        "reward weights": (("--base-model", str(base), "--config", str(unknown_field)), "field 'num_generation'"),
        "one generation": (("--base-model", str(base), "--num-generations", "1"), "field 'num_generations'"),
    }
    for name, (args, message) in cases.items():
        result = run_curate("train", "grpo", "--version", "v1", "--preset", "tiny", *args, home=home)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1, \
            (name, result.stderr)
    assert not (home / "runs").exists() and not (home / "work").exists()


@pytest.mark.slow
def test_cycle_with_a_grpo_stage_reports_both_stages(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_curate(*GENERATE, home=home).returncode == 0
    recipe = tmp_path / "grpo.yaml"
    recipe.write_text("max_steps: 2\nnum_generations: 2\nmax_completion_length: 16\n")
    cycle = run_curate("cycle", "--rounds", "1", "--epochs", "2", "--stage", "grpo", "--stage-config", str(recipe),
                       "--json", home=home)
    assert cycle.returncode == 0, cycle.stderr
    (state_file,) = (home / "cycles").glob("cycle-*/state.json")
    (record,) = json.loads(state_file.read_text())["rounds"]
    assert record["done"] == ["fit", "stage", "eval"] and record["stage"] == "grpo"
    assert record["stage_fit"]["global_step"] == 2
    assert set(record["stage_metrics"]) == {"sft", "grpo"}
    for metrics in record["stage_metrics"].values():
        assert -1 <= metrics["reward"] <= 1 and 0 <= metrics["accuracy"] <= 1 and metrics["ece"] is not None
        assert metrics["n_unanswerable"] > 0 and 0 <= metrics["decline_rate"] <= 1
    report = run_curate("report", "--json", home=home)
    assert report.returncode == 0, report.stderr
    stages = {row["stage"]: row for row in report.json()["stages"]}
    assert set(stages) == {"sft", "grpo"} and stages["grpo"]["reward"] == record["stage_metrics"]["grpo"]["reward"]
    printed = run_curate("report", home=home)
    assert "per stage" in printed.stdout and "grpo" in printed.stdout


def test_cycle_refuses_an_unknown_stage(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_curate("cycle", "--stage", "sft,ppo", home=home)
    assert result.returncode == 2 and "--stage 'sft,ppo': give one of sft, dpo, grpo" in result.stderr
    assert not (home / "cycles").exists()
