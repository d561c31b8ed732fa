"""Preference pairs (`curate export --format dpo`) and `curate train dpo`, on a real home and the tiny model.

The home holds v1 (liver: factual QA, error corrections, calibration), an eval report of a model's
answers (right and wrong ones, on train and test questions), v2 drilled from that report, and a
biologist's reviews of the model's answers as `curate review pull` leaves them (a raw snapshot).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_curate as _run_curate

from curate.schemas import EvalItem, EvalReport

ONE_THREAD = {"OMP_NUM_THREADS": "1"}
GENERATE = ("generate", "--tissue", "liver", "--kinds", "factual_qa,error_correction,calibration", "--json")
HU_FACT = "deg_count:liver:HU"


def run_curate(*args: str, home: Path):
    return _run_curate(*args, home=home, env=ONE_THREAD)


def examples(home: Path, version: str) -> list[dict]:
    lines = (home / "versions" / version / "examples.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def prompt_of(example: dict) -> str:
    return f"{example['instruction']}\n\n{example['input']}" if example["input"].strip() else example["instruction"]


def item(example: dict, answer: str, correct: bool) -> EvalItem:
    return EvalItem(example_id=example["id"], kind=example["kind"], tissue=example["tissue"],
                    fact_ids=example["fact_ids"], question=prompt_of(example), reference=example["output"],
                    answer=answer, answerable=example["answerable"], correct=correct)


def write_report(home: Path, eval_id: str, split: str, items: list[EvalItem]) -> Path:
    report = EvalReport(id=eval_id, version="v1", facts_name="kmp-study", split=split,
                        created="2026-01-01T00:00:00+00:00", n_items=len(items),
                        n_correct=sum(i.correct for i in items), accuracy=0.5, items=items)
    folder = home / "evals" / eval_id
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(report.model_dump_json(by_alias=True, indent=1))
    return folder / "report.json"


def write_snapshot(home: Path, records: list[dict]) -> None:
    """A raw Argilla pull, as annotations/pull.py saves it (header line, then one record per line)."""
    folder = home / "reviews" / "snapshots"
    folder.mkdir(parents=True)
    header = {"schema": "curate.review-snapshot/1", "dataset": "kmp-eval-r1", "workspace": "argilla",
              "users": {"u1": "biologist"}, "pulled_at": "2026-01-02T00:00:00+00:00"}
    lines = [json.dumps(header)] + [json.dumps(r) for r in records]
    (folder / "20260102T000000.000000Z-kmp-eval-r1.jsonl").write_text("\n".join(lines) + "\n")


def review_record(example: dict, answer: str, verdict: str, correction: str | None) -> dict:
    values = {"verdict": {"value": verdict}, "error_types": {"value": ["wrong_number"]}}
    if correction:
        values["corrected_answer"] = {"value": correction}
    return {"id": f"rec-{example['id']}", "external_id": example["id"],
            "fields": {"question": prompt_of(example), "answer": answer},
            "metadata": {"source": "eval", "eval_id": "ev-model-1", "version": "v1", "kind": example["kind"],
                         "tissue": example["tissue"], "fact_ids": example["fact_ids"]},
            "responses": [{"user_id": "u1", "status": "submitted", "values": values,
                           "updated_at": "2026-01-02T00:00:00+00:00"}]}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dpo-home")
    assert run_curate(*GENERATE, home=home).returncode == 0
    v1 = examples(home, "v1")
    hu = [e for e in v1 if e["kind"] == "factual_qa" and e["fact_ids"] == [HU_FACT]]
    train_q, test_q = next(e for e in hu if e["split"] == "train"), next(e for e in hu if e["split"] == "test")
    other = [e for e in v1 if e["kind"] == "factual_qa" and e["split"] == "train" and e["fact_ids"] != [HU_FACT]]
    right = "In liver, hindlimb unloading changes 4,110 genes (2,189 up, 1,921 down)."
    wrong = "In liver, hindlimb unloading changes 3,120 genes (1,200 up, 1,920 down)."
    # Two models answered the same train question, one right and one wrong; the same on a test question.
    write_report(home, "ev-model-1", "train", [item(train_q, wrong, False), item(other[0], "No idea.", False)])
    write_report(home, "ev-model-2", "train", [item(train_q, "HU changes 4,110 liver genes: 2,189 up, 1,921 down.",
                                                    True)])
    write_report(home, "ev-model-3", "test", [item(test_q, right, True), item(test_q, wrong, False)])
    drilled = run_curate("drill", "--version", "v1", "--from-eval", "ev-model-1", "--json", home=home)
    assert drilled.returncode == 0, drilled.stderr
    write_snapshot(home, [
        review_record(train_q, wrong, "wrong", right),  # a correction of a train answer: a pair
        review_record(test_q, wrong, "wrong", right),  # of a test answer: refused, it would leak
        review_record(other[0], "In liver, HU changes 4,110 genes.", "wrong", "HU changes 9 genes in liver."),
        review_record(other[1], other[1]["output"], "correct", None),
    ])
    return home


def test_export_dpo_makes_pairs_from_every_source(home: Path, tmp_path: Path) -> None:
    from curate.generators.embedded import load_default_factsheet
    from curate.train.judging import Judge

    out = tmp_path / "pairs.jsonl"
    result = run_curate("export", "v2", "--format", "dpo", "--out", str(out), "--json", home=home)
    assert result.returncode == 0, result.stderr
    summary = result.json()
    assert summary["format"] == "dpo" and summary["n_rows"] >= 3
    assert all(summary["by_source"][source] >= 1 for source in ("review", "drill", "sample")), summary
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == summary["n_rows"] and len({r["id"] for r in rows}) == len(rows)
    test_prompts = {prompt_of(e) for e in examples(home, "v2") if e["split"] == "test"}
    judge = Judge(load_default_factsheet())
    for row in rows:
        assert {"prompt", "chosen", "rejected", "fact_ids", "source", "finding"} <= set(row)
        assert row["prompt"] not in test_prompts
        question = "" if row["source"] == "drill" else row["prompt"]
        read = {k: judge.read(row[k], question=question, reference=row["reference"], fact_ids=row["fact_ids"],
                              answerable=row["answerable"]) for k in ("chosen", "rejected")}
        assert read["chosen"].correct and not read["rejected"].correct, row
    review = next(r for r in rows if r["source"] == "review")
    assert review["finding"]["verdict"] == "wrong" and review["finding"]["annotator"] == "biologist"
    drill = next(r for r in rows if r["source"] == "drill")
    assert drill["rejected"] in drill["prompt"], "a drill pair rejects the wrong claim its prompt quotes"


def test_pairs_that_fail_the_gates_are_refused_and_counted(home: Path) -> None:
    from curate.preferences import version_pairs
    from curate.registry import Registry

    made = version_pairs(Registry(home), "v2").summary()
    refused = made["refused"]
    assert refused["review"].get("prompt is a test prompt (or a near copy of one)") == 1
    assert refused["review"].get("chosen is not judged correct") == 1
    assert refused["sample"].get("prompt is a test prompt (or a near copy of one)") == 1
    card = run_curate("card", "v2", home=home)
    assert card.returncode == 0, card.stderr
    assert "## Preference pairs" in card.stdout
    assert f"| review | {made['by_source']['review']} | 3 |" in card.stdout


def test_export_dpo_refuses_a_version_without_pairs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_curate(*GENERATE, home=home).returncode == 0
    out = tmp_path / "pairs.jsonl"
    result = run_curate("export", "v1", "--format", "dpo", "--out", str(out), home=home)
    assert result.returncode == 2
    assert result.stderr.startswith("error: version v1: no preference pairs") and result.stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.glob(".pairs.jsonl*")) == []
    split = run_curate("export", "v1", "--format", "dpo", "--split", "test", "--out", str(out), home=home)
    assert split.returncode == 2 and "training data" in split.stderr


# -- curate train dpo ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fitted(home: Path) -> tuple[Path, str]:
    """A tiny base trained on v1's text, and a short SFT fit on v2: the run DPO starts from."""
    base = home.parent / f"{home.name}-base"
    assert run_curate("train", "tiny-base", "--out", str(base), "--version", "v1", "--json", home=home).returncode == 0
    fit = run_curate("train", "fit", "--version", "v2", "--base-model", str(base), "--preset", "tiny",
                     "--max-steps", "20", "--json", home=home)
    assert fit.returncode == 0, fit.stderr
    return base, fit.json()["run_id"]


@pytest.mark.slow
def test_train_dpo_continues_a_fitted_adapter(home: Path, fitted: tuple[Path, str]) -> None:
    base, run_id = fitted
    result = run_curate("train", "dpo", "--version", "v2", "--from-run", run_id, "--preset", "tiny",
                        "--max-steps", "4", "--json", home=home)
    assert result.returncode == 0, result.stderr
    record = result.json()
    assert record["stage"] == "dpo" and record["from_run"] == run_id and record["global_step"] == 4
    assert record["n_train_examples"] == sum(record["pairs_by_source"].values()) >= 3
    assert record["reward_margin_last"] is not None and record["train_loss"] is not None
    run_dir = home / "runs" / record["run_id"]
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert not (run_dir / "adapter" / "ref").exists(), "only the trained adapter, not DPO's frozen reference copy"
    assert json.loads((run_dir / "run.json").read_text())["base_model"] == str(base.resolve())
    assert json.loads((run_dir / "config.json").read_text())["beta"] == 0.1
    assert not Path(record["work_dir"]).exists()
    assert "dpo" in result.stderr  # the progress bar on stderr, stdout is JSON
    evaluated = run_curate("train", "eval", "--version", "v2", "--adapter", record["run_id"], "--batch-size", "64",
                           "--max-new-tokens", "32", "--json", home=home)
    assert evaluated.returncode == 0, evaluated.stderr
    assert evaluated.json()["run_id"] == record["run_id"]


@pytest.mark.slow
def test_sampled_answers_become_an_eval_report_of_the_train_split(home: Path, fitted: tuple[Path, str]) -> None:
    _, run_id = fitted
    result = run_curate("train", "sample", "--version", "v2", "--adapter", run_id, "--samples", "2",
                        "--max-new-tokens", "16", "--json", home=home)
    assert result.returncode == 0, result.stderr
    summary = result.json()
    n_train = sum(1 for e in examples(home, "v2") if e["split"] == "train")
    assert summary["split"] == "train" and summary["n_items"] == 2 * n_train
    report = json.loads((Path(summary["path"]) / "report.json").read_text())
    assert report["config"]["decoding"] == "sampled" and report["run_id"] == run_id
    assert all(0 <= item["confidence"] <= 1 for item in report["items"])


@pytest.mark.slow
def test_train_dpo_on_a_base_from_an_exported_file(home: Path, fitted: tuple[Path, str], tmp_path: Path) -> None:
    base, _ = fitted
    pairs = tmp_path / "pairs.jsonl"
    assert run_curate("export", "v2", "--format", "dpo", "--out", str(pairs), home=home).returncode == 0
    result = run_curate("train", "dpo", "--version", "v2", "--base-model", str(base), "--pairs", str(pairs),
                        "--preset", "tiny", "--max-steps", "2", "--json", home=home)
    assert result.returncode == 0, result.stderr
    record = result.json()
    assert record["from_run"] is None and record["from_adapter"] is None and record["pairs"] == str(pairs)


def test_train_dpo_bad_input_is_one_line_and_writes_nothing(fitted: tuple[Path, str], tmp_path: Path) -> None:
    base, _ = fitted
    home = tmp_path / "home"
    assert run_curate(*GENERATE, home=home).returncode == 0
    bad_pairs = tmp_path / "bad.jsonl"
    bad_pairs.write_text('{"prompt": "q", "chosen": "a"}\n')
    cases = {
        "no pairs": (("--base-model", str(base)), "version v1: no preference pairs"),
        "no run": (("--from-run", "v1-20990101T000000Z-000000"), "--from-run v1-20990101T000000Z-000000: no such run"),
        "no model": ((), "give --from-run"),
        "bad file": (("--base-model", str(base), "--pairs", str(bad_pairs)), "line 1: 'rejected' must be"),
        "bad recipe": (("--base-model", str(base), "--beta", "-1"), "field 'beta'"),
    }
    for name, (args, message) in cases.items():
        result = run_curate("train", "dpo", "--version", "v1", "--preset", "tiny", *args, home=home)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1, \
            (name, result.stderr)
    assert not (home / "runs").exists() and not (home / "work").exists()
