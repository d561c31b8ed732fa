"""Bench case: one round of the cycle (fit, then evaluate on the held-out split) on SmolLM2-135M, today's
recipe against the fast one, in the same process.

The set-up is `make demo-cycle-pretrained`'s first round: liver, factual_qa and error_correction
(84 train examples, 28 held-out items), on the SmolLM2-135M-Instruct base written by
bench/smollm2_base.py (set CURATE_SMOLLM2 to its folder; default /work/smollm2-base). The case is
skipped when the base is missing.

- baseline: bench/smollm2-fit.yaml as it was (LoRA r16 on every layer, 4 epochs, lr 1e-3, batch 8),
  TRL's own loss (the LM head scores every position), torch's default threads, answers up to 256 new
  tokens;
- candidate: bench/smollm2-fit.yaml now (`FAST`: LoRA on the last layers only, length-grouped
  batches), the LM head on completion tokens only, the cycle's thread count, the answer budget fitted
  to the references.

The two are run interleaved (candidate, baseline, candidate), so that a burst of load from other jobs
on the shared machine hits both. The ratio is wall time, baseline over candidate (the speed-up), and
the note gives process CPU time too, which other jobs disturb less.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

WORK = Path(tempfile.gettempdir()) / "curate-bench-round"
BASE = Path(os.environ.get("CURATE_SMOLLM2", "/work/smollm2-base"))
BENCH = Path(__file__).resolve().parent
TODAY = {"num_train_epochs": 4, "learning_rate": 0.001, "per_device_train_batch_size": 8, "max_length": 256,
         "warmup_ratio": 0.05}


def _examples(quick: bool) -> list[Any]:
    from curate.generators import generate_examples
    from curate.generators.embedded import load_default_factsheet

    sheet = load_default_factsheet()
    examples = generate_examples(sheet, tissues=["liver"], kinds=["factual_qa", "error_correction"], seed=0,
                                 per_fact=3)
    if quick:  # a handful of facts: the case still runs every step
        keep = {e.fact_ids[0] for e in examples if e.split == "test"}
        keep = set(sorted(keep)[:3])
        examples = [e for e in examples if set(e.fact_ids) <= keep]
    return examples


def _round(name: str, examples: list[Any], *, fast: bool, quick: bool) -> dict[str, Any]:
    import torch

    from curate.generators.embedded import load_default_factsheet
    from curate.train import completion_loss
    from curate.train.config import resolve_config
    from curate.train.evaluate import evaluate
    from curate.train.fit import fit

    root = WORK / name
    shutil.rmtree(root, ignore_errors=True)
    if fast:
        config = resolve_config(preset="tiny", config_file=BENCH / "smollm2-fit.yaml",
                                overrides={"max_steps": 4} if quick else None)
    else:
        config = resolve_config(preset="tiny", overrides={**TODAY, "max_steps": 4} if quick else TODAY)
    sheet = load_default_factsheet()
    applies = completion_loss.applies
    threads = torch.get_num_threads()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        if not fast:
            completion_loss.applies = lambda model, world_size: False  # today: TRL's loss, every position scored
            torch.set_num_threads(os.cpu_count() or 1)  # today: torch's default threads
        record = fit(examples, base_model=BASE, config=config, work_dir=root / "work", record_dir=root / "run",
                     data_version="bench", data_hash="0" * 64, show_progress=False)
        fit_wall = time.perf_counter() - wall
        report = evaluate(examples, sheet, base_model=BASE, adapter=root / "run" / "adapter", split="test",
                          max_new_tokens=None if fast else 256, threads=config.threads if fast else os.cpu_count())
    finally:
        completion_loss.applies = applies
        torch.set_num_threads(threads)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "fit_wall_s": fit_wall,
            "accuracy": report.accuracy, "correct": report.n_correct, "items": report.n_items,
            "steps": record["global_step"], "loss": record["final_loss"]}


def round_speed(quick: bool) -> dict[str, Any]:
    """A round (fit + held-out eval) on SmolLM2-135M: today's recipe and code path against the fast one."""
    if not (BASE / "config.json").is_file():
        return {"ratio": None, "baseline_s": None, "candidate_s": None,
                "note": f"skipped: no SmolLM2 base in {BASE} (python bench/smollm2_base.py --out {BASE})"}
    examples = _examples(quick)
    runs: dict[str, list[dict[str, Any]]] = {"candidate": [], "baseline": []}
    for i, name in enumerate(("candidate", "baseline", "candidate")):
        runs[name].append(_round(f"{name}-{i}", examples, fast=name == "candidate", quick=quick))
    base, cand = runs["baseline"][0], runs["candidate"]
    cand_wall = statistics.fmean(r["wall_s"] for r in cand)
    cand_cpu = statistics.fmean(r["cpu_s"] for r in cand)
    ratio = base["wall_s"] / cand_wall
    accuracies = [r["accuracy"] for r in cand]
    fast_scores = " and ".join(f"{r['correct']}/{r['items']}" for r in cand)
    return {
        "baseline_s": round(base["wall_s"], 1),
        "candidate_s": round(cand_wall, 1),
        "ratio": round(ratio, 2),
        "cpu_ratio": round(base["cpu_s"] / cand_cpu, 2),
        "baseline": base, "candidates": cand,
        "goal": ">= 3x faster round, held-out accuracy not lower",
        "goal_met": ratio >= 3 and min(accuracies) >= base["accuracy"],
        "note": f"ratio = today's round / fast round, wall (speed-up); CPU {base['cpu_s']:.0f} s vs "
                f"{cand_cpu:.0f} s ({base['cpu_s'] / cand_cpu:.1f}x); held-out accuracy {base['correct']}/"
                f"{base['items']} today vs {fast_scores} fast; "
                f"{base['steps']} vs {cand[0]['steps']} optimiser steps; interleaved candidate-baseline-candidate "
                "in one process on the shared 2-core machine; SmolLM2-135M, liver factual_qa+error_correction",
    }


CASES = {"round_smollm2": round_speed}
