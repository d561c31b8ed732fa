"""`curate generate`: versions, splits that measure something, byte-identical reruns, bad input."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import read_examples, run_curate

from curate.schemas import EXAMPLE_KINDS


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def test_liver_then_all_write_v1_and_v2_with_every_kind(default_home: Path) -> None:
    v1 = json.loads((default_home / "versions" / "v1" / "manifest.json").read_text())
    v2 = json.loads((default_home / "versions" / "v2" / "manifest.json").read_text())
    assert (v1["version"], v2["version"]) == ("v1", "v2")
    assert v1["generator_config"]["tissues"] == ["liver"]
    assert v2["generator_config"]["tissues"] == ["heart", "hippocampus", "liver", "soleus"]
    for manifest in (v1, v2):
        assert set(manifest["counts_by_kind"]) == set(EXAMPLE_KINDS)
        assert set(manifest["counts_by_split"]) == {"train", "test"}
        assert sum(manifest["counts_by_kind"].values()) == manifest["n_examples"]
    assert set(v1["counts_by_tissue"]) == {"liver", "cross-tissue"}  # cross-tissue: tissues not in the study
    assert v2["n_examples"] > v1["n_examples"]


def test_version_folder_is_complete_and_hashed(default_home: Path) -> None:
    folder = default_home / "versions" / "v2"
    manifest = json.loads((folder / "manifest.json").read_text())
    payload = (folder / "examples.jsonl").read_bytes()
    assert hashlib.sha256(payload).hexdigest() == manifest["content_hash"]
    for relpath, sha in manifest["files"].items():
        assert hashlib.sha256((folder / relpath).read_bytes()).hexdigest() == sha, relpath
    import datasets

    loaded = datasets.load_from_disk(str(folder / "dataset"))
    assert {split: len(loaded[split]) for split in loaded} == manifest["counts_by_split"]
    assert not (default_home / ".staging").exists() or not any((default_home / ".staging").iterdir())


def test_no_test_instruction_appears_in_train(default_home: Path) -> None:
    for version in ("v1", "v2"):
        examples = read_examples(default_home, version)
        train = {_normalise(e["instruction"]) for e in examples if e["split"] == "train"}
        test = [e for e in examples if e["split"] == "test"]
        assert test
        assert not [e["instruction"] for e in test if _normalise(e["instruction"]) in train]
        train_templates = {e["template_id"] for e in examples if e["split"] == "train"}
        assert not {e["template_id"] for e in test} & train_templates


# Kinds whose test answers share no sentence with a training answer (generators/text.py `restate`).
OWN_TEST_SENTENCES = ("factual_qa", "error_correction")


def test_test_answers_are_not_training_answers(default_home: Path) -> None:
    """No answerable held-out item can be passed by recalling a training answer word for word; for the factual
    kinds, not even one sentence of one. (Declines of unanswerable questions may repeat: declining is the
    knowledge tested there.)"""
    examples = read_examples(default_home, "v2")
    train = [e["output"] for e in examples if e["split"] == "train"]
    test = [e for e in examples if e["split"] == "test" and e["answerable"]]
    assert {e["kind"] for e in test} == set(EXAMPLE_KINDS)
    assert not [e["id"] for e in test if e["output"] in set(train)]
    train_sentences = {s for output in train for s in re.split(r"(?<=\.)\s+", output) if len(s) > 40}
    factual = [e for e in test if e["kind"] in OWN_TEST_SENTENCES]
    assert not [(e["id"], s) for e in factual for s in re.split(r"(?<=\.)\s+", e["output"]) if s in train_sentences]


def test_training_phrasings_of_a_fact_pass_its_test_reference() -> None:
    """Right facts in the training words score correct against the test split's own words, and a wrong count
    does not: scoring reads the claims, not the string."""
    from curate.generators import generate_examples
    from curate.generators.embedded import load_default_factsheet
    from curate.train.evaluate import question_of
    from curate.train.scorers import score_answer

    sheet = load_default_factsheet()
    # error_correction's training answers correct other wrong claims than its test items, so they differ.
    kinds = ["factual_qa", "comparison", "chain_of_thought", "interaction_prediction", "calibration"]
    examples = generate_examples(sheet, tissues=sheet.tissues, kinds=kinds, seed=0, per_fact=4)
    train: dict[tuple[str, str], list[str]] = {}
    for e in examples:
        if e.split == "train":
            train.setdefault((e.kind, e.metadata["subject"]), []).append(e.output)
    checked = 0
    for e in (e for e in examples if e.split == "test" and e.answerable):
        for answer in train[(e.kind, e.metadata["subject"])]:
            checked += 1
            assert score_answer(question_of(e), answer, sheet).correct, (e.output, answer)
    assert checked >= 4 * (66 + 24 + 27 + 4 + 39)
    deg = next(e for e in examples if e.split == "test" and e.fact_ids == ["deg_count:liver:HU"])
    assert not score_answer(question_of(deg), "In liver, hindlimb unloading (HU) changes 4,111 genes.", sheet).correct


def test_every_fact_is_tested_with_an_unseen_phrasing(default_home: Path) -> None:
    examples = read_examples(default_home, "v2")
    train_facts = {f for e in examples if e["split"] == "train" for f in e["fact_ids"]}
    test_facts = {f for e in examples if e["split"] == "test" for f in e["fact_ids"]}
    assert train_facts == test_facts


def test_calibration_is_tested_on_its_own_unanswerable_questions(default_home: Path) -> None:
    examples = read_examples(default_home, "v2")
    unanswerable = [e for e in examples if not e["answerable"]]
    train_subjects = {e["metadata"]["subject"] for e in unanswerable if e["split"] == "train"}
    test_subjects = {e["metadata"]["subject"] for e in unanswerable if e["split"] == "test"}
    assert train_subjects and test_subjects and not train_subjects & test_subjects
    assert all(e["kind"] == "calibration" and not e["fact_ids"] for e in unanswerable)
    assert all("cannot tell" in e["output"] for e in unanswerable)


def test_same_inputs_and_seed_give_a_byte_identical_version(tmp_path: Path) -> None:
    hashes = []
    for name in ("a", "b"):
        run = run_curate("generate", "--tissue", "liver,soleus", "--seed", "7", "--json", home=tmp_path / name)
        assert run.returncode == 0, run.stderr
        hashes.append(run.json()["content_hash"])
    assert hashes[0] == hashes[1]
    manifest = json.loads((tmp_path / "a" / "versions" / "v1" / "manifest.json").read_text())
    for relpath in manifest["files"]:
        first, second = tmp_path / "a/versions/v1" / relpath, tmp_path / "b/versions/v1" / relpath
        assert first.read_bytes() == second.read_bytes()
    other = run_curate("generate", "--tissue", "liver,soleus", "--seed", "8", "--json", home=tmp_path / "a")
    assert other.json()["version"] == "v2" and other.json()["content_hash"] != hashes[0]


def test_kinds_and_per_fact_options(tmp_path: Path) -> None:
    run = run_curate("generate", "--tissue", "heart", "--kinds", "factual_qa,comparison", "--per-fact", "4",
                     "--json", home=tmp_path)
    assert run.returncode == 0, run.stderr
    counts = run.json()["counts_by_kind"]
    assert set(counts) == {"factual_qa", "comparison"}
    heart_facts = 3 + 4 + 3 + 5 + 1 + 8  # stressor, KMP, interaction, pathways, class, hub genes
    assert counts["factual_qa"] == heart_facts * (4 + 1)


BAD = [
    (["--tissue", "livr"], "unknown tissue 'livr'"),
    (["--kinds", "poetry"], "unknown kind 'poetry'"),
    (["--per-fact", "-1"], "--per-fact -1"),
    (["--per-fact", "0"], "--per-fact 0"),
    (["--tissue", ""], "--tissue is empty"),
    (["--from", "/nonexistent/factsheet.json"], "/nonexistent/factsheet.json: no such file"),
    (["--facts", "no-such-sheet"], "fact sheet 'no-such-sheet' not found"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_options_give_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    home = tmp_path / "home"
    run = run_curate("generate", *args, home=home)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert not home.exists()


def test_unwritable_home(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = run_curate("generate", "--tissue", "liver", home=blocker / "home")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "is not writable" in run.stderr and str(blocker) in run.stderr


def test_corrupt_manifest_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    assert run_curate("generate", "--tissue", "liver", "--kinds", "factual_qa", home=tmp_path).returncode == 0
    manifest = tmp_path / "versions" / "v1" / "manifest.json"
    manifest.write_text('{"version": "v1", "content_hash": "oops"}')
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    run = run_curate("generate", "--tissue", "liver", home=tmp_path)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "corrupt manifest" in run.stderr and str(manifest) in run.stderr
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before
    listing = run_curate("versions", home=tmp_path)
    assert listing.returncode == 2 and "corrupt manifest" in listing.stderr


def test_versions_and_facts_commands(default_home: Path) -> None:
    listed = run_curate("versions", "--json", home=default_home)
    assert [m["version"] for m in listed.json()] == ["v1", "v2"]
    facts = run_curate("facts", "--tissue", "hippocampus", "--json", home=default_home).json()["facts"]
    oxphos = next(f for f in facts if f["id"] == "pathway_shift:hippocampus:OXIDATIVE_PHOSPHORYLATION")
    assert oxphos["pattern"] == "KMP_ONLY" and oxphos["stress_significant"] is False
    assert oxphos["provenance"]["source"] == "pathways.csv" and oxphos["provenance"]["row"] == 6
    assert "'NS' describes the stress effect" in oxphos["provenance"]["note"]
    klass = next(f for f in facts if f["kind"] == "tissue_class")
    assert klass["response_class"] == "B"
    table = run_curate("facts", "--tissue", "liver", home=default_home)
    assert table.returncode == 0 and "deg_count:liver:HU" in table.stdout


def test_schema_export(tmp_path: Path, default_home: Path) -> None:
    import jsonschema

    run = run_curate("schema", "--out", str(tmp_path / "schemas"), "--json")
    assert run.returncode == 0, run.stderr
    files = set(run.json()["files"])
    assert {"Example.schema.json", "Fact.schema.json", "FactSheet.schema.json", "DatasetManifest.schema.json",
            "Provenance.schema.json"} <= files
    example_schema = json.loads((tmp_path / "schemas" / "Example.schema.json").read_text())
    for example in read_examples(default_home, "v1")[:50]:
        jsonschema.validate(example, example_schema)
    manifest_schema = json.loads((tmp_path / "schemas" / "DatasetManifest.schema.json").read_text())
    jsonschema.validate(json.loads((default_home / "versions/v1/manifest.json").read_text()), manifest_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "poetry"}, example_schema)
