"""`curate show vN`: what one version holds, where it came from, and how it was checked and reviewed."""

from typing import Annotated, Any

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("show", help="Show one version: counts, gates, parent, drivers and reviews.")(show)


def show(
    version: Annotated[str, typer.Argument(help="The version, e.g. v2.")],
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import print_json
    from curate.registry import Registry
    from curate.summary import show_version

    report = show_version(Registry(home), version)
    if json:
        print_json(report)
        return
    _print(report)


def _print(report: dict[str, Any]) -> None:
    from curate.cli._plain import plain_console, plain_table

    out = plain_console()
    manifest = report["manifest"]
    out.print(f"{report['version']}  {report['path']}")
    facts = f"{manifest['facts_name']} (sha256 {manifest['facts_sha256'][:12]})"
    lines = [
        ("created", manifest["created"]),
        ("parent", report["parent"] or "- (root)"),
        ("fact sheet", facts),
        ("config", _config(manifest["generator_config"], manifest["seed"])),
        ("examples", f"{report['n_examples']}  " + " ".join(f"{k}={v}" for k, v in report["by_split"].items())),
        ("facts covered", report["n_facts_covered"]),
        ("content hash", manifest["content_hash"]),
        ("card", report["card"] or "-"),
    ]
    for name, value in lines:
        out.print(f"  {name:<14}{value}")
    splits = list(report["by_split"])
    for field in ("kind", "tissue"):
        rows = [[name, *(c.get(s, 0) for s in splits), c["total"]] for name, c in report[f"by_{field}"].items()]
        out.print(plain_table(f"by {field}", [field, *splits, "total"], rows, numeric={*splits, "total"}))
    out.print(_gates_text(report["gates"], report["gates_passed"]))
    if report["drivers"]:
        from curate.diffing import driver_label

        out.print("drivers: " + ", ".join(driver_label(d) for d in report["drivers"]))
    out.print(_reviews_text(report["reviews"]))


def _config(config: dict[str, Any], seed: int) -> str:
    tissues = ",".join(config.get("tissues", [])) or "-"
    kinds = config.get("kinds", [])
    return f"tissues={tissues} kinds={len(kinds)} per_fact={config.get('per_fact', '-')} seed={seed}"


def _gates_text(gates: dict[str, Any] | None, passed: bool | None) -> Any:
    from curate.cli._plain import plain_table

    if gates is None:
        return "gates: " + {None: "none ran", True: "passed", False: "FAILED"}[passed]
    verdict = {None: "-", True: "pass", False: "FAIL"}
    rows = [[g["name"], verdict[g["passed"]], g["summary"]] for g in gates["gates"]]
    return plain_table(f"gates: {verdict[gates['passed']]}", ["gate", "result", "summary"], rows)


def _reviews_text(reviews: dict[str, Any]) -> str:
    if not reviews["n_reviews"]:
        return "reviews: no reviews"
    verdicts = ", ".join(f"{k}={v}" for k, v in reviews["by_verdict"].items())
    errors = ", ".join(f"{k}={v}" for k, v in reviews["by_error_type"].items())
    return (f"reviews: {reviews['n_reviews']} of {reviews['n_examples_reviewed']} examples by "
            f"{reviews['n_reviewers']} reviewers, {reviews['n_corrections']} corrections; verdicts {verdicts}"
            + (f"; errors {errors}" if errors else ""))
