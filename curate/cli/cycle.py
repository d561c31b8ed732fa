"""`curate cycle` and `curate report`: the closed loop, and its progression across rounds."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._options import Home, Json


def register(app: typer.Typer) -> None:
    app.command("cycle", help="Fit, evaluate, review and drill, round after round (optionally with a control arm).")(
        cycle)
    app.command("report", help="Show the progression across rounds of a cycle: table, plot, reliability.")(report)


def cycle(
    rounds: Annotated[int, typer.Option(help="Rounds of fit, eval, review and drill.")] = 3,
    reviewer: Annotated[str, typer.Option(help="auto: eval findings review; argilla: a biologist does.")] = "auto",
    base_model: Annotated[Path | None, typer.Option("--base-model", help="Base model folder; default: a tiny "
                                                       "model built from the start version.")] = None,
    control: Annotated[bool, typer.Option("--control", help="Also run an undrilled control arm.")] = False,
    seeds: Annotated[str, typer.Option(help="Comma list of training seeds, e.g. 0,1,2.")] = "0",
    version: Annotated[str | None, typer.Option(help="Start version; default: the latest.")] = None,
    preset: Annotated[str, typer.Option(help="Fit preset: tiny or study.")] = "tiny",
    epochs: Annotated[float | None, typer.Option(help="Training epochs per round (the budget).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Fit config overrides (YAML/JSON).")] = None,
    per_fact: Annotated[int, typer.Option("--per-fact", help="New paraphrases per failing fact.")] = 2,
    api_url: Annotated[str | None, typer.Option(
        help="Argilla URL. Default: $ARGILLA_API_URL, else the home's stored connection (review serve/login).",
        show_default=False)] = None,
    api_key: Annotated[str | None, typer.Option(help="Argilla API key. Default: $ARGILLA_API_KEY, else the stored one.",
                                                   show_default=False)] = None,
    workspace: Annotated[str, typer.Option(help="Argilla workspace for --reviewer argilla.")] = "argilla",
    review_timeout: Annotated[float, typer.Option(help="Seconds to wait for Argilla reviews.")] = 3600.0,
    stage: Annotated[str, typer.Option(help="After each round's SFT fit: sft (no more), dpo or grpo; or one per "
                                       "round, e.g. sft,grpo,grpo (the last repeats).")] = "sft",
    stage_config: Annotated[Path | None, typer.Option("--stage-config", help="Recipe overrides for the dpo/grpo "
                                                      "stage (YAML/JSON).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last interrupted cycle.")] = False,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.cycle import CycleRequest, run, start_or_resume
    from curate.registry import Registry
    from curate.report import TABLE_COLUMNS, progression_rows, table_rows
    from curate.schemas.errors import BadInputError

    try:
        seed_list = tuple(int(s) for s in seeds.split(",") if s.strip())
    except ValueError:
        raise BadInputError(f"--seeds {seeds!r}: give whole numbers separated by commas") from None
    request = CycleRequest(rounds=rounds, reviewer=reviewer, base_model=base_model, control=control,
                           seeds=seed_list or (0,), version=version, preset=preset, epochs=epochs,
                           config_file=config, per_fact=per_fact, api_url=api_url, api_key=api_key,
                           workspace=workspace, review_timeout=review_timeout, stage=stage,
                           stage_config=stage_config)
    registry = Registry(home)
    state = start_or_resume(registry, request, resume=resume)
    err = console(stderr=True)
    state = run(registry, state, on_event=lambda message: err.print(f"[dim]{message}[/dim]", soft_wrap=True))
    rows = progression_rows({"rounds": state.rounds})
    if json:
        print_json({"cycle_id": state.cycle_id, "folder": str(state.folder), "rows": rows})
        return
    console().print(table(f"{state.cycle_id}: progression", TABLE_COLUMNS, table_rows(rows)))


def report(
    out: Annotated[Path | None, typer.Option(help="Folder for the plot and diagrams; default: the cycle's.")] = None,
    cycle_id: Annotated[str | None, typer.Option("--cycle", help="A cycle id; default: the latest.")] = None,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry
    from curate.report import TABLE_COLUMNS, pick_cycle, table_rows, write_report

    registry = Registry(home)
    chosen = pick_cycle(registry, cycle_id)
    folder = out or registry.home / "cycles" / chosen["cycle_id"] / "report"
    result = write_report(registry, chosen, folder)
    if json:
        print_json(result)
        return
    out_console = console()
    out_console.print(table(f"{result['cycle_id']}: progression", TABLE_COLUMNS, table_rows(result["rows"])))
    summary_rows = [[s["arm"], s["round"], s["n_seeds"], f"{s['mean']:.3f}", f"{s['sd']:.3f}",
                     f"{s['min']:.3f}-{s['max']:.3f}"] for s in result["summary"]]
    out_console.print(table("accuracy across seeds", ["arm", "round", "seeds", "mean", "sd", "range"], summary_rows))
    if any(row["stage"] != "sft" for row in result["stages"]):
        out_console.print(table("per stage (mean across seeds)", ["arm", "round", "stage", "seeds", "accuracy", "ECE",
                                                                  "reward", "declines"],
                                [[s["arm"], s["round"], s["stage"], s["n_seeds"], *(_fmt(s[k]) for k in (
                                    "accuracy", "ece", "reward", "decline_rate"))] for s in result["stage_summary"]]))
    out_console.print(f"plot: {result['plot']}; {len(result['reliability'])} reliability diagrams in {folder}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
