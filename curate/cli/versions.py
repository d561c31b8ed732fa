"""`curate versions`: the versions in the registry."""

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("versions", help="List the dataset versions in the registry.")(versions)


def versions(home: Home = None, json: Json = False) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry

    registry = Registry(home)
    manifests = registry.manifests()
    if json:
        print_json([m.model_dump(mode="json", by_alias=True) for m in manifests])
        return
    out = console()
    if not manifests:
        out.print(f"no versions yet in {registry.home}: run `curate generate`")
        return
    rows = [
        [m.version, m.created, m.parent or "-", m.facts_name, m.n_examples,
         " ".join(f"{k}={v}" for k, v in m.counts_by_split.items()),
         {None: "-", True: "pass", False: "FAIL"}[m.gates_passed], m.content_hash[:12]]
        for m in manifests
    ]
    out.print(table(f"versions in {registry.home}",
                    ["version", "created", "parent", "facts", "examples", "splits", "gates", "hash"], rows))
