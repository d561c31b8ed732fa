"""`curate diff vA vB`: examples added, removed and changed, and why."""

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
    from curate.cli._plain import plain_console, plain_table

    out = plain_console()
    a, b, summary = report["a"], report["b"], report["summary"]
    out.print(f"{a} -> {b}: {summary['n_a']} -> {summary['n_b']} examples; "
              f"{summary['added']} added, {summary['removed']} removed, {summary['changed']} changed, "
              f"{summary['unchanged']} unchanged")
    numbers = {a, b, "delta", "examples"}
    for field in ("kind", "tissue", "split"):
        rows = [[name, c["a"], c["b"], f"{c['delta']:+d}"] for name, c in report[f"by_{field}"].items()]
        out.print(plain_table(f"by {field}", [field, a, b, "delta"], rows, numbers))
    if report["config_changes"]:
        rows = [[c["field"], _short(c["a"]), _short(c["b"])] for c in report["config_changes"]]
        out.print(plain_table("settings that changed", ["setting", a, b], rows))
    if report["drivers"]:
        from curate.diffing import driver_label

        out.print("drivers of " + b + ": " + ", ".join(driver_label(d) for d in report["drivers"]))
    if report["why"]:
        out.print(plain_table("why examples changed", ["driver", "examples"], list(map(list, report["why"].items())),
                              numbers))
    coverage = report["coverage_changes"]
    if coverage:
        rows = [[c["fact_id"], c["a"], c["b"], f"{c['delta']:+d}"] for c in coverage[:limit]]
        out.print(plain_table(_title("facts whose coverage changed", len(coverage), limit),
                              ["fact", a, b, "delta"], rows, numbers))
    for name in ("added", "removed", "changed"):
        changes = report[name]
        if not changes:
            continue
        ids = [f"id {a}", f"id {b}"] if name == "changed" else ["id"]
        rows = [[*_ids(c, name), c["kind"], c["tissue"], c["template_id"], *([",".join(c["fields"])] if
                 name == "changed" else []), c["why"]] for c in changes[:limit]]
        columns = [*ids, "kind", "tissue", "template", *(["fields"] if name == "changed" else []), "why"]
        out.print(plain_table(_title(name, len(changes), limit), columns, rows))


def _ids(change: dict[str, Any], name: str) -> list[str]:
    if name == "changed":
        return [change["id_a"], change["id_b"]]
    return [change["id_b"] if name == "added" else change["id_a"]]


def _title(name: str, total: int, limit: int) -> str:
    return f"{name}: {total}" + (f" (first {limit}; --json lists all)" if total > limit else "")


def _short(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    text = str(value)
    return text[:16] if len(text) == 64 else text
