"""`curate lint` and `curate import` on datasets curate did not make, run as real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_curate

from curate.gates.readers import load_dataset

# A small hand-made dataset with the flaws the gates exist for.
RECORDS = [
    {"instruction": "How many genes does hindlimb unloading change in the liver of vehicle-treated mice?",
     "input": "", "output": "In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down)."},
    {"instruction": "How many genes does hindlimb unloading change in the liver of vehicle-treated mice?",
     "input": "", "output": "In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down)."},
    {"instruction": "What is the KMP response class of the hippocampus?", "input": "",
     "output": "Hippocampus is a Type A (stress-activated) tissue."},
    {"instruction": "How many DEGs does ionizing radiation cause in heart?", "input": "",
     "output": "In heart, ionizing radiation (IR) changes 330 genes."},
    {"instruction": "Rank heart and soleus by DEGs under hindlimb unloading.", "input": "",
     "output": "Under HU, heart (165) > soleus (6,425)."},
]
CLEAN = [
    {"instruction": "How many genes does hindlimb unloading change in liver?", "input": "",
     "output": "In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down)."},
    {"instruction": "Which KMP response class is the hippocampus?", "input": "",
     "output": "Hippocampus is a Type B (baseline-active) tissue: its KMP effect falls from 4,110 DEGs at "
               "baseline to 140 under combined HU+IR."},
]


def _write_formats(folder: Path, records: list[dict]) -> dict[str, Path]:
    paths = {"json": folder / "data.json", "jsonl": folder / "data.jsonl", "chat": folder / "chat.jsonl",
             "text": folder / "data.txt"}
    paths["json"].write_text(json.dumps(records, indent=1))
    paths["jsonl"].write_text("\n".join(json.dumps(r) for r in records) + "\n")
    chats = [{"messages": [{"role": "system", "content": "You are a biologist."},
                           {"role": "user", "content": r["instruction"]},
                           {"role": "assistant", "content": r["output"]}]} for r in records]
    paths["chat"].write_text("\n".join(json.dumps(c) for c in chats) + "\n")
    paths["text"].write_text("\n\n".join(f"### Instruction:\n{r['instruction']}\n\n### Response:\n{r['output']}"
                                         for r in records) + "\n")
    return paths


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lint")
    paths = _write_formats(folder, RECORDS)
    import datasets

    datasets.disable_progress_bars()
    rows = [{k: r[k] for k in ("instruction", "input", "output")} for r in RECORDS]
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows[:3]),
                          "test": datasets.Dataset.from_list(rows[3:])}).save_to_disk(str(folder / "hf"))
    paths["datasets"] = folder / "hf"
    return paths


@pytest.mark.parametrize("fmt", ["json", "jsonl", "chat", "text", "datasets"])
def test_every_format_reads_the_same_records(flawed: dict[str, Path], fmt: str) -> None:
    loaded = load_dataset(flawed[fmt])
    assert [(i.instruction, i.output) for i in loaded.items] == [(r["instruction"], r["output"]) for r in RECORDS]
    expected = {"json": "json/alpaca", "jsonl": "jsonl/alpaca", "chat": "jsonl/openai", "text": "text/text-alpaca",
                "datasets": "datasets/alpaca"}[fmt]
    assert loaded.format == expected
    if fmt == "datasets":
        assert [i.split for i in loaded.items] == ["train"] * 3 + ["test"] * 2
    if fmt == "chat":
        assert loaded.items[0].input == "You are a biologist."


def test_lint_finds_claims_duplicates_and_leakage(flawed: dict[str, Path], tmp_path: Path) -> None:
    test_set = tmp_path / "test.json"
    test_set.write_text(json.dumps([{"instruction": "How many genes does hindlimb unloading change in the liver "
                                                    "of vehicle treated mice?", "output": "4,110"}]))
    result = run_curate("lint", str(flawed["jsonl"]), "--test", str(test_set), "--json", home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    data = result.json()
    report = data["report"]
    assert data["n_records"] == 5 and data["n_test_records"] == 1 and data["format"] == "jsonl/alpaca"
    findings = report["gates"]["claims"]["findings"]
    assert {(f["example_id"], f["type"]) for f in findings} == {
        ("#3", "wrong_class"), ("#4", "wrong_number"), ("#5", "wrong_order")}
    wrong_class = next(f for f in findings if f["type"] == "wrong_class")
    assert wrong_class["fact_ids"] == ["tissue_class:hippocampus"] and "Type B" in wrong_class["expected"]
    assert report["gates"]["duplicates"]["exact_examples"] == [["#1", "#2"]]
    leaks = report["gates"]["leakage"]["pairs"]
    assert {(p["a"], p["b"]) for p in leaks} == {("test#1", "#1"), ("test#1", "#2")}
    assert report["results"] == {"claims": False, "duplicates": False, "leakage": False}
    assert report["gates"]["coverage"]["enforced"] is False


def test_lint_prints_a_report_for_people(flawed: dict[str, Path], tmp_path: Path) -> None:
    result = run_curate("lint", str(flawed["text"]), home=tmp_path)
    assert result.returncode == 1
    for words in ("claim findings by type", "wrong_class", "duplicate groups", "found problems"):
        assert words in result.stdout, result.stdout


def test_lint_passes_a_clean_dataset(tmp_path: Path) -> None:
    paths = _write_formats(tmp_path, CLEAN)
    result = run_curate("lint", str(paths["chat"]), "--json", home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.json()["passed"] is True


def test_lint_passes_a_version_curate_made(default_home: Path, tmp_path: Path) -> None:
    """Curate's own examples, read back as an external dataset with their fact ids."""
    result = run_curate("lint", str(default_home / "versions" / "v1" / "examples.jsonl"), "--json", home=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.json()["report"]["gates"]["claims"]["n_checked"] > 200


def test_import_registers_the_dataset_as_a_version(flawed: dict[str, Path], tmp_path: Path) -> None:
    result = run_curate("import", str(flawed["datasets"]), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert data["version"] == "v1" and data["n_examples"] == 5
    folder = tmp_path / "versions" / "v1"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["generator_config"]["origin"] == "imported"
    assert manifest["gates_passed"] is False and manifest["allow_failing"] is True
    assert (folder / "gates.json").is_file()
    examples = [json.loads(line) for line in (folder / "examples.jsonl").read_text().splitlines()]
    assert {e["origin"] for e in examples} == {"imported"}
    assert examples[0]["fact_ids"] == ["deg_count:liver:HU"]  # found by the claim check
    assert "tissue_class:hippocampus" in examples[2]["fact_ids"]  # the fact its wrong claim is about
    assert [e["split"] for e in examples] == ["train"] * 3 + ["test"] * 2
    listed = run_curate("versions", "--json", home=tmp_path)
    assert listed.json()[0]["version"] == "v1"


# -- bad input: one line on stderr, exit 2 -----------------------------------------------------------
@pytest.mark.parametrize(("name", "content", "args", "message"), [
    ("empty.json", b"", [], "empty file"),
    ("object.json", b'{"instruction": "q", "output": "a"}', [], "not a list of records"),
    ("no-answer.jsonl", b'{"instruction": "How many genes?", "input": ""}\n', [], "record 1: no answer field"),
    ("data.json", b'[{"instruction": "q", "output": "a"}]', ["--format", "xml"], "unknown format 'xml'"),
    ("binary.json", bytes(range(256)) * 4, [], "binary file"),
    ("not-utf8.txt", "### Instruction:\nq\n### Response:\nla réponse\n".encode("latin-1"), [], "not UTF-8"),
    ("bad.jsonl", b'{"instruction": "q", "output": "a"}\n{"instruction": \n', [], "line 2 is not valid JSON"),
    ("numbers.json", b"[1, 2]", [], "record 1: it is a number, not an object"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str, content: bytes, args: list[str],
                                          message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_curate("lint", str(path), *args, home=tmp_path / "home")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    if name != "data.json":
        assert name in lines[0]  # the message names the file
    assert "Traceback" not in result.stderr


def test_missing_file_and_bad_import_are_exit_2(tmp_path: Path) -> None:
    missing = run_curate("lint", str(tmp_path / "nope.jsonl"), home=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    result = run_curate("import", str(empty), home=tmp_path)
    assert result.returncode == 2 and "empty file" in result.stderr
    assert not (tmp_path / "versions").exists()
