"""Printing: rich tables for people, JSON for scripts. rich is imported only when something is printed."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    from rich.table import Table

    out = Table(title=title, title_justify="left")
    for column in columns:
        out.add_column(column, justify="right" if column.startswith(("n_", "#")) or column in _NUMERIC else "left")
    from rich.markup import escape

    for row in rows:
        out.add_row(*[escape(str(cell)) for cell in row])
    return out


_NUMERIC = {"train", "test", "validation", "total", "examples", "facts", "count"}


def click_error_exit(exc: BaseException) -> NoReturn:
    """Map click/typer usage errors to one line and exit 2; re-raise anything else."""
    from typer._click.exceptions import ClickException

    if isinstance(exc, ClickException):
        if os.environ.get("CURATE_DEBUG") == "1":
            raise exc
        sys.stderr.write(f"error: {exc.format_message()}\n")
        sys.exit(exc.exit_code)
    raise exc
