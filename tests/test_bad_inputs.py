"""The bad-input corpus: every case gives exit 2, one line naming the file or value, no traceback,
and leaves the registry exactly as it was.

Each case is a folder under tests/bad_inputs/ with a `case.json`:
  args    the curate command line; `{dir}` is the case's folder (copied to a temp dir first)
  expect  text the one-line message must contain (the file, column or value at fault)
  home    optional folder inside the case to use as the registry home (otherwise an empty temp home)
  setup   optional curate command lines run first, in that home (e.g. to make a version v1); `{dir}` as in args
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_curate

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.json").is_file())


def _tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_has_at_least_30_cases() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} cases"


def test_reliability_doc_states_the_number_of_cases() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    stated = re.search(r"`tests/bad_inputs/` \((\d+) cases\).*\| (\d+) / (\d+) \|", doc)
    assert stated is not None, "docs/reliability.md no longer states the corpus size"
    assert {int(n) for n in stated.groups()} == {len(CASES)}, f"docs/reliability.md: update the count to {len(CASES)}"


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path) -> None:
    case_dir = tmp_path / name
    shutil.copytree(CORPUS / name, case_dir)
    case = json.loads((case_dir / "case.json").read_text())
    home = case_dir / case["home"] if "home" in case else tmp_path / "home"
    for setup in case.get("setup", []):
        assert run_curate(*[arg.replace("{dir}", str(case_dir)) for arg in setup], home=home).returncode == 0, setup
    before = _tree(home)
    args = [arg.replace("{dir}", str(case_dir)) for arg in case["args"]]
    run = run_curate(*args, home=home, timeout=300)
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip("\n").split("\n")
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    assert case["expect"] in lines[0], lines[0]
    assert _tree(home) == before, "the registry changed"
