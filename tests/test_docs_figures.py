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
