"""`curate eval score`: the embedded facts by default, one verdict per item in --json, bad input in one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_curate

ROWS = [
    {"id": "right", "question": "How many genes does ionizing radiation change in the liver?",
     "answer": "Radiation changes 1,273 genes in the liver, but I cannot be certain."},
    {"id": "made-up", "question": "Would the heart be a Type A tissue in rats as well?",
     "answer": "Heart is probably a Type A tissue in rats too, though the exact count is unknown."},
    {"id": "salad", "question": "What does KMP do to OXPHOS in the heart under combined stress?",
     "answer": "RESCUE -2.302 3.691 heart OXPHOS combined KMP"},
    {"id": "decline", "question": "What dose of KMP should astronauts take?",
     "answer": "This can't be answered from this data: one dose of KMP was tested, in mice only."},
    {"id": "swapped", "question": "How many liver genes respond to radiation, and which way?",
     "answer": "1,273 DEGs (860 up, 413 down)."},
]


def write(tmp_path: Path, rows: list, name: str = "answers.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_eval_score_needs_no_facts_and_gives_one_verdict_per_item(tmp_path: Path) -> None:
    result = run_curate("eval", "score", str(write(tmp_path, ROWS)), "--json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["facts_name"] == "kmp-study" and out["n_items"] == len(ROWS)
    items = {item["id"]: item for item in out["items"]}
    assert list(items) == [row["id"] for row in ROWS], "every item, not only the failures"
    assert {i: items[i]["correct"] for i in items} == {"right": True, "made-up": False, "salad": False,
                                                        "decline": True, "swapped": False}
    for item in items.values():
        assert {"id", "question", "correct", "findings", "facts_used", "answerable", "why_answerable",
                "why"} <= set(item)
        assert item["why_answerable"]
        assert bool(item["why"]) == (not item["correct"])
    assert items["right"]["facts_used"] == ["deg_count:liver:IR"] and items["right"]["answerable"]
    assert not items["decline"]["answerable"] and items["decline"]["answerable_category"] == "dose"
    assert items["decline"]["declines"]
    assert items["made-up"]["answerable_category"] == "species"
    assert any(f["check"] == "claims" for f in items["swapped"]["findings"])
    assert any(f["type"] == "not_a_claim" for f in items["salad"]["findings"])
    report = json.loads((Path(out["path"]) / "report.json").read_text())
    assert report["items"][0]["asks"] == ["deg_count:liver:IR"]


def test_eval_score_without_json_prints_the_report(tmp_path: Path) -> None:
    result = run_curate("eval", "score", str(write(tmp_path, ROWS[:2])), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "report in" in result.stdout and "wrong" in result.stdout


@pytest.mark.parametrize(("row", "named"), [
    ({"question": "How many genes does HU change in the soleus?", "answer": "6,425.", "fact_ids": "deg_count:x"},
     "'fact_ids' must be a list"),
    ({"question": "How many genes does HU change in the soleus?", "answer": "6,425.", "answerable": "yes"},
     "'answerable' must be true or false"),
    ({"question": "How many genes does HU change in the soleus?", "answer": "6,425.",
      "fact_ids": ["deg_count:kidney:HU"]}, "'deg_count:kidney:HU' is not in fact sheet"),
    ({"question": "How many genes does HU change in the soleus?", "answer": 6425}, "'answer' is a number"),
])
def test_eval_score_bad_rows_fail_in_one_line(tmp_path: Path, row: dict, named: str) -> None:
    path = write(tmp_path, [ROWS[0], row])
    result = run_curate("eval", "score", str(path), "--json", home=tmp_path / "home")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert named in result.stderr and "row 2" in result.stderr
    assert not (tmp_path / "home" / "evals").exists() or not any((tmp_path / "home" / "evals").iterdir())


def test_eval_score_fails_in_one_line_when_the_judge_cannot_run(tmp_path: Path) -> None:
    """No silent fallback: without the claim check there is no score, and the command says so in one line."""
    import subprocess

    code = ("import sys; sys.modules['curate.judge.verdict'] = None; sys.argv = ['curate'] + sys.argv[1:]; "
            "from curate.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code, "eval", "score", str(write(tmp_path, ROWS[:1])),
                           "--home", str(tmp_path / "home")], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: ") and "cannot run" in done.stderr and done.stderr.count("\n") == 1
