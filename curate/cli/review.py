"""`curate review`: biologist review in Argilla (push, pull, status) and a local server (serve, stop)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._options import Home, Json

ApiUrl = Annotated[str | None, typer.Option(
    "--api-url", help="Argilla URL. Default: $ARGILLA_API_URL, else the server `curate review serve` started.",
    show_default=False)]
ApiKey = Annotated[str | None, typer.Option(
    "--api-key", help="Argilla API key. Default: $ARGILLA_API_KEY, else the local server's.", show_default=False)]
Workspace = Annotated[str, typer.Option(help="Argilla workspace.")]
Datasets = Annotated[list[str] | None, typer.Option(
    "--dataset", help="A review dataset (repeatable). Default: every dataset named curate-* in the workspace.",
    show_default=False)]
DataDir = Annotated[Path | None, typer.Option(
    "--data", help="Folder for the local server's database, Redis and logs. Default: <home>/argilla.",
    show_default=False)]

app = typer.Typer(help="Biologist review in Argilla: push examples, pull verdicts, see progress; run a local server.",
                  no_args_is_help=True)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="review")


@app.command("push", help="Push a version's examples (or an eval's answers) to Argilla for review. Idempotent.")
def push(
    version: Annotated[str | None, typer.Argument(help="The version whose examples to review, e.g. v3.",
                                                     show_default=False)] = None,
    sample: Annotated[int | None, typer.Option(help="Push a seeded random sample of N.", show_default=False)] = None,
    kinds: Annotated[str, typer.Option(help="Kinds of example: a comma list, or 'all'.")] = "all",
    only_flagged: Annotated[bool, typer.Option(
        "--only-flagged", help="Only examples the claim check flags (with --from-eval: only failed answers).")] = False,
    from_eval: Annotated[str | None, typer.Option(
        "--from-eval", help="Review a model's answers: an eval report.json, its folder, or an eval id.",
        show_default=False)] = None,
    seed: Annotated[int, typer.Option(help="Seed for --sample.")] = 0,
    dataset: Annotated[str | None, typer.Option(
        help="Dataset name. Default: curate-review (examples) or curate-eval-<eval id>.", show_default=False)] = None,
    workspace: Workspace = "argilla",
    annotators_per_record: Annotated[int, typer.Option(
        "--annotators-per-record", help="Submissions a record needs before it counts as done (new datasets).")] = 1,
    api_url: ApiUrl = None,
    api_key: ApiKey = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    registry = Registry(home)
    request = review.PushRequest(version=version, from_eval=from_eval, sample=sample, kinds=kinds,
                                 only_flagged=only_flagged, seed=seed, dataset=dataset, workspace=workspace,
                                 min_submitted=annotators_per_record)
    conn = review.connection(registry, api_url, api_key)
    with _progress("pushing records") as advance:
        result = review.push(registry, conn, request, progress=advance)
    if json:
        print_json(result.as_dict())
        return
    console().print(f"{result.dataset}: pushed {result.pushed} records ({result.already_there} already there), "
                    f"{result.total} in the dataset\nreview at {result.url}")


@app.command("pull", help="Save a raw snapshot of every response, then map them to reviews.")
def pull(
    dataset: Datasets = None,
    workspace: Workspace = "argilla",
    api_url: ApiUrl = None,
    api_key: ApiKey = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry

    registry = Registry(home)
    conn = review.connection(registry, api_url, api_key)
    with _progress("pulling records") as advance:
        results, reviews = review.pull(registry, conn, datasets=dataset, workspace=workspace,
                                         progress=lambda n: advance(n, None))
    if json:
        print_json({"datasets": [r.as_dict() for r in results], "reviews": len(reviews),
                    "reviews_file": str(review.reviews_dir(registry) / "reviews.jsonl")})
        return
    rows = [[r.dataset, r.n_records, r.n_responses, r.snapshot.name if r.snapshot else "unchanged"] for r in results]
    out = console()
    out.print(table("curate review pull", ["dataset", "answered records", "responses", "snapshot"], rows))
    out.print(f"{len(reviews)} reviews in {review.reviews_dir(registry) / 'reviews.jsonl'}")


@app.command("status", help="Review progress per annotator and per kind, with agreement between annotators.")
def status(
    dataset: Datasets = None,
    workspace: Workspace = "argilla",
    api_url: ApiUrl = None,
    api_key: ApiKey = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate.cli._output import print_json
    from curate.registry import Registry

    registry = Registry(home)
    report = review.status(registry, review.connection(registry, api_url, api_key), datasets=dataset,
                           workspace=workspace)
    if json:
        print_json(report)
        return
    _print_status(report)


def _print_status(report: dict[str, Any]) -> None:
    from curate.cli._output import console, table

    out = console()
    if not report["datasets"]:
        out.print(f"no review datasets at {report['api_url']}: run `curate review push`")
    for name, data in report["datasets"].items():
        agreement = data["agreement"]
        out.print(f"[bold]{name}[/bold]: {data['reviewed_records']} of {data['records']} records reviewed; "
                  f"agreement on {agreement['records']} shared records: observed {agreement['observed']}, "
                  f"Krippendorff's alpha {agreement['krippendorff_alpha']}")
        columns = ["submitted", "draft", "discarded", "correct", "partly_correct", "wrong"]
        out.print(table("per annotator", ["annotator", *columns],
                        [[who, *[row[c] for c in columns]] for who, row in data["by_annotator"].items()]))
        columns = ["records", "reviewed", "responses", "correct", "partly_correct", "wrong", "error_rate"]
        out.print(table("per kind", ["kind", *columns],
                        [[kind, *[row[c] for c in columns]] for kind, row in data["by_kind"].items()]))


@app.command("serve", help="Start a local Argilla (SQLite, Redis, SQL search) in the background.")
def serve(
    port: Annotated[int, typer.Option(help="Port for the web UI and API.")] = 6900,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    data: DataDir = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate.annotations.server import manage
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    folder = data or review.local_data(Registry(home))
    err = console(stderr=True)
    with err.status("starting argilla-server") as spinner:
        state = manage.serve(folder, port=port, host=host, notify=lambda message: spinner.update(message))
    if json:
        print_json(state.as_dict())
        return
    console().print(
        f"Argilla is running at {state.api_url} (data in {state.data})\n"
        f"  log in as {state.username} / {state.password}; API key {state.api_key}\n"
        f"  curate review push/pull/status use it automatically; other tools need\n"
        f"  export ARGILLA_API_URL={state.api_url} ARGILLA_API_KEY={state.api_key}\n"
        f"  stop it with `curate review stop`")


@app.command("stop", help="Stop the local Argilla that `curate review serve` started.")
def stop(data: DataDir = None, home: Home = None, json: Json = False) -> None:
    from curate import review
    from curate.annotations.server import manage
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    folder = data or review.local_data(Registry(home))
    state = manage.stop(folder)
    if json:
        print_json({"stopped": state is not None, "data": str(folder.expanduser().resolve())})
        return
    console().print(f"stopped the server on {state.api_url}" if state else f"no server was running on {folder}")


@contextmanager
def _progress(what: str) -> Iterator[Any]:
    """A rich progress bar on stderr; yields advance(done, total)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from curate.cli._output import console

    err = console(stderr=True)
    if not err.is_terminal:  # no bar in logs and pipes: errors stay one clean line
        yield lambda done, total: None
        return
    with Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int | None) -> None:
            if total is not None:
                bar.update(task, total=total)
            bar.advance(task, done)

        yield advance
