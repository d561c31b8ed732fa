"""What one version holds: counts, gate report, lineage and reviews, as plain data for `curate show` and cards."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import RegistryError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import Example

GATES_FILE = "gates.json"
CARD_FILE = "README.md"
REVIEWS_FILE = "reviews/reviews.jsonl"


def cross_counts(examples: Iterable[Example], field: str) -> dict[str, dict[str, int]]:
    """{value of `field`: {split: n, ..., "total": n}}, sorted by value."""
    table: dict[str, Counter[str]] = {}
    for example in examples:
        row = table.setdefault(str(getattr(example, field)), Counter())
        row[example.split] += 1
        row["total"] += 1
    return {name: dict(sorted(row.items())) for name, row in sorted(table.items())}


def read_gates(version_dir: Path) -> dict[str, Any] | None:
    path = version_dir / GATES_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RegistryError(f"{path}: unreadable gate report ({exc})") from None


def gate_summary(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """The gate report reduced to: passed overall, and name, passed and a one-line summary per gate."""
    if report is None:
        return None
    raw = report.get("gates", report.get("results", []))
    items = [{"name": name, **value} for name, value in raw.items()] if isinstance(raw, dict) else list(raw)
    gates = [
        {
            "name": str(item.get("name") or item.get("gate") or "?"),
            "passed": item.get("passed", item.get("ok")),
            "summary": _one_line(item.get("summary") or item.get("message") or item.get("detail") or ""),
        }
        for item in items
        if isinstance(item, dict)
    ]
    passed = report.get("passed")
    if passed is None and gates:
        passed = all(g["passed"] is not False for g in gates)
    return {"passed": passed, "gates": gates}


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def review_records(home: Path, version: str) -> list[dict[str, Any]]:
    """Reviews of `version`'s examples in <home>/reviews/reviews.jsonl (the merged file `curate review
    pull` writes; one `schemas.Review` per line). Reviews of model answers in an eval are left out."""
    path = home / REVIEWS_FILE
    if not path.is_file():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise RegistryError(f"{path}: line {number} is not valid JSON ({exc})") from None
        if isinstance(record, dict) and record.get("version") == version and record.get("source") != "eval":
            records.append(record)
    return records


def review_stats(home: Path, version: str) -> dict[str, Any]:
    """How many examples were reviewed, by whom, with which verdicts, corrections and error types."""
    records = review_records(home, version)
    submitted = [r for r in records if r.get("status", "submitted") == "submitted"]
    return {
        "n_reviews": len(submitted),
        "n_drafts": len(records) - len(submitted),
        "n_examples_reviewed": len({str(r.get("example_id")) for r in submitted}),
        "n_reviewers": len({str(r.get("annotator_id") or r.get("annotator")) for r in submitted}),
        "n_corrections": sum(1 for r in submitted if r.get("corrected_answer")),
        "by_verdict": _tally(str(r.get("verdict") or "none") for r in submitted),
        "by_error_type": _tally(str(kind) for r in submitted for kind in r.get("error_types") or []),
    }


def _tally(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def show_version(registry: Registry, version: str) -> dict[str, Any]:
    """Everything `curate show` reports about one version."""
    manifest = registry.manifest(version)
    folder = registry.version_dir(version)
    examples = registry.examples(version)
    return {
        "version": manifest.version,
        "path": str(folder),
        "manifest": manifest.model_dump(mode="json", by_alias=True),
        "parent": manifest.parent,
        "drivers": manifest.drivers,
        "n_examples": manifest.n_examples,
        "by_split": manifest.counts_by_split,
        "by_kind": cross_counts(examples, "kind"),
        "by_tissue": cross_counts(examples, "tissue"),
        "n_facts_covered": len({fact for e in examples for fact in e.fact_ids}),
        "gates": gate_summary(read_gates(folder)),
        "gates_passed": manifest.gates_passed,
        "reviews": review_stats(registry.home, version),
        "card": CARD_FILE if (folder / CARD_FILE).is_file() else None,
    }
