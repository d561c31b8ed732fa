"""`curate export vN --format F --out PATH`: a version's examples in a trainer's format."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._choices import ExportFormat, ExportSplit
from curate.cli._options import Home, Json

FORMAT_HELP = ("jsonl (all fields), parquet, alpaca, chat (TRL messages), prompt-completion (TRL), or dpo "
               "(preference pairs from reviews, drills and evals).")


def register(app: typer.Typer) -> None:
    app.command("export", help="Export a version as jsonl, parquet, alpaca, chat, prompt-completion or dpo pairs.")(
        export)


def export(
    version: Annotated[str, typer.Argument(help="The version, e.g. v2.")],
    format: Annotated[ExportFormat, typer.Option("--format", help=FORMAT_HELP)],
    out: Annotated[Path, typer.Option("--out", help="The file to write (replaced atomically).")],
    split: Annotated[ExportSplit, typer.Option(help="The split to export.")] = ExportSplit.all,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json
    from curate.export import export_version
    from curate.registry import Registry

    result = export_version(Registry(home), version, format.value, out, split.value)
    if json:
        print_json({"version": result.version, "format": result.format, "split": result.split,
                    "path": str(result.path), "n_rows": result.n_rows, "by_source": result.by_source})
        return
    sources = f" ({', '.join(f'{n} {s}' for s, n in result.by_source.items())})" if result.by_source else ""
    console().print(f"wrote {result.n_rows} {result.split} rows of {result.version} as {result.format}{sources} "
                    f"to {result.path}")
