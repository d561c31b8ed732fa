"""What one version holds: counts, gate report, lineage and reviews, as plain data for `curate show` and cards."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.errors import RegistryError

if TYPE_CHECKING:
    from curate.registry import Registry
    from schemas import Example

GATES_FILE = "gates.json"
CARD_FILE = "README.md"
# Fields a review record may use for its outcome, in order of preference.
_VERDICT_KEYS = ("verdict", "status", "decision", "label")


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
    """Review records under <home>/reviews that belong to `version` (by field, or by a folder named vN)."""
    folder = home / "reviews"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".json", ".jsonl") or not path.is_file():
            continue
        in_folder = version in path.relative_to(folder).parts[:-1]
        for record in _records(path):
            named = record.get("version") or record.get("dataset_version")
            if named == version or (named is None and in_folder):
                found.append(record)
    return found


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """Each record of a .jsonl file, or of a .json file holding one record, a list, or {"reviews": [...]}."""
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".jsonl":
            values = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            document = json.loads(text)
            values = document.get("reviews", [document]) if isinstance(document, dict) else document
            values = values if isinstance(values, list) else []
    except ValueError as exc:
        raise RegistryError(f"{path}: not valid JSON ({exc})") from None
    yield from (value for value in values if isinstance(value, dict))


def review_stats(home: Path, version: str) -> dict[str, Any]:
    records = review_records(home, version)
    verdicts: Counter[str] = Counter()
    for record in records:
        key = next((k for k in _VERDICT_KEYS if record.get(k) not in (None, "")), None)
        verdicts[str(record[key]) if key else "unlabelled"] += 1
    examples = {str(r.get("example_id")) for r in records if r.get("example_id")}
    corrections = sum(1 for r in records if r.get("corrected_output") or r.get("correction"))
    reviewers = {str(r.get("reviewer")) for r in records if r.get("reviewer")}
    return {
        "n_reviews": len(records),
        "n_examples_reviewed": len(examples),
        "n_corrections": corrections,
        "n_reviewers": len(reviewers),
        "by_verdict": dict(sorted(verdicts.items())),
    }


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
