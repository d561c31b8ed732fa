"""Run a stage after SFT (more SFT, DPO or GRPO) on a LoRA policy, and write its run record.

Like train/fit.py, the caller decides where things go: `work_dir` holds the trainer's checkpoints
(kept for `--resume`), `record_dir` receives the run record (adapter/, config.json, run.json,
log.json), which curate moves into the registry. The policy is a fitted run's adapter, loaded
trainable (TRL refuses a PeftModel together with a `peft_config`), or a new LoRA adapter on the
base. DPO's reference is then the adapter as it was loaded (TRL copies it to a frozen "ref"
adapter); GRPO with `beta=0` needs no reference at all.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transformers import TrainerCallback

from curate.schemas.errors import BadInputError
from curate.train.fit import ADAPTER_DIR, RUN_RECORD, check_base_model, last_checkpoint, load_base
from curate.train.logs import quiet_library_logs
from curate.train.progress import RichProgressCallback

if TYPE_CHECKING:
    from curate.train.stage_config import StageRecipe

# (model, tokenizer, peft_config or None, rows, recipe, setup, callbacks) -> a TRL trainer
TrainerFactory = Callable[..., Any]


@dataclass(frozen=True)
class Setup:
    """Where a stage runs and on what."""

    stage: str
    base_model: Path
    adapter: Path | None
    work_dir: Path
    record_dir: Path
    on_cuda: bool
    quantize: bool
    checkpointing: bool


class StageProgress(RichProgressCallback):
    """The fit bar, with the stage's own signal beside the loss: GRPO's reward, DPO's reward margin."""

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if self._progress is None or not logs:
            return
        shown = [f"{label} {logs[key]:.3f}" for key, label in (("loss", "loss"), ("reward", "reward"),
                                                                ("rewards/margins", "margin")) if key in logs]
        if shown:
            self._progress.update(self._task, status="  ".join(shown))


class TimeBudget(TrainerCallback):  # type: ignore[misc]
    """Stops training once `seconds` of it have passed: stages compared at equal wall time."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.started = 0.0
        self.stopped = False

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.started = time.perf_counter()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.seconds is not None and time.perf_counter() - self.started >= self.seconds:
            self.stopped = True
            control.should_training_stop = True


def load_policy(setup: Setup, recipe: StageRecipe) -> tuple[Any, Any, Any]:
    """(model, tokenizer, peft_config): the adapter loaded trainable, or the base with a new LoRA config."""
    model, tokenizer = load_base(setup.base_model, quantize=setup.quantize, on_cuda=setup.on_cuda)
    if setup.adapter is not None and (setup.adapter / "tokenizer_config.json").is_file():
        from transformers import AutoTokenizer

        from curate.train.prompts import ensure_chat_template

        tokenizer = AutoTokenizer.from_pretrained(str(setup.adapter))  # the tokenizer the adapter learned with
        ensure_chat_template(tokenizer)
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    if setup.quantize:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=setup.checkpointing)
    if setup.adapter is None:
        from peft import LoraConfig

        lora = LoraConfig(r=recipe.lora_r, lora_alpha=recipe.lora_alpha, lora_dropout=recipe.lora_dropout,
                          target_modules=list(recipe.target_modules), bias="none", task_type="CAUSAL_LM")
        return model, tokenizer, lora
    from peft import PeftModel

    return PeftModel.from_pretrained(model, str(setup.adapter), is_trainable=True), tokenizer, None


def common_args(recipe: StageRecipe, setup: Setup) -> dict[str, Any]:
    """The TrainingArguments every stage's TRL config takes. bf16 and checkpointing are set explicitly:
    TRL 1.x defaults both to on, and a CPU run fails (bf16) or crawls (checkpointing) with them."""
    return {
        "output_dir": str(setup.work_dir),
        "num_train_epochs": recipe.num_train_epochs,
        "max_steps": recipe.max_steps,
        "per_device_train_batch_size": recipe.per_device_train_batch_size,
        "gradient_accumulation_steps": recipe.gradient_accumulation_steps,
        "learning_rate": recipe.learning_rate,
        "lr_scheduler_type": recipe.lr_scheduler_type,
        "warmup_steps": recipe.warmup_ratio,  # transformers 5: a float in [0, 1) is a ratio
        "weight_decay": recipe.weight_decay,
        "use_cpu": not setup.on_cuda,
        "bf16": setup.on_cuda,
        "fp16": False,
        "activation_checkpointing": setup.checkpointing,  # transformers 5's name for gradient checkpointing
        "logging_steps": recipe.logging_steps,
        "save_strategy": "steps" if recipe.save_steps else "epoch",
        "save_steps": recipe.save_steps or 500,
        "save_total_limit": recipe.save_total_limit,
        "seed": recipe.seed,
        "report_to": "none",
        "disable_tqdm": True,
    }


def checkpoint_to_resume(work_dir: Path, resume: bool) -> Path | None:
    checkpoint = last_checkpoint(work_dir) if work_dir.is_dir() else None
    if resume and checkpoint is None:
        raise BadInputError(f"--resume: no checkpoint-N folder in {work_dir}; there is no interrupted run to continue")
    if not resume and checkpoint is not None:
        raise BadInputError(f"{work_dir} already holds {checkpoint.name} from an interrupted run; pass --resume to "
                            "continue it, or remove the folder to start over")
    return checkpoint


def run_stage(stage: str, rows: list[dict[str, Any]], make_trainer: TrainerFactory, *, recipe: StageRecipe,
              base_model: Path, adapter: Path | None, work_dir: Path, record_dir: Path, resume: bool = False,
              show_progress: bool = True, record_extra: dict[str, Any] | None = None,
              trainer_kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train, then write the record into `record_dir`; returns run.json's content."""
    if not rows:
        raise BadInputError(f"{stage}: no training rows")
    check_base_model(base_model)
    checkpoint = checkpoint_to_resume(work_dir, resume)

    import datasets
    import torch
    import transformers

    on_cuda = torch.cuda.is_available()
    setup = Setup(stage, base_model.resolve(), adapter, work_dir, record_dir, on_cuda,
                  on_cuda if recipe.quantize is None else recipe.quantize,
                  on_cuda if recipe.gradient_checkpointing is None else recipe.gradient_checkpointing)
    transformers.utils.logging.disable_progress_bar()
    datasets.disable_progress_bars()
    budget = TimeBudget(recipe.max_time_s)
    with quiet_library_logs():
        model, tokenizer, peft_config = load_policy(setup, recipe)
        work_dir.mkdir(parents=True, exist_ok=True)
        callbacks = ([StageProgress(stage)] if show_progress else []) + [budget]
        trainer = make_trainer(model, tokenizer, peft_config, datasets.Dataset.from_list(rows), recipe, setup,
                               callbacks, **(trainer_kwargs or {}))
        _quiet(trainer)
        started = time.perf_counter()
        result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
        elapsed = time.perf_counter() - started
        record = _record(setup, trainer, result, elapsed, checkpoint, len(rows), budget.stopped,
                         record_extra or {})
        _save(setup, trainer, recipe, record)
    return record


def _record(setup: Setup, trainer: Any, result: Any, elapsed: float, checkpoint: Path | None, n_rows: int,
            stopped_by_time: bool, extra: dict[str, Any]) -> dict[str, Any]:
    import peft
    import torch
    import transformers
    import trl

    history = trainer.state.log_history
    return {
        "schema": "curate.run/1",
        "stage": setup.stage,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_model": str(setup.base_model),
        "from_adapter": str(setup.adapter) if setup.adapter else None,
        "n_train_examples": n_rows,
        "device": "cuda" if setup.on_cuda else "cpu",
        "device_name": torch.cuda.get_device_name(0) if setup.on_cuda else platform.processor() or platform.machine(),
        "quantized": setup.quantize,
        "gradient_checkpointing": setup.checkpointing,
        "resumed_from": checkpoint.name if checkpoint else None,
        "global_step": trainer.state.global_step,
        "epochs": trainer.state.epoch,
        "train_loss": result.training_loss,
        "final_loss": _last(history, "loss"),
        "time_s": round(elapsed, 3),
        "stopped_by_time": stopped_by_time,
        "reward_first": _first(history, "reward"),
        "reward_last": _last(history, "reward"),
        "reward_margin_last": _last(history, "rewards/margins"),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "trl": trl.__version__,
                     "peft": peft.__version__},
        **extra,
    }


def _save(setup: Setup, trainer: Any, recipe: StageRecipe, record: dict[str, Any]) -> None:
    """The trained adapter only (DPO's frozen "ref" copy stays behind), with the tokenizer and the record."""
    folder = setup.record_dir
    folder.mkdir(parents=True, exist_ok=True)
    model = trainer.model
    names = getattr(model, "peft_config", {})
    if "default" in names and len(names) > 1:
        model.save_pretrained(str(folder / ADAPTER_DIR), selected_adapters=["default"])
    else:
        model.save_pretrained(str(folder / ADAPTER_DIR))
    trainer.processing_class.save_pretrained(str(folder / ADAPTER_DIR))
    (folder / "config.json").write_text(json.dumps(recipe.model_dump(), indent=2, sort_keys=True) + "\n")
    (folder / "log.json").write_text(json.dumps(trainer.state.log_history, indent=1) + "\n")
    (folder / RUN_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")


def _quiet(trainer: Any) -> None:
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)


def _first(history: list[dict[str, Any]], key: str) -> float | None:
    return next((entry[key] for entry in history if key in entry), None)


def _last(history: list[dict[str, Any]], key: str) -> float | None:
    values = [entry[key] for entry in history if key in entry]
    return values[-1] if values else None


# -- more SFT, the baseline a preference stage is compared with ---------------------------------------
def sft_trainer(model: Any, tokenizer: Any, peft_config: Any, dataset: Any, recipe: StageRecipe, setup: Setup,
                callbacks: list[Any]) -> Any:
    """TRL's SFTTrainer on the prompt/completion rows, loss on the completion, as `train fit` trains."""
    from trl import SFTConfig, SFTTrainer

    config = SFTConfig(**common_args(recipe, setup), max_length=recipe.max_length, completion_only_loss=True,
                       include_num_input_tokens_seen="non_padding")
    return SFTTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                      peft_config=peft_config, callbacks=callbacks)
