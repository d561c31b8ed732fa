"""Tables whose cells are shown as given: no rich markup, and no emoji codes (fact ids such as
`deg_count:heart:HU` contain `:heart:`, which rich would otherwise draw as an emoji)."""

from collections.abc import Collection
from typing import Any


def plain_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def plain_table(title: str | None, columns: list[str], rows: list[list[Any]], numeric: Collection[str] = ()) -> Any:
    from rich.table import Table
    from rich.text import Text

    out = Table(title=Text(title) if title else None, title_justify="left")
    for column in columns:
        out.add_column(Text(column), justify="right" if column in numeric else "left")
    for row in rows:
        out.add_row(*[Text(str(cell)) for cell in row])
    return out
