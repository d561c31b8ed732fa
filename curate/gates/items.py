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


def item_from_pair(instruction: str, input: str, output: str, fields: dict[str, Any], *, id: str, split: str,
                   source: str) -> GateItem:
    """An external record, read as a prompt and an answer, as a GateItem; `fields` are the record's own
    (fact ids, a tissue, a kind, a template id are kept when it has them)."""
    fact_ids = fields.get("fact_ids") or ()
    return GateItem(
        id=id,
        instruction=instruction,
        input=input,
        output=output,
        split=split,
        fact_ids=tuple(str(f) for f in fact_ids) if isinstance(fact_ids, (list, tuple)) else (),
        tissue=str(fields.get("tissue") or ""),
        kind=str(fields.get("kind") or ""),
        template_id=str(fields.get("template_id") or ""),
        source=source,
    )
