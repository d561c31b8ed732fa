"""Orchestration of `curate train` and `curate eval`: where runs and evals live in the registry.

train/ fits and evaluates, and knows nothing of the registry; this module decides the folders,
passes the quality gates' claim checker in, and moves finished records into place atomically::

    <home>/work/fit-<version>-<config hash>/   trainer checkpoints, kept until the fit succeeds (--resume)
    <home>/runs/<run id>/                       adapter/, run.json, config.json, log.json
    <home>/evals/<eval id>/                     report.json, reliability.png
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import EvalReport

RUN_RECORD = "run.json"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def new_id(prefix: str) -> str:
    return f"{prefix}-{_stamp()}-{uuid.uuid4().hex[:6]}"


def latest_version(registry: Registry) -> str:
    names = registry.version_names()
    if not names:
        raise NotFoundError(f"no versions in {registry.home}: run `curate generate` first")
    return names[-1]


# -- tiny base --------------------------------------------------------------------------------
def build_tiny_base(registry: Registry, out: Path, *, version: str | None = None, seed: int = 0) -> dict[str, Any]:
    """Build the tiny model, its tokenizer trained on the train split's text of `version` (default: latest)."""
    from curate.train.prompts import example_prompt
    from curate.train.tiny_base import build_tiny_base as build

    version = version or latest_version(registry)
    examples = registry.examples(version, split="train")
    if out.exists() and any(out.iterdir()):
        raise BadInputError(f"--out {out}: folder exists and is not empty; choose a new folder")
    from curate.files import staged_folder

    with staged_folder(out) as staging:
        summary = build([f"{example_prompt(e)} {e.output}" for e in examples], staging, seed=seed)
    return {**summary, "version": version, "path": str(out)}


# -- fit --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FitRequest:
    version: str
    base_model: Path
    out: Path | None = None
    resume: bool = False
    config_file: Path | None = None
    preset: str = "study"
    quantize: bool | None = None
    packing: bool | None = None
    max_steps: int | None = None
    show_progress: bool = True
    init_adapter: Path | None = None  # go on training this adapter (a warm start) instead of a fresh one
    resume_interrupted: bool = False  # resume when the work folder holds an interrupted fit (curate cycle)


def fit_version(registry: Registry, request: FitRequest) -> dict[str, Any]:
    """Fit on a version's train split and publish the run record under runs/<run id>."""
    from curate.train.config import config_hash, resolve_config
    from curate.train.distributed import is_main_process
    from curate.train.fit import fit

    manifest = registry.manifest(request.version)
    config = resolve_config(
        preset=request.preset, config_file=request.config_file,
        overrides={"quantize": request.quantize, "packing": request.packing, "max_steps": request.max_steps},
    )
    base = request.base_model.expanduser().resolve()
    registry.ensure_writable()
    names = (request.version, str(base)) + ((str(request.init_adapter),) if request.init_adapter else ())
    fit_name = f"fit-{request.version}-{config_hash(config, *names)}"
    work_dir = request.out or registry.home / "work" / fit_name
    resume = request.resume
    if request.resume_interrupted and not resume:
        from curate.train.fit import last_checkpoint

        resume = work_dir.is_dir() and last_checkpoint(work_dir) is not None
    run_id = new_id(request.version)
    record_dir = registry.home / "work" / f"record-{run_id}"
    try:
        record = fit(
            registry.examples(request.version), base_model=base, config=config, work_dir=work_dir,
            record_dir=record_dir, data_version=request.version, data_hash=manifest.content_hash,
            resume=resume, show_progress=request.show_progress, init_adapter=request.init_adapter,
        )
        record = {**record, "run_id": run_id, "work_dir": str(work_dir)}
        if not is_main_process():  # under a launcher: rank 0 publishes the one run, and cleans up
            return {**record, "path": None, "published": False}
        (record_dir / RUN_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        destination = registry.home / "runs" / run_id
        with registry.locked():
            registry.publish(record_dir, destination)
    finally:
        shutil.rmtree(record_dir, ignore_errors=True)
    if request.out is None:
        shutil.rmtree(work_dir, ignore_errors=True)
    return {**record, "path": str(destination)}


# -- eval -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvalRequest:
    version: str
    adapter: str | None = None
    base_model: Path | None = None
    split: str = "test"
    batch_size: int = 32
    max_new_tokens: int | None = 256  # None: twice the longest reference, plus 16
    show_progress: bool = True
    backend: str = "transformers"
    threads: int | None = None


@dataclass(frozen=True)
class ModelSource:
    base_model: Path
    adapter: Path | None
    run_id: str | None


def resolve_model(registry: Registry, adapter: str | None, base_model: Path | None) -> ModelSource:
    """`adapter` is a run id, a run folder, or an adapter folder; the base comes from the run unless given."""
    if adapter is None:
        if base_model is None:
            raise BadInputError("give --adapter (a run id or folder), or --base-model to evaluate a bare base model")
        return ModelSource(base_model, None, None)
    path = Path(adapter).expanduser()
    if not path.exists() and (registry.home / "runs" / adapter).is_dir():
        path = registry.home / "runs" / adapter
    run_dir = path if (path / RUN_RECORD).is_file() else path.parent if (path.parent / RUN_RECORD).is_file() else None
    adapter_dir = path / "adapter" if (path / "adapter" / "adapter_config.json").is_file() else path
    if not (adapter_dir / "adapter_config.json").is_file():
        raise NotFoundError(f"--adapter {adapter}: not a run id, run folder or adapter folder (no adapter_config.json)")
    run = json.loads((run_dir / RUN_RECORD).read_text()) if run_dir else {}
    if base_model is None:
        base_model = Path(run.get("base_model") or _adapter_base(adapter_dir))
    return ModelSource(base_model, adapter_dir, run.get("run_id") or (run_dir.name if run_dir else None))


def _adapter_base(adapter_dir: Path) -> str:
    base = json.loads((adapter_dir / "adapter_config.json").read_text()).get("base_model_name_or_path")
    if not base:
        raise BadInputError(f"{adapter_dir}/adapter_config.json names no base model; pass --base-model")
    return str(base)


def eval_version(registry: Registry, request: EvalRequest) -> tuple[EvalReport, Path]:
    """Answer a version's split with the model, score, and publish the report under evals/<eval id>."""
    from curate.train.evaluate import evaluate

    manifest = registry.manifest(request.version)
    source = resolve_model(registry, request.adapter, request.base_model)
    sheet = registry.factsheet(manifest.facts_name)
    report = evaluate(
        registry.examples(request.version), sheet, base_model=source.base_model, adapter=source.adapter,
        split=request.split, version=request.version, run_id=source.run_id, batch_size=request.batch_size,
        max_new_tokens=request.max_new_tokens, show_progress=request.show_progress,
        backend=request.backend, threads=request.threads,
    )
    return publish_report(registry, report, prefix=f"{source.run_id or 'base'}-{request.split}")


def publish_report(registry: Registry, report: EvalReport, *, prefix: str) -> tuple[EvalReport, Path]:
    from curate.train.evaluate import write_report

    registry.ensure_writable()
    eval_id = new_id(prefix)
    report = report.model_copy(update={"id": eval_id})
    staging = registry.home / "work" / f"eval-{eval_id}"
    destination = registry.home / "evals" / eval_id
    try:
        write_report(report, staging)
        with registry.locked():
            registry.publish(staging, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report, destination


# -- scoring answers made elsewhere -----------------------------------------------------------
def read_answers(path: Path, fmt: str = "auto") -> list[dict[str, Any]]:
    """Every row of an answers file through the readers `curate lint` uses: {question, answer, ...} JSON
    or JSONL as before, or any chat shape, whose last assistant turn is the answer to judge."""
    from curate.gates.readers import read_answers as read

    return read(path, fmt)


def _confidence(path: Path, number: int, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise BadInputError(f"{path}: row {number}: confidence {value!r} must be a number from 0 to 1")
    return float(value)


def _fact_ids(path: Path, number: int, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInputError(f"{path}: row {number}: 'fact_ids' must be a list of fact ids (strings), not {value!r}")
    return tuple(value)


def _answerable(path: Path, number: int, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BadInputError(f"{path}: row {number}: 'answerable' must be true or false, not {value!r}")


def score_answers(registry: Registry, path: Path, facts_name: str | None = None,
                  fmt: str = "auto") -> tuple[EvalReport, Path]:
    """Score answers another model gave against a fact sheet (default: the embedded one); publish the report
    under evals/. Each item gets the judge's verdict; `answerable`, when a row gives it, overrides the model."""
    from curate.generators.embedded import DEFAULT_FACTS_NAME
    from curate.train.evaluate import Answered, build_report, score_items
    from curate.train.scorers import Question
    from curate.train.text import entities

    sheet = registry.factsheet(facts_name or DEFAULT_FACTS_NAME)
    known_ids = set(sheet.by_id())
    answered = []
    for number, row in enumerate(read_answers(path, fmt), start=1):
        fact_ids = _fact_ids(path, number, row.get("fact_ids"))
        unknown = [fact_id for fact_id in fact_ids if fact_id not in known_ids]
        if unknown:
            raise BadInputError(f"{path}: row {number}: fact id {unknown[0]!r} is not in fact sheet {sheet.name!r}")
        tissues = {m.value for m in entities(row["question"], sheet) if m.kind == "tissue"}
        question = Question(
            question=row["question"],
            reference=str(row.get("expected") or row.get("reference") or ""),
            fact_ids=fact_ids,
            answerable=_answerable(path, number, row.get("answerable")),
            tissue=str(row.get("tissue") or (tissues.pop() if len(tissues) == 1 else "cross-tissue")),
            example_id=str(row.get("id") or f"row-{number}"),
            kind=str(row.get("kind") or "imported"),
        )
        answered.append(Answered(question, row["answer"], _confidence(path, number, row.get("confidence"))))
    items = score_items(answered, sheet)
    report = build_report(items, facts_name=sheet.name, split="imported",
                          config={"answers": str(path.resolve()), "claim_check": True,
                                  "judge": "curate.judge.verdict.judge_answer"})
    return publish_report(registry, report, prefix="score")
