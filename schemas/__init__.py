"""Pydantic models: the one contract every part of curate speaks, and the errors every part raises.

Names load on first use, so `curate.schemas.errors` (standard library only) costs nothing at start-up
and `from curate.schemas import Example` still reads as one package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.schemas.evaluation import (
        EVAL_SCHEMA,
        EvalItem,
        EvalReport,
    )
    from curate.schemas.examples import (
        CROSS_TISSUE,
        EXAMPLE_KINDS,
        SPLITS,
        Example,
        ExampleKind,
        Split,
        content_id,
        join_prompt,
        normalise_text,
    )
    from curate.schemas.facts import (
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
    from curate.schemas.findings import CLAIM_TYPES, Finding
    from curate.schemas.manifest import (
        MANIFEST_SCHEMA,
        DatasetManifest,
    )
    from curate.schemas.review import (
        ERROR_TYPES,
        REVIEW_SCHEMA,
        VERDICTS,
        ErrorType,
        Review,
        Verdict,
        review_id,
    )

_WHERE = {
    "EVAL_SCHEMA": "evaluation",
    "EvalItem": "evaluation",
    "EvalReport": "evaluation",
    "CLAIM_TYPES": "findings",
    "Finding": "findings",
    "CROSS_TISSUE": "examples",
    "EXAMPLE_KINDS": "examples",
    "SPLITS": "examples",
    "Example": "examples",
    "ExampleKind": "examples",
    "Split": "examples",
    "content_id": "examples",
    "join_prompt": "examples",
    "normalise_text": "examples",
    "FACT_KINDS": "facts",
    "INTERACTION_TERMS": "facts",
    "KMP_CONDITIONS": "facts",
    "PATHWAY_PATTERNS": "facts",
    "RESPONSE_CLASS_LABELS": "facts",
    "STRESSOR_CONTRASTS": "facts",
    "DegCountFact": "facts",
    "Fact": "facts",
    "FactSheet": "facts",
    "HubGeneFact": "facts",
    "InteractionFact": "facts",
    "KmpEffectFact": "facts",
    "PathwayShiftFact": "facts",
    "Provenance": "facts",
    "TissueClassFact": "facts",
    "MANIFEST_SCHEMA": "manifest",
    "DatasetManifest": "manifest",
    "ERROR_TYPES": "review",
    "REVIEW_SCHEMA": "review",
    "VERDICTS": "review",
    "ErrorType": "review",
    "Review": "review",
    "Verdict": "review",
    "review_id": "review",
}
__all__ = [
    "CLAIM_TYPES",
    "CROSS_TISSUE",
    "ERROR_TYPES",
    "EVAL_SCHEMA",
    "EXAMPLE_KINDS",
    "FACT_KINDS",
    "INTERACTION_TERMS",
    "KMP_CONDITIONS",
    "MANIFEST_SCHEMA",
    "PATHWAY_PATTERNS",
    "RESPONSE_CLASS_LABELS",
    "REVIEW_SCHEMA",
    "SPLITS",
    "STRESSOR_CONTRASTS",
    "VERDICTS",
    "DatasetManifest",
    "DegCountFact",
    "ErrorType",
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
    "Review",
    "Split",
    "TissueClassFact",
    "Verdict",
    "content_id",
    "join_prompt",
    "normalise_text",
    "review_id",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
