"""The judge corpus (tests/judge_corpus/): its files follow the contract, and the judge holds its floors on dev.

Floors are the figures the judge reached, rounded down; raise them when it improves, never lower one
silently. Dev is the tuning split; retired/ is the validation split, checked here as aggregates only (the
assertion messages hold totals, never an item). The held-out split is scored only by the bench
(`python bench/run.py --only judge`), as aggregates; issue 15's held-out targets (claim P >= 0.95,
R >= 0.95, 0 correct declines scored wrong, item agreement >= 0.97) are asserted here once the bench shows
them met.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "judge_corpus"
sys.path.insert(0, str(CORPUS))

import claim_metrics  # noqa: E402
import item_metrics  # noqa: E402
import validate  # noqa: E402

DEV_FLOORS = {  # dev at a431a48 (299 items): 0.977, 0 of 65, 1.000, claim P 0.982, R 0.673; at 9cb920a (334 items,
    # with 35 round-3 items): 0.976, 0 of 71, 1.000, claim P 0.984, R 0.674
    "item_agreement": 0.97,
    "correct_declines_scored_wrong": 0,  # at most
    "answerability_accuracy": 0.99,
    "claim_precision": 0.97,
    "claim_recall": 0.66,  # round 1 reached 0.691 at b69a522; the precision-first binding gave up 0.02 of it
}
# The validation split (retired/, 135 items): aggregates only, never an item. At a431a48: item agreement 0.859,
# 1 of 35 correct declines scored wrong, claim P 0.667, R 0.506 (round 1 ended at 0.822, 2 of 35, 0.506, 0.518).
VALIDATION_FLOORS = {
    "item_agreement": 0.85,
    "correct_declines_scored_wrong": 1,  # at most
    "claim_precision": 0.65,
    "claim_recall": 0.50,
}


def test_corpus_files_follow_the_contract() -> None:
    known = validate.fact_ids()
    problems, seen, counts = [], set(), {"items": 0, "correct_declines": 0, "traps": 0}
    for split in validate.SPLITS:
        for path in sorted((CORPUS / split).glob("*.jsonl")):
            for line_no, item in enumerate(validate.load(path), start=1):
                found = validate.check_item(item, f"{split}/{path.name}:{line_no}", known)
                problems += found if split == "dev" else [f"{split}/{path.name}: {len(found)} problem(s)"] * bool(found)
                assert item["id"] not in seen, f"{split}/{path.name}:{line_no}: duplicate id"
                seen.add(item["id"])
                counts["items"] += 1
                counts["correct_declines"] += bool(item["declines"] and item["correct"] and not item["answerable"])
                counts["traps"] += bool(item.get("trap"))
    assert not problems, [str(p) for p in problems[:10]]
    assert counts["items"] >= 300 and counts["correct_declines"] >= 60 and counts["traps"] >= 60, counts


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return item_metrics.load("dev", CORPUS)


def test_the_verdict_holds_its_floors_on_dev(dev: list[dict]) -> None:
    result = item_metrics.score(dev)
    row = result.row()
    assert row["item_agreement"] >= DEV_FLOORS["item_agreement"], row
    assert row["correct_declines_scored_wrong"] <= DEV_FLOORS["correct_declines_scored_wrong"], row
    assert row["answerability_accuracy"] >= DEV_FLOORS["answerability_accuracy"], row
    baseline = item_metrics.score(dev, item_metrics.substring_judge).row()
    assert row["item_agreement"] > baseline["item_agreement"], "the judge must beat the substring scorer"


def test_the_claim_check_holds_its_floors_on_dev(dev: list[dict]) -> None:
    total = claim_metrics.score(dev).total
    assert total.precision >= DEV_FLOORS["claim_precision"], total.row()
    assert total.recall >= DEV_FLOORS["claim_recall"], total.row()


def test_the_judge_holds_its_floors_on_validation() -> None:
    """Aggregates only: the figures, never an item (a failure prints totals)."""
    items = item_metrics.load("retired", CORPUS)
    assert len(items) >= 100
    row = item_metrics.score(items).row()
    totals = {key: row[key] for key in ("items", "item_agreement", "correct_declines_scored_wrong")}
    assert row["item_agreement"] >= VALIDATION_FLOORS["item_agreement"], totals
    assert row["correct_declines_scored_wrong"] <= VALIDATION_FLOORS["correct_declines_scored_wrong"], totals
    total = claim_metrics.score(items).total
    figures = {"precision": round(total.precision, 3), "recall": round(total.recall, 3)}
    assert total.precision >= VALIDATION_FLOORS["claim_precision"], figures
    assert total.recall >= VALIDATION_FLOORS["claim_recall"], figures
