"""Start-up stays instant: `curate --help` imports nothing heavy, and every module imports on its own."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest
from conftest import REPO

HEAVY = ("torch", "transformers", "datasets", "pandas", "numpy", "pydantic", "argilla", "scanpy", "anndata",
         "pydeseq2", "huggingface_hub", "pyarrow", "matplotlib", "trl", "peft")


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; sys.argv = ['curate', '--help']\n"
        "from curate.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def _modules() -> list[str]:
    names = []
    for package in ("curate", "schemas", "generators", "annotations", "train"):
        names.append(package)
        path = [str(REPO / package)]
        names += [f"{package}.{m.name}" for m in pkgutil.walk_packages(path) if not m.name.startswith("_")]
    return sorted(names)


@pytest.mark.parametrize("module", _modules())
def test_every_module_imports_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
