"""Accuracy by group, calibration (ECE, MCE, Brier) and the reliability diagram."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

N_BINS = 10


def accuracy_by(groups: Sequence[str], correct: Sequence[bool]) -> tuple[dict[str, float], dict[str, int]]:
    """Accuracy and count per group, groups sorted by name."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for group, ok in zip(groups, correct, strict=True):
        hits[group].append(ok)
    accuracy = {group: round(sum(v) / len(v), 4) for group, v in sorted(hits.items())}
    return accuracy, {group: len(v) for group, v in sorted(hits.items())}


def reliability_bins(
    confidence: Sequence[float], correct: Sequence[bool], n_bins: int = N_BINS
) -> list[dict[str, Any]]:
    """Equal-width confidence bins: bounds, count, mean confidence and accuracy (0 where empty)."""
    bins: list[dict[str, Any]] = []
    for index in range(n_bins):
        lower, upper = index / n_bins, (index + 1) / n_bins
        members = [
            (c, ok) for c, ok in zip(confidence, correct, strict=True)
            if lower <= c < upper or (index == n_bins - 1 and c == 1.0)
        ]
        count = len(members)
        bins.append({
            "lower": lower,
            "upper": upper,
            "count": count,
            "confidence": sum(c for c, _ in members) / count if count else 0.0,
            "accuracy": sum(ok for _, ok in members) / count if count else 0.0,
        })
    return bins


def calibration(confidence: Sequence[float], correct: Sequence[bool], n_bins: int = N_BINS) -> dict[str, Any]:
    """ECE (count-weighted mean gap), MCE (largest gap of a non-empty bin), Brier score, and the bins."""
    if not confidence:
        return {"ece": None, "mce": None, "brier": None, "bins": []}
    bins = reliability_bins(confidence, correct, n_bins)
    total = len(confidence)
    gaps = [abs(b["accuracy"] - b["confidence"]) for b in bins if b["count"]]
    ece = sum(abs(b["accuracy"] - b["confidence"]) * b["count"] / total for b in bins if b["count"])
    brier = sum((c - float(ok)) ** 2 for c, ok in zip(confidence, correct, strict=True)) / total
    return {"ece": round(ece, 6), "mce": round(max(gaps), 6), "brier": round(brier, 6), "bins": bins}


def plot_reliability(bins: list[dict[str, Any]], path: Path, *, title: str) -> None:
    """Accuracy per confidence bin against the diagonal, with how many answers fell in each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(5, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}, constrained_layout=True
    )
    width = 1 / max(len(bins), 1)
    centres = [(b["lower"] + b["upper"]) / 2 for b in bins]
    top.bar(centres, [b["accuracy"] for b in bins], width=width * 0.9, color="#4C72B0", label="accuracy")
    top.bar(centres, [b["confidence"] - b["accuracy"] if b["count"] else 0 for b in bins],
            bottom=[b["accuracy"] for b in bins], width=width * 0.9, color="#DD8452", alpha=0.5, label="gap")
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    top.set_ylabel("accuracy")
    top.set_ylim(0, 1)
    top.set_title(title, fontsize=9)
    top.legend(loc="upper left", fontsize=8)
    bottom.bar(centres, [b["count"] for b in bins], width=width * 0.9, color="grey")
    bottom.set_xlabel("model confidence (mean token probability)")
    bottom.set_ylabel("answers")
    bottom.set_xlim(0, 1)
    figure.savefig(path, dpi=100)
    plt.close(figure)
