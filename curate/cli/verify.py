"""`curate verify` and `curate doctor`: the registry's integrity, and the installation's health."""

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("verify", help="Check every version's manifest, hashes and lineage, and review snapshots.")(verify)
    app.command("doctor", help="Report installed extras, servers, GPU and registry health, with fixes.")(doctor)


def verify(home: Home = None, json: Json = False) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry
    from curate.verify import verify as run_verify

    report = run_verify(Registry(home))
    if json:
        print_json(report.to_dict())
    else:
        out = console()
        out.print(f"checked {report.versions_checked} versions, {report.fact_sheets_checked} fact sheets and "
                  f"{report.review_snapshots_checked} review snapshots in {report.home}")
        if report.problems:
            out.print(table("problems", ["where", "what", "fix"], [[p.where, p.what, p.fix] for p in report.problems]))
        else:
            out.print("all complete; every hash matches its manifest")
        for note in report.notes:
            out.print(f"note: {note.where}: {note.what} ({note.fix})")
    if not report.ok:
        raise typer.Exit(1)


def doctor(home: Home = None, json: Json = False) -> None:
    from curate.cli._output import console, print_json, table
    from curate.doctor import as_dicts, failed, run_checks
    from curate.registry import Registry

    checks = run_checks(Registry(home))
    if json:
        print_json(as_dicts(checks))
    else:
        rows = [[c.name, c.severity.upper() if c.severity == "problem" else c.severity, c.detail, c.fix]
                for c in checks]
        console().print(table("curate doctor", ["check", "status", "detail", "fix"], rows))
    if failed(checks):  # notes (an optional part absent) do not fail; problems do
        raise typer.Exit(1)
