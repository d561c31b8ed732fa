"""Fitting the tiny model in-process: the run record, batched generation, packing and 4-bit on CPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curate.generators import generate_examples
from curate.generators.embedded import load_default_factsheet
from curate.train.config import resolve_config
from curate.train.fit import fit
from curate.train.prompts import example_prompt
from curate.train.tiny_base import build_tiny_base

SHEET = load_default_factsheet()


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One thread: on a busy 2-core machine two spinning OpenMP threads make the fit several times slower."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def examples():
    return generate_examples(SHEET, tissues=["heart"], kinds=["factual_qa", "calibration"], seed=0, per_fact=1)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, examples) -> Path:
    folder = tmp_path_factory.mktemp("tiny-base") / "base"
    build_tiny_base([f"{example_prompt(e)} {e.output}" for e in examples if e.split == "train"], folder)
    return folder


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory, examples, base: Path) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("fit")
    record = fit(examples, base_model=base, config=resolve_config(preset="tiny"), work_dir=root / "work",
                 record_dir=root / "record", data_version="v1", data_hash="ab" * 32, show_progress=False)
    return root / "record", record


def test_tiny_base_loads_offline_with_auto_classes(base: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(str(base), local_files_only=True)
    config = model.config
    assert (config.model_type, config.hidden_size, config.num_hidden_layers) == ("mistral", 128, 2)
    assert (config.num_attention_heads, config.num_key_value_heads) == (4, 2)
    assert config.tie_word_embeddings and config.initializer_range == 0.1
    assert tokenizer.pad_token == "<pad>" and tokenizer.eos_token == "</s>"
    assert tokenizer.pad_token_id != tokenizer.eos_token_id
    rendered = tokenizer.apply_chat_template([{"role": "user", "content": "How many?"}], tokenize=False,
                                             add_generation_prompt=True)
    assert rendered == "<s>[INST] How many? [/INST]"
    text = "KMP changes 2,110 genes in heart under combined HU+IR."
    assert tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"]) == text


def test_fit_writes_a_complete_run_record(fitted: tuple[Path, dict], examples) -> None:
    record_dir, record = fitted
    assert (record_dir / "adapter" / "adapter_config.json").is_file()
    assert (record_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert (record_dir / "adapter" / "tokenizer.json").is_file()
    on_disk = json.loads((record_dir / "run.json").read_text())
    assert on_disk == json.loads(json.dumps(record))
    assert record["data_content_hash"] == "ab" * 32 and record["data_version"] == "v1"
    assert record["n_train_examples"] == sum(e.split == "train" for e in examples)
    assert record["device"] == "cpu" and record["quantized"] is False
    assert record["tokens"] > 0 and record["tokens_per_s"] > 0 and record["time_s"] > 0
    losses = [entry["loss"] for entry in json.loads((record_dir / "log.json").read_text()) if "loss" in entry]
    assert record["final_loss"] == losses[-1] < losses[0] / 3  # learned: a random model starts near ln(vocab)
    config = json.loads((record_dir / "config.json").read_text())
    assert (config["lora_r"], config["learning_rate"], config["num_train_epochs"]) == (16, 3e-3, 30)
    adapter_config = json.loads((record_dir / "adapter" / "adapter_config.json").read_text())
    assert set(adapter_config["target_modules"]) == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                                                     "up_proj", "down_proj"}


def test_loss_is_on_the_completion_only(base: Path, examples) -> None:
    """TRL's prompt/completion format masks the prompt: labels are -100 there."""
    import datasets
    from trl import SFTConfig, SFTTrainer

    from curate.train.fit import load_base
    from curate.train.prompts import to_prompt_completion

    model, tokenizer = load_base(base, quantize=False, on_cuda=False)
    rows = [to_prompt_completion(e) for e in examples[:4]]
    trainer = SFTTrainer(model=model, args=SFTConfig(output_dir="/tmp/unused", use_cpu=True, bf16=False,
                                                     report_to="none", completion_only_loss=True),
                         train_dataset=datasets.Dataset.from_list(rows), processing_class=tokenizer)
    batch = trainer.data_collator([trainer.train_dataset[0]])
    labels, ids = batch["labels"][0].tolist(), batch["input_ids"][0].tolist()
    first = next(i for i, label in enumerate(labels) if label != -100)
    assert tokenizer.decode(ids[:first]).endswith("[/INST]")
    assert tokenizer.decode([t for t in labels if t != -100]).strip() == examples[0].output + "</s>"


def test_a_warm_start_goes_on_training_the_given_adapter(tmp_path: Path, fitted: tuple[Path, dict], base: Path,
                                                         examples) -> None:
    adapter = fitted[0] / "adapter"
    record = fit(examples, base_model=base, config=resolve_config(preset="tiny", overrides={"max_steps": 2}),
                 work_dir=tmp_path / "work", record_dir=tmp_path / "rec", data_version="v2", data_hash="ef" * 32,
                 show_progress=False, init_adapter=adapter)
    assert record["init_adapter"] == str(adapter) and record["global_step"] == 2
    assert record["train_loss"] < fitted[1]["train_loss"]  # it starts from what the first fit learned
    from curate.schemas.errors import BadInputError

    with pytest.raises(BadInputError, match=r"no adapter_config\.json"):
        fit(examples, base_model=base, config=resolve_config(preset="tiny"), work_dir=tmp_path / "w2",
            record_dir=tmp_path / "r2", data_version="v2", data_hash="ef" * 32, init_adapter=tmp_path)


def test_completion_head_gives_trl_s_loss_and_gradients(base: Path, examples) -> None:
    """Projecting only the labelled positions is the same loss, and the same LoRA gradients, as TRL's own."""
    import datasets
    import torch
    from trl import SFTConfig

    from curate.train.completion_loss import applies, completion_loss, trainer_class
    from curate.train.fit import load_base, lora_config
    from curate.train.prompts import to_prompt_completion

    model, tokenizer = load_base(base, quantize=False, on_cuda=False)
    config = resolve_config(preset="tiny", overrides={"lora_layers": 1})
    trainer = trainer_class()(model=model, args=SFTConfig(output_dir="/tmp/unused", use_cpu=True, bf16=False,
                                                          report_to="none", completion_only_loss=True),
                              train_dataset=datasets.Dataset.from_list([to_prompt_completion(e) for e in examples[:6]]),
                              processing_class=tokenizer, peft_config=lora_config(config, 2))
    trained = [name for name, p in trainer.model.named_parameters() if p.requires_grad]
    assert trained and all(".layers.1." in name for name in trained)  # lora_layers=1: the last of 2 layers
    assert applies(trainer.model, 1) and not applies(trainer.model, 2)
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(6)])
    trainer.model.train()
    ours = completion_loss(trainer.model, dict(batch))
    ours.backward()
    ours_grads = [p.grad.clone() for p in trainer.model.parameters() if p.requires_grad]
    trainer.model.zero_grad()
    theirs = super(type(trainer), trainer).compute_loss(trainer.model, dict(batch))
    theirs.backward()
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-5)
    for mine, reference in zip(ours_grads, (p.grad for p in trainer.model.parameters() if p.requires_grad),
                               strict=True):
        assert torch.allclose(mine, reference, atol=1e-6)


def test_batched_generation_equals_one_at_a_time(fitted: tuple[Path, dict], base: Path, examples) -> None:
    from curate.train.generation import generate, load_for_generation

    model, tokenizer = load_for_generation(base, fitted[0] / "adapter")
    prompts = [example_prompt(e) for e in examples[:24]]  # both splits: learned and unseen questions
    single = generate(model, tokenizer, prompts, batch_size=1, max_new_tokens=48)  # plain model.generate
    for batch_size in (3, 8):  # rolling batches: rows leave and join mid-way
        batched = generate(model, tokenizer, prompts, batch_size=batch_size, max_new_tokens=48)
        assert [g.text for g in batched] == [g.text for g in single]
        assert [g.n_tokens for g in batched] == [g.n_tokens for g in single]
        assert all(abs(a.confidence - b.confidence) < 1e-4 for a, b in zip(batched, single, strict=True))
    assert all(0 < g.confidence <= 1 and g.n_tokens > 0 for g in batched)
    assert len({g.text for g in batched}) > 1


@pytest.mark.slow
@pytest.mark.parametrize("override", [{"packing": True}, {"quantize": True}], ids=["packing", "nf4-cpu"])
def test_packing_and_4bit_fit_on_cpu(tmp_path: Path, base: Path, examples, override: dict) -> None:
    config = resolve_config(preset="tiny", overrides={**override, "max_steps": 3})
    record = fit(examples, base_model=base, config=config, work_dir=tmp_path / "work", record_dir=tmp_path / "rec",
                 data_version="v1", data_hash="cd" * 32, show_progress=False)
    assert record["global_step"] == 3
    assert record["quantized"] is bool(override.get("quantize"))
    assert record["packing"] is bool(override.get("packing"))
    assert (tmp_path / "rec" / "adapter" / "adapter_model.safetensors").is_file()


def test_config_file_overrides_the_preset(tmp_path: Path) -> None:
    from curate.schemas.errors import BadInputError

    yaml_file = tmp_path / "recipe.yaml"
    yaml_file.write_text("lora_r: 8\nlearning_rate: 0.0005\n")
    config = resolve_config(preset="tiny", config_file=yaml_file, overrides={"packing": True, "quantize": None})
    assert (config.lora_r, config.learning_rate, config.num_train_epochs, config.packing) == (8, 5e-4, 30, True)
    study = resolve_config()
    assert (study.lora_r, study.lora_alpha, study.lora_dropout, study.num_train_epochs) == (64, 128, 0.05, 10)
    assert (study.learning_rate, study.warmup_ratio, study.weight_decay, study.max_length) == (1e-4, 0.1, 0.01, 1536)
    assert (study.per_device_train_batch_size, study.gradient_accumulation_steps) == (4, 4)
    bad = tmp_path / "bad.json"
    bad.write_text('{"lora_rank": 8}')
    with pytest.raises(BadInputError, match="lora_rank"):
        resolve_config(config_file=bad)
