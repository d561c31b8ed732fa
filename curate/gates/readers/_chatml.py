"""ChatML in a `text` field: `<|im_start|>role\\ncontent<|im_end|>` turns (Qwen, SmolLM, OpenHermes...)."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair
from curate.gates.readers._conversation import pair_from_turns
from curate.gates.readers._delimited import Template, turns
from curate.gates.readers._text_field import template_text

NAME = "chatml"
EXAMPLE = r"'<|im_start|>user\nprompt<|im_end|>\n<|im_start|>assistant\nanswer<|im_end|>'"
TEMPLATE = Template(start="<|im_start|>", role_end="\n", end="<|im_end|>", ignorable=("<s>", "<|endoftext|>"))


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and TEMPLATE.start in text


def read(record: dict[str, Any]) -> Pair:
    return pair_from_turns(turns(template_text(record, TEMPLATE.start), TEMPLATE), NAME)
