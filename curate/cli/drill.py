"""`curate drill`: corrections and targeted drills from reviews and eval failures, as version vN+1."""

from typing import Annotated

import typer

from curate.cli._options import PER_FACT, Home, Json, PerFact, VersionAlias, VersionArg, required_version


def register(app: typer.Typer) -> None:
    app.command("drill", help="Write vN+1 from vN: reviewed errors corrected, and the facts behind errors drilled.")(
        drill)


def drill(
    version: VersionArg = None,
    from_review: Annotated[bool, typer.Option(
        "--from-review", help="Use the reviews pulled with `curate review pull`.")] = False,
    from_eval: Annotated[str | None, typer.Option(
        "--from-eval", help="Use an eval's failures: its report.json, its folder, or its eval id.",
        show_default=False)] = None,
    datasets: Annotated[list[str] | None, typer.Option(
        "--dataset", help="With --from-review: only reviews from this Argilla dataset (repeatable).",
        show_default=False)] = None,
    per_fact: PerFact = PER_FACT,
    min_agree: Annotated[int, typer.Option(
        "--min-agree", help="With --from-review: act on an item only when N reviewers gave its deciding verdict.")
    ] = 1,
    allow_failing: Annotated[
        bool, typer.Option("--allow-failing", help="Write the version even if a quality gate fails.")
    ] = False,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json
    from curate.drill import DrillRequest
    from curate.drill import drill as run_drill
    from curate.registry import Registry

    version = required_version(version, version_alias)
    result = run_drill(Registry(home), DrillRequest(version=version, from_review=from_review, from_eval=from_eval,
                                                    per_fact=per_fact, allow_failing=allow_failing,
                                                    review_datasets=tuple(datasets or ()), min_agree=min_agree))
    manifest, report = result.manifest, result.report
    if json:
        print_json({"version": manifest.version, "parent": manifest.parent, "n_examples": manifest.n_examples,
                    "drivers": manifest.drivers, "gates_passed": manifest.gates_passed, **report})
        return
    out = console()
    out.print(f"wrote [bold]{manifest.version}[/bold] from {manifest.parent}: {report['added']['corrections']} "
              f"corrections, {len(report['dropped'])} examples dropped, {report['added']['drills']} drills on "
              f"{len(report['drilled_facts'])} facts; {manifest.n_examples} examples")
    for rejected in report["rejected_corrections"]:
        out.print(f"[yellow]correction left out[/yellow] for {rejected['example_id']} ({rejected['review_id']}): "
                  f"{'; '.join(rejected['findings'])}")
    if report["awaiting_agreement"]:
        out.print(f"{len(report['awaiting_agreement'])} reviewed items left as they are: fewer than "
                  f"{report['min_agree']} reviewers agree on them (drill.json lists them)")
