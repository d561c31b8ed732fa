"""What changed between two versions: examples matched by the facts and template behind them.

Ids are content hashes, so an example whose wording was corrected gets a new id. Matching by
(fact ids, template id) (with tissue and subject to tell apart examples with no facts) finds it
again, and reports it as changed rather than as one removed and one added.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example

# Metadata keys that name what drove an example: a review, an eval failure, or a drill.
DRIVER_KEYS = ("review_id", "eval_id", "driver")
CONFIG_FIELDS = ("tissues", "kinds", "per_fact", "generator_versions")

Key = tuple[tuple[str, ...], str, str, str]


def match_key(example: Example) -> Key:
    """(fact ids, template id), then tissue and subject for examples that state no fact."""
    subject = example.metadata.get("subject")
    return tuple(example.fact_ids), example.template_id, example.tissue, "" if subject is None else str(subject)


def example_driver(example: Example) -> str | None:
    """The review, eval or other cause an example names in its metadata or origin, if any."""
    for key in DRIVER_KEYS:
        value = example.metadata.get(key)
        if value not in (None, ""):
            return f"{key.removesuffix('_id')}:{value}"
    return None if example.origin == "generated" else f"origin:{example.origin}"


@dataclass
class Change:
    before: Example | None
    after: Example | None
    fields: list[str] = field(default_factory=list)
    why: str = ""

    @property
    def example(self) -> Example:
        return self.after or self.before  # type: ignore[return-value]

    def as_dict(self) -> dict[str, Any]:
        example = self.example
        return {
            "id_a": self.before.id if self.before else None,
            "id_b": self.after.id if self.after else None,
            "kind": example.kind,
            "tissue": example.tissue,
            "template_id": example.template_id,
            "fact_ids": list(example.fact_ids),
            "split": example.split,
            "fields": self.fields,
            "why": self.why,
        }


@dataclass
class ExampleDiff:
    added: list[Change]
    removed: list[Change]
    changed: list[Change]
    unchanged: int


def diff_examples(a: list[Example], b: list[Example]) -> ExampleDiff:
    """Pair examples by match key: same id first, then in order; the rest are added or removed."""
    groups_a: dict[Key, list[Example]] = defaultdict(list)
    groups_b: dict[Key, list[Example]] = defaultdict(list)
    for example in a:
        groups_a[match_key(example)].append(example)
    for example in b:
        groups_b[match_key(example)].append(example)
    added: list[Change] = []
    removed: list[Change] = []
    changed: list[Change] = []
    unchanged = 0
    for key in list(groups_a) + [k for k in groups_b if k not in groups_a]:
        olds, news = list(groups_a.get(key, [])), list(groups_b.get(key, []))
        pairs: list[tuple[Example, Example]] = []
        for old in list(olds):
            same = next((new for new in news if new.id == old.id), None)
            if same is not None:
                pairs.append((old, same))
                olds.remove(old)
                news.remove(same)
        pairs += list(zip(olds, news, strict=False))
        for old, new in pairs:
            fields = _changed_fields(old, new)
            if fields:
                changed.append(Change(old, new, fields))
            else:
                unchanged += 1
        removed += [Change(old, None) for old in olds[len(news):]]
        added += [Change(None, new) for new in news[len(olds):]]
    return ExampleDiff(added=added, removed=removed, changed=changed, unchanged=unchanged)


def _changed_fields(old: Example, new: Example) -> list[str]:
    before, after = old.model_dump(), new.model_dump()
    return [name for name in before if name != "id" and before[name] != after[name]]


def count_table(a: Iterable[str], b: Iterable[str]) -> dict[str, dict[str, int]]:
    counts_a, counts_b = Counter(a), Counter(b)
    return {
        name: {"a": counts_a[name], "b": counts_b[name], "delta": counts_b[name] - counts_a[name]}
        for name in sorted(set(counts_a) | set(counts_b))
    }


def coverage_changes(a: list[Example], b: list[Example]) -> list[dict[str, Any]]:
    """Facts stated by a different number of examples in B than in A."""
    table = count_table((f for e in a for f in e.fact_ids), (f for e in b for f in e.fact_ids))
    return [{"fact_id": fact, **row} for fact, row in table.items() if row["delta"] != 0]


def config_changes(a: DatasetManifest, b: DatasetManifest) -> list[dict[str, Any]]:
    """The generation settings that differ between two manifests."""
    pairs: list[tuple[str, Any, Any]] = [
        ("facts_name", a.facts_name, b.facts_name),
        ("facts_sha256", a.facts_sha256, b.facts_sha256),
        ("seed", a.seed, b.seed),
    ]
    pairs += [(name, a.generator_config.get(name), b.generator_config.get(name)) for name in CONFIG_FIELDS]
    return [{"field": name, "a": old, "b": new} for name, old, new in pairs if old != new]


def explain(diff: ExampleDiff, config: list[dict[str, Any]], b_drivers: list[dict[str, Any]]) -> None:
    """Fill `why` of every change: the driver the example names, else the settings or drivers of B."""
    changed_settings = {row["field"]: row for row in config}
    fallback = _fallback_reason(changed_settings, b_drivers)
    for change in diff.added + diff.changed:
        driver = example_driver(change.after) if change.after else None
        change.why = driver or _setting_reason(change.example, changed_settings) or fallback
    for change in diff.removed:
        change.why = _setting_reason(change.example, changed_settings) or fallback


def _setting_reason(example: Example, settings: dict[str, dict[str, Any]]) -> str | None:
    if "kinds" in settings and example.kind not in _both(settings["kinds"]):
        return f"config: kinds {_short(settings['kinds'])}"
    if "tissues" in settings and example.tissue not in _both(settings["tissues"]):
        return f"config: tissues {_short(settings['tissues'])}"
    return None


def _both(row: dict[str, Any]) -> set[str]:
    return set(row["a"] or []) & set(row["b"] or [])


def _fallback_reason(settings: dict[str, dict[str, Any]], b_drivers: list[dict[str, Any]]) -> str:
    if b_drivers:
        return "drivers: " + ", ".join(driver_label(d) for d in b_drivers)
    if settings:
        return "config: " + ", ".join(sorted(settings))
    return "regenerated"


def driver_label(driver: dict[str, Any]) -> str:
    """A short name for one manifest driver, e.g. 'review:rv-12' or 'eval:ev-3'."""
    kind = str(driver.get("type") or driver.get("kind") or "driver")
    ident = driver.get("id") or driver.get("review_id") or driver.get("eval_id") or driver.get("repo_id")
    return f"{kind}:{ident}" if ident else kind


def _short(row: dict[str, Any]) -> str:
    def text(value: Any) -> str:
        return ",".join(map(str, value)) if isinstance(value, list) else str(value)

    return f"{text(row['a'])} -> {text(row['b'])}"


def diff_versions(registry: Registry, version_a: str, version_b: str) -> dict[str, Any]:
    """Everything `curate diff` reports, as plain JSON-ready data."""
    manifest_a, manifest_b = registry.manifest(version_a), registry.manifest(version_b)
    examples_a, examples_b = registry.examples(version_a), registry.examples(version_b)
    return diff_report(manifest_a, examples_a, manifest_b, examples_b)


def diff_report(
    manifest_a: DatasetManifest, examples_a: list[Example], manifest_b: DatasetManifest, examples_b: list[Example]
) -> dict[str, Any]:
    diff = diff_examples(examples_a, examples_b)
    config = config_changes(manifest_a, manifest_b)
    explain(diff, config, manifest_b.drivers)
    return {
        "a": manifest_a.version,
        "b": manifest_b.version,
        "summary": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
            "unchanged": diff.unchanged,
            "n_a": len(examples_a),
            "n_b": len(examples_b),
        },
        "by_kind": count_table((e.kind for e in examples_a), (e.kind for e in examples_b)),
        "by_tissue": count_table((e.tissue for e in examples_a), (e.tissue for e in examples_b)),
        "by_split": count_table((e.split for e in examples_a), (e.split for e in examples_b)),
        "config_changes": config,
        "drivers": manifest_b.drivers,
        "why": dict(sorted(Counter(c.why for c in diff.added + diff.removed + diff.changed).items())),
        "coverage_changes": coverage_changes(examples_a, examples_b),
        "added": [c.as_dict() for c in diff.added],
        "removed": [c.as_dict() for c in diff.removed],
        "changed": [c.as_dict() for c in diff.changed],
    }
