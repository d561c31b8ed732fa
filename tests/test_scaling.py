"""Scale-out: the vLLM eval backend's missing extra, parallel gates, and a real 2-rank DDP fit (gloo, CPU)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import run_curate

ONE_THREAD = {"OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def heart_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1: the heart's factual questions, one phrasing per fact (24 train, 24 test)."""
    home = tmp_path_factory.mktemp("scaling-home")
    done = run_curate("generate", "--tissue", "heart", "--kinds", "factual_qa", "--per-fact", "1",
                      "--allow-failing", "--json", home=home)
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed here")
def test_vllm_backend_without_vllm_names_the_extra(heart_home: Path, tmp_path: Path) -> None:
    done = run_curate("train", "eval", "--version", "v1", "--base-model", str(tmp_path), "--backend", "vllm",
                      home=heart_home)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'curate[vllm]'" in lines[0], done.stderr
    assert not (heart_home / "evals").exists() or not any((heart_home / "evals").iterdir())


def test_unknown_backend_is_refused(heart_home: Path, tmp_path: Path) -> None:
    done = run_curate("train", "eval", "--version", "v1", "--base-model", str(tmp_path), "--backend", "onnx",
                      home=heart_home)
    assert done.returncode == 2 and "'onnx' is not one of 'transformers', 'vllm'" in done.stderr


def test_parallel_gates_give_the_same_report() -> None:
    from curate.gates import as_items, run_gates
    from curate.generators import generate_examples
    from curate.generators.embedded import load_default_factsheet
    from curate.schemas import EXAMPLE_KINDS

    sheet = load_default_factsheet()
    examples = generate_examples(sheet, tissues=sheet.tissues, kinds=EXAMPLE_KINDS, seed=0, per_fact=3)
    items = as_items(examples)
    # a wrong number in one answer, and a copy of another item: the claim and duplicate gates must find them
    wrong = next(i for i in items if any(ch.isdigit() for ch in i.output))
    digit = next(ch for ch in wrong.output if ch.isdigit())
    items.append(type(wrong)(**{**{f: getattr(wrong, f) for f in wrong.__slots__}, "id": "bad-1",
                                "output": wrong.output.replace(digit, str((int(digit) + 3) % 10), 1)}))
    one = run_gates(items, sheet, num_proc=1)
    two = run_gates(items, sheet, num_proc=2)
    assert one.claims.findings, "the edited answer must be caught"
    assert any(f.example_id == "bad-1" for f in two.claims.findings)
    assert one.to_json() == two.to_json()
    assert one.stated == two.stated


def test_generate_and_lint_with_two_processes_match_one(tmp_path: Path) -> None:
    args = ("generate", "--tissue", "heart,liver", "--kinds", "factual_qa,comparison", "--allow-failing", "--json")
    homes = {n: tmp_path / f"home-{n}" for n in (1, 2)}
    for n, home in homes.items():
        done = run_curate(*args, "--num-proc", str(n), home=home)
        assert done.returncode == 0, done.stderr
    gates = [json.loads((home / "versions" / "v1" / "gates.json").read_text()) for home in homes.values()]
    gates = [{k: v for k, v in g.items() if k != "seconds"} for g in gates]
    assert gates[0] == gates[1]
    hashes = [json.loads((h / "versions" / "v1" / "manifest.json").read_text())["content_hash"] for h in homes.values()]
    assert hashes[0] == hashes[1]
    data = homes[1] / "versions" / "v1" / "examples.jsonl"
    linted = [run_curate("lint", str(data), "--num-proc", str(n), "--json", home=homes[1]) for n in (1, 2)]
    assert linted[0].returncode == linted[1].returncode
    reports = [json.loads(run.stdout) for run in linted]
    for report in reports:
        report.get("report", report).pop("seconds", None)
    assert reports[0] == reports[1]
    bad = run_curate("lint", str(data), "--num-proc", "0", home=homes[1])
    assert bad.returncode == 2 and "--num-proc 0" in bad.stderr


@pytest.mark.slow
def test_two_rank_ddp_fit_publishes_once_and_matches_one_process(heart_home: Path, tmp_path: Path) -> None:
    """2 ranks x batch 4 against 1 process x batch 8: the same global batches (accelerate shards the
    sampler's batches over ranks), the same gradient (DDP averages), so the same loss. Tolerance:
    1e-4 relative on the last logged loss (measured: equal to every printed digit)."""
    base = tmp_path / "base"
    built = run_curate("train", "tiny-base", "--out", str(base), "--json", home=heart_home, env=ONE_THREAD)
    assert built.returncode == 0, built.stderr
    common = ("train", "fit", "--version", "v1", "--base-model", str(base), "--preset", "tiny", "--max-steps", "4")
    losses = {}
    for name, batch, launch in (("ddp", 4, ("--launcher", "accelerate", "--num-processes", "2")),
                                ("single", 8, ())):
        recipe = tmp_path / f"{name}.yaml"
        recipe.write_text(f"lora_dropout: 0.0\nper_device_train_batch_size: {batch}\nlogging_steps: 1\n")
        runs_before = set((heart_home / "runs").glob("*")) if (heart_home / "runs").exists() else set()
        done = run_curate(*common, "--config", str(recipe), *launch, "--json", home=heart_home, env=ONE_THREAD)
        assert done.returncode == 0, done.stderr[-3000:]
        new_runs = set((heart_home / "runs").glob("*")) - runs_before
        assert len(new_runs) == 1, f"{name}: expected one published run, got {sorted(new_runs)}"
        run_dir = new_runs.pop()
        record = json.loads((run_dir / "run.json").read_text())
        assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
        assert record["world_size"] == (2 if name == "ddp" else 1)
        assert record["global_step"] == 4
        assert json.loads(done.stdout)["run_id"] == record["run_id"]  # rank 0 alone printed the record
        losses[name] = record["final_loss"]
    assert losses["ddp"] == pytest.approx(losses["single"], rel=1e-4)
    assert not list((heart_home / "work").glob("record-*")), "no rank leaves a half-written record behind"
