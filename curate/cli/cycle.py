"""`curate cycle` and `curate report`: the closed loop, and its progression across rounds."""

from pathlib import Path
from typing import Annotated

import typer

from curate.cli._choices import Preset, Reviewer
from curate.cli._options import (
    PER_FACT,
    WORKSPACE,
    ApiKey,
    ApiUrl,
    Home,
    Json,
    PerFact,
    VersionAlias,
    VersionArg,
    Workspace,
    one_version,
)


def register(app: typer.Typer) -> None:
    app.command("cycle", help="Fit, evaluate, review and drill, round after round (optionally with a control arm).")(
        cycle)
    app.command("report", help="Show the progression across rounds of a cycle: table, plot, reliability.")(report)


def cycle(
    rounds: Annotated[int, typer.Option(help="Rounds of fit, eval, review and drill.")] = 3,
    reviewer: Annotated[Reviewer, typer.Option(help="auto: eval findings review; argilla: a biologist does.")] = (
        Reviewer.auto),
    base_model: Annotated[Path | None, typer.Option("--base-model", help="Base model folder; default: a tiny "
                                                       "model built from the start version.")] = None,
    control: Annotated[bool, typer.Option("--control", help="Also run an undrilled control arm.")] = False,
    seeds: Annotated[str, typer.Option(help="Comma list of training seeds, e.g. 0,1,2.")] = "0",
    version: VersionArg = None,
    preset: Annotated[Preset, typer.Option(help="Fit preset.")] = Preset.tiny,
    epochs: Annotated[float | None, typer.Option(help="Training epochs per round (the budget).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Fit config overrides (YAML/JSON).")] = None,
    per_fact: PerFact = PER_FACT,
    api_url: ApiUrl = None,
    api_key: ApiKey = None,
    workspace: Workspace = WORKSPACE,
    review_timeout: Annotated[float, typer.Option(help="Seconds to wait for Argilla reviews.")] = 3600.0,
    drill: Annotated[str, typer.Option(help="What a drill adds per failing fact: paraphrases, corrections "
                                            "(quoting the model's wrong answer), or both (an ablation drops one).")
                     ] = "paraphrases,corrections",
    threads: Annotated[int | None, typer.Option(help="torch threads on CPU; default: OMP_NUM_THREADS, else every "
                                                     "usable core (1 on a busy machine).")] = None,
    warm_start: Annotated[bool, typer.Option("--warm-start", help="Rounds after the first go on training the "
                                                                  "arm's previous adapter, not a fresh one.")] = False,
    warm_epochs: Annotated[float | None, typer.Option("--warm-epochs", help="Epochs of those rounds (default: "
                                                                           "--epochs).")] = None,
    stage: Annotated[str, typer.Option(help="After each round's SFT fit: sft (no more), dpo or grpo; or one per "
                                       "round, e.g. sft,grpo,grpo (the last repeats).")] = "sft",
    stage_config: Annotated[Path | None, typer.Option("--stage-config", help="Recipe overrides for the dpo/grpo "
                                                      "stage (YAML/JSON).")] = None,
    round1_from: Annotated[str | None, typer.Option("--round1-from", help="Reuse round 1 (fit, eval, review) of "
                                                    "this cycle: same version, base and recipe; for ablations of "
                                                    "the drill.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last interrupted cycle.")] = False,
    resume_id: Annotated[str | None, typer.Option("--cycle", help="With --resume: the cycle to continue "
                                                               "(several can run in one home).")] = None,
    home: Home = None,
    json: Json = False,
    version_alias: VersionAlias = None,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.cycle import CycleRequest, run, start_or_resume
    from curate.registry import Registry
    from curate.report import TABLE_COLUMNS, progression_rows, table_rows
    from curate.schemas.errors import BadInputError

    version = one_version(version, version_alias)
    try:
        seed_list = tuple(int(s) for s in seeds.split(",") if s.strip())
    except ValueError:
        raise BadInputError(f"--seeds {seeds!r}: give whole numbers separated by commas") from None
    request = CycleRequest(rounds=rounds, reviewer=reviewer.value, base_model=base_model, control=control,
                           seeds=seed_list or (0,), version=version, preset=preset.value, epochs=epochs,
                           config_file=config, per_fact=per_fact, api_url=api_url, api_key=api_key,
                           workspace=workspace, review_timeout=review_timeout,
                           drill_parts=tuple(part.strip() for part in drill.split(",") if part.strip()),
                           threads=threads, warm_start=warm_start, warm_epochs=warm_epochs, stage=stage,
                           stage_config=stage_config, round1_from=round1_from)
    registry = Registry(home)
    state = start_or_resume(registry, request, resume=resume, cycle_id=resume_id)
    err = console(stderr=True)
    state = run(registry, state, on_event=lambda message: err.print(f"[dim]{message}[/dim]", soft_wrap=True))
    rows = progression_rows({"rounds": state.rounds})
    if json:
        print_json({"cycle_id": state.cycle_id, "folder": str(state.folder), "rows": rows})
        return
    console().print(table(f"{state.cycle_id}: progression", TABLE_COLUMNS, table_rows(rows)))


def report(
    out: Annotated[Path | None, typer.Option(help="Folder for the plot, statistics and exported data; default: the "
                                                  "cycle's report/ folder.")] = None,
    cycle_ids: Annotated[list[str] | None, typer.Option("--cycle", help="A cycle id; default: the latest. Repeat it "
                                                                  "to pool cycles run in parallel over other "
                                                                  "seeds of the same experiment.")] = None,
    source: Annotated[Path | None, typer.Option("--from", help="Recompute from a folder an earlier report exported "
                                                              "(its data/ holds state.json and the evals).")] = None,
    diagrams: Annotated[bool, typer.Option("--diagrams/--no-diagrams", help="Copy each round's reliability "
                                                                           "diagram into the folder.")] = True,
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import console, print_json, table
    from curate.registry import Registry
    from curate.report import (
        EFFECT_COLUMNS,
        TABLE_COLUMNS,
        effect_rows,
        items_from_registry,
        load_exported,
        pick_cycle,
        table_rows,
        write_report,
    )

    if source is not None:
        chosen, items_of = load_exported(source)
        folder = out or source
        result = write_report(chosen, items_of, folder, source=str(source))
    else:
        registry = Registry(home)
        chosen = pick_cycle(registry, cycle_ids)
        folder = out or registry.home / "cycles" / chosen["cycle_id"] / "report"
        result = write_report(chosen, items_from_registry(registry), folder, registry=registry,
                              source=str(registry.home), diagrams=diagrams)
    if json:
        print_json(result)
        return
    out_console = console()
    out_console.print(table(f"{result['cycle_id']}: progression", TABLE_COLUMNS, table_rows(result["rows"])))
    out_console.print(table("held-out accuracy per round (paired: same items, same seeds)", EFFECT_COLUMNS,
                            effect_rows(result["effects"])))
    unequal = [b for b in result["budgets"] if not b["equal"]]
    budgets = f"budgets equal in {len(result['budgets']) - len(unequal)} of {len(result['budgets'])} control drills"
    out_console.print(f"{budgets}; {result['statistics']['accuracy_interval']}; {result['statistics']['paired_tests']}")
    out_console.print(f"plot: {result['plot']}; {len(result['reliability'])} reliability diagrams in {folder}"
                      + (f"; data to recompute it: {result['data']}" if result["data"] else ""))
    if any(row["stage"] != "sft" for row in result["stages"]):
        out_console.print(table("per stage (mean across seeds)", ["arm", "round", "stage", "seeds", "accuracy", "ECE",
                                                                  "reward", "declines"],
                                [[s["arm"], s["round"], s["stage"], s["n_seeds"], *(_fmt(s[k]) for k in (
                                    "accuracy", "ece", "reward", "decline_rate"))] for s in result["stage_summary"]]))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
