"""`curate diff vA vB`: examples added, removed and changed, and why."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("diff", help="Compare two versions: examples added, removed, changed, and what drove them.")(diff)


def diff(
    version_a: Annotated[str, typer.Argument(help="The older version, e.g. v1.")],
    version_b: Annotated[str, typer.Argument(help="The newer version, e.g. v2.")],
    limit: Annotated[int, typer.Option(help="Rows to list per table of changed examples (JSON lists all).")] = 10,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import print_json
    from curate.diffing import diff_versions
    from curate.registry import Registry

    report = diff_versions(Registry(home), version_a, version_b)
    if json:
        print_json(report)
        return
    _print(report, max(limit, 0))


def _print(report: dict[str, Any], limit: int) -> None:
    from curate.cli._output import console, table

    out = console()
    a, b, summary = report["a"], report["b"], report["summary"]
    out.print(f"[bold]{a} -> {b}[/bold]: {summary['n_a']} -> {summary['n_b']} examples; "
              f"{summary['added']} added, {summary['removed']} removed, {summary['changed']} changed, "
              f"{summary['unchanged']} unchanged")
    for field in ("kind", "tissue", "split"):
        rows = [[name, c["a"], c["b"], f"{c['delta']:+d}"] for name, c in report[f"by_{field}"].items()]
        out.print(table(f"by {field}", [field, a, b, "delta"], rows))
    if report["config_changes"]:
        rows = [[c["field"], _short(c["a"]), _short(c["b"])] for c in report["config_changes"]]
        out.print(table("settings that changed", ["setting", a, b], rows))
    if report["why"]:
        out.print(table("why", ["driver", "examples"], [[why, n] for why, n in report["why"].items()]))
    coverage = report["coverage_changes"]
    if coverage:
        rows = [[c["fact_id"], c["a"], c["b"], f"{c['delta']:+d}"] for c in coverage[:limit]]
        out.print(table(_title("facts whose coverage changed", len(coverage), limit), ["fact", a, b, "delta"], rows))
    for name in ("added", "removed", "changed"):
        changes = report[name]
        if not changes:
            continue
        rows = [[c["id_a"] or "-", c["id_b"] or "-", c["kind"], c["tissue"], c["template_id"],
                 ",".join(c["fields"]) or "-", c["why"]] for c in changes[:limit]]
        out.print(table(_title(name, len(changes), limit),
                        [f"id {a}", f"id {b}", "kind", "tissue", "template", "fields", "why"], rows))


def _title(name: str, total: int, limit: int) -> str:
    return f"{name}: {total}" + (f" (first {limit}; --json lists all)" if total > limit else "")


def _short(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    text = str(value)
    return text[:16] if len(text) == 64 else text
