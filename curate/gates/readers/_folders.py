"""Folders: a `datasets` folder saved with `save_to_disk`, a curate version folder, and a folder of
data files (e.g. a Hub dataset downloaded as `data/train-00000-of-00001.parquet`).

A DatasetDict's split names, and data files named train*/validation*/test*, give the records' splits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError

DATASETS_MARKERS = ("dataset_dict.json", "dataset_info.json", "state.json")
DATA_SUFFIXES = (".parquet", ".jsonl", ".json", ".csv", ".tsv")
_SPLIT = re.compile(r"^(train|validation|valid|dev|test)(?![a-z])", re.I)
_SPLIT_NAMES = {"valid": "validation", "dev": "validation"}
_SPLIT_ORDER = ("train", "validation", "test", None)  # the order `datasets.load_dataset` gives them


def is_datasets_folder(path: Path) -> bool:
    return any((path / marker).is_file() for marker in DATASETS_MARKERS)


def read_datasets_folder(path: Path) -> list[tuple[Any, str | None]]:
    import datasets

    datasets.disable_progress_bars()
    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # datasets raises many types for a broken folder
        detail = " ".join(str(exc).split())[:160]
        raise BadInputError(f"{path}: cannot load the datasets folder ({type(exc).__name__}: {detail})") from None
    if isinstance(loaded, datasets.DatasetDict):
        return [(row, name) for name, part in loaded.items() for row in part.to_list()]
    return [(row, None) for row in loaded.to_list()]


def data_files(path: Path) -> list[Path]:
    """The data files of one kind in a folder (searched below it too); several kinds are an error."""
    files = sorted((p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                   key=lambda p: (_SPLIT_ORDER.index(split_of(p)), str(p)))
    kinds = sorted({p.suffix.lower() for p in files})
    if len(kinds) > 1:
        raise BadInputError(f"{path}: a folder with data files of several kinds ({', '.join(kinds)}); "
                            "give one file")
    return files


def split_of(file: Path) -> str | None:
    match = _SPLIT.match(file.name)
    if match is None:
        return None
    name = match.group(1).lower()
    return _SPLIT_NAMES.get(name, name)
