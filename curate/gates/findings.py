"""A finding: one claim, duplicate or gap a gate found, with where it is and what the facts say."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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


@dataclass(frozen=True)
class Finding:
    """One claim the facts do not support."""

    type: str
    start: int
    end: int
    text: str
    found: str
    expected: str
    fact_ids: tuple[str, ...] = ()
    message: str = ""
    example_id: str = ""
    field: str = "output"

    @property
    def claim(self) -> str:
        return CLAIM_TYPES.get(self.type, "number")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["fact_ids"] = list(self.fact_ids)
        out["claim"] = self.claim
        return out

    def with_example(self, example_id: str) -> Finding:
        return Finding(self.type, self.start, self.end, self.text, self.found, self.expected, self.fact_ids,
                       self.message, example_id, self.field)


