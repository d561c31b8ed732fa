"""`curate verify` catches every kind of damage; `curate doctor` reports with a fix for each problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_curate


@pytest.fixture
def home(tmp_path: Path, default_home: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(default_home, copy)
    return copy


def test_clean_registry_verifies(home: Path) -> None:
    run = run_curate("verify", "--json", home=home)
    assert run.returncode == 0, run.stdout
    assert run.json()["ok"] is True and run.json()["versions_checked"] == 2


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda v: (v / "examples.jsonl").write_text("{}\n"), "content hash differs"),
    (lambda v: (v / "dataset" / "train" / "state.json").unlink(), "listed in the manifest but missing"),
    (lambda v: (v / "stray.txt").write_text("x"), "not listed in the manifest"),
    (lambda v: (v / "manifest.json").write_text("{"), "corrupt manifest"),
    (lambda v: (v / "manifest.json").unlink(), "not a complete version"),
])
def test_damage_is_found(home: Path, damage, expected: str) -> None:
    damage(home / "versions" / "v2")
    run = run_curate("verify", "--json", home=home)
    assert run.returncode == 1
    problems = run.json()["problems"]
    assert any(expected in p["what"] for p in problems), problems
    assert all(p["fix"] for p in problems)


def test_broken_lineage_is_found(home: Path) -> None:
    manifest_path = home / "versions" / "v1" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["parent"] = "v2"
    manifest_path.write_text(json.dumps(manifest))
    run = run_curate("verify", "--json", home=home)
    assert run.returncode == 1
    assert any("not older" in p["what"] for p in run.json()["problems"])


def test_doctor_reports_every_area_with_fixes(home: Path) -> None:
    run = run_curate("doctor", "--json", home=home, env={"ARGILLA_API_URL": "http://127.0.0.1:9"})
    assert run.returncode == 0, run.stderr
    checks = {c["name"]: c for c in run.json()}
    assert {"extra [bio]", "extra [review]", "extra [train]", "redis-server", "argilla server", "gpu",
            "registry"} <= set(checks)
    assert checks["registry"]["ok"] is True
    assert checks["argilla server"]["ok"] is False and "curate review serve" in checks["argilla server"]["fix"]
    assert checks["argilla server"]["severity"] == "note"  # an environment URL that nothing answers: not ours
    assert all(c["fix"] for c in checks.values() if not c["ok"])
    table = run_curate("doctor", home=home, env={"ARGILLA_API_URL": "http://127.0.0.1:9"})
    assert "extra [train]" in table.stdout


def test_doctor_fails_on_a_problem_and_not_on_a_note(home: Path) -> None:
    """Notes (an optional part absent) exit 0; a problem (here a corrupt version) exits 1."""
    (home / "versions" / "v2" / "examples.jsonl").write_text("{}\n")
    run = run_curate("doctor", "--json", home=home, env={"ARGILLA_API_URL": "http://127.0.0.1:9"})
    assert run.returncode == 1
    checks = {c["name"]: c for c in run.json()}
    assert checks["registry"]["severity"] == "problem" and checks["registry"]["fix"]
    assert {c["severity"] for c in checks.values()} <= {"ok", "note", "problem"}
