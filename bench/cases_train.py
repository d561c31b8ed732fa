"""Bench cases for train/: batched generation, and SFT throughput with packing.

Both run on the tiny Mistral-architecture model, on one torch thread (two spinning OpenMP threads
make timings on a shared 2-core machine meaningless).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

WORK = Path(tempfile.gettempdir()) / "curate-bench-train"


@lru_cache(maxsize=2)
def _examples(quick: bool) -> list[Any]:
    from curate.generators import generate_examples
    from curate.generators.embedded import load_default_factsheet

    sheet = load_default_factsheet()
    tissues = ["heart"] if quick else ["heart", "liver"]
    return generate_examples(sheet, tissues=tissues, kinds=["factual_qa", "calibration", "comparison"], seed=0,
                             per_fact=1)


@lru_cache(maxsize=2)
def _base(quick: bool) -> Path:
    from curate.train.prompts import example_prompt
    from curate.train.tiny_base import build_tiny_base

    folder = WORK / f"base-{'quick' if quick else 'full'}"
    shutil.rmtree(folder, ignore_errors=True)
    build_tiny_base([f"{example_prompt(e)} {e.output}" for e in _examples(quick) if e.split == "train"], folder)
    return folder


def _fit(quick: bool, name: str, **overrides: Any) -> dict[str, Any]:
    from curate.train.config import resolve_config
    from curate.train.fit import fit

    root = WORK / f"{name}-{'quick' if quick else 'full'}"
    shutil.rmtree(root, ignore_errors=True)
    config = resolve_config(preset="tiny", overrides=overrides)
    return fit(_examples(quick), base_model=_base(quick), config=config, work_dir=root / "work",
               record_dir=root / "record", data_version="bench", data_hash="0" * 64, show_progress=False)


def _one_thread() -> int:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    return before


def _time_generation(model: Any, tokenizer: Any, prompts: list[str], batch_size: int, max_new: int,
                     hints: list[int]) -> tuple[float, list[Any]]:
    from curate.train.generation import generate

    began = time.perf_counter()
    answers = generate(model, tokenizer, prompts, batch_size=batch_size, max_new_tokens=max_new, length_hints=hints)
    return time.perf_counter() - began, answers


def batched_generation(quick: bool) -> dict[str, Any]:
    """Greedy answers in rolling batches of 32 against one prompt at a time; outputs must be identical."""
    import statistics

    import torch

    from curate.train.generation import load_for_generation
    from curate.train.prompts import example_prompt

    threads = _one_thread()
    try:
        _fit(quick, "gen", max_steps=60 if quick else -1)
        adapter = WORK / f"gen-{'quick' if quick else 'full'}" / "record" / "adapter"
        model, tokenizer = load_for_generation(_base(quick), adapter)
        examples = _examples(quick)[: 48 if quick else 160]
        prompts = [example_prompt(e) for e in examples]
        hints = [len(tokenizer(e.output, add_special_tokens=False)["input_ids"]) for e in examples]
        max_new, repeats = (48, 1) if quick else (96, 3)
        _time_generation(model, tokenizer, prompts[:4], 4, 8, hints[:4])  # warm-up
        times: dict[int, list[float]] = {1: [], 16: [], 32: []}
        outputs: dict[int, list[str]] = {}
        for _ in range(repeats):  # interleaved, so a burst of load hits every setting alike
            for batch_size in times:
                seconds, answers = _time_generation(model, tokenizer, prompts, batch_size, max_new, hints)
                times[batch_size].append(seconds)
                outputs[batch_size] = [a.text for a in answers]
        n_tokens = sum(a.n_tokens for a in answers)
    finally:
        torch.set_num_threads(threads)
    baseline, at_16, candidate = (statistics.median(times[b]) for b in (1, 16, 32))
    identical = outputs[1] == outputs[16] == outputs[32]
    ratio = baseline / candidate
    return {
        "baseline_s": round(baseline, 3),
        "candidate_s": round(candidate, 3),
        "ratio": round(ratio, 2),
        "ratio_batch_16": round(baseline / at_16, 2),
        "identical_outputs": identical,
        "answer_tokens": n_tokens,
        "goal": ">= 8x faster, identical outputs",
        "goal_met": identical and ratio >= 8,
        "note": f"ratio = one-at-a-time (model.generate) / rolling batch-32 time (speed-up); {len(prompts)} prompts, "
                f"greedy, max {max_new} new tokens, tiny model + fitted adapter, 1 torch thread, median of {repeats}",
    }


def sft_packing(quick: bool) -> dict[str, Any]:
    """SFT tokens/s: packed sequences (bfd, padding-free) against padded batches, same data and epochs."""
    import torch

    threads = _one_thread()
    epochs = 3 if quick else 10
    try:
        padded = _fit(quick, "padded", num_train_epochs=epochs)
        packed = _fit(quick, "packed", num_train_epochs=epochs, packing=True, max_length=256)
    finally:
        torch.set_num_threads(threads)
    return {
        "baseline_s": padded["time_s"],
        "candidate_s": packed["time_s"],
        "ratio": round(packed["tokens_per_s"] / padded["tokens_per_s"], 2),
        "padded_tokens_per_s": padded["tokens_per_s"],
        "packed_tokens_per_s": packed["tokens_per_s"],
        "padded_steps": padded["global_step"],
        "packed_steps": packed["global_step"],
        "note": f"ratio = packed / padded tokens per second (real tokens only); {epochs} epochs of "
                f"{padded['n_train_examples']} examples, tiny preset (batch 16), packed to 256 tokens, 1 thread, CPU",
    }


CASES = {"train_batched_generation": batched_generation, "train_sft_packing": sft_packing}
