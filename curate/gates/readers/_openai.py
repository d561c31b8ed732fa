"""OpenAI / TRL chat: `messages` (or `conversations`) holding {role, content} turns; content is a
string or a list of text parts."""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair, RecordError, present, type_name
from curate.gates.readers._conversation import content_text, pair_from_turns, role_of

NAME = "openai"
EXAMPLE = ('{"messages": [{"role": "user", "content": "prompt"}, '
           '{"role": "assistant", "content": "answer"}]}')


def claims(record: dict[str, Any]) -> bool:
    if present(record, "messages"):
        return True
    turns = record.get("conversations")
    return isinstance(turns, list) and bool(turns) and isinstance(turns[0], dict) and "role" in turns[0]


def read(record: dict[str, Any]) -> Pair:
    key = "messages" if present(record, "messages") or not present(record, "conversations") else "conversations"
    return pair_from_turns(turns(record.get(key), key), NAME)


def turns(value: Any, key: str) -> list[tuple[str, str]]:
    """{role, content} turns as (role, text); also used by conversational prompt/completion."""
    if not isinstance(value, list):
        raise RecordError(f"no {key!r} list of turns" if value is None else f"{key!r} is {type_name(value)}, "
                          "not a list of turns")
    read_turns = []
    for number, turn in enumerate(value, start=1):
        if not isinstance(turn, dict) or "role" not in turn or "content" not in turn:
            raise RecordError(f"turn {number} of {key!r} is not an object with 'role' and 'content'")
        read_turns.append((role_of(turn["role"], number), content_text(turn["content"], number)))
    return read_turns
