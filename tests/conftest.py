"""Shared fixtures: run the real `curate` command in a subprocess against a throwaway home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def run_curate(*args: str, home: Path | None = None, env: dict[str, str] | None = None,
               timeout: float = 600, cwd: Path | None = None) -> Run:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("CURATE_DEBUG", None)
    if home is not None:
        full_env["CURATE_HOME"] = str(home)
    done = subprocess.run([sys.executable, "-m", "curate", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=cwd or REPO)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def curate() -> Callable[..., Run]:
    return run_curate


@pytest.fixture(scope="session")
def default_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with v1 = `generate --tissue liver` and v2 = `generate --tissue all`, made once."""
    home = tmp_path_factory.mktemp("default-home")
    for tissue in ("liver", "all"):
        result = run_curate("generate", "--tissue", tissue, "--json", home=home)
        assert result.returncode == 0, result.stderr
    return home


def read_examples(home: Path, version: str) -> list[dict]:
    path = home / "versions" / version / "examples.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
