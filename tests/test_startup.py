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
    """Every module of the installed package, private ones and subpackages included."""
    found = [m.name for m in pkgutil.walk_packages([str(REPO / "curate")], prefix="curate.")]
    return sorted(["curate"] + [name for name in found if name != "curate.__main__"])  # __main__ runs the CLI


@pytest.mark.parametrize("module", _modules())
def test_every_module_imports_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr


def test_the_design_folders_install_under_curate_only() -> None:
    """schemas/, generators/, train/ and annotations/ import as curate.*; a bare `schemas` is not ours."""
    import re

    assert {"curate.schemas", "curate.generators", "curate.train", "curate.annotations",
            "curate.generators.kinds", "curate.train.backends"} <= set(_modules())
    bare = re.compile(r"^\s*(?:from|import)\s+(schemas|generators|train|annotations)\b", re.M)
    offenders = [str(path.relative_to(REPO)) for folder in ("curate", "schemas", "generators", "train", "annotations",
                                                            "tests", "bench")
                 for path in (REPO / folder).rglob("*.py") if bare.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
