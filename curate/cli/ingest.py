"""`curate ingest` (a lab's own data to a registered fact sheet) and `curate simulate` (a study with
planted truth, for tests, the demo and the benchmark)."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._choices import DeMethod, IngestFormat
from curate.cli._options import Home, Json

_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_PATHS_HELP = "Inputs: one .h5ad, DESeq2 CSVs, a GeneLab table, fGSEA tables, or folders of them."
_METHOD_HELP = "pydeseq2 (DeseqDataSet fit) or fast (vectorised fit of the same model)."


def register(app: typer.Typer) -> None:
    app.command("ingest", help="Read counts or DE tables, run DE and GSEA, and register a fact sheet.")(ingest)
    app.command("simulate", help="Write a simulated 2x2x2 study (.h5ad per tissue, GMT, truth.json).")(simulate)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help=_PATHS_HELP)],
    tissue: Annotated[str, typer.Option(help="The tissue these data are from (a lowercase slug, e.g. heart).")],
    design: Annotated[Path | None, typer.Option(help="design.yaml: which obs columns and levels are which.")] = None,
    gmt: Annotated[Path | None, typer.Option(help="Gene sets (GMT) for preranked GSEA of HU_IR, KMP_in_HU_IR.")] = None,
    fmt: Annotated[IngestFormat, typer.Option("--format", help="The inputs' format; auto reads it from them.")] = (
        IngestFormat.auto),
    name: Annotated[str, typer.Option(help="Fact sheet to register (its other tissues' facts are kept).")] = "ingested",
    padj: Annotated[float, typer.Option(help="DEG and pathway threshold: padj below this.")] = 0.05,
    de_method: Annotated[DeMethod, typer.Option("--de-method", help=_METHOD_HELP)] = DeMethod.pydeseq2,
    cpus: Annotated[int | None, typer.Option(help="Processes for pydeseq2's per-gene fits (default: all).")] = None,
    permutations: Annotated[int, typer.Option(help="GSEA permutations.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed for GSEA permutations.")] = 0,
    home: Home = None,
    json: Json = False,
) -> None:
    import warnings

    from curate.schemas.errors import BadInputError

    warnings.simplefilter("ignore")  # library warnings would break the one-line error contract
    if not _SLUG.match(name) or len(name) > 64:
        raise BadInputError(f"--name {name!r}: a fact sheet name is a lowercase slug (letters, digits, '-', '_')")
    _require_bio()
    from curate.generators.ingest import build_factsheet
    from curate.generators.ingest import ingest as run_ingest
    from curate.registry import Registry

    registry = Registry(home)
    registry.ensure_writable()
    with _progress(steps=6) as step:
        result = run_ingest(paths, tissue=tissue, design=design, gmt=gmt, fmt=fmt.value, padj=padj, de_method=de_method.value,
                            n_cpus=cpus, permutations=permutations, seed=seed, step=step)
        step("register the fact sheet")
        slug = result.summary["tissue"]
        existing = registry.factsheet(name) if name in registry.factsheet_names() else None
        sheet = build_factsheet(result.facts, name=name, tissue=slug, padj=padj, existing=existing)
        extra = _kept_results(registry.home / "facts" / name, slug) | {f"ingest/{slug}.h5ad": _h5ad_bytes(result.adata)}
        extra[f"ingest/{slug}.json"] = _summary_json(result.summary)
        path = registry.save_factsheet(sheet, extra_files=extra)
    _report(result.summary, sheet, path, json)


def simulate(
    out: Annotated[Path, typer.Option(help="New folder to write the study into.")],
    seed: Annotated[int, typer.Option(help="Seed: same seed, same study.")] = 0,
    genes: Annotated[int, typer.Option(help="Genes per tissue (at least 500; realistic: 15000+).")] = 20000,
    replicates: Annotated[int, typer.Option(help="Animals per cell of the 2x2x2.")] = 4,
    tissues: Annotated[str, typer.Option(help="Comma list of tissues.")] = "heart,hippocampus,liver,soleus",
    json: Json = False,
) -> None:
    import warnings

    warnings.simplefilter("ignore")
    _require_bio()
    from curate.cli._output import console, print_json
    from curate.generators.ingest import simulate_study

    chosen = tuple(t.strip() for t in tissues.split(",") if t.strip())
    with _progress(steps=1) as step:
        step("simulate counts")
        truth = simulate_study(out, seed=seed, n_genes=genes, replicates=replicates, tissues=chosen)
    summary = {
        "out": str(out), "seed": seed, "n_genes": genes, "replicates": replicates, "gmt": truth["gmt"],
        "planted_set": truth["planted_set"],
        "tissues": {t: {"file": v["file"], "response_class": v["response_class"],
                        "planted_degs": {c: len(x["degs"]) for c, x in v["contrasts"].items()}}
                    for t, v in truth["tissues"].items()},
    }
    if json:
        print_json(summary)
        return
    lines = [f"wrote a simulated study to {out} (seed {seed}, {genes} genes, {replicates} replicates per cell)"]
    for _name, info in summary["tissues"].items():
        lines.append(f"  {info['file']}: planted class {info['response_class']}, planted DEGs "
                     + ", ".join(f"{c} {n}" for c, n in info["planted_degs"].items()))
    lines.append(f"  {truth['gmt']}: {truth['planted_set']} (stress lowers it, KMP restores it) and random decoys")
    lines.append("  truth.json: planted DEGs per contrast, classes and pathway patterns")
    console().print("\n".join(lines), markup=False)


def _require_bio() -> None:
    from importlib.util import find_spec

    from curate.schemas.errors import MissingExtraError

    for module in ("anndata", "pydeseq2", "gseapy"):
        if find_spec(module) is None:
            raise MissingExtraError(module, "bio")


@contextmanager
def _progress(steps: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr, shown only on a terminal (so errors stay one line in scripts)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                   transient=True, disable=not err.is_terminal)
    with bar:
        task = bar.add_task("starting", total=steps)
        started = [False]

        def step(description: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=description)

        yield step
        bar.update(task, completed=steps)


def _h5ad_bytes(adata: Any) -> bytes:
    import tempfile

    from curate.generators.ingest import results_only

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "results.h5ad"
        results_only(adata).write_h5ad(target, compression="gzip")
        return target.read_bytes()


def _kept_results(folder: Path, tissue: str) -> dict[str, bytes]:
    """Results files of other tissues already registered under this name (save replaces the folder)."""
    source = folder / "ingest"
    if not source.is_dir():
        return {}
    return {f"ingest/{p.name}": p.read_bytes() for p in sorted(source.iterdir())
            if p.is_file() and p.stem != tissue}


def _summary_json(summary: dict[str, Any]) -> bytes:
    import json

    return (json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


def _report(summary: dict[str, Any], sheet: Any, path: Path, as_json: bool) -> None:
    from curate.cli._output import print_json
    from curate.cli._plain import plain_console, plain_table

    if as_json:
        print_json({"name": sheet.name, "path": str(path), "n_facts_in_sheet": len(sheet.facts), **summary})
        return
    rows = [[c, n] for c, n in summary["deg_counts"].items()]
    out = plain_console()
    title = f"{summary['tissue']}: DEGs per contrast ({summary['format']}, {summary['de'].get('method', '')})"
    out.print(plain_table(title, ["contrast", "n_degs"], rows, numeric={"n_degs"}))
    if summary["design"]:
        mapped = [f"{f} = {m['column']} ({', '.join(m['treated'])} vs {', '.join(m['reference'])})"
                  for f, m in summary["design"].items()]
        out.print("design: " + "; ".join(mapped), markup=False)
    out.print(f"response class: {summary['response_class'] or 'none (rule undecided)'}; pathway patterns: "
              + (", ".join(f"{p} {n}" for p, n in summary["pathway_patterns"].items()) or "none"), markup=False)
    for note in summary["notes"]:
        out.print(f"note: {note}", markup=False)
    kinds = ", ".join(f"{k} {n}" for k, n in summary["facts_by_kind"].items())
    out.print(f"registered {summary['n_facts']} facts ({kinds}) in fact sheet {sheet.name!r} at {path}; "
              f"see `curate facts --facts {sheet.name}`", markup=False)
