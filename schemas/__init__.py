"""Pydantic models: the one contract every part of curate speaks."""

from schemas.evaluation import EVAL_SCHEMA, EvalItem, EvalReport, Finding
from schemas.examples import CROSS_TISSUE, EXAMPLE_KINDS, SPLITS, Example, ExampleKind, Split, content_id
from schemas.facts import (
    FACT_KINDS,
    INTERACTION_TERMS,
    KMP_CONDITIONS,
    PATHWAY_PATTERNS,
    RESPONSE_CLASS_LABELS,
    STRESSOR_CONTRASTS,
    DegCountFact,
    Fact,
    FactSheet,
    HubGeneFact,
    InteractionFact,
    KmpEffectFact,
    PathwayShiftFact,
    Provenance,
    TissueClassFact,
)
from schemas.manifest import MANIFEST_SCHEMA, DatasetManifest

__all__ = [
    "CROSS_TISSUE",
    "EVAL_SCHEMA",
    "EXAMPLE_KINDS",
    "FACT_KINDS",
    "INTERACTION_TERMS",
    "KMP_CONDITIONS",
    "MANIFEST_SCHEMA",
    "PATHWAY_PATTERNS",
    "RESPONSE_CLASS_LABELS",
    "SPLITS",
    "STRESSOR_CONTRASTS",
    "DatasetManifest",
    "DegCountFact",
    "EvalItem",
    "EvalReport",
    "Example",
    "ExampleKind",
    "Fact",
    "FactSheet",
    "Finding",
    "HubGeneFact",
    "InteractionFact",
    "KmpEffectFact",
    "PathwayShiftFact",
    "Provenance",
    "Split",
    "TissueClassFact",
    "content_id",
]
