"""Review in Argilla against a real local server: push, an annotator's submissions, pull, status, drill.

One scenario, built once: v1 (liver) pushed to workspace "api"; annotators bio1 and bio2 answer four
records through the API the web UI uses; `curate review pull` snapshots them; `curate drill` turns
the verdicts into v2. Each test checks one part of it.
"""

from __future__ import annotations

import html
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from _review_server import add_annotator, connection_env, dataset_id, my_records, owner_client, respond, shared_server
from conftest import read_examples, run_curate, write_eval_report

from curate.annotations.render import fact_value, plain_answer
from curate.generators.embedded import load_default_factsheet

WORKSPACE = "api"
DATASET = "curate-review"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shared_server(tmp_path_factory)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review-home")
    made = run_curate("generate", "--tissue", "liver", "--json", home=path)
    assert made.returncode == 0, made.stderr
    return path


def curate_review(*args: str, home: Path, server: dict[str, Any]) -> Any:
    return run_curate("review", *args, "--workspace", WORKSPACE, "--json", home=home, env=connection_env(server))


@pytest.fixture(scope="module")
def pushed(home: Path, server: dict[str, Any]) -> dict[str, Any]:
    result = curate_review("push", "v1", home=home, server=server)
    assert result.returncode == 0, result.stderr
    return dict(result.json())


def _fact_sentence(fact_id: str) -> str:
    """A correct answer in other words than the generated one."""
    from curate.generators.embedded import load_default_factsheet

    fact = load_default_factsheet().by_id()[fact_id]
    return (f"Hindlimb unloading changes {fact.n_degs:,} liver genes at padj < 0.05 against vehicle controls: "
            f"{fact.n_up:,} go up and {fact.n_down:,} go down.")


@pytest.fixture(scope="module")
def answered(pushed: dict[str, Any], home: Path, server: dict[str, Any]) -> dict[str, Any]:
    """Four records answered by two annotators, through the API the UI uses."""
    examples = {e["id"]: e for e in read_examples(home, "v1")}
    hu = [e for e in examples.values() if e["kind"] == "factual_qa" and e["fact_ids"] == ["deg_count:liver:HU"]]
    ir = [e for e in examples.values() if e["kind"] == "factual_qa" and e["fact_ids"] == ["deg_count:liver:IR"]]
    corrected, kept, draft, bad = hu[0], hu[1], ir[0], ir[1]
    ident = dataset_id(server, DATASET, WORKSPACE)
    bio1, bio2 = (add_annotator(server, name, WORKSPACE) for name in ("bio1", "bio2"))
    seen1, seen2 = my_records(bio1, ident), my_records(bio2, ident)
    assert len(seen1) == pushed["records_in_dataset"]
    correction = _fact_sentence("deg_count:liver:HU")
    respond(bio1, seen1[corrected["id"]], "submitted", verdict="wrong", corrected_answer=correction,
            error_types=["wrong_number"], confidence=4, note="the split was swapped")
    respond(bio2, seen2[corrected["id"]], "submitted", verdict="partly_correct", error_types=["overclaiming"],
            confidence=2)
    respond(bio1, seen1[kept["id"]], "submitted", verdict="correct", confidence=5)
    respond(bio2, seen2[kept["id"]], "submitted", verdict="correct", confidence=4)
    respond(bio2, seen2[draft["id"]], "draft", verdict="wrong")
    respond(bio1, seen1[bad["id"]], "submitted", verdict="wrong", confidence=3,
            corrected_answer="Ionizing radiation changes 999,999 liver genes.")
    return {"corrected": corrected, "kept": kept, "draft": draft, "bad": bad, "correction": correction,
            "dataset_id": ident, "bio1": bio1, "seen1": seen1}


@pytest.fixture(scope="module")
def pulled(answered: dict[str, Any], home: Path, server: dict[str, Any]) -> dict[str, Any]:
    result = curate_review("pull", home=home, server=server)
    assert result.returncode == 0, result.stderr
    return dict(result.json())


def _reviews(home: Path) -> list[dict[str, Any]]:
    path = home / "reviews" / "reviews.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_push_creates_one_record_per_example_with_facts_metadata_and_suggestions(
        pushed: dict[str, Any], home: Path, server: dict[str, Any]) -> None:
    examples = read_examples(home, "v1")
    assert pushed["created_dataset"] is True
    assert pushed["pushed"] == pushed["records_in_dataset"] == len(examples)
    dataset = owner_client(server).datasets(name=DATASET, workspace=WORKSPACE)
    assert [q.name for q in dataset.settings.questions] == ["verdict", "corrected_answer", "error_types",
                                                             "confidence", "note"]
    assert {"tissue", "kind", "template", "version", "fact_ids"} <= {m.name for m in dataset.settings.metadata}
    assert "Corrected answer" in dataset.settings.guidelines
    first = next(iter(dataset.records(with_suggestions=True, limit=50)))
    example = next(e for e in examples if e["id"] == first.id)
    assert plain_answer(first.fields["answer"]) == example["output"]
    assert first.metadata["kind"] == example["kind"] and first.metadata["version"] == "v1"
    if example["fact_ids"]:
        fact = load_default_factsheet().by_id()[example["fact_ids"][0]]
        shown = html.unescape(first.fields["facts"])
        assert fact.id in shown and f"**source** `{fact.provenance.source}`, row {fact.provenance.row}" in shown
        assert f"**value** {fact_value(fact)}" in shown
    verdict = first.suggestions["verdict"]
    assert verdict.value in ("correct", "wrong") and verdict.agent == "curate claim check"


def test_push_again_adds_no_duplicates(pushed: dict[str, Any], home: Path, server: dict[str, Any]) -> None:
    again = curate_review("push", "v1", home=home, server=server)
    assert again.returncode == 0, again.stderr
    assert again.json()["pushed"] == 0
    assert again.json()["already_there"] == again.json()["records_in_dataset"] == pushed["records_in_dataset"]
    sampled = curate_review("push", "v1", "--sample", "5", "--kinds", "factual_qa", home=home, server=server)
    assert sampled.returncode == 0 and sampled.json()["pushed"] == 0 and sampled.json()["already_there"] == 5


def test_pull_snapshots_raw_responses_then_maps_reviews(pulled: dict[str, Any], answered: dict[str, Any],
                                                        home: Path, server: dict[str, Any]) -> None:
    (result,) = pulled["datasets"]
    assert (result["answered_records"], result["responses"]) == (4, 6)
    snapshot = Path(result["snapshot"])
    assert not os.stat(snapshot).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # read-only
    header = json.loads(snapshot.read_text().splitlines()[0])
    assert header["dataset"] == DATASET and header["n_responses"] == 6
    reviews = {(r["example_id"], r["annotator"]): r for r in _reviews(home)}
    assert len(reviews) == pulled["reviews"] == 6
    first = reviews[(answered["corrected"]["id"], "bio1")]
    assert (first["verdict"], first["status"], first["confidence"]) == ("wrong", "submitted", 4)
    assert first["corrected_answer"] == answered["correction"] and first["error_types"] == ["wrong_number"]
    assert first["note"] == "the split was swapped" and first["kind"] == "factual_qa" and first["version"] == "v1"
    assert first["answer"] == answered["corrected"]["output"]
    assert reviews[(answered["draft"]["id"], "bio2")]["status"] == "draft"
    unchanged = run_curate("review", "pull", "--workspace", WORKSPACE, "--json", home=home,
                           env=connection_env(server))
    assert unchanged.returncode == 0 and unchanged.json()["datasets"][0]["snapshot"] is None  # nothing new


def test_status_counts_per_annotator_and_kind_with_agreement(answered: dict[str, Any], home: Path,
                                                              server: dict[str, Any]) -> None:
    result = curate_review("status", home=home, server=server)
    assert result.returncode == 0, result.stderr
    data = result.json()["datasets"][DATASET]
    assert data["by_annotator"]["bio1"]["submitted"] == 3 and data["by_annotator"]["bio1"]["wrong"] == 2
    assert data["by_annotator"]["bio2"] == {"submitted": 2, "draft": 1, "discarded": 0, "correct": 1,
                                            "partly_correct": 1, "wrong": 0}
    factual = data["by_kind"]["factual_qa"]
    assert (factual["reviewed"], factual["responses"], factual["wrong"]) == (3, 5, 2)
    assert data["records"] == len(read_examples(home, "v1"))
    # Two raters on units (wrong, partly) and (correct, correct): Cohen's kappa (0.5 - 0.25) / 0.75.
    assert data["agreement"]["records"] == 2 and data["agreement"]["observed"] == 0.5
    assert (data["agreement"]["measure"], data["agreement"]["cohen_kappa"]) == ("cohen_kappa", 0.333)
    assert data["agreement"]["krippendorff_alpha"] == 0.4
    assert factual["agreement"] == data["agreement"]  # both shared records are factual_qa
    assert all(row["agreement"]["records"] == 0 for kind, row in data["by_kind"].items() if kind != "factual_qa")
    text = run_curate("review", "status", "--workspace", WORKSPACE, home=home, env=connection_env(server))
    assert text.returncode == 0 and "bio2" in text.stdout and "Cohen's kappa 0.33 (2 raters" in text.stdout


def test_drill_min_agree_waits_for_agreeing_reviewers(pulled: dict[str, Any], home: Path) -> None:
    # No example has two reviewers agreeing on an error: (wrong, partly) and a lone wrong; nothing is drilled.
    result = run_curate("drill", "--from-review", "--version", "v1", "--min-agree", "2", "--json", home=home)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "2 judged item(s) have fewer than 2 agreeing verdicts" in result.stderr
    assert not (home / "versions" / "v2").exists()
    bad = run_curate("drill", "--from-review", "--version", "v1", "--min-agree", "0", home=home)
    assert bad.returncode == 2 and "--min-agree 0" in bad.stderr


def test_drill_replaces_judged_examples_and_drills_their_facts(pulled: dict[str, Any], answered: dict[str, Any],
                                                               home: Path) -> None:
    result = run_curate("drill", "v1", "--from-review", "--json", home=home)
    assert result.returncode == 0, result.stderr
    report = result.json()
    assert report["version"] == "v2" and report["parent"] == "v1" and report["gates_passed"] is True
    assert (home / "versions" / "v2" / "gates.json").is_file() and (home / "versions" / "v2" / "drill.json").is_file()
    v2 = {e["id"]: e for e in read_examples(home, "v2")}
    corrected, bad = answered["corrected"], answered["bad"]
    assert corrected["id"] not in v2 and bad["id"] not in v2
    assert answered["kept"]["id"] in v2 and answered["draft"]["id"] in v2  # a draft drives nothing
    (fixed,) = [e for e in v2.values() if e["origin"] == "correction"]
    assert fixed["output"] == answered["correction"] and fixed["instruction"] == corrected["instruction"]
    assert fixed["metadata"]["replaces"] == corrected["id"] and fixed["metadata"]["reviewer"] == "bio1"
    assert fixed["metadata"]["review_id"].startswith("rv-") and fixed["split"] == corrected["split"]
    assert [r["example_id"] for r in report["rejected_corrections"]] == [bad["id"]]  # 999,999 fails the claim check
    drills = [e for e in v2.values() if e["origin"] == "drill"]
    assert {f for e in drills for f in e["fact_ids"]} == {"deg_count:liver:HU", "deg_count:liver:IR"}
    quoting = [e for e in drills if e["kind"] == "error_correction" and corrected["output"][:40] in e["instruction"]]
    assert quoting and all(corrected["output"] not in e["output"] for e in quoting)
    assert all(e["split"] == "train" for e in drills)
    v1_instructions = {e["instruction"] for e in read_examples(home, "v1")}
    assert not [e for e in drills if e["instruction"] in v1_instructions]
    manifest = json.loads((home / "versions" / "v2" / "manifest.json").read_text())
    assert manifest["parent"] == "v1"
    reviewers = {(d["annotator"], d["verdict"]) for d in manifest["drivers"] if d["type"] == "review"}
    assert reviewers == {("bio1", "wrong"), ("bio2", "partly_correct")}
    diff = run_curate("diff", "v1", "v2", "--json", home=home)
    assert diff.returncode == 0, diff.stderr
    assert any(why.startswith("review:rv-") for why in diff.json()["why"])


def test_drill_from_eval_quotes_the_models_wrong_answer(home: Path, tmp_path: Path) -> None:
    report_path = write_eval_report(home, tmp_path)
    report = json.loads(report_path.read_text())
    result = run_curate("drill", "--from-eval", str(report_path), "--version", "v1", "--json", home=home)
    assert result.returncode == 0, result.stderr
    out = result.json()
    (driver,) = [d for d in out["drivers"] if d["type"] == "eval"]
    assert driver["id"] == report["id"] and driver["failures"] == 2
    examples = read_examples(home, out["version"])
    wrong_answer = report["items"][0]["answer"]
    quoting = [e for e in examples if e["origin"] == "drill" and wrong_answer in e["instruction"]]
    assert quoting and all(e["fact_ids"] == report["items"][0]["fact_ids"] for e in quoting)
    assert all(e["metadata"]["eval_id"] == report["id"] for e in quoting)
    assert len(examples) > len(read_examples(home, "v1"))


def test_push_from_eval_shows_model_answer_and_reference(home: Path, tmp_path: Path,
                                                          server: dict[str, Any]) -> None:
    report_path = write_eval_report(home, tmp_path)
    report = json.loads(report_path.read_text())
    result = curate_review("push", "--from-eval", str(report_path), "--only-flagged", home=home, server=server)
    assert result.returncode == 0, result.stderr
    assert result.json()["dataset"] == f"curate-eval-{report['id']}" and result.json()["pushed"] == 2
    dataset = owner_client(server).datasets(name=f"curate-eval-{report['id']}", workspace=WORKSPACE)
    records = {r.id: r for r in dataset.records(with_suggestions=True)}
    first = records[report["items"][0]["example_id"]]
    assert plain_answer(first.fields["answer"]) == report["items"][0]["answer"]
    assert "<mark" in first.fields["answer"] and "does not match" in first.fields["check"]  # "12" is wrong
    assert first.fields["reference"] == report["items"][0]["reference"]
    assert first.suggestions["verdict"].value == "wrong" and first.metadata["source"] == "eval"
    assert "wrong_number" in first.suggestions["error_types"].value


def test_submitted_response_survives_draft_edits_and_record_deletion(pulled: dict[str, Any],
                                                                      answered: dict[str, Any], home: Path,
                                                                      server: dict[str, Any]) -> None:
    before = {(r["example_id"], r["annotator"]): r for r in _reviews(home)}
    record = answered["seen1"][answered["corrected"]["id"]]
    mine = answered["bio1"].post(f"/api/v1/me/datasets/{answered['dataset_id']}/records/search",
                                 params={"include": "responses"}, json={"query": {"text": {"q": "HU"}}})
    response = next(r for item in mine.json()["items"] if item["record"]["id"] == record["id"]
                    for r in item["record"]["responses"])
    edited = answered["bio1"].put(f"/api/v1/responses/{response['id']}",
                                  json={"status": "draft", "values": {"verdict": {"value": "correct"}}})
    assert edited.status_code == 200, edited.text
    kept = answered["seen1"][answered["kept"]["id"]]
    owner = owner_client(server)
    deleted = owner.http_client.delete(f"/api/v1/datasets/{answered['dataset_id']}/records",
                                       params={"ids": kept["id"]})
    assert deleted.status_code == 204, deleted.text
    result = curate_review("pull", home=home, server=server)
    assert result.returncode == 0, result.stderr
    assert result.json()["datasets"][0]["snapshot"] is not None
    after = {(r["example_id"], r["annotator"]): r for r in _reviews(home)}
    assert set(after) == set(before)
    assert after[(answered["kept"]["id"], "bio1")] == before[(answered["kept"]["id"], "bio1")]
    survivor = after[(answered["corrected"]["id"], "bio1")]
    assert (survivor["status"], survivor["verdict"], survivor["corrected_answer"]) == (
        "submitted", "wrong", answered["correction"])


def test_errors_are_one_line_with_exit_2(home: Path, server: dict[str, Any]) -> None:
    from _review_server import free_port

    down = {"ARGILLA_API_URL": f"http://127.0.0.1:{free_port()}", "ARGILLA_API_KEY": "any.key"}
    for args in (("push", "v1"), ("pull",), ("status",)):
        result = run_curate("review", *args, home=home, env=down)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: cannot reach Argilla") and len(result.stderr.splitlines()) == 1
    for args, expected in ((("push", "v9"), "v9"), (("push", "v1", "--from-eval", "x"), "not both"),
                           (("push", "v1", "--kinds", "poems"), "poems")):
        result = run_curate("review", *args, home=home, env=connection_env(server))
        assert result.returncode == 2 and expected in result.stderr and len(result.stderr.splitlines()) == 1
    bad_key = run_curate("review", "pull", home=home, env={**connection_env(server), "ARGILLA_API_KEY": "nope"})
    assert bad_key.returncode == 2 and "API key" in bad_key.stderr
    nothing = run_curate("drill", "--version", "v1", home=home)
    assert nothing.returncode == 2 and "--from-review" in nothing.stderr




def test_serve_again_reports_the_running_server(server: dict[str, Any]) -> None:
    again = run_curate("review", "serve", "--data", server["data"], "--port", str(server["port"]), "--json",
                       home=Path(server["home"]))
    assert again.returncode == 0, again.stderr
    assert again.json()["server_pid"] == server["server_pid"] and again.json()["api_url"] == server["api_url"]


def test_review_settings_speak_the_review_schema() -> None:
    from curate.annotations import settings
    from curate.schemas import ERROR_TYPES, VERDICTS

    assert tuple(settings.VERDICT_LABELS) == VERDICTS
    assert tuple(settings.ERROR_TYPE_LABELS) == ERROR_TYPES
    config = settings.review_settings()
    assert [f.name for f in config.fields] == ["question", "answer", "check", "reference", "facts"]
    assert [f.name for f in config.fields if f.use_markdown] == ["answer", "check", "facts"]
    assert [m.name for m in config.metadata] == list(settings.METADATA)
