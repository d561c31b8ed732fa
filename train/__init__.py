"""Fitting the QLoRA adapter on a dataset version, and evaluating it honestly.

One module per concern (heavy libraries are imported inside functions):

- `config`: the recipe (`FitConfig`), the `study` and `tiny` presets, config files
- `prompts`: how an example becomes a prompt and a completion; the chat template
- `tiny_base`: the tiny Mistral-architecture base model and its locally trained tokenizer
- `fit`: TRL SFTTrainer + PEFT LoRA (+ bitsandbytes NF4), checkpoints, resume, the run record
- `generation`: batched greedy generation with left padding, and the model's confidence
- `text`, `scorers`: reading answers, and judging them against facts and references
- `metrics`: accuracy by group, ECE, MCE, Brier, the reliability diagram
- `evaluate`: answers + scores -> `schemas.EvalReport`

train/ never imports curate, except `curate.schemas.errors`; see docs/train.md.
"""
