"""The claim check on text curate did not write: the judge corpus's dev split, and faults injected into it.

Floors, not targets: they guard what has been reached (figures and the commands that produce them:
docs/judge.md). The held-out split is never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "judge_corpus"
sys.path.insert(0, str(CORPUS))

import claim_metrics  # noqa: E402
import mutate  # noqa: E402

from curate.generators.embedded import load_default_factsheet  # noqa: E402


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return claim_metrics.load("dev")


def test_claim_level_precision_and_recall_on_dev(dev: list[dict]) -> None:
    result = claim_metrics.score(dev)
    assert result.total.wrong >= 100
    assert result.total.precision >= 0.88, result.false_alarms[:5]
    assert result.total.recall >= 0.60, result.misses[:5]


def test_faults_in_the_corpus_own_words_are_caught(dev: list[dict]) -> None:
    """Right claims of the dev split made false (another fact's value, up/down swapped, a class or direction
    flipped, a ranked list reordered): measured 0.86 (687 / 802)."""
    sheet = load_default_factsheet()
    made = mutate.mutations(dev, sheet, seed=0)
    assert len(made) >= 500
    assert {m.fault for m in made} >= {"other_fact_value", "swap_up_down", "flip_word"}
    caught = [m for m in made if mutate.caught(m, sheet)]
    assert len(caught) / len(made) >= 0.82
    for fault in ("other_fact_value", "swap_up_down", "flip_word"):
        of_fault = [m for m in made if m.fault == fault]
        assert sum(m in caught for m in of_fault) / len(of_fault) >= 0.78, fault


def test_a_finding_points_into_the_original_markdown() -> None:
    """A table cell's number is found in the table, not in the sentence the reader rendered from it."""
    sheet = load_default_factsheet()
    answer = ("DEGs under IR, ranked:\n\n| Tissue | DEGs | Up | Down |\n|---|---|---|---|\n"
              "| Liver | 1,273 | 860 | 413 |\n")
    findings = claim_metrics.read_claims(answer, sheet, question="Which way does IR move the liver?").findings
    swapped = {answer[f.start:f.end] for f in findings if f.start is not None and f.end is not None}
    assert {"860", "413"} <= swapped, findings


def test_held_out_figures_are_aggregates_only() -> None:
    out = claim_metrics.report(claim_metrics.Result(), "heldout", "none", details=False)
    assert "misses" not in out and "false_alarms" not in out
