"""SIGKILL at random moments never leaves half a version: `curate verify` finds every version complete."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_curate

from curate.registry import Registry
from curate.verify import verify

KILLS_DURING_GENERATE = 20


def _kill_after(args: list[str], home: Path, delay: float) -> int:
    env = {**os.environ, "CURATE_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "curate", *args], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait()


@pytest.mark.slow
def test_kill_generate_anywhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    began = time.perf_counter()
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    full_run = time.perf_counter() - began
    rng = random.Random(20261124)
    killed = 0
    for _ in range(KILLS_DURING_GENERATE):
        code = _kill_after(["generate", "--tissue", "all"], home, rng.uniform(0.05, full_run * 1.2))
        killed += code == -signal.SIGKILL
        report = verify(Registry(home))
        assert report.ok, report.problems
        user_visible = [p for p in home.iterdir() if not p.name.startswith(".") and p.name not in {"versions", "registry.lock"}]
        assert not user_visible
    assert killed >= KILLS_DURING_GENERATE // 2, "most runs must really be killed mid-way"
    # The next write clears whatever staging the killed runs left behind.
    assert run_curate("generate", "--tissue", "liver", home=home).returncode == 0
    assert not any((home / ".staging").iterdir())
    assert verify(Registry(home)).ok
