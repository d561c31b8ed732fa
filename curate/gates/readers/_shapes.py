"""Record shapes: which one a record is in, said in a way a user can check.

A record is tried against the shapes in `ORDER` and read by the first that claims it: structured
fields before a `text` field (the tatsu-lab Alpaca data has both `output` and `text`), and special
tokens before `###` headers (a ChatML prompt may quote an Alpaca one).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from curate.gates.readers import (
    _alpaca,
    _chatml,
    _gemma,
    _inst,
    _llama3,
    _openai,
    _prompt_completion,
    _sharegpt,
    _text_alpaca,
)
from curate.gates.readers._common import RecordError, present, type_name

ORDER: tuple[ModuleType, ...] = (_openai, _sharegpt, _prompt_completion, _alpaca, _chatml, _llama3, _gemma, _inst,
                                 _text_alpaca)
SHAPES: dict[str, ModuleType] = {shape.NAME: shape for shape in ORDER}
ANY_SHAPE = ("instruction/output, messages, conversations, prompt/completion, or a 'text' field in Alpaca, "
             "ChatML, Llama-3, Gemma or [INST] form")


class NoShape(RecordError):
    """No shape claims the record; the message says what it looked like instead."""


def detect(record: Any) -> ModuleType:
    if not isinstance(record, dict):
        raise NoShape(f"it is {type_name(record)}, not an object")
    if present(record, "chosen") and present(record, "rejected"):
        raise NoShape("a preference pair (chosen/rejected), not an SFT example: curate reads one answer per "
                      "prompt; keep the chosen answer as 'completion' to check it")
    for shape in ORDER:
        if shape.claims(record):
            return shape
    if isinstance(record.get("text"), str):
        raise NoShape("a 'text' field in no chat template curate knows (plain text has no prompt and answer)")
    fields = ", ".join(sorted(key for key in record if present(record, key))) or "no fields"
    raise NoShape(f"no prompt and answer fields; it has {fields}")
