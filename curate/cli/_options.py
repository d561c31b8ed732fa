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

Facts = Annotated[str | None, typer.Option(
    "--facts", help="A registered fact sheet (see `curate ingest`); default: the embedded one, kmp-study.",
    show_default=False)]
PerFact = Annotated[int, typer.Option(
    "--per-fact", help="Phrasings per fact: at most N training phrasings per fact and kind (generate), N new "
                       "paraphrases per fact behind an error (drill, cycle).")]
PER_FACT = 3

# The Argilla connection: a flag wins over the environment, which wins over the home's stored
# connection (`curate review serve` / `review login`).
ApiUrl = Annotated[str | None, typer.Option(
    "--api-url", help="Argilla URL. Default: $ARGILLA_API_URL, else the home's stored connection (review serve/login).",
    show_default=False)]
ApiKey = Annotated[str | None, typer.Option(
    "--api-key", help="Argilla API key. Default: $ARGILLA_API_KEY, else the stored connection's.", show_default=False)]
Workspace = Annotated[str, typer.Option("--workspace", help="Argilla workspace.")]
WORKSPACE = "argilla"


def required_version(positional: str | None, alias: str | None) -> str:
    """`one_version`, for commands that need a version."""
    chosen = one_version(positional, alias, required=True)
    assert chosen is not None
    return chosen
