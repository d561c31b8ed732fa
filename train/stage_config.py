"""Recipes for the stages after SFT: DPO on preference pairs and GRPO with the judge as reward.

Precedence as for `train fit`: the preset (`study` for Mistral-7B QLoRA, `tiny` for the CPU model),
then a config file (YAML or JSON), then command-line flags. Unknown fields are refused by name. The
LoRA fields matter only when a stage starts from a bare base; from a fitted run, its adapter is
trained further with the shape it has.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from curate.schemas.errors import BadInputError
from curate.train.config import PRESETS, LoraRecipe, read_config_file

STAGES = ("sft", "dpo", "grpo")


class StageRecipe(LoraRecipe):
    """What every stage shares. Defaults are the study's (Mistral-7B, QLoRA on a GPU)."""

    num_train_epochs: float = Field(default=1, gt=0)
    max_steps: int = Field(default=-1, description="Stop after this many optimiser steps; -1 runs every epoch.")
    max_time_s: float | None = Field(default=None, gt=0, description="Stop after this many seconds of training.")
    learning_rate: float = Field(default=5e-5, gt=0)
    lr_scheduler_type: str = "cosine"
    warmup_ratio: float = Field(default=0.1, ge=0, lt=1)
    weight_decay: float = Field(default=0.0, ge=0)
    per_device_train_batch_size: int = Field(default=4, ge=1)
    gradient_accumulation_steps: int = Field(default=4, ge=1)
    max_length: int = Field(default=1536, ge=8)
    seed: int = 42
    quantize: bool | None = Field(default=None, description="4-bit NF4 base. None: on for CUDA, off on CPU.")
    gradient_checkpointing: bool | None = Field(default=None, description="None: on for CUDA, off on CPU.")
    logging_steps: int = Field(default=5, ge=1)
    save_steps: int | None = Field(default=None, ge=1, description="Checkpoint every N steps; None: every epoch.")
    save_total_limit: int = Field(default=2, ge=1)


class SftRecipe(StageRecipe):
    """More SFT from a fitted adapter (the baseline a preference stage is measured against)."""

    learning_rate: float = Field(default=1e-4, gt=0)


class DpoRecipe(StageRecipe):
    beta: float = Field(default=0.1, gt=0, description="How far the policy may move from the reference.")
    loss_type: str = "sigmoid"


class GrpoRecipe(StageRecipe):
    per_device_train_batch_size: int = Field(default=8, ge=1)
    num_generations: int = Field(default=8, ge=2, description="Completions sampled per prompt (the group).")
    max_completion_length: int = Field(default=256, ge=1)
    temperature: float = Field(default=1.0, gt=0)
    top_p: float = Field(default=1.0, gt=0, le=1)
    beta: float = Field(default=0.0, ge=0, description="KL weight; 0 loads no reference model.")
    loss_type: str = "dapo"
    scale_rewards: Literal["group", "batch", "none"] = "group"
    num_iterations: int = Field(default=1, ge=1)
    reward_weights: dict[str, float] = Field(
        default_factory=lambda: {"factual": 1.0, "direction": 1.0, "consistency": 0.5, "calibration": 1.0})
    use_vllm: bool = Field(default=False, description="Generate with vLLM (GPU, the vllm extra).")
    vllm_mode: Literal["colocate", "server"] = "colocate"
    vllm_gpu_memory_utilization: float = Field(default=0.3, gt=0, le=1)

    @field_validator("reward_weights")
    @classmethod
    def _known_rewards(cls, weights: dict[str, float]) -> dict[str, float]:
        from curate.train.rewards import check_weights

        return check_weights(weights)


RECIPES: dict[str, type[StageRecipe]] = {"sft": SftRecipe, "dpo": DpoRecipe, "grpo": GrpoRecipe}
# The tiny CPU model: LoRA r=16 and a learning rate a randomly initialised model moves with.
TINY: dict[str, dict[str, Any]] = {
    "sft": {"lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "learning_rate": 3e-3,
            "per_device_train_batch_size": 16, "gradient_accumulation_steps": 1, "max_length": 512},
    "dpo": {"lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "learning_rate": 1e-3, "num_train_epochs": 3,
            "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1, "max_length": 512},
    "grpo": {"lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.0, "learning_rate": 1e-3, "num_generations": 4,
             "max_completion_length": 48, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1,
             "max_length": 512},
}


def resolve_recipe(stage: str, *, preset: str = "study", config_file: Path | None = None,
                   overrides: dict[str, Any] | None = None) -> StageRecipe:
    """The stage's preset, then the config file, then explicit overrides (None values are ignored)."""
    if stage not in RECIPES:
        raise BadInputError(f"stage {stage!r} is not one of: {', '.join(STAGES)}")
    if preset not in PRESETS:
        raise BadInputError(f"--preset {preset!r} is not one of: {', '.join(PRESETS)}")
    recipe = RECIPES[stage]
    merged: dict[str, Any] = {"preset": preset, **(TINY[stage] if preset == "tiny" else {})}
    source = "defaults"
    if config_file is not None:
        merged.update(read_config_file(config_file))
        source = str(config_file)
    merged.update({key: value for key, value in (overrides or {}).items() if value is not None})
    try:
        return recipe(**merged)
    except BadInputError as exc:
        raise BadInputError(f"{source}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "<root>"
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, BadInputError):
            raise BadInputError(f"{source}: {cause}") from None
        unknown = first["type"] == "extra_forbidden"
        known = f" (known fields: {', '.join(sorted(recipe.model_fields))})" if unknown else ""
        raise BadInputError(f"{source}: field {where!r}: {first['msg']}{known}") from None


def recipe_hash(recipe: StageRecipe, *extra: str) -> str:
    canonical = json.dumps(recipe.model_dump(), sort_keys=True) + "|" + "|".join(extra)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
