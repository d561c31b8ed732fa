"""GRPO with the judge as reward (TRL's GRPOTrainer), on a fitted run's adapter or a new one on the base.

Each prompt is a train-split question of the version, with the columns the rewards read
(`reference`, `fact_ids`, `answerable`); TRL samples `num_generations` answers to it, scores each
with the composed reward (train/rewards.py, weights from the recipe) and pushes the policy towards
the answers that scored above their group's mean. With `beta=0` (the default) no reference model is
loaded and a logged loss near 0 is expected: watch the reward, its spread within groups
(`frac_reward_zero_std`: the share of groups where every answer scored the same, which teach
nothing) and `grad_norm`.

`use_vllm` generates with vLLM (GPU only, `pip install 'curate[vllm]'`; colocated with training by
default); on CPU, transformers' `generate` samples the groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.schemas import Example
    from curate.train.rewards import ComposedReward
    from curate.train.stage import Setup
    from curate.train.stage_config import GrpoRecipe


def prompt_rows(examples: Iterable[Example]) -> list[dict[str, Any]]:
    """One conversational prompt per train-split example, with the columns the rewards read."""
    from curate.train.prompts import example_prompt

    return [{
        "prompt": [{"role": "user", "content": example_prompt(example)}],
        "reference": example.output,
        "fact_ids": list(example.fact_ids),
        "answerable": example.answerable,
        "kind": example.kind,
        "example_id": example.id,
    } for example in examples if example.split == "train"]


def grpo_config(recipe: GrpoRecipe, setup: Setup) -> Any:
    from trl import GRPOConfig

    from curate.train.stage import common_args

    vllm: dict[str, Any] = {}
    if recipe.use_vllm:
        vllm = {"use_vllm": True, "vllm_mode": recipe.vllm_mode,
                "vllm_gpu_memory_utilization": recipe.vllm_gpu_memory_utilization}
    # TRL 1.x has no max_prompt_length; prompts here are short questions.
    return GRPOConfig(**common_args(recipe, setup), num_generations=recipe.num_generations,
                      max_completion_length=recipe.max_completion_length, temperature=recipe.temperature,
                      top_p=recipe.top_p, beta=recipe.beta, loss_type=recipe.loss_type,
                      scale_rewards=recipe.scale_rewards, num_iterations=recipe.num_iterations,
                      log_completions=False, **vllm)


def grpo_trainer(model: Any, tokenizer: Any, peft_config: Any, dataset: Any, recipe: GrpoRecipe, setup: Setup,
                 callbacks: list[Any], *, reward: ComposedReward) -> Any:
    from trl import GRPOTrainer

    return GRPOTrainer(model=model, reward_funcs=[reward], args=grpo_config(recipe, setup), train_dataset=dataset,
                       processing_class=tokenizer, peft_config=peft_config, callbacks=callbacks)
