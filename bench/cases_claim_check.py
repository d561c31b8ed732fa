"""Speed of the claim check (curate.judge) against the claim check it replaced, in one process.

The baseline is the pre-judge claim check (curate/gates/claims.py, claim_words.py, entities.py and
findings.py at commit aa02571), read from git into a temporary package; both check the same generated
examples (bench/cases_gates.py's variants: every answer against its own facts), median of 3 runs of
each, CPU time. Goal: the judge within ~10% of the old check (ratio <= 1.1), although it now also reads
markdown, outside numbers, rankings, superlatives and more phrasings. Quick mode: ~2k examples; full: ~10k.
"""

from __future__ import annotations

import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

BASELINE = "aa02571"
_MODULES = ("claims", "claim_words", "entities", "findings")


def _old_claim_check(folder: Path):  # type: ignore[no-untyped-def]
    package = folder / "old_claim_check"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in _MODULES:
        source = subprocess.run(["git", "show", f"{BASELINE}:curate/gates/{name}.py"], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout
        source = source.replace("from curate.gates import claim_words", "from old_claim_check import claim_words")
        (package / f"{name}.py").write_text(source.replace("curate.gates.", "old_claim_check."), encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("old_claim_check.claims")


def _cpu(check, items, sheet) -> float:  # type: ignore[no-untyped-def]
    sys.modules["curate.judge.lexicon"]._CACHE.clear()  # type: ignore[attr-defined]
    old_lexicon = sys.modules.get("old_claim_check.entities")
    if old_lexicon is not None:
        old_lexicon._CACHE.clear()  # type: ignore[attr-defined]
    began = time.process_time()
    check(items, sheet)
    return time.process_time() - began


def claim_check(quick: bool) -> dict:
    from bench.cases_gates import examples_for
    from curate.gates import as_items
    from curate.judge import check_items

    examples, sheet = examples_for(2_000 if quick else 10_000)
    items = as_items(examples)
    with tempfile.TemporaryDirectory() as folder:
        old = _old_claim_check(Path(folder))
        old.check_items(items[:50], sheet)
        check_items(items[:50], sheet)
        baseline = statistics.median(_cpu(old.check_items, items, sheet) for _ in range(3))
        candidate = statistics.median(_cpu(check_items, items, sheet) for _ in range(3))
    ratio = candidate / baseline
    return {
        "baseline_s": round(baseline, 3),
        "candidate_s": round(candidate, 3),
        "ratio": round(ratio, 3),
        "goal": "judge / old claim check CPU time <= 1.1",
        "goal_met": ratio <= 1.1,
        "note": f"{len(items)} generated examples, median of 3 each, one process; baseline = claim check at {BASELINE}",
    }


CASES = {"claim_check": claim_check}
