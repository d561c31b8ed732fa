"""The control arm's budget: exactly as many examples of each kind and tokens as the drilled arm."""

from __future__ import annotations

import pytest

from curate.control import BudgetError, match_budget


def test_swaps_reach_the_exact_token_target_within_each_kind() -> None:
    lengths = [10, 12, 30, 31, 50, 9, 40, 44]
    kinds = ["paraphrase"] * 5 + ["correction"] * 3
    chosen = match_budget(lengths, kinds, {"paraphrase": 2, "correction": 1}, target=90)  # 50 + 31 + 9
    assert sum(lengths[i] for i in chosen) == 90
    assert sorted(kinds[i] for i in chosen) == ["correction", "paraphrase", "paraphrase"]


def test_a_realistic_pool_matches_a_longer_drilled_arm_exactly() -> None:
    """Drilled corrections quote the model's own answers and run longer; the pool still matches them."""
    import random

    rng = random.Random(0)
    lengths = [rng.randint(70, 110) for _ in range(300)] + [rng.randint(90, 160) for _ in range(200)]
    kinds = ["paraphrase"] * 300 + ["correction"] * 200
    quota = {"paraphrase": 60, "correction": 45}
    target = 60 * 98 + 45 * 141  # well above the pool's mean length for both kinds
    chosen = match_budget(lengths, kinds, quota, target)
    assert sum(lengths[i] for i in chosen) == target
    assert [kinds[i] for i in chosen].count("correction") == 45


def test_first_items_are_kept_when_they_already_match() -> None:
    lengths = [5, 6, 7, 8]
    assert match_budget(lengths, ["paraphrase"] * 4, {"paraphrase": 2}, target=11) == [0, 1]
    assert match_budget(lengths, ["paraphrase"] * 4, {"paraphrase": 3}, target=None) == [0, 1, 2]


def test_an_unreachable_budget_returns_the_closest_and_a_short_supply_is_refused() -> None:
    lengths = [5, 6, 7]
    chosen = match_budget(lengths, ["paraphrase"] * 3, {"paraphrase": 2}, target=100)
    assert sum(lengths[i] for i in chosen) == 13  # the caller sees the gap and refuses it
    with pytest.raises(BudgetError, match="holds 1 new corrections"):
        match_budget([5, 6], ["paraphrase", "correction"], {"correction": 2}, target=None)


def test_cutting_quotes_short_removes_exactly_the_excess_tokens() -> None:
    from curate.control import trim_quotes, wrong_answers
    from curate.generators import drills
    from curate.generators.embedded import load_default_factsheet

    sheet = load_default_factsheet()
    fact = sheet.by_id()["deg_count:liver:HU"]
    claim = max(wrong_answers(fact, sheet), key=len)
    (correction,) = drills.error_corrections([fact], claim, driver={"control": "test"}, frame=0)
    paraphrase = drills.paraphrases(fact, exclude=set(), n=1, seed=0, driver={"control": "test"})[0]

    def words(example) -> int:
        return len(f"{example.instruction} {example.output}".split())

    quotes = {correction.id: (fact, claim, 0)}
    total = words(correction) + words(paraphrase)
    trimmed = trim_quotes([correction, paraphrase], total - 5, words, quotes, {"control": "test"})
    assert sum(words(e) for e in trimmed) == total - 5
    assert trimmed[1] == paraphrase and '…"' in trimmed[0].instruction
    assert trim_quotes([correction], total + 9, words, quotes, {}) == [correction]  # below the target: unchanged
