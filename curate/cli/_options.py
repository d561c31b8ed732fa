"""Options shared by every command, defined once."""

from pathlib import Path
from typing import Annotated

import typer

Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="CURATE_HOME",
        help="Registry folder. Default: $CURATE_HOME, else $XDG_DATA_HOME/curate (~/.local/share/curate).",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]
