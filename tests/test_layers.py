"""The layers contract (pyproject's [tool.importlinter]) holds, covers every module, and catches an upward import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
DESIGN_FOLDERS = ("schemas", "generators", "train", "annotations")


def _contract() -> dict:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return contract


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
                          timeout=300)


def test_the_contract_is_kept() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr


def test_every_module_of_curate_sits_in_a_layer() -> None:
    """A new module outside the contract would be free to import anything."""
    listed = {name.strip("() ") for layer in _contract()["layers"] for name in layer.replace("|", ":").split(":")}
    children = {f"curate.{p.stem}" for p in (REPO / "curate").iterdir()
                if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert children - listed == set()


def test_an_upward_import_breaks_it(tmp_path: Path) -> None:
    """Plant `curate.cli` inside a function of the bottom layer: the contract must fail and name it."""
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(REPO / "pyproject.toml", copy)
    shutil.copytree(REPO / "curate", copy / "curate", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in DESIGN_FOLDERS:
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "data"))
    rules = copy / "schemas" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n\ndef _planted() -> None:\n"
                     "    from curate.cli import app  # noqa: F401\n", encoding="utf-8")
    done = _lint(copy)
    assert done.returncode != 0
    assert "curate.schemas.rules -> curate.cli" in done.stdout
