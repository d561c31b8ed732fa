"""`curate schema --out DIR`: JSON Schema for every model in schemas/."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import Json


def register(app: typer.Typer) -> None:
    app.command("schema", help="Export JSON Schema for each model in schemas/.")(schema)


def schema(
    out: Annotated[Path, typer.Option(help="Folder to write <Model>.schema.json files into.")],
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json
    from curate.schema_export import export_json_schemas

    written = export_json_schemas(out)
    if json:
        print_json({"out": str(out), "files": [p.name for p in written]})
        return
    console().print(f"wrote {len(written)} JSON Schema files to {out}")
