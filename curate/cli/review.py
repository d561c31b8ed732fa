"""`curate review`: biologist review in Argilla (push, pull, status) and a local server (serve, stop)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._options import WORKSPACE, ApiKey, ApiUrl, Home, Json, Workspace

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
    workspace: Workspace = WORKSPACE,
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
    workspace: Workspace = WORKSPACE,
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
    workspace: Workspace = WORKSPACE,
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
        out.print(f"[bold]{name}[/bold]: {data['reviewed_records']} of {data['records']} records reviewed; "
                  f"agreement {_agreement_text(data['agreement'])}")
        columns = ["submitted", "draft", "discarded", "correct", "partly_correct", "wrong"]
        out.print(table("per annotator", ["annotator", *columns],
                        [[who, *[row[c] for c in columns]] for who, row in data["by_annotator"].items()]))
        columns = ["records", "reviewed", "responses", "correct", "partly_correct", "wrong", "error_rate"]
        out.print(table("per kind", ["kind", *columns, "agreement"],
                        [[kind, *[row[c] for c in columns], _agreement_text(row["agreement"], short=True)]
                         for kind, row in data["by_kind"].items()]))


def _agreement_text(agreement: dict[str, Any], short: bool = False) -> str:
    """e.g. "Cohen's kappa 0.33 (2 raters, 12 shared records, 58% of pairs agree)"."""
    if not agreement["records"]:
        return "-" if short else "not measured yet (no record has two submitted verdicts)"
    measure = agreement["measure"]
    name = {"cohen_kappa": "kappa" if short else "Cohen's kappa",
            "krippendorff_alpha": "alpha" if short else "Krippendorff's alpha"}[measure]
    value = agreement[measure]
    shown = "undefined" if value is None else f"{value:.2f}"
    if short:
        return f"{name} {shown} (n={agreement['records']})"
    return (f"{name} {shown} ({agreement['raters']} raters, {agreement['records']} shared records, "
            f"{agreement['observed']:.0%} of pairs agree)")


@app.command("serve", help="Start a local Argilla (SQLite, Redis, SQL search); this home remembers it.")
def serve(
    port: Annotated[int, typer.Option(help="Port for the web UI and API.")] = 6900,
    host: Annotated[str, typer.Option(help="Address to listen on. Not loopback: needs --allow-remote.")] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Allow a --host other machines can reach (with this data folder's own credentials).")
    ] = False,
    show_key: Annotated[bool, typer.Option("--show-key", help="Print the owner's password and API key.")] = False,
    data: DataDir = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate import review_access as access
    from curate.annotations.server import guard, manage
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    registry = Registry(home)
    folder = data or review.local_data(registry)
    guard.check_host(host, allow_remote)
    err = console(stderr=True)
    with err.status("starting argilla-server") as spinner:
        state, credentials = manage.serve(folder, port=port, host=host, allow_remote=allow_remote,
                                          notify=lambda message: spinner.update(message))
    stored = access.remember_server(registry, state, credentials)
    secrets_file = Path(state.data) / guard.CREDENTIALS_FILE
    if json:
        shown = {"password": credentials.password, "api_key": credentials.api_key} if show_key else {}
        print_json({**state.as_dict(), "credentials_file": str(secrets_file),
                    "connection_file": str(access.connection_file(registry)), **shown})
        return
    out = console()
    out.print(f"Argilla is running at {state.api_url} (data in {state.data})\n"
              f"  log in as {credentials.username}; the password and API key are in {secrets_file} (mode 0600)")
    if show_key:
        out.print(f"  password {credentials.password}\n  API key  {credentials.api_key}")
    out.print(f"  {access.connection_file(registry)} remembers it: review push/pull/status/add-user and "
              f"cycle --reviewer argilla need no options ({stored.api_url})\n"
              "  add a biologist with `curate review add-user NAME`; stop with `curate review stop`")


@app.command("stop", help="Stop the local Argilla that `curate review serve` started, and forget its connection.")
def stop(data: DataDir = None, home: Home = None, json: Json = False) -> None:
    from curate import review
    from curate import review_access as access
    from curate.annotations.server import manage
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    registry = Registry(home)
    folder = data or review.local_data(registry)
    state = manage.stop(folder)
    forgot = access.forget_server(registry, folder)
    if json:
        print_json({"stopped": state is not None, "data": str(folder.expanduser().resolve()),
                    "forgot_connection": forgot})
        return
    console().print(f"stopped the server on {state.api_url}" if state else f"no server was running on {folder}")


@app.command("login", help="Remember an existing Argilla (Docker, HF Spaces) for this home, after checking the key.")
def login(
    url: Annotated[str, typer.Argument(help="The server, e.g. https://<owner>-<space>.hf.space.",
                                       show_default=False)],
    api_key: Annotated[str | None, typer.Option(
        "--api-key", help="An owner or admin key. Default: $ARGILLA_API_KEY, else asked for (hidden).",
        show_default=False)] = None,
    home: Home = None,
    json: Json = False,
) -> None:
    import os
    import sys

    from curate import review_access as access
    from curate.cli._output import console, print_json
    from curate.registry import Registry
    from curate.schemas.errors import BadInputError

    key = api_key or os.environ.get("ARGILLA_API_KEY")
    if not key and sys.stdin.isatty():
        key = typer.prompt(f"API key for {url}", hide_input=True)
    if not key:
        raise BadInputError(f"no API key for {url}: give --api-key or set ARGILLA_API_KEY")
    registry = Registry(home)
    stored = access.login(registry, url, key)
    if json:
        print_json({**stored.public(), "connection_file": str(access.connection_file(registry))})
        return
    console().print(f"{stored.api_url}: the key belongs to {stored.username} ({stored.role}); remembered in "
                    f"{access.connection_file(registry)}")


@app.command("logout", help="Forget this home's stored Argilla connection (the server keeps running).")
def logout(home: Home = None, json: Json = False) -> None:
    from curate import review_access as access
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    gone = access.logout(Registry(home))
    if json:
        print_json({"forgot": gone.public() if gone else None})
        return
    console().print(f"forgot the connection to {gone.api_url}" if gone else "no connection was stored")


@app.command("add-user", help="Add a biologist (annotator role) to a workspace, with a generated password.")
def add_user(
    name: Annotated[str, typer.Argument(help="Their user name: lower-case letters, digits, '.', '_', '-'.",
                                        show_default=False)],
    workspace: Workspace = WORKSPACE,
    show_password: Annotated[bool, typer.Option(
        "--show-password", help="Also print the password (it is always written to a 0600 file).")] = False,
    api_url: ApiUrl = None,
    api_key: ApiKey = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate import review
    from curate import review_access as access
    from curate.cli._output import console, print_json
    from curate.registry import Registry

    registry = Registry(home)
    conn = review.connection(registry, api_url, api_key)
    password, path = access.add_user(registry, conn, name, workspace)
    if json:
        print_json({"username": name, "role": "annotator", "workspace": workspace, "login_url": conn.api_url,
                    "password_file": str(path), **({"password": password} if show_password else {})})
        return
    out = console()
    out.print(f"{name} can log in at {conn.api_url} as an annotator of workspace {workspace}; their password is "
              f"in {path} (mode 0600): hand it over, then delete the file")
    if show_password:
        out.print(f"  password {password}")


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
