"""DPO on preference pairs (TRL's DPOTrainer), on a fitted run's adapter or a new one on the base.

Pairs arrive as `curate export --format dpo` rows (prompt, chosen, rejected as plain text) and are
turned into TRL's conversational preference format, so the prompt is rendered with the same chat
template as in SFT and evaluation. From a fitted run, the reference model is that run's adapter as
loaded (TRL keeps a frozen copy named "ref"); from the base, it is the base itself (adapters off).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.train.stage import Setup
    from curate.train.stage_config import DpoRecipe


def preference_rows(pairs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """TRL's conversational preference rows from exported pair records."""
    return [{
        "prompt": [{"role": "user", "content": str(pair["prompt"])}],
        "chosen": [{"role": "assistant", "content": str(pair["chosen"])}],
        "rejected": [{"role": "assistant", "content": str(pair["rejected"])}],
    } for pair in pairs]


def dpo_trainer(model: Any, tokenizer: Any, peft_config: Any, dataset: Any, recipe: DpoRecipe, setup: Setup,
                callbacks: list[Any]) -> Any:
    from trl import DPOConfig, DPOTrainer

    from curate.train.stage import common_args

    # TRL 1.x has no max_prompt_length (passing it fails); max_length bounds prompt + answer.
    config = DPOConfig(**common_args(recipe, setup), max_length=recipe.max_length, beta=recipe.beta,
                       loss_type=[recipe.loss_type])
    return DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                      peft_config=peft_config, callbacks=callbacks)
