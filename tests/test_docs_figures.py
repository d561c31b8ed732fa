"""The counts the docs state are the counts the suite holds: bad-input cases, commands, kills."""

from __future__ import annotations

import re

from conftest import REPO

RELIABILITY = REPO / "docs" / "reliability.md"


def _stated(pattern: str) -> set[int]:
    return {int(n) for n in re.findall(pattern, RELIABILITY.read_text(encoding="utf-8"))}


def test_bad_input_cases() -> None:
    cases = len(list((REPO / "tests" / "bad_inputs").glob("*/case.json")))
    assert _stated(r"\((\d+) cases\)") == {cases}
    assert _stated(r"\| (\d+) / \d+ \|") >= {cases}


def test_kills() -> None:
    source = (REPO / "tests" / "test_crash_safety.py").read_text(encoding="utf-8")
    kills = sum(int(n) for n in re.findall(r"^KILLS_DURING_\w+ = (\d+)$", source, re.M))
    assert _stated(r"(\d+) SIGKILLs") == {kills}
    assert _stated(r"(\d+) / \d+ survived") == {kills}


def test_commands() -> None:
    import typer

    from curate.cli import app

    group = typer.main.get_command(app)
    count = sum(len(getattr(command, "commands", {})) or 1 for command in group.commands.values())  # type: ignore[attr-defined]
    assert _stated(r"every command \(all (\d+)") == {count}


_CITATION = re.compile(r"bench `(?P<case>\w+)`, run (?P<run>\d{4}-\d{2}-\d{2} \w+ (?:full|quick))")
_DECIMAL = re.compile(r"(?<![\w.])\d[\d,]*\.\d+")


def _numbers_in(value: object) -> list[float]:
    """Every number a bench row holds, in its fields and inside its note."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, str):
        return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers_in(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers_in(item)]
    return []


def test_every_bench_figure_in_the_docs_names_its_run_and_matches_it() -> None:
    """A docs line citing `bench `case`, run DATE COMMIT MODE` must cite the run bench/results.json holds
    for that case, and each decimal figure on the line must be one of that row's numbers."""
    import json

    results = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))["results"]
    cited = 0
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _CITATION.finditer(line):
                cited += 1
                where = f"{path.name}:{number}"
                row = results.get(match["case"])
                assert row is not None, f"{where}: no bench case {match['case']!r} in bench/results.json"
                assert row.get("run") == match["run"], f"{where}: cites {match['run']}; results: {row.get('run')}"
                known = _numbers_in(row)
                for text in _DECIMAL.findall(line):
                    value, decimals = float(text.replace(",", "")), len(text.split(".")[1])
                    assert any(round(k, decimals) == value for k in known), f"{where}: {text} is not in the row"
    assert cited >= 5
