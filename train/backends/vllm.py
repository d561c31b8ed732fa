"""Batched greedy generation with vLLM: the base model served with the LoRA adapter (no merge).

Imported only when `curate train eval --backend vllm` is chosen. vLLM needs a GPU machine and the
`vllm` extra (`pip install 'curate[vllm]'`). The answers are greedy (temperature 0), and the
confidence is the same as the transformers backend's: the mean probability of the generated
tokens, from the sampled token's log-probability that vLLM returns.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError, MissingExtraError
from curate.train.generation import Generation
from curate.train.prompts import ensure_chat_template, render_prompt


def require_vllm() -> Any:
    """The vllm module, or one line naming the extra to install."""
    try:
        import vllm
    except ImportError:
        raise MissingExtraError("vllm", "vllm") from None
    return vllm


def generate_vllm(
    base_model: str | Path,
    adapter: str | Path | None,
    prompts: list[str],
    *,
    max_new_tokens: int = 256,
    max_lora_rank: int = 64,
) -> list[Generation]:
    """Greedy answers to `prompts` (user turns), in order, with a confidence for each."""
    vllm = require_vllm()
    from transformers import AutoTokenizer
    from vllm.lora.request import LoRARequest

    base = Path(base_model)
    if not (base / "config.json").is_file():
        raise BadInputError(f"base model {base_model}: no config.json there; give a local model folder")
    tokenizer_source = Path(adapter) if adapter and (Path(adapter) / "tokenizer_config.json").is_file() else base
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_source))
    ensure_chat_template(tokenizer)
    # the same token ids the transformers backend reads: the rendered template, no extra BOS
    requests = [{"prompt_token_ids": tokenizer(render_prompt(tokenizer, prompt), add_special_tokens=False)["input_ids"]}
                for prompt in prompts]
    llm = vllm.LLM(model=str(base), tokenizer=str(tokenizer_source), enable_lora=adapter is not None,
                   max_lora_rank=max_lora_rank, dtype="bfloat16", seed=0)
    params = vllm.SamplingParams(temperature=0.0, max_tokens=max_new_tokens, logprobs=0)
    lora = LoRARequest("adapter", 1, str(adapter)) if adapter is not None else None
    outputs = llm.generate(requests, params, lora_request=lora, use_tqdm=False)
    return [_generation(output.outputs[0]) for output in outputs]


def _generation(completion: Any) -> Generation:
    """Text and mean token probability of one completion (logprobs=0 returns the chosen token's)."""
    chosen = []
    for token_id, options in zip(completion.token_ids, completion.logprobs or [], strict=False):
        entry = options.get(token_id) if options else None
        if entry is not None:
            chosen.append(math.exp(entry.logprob))
    n = len(completion.token_ids)
    return Generation(completion.text.strip(), sum(chosen) / len(chosen) if chosen else 0.0, n)
