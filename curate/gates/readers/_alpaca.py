"""Alpaca fields: `instruction`, optional `input`, `output`, and the common synonyms
(`prompt`/`question`/`query`; `context`; `response`/`answer`/`target`; `system`/`system_prompt`).

The shape is named after the two fields read: "alpaca" for instruction/output, else e.g.
"question/answer", so that a file mixing the two is caught.
"""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair, RecordError, field_text, present, strip_end_tokens

NAME = "alpaca"
EXAMPLE = '{"instruction": "prompt", "input": "", "output": "answer"}'
PROMPT_FIELDS = ("instruction", "prompt", "question", "query")
INPUT_FIELDS = ("input", "context")
ANSWER_FIELDS = ("output", "response", "answer", "completion", "target")
SYSTEM_FIELDS = ("system", "system_prompt")


def claims(record: dict[str, Any]) -> bool:
    return any(present(record, key) for key in PROMPT_FIELDS + ANSWER_FIELDS)


def read(record: dict[str, Any]) -> Pair:
    prompt_key = next((key for key in PROMPT_FIELDS if present(record, key)), None)
    answer_key = next((key for key in ANSWER_FIELDS if present(record, key)), None)
    if answer_key is None:
        raise RecordError(f"no answer field ({', '.join(ANSWER_FIELDS)}); it has {_fields(record)}")
    if prompt_key is None:
        raise RecordError(f"no prompt field ({', '.join(PROMPT_FIELDS)}); it has {_fields(record)}")
    input_key = next((key for key in INPUT_FIELDS if present(record, key)), None)
    system_key = next((key for key in SYSTEM_FIELDS if present(record, key)), None)
    shape = NAME if (prompt_key, answer_key) == ("instruction", "output") else f"{prompt_key}/{answer_key}"
    return Pair(instruction=field_text(record, prompt_key), output=strip_end_tokens(field_text(record, answer_key)),
                input=field_text(record, input_key) if input_key else "",
                system=field_text(record, system_key) if system_key else "", shape=shape)


def _fields(record: dict[str, Any]) -> str:
    return ", ".join(sorted(key for key in record if present(record, key))) or "no fields"
