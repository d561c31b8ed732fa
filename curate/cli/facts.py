"""`curate facts`: the facts of a fact sheet, with where each came from."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import Facts, Home, Json


def register(app: typer.Typer) -> None:
    app.command("facts", help="List facts with their provenance.")(facts)


def facts(
    tissue: Annotated[str, typer.Option(help="One tissue, a comma list, or 'all'.")] = "all",
    kind: Annotated[str | None, typer.Option(help="Only facts of this kind, e.g. deg_count.")] = None,
    facts_name: Facts = None,
    from_path: Annotated[Path | None, typer.Option("--from", help="A factsheet.json file.")] = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.pipeline import load_factsheet, parse_choice
    from curate.registry import Registry
    from curate.schemas import FACT_KINDS
    from curate.schemas.errors import BadInputError

    sheet = load_factsheet(Registry(home), facts_name, from_path)
    tissues = parse_choice(tissue, sheet.tissues, "tissue")
    if kind is not None and kind not in FACT_KINDS:
        raise BadInputError(f"unknown fact kind {kind!r}: choose from {', '.join(FACT_KINDS)}")
    selected = [f for f in sheet.facts if f.tissue in tissues and (kind is None or f.kind == kind)]
    if json:
        print_json({"name": sheet.name, "facts": [f.model_dump(mode="json") for f in selected]})
        return
    rows = [[f.id, _value(f), f"{f.provenance.source}:{f.provenance.row or f.provenance.contrast or '-'}",
             f.provenance.note or ""] for f in selected]
    methods = sorted({f.provenance.method for f in selected})
    out = console()
    out.print(table(f"{sheet.name}: {len(selected)} facts", ["id", "value", "source:row", "note"], rows))
    out.print(f"method: {'; '.join(methods)}. `--json` adds each source file's sha256 and threshold.")


def _value(fact) -> str:  # type: ignore[no-untyped-def]
    skip = {"id", "kind", "tissue", "provenance", "contrast", "condition", "term", "pathway", "gene", "collection"}
    return ", ".join(f"{k}={v}" for k, v in fact.model_dump().items() if k not in skip and v is not None)
