"""Sampled answers: several answers per question at a temperature, each with the model's own confidence.

Greedy evaluation gives one answer per question; preference pairs from a model's own samples (one
scored right against one scored wrong, for the same prompt) need several. Prompts are rendered with
the chat template training used, left-padded in batches, and sampled with `model.generate`
(`num_return_sequences`). A sample's confidence is the mean probability the untempered model gave
to the tokens it sampled, end-of-sequence included, as for greedy answers.
"""

from __future__ import annotations

from typing import Any

from curate.schemas.errors import BadInputError
from curate.train.generation import Generation
from curate.train.prompts import render_prompt


def sample_answers(model: Any, tokenizer: Any, prompts: list[str], *, n: int = 4, temperature: float = 1.0,
                   top_p: float = 1.0, max_new_tokens: int = 128, batch_size: int = 8, seed: int = 0,
                   show_progress: bool = False) -> list[list[Generation]]:
    """`n` sampled answers to each prompt (user turns), in order."""
    import torch

    from curate.train.progress import progress_bar

    if n < 1 or batch_size < 1:
        raise BadInputError(f"--samples {n} and --batch-size {batch_size} must be at least 1")
    if temperature <= 0:
        raise BadInputError(f"--temperature {temperature}: must be above 0 (0 is greedy: use train eval)")
    torch.manual_seed(seed)
    ids = [tokenizer(render_prompt(tokenizer, p), add_special_tokens=False)["input_ids"] for p in prompts]
    out: list[list[Generation]] = []
    with progress_bar("sample", len(ids), enabled=show_progress) as advance:
        for start in range(0, len(ids), batch_size):
            batch = ids[start:start + batch_size]
            out += _sample_batch(model, tokenizer, batch, n, temperature, top_p, max_new_tokens)
            advance(len(batch))
    return out


def _sample_batch(model: Any, tokenizer: Any, contexts: list[list[int]], n: int, temperature: float, top_p: float,
                  max_new_tokens: int) -> list[list[Generation]]:
    import torch
    from transformers import GenerationConfig

    configured = model.generation_config.eos_token_id
    stop_ids = sorted({*(configured if isinstance(configured, list) else [configured]), tokenizer.eos_token_id}
                      - {None})
    width = max(len(c) for c in contexts)
    pad = tokenizer.pad_token_id
    input_ids = torch.tensor([[pad] * (width - len(c)) + c for c in contexts], device=model.device)
    attention = torch.tensor([[0] * (width - len(c)) + [1] * len(c) for c in contexts], device=model.device)
    config = GenerationConfig(do_sample=True, temperature=temperature, top_p=top_p, top_k=0,
                              max_new_tokens=max_new_tokens, num_return_sequences=n, eos_token_id=stop_ids,
                              pad_token_id=pad, return_dict_in_generate=True, output_logits=True)
    with torch.inference_mode():
        output = model.generate(input_ids=input_ids, attention_mask=attention, generation_config=config)
    new_tokens = output.sequences[:, width:]
    logits = torch.stack(output.logits, dim=1).float()
    chosen = torch.log_softmax(logits, dim=-1).gather(-1, new_tokens[..., None]).squeeze(-1)
    answers: list[list[Generation]] = [[] for _ in contexts]
    for row in range(new_tokens.shape[0]):
        tokens = new_tokens[row].tolist()
        length = next((i + 1 for i, token in enumerate(tokens) if token in stop_ids), len(tokens))
        text = tokenizer.decode(new_tokens[row, :length], skip_special_tokens=True).strip()
        confidence = float(chosen[row, :length].exp().mean()) if length else 0.0
        answers[row // n].append(Generation(text, confidence, length))
    return answers
