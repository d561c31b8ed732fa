"""Every common SFT format, written the way the tools that make it write it, read by `curate lint`,
`curate import` and `curate eval score`; and bad input in each: one line, exit 2, nothing written.

The records are three answers about the study: one right, one with a wrong response class (the
hippocampus is Type B) and one with a wrong number (heart under IR is not 330), so that a format read
wrongly shows up as missing or extra findings, not only as a parse error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_curate

from curate.gates.readers import load_dataset, parse_format, read_answers
from curate.schemas.errors import BadInputError

SYSTEM = "You are a careful biologist. Answer from the KMP spaceflight study."
PAIRS = [
    ("How many genes does hindlimb unloading change in the liver of vehicle-treated mice?",
     "In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down)."),
    ("What is the KMP response class of the hippocampus?", "Hippocampus is a Type A (stress-activated) tissue."),
    ("How many DEGs does ionizing radiation cause in heart?", "In heart, ionizing radiation (IR) changes 330 genes."),
]
EARLIER = [("Which tissues were sequenced?", "Heart, hippocampus, liver and soleus.")]  # a first exchange

# Chat templates as the model repositories ship them: SmolLM2-135M-Instruct (ChatML, from its GGUF),
# meta-llama/Llama-2-7b-chat-hf and mistralai/Mistral-7B-Instruct-v0.1 (tokenizer_config.json).
CHATML = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
          "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
          "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
LLAMA2 = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
          "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
          "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
          "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
          "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
          "{% if loop.index0 == 0 and system_message != false %}"
          "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
          "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
          "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
          "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")
MISTRAL = ("{{ bos_token }}{% for message in messages %}"
           "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
           "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
           "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
           "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
           "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}")
# meta-llama/Meta-Llama-3-8B-Instruct and google/gemma-7b-it (tokenizer_config.json).
LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}"
          "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
          "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
          "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
GEMMA = ("{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
         "{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
         "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
         "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}"
         "{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
         "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}")
# Stanford Alpaca's train.py PROMPT_DICT; tatsu-lab/alpaca's `text` column is the prompt plus the output.
ALPACA_PROMPT = ("Below is an instruction that describes a task. Write a response that appropriately completes "
                 "the request.\n\n### Instruction:\n{instruction}\n\n### Response:\n")
ALPACA_PROMPT_INPUT = ("Below is an instruction that describes a task, paired with an input that provides further "
                       "context. Write a response that appropriately completes the request.\n\n"
                       "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n")


def _messages(question: str, answer: str, *, system: bool = True, earlier: bool = False) -> list[dict[str, str]]:
    turns = [{"role": "system", "content": SYSTEM}] if system else []
    for asked, said in (EARLIER if earlier else []):
        turns += [{"role": "user", "content": asked}, {"role": "assistant", "content": said}]
    return [*turns, {"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def _render(template: str, conversations: list[list[dict[str, str]]], bos: str = "<s>", eos: str = "</s>") -> list[str]:
    """Through transformers' own `apply_chat_template`, as an SFT script would."""
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from transformers import PreTrainedTokenizerFast

    vocab = {"<unk>": 0, bos: 1, eos: 2}
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(WordLevel(vocab, unk_token="<unk>")),
                                        bos_token=bos, eos_token=eos, unk_token="<unk>")
    tokenizer.chat_template = template
    return [str(tokenizer.apply_chat_template(turns, tokenize=False)) for turns in conversations]


# -- writers: one realistic file (or folder) per format -----------------------------------------------
def _tatsu_alpaca_parquet(folder: Path) -> Path:
    """tatsu-lab/alpaca's layout (instruction, input, output and the rendered text), written by pandas."""
    import pandas as pd

    rows = [{"instruction": q, "input": "", "output": a, "text": ALPACA_PROMPT.format(instruction=q) + a}
            for q, a in PAIRS]
    path = folder / "train-00000-of-00001-a09b74b3ef9c3b56.parquet"
    pd.DataFrame(rows).to_parquet(path)
    return path


def _text_alpaca_jsonl(folder: Path) -> Path:
    """A `text` column only, the way SFT scripts flatten Alpaca before training (datasets' to_json)."""
    import datasets

    texts = [ALPACA_PROMPT_INPUT.format(instruction=q, input="Vehicle-treated mice, bulk RNA-seq.") + a + "</s>"
             if number == 1 else ALPACA_PROMPT.format(instruction=q) + a + "</s>"
             for number, (q, a) in enumerate(PAIRS)]
    path = folder / "alpaca_text.jsonl"
    datasets.Dataset.from_dict({"text": texts}).to_json(str(path))
    return path


def _chatml_datasets_folder(folder: Path) -> Path:
    """ChatML text (SmolLM2's template) in a DatasetDict saved with save_to_disk, the last record as test."""
    import datasets

    datasets.disable_progress_bars()
    texts = _render(CHATML, [_messages(q, a, earlier=number == 0) for number, (q, a) in enumerate(PAIRS)])
    path = folder / "chatml_hf"
    datasets.DatasetDict({"train": datasets.Dataset.from_dict({"text": texts[:2]}),
                          "test": datasets.Dataset.from_dict({"text": texts[2:]})}).save_to_disk(str(path))
    return path


def _llama2_jsonl(folder: Path) -> Path:
    """Llama-2 chat text with a <<SYS>> block, the first record two exchanges long (pandas' JSON lines)."""
    import pandas as pd

    texts = _render(LLAMA2, [_messages(q, a, earlier=number == 0) for number, (q, a) in enumerate(PAIRS)])
    path = folder / "llama2.jsonl"
    pd.DataFrame({"text": texts}).to_json(path, orient="records", lines=True)
    return path


def _mistral_csv(folder: Path) -> Path:
    """Mistral [INST] text (no system turn) in a CSV written by pandas."""
    import pandas as pd

    texts = _render(MISTRAL, [_messages(q, a, system=False) for q, a in PAIRS])
    path = folder / "mistral.csv"
    pd.DataFrame({"id": ["m1", "m2", "m3"], "text": texts}).to_csv(path, index=False)
    return path


def _llama3_json(folder: Path) -> Path:
    """Llama-3 chat text with a system turn, as a JSON list (datasets' to_json with lines=False)."""
    import datasets

    texts = _render(LLAMA3, [_messages(q, a) for q, a in PAIRS], bos="<|begin_of_text|>", eos="<|eot_id|>")
    path = folder / "llama3.json"
    datasets.Dataset.from_dict({"text": texts}).to_json(str(path), lines=False)
    return path


def _gemma_parquet(folder: Path) -> Path:
    """Gemma chat text (no system turn; the assistant is `model`) in a parquet file written by datasets."""
    import datasets

    texts = _render(GEMMA, [_messages(q, a, system=False) for q, a in PAIRS], bos="<bos>", eos="<eos>")
    path = folder / "gemma.parquet"
    datasets.Dataset.from_dict({"text": texts}).to_parquet(str(path))
    return path


def _sharegpt_json(folder: Path) -> Path:
    """A ShareGPT dump: a JSON list of {id, conversations: [{from, value}]}."""
    records = []
    for number, (q, a) in enumerate(PAIRS):
        turns = [{"from": "system", "value": SYSTEM}]
        for asked, said in (EARLIER if number == 0 else []):
            turns += [{"from": "human", "value": asked}, {"from": "gpt", "value": said}]
        turns += [{"from": "human", "value": q}, {"from": "gpt", "value": a}]
        records.append({"id": f"sg{number}", "conversations": turns})
    path = folder / "sharegpt.json"
    path.write_text(json.dumps(records, indent=2))
    return path


def _openai_jsonl(folder: Path) -> Path:
    """An OpenAI fine-tuning file: {messages} per line, user content given as text parts."""
    lines = []
    for q, a in PAIRS:
        turns = _messages(q, a)
        turns[1]["content"] = [{"type": "text", "text": q}]  # type: ignore[assignment]
        lines.append(json.dumps({"messages": turns}))
    path = folder / "openai.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _prompt_completion_hub_folder(folder: Path) -> Path:
    """TRL's conversational prompt/completion, as a Hub dataset repo holds it: data/<split>-*.parquet."""
    import datasets

    datasets.disable_progress_bars()
    rows = [{"prompt": _messages(q, a)[:-1], "completion": _messages(q, a)[-1:]} for q, a in PAIRS]
    path = folder / "pc_repo"
    (path / "data").mkdir(parents=True)
    datasets.Dataset.from_list(rows[:2]).to_parquet(str(path / "data" / "train-00000-of-00001.parquet"))
    datasets.Dataset.from_list(rows[2:]).to_parquet(str(path / "data" / "test-00000-of-00001.parquet"))
    (path / "README.md").write_text("---\nlicense: cc-by-4.0\n---\n")
    return path


def _prompt_completion_jsonl(folder: Path) -> Path:
    """TRL's standard prompt/completion strings, written by datasets' to_json."""
    import datasets

    path = folder / "pc.jsonl"
    datasets.Dataset.from_dict({"prompt": [q for q, _ in PAIRS], "completion": [a for _, a in PAIRS]}).to_json(
        str(path))
    return path


WRITERS = {
    "alpaca": (_tatsu_alpaca_parquet, "parquet/alpaca"),
    "text-alpaca": (_text_alpaca_jsonl, "jsonl/text-alpaca"),
    "chatml": (_chatml_datasets_folder, "datasets/chatml"),
    "llama3": (_llama3_json, "json/llama3"),
    "gemma": (_gemma_parquet, "parquet/gemma"),
    "inst-llama2": (_llama2_jsonl, "jsonl/inst"),
    "inst-mistral": (_mistral_csv, "csv/inst"),
    "sharegpt": (_sharegpt_json, "json/sharegpt"),
    "openai": (_openai_jsonl, "jsonl/openai"),
    "prompt-completion": (_prompt_completion_jsonl, "jsonl/prompt-completion"),
    "prompt-completion-chat": (_prompt_completion_hub_folder, "parquet/prompt-completion"),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {name: writer(folder) for name, (writer, _) in WRITERS.items()}


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_format_reads_the_same_pairs(written: dict[str, Path], name: str) -> None:
    loaded = load_dataset(written[name])
    assert loaded.format == WRITERS[name][1]
    assert [(item.instruction, item.output) for item in loaded.items] == PAIRS
    has_system = name not in ("alpaca", "text-alpaca", "gemma", "inst-mistral", "prompt-completion")
    inputs = [item.input for item in loaded.items[1:]]  # the first may be two exchanges long
    if name == "text-alpaca":
        assert inputs == ["Vehicle-treated mice, bulk RNA-seq.", ""]
    else:
        assert inputs == [SYSTEM if has_system else ""] * 2


@pytest.mark.parametrize("name", list(WRITERS))
def test_lint_and_import_read_each_format(written: dict[str, Path], name: str, tmp_path: Path) -> None:
    lint = run_curate("lint", str(written[name]), "--json", home=tmp_path)
    assert lint.returncode == 1, lint.stderr
    data = lint.json()
    assert data["format"] == WRITERS[name][1] and data["n_records"] == 3
    ids = [item.id for item in load_dataset(written[name]).items]  # the records' own, or #1, #2, #3
    findings = data["report"]["gates"]["claims"]["findings"]
    assert {(f["example_id"], f["type"]) for f in findings} == {(ids[1], "wrong_class"), (ids[2], "wrong_number")}

    imported = run_curate("import", str(written[name]), "--json", home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.json()["generator_config"]["format"] == WRITERS[name][1]
    rows = [json.loads(line) for line in (tmp_path / "versions" / "v1" / "examples.jsonl").read_text().splitlines()]
    assert sorted((row["instruction"], row["output"]) for row in rows) == sorted(PAIRS)


def test_a_conversation_is_its_last_answer_with_the_turns_before_it_as_context(written: dict[str, Path]) -> None:
    """Multi-turn: the last assistant turn is the answer, the user turn before it the instruction; the
    system prompt and the earlier exchange are the input."""
    context = f"{SYSTEM}\n\nuser: {EARLIER[0][0]}\nassistant: {EARLIER[0][1]}"
    for name in ("chatml", "inst-llama2", "sharegpt"):
        first = load_dataset(written[name]).items[0]
        assert (first.instruction, first.output, first.input) == (*PAIRS[0], context), name


def test_splits_come_from_the_container(written: dict[str, Path]) -> None:
    assert [i.split for i in load_dataset(written["chatml"]).items] == ["train", "train", "test"]
    assert [i.split for i in load_dataset(written["prompt-completion-chat"]).items] == ["train", "train", "test"]
    assert [i.id for i in load_dataset(written["sharegpt"]).items] == ["sg0", "sg1", "sg2"]


def test_structured_fields_win_over_a_rendered_text_column(written: dict[str, Path]) -> None:
    """tatsu-lab/alpaca has both; the text is the same pair rendered, so the fields are read."""
    assert load_dataset(written["alpaca"]).format == "parquet/alpaca"
    assert load_dataset(written["alpaca"], "text-alpaca").format == "parquet/text-alpaca"


# -- --format ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "container", "shape"), [
    ("auto", None, None), ("jsonl", "jsonl", None), ("sharegpt", None, "sharegpt"),
    ("jsonl/sharegpt", "jsonl", "sharegpt"), ("ChatML", None, "chatml"), ("chat", None, "openai"),
    ("mistral", None, "inst"), ("parquet/prompt_completion", "parquet", "prompt-completion"),
])
def test_format_names(fmt: str, container: str | None, shape: str | None) -> None:
    choice = parse_format(fmt)
    assert (choice.container, choice.shape) == (container, shape)


@pytest.mark.parametrize("fmt", ["xml", "jsonl/xml", "jsonl/parquet", "sharegpt/openai", "a/b/c"])
def test_unknown_format_names_are_refused(fmt: str) -> None:
    with pytest.raises(BadInputError, match="unknown format"):
        parse_format(fmt)


def test_a_forced_shape_says_what_the_record_is_instead(written: dict[str, Path]) -> None:
    with pytest.raises(BadInputError, match=r"record 1: in openai form, not sharegpt; expected \{\"conversations\""):
        load_dataset(written["openai"], "sharegpt")
    assert load_dataset(written["openai"], "jsonl/openai").format == "jsonl/openai"


def test_a_json_file_holding_jsonl_and_a_wrapped_list(tmp_path: Path) -> None:
    lines = tmp_path / "train.json"  # many Hub .json files are JSON lines
    lines.write_text("\n".join(json.dumps({"question": q, "answer": a}) for q, a in PAIRS) + "\n")
    assert load_dataset(lines).format == "jsonl/question/answer"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"data": [{"instruction": q, "output": a} for q, a in PAIRS]}))
    assert [i.output for i in load_dataset(wrapped).items] == [a for _, a in PAIRS]


def test_a_text_file_of_alpaca_blocks_with_preambles(tmp_path: Path) -> None:
    path = tmp_path / "alpaca.txt"
    path.write_text("\n\n".join(ALPACA_PROMPT.format(instruction=q) + a for q, a in PAIRS) + "\n")
    loaded = load_dataset(path)
    assert loaded.format == "text/text-alpaca"
    assert [(i.instruction, i.output) for i in loaded.items] == PAIRS  # no preamble left in any answer


# -- eval score --------------------------------------------------------------------------------------
def test_eval_score_reads_chat_answers(tmp_path: Path) -> None:
    """A model's answers as ShareGPT records: the last gpt turn is judged; the record's own fields
    (fact_ids, expected) are used as in the {question, answer} form."""
    rows = [
        {"conversations": [{"from": "human", "value": "How many DEGs does HU cause in liver?"},
                           {"from": "gpt", "value": "HU causes 4,110 DEGs in liver."}],
         "fact_ids": ["deg_count:liver:HU"], "id": "a1"},
        {"conversations": [{"from": "system", "value": SYSTEM},
                           {"from": "human", "value": "How many DEGs does HU cause in liver?"},
                           {"from": "gpt", "value": "HU causes 4,110 DEGs in hippocampus."}],
         "fact_ids": ["deg_count:liver:HU"], "id": "a2"},
    ]
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    assert [(r["question"], r["answer"], r["id"]) for r in read_answers(answers)] == [
        ("How many DEGs does HU cause in liver?", "HU causes 4,110 DEGs in liver.", "a1"),
        ("How many DEGs does HU cause in liver?", "HU causes 4,110 DEGs in hippocampus.", "a2")]
    result = run_curate("eval", "score", str(answers), "--facts", "kmp-study", "--format", "jsonl/sharegpt",
                        "--json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    report = json.loads((Path(result.json()["path"]) / "report.json").read_text())
    assert [(item["example_id"], item["correct"]) for item in report["items"]] == [("a1", True), ("a2", False)]


def test_eval_score_keeps_an_empty_answer_to_score_it(tmp_path: Path) -> None:
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps({"question": "How many DEGs does HU cause in liver?", "answer": ""}) + "\n")
    assert read_answers(answers)[0]["answer"] == ""
    with pytest.raises(BadInputError, match="record 1: empty answer"):
        load_dataset(answers)  # as training data it is refused


# -- bad input ---------------------------------------------------------------------------------------
def _jsonl(*records: Any) -> bytes:
    return ("\n".join(json.dumps(record) for record in records) + "\n").encode()


GOOD_INST = {"text": "<s>[INST] How many genes does HU change in liver? [/INST] 4,110 genes. </s>"}
BAD = {
    "text-alpaca": (_jsonl({"text": "### Instruction:\nHow many genes?\n\n### Input:\nliver"}),
                    "record 1: the text has ### Instruction but no ### Response; expected '### Instruction:"),
    "chatml": (_jsonl({"text": "<|im_start|>user\nHow many genes?\n<|im_start|>assistant\n4,110<|im_end|>"}),
               "record 1: turn 1 has no <|im_end|> before the next <|im_start|>; expected '<|im_start|>user"),
    "inst": (_jsonl(*[GOOD_INST] * 6, {"text": "<s>[INST] How many genes? 4,110 genes.</s>"}),
             "record 7: [INST] text has no [/INST]; expected '<s>[INST] prompt [/INST] answer</s>'"),
    "llama3": (_jsonl({"text": "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHow many genes?<|eot_id|>"
                                "<|start_header_id|>assistant\n\n4,110<|eot_id|>"}),
               "record 1: turn 2 has no role: a turn starts <|start_header_id|>ROLE<|end_header_id|>; expected"),
    "sharegpt": (_jsonl({"conversations": [{"from": "human", "value": "q"}, {"from": "function_call", "value": "{}"},
                                           {"from": "gpt", "value": "a"}]}),
                 "record 1: turn 2 has role 'function_call', not system, user or assistant"),
    "openai": (_jsonl({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"},
                                    {"role": "user", "content": "and?"}]}),
               "record 1: turn 3 (user) comes after the last assistant turn"),
    "prompt-completion": (_jsonl({"prompt": "q", "completion": [{"role": "assistant", "content": "a"}]}),
                          "'prompt' and 'completion' must both be strings or both be lists of turns"),
    "alpaca": (_jsonl({"instruction": "q", "output": "a"}, {"instruction": "q2", "input": ""}),
               "record 2: no answer field (output, response, answer, completion, target); it has input, instruction"),
    "preference": (_jsonl({"prompt": "q", "chosen": "a", "rejected": "b"}), "a preference pair (chosen/rejected)"),
    "mixed": (_jsonl({"instruction": "q", "output": "a"}, {"conversations": [{"from": "human", "value": "q"},
                                                                             {"from": "gpt", "value": "a"}]}),
              "record 2 is in sharegpt form but record 1 of data.jsonl is in alpaca form"),
    "plain-text": (_jsonl({"text": "Kaempferol is a flavonol."}), "a 'text' field in no chat template"),
}


@pytest.fixture(scope="module")
def home_with_v1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    good = home.parent / "good.jsonl"
    good.write_bytes(_jsonl(GOOD_INST))
    assert run_curate("import", str(good), home=home).returncode == 0
    return home


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_in_each_format_is_one_line_and_writes_nothing(home_with_v1: Path, tmp_path: Path,
                                                                 name: str) -> None:
    content, message = BAD[name]
    path = tmp_path / "data.jsonl"
    path.write_bytes(content)
    before = _tree(home_with_v1)
    for command in ("lint", "import"):
        result = run_curate(command, str(path), home=home_with_v1)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), result.stderr
        assert message in lines[0], lines[0]
    assert _tree(home_with_v1) == before, "the failed import left something in the registry"
    assert [v["version"] for v in run_curate("versions", "--json", home=home_with_v1).json()] == ["v1"]


def test_a_markdown_heading_inside_an_answer_stays_in_the_answer(tmp_path: Path) -> None:
    answer = "4,110 genes.\n\n### Answer\nA count.\n### Output format:\nplain"
    path = tmp_path / "data.jsonl"
    path.write_bytes(_jsonl({"text": ALPACA_PROMPT.format(instruction="How many genes?") + answer}))
    assert load_dataset(path).items[0].output == answer
    path.write_bytes(_jsonl({"text": "### Response:\n4,110\n\n### Instruction:\nHow many genes?"}))
    with pytest.raises(BadInputError, match="record 1: ### Response comes before any ### Instruction"):
        load_dataset(path)


def test_conversation_cells_of_a_csv_are_read_as_turns(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "chat.csv"
    pd.DataFrame({"messages": [json.dumps(_messages(q, a)) for q, a in PAIRS]}).to_csv(path, index=False)
    loaded = load_dataset(path)
    assert loaded.format == "csv/openai" and [(i.instruction, i.output) for i in loaded.items] == PAIRS
