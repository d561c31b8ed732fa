"""The card's text: YAML metadata from `DatasetCardData`, then the markdown body from card.md.j2."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from curate.cards._view import card_view

if TYPE_CHECKING:
    from huggingface_hub import DatasetCardData

    from curate.schemas import Example, FactSheet

LICENSE = "apache-2.0"
LANGUAGE = ["en"]
TASK_CATEGORIES = ["question-answering", "text-generation"]
TAGS = ["biology", "transcriptomics", "spaceflight", "instruction-tuning", "synthetic", "curate"]
REQUIRED_METADATA = ("license", "language", "task_categories", "size_categories", "pretty_name", "configs")
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


def _template() -> str:
    return resources.files("curate.cards").joinpath("card.md.j2").read_text(encoding="utf-8")


def render_card(inputs: CardInputs) -> str:
    """The card's full text: YAML metadata, then the markdown body."""
    import jinja2
    from huggingface_hub import DatasetCard

    environment = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined, autoescape=False)
    environment.filters["cell"] = cell
    environment.filters["quote"] = quote
    data = card_data(inputs)
    text = environment.from_string(_template()).render(card_data=data.to_yaml(), **card_view(inputs))
    card = DatasetCard(text)
    return card.content.rstrip("\n") + "\n"


def cell(value: Any) -> str:
    """Safe inside a markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def quote(text: str) -> str:
    """A markdown block quote of text that may span lines."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


