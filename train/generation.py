"""Batched greedy generation with left padding, and the model's own confidence in each answer.

One prompt at a time (`batch_size=1`) is plain `model.generate`. Batches are *rolling*: a greedy
decoding loop over a shared key/value cache where a finished answer leaves the batch at once and
waiting prompts take its place (read a few at a time, left-padded), so no batch idles behind its
longest answer. Rows decode under an attention mask, each at its own positions, which gives the
same answers as one at a time (tests/test_train_fit.py and the bench check it). Models with
sliding-window attention fall back to plain left-padded `model.generate` batches.

Confidence is the mean probability the model gave to the tokens it generated (end-of-sequence
included). It comes from the model alone, never from how the answer was scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError
from curate.train.logs import quiet_library_logs
from curate.train.prompts import ensure_chat_template, render_prompt


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
    batch_size: int = 32,
    max_new_tokens: int = 256,
    length_hints: list[int] | None = None,
    show_progress: bool = False,
) -> list[Generation]:
    """Greedy answers to `prompts` (user turns; the chat template is applied here), in the same order.

    Prompts are scheduled by expected answer length (`length_hints`, e.g. the reference answers'
    lengths; else the prompt's length), longest first. The order changes only the speed: every
    answer is the one the prompt gets alone.
    """
    from curate.train.progress import progress_bar

    if batch_size < 1:
        raise BadInputError(f"--batch-size {batch_size}: must be at least 1")
    ids = [tokenizer(render_prompt(tokenizer, p), add_special_tokens=False)["input_ids"] for p in prompts]
    hints = length_hints if length_hints is not None else [0] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: (hints[i], len(ids[i])))
    stop_ids = _stop_ids(model, tokenizer)
    results: dict[int, Generation] = {}
    with progress_bar("generate", len(ids), enabled=show_progress) as advance:
        if batch_size > 1 and _can_roll(model):
            longest_first = order[::-1]  # long answers overlap with many short ones, and the batch drains fast
            rolled = _rolling_decode(model, ids, longest_first, batch_size, max_new_tokens, stop_ids,
                                     tokenizer.pad_token_id, advance)
            results = {index: _finish(tokenizer, row) for index, row in rolled.items()}
        else:
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


# -- rolling batches -----------------------------------------------------------------------------
@dataclass
class _Row:
    """One prompt being answered: its ids, the tokens generated so far and their log-probabilities."""

    prompt_ids: list[int]
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    done: bool = False


def _can_roll(model: Any) -> bool:
    """Rolling batches edit the key/value cache by hand: only for full-attention decoder-only models."""
    config = model.config
    return not config.is_encoder_decoder and getattr(config, "sliding_window", None) is None


def _rolling_decode(
    model: Any, ids: list[list[int]], order: list[int], batch_size: int, max_new_tokens: int, stop_ids: list[int],
    pad_id: int, advance: Any,
) -> dict[int, _Row]:
    """Greedy decoding where a finished answer leaves the batch at once and the next prompt takes its place.

    A plain batch runs until its longest answer ends; here the batch stays full. New prompts are
    read together (left-padded), their key/value caches are left-padded into the batch's, and all
    rows decode together under an attention mask, each at its own positions.
    """
    import torch

    waiting = list(reversed(order))
    done: dict[int, _Row] = {}
    active: list[tuple[int, _Row]] = []
    cache: Any = None
    mask = torch.zeros((0, 0), dtype=torch.long, device=model.device)
    with torch.inference_mode():
        while waiting or active:
            free = batch_size - len(active)
            if waiting and (free >= max(1, batch_size // 4) or not active):  # read new prompts a few at a time
                admitted = [waiting.pop() for _ in range(min(free, len(waiting)))]
                rows, row_cache, row_mask = _prefill(model, [ids[i] for i in admitted], max_new_tokens, stop_ids,
                                                     pad_id)
                for index, row in zip(admitted, rows, strict=True):
                    if row.done:
                        done[index] = row
                        advance(1)
                still = [p for p, row in enumerate(rows) if not row.done]
                if still:
                    row_cache, row_mask = _select(row_cache, row_mask, still)
                    cache, mask = _merge(cache, mask, row_cache, row_mask)
                    active += [(admitted[p], rows[p]) for p in still]
            if not active:
                continue
            last = torch.tensor([[row.tokens[-1]] for _, row in active], device=model.device)
            positions = torch.tensor([[len(row.prompt_ids) + len(row.tokens) - 1] for _, row in active],
                                     device=model.device)
            mask = torch.cat([mask, torch.ones((len(active), 1), dtype=mask.dtype, device=mask.device)], dim=1)
            out = model(input_ids=last, attention_mask=mask, position_ids=positions, past_key_values=cache,
                        use_cache=True)
            _take([row for _, row in active], out.logits[:, -1], max_new_tokens, stop_ids)
            keep = [position for position, (_, row) in enumerate(active) if not row.done]
            for _, (index, row) in [(p, a) for p, a in enumerate(active) if p not in keep]:
                done[index] = row
                advance(1)
            if len(keep) < len(active):
                active = [active[p] for p in keep]
                cache, mask = _select(cache, mask, keep)
    return done


def _take(rows: list[_Row], logits: Any, budget: int, stop_ids: list[int]) -> None:
    """Append each row's greedy token and its log-probability; a row is done at a stop token or the budget."""
    import torch

    scores = logits.float()
    tokens = torch.argmax(scores, dim=-1)
    chosen = torch.log_softmax(scores, dim=-1).gather(-1, tokens[:, None]).squeeze(-1)
    for row, token, logprob in zip(rows, tokens.tolist(), chosen.tolist(), strict=True):
        row.tokens.append(token)
        row.logprobs.append(logprob)
        row.done = token in stop_ids or len(row.tokens) >= budget


def _layers(cache: Any) -> list[Any]:
    return list(cache.layers)


def _prefill(
    model: Any, prompts: list[list[int]], budget: int, stop_ids: list[int], pad_id: int
) -> tuple[list[_Row], Any, Any]:
    """Read new prompts (left-padded together) into a fresh cache; take each one's first token."""
    import torch
    from transformers import DynamicCache

    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts], device=model.device)
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts], device=model.device)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    cache = DynamicCache(config=model.config)
    out = model(input_ids=input_ids, attention_mask=mask, position_ids=positions, past_key_values=cache,
                use_cache=True, logits_to_keep=1)
    rows = [_Row(p) for p in prompts]
    _take(rows, out.logits[:, -1], budget, stop_ids)
    return rows, cache, mask


def _merge(cache: Any, mask: Any, new_cache: Any, new_mask: Any) -> tuple[Any, Any]:
    """Append the rows of `new_cache` to the batch's, both left-padded to the longer of the two."""
    import torch
    import torch.nn.functional as F

    if cache is None:
        return new_cache, new_mask
    width = max(mask.shape[1], new_mask.shape[1])
    for batch_layer, new_layer in zip(_layers(cache), _layers(new_cache), strict=True):
        for name in ("keys", "values"):
            old, new = getattr(batch_layer, name), getattr(new_layer, name)
            old = F.pad(old, (0, 0, width - old.shape[-2], 0))
            new = F.pad(new, (0, 0, width - new.shape[-2], 0))
            setattr(batch_layer, name, torch.cat([old, new], dim=0))
    mask = F.pad(mask, (width - mask.shape[1], 0))
    new_mask = F.pad(new_mask, (width - new_mask.shape[1], 0))
    return cache, torch.cat([mask, new_mask], dim=0)


def _select(cache: Any, mask: Any, keep: list[int]) -> tuple[Any, Any]:
    """Keep only these rows, and drop the columns that are padding for every one of them."""
    import torch

    if not keep:
        return None, mask[:0, :0]
    index = torch.tensor(keep, device=mask.device)
    mask = mask[index]
    first = int(mask.any(dim=0).nonzero()[0])
    for layer in _layers(cache):
        layer.keys = layer.keys[index, :, first:]
        layer.values = layer.values[index, :, first:]
    return cache, mask[:, first:]


def _finish(tokenizer: Any, row: _Row) -> Generation:
    import math

    n = len(row.tokens)
    text = tokenizer.decode(row.tokens, skip_special_tokens=True).strip()
    return Generation(text, sum(math.exp(lp) for lp in row.logprobs) / n if n else 0.0, n)


def _answer_length(tokens: list[int], stop_ids: list[int]) -> int:
    """Tokens up to and including the first stop token (the rest is padding after the end)."""
    for position, token in enumerate(tokens):
        if token in stop_ids:
            return position + 1
    return len(tokens)
