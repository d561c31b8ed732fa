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

# The version a command acts on is positional everywhere (`curate show v2`, `curate train fit v2`);
# `--version v2`, the older spelling of some commands, stays as a hidden alias.
VersionArg = Annotated[
    str | None, typer.Argument(help="The version, e.g. v2.", show_default=False, metavar="VERSION")
]
VersionAlias = Annotated[str | None, typer.Option("--version", hidden=True, help="Same as the VERSION argument.")]


def one_version(positional: str | None, alias: str | None, *, required: bool = False) -> str | None:
    """The version from the argument or its `--version` alias; both at once must agree."""
    from curate.schemas.errors import BadInputError

    if positional and alias and positional != alias:
        raise BadInputError(f"the version is given twice ({positional} and --version {alias}): give it once")
    chosen = positional or alias
    if required and not chosen:
        raise BadInputError("give the version, e.g. v2 (see `curate versions`)")
    return chosen
