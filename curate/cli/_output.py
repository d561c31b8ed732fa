"""Printing: rich tables for people, JSON for scripts. rich is imported only when something is printed."""

import json
import sys
from typing import Any


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    """A rich table whose cells are shown as given (no markup, no emoji codes)."""
    from curate.cli._plain import plain_table

    numeric = {c for c in columns if c.startswith(("n_", "#")) or c in _NUMERIC}
    return plain_table(title, columns, rows, numeric)


_NUMERIC = {"train", "test", "validation", "total", "examples", "facts", "count"}
