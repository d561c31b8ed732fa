"""After one SFT round, is more SFT, DPO or GRPO the better use of the same wall time?

On a pretrained base (SmolLM2-135M from bench/smollm2_base.py) and the liver version (factual QA, error
corrections, calibration incl. unanswerable questions), for each seed:

1. an SFT round (`train fit`, bench/smollm2-fit.yaml), evaluated on the held-out test split;
2. from that run, three arms, each given the same wall time `--budget` seconds:
   - sft: more SFT on the same train split (`train_stage("sft")`),
   - grpo: GRPO on the train prompts with the judge's composed reward,
   - dpo: the run's own sampled answers to the train prompts (`train sample`), paired right against
     wrong by the judge, then DPO; the sampling time counts against the arm's budget;
3. each arm evaluated on the test split: accuracy and ECE (the eval's), the mean composed reward of its
   greedy answers and the share of unanswerable test questions it declines plainly (the judge's).

Results go to `<out>/results.json` after every step (a rerun skips what is done) and the plot to
`<out>/rl-measure.png`.

    OMP_NUM_THREADS=1 python bench/rl_measure.py --base /work/smollm2-base --home /tmp/rl-home \
        --out /tmp/rl-out --seeds 0,1,2 --budget 480
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

ARMS = ("sft", "dpo", "grpo")
METRICS = ("reward", "accuracy", "ece", "decline_rate")
EXTRA = ("overdecline_rate",)  # from --post
FIT_CONFIG = Path(__file__).with_name("smollm2-fit.yaml")
GENERATE: dict[str, Any] = {"tissue": "liver", "kinds": "factual_qa,error_correction,calibration"}
STAGE_RECIPES: dict[str, dict[str, Any]] = {
    # No schedule to finish: every arm runs until its time is up, at a flat learning rate after warm-up.
    "sft": {"learning_rate": 1e-3, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1,
            "max_length": 256, "num_train_epochs": 100, "lr_scheduler_type": "constant_with_warmup",
            "warmup_ratio": 0.0, "save_steps": 100000},
    "dpo": {"learning_rate": 2e-4, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1,
            "max_length": 320, "num_train_epochs": 100, "lr_scheduler_type": "constant_with_warmup",
            "warmup_ratio": 0.0, "beta": 0.1, "save_steps": 100000},
    "grpo": {"learning_rate": 2e-4, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1,
             "max_length": 256, "num_train_epochs": 100, "lr_scheduler_type": "constant_with_warmup",
             "warmup_ratio": 0.0, "num_generations": 4, "max_completion_length": 96, "save_steps": 100000},
}
SAMPLES: dict[str, Any] = {"samples": 2, "max_new_tokens": 80, "batch_size": 8, "temperature": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="SmolLM2 folder from bench/smollm2_base.py")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--budget", type=float, default=480.0, help="seconds of training per arm")
    parser.add_argument("--fit-steps", type=int, default=None, help="cap the SFT round (a quick timing run)")
    parser.add_argument("--eval-tokens", type=int, default=160)
    parser.add_argument("--post", action="store_true", help="only re-read the eval reports, re-summarise and re-plot")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = _load(args.out)
    if args.post:
        _post(_home(args.home), results)
        results["summary"] = summarise(results["runs"])
        _save(args.out, results)
        plot(results, args.out / "rl-measure.png")
        print(markdown_table(results["summary"]))
        return
    results["settings"] = {"base": str(args.base), "budget_s": args.budget, "seeds": args.seeds,
                           "fit_config": FIT_CONFIG.read_text(), "stage_recipes": STAGE_RECIPES, "samples": SAMPLES,
                           "generate": GENERATE, "fit_steps": args.fit_steps, "eval_max_new_tokens": args.eval_tokens}
    registry = _home(args.home)
    for seed in (int(s) for s in args.seeds.split(",")):
        _seed(registry, args, results, seed)
    results["summary"] = summarise(results["runs"])
    _save(args.out, results)
    plot(results, args.out / "rl-measure.png")
    print(json.dumps(results["summary"], indent=1))


def _home(home: Path) -> Any:
    from curate.pipeline import GenerateRequest, generate
    from curate.registry import Registry

    registry = Registry(home)
    if "v1" not in registry.version_names():
        generate(registry, GenerateRequest(**GENERATE))
    return registry


def _seed(registry: Any, args: argparse.Namespace, results: dict[str, Any], seed: int) -> None:
    from curate.training import FitRequest, fit_version

    runs = results["runs"]
    key = f"seed{seed}"
    if f"{key}/round1" not in runs:
        config = args.out / f"fit-seed{seed}.json"
        overrides = {"seed": seed, **({"max_steps": args.fit_steps} if args.fit_steps else {})}
        import yaml

        config.write_text(json.dumps({**yaml.safe_load(FIT_CONFIG.read_text()), **overrides}))
        started = time.perf_counter()
        run = fit_version(registry, FitRequest(version="v1", base_model=args.base, preset="tiny", config_file=config,
                                               show_progress=False))
        fit_s = time.perf_counter() - started
        runs[f"{key}/round1"] = {"seed": seed, "arm": "round1", "run_id": run["run_id"], "train_s": round(fit_s, 1),
                                 "steps": run["global_step"], **_evaluate(registry, run["run_id"], args.eval_tokens)}
        _save(args.out, results)
    base_run = runs[f"{key}/round1"]["run_id"]
    for arm in ARMS:
        if f"{key}/{arm}" in runs:
            continue
        started = time.perf_counter()
        record, extra = _arm(registry, args, arm, base_run, seed)
        if record is None:  # no pairs: nothing to train DPO on
            runs[f"{key}/{arm}"] = {"seed": seed, "arm": arm, "skipped": "no preference pairs", **extra}
            _save(args.out, results)
            continue
        runs[f"{key}/{arm}"] = {"seed": seed, "arm": arm, "run_id": record["run_id"], "from_run": base_run,
                                "train_s": record["time_s"], "wall_s": round(time.perf_counter() - started, 1),
                                "steps": record["global_step"], "reward_first": record.get("reward_first"),
                                "reward_last": record.get("reward_last"), **extra,
                                **_evaluate(registry, record["run_id"], args.eval_tokens)}
        _save(args.out, results)


def _arm(registry: Any, args: argparse.Namespace, arm: str, base_run: str,
         seed: int) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    from curate.stages import StageRequest, train_stage

    budget, pairs_file = args.budget, None
    extra: dict[str, Any] = {}
    if arm == "dpo":
        started = time.perf_counter()
        pairs_file, extra = _sampled_pairs(registry, args.out, base_run, seed)
        sampling = time.perf_counter() - started
        extra["sampling_s"] = round(sampling, 1)
        budget = max(30.0, args.budget - sampling)
        if not extra["n_pairs"]:
            return None, extra
    config = args.out / f"{arm}-recipe.json"
    config.write_text(json.dumps(STAGE_RECIPES[arm]))
    record = train_stage(registry, StageRequest(stage=arm, version="v1", from_run=base_run, preset="tiny",
                                                config_file=config, pairs_file=pairs_file, show_progress=False,
                                                overrides={"seed": seed, "max_time_s": budget}))
    return record, extra


def _sampled_pairs(registry: Any, out: Path, run_id: str, seed: int) -> tuple[Path, dict[str, Any]]:
    """The run's own samples on the train prompts, paired right-vs-wrong by the judge (this seed's only)."""
    from curate.preferences import from_evals, gate
    from curate.stages import SampleRequest, sample_version

    report, _ = sample_version(registry, SampleRequest(version="v1", adapter=run_id, seed=seed, show_progress=False,
                                                       **SAMPLES))
    sheet = registry.factsheet(report.facts_name)
    made = gate(from_evals([report]), sheet, registry.examples("v1", split="test"), "v1")
    path = out / f"pairs-seed{seed}.jsonl"
    path.write_text("".join(json.dumps(p.record()) + "\n" for p in made.pairs))
    return path, {"n_pairs": len(made.pairs), "sample_accuracy": report.accuracy, "sample_eval_id": report.id,
                  "pairs_refused": made.refused.get("sample", {})}


def _evaluate(registry: Any, run_id: str, max_new_tokens: int) -> dict[str, Any]:
    from curate.stages import answer_metrics
    from curate.training import EvalRequest, eval_version

    started = time.perf_counter()
    report, _ = eval_version(registry, EvalRequest(version="v1", adapter=run_id, split="test",
                                                   max_new_tokens=max_new_tokens, show_progress=False))
    metrics = answer_metrics(report, registry.factsheet(report.facts_name))
    return {"eval_id": report.id, "accuracy": report.accuracy, "ece": report.ece, "n_items": report.n_items,
            "n_correct": report.n_correct, **metrics, "eval_s": round(time.perf_counter() - started, 1)}


def _post(registry: Any, results: dict[str, Any]) -> None:
    """From each arm's eval report: how often it declines an answerable question (a stage that declines
    everything would also decline every unanswerable one), and accuracy by kind."""
    from curate.schemas import EvalReport
    from curate.train.judging import Judge

    judge = None
    for run in results["runs"].values():
        if run.get("skipped"):
            continue
        path = registry.home / "evals" / run["eval_id"] / "report.json"
        report = EvalReport.model_validate_json(path.read_bytes())
        judge = judge or Judge(registry.factsheet(report.facts_name))
        answerable = [i for i in report.items if i.answerable]
        declined = sum(judge.read(i.answer, question=i.question, reference=i.reference, fact_ids=i.fact_ids,
                                  answerable=True).plain_decline for i in answerable)
        run["overdecline_rate"] = round(declined / len(answerable), 4) if answerable else None
        run["n_answerable"] = len(answerable)
        run["by_kind"] = report.accuracy_by_kind


def summarise(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for arm in ("round1", *ARMS):
        rows = [r for r in runs.values() if r["arm"] == arm and not r.get("skipped")]
        if not rows:
            continue
        out[arm] = {"n_seeds": len(rows), "steps": statistics.fmean(r["steps"] for r in rows),
                    "train_s": statistics.fmean(r["train_s"] for r in rows)}
        for metric in METRICS + EXTRA:
            values = [r[metric] for r in rows if r.get(metric) is not None]
            out[arm][metric] = {"mean": statistics.fmean(values) if values else None,
                                "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
                                "values": values}
    return out


LABELS = {"round1": "SFT round 1 (start)", "sft": "+ SFT", "dpo": "+ DPO", "grpo": "+ GRPO"}
COLUMNS = (("reward", "mean reward"), ("accuracy", "held-out accuracy"), ("ece", "ECE"),
           ("decline_rate", "declines unanswerable"), ("overdecline_rate", "declines answerable"))


def markdown_table(summary: dict[str, Any]) -> str:
    """The summary as the README's table: mean ± sd over seeds per arm (the plot shows each seed)."""
    head = "| arm | seeds | optimiser steps | " + " | ".join(title for _, title in COLUMNS) + " |"
    rows = [head, "|---" * (3 + len(COLUMNS)) + "|"]
    for arm in ("round1", *ARMS):
        if arm not in summary:
            continue
        row = summary[arm]
        cells = [f"{row[metric]['mean']:.3f} ± {row[metric]['sd']:.3f}" if row[metric]["values"] else "-"
                 for metric, _ in COLUMNS]
        rows.append(f"| {LABELS[arm]} | {row['n_seeds']} | {row['steps']:.0f} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = results["summary"]
    arms = [a for a in ("round1", *ARMS) if a in summary]
    labels = {"round1": "SFT round 1", "sft": "+ SFT", "dpo": "+ DPO", "grpo": "+ GRPO"}
    titles = {"reward": "mean reward (judge)", "accuracy": "held-out accuracy", "ece": "ECE (lower is better)",
              "decline_rate": "declines unanswerable"}
    figure, axes = plt.subplots(1, len(METRICS), figsize=(13, 3.4), dpi=110)
    for axis, metric in zip(axes, METRICS, strict=True):
        means = [summary[a][metric]["mean"] or 0.0 for a in arms]
        axis.bar(range(len(arms)), means, color=["#999999", "#4C72B0", "#DD8452", "#55A868"][:len(arms)], alpha=0.8)
        for index, arm in enumerate(arms):
            values = summary[arm][metric]["values"]
            axis.scatter([index] * len(values), values, color="black", s=12, zorder=3)
        axis.set_xticks(range(len(arms)), [labels[a] for a in arms], fontsize=8)
        axis.set_title(titles[metric], fontsize=9)
        axis.axhline(0, color="grey", linewidth=0.5)
    seeds = summary[arms[0]]["n_seeds"]
    figure.suptitle(f"SmolLM2-135M, liver: one SFT round, then {results['settings']['budget_s']:.0f} s more of each "
                    f"({seeds} seeds; bars: mean, dots: seeds)", fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _load(out: Path) -> dict[str, Any]:
    path = out / "results.json"
    return json.loads(path.read_text()) if path.is_file() else {"runs": {}}


def _save(out: Path, results: dict[str, Any]) -> None:
    temp = out / ".results.json.tmp"
    temp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    temp.replace(out / "results.json")


if __name__ == "__main__":
    main()
