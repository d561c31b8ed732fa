"""`curate train`: build a tiny base model, fit a LoRA adapter on a version, evaluate it."""

from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._choices import Backend, EvalSplit, Launcher, Preset
from curate.cli._options import Home, Json, VersionAlias, VersionArg, one_version, required_version

train_app = typer.Typer(help="Fit a QLoRA adapter on a dataset version, and evaluate it.", no_args_is_help=True)

LAUNCHER_HELP = "none (this process), or accelerate: relaunch on --num-processes ranks (DDP; gloo on CPU)."
BACKEND_HELP = "transformers (rolling batches, CPU or GPU) or vllm (GPU; pip install 'curate[vllm]')."


def register(app: typer.Typer) -> None:
    from curate.cli import train_rl

    train_rl.register(train_app)  # train dpo, train grpo
    app.add_typer(train_app, name="train")


@train_app.command("tiny-base", help="Build a tiny Mistral-architecture model with a tokenizer trained on a version.")
def tiny_base(
    out: Annotated[Path, typer.Option("--out", help="New folder for the model and tokenizer (save_pretrained).")],
    version: VersionArg = None,
    seed: Annotated[int, typer.Option(help="Seed of the random initial weights.")] = 0,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json
    from curate.registry import Registry
    from curate.training import build_tiny_base

    version = one_version(version, version_alias)
    summary = build_tiny_base(Registry(home), out, version=version, seed=seed)
    if json:
        print_json(summary)
        return
    console().print(f"tiny base ({summary['n_parameters']:,} parameters, vocabulary {summary['vocab_size']}, "
                    f"tokenizer trained on {summary['version']}) written to {summary['path']}")


OUT_HELP = "Folder for the trainer's checkpoints. Default: <home>/work/fit-<version>-<config hash>."
CONFIG_HELP = "YAML or JSON file of recipe fields (train.config.FitConfig) that override the preset."
QUANTIZE_HELP = "4-bit NF4 base with double quantisation. Default: on with CUDA, off on CPU."
PRESET_HELP = "Recipe: study (QLoRA r=64, 10 epochs, lr 1e-4) or tiny (r=16, 30 epochs, lr 3e-3, batch 16)."


@train_app.command("fit", help="Fit a LoRA adapter (TRL SFT, loss on the completion) on a version's train split.")
def fit(
    base_model: Annotated[Path, typer.Option("--base-model", help="Local folder of the base model.")],
    version: VersionArg = None,
    out: Annotated[Path | None, typer.Option(help=OUT_HELP)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted fit from its checkpoint.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    quantize: Annotated[
        bool | None, typer.Option("--quantize/--no-quantize", help=QUANTIZE_HELP, show_default=False)
    ] = None,
    packing: Annotated[
        bool | None, typer.Option("--packing/--no-packing", help="Pack examples (bfd).", show_default=False)
    ] = None,
    preset: Annotated[Preset, typer.Option(help=PRESET_HELP)] = Preset.study,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many optimiser steps.")] = None,
    launcher: Annotated[Launcher, typer.Option(help=LAUNCHER_HELP)] = Launcher.none,
    num_processes: Annotated[int, typer.Option("--num-processes", help="Ranks for --launcher accelerate.")] = 2,
    accelerate_config: Annotated[
        Path | None, typer.Option("--accelerate-config", help="Your own accelerate config (FSDP, DeepSpeed).")
    ] = None,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry
    from curate.training import FitRequest, fit_version

    version = required_version(version, version_alias)
    if launcher is not Launcher.none:
        _relaunch(launcher.value, num_processes, accelerate_config, home)
        return

    request = FitRequest(version=version, base_model=base_model, out=out, resume=resume, config_file=config,
                         preset=preset.value, quantize=quantize, packing=packing, max_steps=max_steps)
    record = fit_version(Registry(home), request)
    if record.get("published") is False:
        return  # a rank other than 0 under a launcher: rank 0 reports the run
    if json:
        print_json(record)
        return
    rows = [[key, record.get(key)] for key in ("run_id", "data_version", "n_train_examples", "device", "quantized",
                                              "global_step", "train_loss", "final_loss", "time_s", "tokens_per_s")]
    out_console = console()
    out_console.print(table("curate train fit", ["", "value"], rows))
    out_console.print(f"run record in {record['path']}")



def _relaunch(launcher: str, num_processes: int, config: Path | None, home: Path | None) -> None:
    import sys

    from curate.launch import LAUNCHERS, relaunch
    from curate.registry import Registry
    from curate.schemas.errors import BadInputError

    if launcher not in LAUNCHERS:
        raise BadInputError(f"--launcher {launcher!r} is not one of: {', '.join(LAUNCHERS)}")
    code = relaunch(Registry(home).home / "work", num_processes, sys.argv[1:], config)
    if code:
        raise typer.Exit(code)


THREADS_HELP = "torch threads on CPU. Default: OMP_NUM_THREADS, else every usable core (use 1 on a busy machine)."
ADAPTER_HELP = "A run id, run folder or adapter folder. Leave it out, with --base-model, to test a bare base."


@train_app.command("eval", help="Answer a version's split with an adapter, score the answers, save the EvalReport.")
def evaluate(
    version: VersionArg = None,
    adapter: Annotated[str | None, typer.Option(help=ADAPTER_HELP)] = None,
    base_model: Annotated[
        Path | None, typer.Option("--base-model", help="Base model folder. Default: the one the run was fitted on.")
    ] = None,
    split: Annotated[EvalSplit, typer.Option(help="Split to evaluate.")] = EvalSplit.test,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Prompts decoded together (rolling batch).")] = 32,
    max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", help="Longest answer, in tokens; 0: twice "
                                                                         "the longest reference, plus 16.")] = 256,
    backend: Annotated[Backend, typer.Option(help=BACKEND_HELP)] = Backend.transformers,
    threads: Annotated[int | None, typer.Option(help=THREADS_HELP)] = None,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import print_json
    from curate.registry import Registry
    from curate.training import EvalRequest, eval_version

    version = required_version(version, version_alias)
    request = EvalRequest(version=version, adapter=adapter, base_model=base_model, split=split.value,
                          batch_size=batch_size, max_new_tokens=max_new_tokens or None, backend=backend.value,
                          threads=threads)
    report, path = eval_version(Registry(home), request)
    if json:
        print_json(report_summary(report, path))
        return
    print_report(report, path)


def report_summary(report: Any, path: Path) -> dict[str, Any]:
    """The report's numbers without the items (they are in report.json)."""
    summary = report.model_dump(mode="json", by_alias=True, exclude={"items", "reliability"})
    summary["path"] = str(path)
    summary["failures"] = [
        {"example_id": i.example_id, "kind": i.kind, "findings": [f.message for f in i.findings]}
        for i in report.failures[:20]
    ]
    return summary


def print_report(report: Any, path: Path) -> None:
    from curate.cli._output import console, table

    out = console()
    rows = [[f"kind {k}", report.counts_by_kind[k], f"{v:.3f}"] for k, v in report.accuracy_by_kind.items()]
    rows += [[f"tissue {k}", report.counts_by_tissue[k], f"{v:.3f}"] for k, v in report.accuracy_by_tissue.items()]
    rows.append(["all", report.n_items, f"{report.accuracy:.3f}"])
    source = report.run_id or report.base_model or "answers"
    out.print(f"eval [bold]{report.id}[/bold]: {source} on {report.version or report.facts_name} {report.split}")
    out.print(table(None, ["group", "count", "accuracy"], rows))
    if report.ece is not None:
        out.print(f"ECE {report.ece:.4f}  MCE {report.mce:.4f}  Brier {report.brier:.4f}")
    for item in report.failures[:5]:
        out.print(f"[red]wrong[/red] {item.example_id}: {item.findings[0].message if item.findings else ''}")
    out.print(f"report in {path}")
