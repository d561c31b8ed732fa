"""What an evaluation of a fitted model found: one item per question, and the report over them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from curate.schemas.findings import Finding

EVAL_SCHEMA = "curate.eval/1"


class EvalItem(BaseModel):
    """One question put to the model, its answer, and the verdict of every scorer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    example_id: str
    kind: str
    tissue: str
    fact_ids: list[str] = Field(default_factory=list)
    question: str
    reference: str = Field(description="The expected answer (the example's output); empty when none was given.")
    answer: str = Field(description="What the model said.")
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="The model's own confidence: mean probability of its generated tokens. None when unknown.",
    )
    answerable: bool = True
    answerable_category: str = Field(default="", description="The answerability model's row: deg_count, dose, ...")
    answerable_reason: str = Field(default="", description="Why the question is (not) answerable.")
    declines: bool = Field(default=False, description="Whether the answer declines to answer.")
    asks: list[str] = Field(default_factory=list, description="The facts the question asks about.")
    facts_used: list[str] = Field(default_factory=list, description="The facts the answer states (bound claims).")
    verdicts: dict[str, bool | None] = Field(
        default_factory=dict, description="Check name to pass (True), fail (False) or not applicable (None): 'judge' "
        "decides; 'ref_*' are evidence from the reference answer."
    )
    findings: list[Finding] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list, description="Why the answer is wrong, one line each.")
    correct: bool


class EvalReport(BaseModel):
    """An evaluation of one adapter (or a base model, or imported answers) on one split."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: str = Field(default=EVAL_SCHEMA, alias="schema")
    id: str = Field(default="", description="The eval id in the registry (evals/<id>/); empty until saved.")
    version: str | None = Field(default=None, description="The dataset version the questions came from.")
    run_id: str | None = Field(default=None, description="The training run whose adapter answered.")
    adapter: str | None = Field(default=None, description="Path of the adapter, or None for a bare base model.")
    base_model: str | None = None
    facts_name: str
    split: str
    created: str = Field(description="UTC time, ISO 8601.")
    n_items: int = Field(ge=0)
    n_correct: int = Field(ge=0)
    accuracy: float = Field(ge=0, le=1)
    accuracy_by_kind: dict[str, float] = Field(default_factory=dict)
    accuracy_by_tissue: dict[str, float] = Field(default_factory=dict)
    counts_by_kind: dict[str, int] = Field(default_factory=dict)
    counts_by_tissue: dict[str, int] = Field(default_factory=dict)
    ece: float | None = Field(default=None, description="Expected calibration error; None without confidences.")
    mce: float | None = Field(default=None, description="Maximum calibration error over non-empty bins.")
    brier: float | None = Field(default=None, description="Mean squared gap between confidence and correctness.")
    reliability: list[dict[str, float | int]] = Field(
        default_factory=list, description="Per confidence bin: lower, upper, count, mean confidence, accuracy."
    )
    items: list[EvalItem]
    config: dict[str, Any] = Field(default_factory=dict, description="How the answers were made and scored.")

    @property
    def failures(self) -> list[EvalItem]:
        return [item for item in self.items if not item.correct]
