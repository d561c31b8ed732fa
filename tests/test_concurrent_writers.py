"""Two `curate generate` processes started together get distinct versions, neither lost nor half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from curate.registry import Registry
from curate.verify import verify

ROUNDS = 20
ARGS = ["generate", "--tissue", "liver", "--kinds", "factual_qa", "--json"]


def _start(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CURATE_HOME": str(home)}
    env.pop("CURATE_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "curate", *ARGS], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_two_writers_at_once_twenty_times(tmp_path: Path) -> None:
    home = tmp_path / "home"
    registry = Registry(home)
    began = time.perf_counter()
    for round_number in range(1, ROUNDS + 1):
        pair = [_start(home), _start(home)]
        outputs = [process.communicate(timeout=120) for process in pair]
        assert [p.returncode for p in pair] == [0, 0], [err for _, err in outputs]
        written = sorted((json.loads(out)["version"] for out, _ in outputs), key=lambda v: int(v[1:]))
        assert written == [f"v{2 * round_number - 1}", f"v{2 * round_number}"]
        assert registry.version_names() == [f"v{n}" for n in range(1, 2 * round_number + 1)]
        for version in written:  # complete: a valid manifest, and the examples it counts
            assert len(registry.examples(version)) == registry.manifest(version).n_examples > 0
        assert not any((home / ".staging").iterdir())
    report = verify(registry)  # every file of every version matches the hash in its manifest
    assert report.ok, report.problems
    # Same options and seed: every version holds the same examples.
    assert len({registry.manifest(v).content_hash for v in registry.version_names()}) == 1
    per_round = (time.perf_counter() - began) / ROUNDS
    print(f"\n{ROUNDS} rounds of two concurrent generates: {per_round:.2f} s per round")
