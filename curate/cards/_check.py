"""Checking a card's metadata locally, without the Hub."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from curate.cards._render import REQUIRED_METADATA, size_category
from curate.schemas.errors import BadInputError


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


