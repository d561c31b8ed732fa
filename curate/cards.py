"""Data cards: a Hugging Face dataset card (README.md) for every version, from its content alone.

The card is `huggingface_hub.DatasetCard` text: YAML metadata from `DatasetCardData` (license,
language, task categories, size category, `configs` pointing at one parquet file pattern per split)
and a Jinja markdown body. It is deterministic: the same examples, manifest fields, gate report and
reviews give the same bytes. It never shows the manifest's `created` time or the home folder.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from huggingface_hub import DatasetCardData

    from curate.registry import Finalizer, Registry
    from curate.schemas import Example, FactSheet

LICENSE = "apache-2.0"
LANGUAGE = ["en"]
TASK_CATEGORIES = ["question-answering", "text-generation"]
TAGS = ["biology", "transcriptomics", "spaceflight", "instruction-tuning", "synthetic", "curate"]
REQUIRED_METADATA = ("license", "language", "task_categories", "size_categories", "pretty_name", "configs")
FACTSHEET_FILE = "factsheet.json"
DEFAULT_TISSUE = "all"
DEFAULT_SEED = 0

KIND_DESCRIPTIONS = {
    "factual_qa": "a direct question about one fact, answered with its value",
    "comparison": "rank or compare one measure across tissues or conditions",
    "chain_of_thought": "reason step by step from facts to a conclusion",
    "interaction_prediction": "predict whether stressors combine additively, then check against the data",
    "design_critique": "critique a claim or analysis plan against the factorial design",
    "counterfactual": "what the data would look like if one factor were absent",
    "calibration": "state confidence, or decline when the data cannot answer",
    "error_correction": "find and correct a wrong claim about a fact",
}


@dataclass(frozen=True)
class CardInputs:
    """Everything a card shows. `manifest` holds the manifest's fields (a dict, as JSON)."""

    manifest: dict[str, Any]
    examples: list[Example]
    sheet: FactSheet | None = None
    gates: dict[str, Any] | None = None
    reviews: dict[str, Any] | None = None
    lineage: dict[str, Any] | None = None
    progression: list[dict[str, Any]] | None = None
    pairs: dict[str, Any] | None = None  # preference pairs by source (curate.preferences), when there are any


def size_category(n: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]
    return next((label for bound, label in bounds if n < bound), "1M<n<10M")


def split_names(examples: Iterable[Example]) -> list[str]:
    from curate.schemas import SPLITS

    present = {e.split for e in examples}
    return [split for split in SPLITS if split in present]


def data_file(split: str) -> str:
    """The parquet shard of one split, as uploaded; the card's `configs` glob matches it."""
    return f"data/{split}-00000-of-00001.parquet"


def card_data(inputs: CardInputs) -> DatasetCardData:
    from huggingface_hub import DatasetCardData

    manifest = inputs.manifest
    return DatasetCardData(
        license=LICENSE,
        language=LANGUAGE,
        pretty_name=f"{manifest['facts_name']} {manifest['version']} (curate)",
        size_categories=[size_category(len(inputs.examples))],
        task_categories=TASK_CATEGORIES,
        tags=TAGS,
        configs=[{
            "config_name": "default",
            "data_files": [{"split": s, "path": f"data/{s}-*.parquet"} for s in split_names(inputs.examples)],
        }],
    )


def render_card(inputs: CardInputs) -> str:
    """The card's full text: YAML metadata, then the markdown body."""
    import jinja2
    from huggingface_hub import DatasetCard

    environment = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined, autoescape=False)
    environment.filters["cell"] = _cell
    environment.filters["quote"] = _quote
    data = card_data(inputs)
    text = environment.from_string(TEMPLATE).render(card_data=data.to_yaml(), **_view(inputs))
    card = DatasetCard(text)
    return card.content.rstrip("\n") + "\n"


def _cell(value: Any) -> str:
    """Safe inside a markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _quote(text: str) -> str:
    """A markdown block quote of text that may span lines."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _view(inputs: CardInputs) -> dict[str, Any]:
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
        sets["questions"].add(" ".join(example.instruction.lower().split()))
        sets["facts"].update(example.fact_ids)
    train, test = by_split.get("train"), by_split.get("test")
    if not train or not test:
        return {}
    return {name: len(train[name] & test[name]) for name in ("templates", "questions", "facts")}


def _gates_view(report: dict[str, Any] | None) -> dict[str, Any] | None:
    from curate.summary import gate_summary

    return gate_summary(report)


def _driver_text(driver: dict[str, Any]) -> str:
    from curate.diffing import driver_label

    detail = driver.get("reason") or driver.get("summary") or driver.get("note") or ""
    return f"`{driver_label(driver)}`" + (f": {_cell(detail)}" if detail else "")


def _progression_view(rows: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    if not rows:
        return None
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return {"columns": columns, "rows": [[_format(row.get(c, "")) for c in columns] for row in rows]}


def _format(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# -- building cards for versions ---------------------------------------------------------------

def find_factsheet(registry: Registry, name: str, sha256: str, folder: Path | None = None) -> FactSheet | None:
    """The fact sheet a version was made from, if it can be found with the same hash: the copy in the
    version folder, the embedded default, or a registered sheet."""
    from curate.generators.embedded import DEFAULT_FACTS_NAME, load_default_factsheet
    from curate.registry import factsheet_sha256
    from curate.schemas import FactSheet

    candidates = []
    if folder is not None and (folder / FACTSHEET_FILE).is_file():
        candidates.append(lambda: FactSheet.model_validate_json((folder / FACTSHEET_FILE).read_bytes()))
    if name == DEFAULT_FACTS_NAME:
        candidates.append(load_default_factsheet)
    if name in registry.factsheet_names():
        candidates.append(lambda: registry.load_factsheet(name))
    for load in candidates:
        sheet = load()
        if factsheet_sha256(sheet) == sha256:
            return sheet
    return None


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
        sheet=sheet or find_factsheet(registry, fields["facts_name"], fields["facts_sha256"], folder),
        gates=read_gates(folder),
        reviews=review_stats(registry.home, fields["version"]),
        lineage=parent_lineage(registry, fields, examples),
        progression=progression,
        pairs=_pairs_view(registry, fields, examples),
    )


def _pairs_view(registry: Registry, fields: dict[str, Any], examples: list[Example]) -> dict[str, Any] | None:
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


# -- checking a card without the Hub -----------------------------------------------------------

def card_problems(text: str, files: Iterable[str] = (), n_examples: int | None = None) -> list[str]:
    """What is wrong with a card's metadata, checked locally: it must parse and round-trip through
    DatasetCardData, carry the required fields, and its `configs` must match the data files."""
    import fnmatch

    from huggingface_hub import DatasetCard

    try:
        card = DatasetCard(text)
    except Exception as exc:  # the YAML block itself is broken
        return [f"metadata does not parse: {' '.join(str(exc).split())}"]
    data = card.data.to_dict()
    problems = [f"metadata lacks {key!r}" for key in REQUIRED_METADATA if not data.get(key)]
    if DatasetCard(card.content).data.to_dict() != data:
        problems.append("metadata does not round-trip through DatasetCardData")
    files = list(files)
    for config in data.get("configs") or []:
        for entry in config.get("data_files") or []:
            if files and not any(fnmatch.fnmatch(f, entry.get("path", "")) for f in files):
                problems.append(f"configs: split {entry.get('split')!r} path {entry.get('path')!r} matches no file")
    if n_examples is not None and data.get("size_categories") != [size_category(n_examples)]:
        problems.append(f"size_categories {data.get('size_categories')} does not fit {n_examples} examples")
    return problems


def check_card(text: str, files: Iterable[str] = (), n_examples: int | None = None) -> None:
    problems = card_problems(text, files, n_examples)
    if problems:
        raise BadInputError(f"README.md: invalid card metadata: {'; '.join(problems)}")


def card_json(text: str) -> dict[str, Any]:
    """The card's metadata, for --json output."""
    from huggingface_hub import DatasetCard

    return json.loads(json.dumps(DatasetCard(text).data.to_dict(), default=str))


TEMPLATE = """\
---
{{ card_data }}
---

# {{ m.facts_name }} {{ m.version }}

Instruction-tuning examples for a biology language model, made by `curate` from typed facts about
{% if sheet.available %}**{{ sheet.title }}**{% else %}the fact sheet `{{ sheet.name }}`{% endif %}.
Every example records the ids of the facts its answer states and the template that phrased it, so
each answer can be traced to a row of a source file.

| | |
|---|---|
| version | `{{ m.version }}` |
| examples | {{ n }} ({% for s, count, _ in split_rows %}{{ s }} {{ count }}{{ ", " if not loop.last }}{% endfor %}) |
| kinds | {{ kind_rows | length }} |
| tissues | {{ tissues | join(", ") }} |
| fact sheet | `{{ sheet.name }}` (sha256 `{{ sheet.sha256[:16] }}`) |
| content hash | `{{ m.content_hash }}` (sha256 of examples.jsonl) |
| seed | {{ m.seed }} |
| examples per fact and kind | {{ config.get("per_fact", "-") }} |
| made by | curate {{ m.curate_version }} |

## Sources and provenance

{% if sheet.available %}
{{ sheet.description }}

The fact sheet `{{ sheet.name }}` holds {{ sheet.n_facts }} facts (sha256 of the sheet
`{{ sheet.sha256 }}`); {{ sheet.n_covered }} of them are stated by at least one example here.
A gene counts as differentially expressed at padj < {{ sheet.padj }}. Each fact keeps the file,
row and contrast it came from:

| source file | sha256 | facts | method |
|---|---|---:|---|
{% for s in sheet.sources %}
| {{ s.source | cell }} | `{{ s.sha256 }}` | {{ s.n }} | {{ s.methods | cell }} |
{% endfor %}
{% else %}
The fact sheet `{{ sheet.name }}` (sha256 `{{ sheet.sha256 }}`) was not available when this card was
made, so its source files are not listed. {{ sheet.n_covered }} facts are stated by the examples.
{% endif %}

## Kinds of example

| kind | {% for s in splits %}{{ s }} | {% endfor %}total | what it teaches |
|---|{% for s in splits %}---:|{% endfor %}---:|---|
{% for row in kind_rows %}
| {{ row.kind }} | {% for c in row.by_split %}{{ c }} | {% endfor %}{{ row.total }} | {{ row.about | cell }} |
{% endfor %}

One example of each kind:

{% for e in samples %}
### {{ e.kind }}

**Instruction**

{{ e.instruction | quote }}

{% if e.input %}
**Input**

{{ e.input | quote }}

{% endif %}
**Output**

{{ e.output | quote }}

Facts: {% for f in e.fact_ids %}`{{ f }}`{{ ", " if not loop.last }}{% else %}none{% endfor %}
{%- if not e.answerable %} (the data cannot answer this question){% endif %}.
Template `{{ e.template_id }}`, {{ e.split }} split.

{% endfor %}
## Splits

| split | examples | file |
|---|---:|---|
{% for s, count, path in split_rows %}
| {{ s }} | {{ count }} | `{{ path }}` |
{% endfor %}

Test questions ask about the same facts as training, in phrasings (templates) that training never
uses. Calibration questions about topics the data cannot answer are split by topic.
{% if leakage %}
Between train and test: {{ leakage.templates }} shared templates, {{ leakage.questions }} identical
questions, {{ leakage.facts }} facts asked in both.
{% endif %}

Each row has `id` (a hash of its content), `kind`, `tissue`, `instruction`, `input`, `output`,
`fact_ids`, `template_id`, `answerable`, `split`, `origin` and `metadata` (a JSON string).

## Quality gates

{% if gates %}
Overall: **{{ "passed" if gates.passed else ("failed" if gates.passed is false else "not run") }}**
{%- if m.allow_failing and gates.passed is false %} (written anyway with `--allow-failing`){% endif %}.

| gate | result | summary |
|---|---|---|
{% for g in gates.gates %}
| {{ g.name | cell }} | {{ "pass" if g.passed else ("FAIL" if g.passed is false else "-") }} | {{ g.summary | cell }} |
{% endfor %}
{% else %}
No quality gate ran on this version.
{% endif %}

## Review

{% if reviews.n_reviews %}
{{ reviews.n_reviews }} submitted reviews of {{ reviews.n_examples_reviewed }} examples by
{{ reviews.n_reviewers }} reviewers; {{ reviews.n_corrections }} with a corrected answer.

| verdict | reviews |
|---|---:|
{% for verdict, count in reviews.by_verdict.items() %}
| {{ verdict | cell }} | {{ count }} |
{% endfor %}
{% if reviews.by_error_type %}

| error type | reviews |
|---|---:|
{% for kind, count in reviews.by_error_type.items() %}
| {{ kind | cell }} | {{ count }} |
{% endfor %}
{% endif %}
{% else %}
No reviews yet.
{% endif %}

## Lineage

{% if not m.parent %}
A root version: it has no parent.
{% elif lineage %}
Parent: `{{ m.parent }}`. Against it: {{ lineage.summary.added }} examples added,
{{ lineage.summary.removed }} removed, {{ lineage.summary.changed }} changed,
{{ lineage.summary.unchanged }} unchanged.

| kind | {{ m.parent }} | {{ m.version }} | change |
|---|---:|---:|---:|
{% for kind, row in lineage.by_kind.items() %}
| {{ kind }} | {{ row.a }} | {{ row.b }} | {{ "%+d" | format(row.delta) }} |
{% endfor %}
{% if lineage.config_changes %}

Settings that changed: {% for c in lineage.config_changes %}`{{ c.field }}`{{ ", " if not loop.last }}{% endfor %}.
{% endif %}
{% if lineage.why %}

Why examples changed:
{% for why, count in lineage.why.items() %}
- {{ why | cell }}: {{ count }}
{% endfor %}
{% endif %}
{% else %}
Parent: `{{ m.parent }}`{% if m.parent.startswith("hub:") %} (pulled from the Hugging Face Hub){% endif %}.
{% endif %}
{% if drivers %}

What drove this version:
{% for d in drivers %}
- {{ d }}
{% endfor %}
{% endif %}

## Progression

{% if progression %}
| {% for c in progression.columns %}{{ c | cell }} | {% endfor %}

|{% for c in progression.columns %}---|{% endfor %}

{% for row in progression.rows %}
| {% for value in row %}{{ value | cell }} | {% endfor %}

{% endfor %}
{% else %}
No training rounds yet.
{% endif %}

{% if pairs %}
## Preference pairs

{{ pairs.n_pairs }} preference pairs for DPO (`curate export {{ m.version }} --format dpo`), from the reviews
and eval reports in the registry when this card was made. A candidate is refused when its chosen answer
fails the claim check, its rejected answer passes it, or its prompt is a test prompt.

| source | pairs | candidates | refused |
|---|---:|---:|---:|
{% for r in pairs.rows %}
| {{ r.source }} | {{ r.pairs }} | {{ r.candidates }} | {{ r.refused }} |
{% endfor %}

{% endif %}
## Known limitations

{% if sheet.available %}
- Every value comes from: {{ sheet.methods | join("; ") }}. The examples restate those values; they
  add no measurement of their own.
{% endif %}
- One study: the facts describe {% if sheet.available %}{{ sheet.title }}{% else %}one study{% endif %}.
  They do not carry over to other organisms, tissues, doses or time points.
- The language is templated: each kind has a small set of phrasings, so wording varies less than
  in natural text. Test scores measure recall of these facts in unseen phrasings, not reasoning
  about new data.
- DEG counts depend on the analysis pipeline and the padj threshold; they are not biological
  constants.
- Calibration examples cover a fixed list of questions the data cannot answer; other unanswerable
  questions are not covered.
"""
