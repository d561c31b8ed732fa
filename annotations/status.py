"""How far review has got: per annotator, per kind of example, and how much annotators agree (overall
and per kind: Cohen's kappa from scikit-learn for two raters, Krippendorff's alpha from `krippendorff`)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import permutations
from typing import Any

from curate.annotations.client import argilla_errors, get_json

VERDICTS = ("correct", "partly_correct", "wrong")  # curate.schemas.VERDICTS, kept free of pydantic here


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
            "agreement": agreement(r for r in submitted if r.kind == kind),
        }
    return table


def agreement(reviews: Iterable[Any]) -> dict[str, Any]:
    """Agreement on the verdict over records with two or more submitted verdicts: the share of agreeing
    pairs, Cohen's kappa when exactly two annotators rated them, and Krippendorff's alpha (nominal) for
    any number. `measure` names the one to read: kappa for two raters, alpha for more."""
    units: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for review in reviews:
        if review.status == "submitted" and review.verdict:
            units[(review.dataset, review.example_id)][review.annotator] = review.verdict
    shared = [verdicts for verdicts in units.values() if len(verdicts) >= 2]
    raters = sorted({name for verdicts in shared for name in verdicts})
    if not shared:
        return {"records": 0, "raters": 0, "measure": None, "observed": None, "cohen_kappa": None,
                "krippendorff_alpha": None}
    observed = sum(_pairs_agreeing(list(verdicts.values())) for verdicts in shared) / len(shared)
    kappa = _cohen_kappa(shared, raters) if len(raters) == 2 else None
    return {"records": len(shared), "raters": len(raters),
            "measure": "cohen_kappa" if len(raters) == 2 else "krippendorff_alpha",
            "observed": round(observed, 3), "cohen_kappa": kappa, "krippendorff_alpha": _alpha(shared, raters)}


def _pairs_agreeing(values: list[str]) -> float:
    pairs = list(permutations(values, 2))
    return sum(a == b for a, b in pairs) / len(pairs)


def _cohen_kappa(units: list[dict[str, str]], raters: list[str]) -> float | None:
    """scikit-learn's Cohen's kappa; None when it is undefined (both raters used one label only)."""
    import warnings

    from sklearn.metrics import cohen_kappa_score

    first, second = raters
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined kappa: sklearn warns, then returns nan
        kappa = cohen_kappa_score([u[first] for u in units], [u[second] for u in units], labels=list(VERDICTS))
    return _rounded(kappa)


def _alpha(units: list[dict[str, str]], raters: list[str]) -> float | None:
    """The `krippendorff` package's alpha, nominal; None when it is undefined (one label in all the data)."""
    import warnings

    import krippendorff
    import numpy as np

    codes = {verdict: index for index, verdict in enumerate(VERDICTS)}
    matrix = np.array([[codes[u[r]] if r in u else np.nan for u in units] for r in raters], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            alpha = krippendorff.alpha(reliability_data=matrix, value_domain=list(codes.values()),
                                       level_of_measurement="nominal")
        except ValueError:  # fewer than two values in the data
            return None
    return _rounded(alpha)


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 3)
