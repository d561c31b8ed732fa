"""Fit a LoRA adapter on a dataset version with TRL's SFTTrainer, and write the run record.

The caller (curate's CLI layer) decides where things go: `work_dir` holds the trainer's
checkpoints (kept for `--resume`), `record_dir` receives the finished run record, which the caller
then moves into the registry atomically. Nothing here knows about the registry.

Record layout (`record_dir`)::

    adapter/        the PEFT adapter and the tokenizer it was trained with
    config.json     the resolved FitConfig
    run.json        data version and its content hash, base model, device, metrics, time, tokens/s
    log.json        the trainer's log history
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError
from curate.train.config import FitConfig
from curate.train.logs import quiet_library_logs
from curate.train.prompts import ensure_chat_template, to_prompt_completion

if TYPE_CHECKING:
    from curate.schemas import Example

RUN_RECORD = "run.json"
ADAPTER_DIR = "adapter"


def last_checkpoint(work_dir: Path) -> Path | None:
    """The complete checkpoint with the highest step in `work_dir`, or None.

    The trainer writes trainer_state.json last, so a folder without it was cut off mid-save.
    """
    checkpoints = [
        path for path in work_dir.glob("checkpoint-*")
        if path.name.split("-")[-1].isdigit() and (path / "trainer_state.json").is_file()
    ]
    return max(checkpoints, key=lambda path: int(path.name.split("-")[-1])) if checkpoints else None


def quantization_config(on_cuda: bool) -> Any:
    """4-bit NF4 with double quantisation; bf16 compute on CUDA, float32 on CPU (bf16 is slow there)."""
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16 if on_cuda else torch.float32,
    )


def check_base_model(base_model: str | Path) -> Path:
    path = Path(base_model)
    if not (path / "config.json").is_file():
        raise BadInputError(
            f"--base-model {base_model}: no config.json there; give a local model folder "
            "(e.g. one made by 'curate train tiny-base --out DIR')"
        )
    return path


def load_base(base_model: str | Path, *, quantize: bool, on_cuda: bool) -> tuple[Any, Any]:
    """The base model and its tokenizer, loaded offline from a local folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = check_base_model(base_model)
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    ensure_chat_template(tokenizer)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if on_cuda else torch.float32}
    if quantize:
        kwargs["quantization_config"] = quantization_config(on_cuda)
        from curate.train.distributed import local_rank

        kwargs["device_map"] = {"": local_rank()} if on_cuda else {"": "cpu"}  # one whole copy per DDP rank
    model = AutoModelForCausalLM.from_pretrained(str(path), **kwargs)
    return model, tokenizer


def sft_config(config: FitConfig, work_dir: Path, *, on_cuda: bool, gradient_checkpointing: bool) -> Any:
    from trl import SFTConfig

    from curate.train.distributed import world_size

    return SFTConfig(
        output_dir=str(work_dir),
        num_train_epochs=config.num_train_epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler_type,
        warmup_steps=config.warmup_ratio,  # transformers 5: a float in [0, 1) is a ratio
        weight_decay=config.weight_decay,
        max_length=config.max_length,
        packing=config.packing,
        packing_strategy=config.packing_strategy,
        train_sampling_strategy="group_by_length" if config.group_by_length else "random",
        completion_only_loss=True,
        use_cpu=not on_cuda,
        # under a launcher (WORLD_SIZE > 1): gloo on CPU; LoRA leaves no parameter unused
        ddp_backend="gloo" if not on_cuda and world_size() > 1 else None,
        ddp_find_unused_parameters=False if world_size() > 1 else None,
        bf16=on_cuda,
        fp16=False,
        activation_checkpointing=gradient_checkpointing,
        logging_steps=config.logging_steps,
        save_strategy="steps" if config.save_steps else "epoch",
        save_steps=config.save_steps or 500,
        save_total_limit=config.save_total_limit,
        seed=config.seed,
        report_to="none",
        disable_tqdm=True,
        include_num_input_tokens_seen="non_padding",
    )


def lora_config(config: FitConfig, n_layers: int | None = None) -> Any:
    """PEFT's LoraConfig; with `lora_layers`, only the last that many of the model's `n_layers` layers."""
    from peft import LoraConfig

    layers = None
    if config.lora_layers is not None and n_layers is not None and config.lora_layers < n_layers:
        layers = list(range(n_layers - config.lora_layers, n_layers))
    return LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=list(config.target_modules),
        layers_to_transform=layers,
        bias="none",
        task_type="CAUSAL_LM",
    )


@dataclass(frozen=True)
class Plan:
    """A fit's settings once the device is known."""

    config: FitConfig
    base_model: Path
    work_dir: Path
    record_dir: Path
    checkpoint: Path | None
    on_cuda: bool
    quantize: bool
    checkpointing: bool
    init_adapter: Path | None = None
    tokens_before: int = 0  # tokens seen up to the checkpoint resumed from (read before the trainer rotates it away)


def fit(
    examples: list[Example],
    *,
    base_model: str | Path,
    config: FitConfig,
    work_dir: Path,
    record_dir: Path,
    data_version: str | None,
    data_hash: str,
    resume: bool = False,
    show_progress: bool = True,
    extra_callbacks: list[Any] | None = None,
    init_adapter: Path | None = None,
) -> dict[str, Any]:
    """Fit on the train split of `examples`, write the run record into `record_dir`, return run.json's content.

    `init_adapter`: go on training that PEFT adapter (same LoRA settings) instead of a fresh one."""
    train_rows = [to_prompt_completion(example) for example in examples if example.split == "train"]
    if not train_rows:
        raise BadInputError(f"version {data_version}: no examples in the train split; nothing to fit")
    check_base_model(base_model)
    checkpoint = _checkpoint_to_resume(work_dir, resume)

    import datasets
    import torch
    import transformers

    on_cuda = torch.cuda.is_available()
    plan = Plan(
        config=config,
        base_model=Path(base_model).resolve(),
        work_dir=work_dir,
        record_dir=record_dir,
        checkpoint=checkpoint,
        on_cuda=on_cuda,
        quantize=on_cuda if config.quantize is None else config.quantize,
        checkpointing=on_cuda if config.gradient_checkpointing is None else config.gradient_checkpointing,
        init_adapter=_check_adapter(init_adapter),
        tokens_before=_tokens_at(checkpoint) if checkpoint else 0,
    )
    transformers.utils.logging.disable_progress_bar()
    datasets.disable_progress_bars()
    with quiet_library_logs():
        trainer, result, elapsed = _train(plan, train_rows, show_progress, extra_callbacks or [])
        record = _write_record(plan, trainer, result, elapsed, data_version, data_hash, len(train_rows))
    return record


def _train(plan: Plan, rows: list[dict[str, Any]], show_progress: bool, callbacks: list[Any]) -> tuple[Any, Any, float]:
    import datasets

    from curate.train.completion_loss import trainer_class
    from curate.train.progress import RichProgressCallback
    from curate.train.threads import set_threads

    if not plan.on_cuda:
        set_threads(plan.config.threads)
    model, tokenizer = load_base(plan.base_model, quantize=plan.quantize, on_cuda=plan.on_cuda)
    if plan.quantize:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=plan.checkpointing)
    peft_config = lora_config(plan.config, getattr(model.config, "num_hidden_layers", None))
    if plan.init_adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(plan.init_adapter), is_trainable=True)
        peft_config = None
    plan.work_dir.mkdir(parents=True, exist_ok=True)
    trainer = trainer_class()(
        model=model,
        args=sft_config(plan.config, plan.work_dir, on_cuda=plan.on_cuda, gradient_checkpointing=plan.checkpointing),
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=([RichProgressCallback("fit")] if show_progress else []) + callbacks,
    )
    _quiet(trainer)
    started = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=str(plan.checkpoint) if plan.checkpoint else None)
    return trainer, result, time.perf_counter() - started


def _write_record(
    plan: Plan, trainer: Any, result: Any, elapsed: float, data_version: str | None, data_hash: str, n_train: int
) -> dict[str, Any]:
    import torch
    import transformers

    from curate.train.distributed import is_main_process, world_size

    session_tokens = trainer.state.num_input_tokens_seen - plan.tokens_before
    record_dir = plan.record_dir
    record = {
        "schema": "curate.run/1",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_version": data_version,
        "data_content_hash": data_hash,
        "base_model": str(plan.base_model),
        "n_train_examples": n_train,
        "device": "cuda" if plan.on_cuda else "cpu",
        "device_name": torch.cuda.get_device_name(0) if plan.on_cuda else platform.processor() or platform.machine(),
        "quantized": plan.quantize,
        "gradient_checkpointing": plan.checkpointing,
        "packing": plan.config.packing,
        "resumed_from": plan.checkpoint.name if plan.checkpoint else None,
        "init_adapter": str(plan.init_adapter) if plan.init_adapter else None,
        "global_step": trainer.state.global_step,
        "epochs": trainer.state.epoch,
        "train_loss": result.training_loss,
        "final_loss": _last_loss(trainer.state.log_history),
        "time_s": round(elapsed, 3),
        "tokens": int(trainer.state.num_input_tokens_seen),
        "session_tokens": int(session_tokens),
        "tokens_per_s": round(session_tokens / elapsed, 1) if elapsed > 0 else None,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, **_lib_versions()},
        "world_size": world_size(),
        "threads": None if plan.on_cuda else torch.get_num_threads(),
    }
    if not is_main_process():
        return record  # every rank trained the same adapter (DDP); rank 0 alone writes it
    record_dir.mkdir(parents=True, exist_ok=True)
    trainer.model.save_pretrained(str(record_dir / ADAPTER_DIR))
    trainer.processing_class.save_pretrained(str(record_dir / ADAPTER_DIR))
    (record_dir / "config.json").write_text(json.dumps(plan.config.model_dump(), indent=2, sort_keys=True) + "\n")
    (record_dir / "log.json").write_text(json.dumps(trainer.state.log_history, indent=1) + "\n")
    (record_dir / RUN_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record


def _quiet(trainer: Any) -> None:
    """Keep stdout for the command's own output: drop the trainer's log printer and tqdm bar."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)


def _check_adapter(adapter: Path | None) -> Path | None:
    if adapter is not None and not (adapter / "adapter_config.json").is_file():
        raise BadInputError(f"init adapter {adapter}: no adapter_config.json there; give a run's adapter folder")
    return adapter


def _checkpoint_to_resume(work_dir: Path, resume: bool) -> Path | None:
    checkpoint = last_checkpoint(work_dir) if work_dir.is_dir() else None
    if resume and checkpoint is None:
        raise BadInputError(f"--resume: no checkpoint-N folder in {work_dir}; there is no interrupted fit to continue")
    if not resume and checkpoint is not None:
        raise BadInputError(
            f"{work_dir} already holds {checkpoint.name} from an interrupted fit; "
            "pass --resume to continue it, or remove the folder to start over"
        )
    return checkpoint


def _tokens_at(checkpoint: Path) -> int:
    state = json.loads((checkpoint / "trainer_state.json").read_text())
    return int(state.get("num_input_tokens_seen", 0))


def _last_loss(history: list[dict[str, Any]]) -> float | None:
    losses = [entry["loss"] for entry in history if "loss" in entry]
    return losses[-1] if losses else None


def _lib_versions() -> dict[str, str]:
    import peft
    import trl

    return {"trl": trl.__version__, "peft": peft.__version__}
