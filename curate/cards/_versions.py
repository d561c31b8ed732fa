"""Cards for the registry's versions: the inputs a version's card needs, found from its folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.cards._render import DEFAULT_SEED, DEFAULT_TISSUE, CardInputs, render_card

if TYPE_CHECKING:
    from curate.registry import Finalizer, Registry
    from curate.schemas import Example, FactSheet


def parent_lineage(registry: Registry, fields: dict[str, Any], examples: list[Example]) -> dict[str, Any] | None:
    """The diff against a local parent version; None for a root version or one pulled from the Hub."""
    from curate.diffing import diff_report
    from curate.schemas import DatasetManifest
    from curate.schemas.errors import NotFoundError

    parent = fields.get("parent")
    if not parent or not parent.startswith("v"):
        return None
    try:
        parent_manifest, parent_examples = registry.manifest(parent), registry.examples(parent)
    except NotFoundError:
        return None
    this = DatasetManifest.model_validate({"created": "", **{k: v for k, v in fields.items() if k != "files"}})
    report = diff_report(parent_manifest, parent_examples, this, examples)
    return {key: report[key] for key in ("summary", "by_kind", "config_changes", "why")}


def card_inputs(registry: Registry, fields: dict[str, Any], examples: list[Example], folder: Path,
                sheet: FactSheet | None = None, progression: list[dict[str, Any]] | None = None) -> CardInputs:
    from curate.summary import read_gates, review_stats

    return CardInputs(
        manifest=fields,
        examples=examples,
        sheet=sheet or registry.factsheet_matching(fields["facts_name"], fields["facts_sha256"], folder),
        gates=read_gates(folder),
        reviews=review_stats(registry.home, fields["version"]),
        lineage=parent_lineage(registry, fields, examples),
        progression=progression,
        pairs=pairs_view(registry, fields, examples),
    )


def pairs_view(registry: Registry, fields: dict[str, Any], examples: list[Example]) -> dict[str, Any] | None:
    """Preference pairs by source, as `curate export --format dpo` would write them now; None without candidates."""
    from curate.preferences import SOURCES, version_pairs
    from curate.schemas.errors import CurateError

    try:
        made = version_pairs(registry, fields["version"], examples=examples, parent=fields.get("parent"),
                             facts_name=fields["facts_name"]).summary()
    except CurateError:
        return None
    if not any(made["candidates"].values()):
        return None
    rows = [{"source": s, "pairs": made["by_source"][s], "candidates": made["candidates"][s],
             "refused": sum(made["refused"][s].values())} for s in SOURCES]
    return {"n_pairs": made["n_pairs"], "rows": rows}


def card_finalizer(registry: Registry, examples: list[Example], sheet: FactSheet | None = None,
                   progression: list[dict[str, Any]] | None = None) -> Finalizer:
    """For `Registry.write_version(finalize=...)`: renders README.md from the staged version."""
    from curate.summary import CARD_FILE

    def finalize(stage: Path, fields: dict[str, Any]) -> dict[str, bytes]:
        inputs = card_inputs(registry, fields, examples, stage, sheet=sheet, progression=progression)
        return {CARD_FILE: render_card(inputs).encode("utf-8")}

    return finalize


def card_for_version(registry: Registry, version: str, progression: list[dict[str, Any]] | None = None) -> str:
    """Render a published version's card again, from its content (reviews made since are included)."""
    manifest = registry.manifest(version)
    fields = manifest.model_dump(mode="json", exclude={"schema_id", "created", "files"})
    inputs = card_inputs(registry, fields, registry.examples(version), registry.version_dir(version),
                         progression=progression)
    return render_card(inputs)


def default_card() -> tuple[str, str]:
    """The card of the default build: `curate generate --tissue all --seed 0` in a fresh home, as
    (file name for data_cards/, text)."""
    from curate.pipeline import GenerateRequest, generate
    from curate.registry import Registry
    from curate.summary import CARD_FILE

    with tempfile.TemporaryDirectory(prefix="curate-default-card-") as home:
        result = generate(Registry(home), GenerateRequest(tissue=DEFAULT_TISSUE, seed=DEFAULT_SEED))
        text = (result.path / CARD_FILE).read_text(encoding="utf-8")
    return f"{result.manifest.facts_name}-{result.manifest.version}.md", text


