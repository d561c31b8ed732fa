"""A conversation (turns with roles) as one pair: the answer is the last assistant turn, the question
the user turn before it, and everything earlier is context.

Shared by the shapes that hold turns: OpenAI `messages`, ShareGPT `conversations`, ChatML text,
`[INST]` text and conversational prompt/completion.
"""

from __future__ import annotations

from typing import Any

from curate.gates.readers._common import Pair, RecordError, shorten, strip_end_tokens, type_name

ROLES = {
    "system": "system", "developer": "system",
    "user": "user", "human": "user",
    "assistant": "assistant", "gpt": "assistant", "chatgpt": "assistant", "model": "assistant", "bot": "assistant",
}

TEXT_PARTS = ("text", "input_text", "output_text")  # chat completions; the responses API


def role_of(value: Any, turn: int) -> str:
    role = ROLES.get(str(value).strip().lower()) if isinstance(value, str) else None
    if role is None:
        raise RecordError(f"turn {turn} has role {shorten(str(value), 20)}, not system, user or assistant "
                          "(tool-use conversations are not SFT pairs)")
    return role


def content_text(value: Any, turn: int) -> str:
    """A turn's content: a string, or OpenAI content parts of type text."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for part in value:
            if isinstance(part, str):
                texts.append(part)
            elif _is_text_part(part):
                texts.append(part["text"])
            else:
                kind = part.get("type") if isinstance(part, dict) else type_name(part)
                raise RecordError(f"turn {turn} has a {kind} part; only text parts are read")
        return "\n".join(texts)
    raise RecordError(f"turn {turn} has content that is {type_name(value)}, not text")


def _is_text_part(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type", "text") in TEXT_PARTS and isinstance(part.get("text"), str)


def pair_from_turns(turns: list[tuple[str, str]], shape: str) -> Pair:
    """`turns` are (role, text) with roles already one of system, user, assistant."""
    if not turns:
        raise RecordError("the conversation has no turns")
    answers = [index for index, (role, _) in enumerate(turns) if role == "assistant"]
    if not answers:
        raise RecordError("no assistant turn (the answer)")
    last = answers[-1]
    if last != len(turns) - 1:
        raise RecordError(f"turn {len(turns)} ({turns[-1][0]}) comes after the last assistant turn; "
                          "the answer must be the last turn")
    before = turns[:last]
    asks = [index for index, (role, _) in enumerate(before) if role == "user"]
    if not asks:
        raise RecordError("no user turn before the answer")
    ask = asks[-1]
    system = "\n\n".join(text.strip() for role, text in before if role == "system" and text.strip())
    history = [f"{role}: {text.strip()}" for index, (role, text) in enumerate(before)
               if role != "system" and index != ask]
    return Pair(instruction=before[ask][1].strip(), output=strip_end_tokens(turns[last][1]),
                input="\n".join(history), system=system, shape=shape)
