"""`prompt` / `completion`: two strings (TRL's standard prompt-completion format), or two lists of
{role, content} turns (TRL's conversational one)."""

from __future__ import annotations

from typing import Any

from curate.gates.readers import _openai
from curate.gates.readers._common import Pair, RecordError, field_text, present, strip_end_tokens
from curate.gates.readers._conversation import pair_from_turns

NAME = "prompt-completion"
EXAMPLE = '{"prompt": "prompt", "completion": "answer"}'


def claims(record: dict[str, Any]) -> bool:
    return present(record, "prompt") and present(record, "completion")


def read(record: dict[str, Any]) -> Pair:
    prompt, completion = record.get("prompt"), record.get("completion")
    if isinstance(prompt, list) and isinstance(completion, list):
        turns = _openai.turns(prompt, "prompt") + _openai.turns(completion, "completion")
        return pair_from_turns(turns, NAME)
    if isinstance(prompt, list) or isinstance(completion, list):
        raise RecordError("'prompt' and 'completion' must both be strings or both be lists of turns")
    if completion is None:
        raise RecordError("no 'completion' field")
    return Pair(instruction=field_text(record, "prompt"), output=strip_end_tokens(field_text(record, "completion")),
                shape=NAME)
