"""Orchestration of `curate train dpo` and `curate train grpo` (and more SFT from a run, for comparisons).

Like `train fit` (curate/training.py): everything the user gave is checked before a model is loaded
or a folder is made, checkpoints go to ``<home>/work/<stage>-<version>-<recipe hash>/`` (or
``--out``) for ``--resume``, and the finished run is published under ``<home>/runs/<run id>/`` with
adapter/, run.json (``"stage": "dpo"``...), config.json and log.json, so `train eval --adapter <run
id>` and `curate cycle` use it as they use a fitted run.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import Example
    from curate.train.stage_config import StageRecipe
    from curate.training import ModelSource

RUN_RECORD = "run.json"


@dataclass(frozen=True)
class StageRequest:
    stage: str  # dpo | grpo | sft
    version: str | None = None
    from_run: str | None = None
    base_model: Path | None = None
    pairs_file: Path | None = None
    preset: str = "study"
    config_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    rewards: str | None = None
    out: Path | None = None
    resume: bool = False
    show_progress: bool = True


def resolve_source(registry: Registry, from_run: str | None, base_model: Path | None) -> ModelSource:
    """The policy to start from: a fitted run's adapter (and its base), or a bare base model."""
    from curate.training import ModelSource, resolve_model

    if from_run is None:
        if base_model is None:
            raise BadInputError("give --from-run (a run id or folder) to continue a fitted adapter, or --base-model "
                                "to start a new adapter on a base model")
        if not (base_model / "config.json").is_file():
            raise BadInputError(f"--base-model {base_model}: no config.json there; give a local model folder")
        return ModelSource(base_model.expanduser().resolve(), None, None)
    path = Path(from_run).expanduser()
    if not path.exists() and not (registry.home / "runs" / from_run).is_dir():
        runs = sorted(p.name for p in (registry.home / "runs").glob("*")) if (registry.home / "runs").is_dir() else []
        listed = ", ".join(runs[-5:]) or "none"
        raise NotFoundError(f"--from-run {from_run}: no such run in {registry.home / 'runs'} (latest runs: {listed})")
    try:
        model = resolve_model(registry, from_run, base_model)
    except NotFoundError:
        raise NotFoundError(f"--from-run {from_run}: not a run id, run folder or adapter folder "
                            "(no adapter_config.json)") from None
    return ModelSource(Path(model.base_model), model.adapter, model.run_id)


def read_pairs(path: Path) -> list[dict[str, Any]]:
    """An exported dpo JSONL: one object per line with prompt, chosen and rejected strings."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInputError(f"--pairs {path}: cannot read ({exc.strerror or exc})") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"--pairs {path}: line {number}: not valid JSON ({exc.msg})") from None
        for key in ("prompt", "chosen", "rejected"):
            if not isinstance(row.get(key) if isinstance(row, dict) else None, str) or not row[key].strip():
                raise BadInputError(f"--pairs {path}: line {number}: {key!r} must be a non-empty string")
        rows.append(row)
    if not rows:
        raise BadInputError(f"--pairs {path}: no preference pairs in the file")
    return rows


def training_rows(registry: Registry, request: StageRequest,
                  version: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The training rows of the stage, and what the run record says about them."""
    if request.stage == "dpo":
        from curate.train.dpo import preference_rows

        if request.pairs_file is not None:
            return preference_rows(read_pairs(request.pairs_file)), {"pairs": str(request.pairs_file)}
        from curate.preferences import version_pairs

        pairs = version_pairs(registry, version)
        if not pairs.pairs:
            raise BadInputError(pairs.explain_empty())
        return preference_rows(p.record() for p in pairs.pairs), {"pairs_by_source": pairs.counts()}
    examples: list[Example] = registry.examples(version, split="train")
    if not examples:
        raise BadInputError(f"version {version}: no examples in the train split")
    if request.stage == "grpo":
        from curate.train.grpo import prompt_rows

        return prompt_rows(examples), {}
    from curate.train.prompts import to_prompt_completion

    return [to_prompt_completion(example) for example in examples], {}


def train_stage(registry: Registry, request: StageRequest) -> dict[str, Any]:
    """Check everything, train the stage, and publish its run under runs/<run id>."""
    from curate.train.stage_config import recipe_hash, resolve_recipe
    from curate.training import latest_version, new_id

    version = request.version or latest_version(registry)
    manifest = registry.manifest(version)
    recipe = resolve_recipe(request.stage, preset=request.preset, config_file=request.config_file,
                            overrides=request.overrides)
    trainer_kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if request.stage == "grpo":
        from curate.train.rewards import composed_reward, select

        weights = select(request.rewards, getattr(recipe, "reward_weights", None))
        trainer_kwargs["reward"] = composed_reward(registry.factsheet(manifest.facts_name), weights)
        extra["reward_weights"] = weights
        _require_vllm(recipe)
    elif request.rewards:
        raise BadInputError(f"--rewards is for grpo; {request.stage} does not use rewards")
    source = resolve_source(registry, request.from_run, request.base_model)
    rows, about = training_rows(registry, request, version)
    registry.ensure_writable()
    from curate.train.stage import run_stage  # transformers and TRL load only once the input is known good

    name = f"{request.stage}-{version}-{recipe_hash(recipe, version, str(source.base_model), str(source.adapter))}"
    work_dir = request.out or registry.home / "work" / name
    run_id = new_id(f"{version}-{request.stage}")
    record_dir = registry.home / "work" / f"record-{run_id}"
    extra.update({"data_version": version, "data_content_hash": manifest.content_hash, "from_run": source.run_id,
                  **about})
    try:
        record = run_stage(request.stage, rows, _factory(request.stage), recipe=recipe, base_model=source.base_model,
                           adapter=source.adapter, work_dir=work_dir, record_dir=record_dir, resume=request.resume,
                           show_progress=request.show_progress, record_extra=extra, trainer_kwargs=trainer_kwargs)
        record = {**record, "run_id": run_id, "work_dir": str(work_dir)}
        (record_dir / RUN_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        destination = registry.home / "runs" / run_id
        with registry.locked():
            registry.publish(record_dir, destination)
    finally:
        shutil.rmtree(record_dir, ignore_errors=True)
    if request.out is None:
        shutil.rmtree(work_dir, ignore_errors=True)
    return {**record, "path": str(destination)}


def _factory(stage: str) -> Any:
    if stage == "dpo":
        from curate.train.dpo import dpo_trainer

        return dpo_trainer
    if stage == "grpo":
        from curate.train.grpo import grpo_trainer

        return grpo_trainer
    from curate.train.stage import sft_trainer

    return sft_trainer


def _require_vllm(recipe: StageRecipe) -> None:
    if getattr(recipe, "use_vllm", False):
        from curate.train.backends.vllm import require_vllm

        require_vllm()


# -- in the loop: `curate cycle --stage` ---------------------------------------------------------------
def parse_stages(text: str) -> tuple[str, ...]:
    """`grpo` (every round), or a per-round schedule `sft,dpo,grpo` (the last one repeats)."""
    from curate.train.stage_config import STAGES

    stages = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in stages if s not in STAGES]
    if unknown or not stages:
        raise BadInputError(f"--stage {text!r}: give one of {', '.join(STAGES)}, or a comma list of them per round")
    return stages


def stage_of_round(schedule: str, round_number: int) -> str:
    stages = parse_stages(schedule or "sft")
    return stages[min(round_number, len(stages)) - 1]


def cycle_stage(registry: Registry, request: dict[str, Any], record: dict[str, Any]) -> None:
    """After the round's SFT fit: train the round's stage from it. DPO with no pairs yet (round 1 has no
    drills) is skipped and says so; the round then evaluates the SFT run."""
    stage = stage_of_round(request.get("stage") or "sft", record["round"])
    record["stage"] = stage
    if stage == "sft":
        return
    if stage == "dpo":
        from curate.preferences import version_pairs

        pairs = version_pairs(registry, record["version"])
        if not pairs.pairs:
            record["stage_skipped"] = pairs.explain_empty()
            return
    config = request.get("stage_config") or None
    run = train_stage(registry, StageRequest(
        stage=stage, version=record["version"], from_run=record["run_id"], preset=request.get("preset", "tiny"),
        config_file=Path(config) if config else None, overrides={"seed": record["seed"]}, show_progress=False))
    record["stage_run_id"] = run["run_id"]
    record["stage_fit"] = {k: run.get(k) for k in ("global_step", "train_loss", "reward_first", "reward_last",
                                                   "reward_margin_last", "time_s", "n_train_examples")}


def answer_metrics(report: Any, sheet: Any) -> dict[str, Any]:
    """What an eval's answers earn from the judge: the mean composed reward, and how often an
    unanswerable question is declined plainly."""
    from curate.train.judging import Judge
    from curate.train.rewards import DEFAULT_WEIGHTS, ComposedReward

    reward = ComposedReward(Judge(sheet), DEFAULT_WEIGHTS)
    readings = [reward.judge.read(i.answer, question=i.question, reference=i.reference, fact_ids=i.fact_ids,
                                  answerable=i.answerable) for i in report.items]
    values = [reward.combine(r, parts) for r, parts in zip(readings, reward.scores(readings), strict=True)]
    unanswerable = [r for r in readings if not r.answerable]
    return {"reward": round(sum(values) / len(values), 4) if values else None,
            "decline_rate": round(sum(r.plain_decline for r in unanswerable) / len(unanswerable), 4)
            if unanswerable else None, "n_unanswerable": len(unanswerable)}


def cycle_stage_metrics(registry: Registry, request: dict[str, Any], record: dict[str, Any], report: Any,
                        metrics: Any) -> None:
    """Reward and decline rate beside accuracy and ECE; with a stage run, the round's SFT run is
    evaluated too, so the report shows both stages of the round side by side."""
    from curate.training import EvalRequest, eval_version

    sheet = registry.factsheet(report.facts_name)
    record["metrics"].update(answer_metrics(report, sheet))
    if not record.get("stage_run_id"):
        return
    sft_report, _ = eval_version(registry, EvalRequest(version=request["version"], adapter=record["run_id"],
                                                          split="test", show_progress=False))
    record["stage_metrics"] = {
        "sft": {**metrics(sft_report), **answer_metrics(sft_report, sheet), "eval_id": sft_report.id},
        record["stage"]: {**record["metrics"], "eval_id": record.get("eval_id")},
    }


def report_rows(cycle: dict[str, Any]) -> list[dict[str, Any]]:
    """For `curate report`: one row per round and stage (the round's SFT run beside its DPO/GRPO run)."""
    rows = []
    for record in cycle["rounds"]:
        if not record.get("metrics"):
            continue
        by_stage = record.get("stage_metrics") or {record.get("stage") or "sft": record["metrics"]}
        for stage, metrics in by_stage.items():
            rows.append({"arm": record["arm"], "seed": record["seed"], "round": record["round"], "stage": stage,
                         **{k: metrics.get(k) for k in ("accuracy", "ece", "reward", "decline_rate", "n_items")},
                         "skipped": record.get("stage_skipped")})
    return sorted(rows, key=lambda r: (r["arm"] != "drilled", r["seed"], r["round"], r["stage"] != "sft"))


def report_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Means across seeds per arm, round and stage."""
    grouped: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["arm"], row["round"], row["stage"]), []).append(row)
    out = []
    for (arm, round_number, stage), group in grouped.items():
        means = {k: _mean([r[k] for r in group]) for k in ("accuracy", "ece", "reward", "decline_rate")}
        out.append({"arm": arm, "round": round_number, "stage": stage, "n_seeds": len(group), **means})
    return out


def _mean(values: list[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


# -- sampled answers: the "sample" source of preference pairs ---------------------------------------------
@dataclass(frozen=True)
class SampleRequest:
    version: str | None = None
    adapter: str | None = None
    base_model: Path | None = None
    split: str = "train"
    samples: int = 4
    temperature: float = 1.0
    max_new_tokens: int = 128
    batch_size: int = 8
    seed: int = 0
    show_progress: bool = True


def sample_version(registry: Registry, request: SampleRequest) -> tuple[Any, Path]:
    """Sample answers to a split's questions, score each, and publish them as an eval report (split as
    asked, `decoding: sampled`): `curate export --format dpo` pairs a right one against a wrong one."""
    from curate.schemas import SPLITS
    from curate.train.evaluate import Answered, build_report, question_of, score_items
    from curate.training import latest_version, publish_report, resolve_model

    if request.split not in SPLITS:
        raise BadInputError(f"--split {request.split!r} is not one of: {', '.join(SPLITS)}")
    version = request.version or latest_version(registry)
    manifest = registry.manifest(version)
    examples = registry.examples(version, split=request.split)
    if not examples:
        raise BadInputError(f"version {version}: no examples in the {request.split!r} split")
    source = resolve_model(registry, request.adapter, request.base_model)
    from curate.train.generation import load_for_generation
    from curate.train.sampling import sample_answers

    model, tokenizer = load_for_generation(source.base_model, source.adapter)
    questions = [question_of(example) for example in examples]
    sampled = sample_answers(model, tokenizer, [q.question for q in questions], n=request.samples,
                             temperature=request.temperature, max_new_tokens=request.max_new_tokens,
                             batch_size=request.batch_size, seed=request.seed, show_progress=request.show_progress)
    answered = [Answered(q, g.text, g.confidence) for q, group in zip(questions, sampled, strict=True) for g in group]
    sheet = registry.factsheet(manifest.facts_name)
    items = score_items(answered, sheet)
    report = build_report(items, facts_name=sheet.name, split=request.split, version=version, run_id=source.run_id,
                          adapter=str(source.adapter) if source.adapter else None, base_model=str(source.base_model),
                          config={"decoding": "sampled", "samples": request.samples,
                                  "temperature": request.temperature, "max_new_tokens": request.max_new_tokens,
                                  "seed": request.seed})
    return publish_report(registry, report, prefix=f"{source.run_id or 'base'}-{request.split}-samples")
