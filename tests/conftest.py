"""Shared fixtures: run the real `curate` command in a subprocess against a throwaway home."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# -- parts of the system some tests need (a real Argilla needs Redis; the browser test, Chromium) -------------
# Missing: the test skips, and the summary names what was not run and how to install it. Under CI
# (CI=true) a missing part fails the test instead, with one line: nothing vanishes quietly there.
SYSTEM_PARTS = {
    "redis-server": (("redis-server",), "apt-get install redis-server"),
    "chromium": (("chromium", "chromium-browser"), "apt-get install chromium"),
    "chromedriver": (("chromedriver",), "apt-get install chromium-driver"),
}
PYTHON_PARTS = {"argilla": "pip install 'curate[review]'", "selenium": "pip install 'curate[review]'"}
MISSING = "missing system part"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(*parts: str) -> None:
    """Skip (fail under CI) unless every named program (SYSTEM_PARTS) or module (PYTHON_PARTS) is there."""
    for part in parts:
        if part in SYSTEM_PARTS:
            programs, install = SYSTEM_PARTS[part]
            present = any(shutil.which(program) for program in programs)
        else:
            install = PYTHON_PARTS[part]
            present = importlib.util.find_spec(part) is not None
        if present:
            continue
        if under_ci():
            pytest.fail(f"CI: {part} is not installed ({install}; `make system-deps` as root)", pytrace=False)
        pytest.skip(f"{MISSING}: {part} ({install})")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the tests that did not run for lack of a system part, and how to install it."""
    wanting: dict[str, list[str]] = defaultdict(list)
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if MISSING in reason:
            wanting[reason.split(f"{MISSING}: ", 1)[1]].append(report.nodeid.split("::")[0])
    if not wanting:
        return
    terminalreporter.section("not run: a part of the system is missing")
    for part, nodes in sorted(wanting.items()):
        files = ", ".join(sorted(set(nodes)))
        terminalreporter.write_line(f"{len(nodes)} test(s) need {part}: {files}")
    terminalreporter.write_line("install them all with `make system-deps` (as root), then run the tests again")


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


def write_eval_report(home: Path, folder: Path) -> Path:
    """An EvalReport on three of v1's test questions: one wrong number, one right, one off-topic."""
    from curate.schemas import EvalItem, EvalReport, Finding

    tests = [e for e in read_examples(home, "v1") if e["split"] == "test" and e["kind"] == "factual_qa"
             and e["fact_ids"] and e["fact_ids"][0].startswith("deg_count:")]
    wrong, right, vague = tests[:3]
    items = [
        EvalItem(example_id=wrong["id"], kind=wrong["kind"], tissue=wrong["tissue"], fact_ids=wrong["fact_ids"],
                 question=wrong["instruction"], reference=wrong["output"],
                 answer="About 12 genes change, mostly up.", verdicts={"numeric": False}, correct=False,
                 findings=[Finding(scorer="numeric", message="12 is not the DEG count", fact_id=wrong["fact_ids"][0],
                                   expected="the count", found="12")]),
        EvalItem(example_id=right["id"], kind=right["kind"], tissue=right["tissue"], fact_ids=right["fact_ids"],
                 question=right["instruction"], reference=right["output"], answer=right["output"],
                 verdicts={"numeric": True}, correct=True),
        EvalItem(example_id=vague["id"], kind=vague["kind"], tissue=vague["tissue"], fact_ids=vague["fact_ids"],
                 question=vague["instruction"], reference=vague["output"], answer="The liver is an organ.",
                 verdicts={"content": False}, correct=False),
    ]
    report = EvalReport(id="ev-test-1", version="v1", facts_name="kmp-study", split="test",
                        created="2026-01-01T00:00:00+00:00", n_items=3, n_correct=1, accuracy=1 / 3, items=items)
    path = folder / "report.json"
    path.write_text(report.model_dump_json(by_alias=True, indent=2))
    return path
