"""Duplicates, leakage, coverage, the gate report, and the gates inside `curate generate`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import read_examples, run_curate

from curate.gates import LEAK_THRESHOLD, NEAR_THRESHOLD, GateItem, as_items, run_gates
from curate.gates.coverage import MIN_TRAIN, heatmap_png
from curate.gates.dedup import Prompts, entity_signature, find_duplicates
from curate.gates.leakage import find_leakage
from curate.generators import generate_examples
from curate.generators.embedded import load_default_factsheet
from curate.judge import lexicon
from curate.schemas import EXAMPLE_KINDS
from curate.schemas.examples import normalise_text as normalise

SHEET = load_default_factsheet()
LEX = lexicon(SHEET)


def _item(id_: str, instruction: str, output: str = "An answer.", split: str = "train",
          fact_ids: tuple[str, ...] = ()) -> GateItem:
    return GateItem(id=id_, instruction=instruction, output=output, split=split, fact_ids=fact_ids)


def _dups(items: list[GateItem]):  # type: ignore[no-untyped-def]
    return find_duplicates(Prompts(items, LEX))


@pytest.fixture(scope="module")
def generated_all() -> list[GateItem]:
    return as_items(generate_examples(SHEET, tissues=SHEET.tissues, kinds=list(EXAMPLE_KINDS), seed=0, per_fact=3))


# -- duplicates -------------------------------------------------------------------------------------
def test_exact_duplicates_and_conflicting_answers() -> None:
    items = [
        _item("a", "How many genes does HU change in liver?", "4,110."),
        _item("b", "how many genes does HU  change in liver", "4,110"),  # same after normalising
        _item("c", "What class is the heart?", "Type A."),
        _item("d", "What class is the heart?", "Type B."),
    ]
    report = _dups(items)
    assert report.exact_examples == [["a", "b"]]
    assert report.conflicting == [["c", "d"]]
    assert not report.passed
    assert report.n_duplicates == 2


def test_a_question_about_another_entity_is_not_a_duplicate() -> None:
    """One character apart, but about different facts: different questions."""
    a = "How many genes are differentially expressed in liver under HU compared with controls?"
    b = "How many genes are differentially expressed in liver under IR compared with controls?"
    assert normalise(a) != normalise(b)
    from rapidfuzz import fuzz

    assert fuzz.ratio(normalise(a), normalise(b)) >= NEAR_THRESHOLD  # similar enough to be flagged ...
    assert _dups([_item("a", a), _item("b", b)]).passed  # ... but they name other facts (no fact ids)
    assert _dups([_item("a", a, fact_ids=("deg_count:liver:HU",)),
                  _item("b", b, fact_ids=("deg_count:liver:IR",))]).passed  # ... or state other facts
    assert entity_signature(a, LEX) != entity_signature(b, LEX)


def test_a_reworded_copy_is_a_near_duplicate() -> None:
    a = "How many genes does hindlimb unloading change in the liver of vehicle-treated mice?"
    b = "How many genes does hindlimb unloading change in liver of vehicle treated mice?"
    without_ids = _dups([_item("a", a), _item("b", b)])
    assert [(p.a, p.b, p.kind) for p in without_ids.near_pairs] == [("a", "b", "near")]
    same_facts = _dups([_item("a", a, fact_ids=("deg_count:liver:HU",)),
                        _item("b", b, fact_ids=("deg_count:liver:HU",))])
    assert len(same_facts.near_pairs) == 1 and same_facts.near_pairs[0].similarity >= NEAR_THRESHOLD


def test_drug_and_organ_names_count_as_entities() -> None:
    a = "Would quercetin rescue the heart response to HU+IR as KMP does?"
    b = "Would metformin rescue the heart response to HU+IR as KMP does?"
    c = "How many genes does hindlimb unloading change in the kidney?"
    d = "How many genes does hindlimb unloading change in the lung?"
    assert _dups([_item("a", a), _item("b", b), _item("c", c), _item("d", d)]).passed


def test_generated_version_has_no_duplicates(generated_all: list[GateItem]) -> None:
    report = _dups(generated_all)
    assert report.passed, report.to_dict()["near_pairs"][:3]


def test_large_blocks_use_minhash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prompts that name no entity fall in one block; past LSH_BLOCK it is searched with MinHash LSH."""
    from curate.gates import dedup

    monkeypatch.setattr(dedup, "LSH_BLOCK", 10)
    filler = [_item(f"f{i}", f"Please explain point number {'x' * (i % 7)} about methods {i * 7919 % 997}")
              for i in range(30)]
    pair = [_item("p", "Explain why bulk sequencing averages over every cell in a tissue sample."),
            _item("q", "Explain why bulk sequencing averages over every cell in the tissue samples.")]
    report = _dups(filler + pair)
    assert ("p", "q") in {(p.a, p.b) for p in report.near_pairs}


# -- leakage ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("tissues", [["liver"], SHEET.tissues])
def test_generated_splits_have_no_leakage(tissues: list[str]) -> None:
    """The splitter makes this true by construction; the gate verifies it at the documented threshold."""
    items = as_items(generate_examples(SHEET, tissues=tissues, kinds=list(EXAMPLE_KINDS), seed=0, per_fact=3))
    report = find_leakage(Prompts(items, LEX))
    assert report.threshold == LEAK_THRESHOLD == 80.0
    assert report.n_test > 0 and report.n_train > 0
    assert report.pairs == []
    assert report.template_collisions == {}


def test_leakage_pairs_are_found_and_listed(generated_all: list[GateItem]) -> None:
    train = [i for i in generated_all if i.split == "train"]
    copied = replace(train[0], id="leak-exact", split="test")
    reworded = replace(train[5], id="leak-near", split="test",
                       instruction=train[5].instruction.rstrip("?.") + " please?")
    report = find_leakage(Prompts([*generated_all, copied, reworded], LEX))
    found = {(p.a, p.b, p.kind) for p in report.pairs}
    assert ("leak-exact", train[0].id, "exact") in found
    assert any(p.a == "leak-near" and p.b == train[5].id for p in report.pairs)
    assert set(report.template_collisions) == {train[0].template_id, train[5].template_id}
    assert not report.passed
    assert report.to_dict()["pairs"][0]["similarity"] >= LEAK_THRESHOLD


def test_test_templates_never_appear_in_train(generated_all: list[GateItem]) -> None:
    test_templates = {i.template_id for i in generated_all if i.split == "test"}
    train_templates = {i.template_id for i in generated_all if i.split == "train"}
    assert test_templates and not test_templates & train_templates


# -- coverage ---------------------------------------------------------------------------------------
def test_coverage_gate_passes_by_default_and_fails_with_one_phrasing(generated_all: list[GateItem]) -> None:
    report = run_gates(generated_all, SHEET)
    assert report.passed, report.summaries()
    assert report.coverage is not None
    assert len(report.coverage.facts) == len(SHEET.facts)
    assert min(f.train_paraphrases for f in report.coverage.facts) >= MIN_TRAIN
    thin = as_items(generate_examples(SHEET, tissues=SHEET.tissues, kinds=list(EXAMPLE_KINDS), seed=0, per_fact=1))
    failing = run_gates(thin, SHEET)
    assert failing.gate_results == {"claims": True, "duplicates": True, "leakage": True, "coverage": False}
    assert {f.kind for f in failing.coverage.failing} == {"hub_gene"}


def test_heatmap_is_a_png(generated_all: list[GateItem]) -> None:
    report = run_gates([i for i in generated_all if i.tissue in ("liver", "cross-tissue")], SHEET, tissues=["liver"])
    png = heatmap_png(report.coverage)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_report_is_serialisable(generated_all: list[GateItem]) -> None:
    report = run_gates(generated_all[:200], SHEET, coverage=False)
    data = json.loads(report.to_json())
    assert data["schema"] == "curate.gates/1"
    assert set(data["gates"]) == {"claims", "duplicates", "leakage"}
    assert all("summary" in gate and "passed" in gate for gate in data["gates"].values())


# -- inside `curate generate` ------------------------------------------------------------------------
def test_default_versions_pass_every_gate_and_keep_the_report(default_home: Path) -> None:
    for version in ("v1", "v2"):
        folder = default_home / "versions" / version
        manifest = json.loads((folder / "manifest.json").read_text())
        gates = json.loads((folder / "gates.json").read_text())
        assert manifest["gates_passed"] is True and manifest["allow_failing"] is False
        assert gates["passed"] is True and gates["results"] == {
            "claims": True, "duplicates": True, "leakage": True, "coverage": True}
        assert gates["gates"]["leakage"]["n_pairs"] == 0
        assert {"gates.json", "coverage.png"} <= set(manifest["files"])
        assert (folder / "coverage.png").read_bytes().startswith(b"\x89PNG")
        assert len(read_examples(default_home, version)) == manifest["n_examples"]


def test_generate_refuses_a_failing_version_and_writes_nothing(tmp_path: Path) -> None:
    result = run_curate("generate", "--tissue", "all", "--per-fact", "1", home=tmp_path)
    assert result.returncode == 1
    assert "coverage" in result.stdout and "FAIL" in result.stdout  # the table of findings, on stdout
    assert "hub_gene:heart:Alb" in result.stdout  # fact ids printed as they are (no emoji)
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line on stderr
    assert result.stderr.startswith("error: quality gates failed: coverage")
    assert not (tmp_path / "versions").exists() or not any((tmp_path / "versions").iterdir())


def test_a_refused_version_with_json_is_json(tmp_path: Path) -> None:
    result = run_curate("generate", "--tissue", "all", "--per-fact", "1", "--json", home=tmp_path)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["error"]["type"] == "GateFailedError" and payload["error"]["exit_code"] == 1
    assert payload["gates"]["results"]["coverage"] is False
    assert result.stderr.startswith("error: quality gates failed: coverage")


def test_allow_failing_writes_it_and_the_manifest_says_so(tmp_path: Path) -> None:
    result = run_curate("generate", "--tissue", "all", "--per-fact", "1", "--allow-failing", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "versions" / "v1"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["gates_passed"] is False and manifest["allow_failing"] is True
    gates = json.loads((folder / "gates.json").read_text())
    assert gates["passed"] is False and gates["results"]["coverage"] is False
    assert gates["gates"]["coverage"]["n_failing"] == 11
