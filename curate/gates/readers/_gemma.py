"""Gemma in a `text` field: `<start_of_turn>user\\ncontent<end_of_turn>` turns; the assistant is `model`."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair
from curate.gates.readers._conversation import pair_from_turns
from curate.gates.readers._delimited import Template, turns
from curate.gates.readers._text_field import template_text

NAME = "gemma"
EXAMPLE = r"'<bos><start_of_turn>user\nprompt<end_of_turn>\n<start_of_turn>model\nanswer<end_of_turn>'"
TEMPLATE = Template(start="<start_of_turn>", role_end="\n", end="<end_of_turn>", ignorable=("<bos>",))


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and TEMPLATE.start in text


def read(record: dict[str, Any]) -> Pair:
    return pair_from_turns(turns(template_text(record, TEMPLATE.start), TEMPLATE), NAME)
