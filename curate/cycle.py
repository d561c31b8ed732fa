"""`curate cycle`: fit, evaluate on the fixed held-out test split, review, drill, repeat.

A cycle lives in ``<home>/cycles/<cycle id>/``::

    state.json     every finished step of every round, of every arm and seed (rewritten atomically)
    fit.json       the fit config overrides shared by all rounds
    base/          the tiny base model, when no --base-model is given

An *arm* is a sequence of versions. The drilled arm drills the failures of each round. The control
arm (``--control``) starts from the same version and, each round, adds exactly as many paraphrases,
as many error corrections and as many training tokens as the drilled arm did, made the same way but
about facts picked at random (curate/control.py; a budget it cannot match exactly stops the cycle).
Both arms fit from the same base with the same config and seed, and are scored on the same held-out
items, so the only difference is which facts the new examples target. With ``--warm-start`` every
round after the first goes on training the arm's previous adapter on the arm's new version (for
``--warm-epochs``), rather than fitting a fresh one from the base: round 1 is paid once per seed.

``--resume`` reads state.json and continues after the last finished step.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import EvalReport

STEPS = ("fit", "stage", "eval", "review", "drill")
ARMS = ("drilled", "control")
STATE = "state.json"


@dataclass(frozen=True)
class CycleRequest:
    rounds: int = 3
    reviewer: str = "auto"
    base_model: Path | None = None
    control: bool = False
    seeds: tuple[int, ...] = (0,)
    version: str | None = None
    preset: str = "tiny"
    epochs: float | None = None
    config_file: Path | None = None
    per_fact: int = 2
    api_url: str | None = None
    api_key: str | None = None
    workspace: str = "argilla"
    review_timeout: float = 3600.0
    drill_parts: tuple[str, ...] = ("paraphrases", "corrections")
    threads: int | None = None
    warm_start: bool = False  # rounds after the first go on training the arm's previous adapter
    warm_epochs: float | None = None  # epochs of those rounds (default: --epochs)
    stage: str = "sft"  # after each round's SFT fit: sft (nothing more), dpo or grpo; or a per-round list
    stage_config: Path | None = None  # recipe overrides for the stage (train.stage_config)
    round1_from: str | None = None  # a cycle whose round 1 (same model) this one reuses (curate/cycle_reuse.py)


@dataclass
class CycleState:
    cycle_id: str
    folder: Path
    request: dict[str, Any]
    rounds: list[dict[str, Any]] = field(default_factory=list)  # one entry per (seed, arm, round)
    finished: bool = False
    notify: Callable[[str], None] = field(default=lambda _: None, repr=False, compare=False)  # not saved

    def find(self, seed: int, arm: str, round_number: int) -> dict[str, Any] | None:
        return next((r for r in self.rounds if (r["seed"], r["arm"], r["round"]) == (seed, arm, round_number)), None)

    def save(self) -> None:
        payload = {"cycle_id": self.cycle_id, "request": {**self.request, "api_key": None},  # a key stays in memory
                   "rounds": self.rounds, "finished": self.finished}
        temp = self.folder / f".{STATE}.{uuid.uuid4().hex}"
        temp.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")
        os.replace(temp, self.folder / STATE)


Event = Callable[[str], None]


def start_or_resume(registry: Registry, request: CycleRequest, *, resume: bool,
                    cycle_id: str | None = None) -> CycleState:
    if request.rounds < 1:
        raise BadInputError(f"--rounds {request.rounds} is not allowed: give at least 1")
    if request.reviewer not in ("auto", "argilla"):
        raise BadInputError(f"--reviewer {request.reviewer!r}: choose auto or argilla")
    from curate.stages import parse_stages

    parse_stages(request.stage)
    if resume:
        state = _latest_unfinished(registry, cycle_id)
        state.request["api_key"] = request.api_key  # never saved; None: the environment or the stored connection
        return state
    registry.ensure_writable()
    from curate.cycle_reuse import source_cycle
    from curate.training import latest_version

    # an ablation starts where its source did, unless told otherwise
    source_version = source_cycle(registry, request.round1_from)["request"]["version"] if request.round1_from else None
    version = request.version or source_version or latest_version(registry)
    registry.manifest(version)
    settings = {**request.__dict__, "version": version, "base_model": str(request.base_model or ""),
                "config_file": str(request.config_file or ""), "seeds": list(request.seeds),
                "drill_parts": list(request.drill_parts), "stage_config": str(request.stage_config or "")}
    if request.round1_from:
        from curate.cycle_reuse import reuse_settings

        settings = reuse_settings(registry, settings)
    cycle_id = f"cycle-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:6]}"
    folder = registry.home / "cycles" / cycle_id
    folder.mkdir(parents=True)
    state = CycleState(cycle_id, folder, settings)
    state.save()
    return state


def _latest_unfinished(registry: Registry, cycle_id: str | None = None) -> CycleState:
    """The latest unfinished cycle, or the one named (several cycles can run at once in one home)."""
    folder = registry.home / "cycles"
    candidates = sorted(folder.glob("cycle-*/" + STATE)) if folder.is_dir() else []
    for path in reversed(candidates):
        data = json.loads(path.read_text())
        if cycle_id is not None and data["cycle_id"] != cycle_id:
            continue
        if not data["finished"]:
            return CycleState(data["cycle_id"], path.parent, data["request"], data["rounds"], False)
    named = f"cycle {cycle_id}" if cycle_id else "interrupted cycle"
    raise NotFoundError(f"no unfinished {named} in {folder} to resume")


def run(registry: Registry, state: CycleState, *, on_event: Event = lambda _: None) -> CycleState:
    """Run (or finish) every round of every arm and seed, saving state after each step."""
    req = state.request
    state.notify = on_event
    base = _base_model(registry, state, on_event)
    arms = ARMS if req["control"] else ARMS[:1]
    for seed in req["seeds"]:
        config_file = _fit_config(state, seed)
        versions = {arm: req["version"] for arm in arms}
        for round_number in range(1, req["rounds"] + 1):
            for arm in arms:
                record = state.find(seed, arm, round_number) or _new_round(state, seed, arm, round_number,
                                                                           versions[arm])
                _run_round(registry, state, record, base, config_file, on_event)
                versions[arm] = record.get("next_version") or record["version"]
    state.finished = True
    state.save()
    return state


def _new_round(state: CycleState, seed: int, arm: str, round_number: int, version: str) -> dict[str, Any]:
    record: dict[str, Any] = {"seed": seed, "arm": arm, "round": round_number, "version": version, "done": []}
    state.rounds.append(record)
    state.save()
    return record


def _run_round(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path,
               on_event: Event) -> None:
    label = f"seed {record['seed']} {record['arm']} round {record['round']} ({record['version']})"
    last_round = record["round"] == state.request["rounds"]
    from curate.cycle_reuse import shared_record

    twin = shared_record(registry, state, record)
    for step in STEPS:
        if step in record["done"] or (last_round and step in ("review", "drill")) or \
                (step == "stage" and _stage_of(state, record) == "sft"):
            continue
        if step in ("fit", "eval", "review") and twin is not None and twin is not record \
                and twin["version"] == record["version"] and step in twin["done"]:
            # Same version, config and seed as the drilled arm (round 1): the same model; reuse its results.
            record.update({k: twin[k] for k in STEP_OUTPUTS[step] if k in twin})
            record["done"].append(step)
            state.save()
            continue
        on_event(f"{label}: {step}")
        STEP_FUNCTIONS[step](registry, state, record, base, config_file)
        record["done"].append(step)
        state.save()


# -- steps ---------------------------------------------------------------------------------------
def _fit(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path) -> None:
    from curate.training import FitRequest, fit_version

    previous = _previous_run(registry, state, record)
    if previous is not None:
        config_file = _fit_config(state, record["seed"], warm=True)
    run = fit_version(registry, FitRequest(version=record["version"], base_model=base, preset=state.request["preset"],
                                           config_file=config_file, show_progress=False, init_adapter=previous,
                                           resume_interrupted=True))
    record["run_id"] = run["run_id"]
    record["init_run"] = previous.parent.name if previous else None
    record["fit"] = {k: run.get(k) for k in FIT_FIELDS if k in run}


def _previous_run(registry: Registry, state: CycleState, record: dict[str, Any]) -> Path | None:
    """With --warm-start, the adapter this arm's previous round fitted (round 2: the shared round 1's)."""
    if not state.request.get("warm_start") or record["round"] == 1:
        return None
    before = state.find(record["seed"], record["arm"], record["round"] - 1)
    if before is None or not before.get("run_id"):
        raise NotFoundError(f"seed {record['seed']} {record['arm']} round {record['round'] - 1} has no fitted run "
                            "to start from")
    return registry.home / "runs" / before["run_id"] / "adapter"


def _eval(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path) -> None:
    from curate.training import EvalRequest, eval_version

    # The held-out test split is the start version's: drills only ever add to train.
    started = time.perf_counter()
    adapter = record.get("stage_run_id") or record["run_id"]  # the round's last stage answers
    report, path = eval_version(registry, EvalRequest(version=state.request["version"], adapter=adapter,
                                                      split="test", show_progress=False, max_new_tokens=None,
                                                      threads=state.request.get("threads")))
    record["eval_s"] = round(time.perf_counter() - started, 1)
    record["eval_id"] = report.id
    record["eval_path"] = str(path)
    record["n_examples"] = registry.manifest(record["version"]).n_examples
    record["metrics"] = _metrics(report)
    from curate.stages import cycle_stage_metrics

    cycle_stage_metrics(registry, state.request, record, report, _metrics)


FIT_FIELDS = ("train_loss", "final_loss", "time_s", "tokens", "tokens_per_s", "n_train_examples", "global_step",
              "threads")


def _metrics(report: EvalReport) -> dict[str, Any]:
    return {
        "accuracy": report.accuracy,
        "ece": report.ece,
        "mce": report.mce,
        "brier": report.brier,
        "n_items": report.n_items,
        "by_kind": report.accuracy_by_kind,
        "by_tissue": report.accuracy_by_tissue,
    }


def _review(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path) -> None:
    failures = _failures(Path(record["eval_path"]))
    record["scorer_failures"] = len(failures)
    if state.request["reviewer"] == "argilla" and record["arm"] == "drilled" and failures:
        # The biologist, not the scorer, decides what failed: an answer they judge correct is not drilled.
        from curate.cycle_review import review_in_argilla

        judged_wrong = review_in_argilla(registry, state, record)
        record["failing_facts"] = sorted({fact_id for review in judged_wrong for fact_id in review.fact_ids})
        record["n_failures"] = len(judged_wrong)
        return
    record["failing_facts"] = sorted({fact_id for item in failures for fact_id in item["fact_ids"]})
    record["n_failures"] = len(failures)


def _failures(eval_path: Path) -> list[dict[str, Any]]:
    report = json.loads((eval_path / "report.json").read_text())
    return [item for item in report["items"] if not item["correct"]]


def _drill(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path) -> None:
    if record["arm"] == "drilled":
        new_version, added = _targeted_drill(registry, state, record)
    else:
        new_version, added = _control_drill(registry, state, record)
    record["next_version"] = new_version
    record["added"] = added


def _targeted_drill(registry: Registry, state: CycleState, record: dict[str, Any]) -> tuple[str, int]:
    from curate.drill import DrillRequest, drill

    if not record["failing_facts"]:
        return record["version"], 0
    parts = tuple(state.request.get("drill_parts") or ("paraphrases", "corrections"))
    if record.get("review_dataset"):  # a biologist's verdicts on this round's answers drive the drill
        request = DrillRequest(version=record["version"], from_review=True, review_datasets=(record["review_dataset"],),
                               per_fact=state.request["per_fact"], parts=parts)
    else:
        request = DrillRequest(version=record["version"], from_eval=record["eval_path"],
                               per_fact=state.request["per_fact"], parts=parts)
    result = drill(registry, request)
    before = {e.id for e in registry.examples(record["version"])}
    new = [e for e in registry.examples(result.manifest.version) if e.id not in before]
    _record_budget(state, record, new)
    record["drilled_facts"] = record["failing_facts"]
    return result.manifest.version, result.manifest.n_examples - len(before)


def _control_drill(registry: Registry, state: CycleState, record: dict[str, Any]) -> tuple[str, int]:
    """As many new paraphrases, corrections and tokens as the drilled arm added this round, about random facts."""
    from curate.control import BudgetError, random_drill

    twin = state.find(record["seed"], "drilled", record["round"]) or {}
    quota = {kind: int(n) for kind, n in (twin.get("added_by_kind") or {}).items()}
    if not sum(quota.values()):
        return record["version"], 0
    rng = random.Random(f"{record['seed']}:control:{record['round']}")
    before = {e.id for e in registry.examples(record["version"])}
    manifest, _ = random_drill(registry, record["version"], quota=quota, rng=rng,
                                    per_fact=state.request["per_fact"], n_tokens=int(twin["added_tokens"]),
                                    count_tokens=_token_counter(state))
    new = [e for e in registry.examples(manifest.version) if e.id not in before]
    _record_budget(state, record, new)
    if (record["added_by_kind"], record["added_tokens"]) != (twin["added_by_kind"], twin["added_tokens"]):
        raise BudgetError(f"control budget {record['added_by_kind']}, {record['added_tokens']} tokens differs from "
                             f"the drilled arm's {twin['added_by_kind']}, {twin['added_tokens']} tokens")
    record["drilled_facts"] = manifest.drivers[0].get("facts", []) if manifest.drivers else []
    return manifest.version, len(new)


def _record_budget(state: CycleState, record: dict[str, Any], new: list[Any]) -> None:
    """What a drill added: examples of each kind, and training tokens by the base model's tokenizer."""
    from curate.control import kind_of

    count = _token_counter(state)
    record["added_by_kind"] = dict(sorted(Counter(kind_of(e) for e in new).items()))
    record["added_tokens"] = sum(count(e) for e in new)


def _token_counter(state: CycleState) -> Callable[[Any], int]:
    from curate.control import token_counter

    return token_counter(state.request.get("base_model") or str(state.folder / "base"))


def _stage_of(state: CycleState, record: dict[str, Any]) -> str:
    from curate.stages import stage_of_round

    return stage_of_round(state.request.get("stage") or "sft", record["round"])


def _stage(registry: Registry, state: CycleState, record: dict[str, Any], base: Path, config_file: Path) -> None:
    from curate.stages import cycle_stage

    cycle_stage(registry, state.request, record)


STEP_OUTPUTS = {
    "fit": ("run_id", "fit"),
    "stage": ("stage", "stage_run_id", "stage_fit", "stage_skipped"),
    "eval": ("eval_id", "eval_path", "n_examples", "metrics", "stage_metrics"),
    "review": ("failing_facts", "n_failures", "scorer_failures"),
}
STEP_FUNCTIONS: dict[str, Callable[[Registry, CycleState, dict[str, Any], Path, Path], None]] = {
    "fit": _fit, "stage": _stage, "eval": _eval, "review": _review, "drill": _drill,
}


# -- set-up ---------------------------------------------------------------------------------------
def _base_model(registry: Registry, state: CycleState, on_event: Event) -> Path:
    if state.request["base_model"]:
        return Path(state.request["base_model"])
    base = state.folder / "base"
    if not (base / "config.json").is_file():
        from curate.training import build_tiny_base

        on_event("building the tiny base model")
        if base.exists():
            import shutil

            shutil.rmtree(base)
        build_tiny_base(registry, base, version=state.request["version"])
    return base


def _fit_config(state: CycleState, seed: int, *, warm: bool = False) -> Path:
    """The fit overrides of a seed: the config file, the seed, threads, epochs (a warm start's own)."""
    overrides: dict[str, Any] = {"seed": seed}
    if state.request.get("threads"):
        overrides["threads"] = state.request["threads"]
    if state.request.get("config_file"):
        from curate.train.config import read_config_file

        overrides = {**read_config_file(Path(state.request["config_file"])), **overrides}
    if state.request.get("epochs"):
        overrides["num_train_epochs"] = state.request["epochs"]
    if warm and state.request.get("warm_epochs"):
        overrides["num_train_epochs"] = state.request["warm_epochs"]
    path = state.folder / f"fit-seed{seed}{'-warm' if warm else ''}.json"
    path.write_text(json.dumps(overrides, indent=2, sort_keys=True) + "\n")
    return path


def load_cycles(registry: Registry) -> list[dict[str, Any]]:
    folder = registry.home / "cycles"
    if not folder.is_dir():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("cycle-*/" + STATE))]

