"""ShareGPT: `conversations` holding {from, value} turns; `from` is human, gpt or system (user and
assistant too)."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair, RecordError, type_name
from curate.gates.readers._conversation import content_text, pair_from_turns, role_of

NAME = "sharegpt"
EXAMPLE = '{"conversations": [{"from": "human", "value": "prompt"}, {"from": "gpt", "value": "answer"}]}'


def claims(record: dict[str, Any]) -> bool:
    return isinstance(record.get("conversations"), list)


def read(record: dict[str, Any]) -> Pair:
    value = record.get("conversations")
    if not isinstance(value, list):
        raise RecordError("no 'conversations' list" if value is None else
                          f"'conversations' is {type_name(value)}, not a list of turns")
    turns = []
    for number, turn in enumerate(value, start=1):
        if not isinstance(turn, dict) or "from" not in turn or "value" not in turn:
            raise RecordError(f"turn {number} of 'conversations' is not an object with 'from' and 'value'")
        turns.append((role_of(turn["from"], number), content_text(turn["value"], number)))
    return pair_from_turns(turns, NAME)
