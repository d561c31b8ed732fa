"""Benchmarks, each a ratio against a baseline measured in the same run.

    python bench/run.py [--quick] [--only NAME]

Cases come from this file (start-up) and from every `bench/cases_*.py` module, which exposes
`CASES = {name: callable(quick: bool) -> dict}`. A case returns at least `ratio`, `baseline_s`,
`candidate_s` and `note`, and may add `goal` and `goal_met`. Results go to bench/results.json and to
the table in bench/README.md. A missed goal is reported, never an error: timings on a shared
2-core machine are noisy, and CI runs `--quick` only to keep the cases working.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
START = "<!-- results:start -->"
END = "<!-- results:end -->"


def _median_seconds(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def startup(quick: bool) -> dict:
    """`curate --help` against `python -c pass`: the cost of the CLI's own imports."""
    repeats = 5 if quick else 15
    baseline = _median_seconds([sys.executable, "-c", "pass"], repeats)
    candidate = _median_seconds([sys.executable, "-m", "curate", "--help"], repeats)
    return {
        "baseline_s": round(baseline, 4),
        "candidate_s": round(candidate, 4),
        "ratio": round(candidate / baseline, 2),
        "goal": "curate --help <= 0.3 s absolute",
        "goal_met": candidate <= 0.3,
        "note": f"median of {repeats} runs each; baseline is `python -c pass`",
    }


def load_cases() -> dict[str, Callable[[bool], dict]]:
    cases: dict[str, Callable[[bool], dict]] = {"startup": startup}
    sys.path.insert(0, str(REPO))
    for path in sorted(BENCH.glob("cases_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases.update(module.CASES)
    return cases


def run_name(quick: bool) -> str:
    """How docs cite a run: the UTC date, the commit it measured, and the mode."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    commit = done.stdout.strip() or "unknown"
    return f"{time.strftime('%Y-%m-%d', time.gmtime())} {commit} {'quick' if quick else 'full'}"


def run(quick: bool, only: list[str] | None) -> dict:
    results = {}
    stamp = run_name(quick)
    for name, case in load_cases().items():
        if only and name not in only:
            continue
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            results[name] = case(quick)
        except Exception as exc:  # a broken case is reported, and fails the run at the end
            traceback.print_exc()
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        results[name]["wall_s"] = round(time.perf_counter() - began, 2)
        results[name]["run"] = stamp
    return results


def write_outputs(results: dict, quick: bool) -> None:
    """Merge into the last results of the same mode, so `--only` refreshes some rows and keeps the rest."""
    previous_path = BENCH / "results.json"
    if previous_path.exists():
        previous = json.loads(previous_path.read_text())
        if previous.get("quick") == quick:
            results = {**previous.get("results", {}), **results}
    payload = {"quick": quick, "python": platform.python_version(), "machine": platform.machine(),
               "results": results}
    (BENCH / "results.json").write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    rows = ["| case | run | baseline s | candidate s | ratio | goal | met | note |", "|---" * 8 + "|"]
    for name, r in results.items():
        rows.append(f"| {name} | {r.get('run', '')} | {r.get('baseline_s', '')} | {r.get('candidate_s', '')} | "
                    f"{r.get('ratio', '')} | {r.get('goal', '')} | {r.get('goal_met', '')} | "
                    f"{r.get('note', r.get('error', ''))} |")
    mode = "quick" if quick else "full"
    block = (f"{START}\nRows from {mode} runs, Python {platform.python_version()}; each row names its run "
             "(date, commit, mode), which is how docs cite a figure.\n\n" + "\n".join(rows) + f"\n{END}")
    readme = BENCH / "README.md"
    text = readme.read_text() if readme.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(head + block + tail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats (CI)")
    parser.add_argument("--only", nargs="*", help="run only these cases")
    args = parser.parse_args()
    results = run(args.quick, args.only)
    write_outputs(results, args.quick)
    for name, r in results.items():
        print(f"{name}: {json.dumps(r, sort_keys=True)}")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
