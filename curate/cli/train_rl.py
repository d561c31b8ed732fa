"""`curate train dpo`, `train grpo` and `train sample`: preference training, RL with the judge as reward, and
the model's own scored samples that preference pairs are made from."""

from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._options import Home, Json, VersionAlias, VersionArg, one_version

FROM_RUN_HELP = "A fitted run (run id or folder) whose LoRA adapter is trained further. Or give --base-model."
BASE_HELP = "Base model folder: a new adapter on it (without --from-run), or the run's base replaced."
PRESET_HELP = "Recipe: study (Mistral-7B QLoRA on a GPU) or tiny (the CPU tiny model)."
CONFIG_HELP = "YAML or JSON file of recipe fields (train.stage_config) that override the preset."
OUT_HELP = "Folder for the trainer's checkpoints. Default: <home>/work/<stage>-<version>-<recipe hash>."
MAX_TIME_HELP = "Stop after this many seconds of training (stages compared at equal wall time)."
REWARDS_HELP = "Comma list of rewards to compose: factual, direction, consistency, calibration. Default: all."


def register(train_app: typer.Typer) -> None:
    train_app.command("dpo", help="DPO (TRL) on a version's preference pairs, from a fitted run's adapter or a base.")(
        dpo)
    train_app.command("grpo", help="GRPO (TRL) on a version's train prompts, with the judge's rewards.")(grpo)
    train_app.command("sample", help="Sample several answers per question and score them (pairs for DPO).")(sample)


def dpo(
    version: VersionArg = None,
    from_run: Annotated[str | None, typer.Option("--from-run", help=FROM_RUN_HELP)] = None,
    base_model: Annotated[Path | None, typer.Option("--base-model", help=BASE_HELP)] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", help="An exported dpo JSONL instead of the version's.")]
    = None,
    preset: Annotated[str, typer.Option(help=PRESET_HELP)] = "study",
    config: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    beta: Annotated[float | None, typer.Option(help="DPO beta: how far the policy may move from the reference.")]
    = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many optimiser steps.")] = None,
    max_time: Annotated[float | None, typer.Option("--max-time", help=MAX_TIME_HELP)] = None,
    quantize: Annotated[bool | None, typer.Option("--quantize/--no-quantize", help="4-bit NF4 base (default: on "
                                                  "with CUDA).", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(help=OUT_HELP)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run from its checkpoint.")] = False,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.stages import StageRequest

    version = one_version(version, version_alias)
    overrides = {"beta": beta, "max_steps": max_steps, "max_time_s": max_time, "quantize": quantize}
    _run(StageRequest(stage="dpo", version=version, from_run=from_run, base_model=base_model, pairs_file=pairs,
                      preset=preset, config_file=config, overrides=overrides, out=out, resume=resume), home, json)


def grpo(
    version: VersionArg = None,
    from_run: Annotated[str | None, typer.Option("--from-run", help=FROM_RUN_HELP)] = None,
    base_model: Annotated[Path | None, typer.Option("--base-model", help=BASE_HELP)] = None,
    rewards: Annotated[str | None, typer.Option(help=REWARDS_HELP)] = None,
    num_generations: Annotated[int | None, typer.Option("--num-generations", help="Answers sampled per prompt.")]
    = None,
    max_completion_length: Annotated[int | None, typer.Option("--max-completion-length",
                                                              help="Longest sampled answer, in tokens.")] = None,
    use_vllm: Annotated[bool | None, typer.Option("--vllm/--no-vllm", help="Sample with vLLM (GPU; the vllm "
                                                  "extra).", show_default=False)] = None,
    preset: Annotated[str, typer.Option(help=PRESET_HELP)] = "study",
    config: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many optimiser steps.")] = None,
    max_time: Annotated[float | None, typer.Option("--max-time", help=MAX_TIME_HELP)] = None,
    quantize: Annotated[bool | None, typer.Option("--quantize/--no-quantize", help="4-bit NF4 base (default: on "
                                                  "with CUDA).", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(help=OUT_HELP)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run from its checkpoint.")] = False,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.stages import StageRequest

    version = one_version(version, version_alias)
    overrides = {"num_generations": num_generations, "max_completion_length": max_completion_length,
                 "use_vllm": use_vllm, "max_steps": max_steps, "max_time_s": max_time, "quantize": quantize}
    _run(StageRequest(stage="grpo", version=version, from_run=from_run, base_model=base_model, preset=preset,
                      config_file=config, overrides=overrides, rewards=rewards, out=out, resume=resume), home, json)


def _run(request: Any, home: Path | None, json: bool) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry
    from curate.stages import train_stage

    record = train_stage(Registry(home), request)
    if json:
        print_json(record)
        return
    keys = ("run_id", "data_version", "from_run", "n_train_examples", "device", "global_step", "train_loss",
            "reward_first", "reward_last", "reward_margin_last", "time_s", "stopped_by_time")
    rows = [[key, record.get(key)] for key in keys if record.get(key) is not None]
    out = console()
    out.print(table(f"curate train {request.stage}", ["", "value"], rows))
    out.print(f"run record in {record['path']}")


def sample(
    version: VersionArg = None,
    adapter: Annotated[str | None, typer.Option(help="A run id, run folder or adapter folder.")] = None,
    base_model: Annotated[Path | None, typer.Option("--base-model", help="Base model folder. Default: the run's.")]
    = None,
    split: Annotated[str, typer.Option(help="train (for preference pairs), validation or test.")] = "train",
    samples: Annotated[int, typer.Option(help="Answers sampled per question.")] = 4,
    temperature: Annotated[float, typer.Option(help="Sampling temperature.")] = 1.0,
    max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", help="Longest answer, in tokens.")] = 128,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Questions sampled together.")] = 8,
    seed: Annotated[int, typer.Option(help="Sampling seed.")] = 0,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json
    from curate.registry import Registry
    from curate.stages import SampleRequest, sample_version

    version = one_version(version, version_alias)
    request = SampleRequest(version=version, adapter=adapter, base_model=base_model, split=split, samples=samples,
                            temperature=temperature, max_new_tokens=max_new_tokens, batch_size=batch_size, seed=seed)
    report, path = sample_version(Registry(home), request)
    summary = {"eval_id": report.id, "version": report.version, "split": report.split, "n_items": report.n_items,
               "n_correct": report.n_correct, "accuracy": report.accuracy, "path": str(path)}
    if json:
        print_json(summary)
        return
    console().print(f"{report.n_items} sampled answers ({report.n_correct} scored correct) in {path}")
