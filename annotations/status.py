"""How far review has got: per annotator, per kind of example, and how much annotators agree."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import permutations
from typing import Any

from curate.annotations.client import argilla_errors, get_json


def records_by_kind(client: Any, dataset: Any) -> dict[str, int]:
    """How many records of each kind the dataset holds, from the `kind` metadata metrics."""
    with argilla_errors(client.api_url):
        properties = get_json(client, f"/api/v1/me/datasets/{dataset.id}/metadata-properties").get("items", [])
        kind = next((p for p in properties if p["name"] == "kind"), None)
        if kind is None:
            return {}
        metrics = get_json(client, f"/api/v1/metadata-properties/{kind['id']}/metrics")
    return {str(v["term"]): int(v["count"]) for v in metrics.get("values", [])}


def status_report(reviews: Sequence[Any], totals: dict[str, int]) -> dict[str, Any]:
    """Counts per annotator and per kind, and agreement on the verdict where several answered one record."""
    return {
        "records": sum(totals.values()),
        "reviewed_records": len({(r.dataset, r.example_id) for r in reviews if r.status == "submitted"}),
        "by_annotator": _by_annotator(reviews),
        "by_kind": _by_kind(reviews, totals),
        "agreement": agreement(reviews),
    }


def _by_annotator(reviews: Iterable[Any]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for review in reviews:
        row = table[review.annotator]
        row[review.status] += 1
        if review.status == "submitted" and review.verdict:
            row[review.verdict] += 1
    columns = ("submitted", "draft", "discarded", "correct", "partly_correct", "wrong")
    return {name: {c: row[c] for c in columns} for name, row in sorted(table.items())}


def _by_kind(reviews: Iterable[Any], totals: dict[str, int]) -> dict[str, dict[str, Any]]:
    submitted = [r for r in reviews if r.status == "submitted"]
    reviewed: dict[str, set[tuple[str, str]]] = defaultdict(set)
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    for review in submitted:
        reviewed[review.kind].add((review.dataset, review.example_id))
        verdicts[review.kind][review.verdict or "none"] += 1
    table = {}
    for kind in sorted(set(totals) | set(reviewed)):
        counts = verdicts[kind]
        answered = sum(counts.values())
        table[kind] = {
            "records": totals.get(kind, 0),
            "reviewed": len(reviewed[kind]),
            "responses": answered,
            "correct": counts["correct"],
            "partly_correct": counts["partly_correct"],
            "wrong": counts["wrong"],
            "error_rate": round((counts["wrong"] + counts["partly_correct"]) / answered, 3) if answered else None,
        }
    return table


def agreement(reviews: Iterable[Any]) -> dict[str, Any]:
    """Observed agreement and Krippendorff's alpha (nominal) over records with two or more verdicts."""
    units: dict[tuple[str, str], list[str]] = defaultdict(list)
    for review in reviews:
        if review.status == "submitted" and review.verdict:
            units[(review.dataset, review.example_id)].append(review.verdict)
    shared = [values for values in units.values() if len(values) >= 2]
    if not shared:
        return {"records": 0, "observed": None, "krippendorff_alpha": None}
    observed = sum(_pairs_agreeing(values) for values in shared) / len(shared)
    return {"records": len(shared), "observed": round(observed, 3),
            "krippendorff_alpha": _alpha(shared)}


def _pairs_agreeing(values: list[str]) -> float:
    pairs = list(permutations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def _alpha(units: list[list[str]]) -> float | None:
    coincidence: defaultdict[tuple[str, str], float] = defaultdict(float)
    for values in units:
        weight = 1 / (len(values) - 1)
        for a, b in permutations(values, 2):
            coincidence[(a, b)] += weight
    margins: defaultdict[str, float] = defaultdict(float)
    for (a, _), count in coincidence.items():
        margins[a] += count
    n = sum(margins.values())
    disagree_observed = sum(count for (a, b), count in coincidence.items() if a != b)
    disagree_expected = sum(margins[a] * margins[b] for a in margins for b in margins if a != b) / (n - 1)
    if disagree_expected == 0:
        return 1.0 if disagree_observed == 0 else None
    return round(1 - disagree_observed / disagree_expected, 3)
