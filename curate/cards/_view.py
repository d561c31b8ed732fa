"""What the card template shows, computed from a version's content."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from curate.schemas.examples import normalise_text

if TYPE_CHECKING:
    from curate.cards._render import CardInputs
    from curate.schemas import Example, FactSheet


def card_view(inputs: CardInputs) -> dict[str, Any]:
    from curate.cards._render import data_file, split_names

    manifest, examples = inputs.manifest, inputs.examples
    splits = split_names(examples)
    return {
        "m": manifest,
        "n": len(examples),
        "splits": splits,
        "split_rows": [(s, sum(1 for e in examples if e.split == s), data_file(s)) for s in splits],
        "tissues": sorted({e.tissue for e in examples}),
        "kind_rows": _kind_rows(examples, splits),
        "samples": _samples(examples),
        "sheet": _sheet_view(inputs.sheet, manifest, examples),
        "leakage": _leakage(examples),
        "gates": _gates_view(inputs.gates),
        "reviews": inputs.reviews or {"n_reviews": 0},
        "lineage": inputs.lineage,
        "drivers": [_driver_text(d) for d in manifest.get("drivers") or []],
        "progression": _progression_view(inputs.progression),
        "pairs": inputs.pairs,
        "config": manifest.get("generator_config") or {},
    }


def _kind_rows(examples: list[Example], splits: list[str]) -> list[dict[str, Any]]:
    from curate.cards._render import KIND_DESCRIPTIONS

    counts: dict[str, Counter[str]] = {}
    for example in examples:
        counts.setdefault(example.kind, Counter())[example.split] += 1
    return [
        {"kind": kind, "by_split": [counts[kind][s] for s in splits], "total": sum(counts[kind].values()),
         "about": KIND_DESCRIPTIONS.get(kind, "")}
        for kind in counts
    ]


def _samples(examples: list[Example]) -> list[Example]:
    """One example per kind: the first training example of that kind, in version order."""
    chosen: dict[str, Example] = {}
    for example in examples:
        current = chosen.get(example.kind)
        if current is None or (current.split != "train" and example.split == "train"):
            chosen[example.kind] = example
    return list(chosen.values())


def _sheet_view(sheet: FactSheet | None, manifest: dict[str, Any], examples: list[Example]) -> dict[str, Any]:
    covered = {fact for e in examples for fact in e.fact_ids}
    view: dict[str, Any] = {"name": manifest["facts_name"], "sha256": manifest["facts_sha256"],
                            "available": sheet is not None, "n_covered": len(covered)}
    if sheet is None:
        return view
    sources: dict[str, dict[str, Any]] = {}
    for fact in sheet.facts:
        entry = sources.setdefault(fact.provenance.source, {"source": fact.provenance.source, "n": 0,
                                                             "sha256": fact.provenance.sha256, "methods": set()})
        entry["n"] += 1
        entry["methods"].add(fact.provenance.method)
    view.update(
        title=sheet.title,
        description=sheet.description,
        n_facts=len(sheet.facts),
        padj=sheet.padj_threshold,
        sources=[{**s, "methods": "; ".join(sorted(s["methods"]))} for _, s in sorted(sources.items())],
        methods=sorted({f.provenance.method for f in sheet.facts}),
        uncovered=len([f for f in sheet.facts if f.id not in covered and f.tissue in {e.tissue for e in examples}]),
    )
    return view


def _leakage(examples: list[Example]) -> dict[str, int]:
    by_split: dict[str, dict[str, set[str]]] = {}
    for example in examples:
        sets = by_split.setdefault(example.split, {"templates": set(), "questions": set(), "facts": set()})
        sets["templates"].add(example.template_id)
        sets["questions"].add(normalise_text(example.prompt))
        sets["facts"].update(example.fact_ids)
    train, test = by_split.get("train"), by_split.get("test")
    if not train or not test:
        return {}
    return {name: len(train[name] & test[name]) for name in ("templates", "questions", "facts")}


def _gates_view(report: dict[str, Any] | None) -> dict[str, Any] | None:
    from curate.summary import gate_summary

    return gate_summary(report)


def _driver_text(driver: dict[str, Any]) -> str:
    from curate.cards._render import cell
    from curate.diffing import driver_label

    detail = driver.get("reason") or driver.get("summary") or driver.get("note") or ""
    return f"`{driver_label(driver)}`" + (f": {cell(detail)}" if detail else "")


def _progression_view(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    if not rows:
        return None
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return {"columns": columns, "rows": [[_format(row.get(c, "")) for c in columns] for row in rows]}


def _format(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


