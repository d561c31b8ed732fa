"""The prompt format: how an example becomes a prompt and a completion, in training and at evaluation.

Training and evaluation render prompts through the same chat template, so the model sees at test
time exactly the context it was trained on. A tokenizer that has no chat template gets
`CHAT_TEMPLATE`, Mistral's instruct format (`<s>[INST] question [/INST] answer</s>`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.schemas import Example

INST_OPEN = "[INST]"
INST_CLOSE = "[/INST]"
# The prompt ends on the special token [/INST], so prompt and completion never merge into one token.
CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'user' %}[INST] {{ message['content'] }} [/INST]"
    "{% elif message['role'] == 'assistant' %} {{ message['content'] }}{{ eos_token }}"
    "{% endif %}{% endfor %}"
)


def example_prompt(example: Example) -> str:
    """The user turn (`Example.prompt`)."""
    return example.prompt


def to_prompt_completion(example: Example) -> dict[str, list[dict[str, str]]]:
    """TRL's conversational prompt/completion row: the loss falls on the completion only."""
    return {
        "prompt": [{"role": "user", "content": example_prompt(example)}],
        "completion": [{"role": "assistant", "content": example.output}],
    }


def ensure_chat_template(tokenizer: Any) -> None:
    """Give a tokenizer without a chat template the project's default one."""
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = CHAT_TEMPLATE


def render_prompt(tokenizer: Any, text: str) -> str:
    """The exact string the model continues at generation time."""
    ensure_chat_template(tokenizer)
    rendered = tokenizer.apply_chat_template(
        [{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True
    )
    return str(rendered)
