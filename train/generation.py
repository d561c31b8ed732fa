"""Batched greedy generation with left padding, and the model's own confidence in each answer.

Prompts are sorted by length before batching (less padding), and answers are put back in the
caller's order. Greedy decoding with left padding and an attention mask gives the same answers as
one prompt at a time; `tests/test_train_generation.py` checks it.

Confidence is the mean probability the model gave to the tokens it generated (end-of-sequence
included). It comes from the model alone, never from how the answer was scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.errors import BadInputError
from train.logs import quiet_library_logs
from train.prompts import ensure_chat_template, render_prompt


@dataclass(frozen=True)
class Generation:
    text: str
    confidence: float
    n_tokens: int


def load_for_generation(base_model: str | Path, adapter: str | Path | None = None) -> tuple[Any, Any]:
    """The base model with the adapter merged in (when given), and the tokenizer the adapter was trained with."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    base = Path(base_model)
    if not (base / "config.json").is_file():
        raise BadInputError(f"base model {base_model}: no config.json there; give a local model folder")
    tokenizer_source = Path(adapter) if adapter and (Path(adapter) / "tokenizer_config.json").is_file() else base
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_source))
    ensure_chat_template(tokenizer)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    tokenizer.padding_side = "left"
    on_cuda = torch.cuda.is_available()
    if adapter is not None and not (Path(adapter) / "adapter_config.json").is_file():
        raise BadInputError(f"--adapter {adapter}: no adapter_config.json there; give a run's adapter folder")
    with quiet_library_logs():
        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.bfloat16 if on_cuda else torch.float32)
        if adapter is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    if on_cuda:
        model = model.to("cuda")  # type: ignore[arg-type]  # transformers' decorated .to() confuses mypy
    model.eval()
    return model, tokenizer


def generate(
    model: Any,
    tokenizer: Any,
    prompts: list[str],
    *,
    batch_size: int = 16,
    max_new_tokens: int = 256,
    length_hints: list[int] | None = None,
    show_progress: bool = False,
) -> list[Generation]:
    """Greedy answers to `prompts` (user turns; the chat template is applied here), in order.

    A batch runs until its longest answer ends, so prompts are batched with others of similar
    expected answer length (`length_hints`, e.g. the reference answers' lengths), else of similar
    prompt length. The order changes only the speed: every answer is the one it would be alone.
    """
    from train.progress import progress_bar

    if batch_size < 1:
        raise BadInputError(f"--batch-size {batch_size}: must be at least 1")
    ids = [tokenizer(render_prompt(tokenizer, p), add_special_tokens=False)["input_ids"] for p in prompts]
    hints = length_hints if length_hints is not None else [0] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: (hints[i], len(ids[i])))
    stop_ids = _stop_ids(model, tokenizer)
    results: dict[int, Generation] = {}
    with progress_bar("generate", len(ids), enabled=show_progress) as advance:
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            answers = _generate_batch(model, tokenizer, [ids[i] for i in batch], max_new_tokens, stop_ids)
            results.update(zip(batch, answers, strict=True))
            advance(len(batch))
    return [results[i] for i in range(len(ids))]


def _stop_ids(model: Any, tokenizer: Any) -> list[int]:
    configured = model.generation_config.eos_token_id
    ids = configured if isinstance(configured, list) else [configured] if configured is not None else []
    return sorted({*ids, tokenizer.eos_token_id} - {None})


def _generate_batch(
    model: Any, tokenizer: Any, contexts: list[list[int]], max_new_tokens: int, stop_ids: list[int]
) -> list[Generation]:
    """One left-padded batch through `model.generate`, greedy, with the probability of every chosen token."""
    import torch
    from transformers import GenerationConfig

    width = max(len(c) for c in contexts)
    pad = tokenizer.pad_token_id
    input_ids = torch.tensor([[pad] * (width - len(c)) + c for c in contexts], device=model.device)
    attention = torch.tensor([[0] * (width - len(c)) + [1] * len(c) for c in contexts], device=model.device)
    config = GenerationConfig(
        do_sample=False,
        max_new_tokens=max_new_tokens,
        eos_token_id=stop_ids,
        pad_token_id=pad,
        return_dict_in_generate=True,
        output_logits=True,
    )
    with torch.inference_mode():
        output = model.generate(input_ids=input_ids, attention_mask=attention, generation_config=config)
    new_tokens = output.sequences[:, width:]
    logits = torch.stack(output.logits, dim=1).float()
    chosen = torch.log_softmax(logits, dim=-1).gather(-1, new_tokens[..., None]).squeeze(-1)
    out = []
    for row in range(new_tokens.shape[0]):
        n = _answer_length(new_tokens[row].tolist(), stop_ids)
        text = tokenizer.decode(new_tokens[row, :n], skip_special_tokens=True).strip()
        out.append(Generation(text, float(chosen[row, :n].exp().mean()) if n else 0.0, n))
    return out


def _answer_length(tokens: list[int], stop_ids: list[int]) -> int:
    """Tokens up to and including the first stop token (the rest is padding after the end)."""
    for position, token in enumerate(tokens):
        if token in stop_ids:
            return position + 1
    return len(tokens)
