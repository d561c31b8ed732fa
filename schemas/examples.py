"""A training or test example, and the kinds of example generators make."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from curate.files import sha256_bytes

ExampleKind = Literal[
    "factual_qa",
    "comparison",
    "chain_of_thought",
    "interaction_prediction",
    "design_critique",
    "counterfactual",
    "calibration",
    "error_correction",
]
EXAMPLE_KINDS: tuple[str, ...] = ExampleKind.__args__  # type: ignore[attr-defined]
Split = Literal["train", "validation", "test"]
SPLITS: tuple[str, ...] = Split.__args__  # type: ignore[attr-defined]
CROSS_TISSUE = "cross-tissue"

# The fields that make an example what it is. The split is not one of them: moving an example
# between splits does not change its id.
CONTENT_FIELDS = ("kind", "tissue", "instruction", "input", "output", "fact_ids", "template_id", "answerable")


def content_id(data: dict[str, Any]) -> str:
    """The example id: sha256 of its content fields, as canonical JSON, shortened to 16 hex digits."""
    payload = {k: data.get(k, _DEFAULTS.get(k)) for k in CONTENT_FIELDS}
    payload["fact_ids"] = list(payload["fact_ids"] or [])
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256_bytes(canonical.encode("utf-8"))[:16]


_DEFAULTS: dict[str, Any] = {"input": "", "fact_ids": [], "template_id": "", "answerable": True}
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


def join_prompt(instruction: str, input_text: str = "") -> str:
    """The one way a prompt is built: the instruction, then the input (context) when there is one.
    Training, dedup, leakage, drills, review and the judge all see this string."""
    return f"{instruction}\n\n{input_text}" if input_text.strip() else instruction


def normalise_text(text: str) -> str:
    """The one text normaliser (dedup, drills, cards): NFKC, straight quotes, lower case, single spaces,
    no trailing punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _SPACES.sub(" ", text).strip().rstrip(".?!:; ")


class Example(BaseModel):
    """One instruction-tuning example. Its id is a hash of its content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    kind: ExampleKind
    tissue: str = Field(description=f"A tissue slug, or '{CROSS_TISSUE}' for examples spanning tissues.")
    instruction: str = Field(min_length=1)
    input: str = ""
    output: str = Field(min_length=1)
    fact_ids: list[str] = Field(default_factory=list, description="Ids of the facts the output states.")
    template_id: str = ""
    answerable: bool = Field(default=True, description="False for questions the data cannot answer.")
    split: Split = "train"
    origin: Literal["generated", "drill", "correction", "imported"] = "generated"
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        expected = content_id(data)
        given = data.get("id")
        if given and given != expected:
            raise ValueError(f"example id {given!r} does not match its content (expected {expected!r})")
        return {**data, "id": expected}

    @property
    def prompt(self) -> str:
        """What the model is asked (`join_prompt` of the instruction and the input)."""
        return join_prompt(self.instruction, self.input)