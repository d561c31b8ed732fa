"""The manifest that describes one immutable dataset version."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MANIFEST_SCHEMA = "curate.manifest/1"


class DatasetManifest(BaseModel):
    """What a version holds and how it was made. Written last, so its presence marks a complete version."""

    schema_id: str = Field(default=MANIFEST_SCHEMA, alias="schema")
    version: str = Field(pattern=r"^v[1-9][0-9]*$")
    parent: str | None = Field(default=None, description="The version this one was derived from.")
    created: str = Field(description="UTC time, ISO 8601.")
    curate_version: str
    facts_name: str
    facts_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    generator_config: dict[str, Any]
    seed: int
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of examples.jsonl.")
    n_examples: int = Field(ge=0)
    counts_by_kind: dict[str, int]
    counts_by_tissue: dict[str, int]
    counts_by_split: dict[str, int]
    files: dict[str, str] = Field(default_factory=dict, description="Relative path to sha256 of every data file.")
    gates_passed: bool | None = Field(default=None, description="None when no gate ran.")
    allow_failing: bool = False
    drivers: list[dict[str, Any]] = Field(
        default_factory=list, description="Reviews or eval failures that drove this version."
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
