"""Llama-3 in a `text` field: `<|start_header_id|>role<|end_header_id|>\\n\\ncontent<|eot_id|>` turns."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair
from curate.gates.readers._conversation import pair_from_turns
from curate.gates.readers._delimited import Template, turns
from curate.gates.readers._text_field import template_text

NAME = "llama3"
EXAMPLE = (r"'<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nprompt<|eot_id|>"
           r"<|start_header_id|>assistant<|end_header_id|>\n\nanswer<|eot_id|>'")
TEMPLATE = Template(start="<|start_header_id|>", role_end="<|end_header_id|>", end="<|eot_id|>",
                    ignorable=("<|begin_of_text|>", "<|end_of_text|>"))


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and TEMPLATE.start in text


def read(record: dict[str, Any]) -> Pair:
    return pair_from_turns(turns(template_text(record, TEMPLATE.start), TEMPLATE), NAME)
