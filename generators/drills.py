"""Drills: more practice on a fact that a reviewed example or a model's answer got wrong.

Two kinds, both pure functions of the facts and the wrong claim:
- paraphrases: the fact asked in words the version does not use yet (the factual-QA phrasings it
  left out, then drill phrasings), answered with the fact's full sentence;
- error corrections: the wrong claim quoted in the question, and the true fact in the answer,
  which never repeats the wrong claim.
Every drill example goes to the train split and names what drove it in its metadata.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence

from curate.generators import text as t
from curate.generators.engine import Subject
from curate.generators.kinds import factual_qa
from curate.schemas import (
    DegCountFact,
    Example,
    ExampleKind,
    Fact,
    HubGeneFact,
    InteractionFact,
    KmpEffectFact,
    PathwayShiftFact,
    TissueClassFact,
)
from curate.schemas.examples import normalise_text

VERSION = "1"
QUOTE_LIMIT = 400  # characters of a wrong claim quoted in a question

Driver = Mapping[str, str]  # metadata naming the cause, e.g. {"review_id": "rv-..."} or {"eval_id": "ev-..."}


def topic(fact: Fact) -> str:
    """What the fact is about, as a noun phrase, without its value."""
    if isinstance(fact, DegCountFact):
        stressor = t.STRESSOR_PHRASE[fact.contrast]
        return f"the number of {fact.tissue} genes changed by {stressor} against vehicle controls"
    if isinstance(fact, KmpEffectFact):
        return f"the number of {fact.tissue} genes KMP changes relative to vehicle {t.CONDITION_PHRASE[fact.condition]}"
    if isinstance(fact, InteractionFact):
        return f"the number of {fact.tissue} genes with a significant {t.TERM_PHRASE[fact.term]} term"
    if isinstance(fact, PathwayShiftFact):
        return f"{t.pathway_name(fact.pathway)} in the {fact.tissue} under combined HU+IR and with KMP"
    if isinstance(fact, TissueClassFact):
        return f"the KMP response class of the {fact.tissue}"
    if isinstance(fact, HubGeneFact):
        return f"hub gene {fact.gene} in the {fact.tissue} response"
    raise TypeError(f"no topic for {type(fact).__name__}")


DRILL_QUESTIONS: tuple[Callable[[str], str], ...] = (
    lambda topic: f"What exactly does the KMP study report for {topic}?",
    lambda topic: f"Recall the study's result for {topic}, with its exact figures.",
    lambda topic: f"An earlier answer about {topic} was judged wrong. What is the correct result?",
    lambda topic: f"State precisely what the data show for {topic}.",
)

CORRECTION_FRAMES: tuple[tuple[Callable[[str], str], str], ...] = (
    (lambda claim: f'A previous answer said: "{claim}" Is that right?', "No, that is not right."),
    (lambda claim: f'Check this answer against the KMP study and correct it: "{claim}"', "It needs correcting."),
)


def paraphrases(fact: Fact, *, exclude: set[str], n: int, seed: int, driver: Driver) -> list[Example]:
    """Up to `n` train examples asking about `fact` in words whose normalised form is not in `exclude`."""
    subject = Subject(key=fact.id, family=fact.kind, tissue=fact.tissue, fact_ids=(fact.id,), values={"fact": fact})
    candidates: list[tuple[str, str, str]] = []  # (template id, instruction, output)
    for template in factual_qa.GENERATOR.templates:
        if template.family == fact.kind and template.split == "train":
            rendered = template.render(subject)
            candidates.append((template.id, rendered.instruction, rendered.output))
    about = topic(fact)
    candidates += [(f"drill.paraphrase.{i}", ask(about), t.describe(fact)) for i, ask in enumerate(DRILL_QUESTIONS, 1)]
    fresh = [c for c in candidates if normalise_text(c[1]) not in exclude]
    random.Random(f"{seed}:drill:{fact.id}").shuffle(fresh)
    return [_example("factual_qa", fact.tissue, instruction, output, (fact.id,), template_id, driver)
            for template_id, instruction, output in fresh[:n]]


def error_corrections(facts: Sequence[Fact], wrong_claim: str, *, driver: Driver) -> list[Example]:
    """One train example: the wrong claim quoted in one of the frames, the facts stated correctly.

    One frame per claim, picked by the claim's hash: two frames around the same long quote would be
    near-duplicates of each other."""
    if not facts:
        return []
    claim = quote(wrong_claim)
    truth = " ".join(t.describe(fact) for fact in facts)
    tissues = sorted({fact.tissue for fact in facts})
    tissue = tissues[0] if len(tissues) == 1 else "cross-tissue"
    fact_ids = tuple(fact.id for fact in facts)
    index = int(hashlib.sha256(claim.encode("utf-8")).hexdigest(), 16) % len(CORRECTION_FRAMES)
    ask, opener = CORRECTION_FRAMES[index]
    return [_example("error_correction", tissue, ask(claim), f"{opener} {truth}", fact_ids,
                     f"drill.correction.{index + 1}", driver)]


def quote(text: str) -> str:
    """The claim on one line, without double quotes, cut at QUOTE_LIMIT characters."""
    flat = " ".join(text.replace('"', "'").split())
    return flat if len(flat) <= QUOTE_LIMIT else flat[: QUOTE_LIMIT - 1].rstrip() + "…"


def _example(kind: ExampleKind, tissue: str, instruction: str, output: str, fact_ids: Sequence[str], template_id: str,
             driver: Driver) -> Example:
    return Example(
        kind=kind,
        tissue=tissue,
        instruction=instruction,
        output=output,
        fact_ids=list(fact_ids),
        template_id=template_id,
        split="train",
        origin="drill",
        metadata={"subject": ",".join(fact_ids), "generator_version": f"drill/{VERSION}", **driver},
    )
