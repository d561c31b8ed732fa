"""Data cards: a Hugging Face dataset card (README.md) for every version, from its content alone.

The card is `huggingface_hub.DatasetCard` text: YAML metadata from `DatasetCardData` (license,
language, task categories, size category, `configs` pointing at one parquet file pattern per split)
and a Jinja markdown body. It is deterministic: the same examples, manifest fields, gate report and
reviews give the same bytes. It never shows the manifest's `created` time or the home folder.
"""

from curate.cards._check import card_json, card_problems, check_card
from curate.cards._render import (
    KIND_DESCRIPTIONS,
    CardInputs,
    card_data,
    data_file,
    render_card,
    size_category,
    split_names,
)
from curate.cards._versions import card_finalizer, card_for_version, card_inputs, default_card

__all__ = [
    "KIND_DESCRIPTIONS",
    "CardInputs",
    "card_data",
    "card_finalizer",
    "card_for_version",
    "card_inputs",
    "card_json",
    "card_problems",
    "check_card",
    "data_file",
    "default_card",
    "render_card",
    "size_category",
    "split_names",
]
