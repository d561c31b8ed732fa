"""`curate card`: render a version's data card, or refresh the committed card of the default build."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("card", help="Render a version's data card (README.md), or the default build's card.")(card)


def card(
    version: Annotated[str | None, typer.Argument(help="The version, e.g. v2.", show_default=False)] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="File to write (a folder with --default-build). Default: print the card."),
    ] = None,
    default_build: Annotated[
        bool,
        typer.Option("--default-build", help="Build `generate --tissue all --seed 0` in a fresh home and write "
                     "its card as <facts>-v1.md into --out (default data_cards/)."),
    ] = False,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cards import card_for_version, default_card
    from curate.cli._output import console, print_json
    from curate.registry import Registry
    from curate.schemas.errors import BadInputError

    if default_build == (version is not None):
        raise BadInputError("give a VERSION, or --default-build, not both or neither")
    name, text = default_card() if version is None else (f"{version}.md", card_for_version(Registry(home), version))
    target = (out or Path("data_cards")) / name if default_build else out
    if target is not None:
        _write(target, text)
    if json:
        from curate.cards import card_json

        print_json({"version": version, "path": str(target) if target else None, "metadata": card_json(text),
                    "text": None if target else text})
    elif target is None:
        sys.stdout.write(text)
    else:
        console().print(f"wrote the card to {target}")


def _write(target: Path, text: str) -> None:
    from curate.export import write_atomically

    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True)
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomically(target, write)
