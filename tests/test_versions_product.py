"""Versions as a product: show, diff, export, data cards, push-to-hub (dry run, errors) and pull-from-hub.

One home is built for the module, the way a user would: generate twice with different options,
generate again from a fact sheet with one corrected value, and write a reviewed version with a gate
report, as the review loop will.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from conftest import REPO, read_examples, run_curate

from curate.cards import CardInputs, card_finalizer, card_problems, render_card
from curate.generators.embedded import load_default_factsheet
from curate.registry import Registry
from curate.schemas import Example, FactSheet, Review, review_id

CORRECTED_FACT = "deg_count:liver:HU"
GATES = {
    "passed": False,
    "gates": [
        {"name": "claim_check", "passed": True, "summary": "every number matches its fact"},
        {"name": "dedup", "passed": False, "summary": "2 near-duplicate pairs | threshold 0.9"},
    ],
}


def review(example_id: str, version: str, verdict: str, **extra: object) -> str:
    """One line of <home>/reviews/reviews.jsonl, as `curate review pull` writes it."""
    fields = {"id": review_id("kmp-v4", example_id, "u1"), "dataset": "kmp-v4", "example_id": example_id,
              "source": "example", "version": version, "kind": "factual_qa", "tissue": "liver",
              "question": "q?", "answer": "a.", "annotator": "bio-1", "annotator_id": "u1", "status": "submitted",
              "verdict": verdict, "answered_at": "2026-01-01T00:00:00+00:00", "snapshot": "s.jsonl", **extra}
    return Review.model_validate(fields).model_dump_json(by_alias=True) + "\n"


REVIEWS = [
    review("a1", "v4", "correct"),
    review("a2", "v4", "wrong", corrected_answer="x", error_types=["wrong_number"]),
    review("a4", "v4", "correct", status="draft"),
    review("a5", "v4", "wrong", source="eval", eval_id="ev-1"),
    review("a3", "v1", "correct"),
]


def corrected_sheet() -> FactSheet:
    """The default sheet with one value corrected (the fact keeps its id)."""
    data = load_default_factsheet().model_dump(mode="json")
    fact = next(f for f in data["facts"] if f["id"] == CORRECTED_FACT)
    fact["n_up"] += 10
    fact["n_degs"] += 10
    return FactSheet.model_validate(data)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("product-home")
    for args in (["--tissue", "liver"],
                 ["--tissue", "liver,heart", "--kinds", "factual_qa,calibration", "--per-fact", "4", "--seed", "1"]):
        assert run_curate("generate", *args, home=home).returncode == 0
    sheet_file = home.parent / "corrected-factsheet.json"
    sheet_file.write_text(corrected_sheet().model_dump_json())
    assert run_curate("generate", "--tissue", "liver", "--from", str(sheet_file), home=home).returncode == 0
    _write_reviewed_version(Registry(home))
    (home / "reviews").mkdir()
    (home / "reviews" / "reviews.jsonl").write_text("".join(REVIEWS))
    return home


def _write_reviewed_version(registry: Registry) -> None:
    """v4 = v1 with one answer corrected by review rv-7 and one example dropped, plus a gate report."""
    examples = registry.examples("v1")
    target = next(i for i, e in enumerate(examples) if e.kind == "factual_qa")
    fields = examples[target].model_dump(exclude={"id"})
    fields.update(output=fields["output"] + " (checked by a reviewer)", origin="correction",
                  metadata={**fields["metadata"], "review_id": "rv-7"})
    examples[target] = Example.model_validate(fields)
    dropped = examples.pop(-1)
    assert dropped.kind != "factual_qa"
    sheet = load_default_factsheet()
    registry.write_version(
        examples, facts=sheet, generator_config=registry.manifest("v1").generator_config, seed=0, parent="v1",
        extra_files={"gates.json": json.dumps(GATES).encode()}, gates_passed=False, allow_failing=True,
        drivers=[{"type": "review", "id": "rv-7", "reason": "a reviewer corrected one answer and dropped one"}],
        finalize=card_finalizer(registry, examples, sheet),
    )


# -- show ------------------------------------------------------------------------------------------

def test_show_reports_counts_gates_parent_and_reviews(home: Path) -> None:
    shown = run_curate("show", "v4", "--json", home=home)
    assert shown.returncode == 0, shown.stderr
    report = shown.json()
    examples = read_examples(home, "v4")
    assert report["n_examples"] == len(examples) == report["manifest"]["n_examples"]
    assert sum(row["total"] for row in report["by_kind"].values()) == len(examples)
    assert report["by_tissue"]["liver"]["total"] == sum(e["tissue"] == "liver" for e in examples)
    assert report["parent"] == "v1"
    assert report["gates"]["passed"] is False
    assert [g["name"] for g in report["gates"]["gates"]] == ["claim_check", "dedup"]
    assert report["reviews"] == {"n_reviews": 2, "n_drafts": 1, "n_examples_reviewed": 2, "n_corrections": 1,
                                 "n_reviewers": 1, "by_verdict": {"correct": 1, "wrong": 1},
                                 "by_error_type": {"wrong_number": 1}}
    assert report["drivers"][0]["id"] == "rv-7"

    text = run_curate("show", "v4", home=home)
    assert text.returncode == 0
    reviews = "reviews: 2 of 2 examples by 1 reviewers, 1 corrections"
    for expected in ("parent        v1", "by kind", "dedup", "FAIL", reviews):
        assert expected in text.stdout
    root = run_curate("show", "v1", home=home).stdout
    assert "- (root)" in root and "gates: pass" in root  # generate runs every gate


def test_show_unknown_version_is_one_line(home: Path) -> None:
    result = run_curate("show", "v99", home=home)
    assert result.returncode == 2
    assert result.stderr.startswith("error: version 'v99' not found") and result.stderr.count("\n") == 1


# -- diff ------------------------------------------------------------------------------------------

def test_diff_after_generating_with_different_options(home: Path) -> None:
    result = run_curate("diff", "v1", "v2", "--json", home=home)
    assert result.returncode == 0, result.stderr
    report = result.json()
    v1, v2 = read_examples(home, "v1"), read_examples(home, "v2")
    summary = report["summary"]
    assert summary["n_a"] == len(v1) and summary["n_b"] == len(v2)
    assert summary["unchanged"] + summary["changed"] + summary["removed"] == len(v1)
    assert summary["unchanged"] + summary["changed"] + summary["added"] == len(v2)
    assert report["by_tissue"]["heart"] == {"a": 0, "b": sum(e["tissue"] == "heart" for e in v2),
                                            "delta": sum(e["tissue"] == "heart" for e in v2)}
    changed_settings = {c["field"] for c in report["config_changes"]}
    assert {"tissues", "kinds", "per_fact", "seed"} <= changed_settings
    # Every example of a kind v2 no longer generates is removed, and says why.
    dropped = [c for c in report["removed"] if c["kind"] == "chain_of_thought"]
    assert dropped and all(c["why"].startswith("config: kinds") for c in dropped)
    heart = [c for c in report["added"] if c["tissue"] == "heart"]
    assert heart and all(c["why"].startswith("config: tissues liver -> heart,liver") for c in heart)
    assert any(c["fact_id"].startswith("deg_count:heart:") and c["a"] == 0 for c in report["coverage_changes"])

    table = run_curate("diff", "v1", "v2", "--limit", "3", home=home)
    assert table.returncode == 0
    assert "v1 -> v2" in table.stdout and "settings that changed" in table.stdout
    assert "deg_count:heart:HU" in table.stdout  # a fact id, not rich's :heart: emoji


def test_diff_matches_a_corrected_value_by_facts_and_template(home: Path) -> None:
    report = run_curate("diff", "v1", "v3", "--json", home=home).json()
    assert report["summary"]["added"] == report["summary"]["removed"] == 0
    assert report["summary"]["changed"] > 0
    assert [c["field"] for c in report["config_changes"]] == ["facts_sha256"]
    old_ids = {e["id"] for e in read_examples(home, "v1") if CORRECTED_FACT in e["fact_ids"] and "4,110" in e["output"]}
    changed = {c["id_a"]: c for c in report["changed"]}
    assert old_ids and old_ids <= set(changed)
    assert all("output" in changed[i]["fields"] and changed[i]["why"] == "config: facts_sha256" for i in old_ids)


def test_diff_names_the_review_that_drove_each_change(home: Path) -> None:
    report = run_curate("diff", "v1", "v4", "--json", home=home).json()
    assert report["summary"]["changed"] == 1 and report["summary"]["removed"] == 1
    assert report["summary"]["added"] == 0
    change = report["changed"][0]
    assert set(change["fields"]) == {"output", "origin", "metadata"} and change["why"] == "review:rv-7"
    assert report["removed"][0]["why"] == "drivers: review:rv-7"
    assert report["why"] == {"drivers: review:rv-7": 1, "review:rv-7": 1}
    assert report["drivers"][0]["reason"].startswith("a reviewer corrected")


# -- export ------------------------------------------------------------------------------------------

def test_export_formats_for_trl(home: Path, tmp_path: Path) -> None:
    train = [Example.model_validate(e) for e in read_examples(home, "v1") if e["split"] == "train"]
    outputs = {}
    for fmt in ("jsonl", "parquet", "alpaca", "chat", "prompt-completion"):
        out = tmp_path / f"v1-{fmt}.out"
        result = run_curate("export", "v1", "--format", fmt, "--out", str(out), "--split", "train", "--json", home=home)
        assert result.returncode == 0, result.stderr
        assert result.json()["n_rows"] == len(train)
        outputs[fmt] = out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in outputs.values())  # no temp files

    def lines(fmt: str) -> list[dict]:
        return [json.loads(line) for line in outputs[fmt].read_text().splitlines()]

    with_input = next((i for i, e in enumerate(train) if e.input), 0)
    for example, row in zip(train, lines("chat"), strict=True):
        assert row == {"messages": [
            {"role": "user", "content": example.instruction + (f"\n\n{example.input}" if example.input else "")},
            {"role": "assistant", "content": example.output}]}
    for example, row in zip(train, lines("prompt-completion"), strict=True):
        assert row["completion"] == example.output and row["prompt"].startswith(example.instruction)
        assert set(row) == {"prompt", "completion"}
    assert lines("alpaca")[with_input] == {"instruction": train[with_input].instruction,
                                           "input": train[with_input].input, "output": train[with_input].output}
    assert [Example.model_validate(row) for row in lines("jsonl")] == train

    import pyarrow.parquet as pq

    table = pq.read_table(outputs["parquet"])
    assert table.num_rows == len(train) and table.column("id").to_pylist() == [e.id for e in train]

    bad = run_curate("export", "v1", "--format", "csv", "--out", str(tmp_path / "x"), home=home)
    assert bad.returncode == 2 and "'csv' is not one of 'jsonl', 'parquet'" in bad.stderr


# -- cards ----------------------------------------------------------------------------------------------

def test_committed_card_matches_a_fresh_default_build(tmp_path: Path) -> None:
    """data_cards/kmp-study-v1.md is the card of `curate generate --tissue all` (seed 0) in a fresh home."""
    result = run_curate("generate", "--tissue", "all", "--seed", "0", home=tmp_path)
    assert result.returncode == 0, result.stderr
    fresh = (tmp_path / "versions" / "v1" / "README.md").read_bytes()
    committed = (REPO / "data_cards" / "kmp-study-v1.md").read_bytes()
    assert fresh == committed, "data_cards/kmp-study-v1.md is stale: run `curate card --default-build`"
    again = run_curate("card", "v1", home=tmp_path)
    assert again.stdout.encode() == committed  # re-rendering a version gives the same card
    n_examples = Registry(tmp_path).manifest("v1").n_examples
    shards = ["data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"]
    assert card_problems(committed.decode(), shards, n_examples) == []


def test_card_sections_lineage_gates_reviews(home: Path) -> None:
    written = (home / "versions" / "v4" / "README.md").read_text()
    assert "Parent: `v1`. Against it: 0 examples added,\n1 removed, 1 changed" in written
    assert "| dedup | FAIL | 2 near-duplicate pairs \\| threshold 0.9 |" in written
    assert "(written anyway with `--allow-failing`)" in written
    assert "- `review:rv-7`: a reviewer corrected one answer and dropped one" in written
    assert "No reviews yet." in written  # the reviews came after the version was written
    rendered = run_curate("card", "v4", home=home).stdout
    assert "2 submitted reviews of 2 examples by\n1 reviewers; 1 with a corrected answer." in rendered
    assert "| wrong_number | 1 |" in rendered
    assert "No training rounds yet." in rendered
    assert card_problems(rendered) == []


def test_card_renders_progression_rows_and_catches_bad_metadata(home: Path) -> None:
    registry = Registry(home)
    manifest = registry.manifest("v1").model_dump(mode="json")
    inputs = CardInputs(manifest=manifest, examples=registry.examples("v1"),
                        progression=[{"round": 1, "version": "v1", "accuracy": 0.4125},
                                     {"round": 2, "version": "v4", "accuracy": 0.61}])
    text = render_card(inputs)
    assert "| round | version | accuracy |" in text and "| 2 | v4 | 0.610 |" in text
    assert "No training rounds yet." not in text
    assert "was not available when this card was" in text  # no fact sheet given, none looked up
    assert render_card(inputs) == text
    broken = text.replace("license: apache-2.0\n", "")
    assert card_problems(broken) == ["metadata lacks 'license'"]
    assert any("matches no file" in p for p in card_problems(text, ["data/train-00000-of-00001.parquet"]))


# -- hub ------------------------------------------------------------------------------------------------

def test_push_dry_run_writes_the_upload_and_pull_registers_it(home: Path, tmp_path: Path) -> None:
    dry = tmp_path / "upload"
    result = run_curate("push-to-hub", "me/kmp-study", "--version", "v2", "--dry-run", str(dry), "--json", home=home,
                        env={"HF_TOKEN": ""})
    assert result.returncode == 0, result.stderr
    report = result.json()
    files = sorted(p.relative_to(dry).as_posix() for p in dry.rglob("*") if p.is_file())
    assert files == sorted(report["files"]) == ["README.md", "data/test-00000-of-00001.parquet",
                                               "data/train-00000-of-00001.parquet", "factsheet.json", "manifest.json"]
    assert report["dry_run"] and report["tag"] == "v2"
    card = (dry / "README.md").read_text()
    assert card == (home / "versions" / "v2" / "README.md").read_text()
    assert card_problems(card, files) == []

    import datasets

    # Read through the card's `configs`, as the Hub and `load_dataset` do.
    loaded = datasets.load_dataset(str(dry), cache_dir=str(tmp_path / "cache"))
    v2 = read_examples(home, "v2")
    assert {split: loaded[split].num_rows for split in loaded} == {
        split: sum(e["split"] == split for e in v2) for split in ("train", "test")}

    text = run_curate("push-to-hub", "me/kmp-study", "v2", "--dry-run", str(dry), home=home)
    assert text.returncode == 2 and "not an empty folder" in text.stderr

    pulled = run_curate("pull-from-hub", "me/kmp-study", "--revision", "v2", "--from-dir", str(dry), "--json",
                        home=home)
    assert pulled.returncode == 0, pulled.stderr
    version = pulled.json()["version"]
    manifest = Registry(home).manifest(version)
    assert manifest.parent == "hub:me/kmp-study@v2"
    assert manifest.drivers[0]["source_version"] == "v2"
    assert sorted(e["id"] for e in read_examples(home, version)) == sorted(e["id"] for e in v2)
    assert "Parent: `hub:me/kmp-study@v2` (pulled from the Hugging Face Hub)." in \
        (home / "versions" / version / "README.md").read_text()
    diff = run_curate("diff", "v2", version, "--json", home=home).json()["summary"]
    assert diff["unchanged"] == len(v2) and diff["added"] == diff["removed"] == diff["changed"] == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def stub_hub():
    """A local HTTP server answering every request with one status and X-Error-Code, like the Hub does."""
    import http.server
    import threading

    servers = []

    def start(status: int, error_code: str = "") -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.send_response(status)
                if error_code:
                    self.send_header("X-Error-Code", error_code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": "refused by the stub"}')

            do_GET = do_POST = do_HEAD = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


FAKE_TOKEN = "hf_curateFAKEtoken0123456789abcdefXYZ"


def test_hub_errors_are_one_line_and_fast(home: Path, tmp_path: Path, stub_hub) -> None:
    no_hub = f"http://127.0.0.1:{_closed_port()}"
    no_login = {"HF_TOKEN": "", "HF_HOME": str(tmp_path / "hf-home")}
    cases = [
        (["push-to-hub", "me/x", "--version", "v1"], no_login, "no Hugging Face token"),
        (["push-to-hub", "me/x", "--version", "v1"], {"HF_TOKEN": FAKE_TOKEN, "HF_ENDPOINT": no_hub},
         f"cannot reach the Hugging Face Hub at {no_hub}"),
        (["pull-from-hub", "me/x", "--revision", "v1"], {"HF_ENDPOINT": no_hub}, "cannot reach the Hugging Face Hub"),
        (["push-to-hub", "me/x", "--version", "v9"], {"HF_TOKEN": FAKE_TOKEN}, "version 'v9' not found"),
        (["pull-from-hub", "me/x", "--revision", "v1"], {**no_login, "HF_ENDPOINT": stub_hub(404, "RepoNotFound")},
         "dataset repo me/x does not exist"),
        (["pull-from-hub", "me/x", "--revision", "v7"], {**no_login, "HF_ENDPOINT": stub_hub(404, "RevisionNotFound")},
         "revision 'v7' not found in dataset repo me/x"),
        (["push-to-hub", "me/x", "--version", "v1"], {"HF_TOKEN": FAKE_TOKEN, "HF_ENDPOINT": stub_hub(401)},
         "the Hub refused the token for me/x (HTTP 401)"),
        (["push-to-hub", "not a repo!", "--version", "v1", "--dry-run", str(tmp_path / "d")], {}, "is not valid"),
    ]
    import time

    for args, env, expected in cases:
        began = time.perf_counter()
        result = run_curate(*args, home=home, env=env, timeout=60)
        took = time.perf_counter() - began
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert expected in result.stderr, result.stderr
        assert FAKE_TOKEN not in result.stderr + result.stdout
        assert took < 20, f"{args} took {took:.1f} s"


def test_no_token_value_in_any_output_card_or_manifest(tmp_path: Path, stub_hub) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    env = {"HF_TOKEN": FAKE_TOKEN, "HF_HOME": str(tmp_path / "hf-home")}
    runs = [
        run_curate("generate", "--tissue", "liver", "--kinds", "factual_qa", home=home, env=env),
        run_curate("show", "v1", home=home, env=env),
        run_curate("export", "v1", "--format", "chat", "--out", str(out / "chat.jsonl"), home=home, env=env),
        run_curate("card", "v1", "--out", str(out / "card.md"), home=home, env=env),
        run_curate("push-to-hub", "me/x", "--version", "v1", "--dry-run", str(out / "dry"), "--json", home=home,
                   env=env),
        run_curate("pull-from-hub", "me/x", "--revision", "v1", "--from-dir", str(out / "dry"), home=home, env=env),
        run_curate("push-to-hub", "me/x", "--version", "v1", home=home,
                   env={**env, "HF_ENDPOINT": f"http://127.0.0.1:{_closed_port()}"}),
        run_curate("push-to-hub", "me/x", "--version", "v1", home=home,
                   env={**env, "HF_ENDPOINT": stub_hub(401)}),
        run_curate("diff", "v1", "v2", "--json", home=home, env=env),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 0, 0, 0, 2, 2, 0], [r.stderr for r in runs]
    for result in runs:
        assert FAKE_TOKEN not in result.stdout and FAKE_TOKEN not in result.stderr
    written = [p for p in list(home.rglob("*")) + list(out.rglob("*")) if p.is_file()]
    assert len(written) > 20
    for path in written:
        assert FAKE_TOKEN.encode() not in path.read_bytes(), path


def test_push_and_pull_live(tmp_path: Path) -> None:
    """Runs only with a real token and a reachable Hub: push a small version, pull it back, delete the repo."""
    import uuid

    from huggingface_hub import HfApi, get_token

    token = get_token()
    if not token:
        pytest.skip("no Hugging Face token (HF_TOKEN or a stored login)")
    try:
        user = HfApi(token=token).whoami()["name"]
    except Exception as exc:  # no network here, or a token the Hub refuses
        pytest.skip(f"the Hub is not usable: {type(exc).__name__}")
    repo_id = f"{user}/curate-live-test-{uuid.uuid4().hex[:8]}"
    home = tmp_path / "home"
    assert run_curate("generate", "--tissue", "liver", "--kinds", "factual_qa", home=home).returncode == 0
    try:
        pushed = run_curate("push-to-hub", repo_id, "--version", "v1", "--private", "--json", home=home, timeout=300)
        assert pushed.returncode == 0, pushed.stderr
        assert token not in pushed.stdout + pushed.stderr
        again = run_curate("push-to-hub", repo_id, "--version", "v1", home=home, timeout=300)
        assert again.returncode == 2 and "already has a tag v1" in again.stderr
        pulled = run_curate("pull-from-hub", repo_id, "--revision", "v1", "--json", home=home, timeout=300)
        assert pulled.returncode == 0, pulled.stderr
        assert Registry(home).manifest(pulled.json()["version"]).parent == f"hub:{repo_id}@v1"
        diff = run_curate("diff", "v1", pulled.json()["version"], "--json", home=home).json()["summary"]
        assert diff["unchanged"] == diff["n_a"] == diff["n_b"]
    finally:
        HfApi(token=token).delete_repo(repo_id, repo_type="dataset", missing_ok=True)
