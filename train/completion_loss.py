"""The language-model head on completion tokens only.

With the loss on the completion (`completion_only_loss`), the logits of prompt positions are never
used, yet TRL's fused head scores every position except on CUDA/XPU (where its Triton kernel takes
only the labelled ones). On a CPU the vocabulary projection of SmolLM2 (576 x 49,152) is about a fifth
of a forward pass, and prompts are half the tokens. `CompletionHeadTrainer` projects the hidden
states of labelled positions only and takes the mean cross-entropy over them: the same loss, less work
(bench/cases_round.py measures it).

It applies only where it is exactly the model's own loss: one process (no DDP wrapper to bypass), a
causal LM whose logits are the plain output-embedding projection (no soft-capping or scaling). Every
other case goes to TRL's own `compute_loss`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Config fields that change logits after the projection: with any of them set, use TRL's loss.
LOGIT_TRANSFORMS = ("final_logit_softcapping", "logit_scale", "output_multiplier", "lm_head_multiplier",
                    "logits_scaling")
BACKBONE_INPUTS = ("input_ids", "attention_mask", "position_ids")


def applies(model: Any, world_size: int) -> bool:
    """True when projecting only labelled positions gives exactly the model's own loss (one process: under
    DDP the model is wrapped, and gradients must flow through the wrapper's own forward)."""
    if world_size != 1:
        return False
    causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
    config = causal_lm.config.get_text_config()
    plain_head = all(getattr(config, name, None) in (None, 1.0) for name in LOGIT_TRANSFORMS)
    backbone = getattr(causal_lm, getattr(causal_lm, "base_model_prefix", ""), None)
    return plain_head and backbone is not None and causal_lm.get_output_embeddings() is not None


def completion_loss(model: Any, inputs: dict[str, Any], num_items_in_batch: Any = None) -> Any:
    """Mean next-token cross-entropy over the labelled positions, projecting only those through the head."""
    import torch.nn.functional as F

    causal_lm = model.get_base_model() if hasattr(model, "get_base_model") else model
    backbone = getattr(causal_lm, causal_lm.base_model_prefix)
    hidden = backbone(**{k: inputs[k] for k in BACKBONE_INPUTS if k in inputs}, use_cache=False).last_hidden_state
    targets = inputs["labels"][:, 1:]
    labelled = targets != -100
    logits = causal_lm.get_output_embeddings()(hidden[:, :-1][labelled]).float()
    total = F.cross_entropy(logits, targets[labelled], reduction="sum")
    count = num_items_in_batch if num_items_in_batch is not None else labelled.sum().clamp(min=1)
    return total / count


@cache
def trainer_class() -> type:
    """SFTTrainer whose training loss projects completion tokens only (where `applies`)."""
    from trl import SFTTrainer

    class CompletionHeadTrainer(SFTTrainer):  # type: ignore[misc]
        def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False,
                         num_items_in_batch: Any = None) -> Any:
            if return_outputs or not model.training or not applies(model, self.args.world_size):
                return super().compute_loss(model, inputs, return_outputs=return_outputs,
                                            num_items_in_batch=num_items_in_batch)
            return completion_loss(model, inputs, num_items_in_batch)

    return CompletionHeadTrainer
