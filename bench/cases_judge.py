"""The judge on the judge corpus (tests/judge_corpus/): how often it is right, against a naive scorer.

Per split (dev: tuning; retired: validation; heldout: written by people who never saw the judge), in one
run; a split whose folder is empty or absent is reported as not run:

- claims: precision and recall on the hand-labelled wrong claims, for the claim check alone
  (`read_claims`, tests/judge_corpus/claim_metrics.py), for the verdict's findings (claim check plus the
  verdict's own spans, such as a made-up answer after a decline), and for the baseline's;
- items: agreement of the verdict's `correct` with the hand label, correct declines scored wrong, and
  answerability accuracy (tests/judge_corpus/item_metrics.py).

The baseline is the naive substring scorer (item_metrics.substring_judge / substring_findings): given the
labelled asked facts and answerability, an answer is correct when it holds every asked fact's value as a
string, or, for an unanswerable question, any decline word; a number is a wrong claim unless the sheet
holds it as written. Timings: `baseline_s` is the substring scorer's wall time on both splits,
`candidate_s` the judge's (every verdict runs the claim check), so `ratio` is the judge's cost.

Goal (issue 15), on heldout: precision >= 0.95 and recall >= 0.95 on wrong claims (claim check),
0 correct declines scored wrong, item agreement >= 0.97. Validation and held-out figures are aggregates:
no item is ever printed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "judge_corpus"))

SPLITS = ("dev", "retired", "heldout")
TARGET = {"precision": 0.95, "recall": 0.95, "correct_declines_scored_wrong": 0, "item_agreement": 0.97}


def judge_case(quick: bool) -> dict:
    import claim_metrics
    import item_metrics

    from curate.generators.embedded import load_default_factsheet
    from curate.judge.verdict import judge_answer

    sheet = load_default_factsheet()
    figures: dict[str, dict] = {}
    timing = {"judge": 0.0, "substring": 0.0}
    verdicts: dict[str, Any] = {}  # item id (unique across the corpus) -> the verdict

    def judged(item: dict, _sheet: object) -> item_metrics.Judged:
        v = verdicts[item["id"]]
        return item_metrics.Judged(v.correct, v.answerable, v.declines, v.reasons)

    def verdict_findings(item: dict) -> list:
        return list(verdicts[item["id"]].findings)

    for split in SPLITS:
        items = claim_metrics.load(split)
        if not items:
            figures[split] = {"items": 0, "not_run": "no items"}
            continue
        if quick:
            items = items[:40]
        began = time.perf_counter()
        verdicts.update({item["id"]: judge_answer(item["question"], item["answer"], sheet) for item in items})
        timing["judge"] += time.perf_counter() - began
        began = time.perf_counter()
        base_items = item_metrics.score(items, item_metrics.substring_judge)
        base_claims = claim_metrics.score(items, findings_of=item_metrics.substring_findings(sheet))
        timing["substring"] += time.perf_counter() - began
        judge_items = item_metrics.score(items, judged)
        claim_check = claim_metrics.score(items)
        verdict_claims = claim_metrics.score(items, findings_of=verdict_findings)
        figures[split] = {
            "items": len(items),
            "judge": {**_claims(claim_check.total), **_items(judge_items),
                      "verdict_findings": _claims(verdict_claims.total)},
            "substring": {**_claims(base_claims.total), **_items(base_items)},
        }
    held = figures["heldout"].get("judge")
    met = held is not None and (
        held["precision"] >= TARGET["precision"] and held["recall"] >= TARGET["recall"]
        and held["correct_declines_scored_wrong"] == TARGET["correct_declines_scored_wrong"]
        and held["item_agreement"] >= TARGET["item_agreement"])
    return {
        "baseline_s": round(timing["substring"], 3),
        "candidate_s": round(timing["judge"], 3),
        "ratio": round(timing["judge"] / max(timing["substring"], 1e-9), 1),
        "goal": "heldout: claim P >= 0.95, R >= 0.95; 0 correct declines scored wrong; item agreement >= 0.97",
        "goal_met": met,
        "note": _note(figures),
        "splits": figures,
    }


def _claims(tally: object) -> dict:
    return {"wrong_claims": tally.wrong, "caught": tally.caught, "false_pos": tally.false_pos,  # type: ignore[attr-defined]
            "precision": round(tally.precision, 3), "recall": round(tally.recall, 3)}  # type: ignore[attr-defined]


def _items(result: object) -> dict:
    row = result.row()  # type: ignore[attr-defined]
    return {key: row[key] for key in ("items", "item_agreement", "wrong_scored_correct", "right_scored_wrong",
                                      "correct_declines", "correct_declines_scored_wrong",
                                      "answerability_accuracy")}


def _note(figures: dict) -> str:
    parts = []
    for split, f in figures.items():
        if "judge" not in f:
            parts.append(f"{split}: not run (no items)")
            continue
        j, b = f["judge"], f["substring"]
        parts.append(
            f"{split} ({f['items']} items): judge claim P {j['precision']:.3f} R {j['recall']:.3f} "
            f"(substring P {b['precision']:.3f} R {b['recall']:.3f}); item agreement {j['item_agreement']:.3f} "
            f"(substring {b['item_agreement']:.3f}); correct declines scored wrong "
            f"{j['correct_declines_scored_wrong']}/{j['correct_declines']} (substring "
            f"{b['correct_declines_scored_wrong']}); answerability {j['answerability_accuracy']:.3f}")
    return "; ".join(parts)


CASES = {"judge": judge_case}
