"""Scaling of the quality gates: the claim check over 2 processes vs 1, and near-duplicate search at 1M.

gates_num_proc: every gate on the same generated examples (bench/cases_gates.examples_for), once with
num_proc=1 (baseline) and once with num_proc=2 (candidate), in one run; the reports must be identical.
Times are wall seconds (a process pool's work is in its children, so this process's CPU time says
nothing). Quick mode: 10k examples; full: 50k.

neardup_1m: exact + near-duplicate search (normalise, block, MinHash LSH, rapidfuzz verify) on external
records with no fact ids, so that everything lands in one block and the LSH path carries all of it.
1% of the records are one-character edits of another. Each size runs in a fresh process, which
reports its wall time and peak RSS. Baseline 100k, candidate 1M (quick: 10k vs 100k; 1M is skipped).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ("ka", "mo", "ri", "tu", "sel", "gen", "pro", "lin", "ver", "dax", "nor", "phi", "quo", "ben", "sta",
             "cyt", "ox", "mi", "ra", "ple")


def vocabulary(n_words: int = 5000, seed: int = 1) -> list[str]:
    """Pseudo-words of 2-4 syllables: a vocabulary as wide as real prompts', so that unrelated records
    share few shingles (a 40-word vocabulary makes every pair an LSH candidate)."""
    rng = random.Random(seed)
    return sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n_words)})


def _gates_wall(num_proc: int, examples, sheet):  # type: ignore[no-untyped-def]
    from curate.gates import run_gates

    began = time.perf_counter()
    report = run_gates(examples, sheet, coverage=True, num_proc=num_proc)
    return time.perf_counter() - began, report


def gates_num_proc(quick: bool) -> dict:
    from bench.cases_gates import examples_for
    from curate.gates import as_items

    examples, sheet = examples_for(10_000 if quick else 50_000)
    items = as_items(examples)
    one_s, one = _gates_wall(1, items, sheet)
    two_s, two = _gates_wall(2, items, sheet)
    same = one.to_json() == two.to_json()
    claims_ratio = two.seconds["claims"] / one.seconds["claims"]
    return {
        "baseline_s": round(one_s, 3),
        "candidate_s": round(two_s, 3),
        "ratio": round(two_s / one_s, 3),
        "goal": "num_proc=2 / num_proc=1 wall ratio <= 0.8, identical reports",
        "goal_met": same and two_s / one_s <= 0.8,
        "note": (f"all gates on {len(items)} generated examples, wall s; claim check alone "
                 f"{one.seconds['claims']:.2f} s -> {two.seconds['claims']:.2f} s (ratio {claims_ratio:.2f}); "
                 f"reports identical: {same}; cores: {multiprocessing.cpu_count()}"),
    }


def synthetic_items(n: int, seed: int = 0) -> list:  # type: ignore[type-arg]
    """`n` external-style records (no fact ids, no numbers): 99% distinct, 1% one-letter edits of another."""
    from curate.gates.items import GateItem

    rng = random.Random(seed)
    words = vocabulary()
    items: list[GateItem] = []
    for index in range(n):
        if index and rng.random() < 0.01:
            source = items[rng.randrange(index)].instruction
            cut = rng.randrange(len(source))
            text = source[:cut] + rng.choice("abcdefghijklmnopqrstuvwxyz") + source[cut + 1:]
        else:
            text = "what " + " ".join(rng.choice(words) for _ in range(10)) + " do we see"
        items.append(GateItem(id=f"r{index}", instruction=text, output="an answer"))
    return items


def _neardup_child(n: int) -> None:
    from curate.gates.dedup import Prompts, find_duplicates

    items = synthetic_items(n)
    began = time.perf_counter()
    report = find_duplicates(Prompts(items, None))
    seconds = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps([seconds, peak_mib, len(report.near_pairs), len(report.exact_examples) + len(report.conflicting)]))


def _neardup(n: int) -> tuple[float, float, int, int]:
    """Run one size in a fresh interpreter, so that its peak RSS is that size's alone."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.cases_scaling import _neardup_child; " \
           f"_neardup_child({n})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, peak, near, exact = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, peak, int(near), int(exact)


def neardup_1m(quick: bool) -> dict:
    base_n, cand_n = (10_000, 100_000) if quick else (100_000, 1_000_000)
    base_s, base_mib, base_near, _ = _neardup(base_n)
    cand_s, cand_mib, cand_near, cand_exact = _neardup(cand_n)
    growth = cand_n / base_n
    return {
        "baseline_s": round(base_s, 2),
        "candidate_s": round(cand_s, 2),
        "ratio": round(cand_s / base_s, 2),
        "goal": (f"time ratio <= {1.5 * growth:g} for {growth:g}x the records "
                 f"(sub-quadratic: quadratic is {growth ** 2:g})"),
        "goal_met": cand_s / base_s <= 1.5 * growth,
        "note": (f"near-dup search, {cand_n:,} vs {base_n:,} records in one LSH block; wall s; peak RSS "
                 f"{cand_mib:.0f} MiB vs {base_mib:.0f} MiB; near pairs {cand_near:,} vs {base_near:,}; "
                 f"exact groups {cand_exact:,}" + ("; quick mode: 1M skipped" if quick else "")),
    }


CASES = {"gates_num_proc": gates_num_proc, "neardup_1m": neardup_1m}

if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for name in sys.argv[1:]:
        if name in CASES:
            print(name, json.dumps(CASES[name](quick)), flush=True)
