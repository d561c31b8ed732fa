"""The control arm's drill: as many new examples and as many training tokens as the drilled arm added,
made the same way (paraphrases and error corrections) but about facts picked at random.

The supply is every paraphrase a drill could write about every fact of the version's tissues, and a
correction of each plausible wrong claim about it (`generators.kinds.error_correction.wrong_claims`),
in both correction frames. From that pool, dealt round-robin over the facts in random order, the
control takes as many paraphrases and as many corrections as the drilled arm added; then one example
at a time is swapped for an unused one of its kind until the tokens add up to exactly the drilled
arm's (`match_budget`); the last tokens are matched by cutting the quotes of some corrections short
(`trim_quotes`), as a drill cuts a long wrong answer. A budget the pool cannot reach is refused
(`BudgetError`): equal means equal.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import CurateError

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example, Fact, FactSheet

MAX_SWAPS = 400


class BudgetError(CurateError):
    """The control arm cannot add exactly the drilled arm's examples and tokens."""


_COUNTERS: dict[str, Callable[[Example], int]] = {}


def token_counter(base_model: str) -> Callable[[Example], int]:
    """Tokens an example trains on, by the base model's tokenizer (loaded once per process)."""
    if base_model not in _COUNTERS:
        from transformers import AutoTokenizer

        from curate.train.prompts import ensure_chat_template, example_tokens

        tokenizer = AutoTokenizer.from_pretrained(base_model)
        ensure_chat_template(tokenizer)
        _COUNTERS[base_model] = lambda example: example_tokens(tokenizer, example)
    return _COUNTERS[base_model]


def kind_of(example: Example) -> str:
    """'correction' for a drill's error correction, else 'paraphrase'."""
    return "correction" if example.template_id.startswith("drill.correction") else "paraphrase"


def match_budget(lengths: Sequence[int], kinds: Sequence[str], quota: dict[str, int], target: int | None) -> list[int]:
    """Indices of items, `quota[kind]` of each kind (the first ones in order), whose lengths sum to `target`.

    Each swap trades one chosen item for an unused one of the same kind, picking the trade that
    closes the gap the most (exactly, when one can). When no set hits the target, the closest one
    above it (else the closest below); the caller checks the sum."""
    chosen: list[int] = []
    unused: list[int] = []
    for kind, wanted in quota.items():
        of_kind = [i for i, k in enumerate(kinds) if k == kind]
        if wanted > len(of_kind):
            raise BudgetError(f"the control's supply holds {len(of_kind)} new {kind}s; the drilled arm added {wanted}")
        chosen += of_kind[:wanted]
        unused += of_kind[wanted:]
    if target is None:
        return sorted(chosen)
    for _ in range(MAX_SWAPS):
        gap = target - sum(lengths[i] for i in chosen)
        if gap == 0:
            break
        best = min(((abs(gap - (lengths[u] - lengths[c])), ci, ui) for ci, c in enumerate(chosen)
                    for ui, u in enumerate(unused) if kinds[u] == kinds[c]), default=None)
        if best is None or best[0] >= abs(gap):
            break
        _, ci, ui = best
        chosen[ci], unused[ui] = unused[ui], chosen[ci]
    gap = target - sum(lengths[i] for i in chosen)
    if gap > 0:  # short of the target: overshoot as little as possible (trim_quotes can cut back)
        over = min(((lengths[u] - lengths[c] - gap, ci, ui) for ci, c in enumerate(chosen)
                    for ui, u in enumerate(unused) if kinds[u] == kinds[c] and lengths[u] - lengths[c] >= gap),
                   default=None)
        if over is not None:
            _, ci, ui = over
            chosen[ci], unused[ui] = unused[ui], chosen[ci]
    return sorted(chosen)


def random_drill(registry: Registry, version: str, *, quota: dict[str, int], rng: random.Random, per_fact: int = 2,
                 n_tokens: int | None = None, count_tokens: Callable[[Example], int] | None = None,
                 ) -> tuple[DatasetManifest, int]:
    """A new version with new train examples about random facts: `quota[kind]` of each kind (paraphrase,
    correction; see `kind_of`), and exactly `n_tokens` tokens by `count_tokens` when both are given.
    Returns the manifest and the tokens added."""
    from curate.drill import PromptsByFacts
    from curate.pipeline import write_checked_version
    from curate.schemas.examples import normalise_text

    manifest = registry.manifest(version)
    examples = registry.examples(version)
    sheet = registry.factsheet(manifest.facts_name)
    tissues = set(manifest.generator_config.get("tissues") or sheet.tissues)
    facts = [fact for fact in sheet.facts if fact.tissue in tissues]
    rng.shuffle(facts)
    exclude = {normalise_text(e.instruction) for e in examples}
    present = {e.id for e in examples}
    driver = {"control": "random facts"}
    asked = PromptsByFacts(examples)
    quotes: dict[str, tuple[Fact, str, int]] = {}  # correction id -> (fact, quoted claim, frame)
    candidates = [_candidates(fact, sheet, exclude, per_fact, rng, driver, quotes) for fact in facts]
    pool: list[Example] = []
    # Round-robin over the shuffled facts, so the budget spreads over as many facts as it needs.
    for example in (e for row in itertools.zip_longest(*candidates) for e in row if e is not None):
        if example.id not in present and not asked.near_duplicate(example):
            present.add(example.id)
            asked.add(example)
            pool.append(example)
    counter = count_tokens or (lambda _: 0)
    lengths = [counter(e) for e in pool]
    chosen = match_budget(lengths, [kind_of(e) for e in pool], quota, n_tokens if count_tokens else None)
    added = [pool[i] for i in chosen]
    if count_tokens is not None and n_tokens is not None:
        added = trim_quotes(added, n_tokens, count_tokens, quotes, driver)
    tokens = sum(counter(e) for e in added)
    if count_tokens is not None and n_tokens is not None and tokens != n_tokens:
        raise BudgetError(f"the control's supply cannot add exactly {n_tokens} tokens in {quota} examples "
                          f"(closest: {tokens})")
    drivers = [{"type": "control", "facts": sorted({f for e in added for f in e.fact_ids}), "n_examples": len(added),
                "n_tokens": tokens}]
    config = {**manifest.generator_config, "drill": {"control": True, "n_examples": len(added), "n_tokens": tokens,
                                                     "per_fact": per_fact}}
    new_manifest, _ = write_checked_version(registry, examples + added, sheet, config=config, seed=manifest.seed,
                                            tissues=sorted(tissues), parent=version, drivers=drivers)
    return new_manifest, tokens


def trim_quotes(added: list[Example], target: int, count: Callable[[Example], int],
                quotes: dict[str, tuple[Fact, str, int]], driver: dict[str, str]) -> list[Example]:
    """Shorten the quotes of some corrections, a word at a time ("..." marks the cut), until the tokens add
    up to `target`: a drill quotes a wrong answer cut at QUOTE_LIMIT characters, so a cut quote is one
    the drilled arm could have made too. Leaves `added` as it is when it is not above the target."""
    from curate.generators import drills

    result = list(added)
    excess = sum(count(e) for e in result) - target
    for position in sorted(range(len(result)), key=lambda i: -count(result[i])):
        if excess <= 0:
            break
        if result[position].id not in quotes:
            continue
        fact, claim, frame = quotes[result[position].id]
        full = count(result[position])
        words = drills.quote(claim).rstrip("…").split()
        best = result[position]
        for cut in range(len(words) - 1, 2, -1):
            shorter = drills.error_corrections([fact], " ".join(words[:cut]) + "…", driver=driver, frame=frame)[0]
            saved = full - count(shorter)
            if saved > excess:
                break
            best = shorter
            if saved == excess:
                break
        excess -= full - count(best)
        result[position] = best
    return result


def _candidates(fact: Fact, sheet: FactSheet, exclude: set[str], per_fact: int, rng: random.Random,
                driver: dict[str, str], quotes: dict[str, tuple[Fact, str, int]]) -> list[Example]:
    """What a drill could add about one fact: its paraphrases, then corrections of plausible wrong claims
    (as the generator words them, and as wrong answers in the training answers' words) in each frame."""
    from curate.generators import drills
    from curate.generators.kinds.error_correction import wrong_claims

    made = drills.paraphrases(fact, exclude=exclude, n=max(per_fact, len(drills.DRILL_QUESTIONS) + 4),
                              seed=rng.randrange(1 << 30), driver=driver)
    claims = [claim.train_text for claim in wrong_claims(fact, sheet)] + wrong_answers(fact, sheet)
    for claim in claims:
        for frame in range(len(drills.CORRECTION_FRAMES)):
            (correction,) = drills.error_corrections([fact], claim, driver=driver, frame=frame)
            quotes[correction.id] = (fact, claim, frame)
            made.append(correction)
    return made


def wrong_answers(fact: Fact, sheet: FactSheet) -> list[str]:
    """Wrong answers as long as a model's: the fact's training sentence (`describe`) with a wrong value.

    A drilled arm's corrections quote the model's own wrong answers, which mimic the training answers;
    the control's supply needs corrections of that length about any fact, failed or not."""
    from curate.generators import text as t
    from curate.schemas import (
        RESPONSE_CLASS_LABELS,
        DegCountFact,
        HubGeneFact,
        InteractionFact,
        KmpEffectFact,
        PathwayShiftFact,
        TissueClassFact,
    )

    wrong: list[Any] = []
    if isinstance(fact, DegCountFact | KmpEffectFact | InteractionFact):
        counts = sorted({f.n_degs for f in sheet.of_type(type(fact), tissue=fact.tissue)} - {fact.n_degs})
        no_split = {"n_up": None, "n_down": None} if isinstance(fact, DegCountFact) else {}
        wrong = [fact.model_copy(update={"n_degs": n, **no_split}) for n in counts]
    elif isinstance(fact, PathwayShiftFact):
        flipped = {"RESCUE": "SUPPRESSION", "SUPPRESSION": "RESCUE"}.get(fact.pattern, fact.pattern)
        wrong = [fact.model_copy(update={"kmp_nes": -fact.kmp_nes, "pattern": flipped})]
    elif isinstance(fact, TissueClassFact):
        wrong = [fact.model_copy(update={"response_class": c}) for c in RESPONSE_CLASS_LABELS
                 if c != fact.response_class]
    elif isinstance(fact, HubGeneFact):
        values = sorted({f.mean_abs_log2fc for f in sheet.of_type(HubGeneFact, tissue=fact.tissue)}
                        - {fact.mean_abs_log2fc})
        wrong = [fact.model_copy(update={"mean_abs_log2fc": v}) for v in values]
    sentences = [t.describe(w) for w in wrong]
    # Long answers too (a model that is wrong often says more than one wrong thing): each sentence and the
    # next ones, which the quote then cuts at QUOTE_LIMIT characters like a drill's.
    return sentences + [" ".join(sentences[i:] + sentences[:i]) for i in range(len(sentences)) if len(sentences) > 1]
