"""The one shape every gate reads: an example reduced to its text, split and facts.

Gates run on curate's own examples and on datasets curate did not make (`curate lint`), so they take
`GateItem`s rather than `schemas.Example`: an external record has no kind, template or fact ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.schemas import Example


@dataclass(frozen=True, slots=True)
class GateItem:
    id: str
    instruction: str
    output: str
    input: str = ""
    split: str = "train"
    fact_ids: tuple[str, ...] = ()
    tissue: str = ""
    kind: str = ""
    template_id: str = ""
    answerable: bool = True
    source: str = field(default="", compare=False)  # where an external record came from, e.g. "file.jsonl:12"

    @property
    def prompt(self) -> str:
        """What the model is asked: the instruction, and the input when there is one."""
        from curate.schemas.examples import join_prompt

        return join_prompt(self.instruction, self.input)


def from_example(example: Example) -> GateItem:
    return GateItem(
        id=example.id,
        instruction=example.instruction,
        input=example.input,
        output=example.output,
        split=example.split,
        fact_ids=tuple(example.fact_ids),
        tissue=example.tissue,
        kind=example.kind,
        template_id=example.template_id,
        answerable=example.answerable,
    )


def as_items(examples: Iterable[Example | GateItem]) -> list[GateItem]:
    return [e if isinstance(e, GateItem) else from_example(e) for e in examples]


def item_from_record(record: dict[str, Any], *, index: int, source: str) -> GateItem:
    """A loaded external record (already mapped to instruction/input/output) as a GateItem."""
    fact_ids = record.get("fact_ids") or ()
    return GateItem(
        id=str(record.get("id") or f"{index}"),
        instruction=str(record.get("instruction", "")),
        input=str(record.get("input", "") or ""),
        output=str(record.get("output", "")),
        split=str(record.get("split") or "train"),
        fact_ids=tuple(str(f) for f in fact_ids) if isinstance(fact_ids, (list, tuple)) else (),
        tissue=str(record.get("tissue") or ""),
        kind=str(record.get("kind") or ""),
        template_id=str(record.get("template_id") or ""),
        source=source,
    )
