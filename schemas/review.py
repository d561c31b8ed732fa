"""A biologist's judgement of one answer, as pulled from Argilla."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REVIEW_SCHEMA = "curate.review/1"
Verdict = Literal["correct", "partly_correct", "wrong"]
VERDICTS: tuple[str, ...] = Verdict.__args__  # type: ignore[attr-defined]
ErrorType = Literal[
    "wrong_number", "wrong_direction", "wrong_category", "unsupported_claim", "overclaiming", "unclear_question"
]
ERROR_TYPES: tuple[str, ...] = ErrorType.__args__  # type: ignore[attr-defined]
ResponseStatus = Literal["submitted", "draft", "discarded"]


def review_id(dataset: str, record_id: str, annotator_id: str) -> str:
    """One review per annotator and record: it keeps its id when the annotator edits it."""
    payload = f"{dataset}\n{record_id}\n{annotator_id}".encode()
    return "rv-" + hashlib.sha256(payload).hexdigest()[:12]


class Review(BaseModel):
    """One annotator's response to one record: the verdict, the correction and why."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: str = Field(default=REVIEW_SCHEMA, alias="schema")
    id: str = Field(pattern=r"^rv-[0-9a-f]{12}$")
    dataset: str = Field(description="The Argilla dataset the record lives in.")
    example_id: str = Field(description="The record id, which is the id of the reviewed example.")
    source: Literal["example", "eval"] = Field(description="A generated example, or a model's answer in an eval.")
    eval_id: str | None = None
    version: str | None = Field(default=None, description="The dataset version the record was pushed from.")
    kind: str
    tissue: str
    fact_ids: list[str] = Field(default_factory=list)
    template_id: str = ""
    question: str
    answer: str = Field(description="The answer as the reviewer saw it.")
    annotator: str = Field(description="The Argilla username.")
    annotator_id: str
    status: ResponseStatus
    verdict: Verdict | None = None
    corrected_answer: str | None = None
    error_types: list[ErrorType] = Field(default_factory=list)
    confidence: int | None = Field(default=None, ge=1, le=5)
    note: str | None = None
    answered_at: str = Field(description="When the response was last saved in Argilla (UTC, ISO 8601).")
    snapshot: str = Field(description="The raw snapshot file this review was read from.")

    @property
    def is_error(self) -> bool:
        """Submitted, and judged wrong or partly correct."""
        return self.status == "submitted" and self.verdict in ("wrong", "partly_correct")
