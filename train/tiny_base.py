"""A tiny Mistral-architecture base model with a tokenizer trained on the dataset's own text.

No model can be downloaded here, so tests, CI and the CPU demo fit adapters on this model. It is
saved with `save_pretrained`, so `AutoModelForCausalLM` and `AutoTokenizer` load it offline like
any other base model. `initializer_range=0.1` matters: with the default 0.02 the LoRA adapter on a
random base learns far more slowly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from curate.train.prompts import CHAT_TEMPLATE, INST_CLOSE, INST_OPEN

BOS, EOS, UNK, PAD = "<s>", "</s>", "<unk>", "<pad>"
SPECIAL_TOKENS = [UNK, BOS, EOS, PAD, INST_OPEN, INST_CLOSE]
TINY_ARCHITECTURE: dict[str, Any] = {
    "hidden_size": 128,
    "intermediate_size": 512,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "tie_word_embeddings": True,
    "initializer_range": 0.1,
    "max_position_embeddings": 2048,
    "sliding_window": None,
}
MARKER = "curate_tiny_base.json"


def train_tokenizer(texts: Iterable[str], *, vocab_size: int = 2048) -> Any:
    """A byte-level BPE tokenizer trained on `texts`, wrapped for transformers, with the chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE(unk_token=UNK))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(list(texts), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        bos_token=BOS,
        eos_token=EOS,
        unk_token=UNK,
        pad_token=PAD,
        extra_special_tokens=[INST_OPEN, INST_CLOSE],
        padding_side="left",
        model_max_length=TINY_ARCHITECTURE["max_position_embeddings"],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def build_tiny_model(tokenizer: Any, *, seed: int = 0) -> Any:
    import torch
    from transformers import MistralConfig, MistralForCausalLM

    config = MistralConfig(
        vocab_size=len(tokenizer),
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        **TINY_ARCHITECTURE,
    )
    torch.manual_seed(seed)
    model = MistralForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    return model


def build_tiny_base(texts: Iterable[str], out_dir: Path, *, vocab_size: int = 2048, seed: int = 0) -> dict[str, Any]:
    """Train the tokenizer on `texts`, build the model, save both into `out_dir`; return a summary."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    texts = [text for text in texts if text]
    tokenizer = train_tokenizer(texts, vocab_size=vocab_size)
    model = build_tiny_model(tokenizer, seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    summary = {
        "architecture": "MistralForCausalLM",
        "vocab_size": len(tokenizer),
        "n_parameters": sum(p.numel() for p in model.parameters()),
        "n_texts": len(texts),
        "seed": seed,
        **{k: v for k, v in TINY_ARCHITECTURE.items()},
    }
    (out_dir / MARKER).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary
