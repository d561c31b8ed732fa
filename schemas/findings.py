"""A finding: one claim the facts do not support, wherever it was found (a gate, a scorer, review).

The claim check (`curate.judge`) and the eval scorers (`curate.train`) both report `Finding`s; gates.json,
an eval's report.json and review suggestions hold them as they are. Reports written before the two
shapes were one (a scorer's `{scorer, message, fact_id, expected, found}`, a gate's `{..., claim}`) still load.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

# What kind of claim each claim-check finding type is about.
CLAIM_KINDS = ("number", "category", "direction", "ordering")
CLAIM_TYPES = {
    "wrong_number": "number",
    "unsupported_number": "number",
    "wrong_arithmetic": "number",
    "wrong_threshold": "number",
    "unknown_fact": "number",
    "wrong_class": "category",
    "wrong_pattern": "category",
    "wrong_interaction": "category",
    "wrong_significance": "category",
    "wrong_direction": "direction",
    "wrong_order": "ordering",
    "wrong_superlative": "ordering",
}


class Finding(BaseModel):
    """One reason a text was judged wrong: what it says, what the facts say, and where."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(description="What is wrong: wrong_number, wrong_class, ... (for a scorer: its name).")
    check: str = Field(default="claims", description="The check that found it: claims, numeric, calibration, ...")
    message: str = ""
    found: str | None = Field(default=None, description="What the text says.")
    expected: str | None = Field(default=None, description="What the facts say.")
    fact_ids: tuple[str, ...] = Field(default=(), description="The facts the claim is about, when known.")
    start: int | None = Field(default=None, description="Where the claim starts in the text (characters).")
    end: int | None = None
    text: str = Field(default="", description="The text of the claim, text[start:end].")
    example_id: str = ""
    field: str = Field(default="output", description="The field of the example the claim is in.")

    @model_validator(mode="before")
    @classmethod
    def _older_shapes(cls, data: Any) -> Any:
        """A scorer's finding (`scorer`, `fact_id`) or a gate's (`claim`) from before the one shape."""
        if not isinstance(data, dict) or not ({"scorer", "fact_id", "claim"} & data.keys()):
            return data
        data = dict(data)
        data.pop("claim", None)
        if "scorer" in data:
            data["check"] = data.pop("scorer")
            data.setdefault("type", data["check"])
        if "fact_id" in data:
            fact_id = data.pop("fact_id")
            data.setdefault("fact_ids", (fact_id,) if fact_id else ())
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def claim(self) -> str:
        """number, category, direction or ordering (claim-check findings); other for the rest."""
        return CLAIM_TYPES.get(self.type, "other")

    @property
    def scorer(self) -> str:
        return self.check

    @property
    def fact_id(self) -> str | None:
        return self.fact_ids[0] if self.fact_ids else None

    def with_example(self, example_id: str) -> Finding:
        return self.model_copy(update={"example_id": example_id})
