"""`curate generate`: facts in, a new immutable dataset version out."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import PER_FACT, Facts, Home, Json, PerFact


def register(app: typer.Typer) -> None:
    app.command("generate", help="Generate examples from a fact sheet and write a new version vN.")(generate)


def generate(
    tissue: Annotated[str, typer.Option(help="One tissue, a comma list, or 'all'.")] = "all",
    kinds: Annotated[str, typer.Option(help="Kinds of example: a comma list, or 'all'.")] = "all",
    seed: Annotated[int, typer.Option(help="Seed for every random choice; same seed, same version.")] = 0,
    per_fact: PerFact = PER_FACT,
    facts: Facts = None,
    from_path: Annotated[
        Path | None, typer.Option("--from", help="A factsheet.json file to generate from.")
    ] = None,
    allow_failing: Annotated[
        bool, typer.Option("--allow-failing", help="Write the version even if a quality gate fails.")
    ] = False,
    num_proc: Annotated[
        int, typer.Option("--num-proc", help="Processes for the quality gates' claim check (same report as 1).")
    ] = 1,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.pipeline import GenerateRequest
    from curate.pipeline import generate as run_generate
    from curate.registry import Registry

    request = GenerateRequest(tissue=tissue, kinds=kinds, seed=seed, per_fact=per_fact, facts=facts,
                              from_path=from_path, allow_failing=allow_failing, num_proc=num_proc)
    result = run_generate(Registry(home), request)
    manifest = result.manifest
    if json:
        print_json({"version": manifest.version, "path": str(result.path), **_summary(manifest)})
        return
    by_kind_split: dict[str, dict[str, int]] = {}
    for example in result.examples:
        by_kind_split.setdefault(example.kind, {}).setdefault(example.split, 0)
        by_kind_split[example.kind][example.split] += 1
    rows = [[kind, c.get("train", 0), c.get("test", 0), sum(c.values())] for kind, c in by_kind_split.items()]
    rows.append(["total", manifest.counts_by_split.get("train", 0), manifest.counts_by_split.get("test", 0),
                 manifest.n_examples])
    out = console()
    tissues = ", ".join(manifest.generator_config["tissues"])
    out.print(table(f"curate generate: {manifest.facts_name}, tissues {tissues}", ["kind", "train", "test", "total"],
                    rows))
    out.print(f"wrote [bold]{manifest.version}[/bold] to {result.path}  (content hash {manifest.content_hash[:12]})")


def _summary(manifest) -> dict:  # type: ignore[no-untyped-def]
    return {
        "n_examples": manifest.n_examples,
        "content_hash": manifest.content_hash,
        "counts_by_kind": manifest.counts_by_kind,
        "counts_by_tissue": manifest.counts_by_tissue,
        "counts_by_split": manifest.counts_by_split,
        "facts_name": manifest.facts_name,
        "gates_passed": manifest.gates_passed,
    }
