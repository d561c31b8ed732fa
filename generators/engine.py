"""The machinery every kind of example shares: subjects, templates, and a seeded, pure expansion.

A kind module lists *subjects* (what an example is about: one fact, or a few facts read together)
and *templates* (phrasings). Each template belongs to a family of subjects and to one split, so the
test split asks about the same facts in words that training never sees.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from curate.schemas import Example, ExampleKind, FactSheet, Split


@dataclass(frozen=True)
class Subject:
    """What one group of examples is about."""

    key: str
    family: str
    tissue: str
    fact_ids: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)
    answerable: bool = True
    only_split: Literal["train", "test"] | None = None  # unanswerable topics are split by subject


@dataclass(frozen=True)
class Rendered:
    instruction: str
    output: str
    input: str = ""
    fact_ids: tuple[str, ...] | None = None  # None: the subject's facts


@dataclass(frozen=True)
class Template:
    id: str
    family: str
    split: Literal["train", "test"]
    render: Callable[[Subject], Rendered]


@dataclass(frozen=True)
class KindGenerator:
    """One kind of example. Bump `version` whenever its wording or logic changes."""

    kind: ExampleKind
    version: str
    subjects: Callable[[FactSheet, Sequence[str]], list[Subject]]
    templates: Sequence[Template]


@dataclass(frozen=True)
class GenerateConfig:
    tissues: tuple[str, ...]
    kinds: tuple[str, ...]
    seed: int = 0
    per_fact: int = 3


def expand(generator: KindGenerator, sheet: FactSheet, config: GenerateConfig) -> list[Example]:
    """All examples of one kind: `per_fact` train phrasings and one test phrasing per subject."""
    examples: list[Example] = []
    for subject in generator.subjects(sheet, config.tissues):
        rng = random.Random(f"{config.seed}:{generator.kind}:{subject.key}")
        family = [t for t in generator.templates if t.family == subject.family]
        train = [t for t in family if t.split == "train"]
        test = [t for t in family if t.split == "test"]
        if subject.only_split != "test":
            for template in rng.sample(train, min(config.per_fact, len(train))):
                examples.append(_example(generator, subject, template, "train"))
        if subject.only_split != "train" and test:
            examples.append(_example(generator, subject, rng.choice(test), "test"))
    return examples


def _example(generator: KindGenerator, subject: Subject, template: Template, split: Split) -> Example:
    rendered = template.render(subject)
    fact_ids = rendered.fact_ids if rendered.fact_ids is not None else subject.fact_ids
    return Example(
        kind=generator.kind,
        tissue=subject.tissue,
        instruction=rendered.instruction,
        input=rendered.input,
        output=rendered.output,
        fact_ids=list(fact_ids),
        template_id=template.id,
        answerable=subject.answerable,
        split=split,
        metadata={"subject": subject.key, "generator_version": f"{generator.kind}/{generator.version}"},
    )


def templates(kind: str, family: str, train: Iterable[Callable[[Subject], Rendered]],
              test: Iterable[Callable[[Subject], Rendered]]) -> list[Template]:
    """Number a family's phrasings: `<kind>.<family>.train1`, ..., `<kind>.<family>.test1`."""
    made = [Template(f"{kind}.{family}.train{i}", family, "train", fn) for i, fn in enumerate(train, 1)]
    made += [Template(f"{kind}.{family}.test{i}", family, "test", fn) for i, fn in enumerate(test, 1)]
    return made


def tissue_subjects(sheet: FactSheet, tissues: Sequence[str], *, key: str, family: str,
                    needed: Callable[[str], dict[str, str]]) -> list[Subject]:
    """One subject per tissue that has every fact `needed(tissue)` names (role -> fact id).

    The subject's values map each role to its fact, and its fact ids are the needed ids in order."""
    ids = sheet.by_id()
    made = []
    for tissue in tissues:
        roles = needed(tissue)
        if all(fact_id in ids for fact_id in roles.values()):
            facts = {role: ids[fact_id] for role, fact_id in roles.items()}
            made.append(Subject(f"{key}:{tissue}", family, tissue, tuple(roles.values()), facts))
    return made


def subject_ids(s: Subject, *roles: str) -> tuple[str, ...]:
    """The fact ids of some of a tissue subject's roles."""
    return tuple(s.values[role].id for role in roles)

