"""`curate export`: one version's examples in the formats trainers read.

- jsonl: every field of every example, canonical JSON, one per line.
- parquet: the same rows (metadata as a JSON string, as in the version's Arrow data).
- alpaca: {"instruction", "input", "output"} per line.
- chat: {"messages": [user, assistant]} per line: TRL SFTTrainer's conversational format.
- prompt-completion: {"prompt", "completion"} per line: TRL's prompt-completion format; the
  loss then falls on the completion only. The prompt is the instruction, then a blank line and
  the input when there is one (the same user turn train/ builds).
- dpo: preference pairs {"prompt", "chosen", "rejected", "fact_ids", "source", "finding", ...} per
  line (TRL's preference format), from reviews, drills and eval reports; see curate/preferences.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import Example

FORMATS = ("jsonl", "parquet", "alpaca", "chat", "prompt-completion", "dpo")
SPLIT_CHOICES = ("train", "validation", "test", "all")


@dataclass(frozen=True)
class ExportResult:
    version: str
    format: str
    split: str
    path: Path
    n_rows: int
    by_source: dict[str, int] | None = None  # dpo: pairs per source


def user_turn(example: Example) -> str:
    return example.prompt


def example_row(example: Example) -> dict[str, Any]:
    """An example as a flat row: metadata is a JSON string, so every row has the same Arrow schema."""
    row = example.model_dump(mode="json")
    row["metadata"] = json.dumps(row["metadata"], sort_keys=True)
    return row


def _alpaca(example: Example) -> dict[str, Any]:
    return {"instruction": example.instruction, "input": example.input, "output": example.output}


def _chat(example: Example) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": user_turn(example)},
                         {"role": "assistant", "content": example.output}]}


def _prompt_completion(example: Example) -> dict[str, Any]:
    return {"prompt": user_turn(example), "completion": example.output}


RECORDS: dict[str, Callable[[Example], dict[str, Any]]] = {
    "jsonl": lambda example: example.model_dump(mode="json"),
    "alpaca": _alpaca,
    "chat": _chat,
    "prompt-completion": _prompt_completion,
}


def check_choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise BadInputError(f"{option} {value!r} is not allowed: choose from {', '.join(allowed)}")
    return value


def export_version(registry: Registry, version: str, fmt: str, out: Path, split: str = "all") -> ExportResult:
    check_choice(fmt, FORMATS, "--format")
    check_choice(split, SPLIT_CHOICES, "--split")
    if fmt == "dpo":
        return export_pairs(registry, version, out, split)
    examples = registry.examples(version, None if split == "all" else split)
    if not examples:
        raise BadInputError(f"version {version} has no {split} examples to export")
    write_atomically(out, lambda tmp: write_examples(examples, fmt, tmp))
    return ExportResult(version=version, format=fmt, split=split, path=out, n_rows=len(examples))


def export_pairs(registry: Registry, version: str, out: Path, split: str) -> ExportResult:
    """Preference pairs are training data only: the test split is what they must never contain."""
    from curate.preferences import version_pairs

    if split not in ("all", "train"):
        raise BadInputError(f"--split {split!r}: preference pairs are training data; give train or all")
    pairs = version_pairs(registry, version)
    if not pairs.pairs:
        raise BadInputError(pairs.explain_empty())

    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8") as handle:
            for pair in pairs.pairs:
                handle.write(json.dumps(pair.record(), ensure_ascii=False) + "\n")

    write_atomically(out, write)
    return ExportResult(version=version, format="dpo", split="train", path=out, n_rows=len(pairs.pairs),
                        by_source=pairs.counts())


def write_examples(examples: list[Example], fmt: str, path: Path) -> None:
    if fmt == "parquet":
        write_parquet(examples, path)
        return
    to_record = RECORDS[fmt]
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps(to_record(example), ensure_ascii=False) + "\n")


def write_parquet(examples: list[Example], path: Path) -> None:
    """Through `datasets`, so the file carries its features and `load_dataset` reads it back as is."""
    import datasets

    datasets.disable_progress_bars()
    datasets.Dataset.from_list([example_row(e) for e in examples]).to_parquet(str(path))


def write_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside `out`, then rename it over `out`: never a half-written file."""
    if out.is_dir():
        raise BadInputError(f"--out {out} is a folder: give a file path")
    if not out.parent.is_dir():
        raise BadInputError(f"--out {out}: folder {out.parent} does not exist")
    from curate.files import write_atomically as write_whole

    write_whole(out, write)
