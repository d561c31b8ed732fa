"""`curate lint` and `curate import`: quality gates on datasets curate did not make."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._options import Facts, Home, Json

FORMAT_HELP = ("auto (the default: says what it read, e.g. jsonl/sharegpt), a container (json, jsonl, parquet, csv, "
               "datasets, text), a record shape (alpaca, text-alpaca, chatml, llama3, gemma, inst, sharegpt, "
               "openai, prompt-completion) or both: jsonl/sharegpt. See docs/formats.md.")
PATH_HELP = "A JSON, JSONL, parquet or CSV file, a datasets folder, or a text file of ### Instruction blocks."


def register(app: typer.Typer) -> None:
    app.command("lint", help="Check any dataset: claims against the facts, duplicates, leakage, coverage.")(lint)
    app.command("import", help="Register a dataset curate did not make as a new version (origin imported).")(
        import_)


Format = Annotated[str, typer.Option("--format", help=FORMAT_HELP)]


def lint(
    path: Annotated[Path, typer.Argument(help=PATH_HELP, show_default=False)],
    facts: Facts = None,
    test: Annotated[Path | None, typer.Option("--test", help="A test set to check for leakage against.")] = None,
    fmt: Format = "auto",
    num_proc: Annotated[
        int, typer.Option("--num-proc", help="Processes for the claim check (same report as 1).")
    ] = 1,
    home: Home = None,
    json: Json = False,
) -> None:
    """Exit 0 when nothing is found, 1 when a gate finds something, 2 on bad input."""
    from curate.cli._output import print_json
    from curate.gates.lint import lint as run_lint
    from curate.gates.report import print_report
    from curate.registry import Registry

    sheet = _sheet(Registry(home), facts)
    with _progress(enabled=not json) as progress:
        result = run_lint(path, sheet, fmt=fmt, test_path=test, progress=progress, num_proc=num_proc)
    if json:
        print_json(result.to_dict())
    else:
        out = _console()
        where = f" (test set: {result.test_path}, {result.n_test} records)" if result.test_path else ""
        out.print(_plain(f"curate lint {result.path}: {len(result.items)} records, read as {result.format}, "
                         f"checked against fact sheet {sheet.name}{where}"))
        print_report(result.report, out, title="gates")
        out.print("nothing found" if result.report.passed else "[red]found problems[/red] (exit 1)")
    if not result.report.passed:
        raise typer.Exit(1)


def import_(
    path: Annotated[Path, typer.Argument(help=PATH_HELP, show_default=False)],
    facts: Facts = None,
    fmt: Format = "auto",
    home: Home = None,
    json: Json = False,
) -> None:
    """Written even when gates fail (so it can be cleaned and drilled); the manifest records that."""
    from curate.cli._output import print_json
    from curate.gates.report import print_report
    from curate.importing import import_dataset
    from curate.registry import Registry

    registry = Registry(home)
    sheet = _sheet(registry, facts)
    with _progress(enabled=not json) as progress:
        manifest, report = import_dataset(registry, path, sheet, fmt=fmt, progress=progress)
    if json:
        print_json({"version": manifest.version, "path": str(registry.versions_dir / manifest.version),
                    "n_examples": manifest.n_examples, "counts_by_split": manifest.counts_by_split,
                    "gates_passed": manifest.gates_passed, "allow_failing": manifest.allow_failing,
                    "generator_config": manifest.generator_config, "gates": report.to_dict()["results"]})
        return
    out = _console()
    print_report(report, out, title=f"gates on {path}")
    status = "passed its gates" if report.passed else "[yellow]failed gates[/yellow]; written anyway (imported data)"
    out.print(f"imported {manifest.n_examples} records as [bold]{manifest.version}[/bold] ({status})")


def _sheet(registry: Any, facts: str | None) -> Any:
    from curate.pipeline import load_factsheet

    return load_factsheet(registry, facts, None)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def _plain(text: str) -> Any:
    from rich.text import Text

    return Text(text)


class _progress:
    """A rich progress bar on stderr, stage by stage, when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        self.task = self.bar.add_task("gates", total=None)
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        self.bar.update(self.task, description=stage, completed=done, total=total or None)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
