"""Comparison and ranking across tissues or contrasts. Every order is computed from the facts."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

from curate.generators import text as t
from curate.generators.derive import Ranked, fold, ranking
from curate.generators.engine import KindGenerator, Rendered, Subject, templates
from curate.schemas import (
    CROSS_TISSUE,
    DegCountFact,
    ExampleKind,
    Fact,
    FactSheet,
    HubGeneFact,
    InteractionFact,
    KmpEffectFact,
)

KIND: ExampleKind = "comparison"
FAMILY = "ranking"

AnyFact = TypeVar("AnyFact", bound=Fact)
CountFact = DegCountFact | KmpEffectFact | InteractionFact


def subjects(sheet: FactSheet, tissues: Sequence[str]) -> list[Subject]:
    facts = [f for f in sheet.facts if f.tissue in tissues]
    made: list[Subject] = []
    made += _across_tissues(facts, tissues)
    for tissue in tissues:
        made += _within_tissue([f for f in facts if f.tissue == tissue], tissue)
    return made


def _across_tissues(facts: list[Fact], tissues: Sequence[str]) -> list[Subject]:
    if len(tissues) < 2:
        return []
    scope = "the four tissues" if len(tissues) == 4 else t.join_and(sorted(tissues))
    groups: dict[str, list[CountFact]] = {}
    for fact in facts:
        if isinstance(fact, DegCountFact | KmpEffectFact | InteractionFact):
            groups.setdefault(f"{fact.kind}:{_contrast_of(fact)}", []).append(fact)
    made = []
    for key, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        made.append(_subject(
            key=f"across:{key}",
            tissue=CROSS_TISSUE,
            members=members,
            label=lambda f: f.tissue,
            value=lambda f: f.n_degs,
            measure=_measure(members[0]),
            scope=scope if len(members) == len(tissues) else t.join_and(sorted(f.tissue for f in members)),
            noun="tissue",
        ))
    return made


def _within_tissue(facts: list[Fact], tissue: str) -> list[Subject]:
    def of(cls: type[AnyFact]) -> list[AnyFact]:
        return [f for f in facts if isinstance(f, cls)]

    rankings = [
        _ranking_within(tissue, "deg_count", of(DegCountFact), lambda f: t.STRESSOR_SHORT[f.contrast],
                        lambda f: f.n_degs, "number of DEGs against control",
                        f"the stressor contrasts in {tissue}", "contrast"),
        _ranking_within(tissue, "kmp_effect", of(KmpEffectFact), lambda f: t.CONDITION_SHORT[f.condition],
                        lambda f: f.n_degs, "number of KMP-vs-vehicle DEGs",
                        f"the KMP conditions in {tissue}", "condition"),
        _ranking_within(tissue, "interaction", of(InteractionFact), lambda f: f.term,
                        lambda f: f.n_degs, "number of genes with a significant interaction term",
                        f"the interaction terms in {tissue}", "term"),
        _ranking_within(tissue, "hub_gene", of(HubGeneFact), lambda f: f.gene,
                        lambda f: f.mean_abs_log2fc, "mean absolute log2 fold change",
                        f"the hub genes of {tissue}", "gene"),
    ]
    return [subject for subject in rankings if subject is not None]


def _ranking_within(tissue: str, kind: str, members: list[AnyFact], label: Callable[[AnyFact], str],
                    value: Callable[[AnyFact], float], measure: str, scope: str, noun: str) -> Subject | None:
    if len(members) < 2:
        return None
    return _subject(f"within:{tissue}:{kind}", tissue, members, label, value, measure, scope, noun)


def _subject(key: str, tissue: str, members: list[AnyFact], label: Callable[[AnyFact], str],
             value: Callable[[AnyFact], float], measure: str, scope: str, noun: str) -> Subject:
    order = ranking([Ranked(label(f), value(f)) for f in members])
    return Subject(
        key=key, family=FAMILY, tissue=tissue, fact_ids=tuple(sorted(f.id for f in members)),
        values={"order": order, "measure": measure, "scope": scope, "noun": noun, "is_float": noun == "gene"},
    )


def _contrast_of(fact: CountFact) -> str:
    return str(getattr(fact, "contrast", None) or getattr(fact, "condition", None) or getattr(fact, "term", ""))


def _measure(fact: CountFact) -> str:
    if isinstance(fact, DegCountFact):
        return f"number of DEGs under {t.STRESSOR_PHRASE[fact.contrast]}"
    if isinstance(fact, KmpEffectFact):
        return f"number of KMP-vs-vehicle DEGs {t.CONDITION_PHRASE[fact.condition]}"
    assert isinstance(fact, InteractionFact)
    return f"number of genes with a significant {t.TERM_PHRASE[fact.term]}"


def _value(s: Subject, v: float) -> str:
    return t.decimal(v, 2) if s.values["is_float"] else t.count(int(v))


def _chain(s: Subject) -> str:
    order: list[Ranked] = s.values["order"]
    parts = [f"{order[0].label} ({_value(s, order[0].value)})"]
    for previous, item in itertools.pairwise(order):
        sign = "=" if item.value == previous.value else ">"
        parts.append(f"{sign} {item.label} ({_value(s, item.value)})")
    return " ".join(parts)


def _extremes(s: Subject) -> str:
    order: list[Ranked] = s.values["order"]
    top = [o for o in order if o.value == order[0].value]
    bottom = [o for o in order if o.value == order[-1].value]
    if len(top) == len(order):
        return f"All of them tie at {_value(s, order[0].value)}."
    most = (f"{t.join_and([o.label for o in top])} tie for the most" if len(top) > 1
            else f"{top[0].label} ranks first")
    least = (f"{t.join_and([o.label for o in bottom])} tie for the least" if len(bottom) > 1
             else f"{bottom[0].label} has the least")
    ratio = fold(order[0].value, order[-1].value)
    times = f", {t.times(ratio)} times the bottom value" if ratio is not None else ""
    return f"{t.cap(most)} ({_value(s, order[0].value)}{times}); {least} ({_value(s, order[-1].value)})."


def _answer(s: Subject) -> str:
    return f"{_extremes(s)} Full order by {s.values['measure']}: {_chain(s)}."


def _answer_test(s: Subject) -> str:
    """The ranking in the test split's own words: the order first, then its ends."""
    order: list[Ranked] = s.values["order"]
    ends = _extremes(s)
    if len(order) > 1 and order[0].value != order[-1].value:
        top = [o.label for o in order if o.value == order[0].value]
        bottom = [o.label for o in order if o.value == order[-1].value]
        ratio = fold(order[0].value, order[-1].value)
        times = f" ({t.times(ratio)} times the bottom value)" if ratio is not None else ""
        ends = (f"At the top is {t.join_and(top)} with {_value(s, order[0].value)}{times}, at the bottom "
                f"{t.join_and(bottom)} with {_value(s, order[-1].value)}.")
    return f"Ordered by {s.values['measure']}: {_chain(s)}. {ends}"


TEMPLATES = templates(KIND, FAMILY, train=[
    lambda s: Rendered(f"Rank {s.values['scope']} by {s.values['measure']}.", _answer(s)),
    lambda s: Rendered(
        f"Which {s.values['noun']} shows the largest {s.values['measure']}, and which the smallest, among "
        f"{s.values['scope']}?", _answer(s)),
    lambda s: Rendered(f"Order {s.values['scope']} from highest to lowest {s.values['measure']}.",
                       f"{_chain(s)}. {_extremes(s)}"),
    lambda s: Rendered(f"Compare {s.values['scope']} on {s.values['measure']}. Where is it highest?", _answer(s)),
], test=[
    lambda s: Rendered(
        f"Looking only at {s.values['scope']}: where does the {s.values['measure']} peak, where is it lowest, "
        "and what is the complete ordering?", _answer_test(s)),
])

GENERATOR = KindGenerator(kind=KIND, version="2", subjects=subjects, templates=TEMPLATES)
