"""The judge: reads the claims of any text about a study and checks them against its fact sheet.

    from curate.judge import read_claims, check_text
    reading = read_claims(answer, sheet, question="How many genes ...?")
    reading.findings     # the wrong claims, as curate.schemas.Finding
    reading.claims       # every claim bound to facts, right or wrong

The bottom layer of curate after schemas: it imports `curate.schemas` and the standard library only.
The gates, the eval scorers, review and drills call it. How it reads a claim: docs/judge.md.
"""

import importlib
from typing import Any

from curate.judge.lexicon import DOMAIN_WORDS, Cue, Lexicon, Slot, lexicon
from curate.judge.linking import Claim
from curate.judge.reading import ClaimReading, check_example, check_items, check_text, read_claims

# Answerability and item verdicts build on the claim check; loaded on first use (no import cycle).
_LAZY = {"assess": "answerability", "Answerability": "answerability", "judge_answer": "verdict", "Verdict": "verdict"}

__all__ = [
    "DOMAIN_WORDS",
    "Claim",
    "ClaimReading",
    "Cue",
    "Lexicon",
    "Slot",
    "check_example",
    "check_items",
    "check_text",
    "lexicon",
    "read_claims",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
