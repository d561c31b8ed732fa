"""curate report's statistics on a hand-made two-seed cycle, and pooling cycles run side by side."""

from __future__ import annotations

import pytest

from curate.effect import round_effects
from curate.report import pool_cycles
from curate.schemas.errors import BadInputError

# Two seeds, one round 2: item i1 is about fact f1, which the drilled arm drilled in round 1.
CORRECT = {  # (seed, arm) -> correctness of items i1, i2, i3
    (0, "drilled"): [1, 1, 0], (0, "control"): [0, 1, 0],
    (1, "drilled"): [1, 0, 1], (1, "control"): [0, 0, 1],
}
FACTS = {"i1": ["f1"], "i2": ["f2"], "i3": ["f3"]}


def _cycle(seeds: tuple[int, ...] = (0, 1), cycle_id: str = "c1") -> dict:
    rounds = []
    for seed in seeds:
        rounds.append({"seed": seed, "arm": "drilled", "round": 1, "eval_id": f"r1-{seed}", "drilled_facts": ["f1"]})
        rounds.append({"seed": seed, "arm": "control", "round": 1, "eval_id": f"r1-{seed}", "drilled_facts": ["f3"]})
        for arm in ("drilled", "control"):
            rounds.append({"seed": seed, "arm": arm, "round": 2, "eval_id": f"{arm}-{seed}"})
    request = {"seeds": list(seeds), "rounds": 2, "control": True, "version": "v1", "epochs": 6}
    return {"cycle_id": cycle_id, "request": request, "rounds": rounds, "finished": True}


def _items(eval_id: str) -> list[dict]:
    if eval_id.startswith("r1-"):
        values = [0, 0, 0]
    else:
        arm, seed = eval_id.split("-")
        values = CORRECT[(int(seed), arm)]
    return [{"example_id": item, "fact_ids": FACTS[item], "correct": bool(v)}
            for item, v in zip(("i1", "i2", "i3"), values, strict=True)]


def test_round_effects_pair_the_arms_by_seed_and_item() -> None:
    first, second = round_effects(_cycle(), _items)
    assert first["round"] == 1 and first["difference"]["drilled_minus_control"] == 0
    assert second["n_items"] == 3 and second["seeds"] == [0, 1]
    assert second["arms"]["drilled"]["accuracy"] == pytest.approx(4 / 6)
    assert second["arms"]["control"]["accuracy"] == pytest.approx(2 / 6)
    assert second["arms"]["drilled"]["per_seed"] == pytest.approx([2 / 3, 2 / 3])
    assert second["difference"]["drilled_minus_control"] == pytest.approx(2 / 6)
    # item i1 in both seeds: drilled right, control wrong; nothing the other way: p = 2 * 0.5^2
    assert second["mcnemar"] == {"drilled_only_right": 2, "control_only_right": 0, "p_value": pytest.approx(0.5)}
    assert second["sign_flip"]["p_value"] == 1.0  # one item with a non-zero difference: 2 flips, both as extreme
    by_facts = second["arms"]["drilled"]["by_drilled_facts"]
    assert (by_facts["drilled"]["correct"], by_facts["drilled"]["answers"]) == (2, 2)  # i1, both seeds
    assert (by_facts["not_drilled"]["correct"], by_facts["not_drilled"]["answers"]) == (2, 4)
    control = second["arms"]["control"]["by_drilled_facts"]
    assert (control["drilled"]["correct"], control["drilled"]["answers"]) == (1, 2)  # i3 was the control's pick
    low, high = second["difference"]["bootstrap_95"]
    assert low <= 2 / 6 <= high


def test_pooling_cycles_needs_the_same_settings_and_other_seeds() -> None:
    pooled = pool_cycles([_cycle((0,), "a"), _cycle((1,), "b")])
    assert pooled["request"]["seeds"] == [0, 1] and pooled["pooled"] == ["a", "b"]
    assert round_effects(pooled, _items)[1]["mcnemar"]["drilled_only_right"] == 2
    with pytest.raises(BadInputError, match="evaluated a seed twice"):
        pool_cycles([_cycle((0,), "a"), _cycle((0, 1), "b")])
    stopped = _cycle((0, 1), "a")  # stopped before seed 1 was evaluated: another cycle ran seed 1
    stopped["rounds"] = [dict(r, eval_id=None) if r["seed"] == 1 else r for r in stopped["rounds"]]
    stopped["finished"] = False
    pooled = pool_cycles([stopped, _cycle((1,), "b")])
    assert pooled["request"]["seeds"] == [0, 1] and len(pooled["rounds"]) == 8
    other = _cycle((1,), "b")
    other["request"]["epochs"] = 8
    with pytest.raises(BadInputError, match="differ in epochs"):
        pool_cycles([_cycle((0,), "a"), other])


def test_a_running_cycle_reports_each_round_over_the_seeds_that_reached_it() -> None:
    cycle = _cycle()
    cycle["rounds"] = [r for r in cycle["rounds"] if not (r["seed"] == 1 and r["round"] == 2 and r["arm"] == "control")]
    first, second = round_effects(cycle, _items)
    assert first["seeds"] == [0, 1] and second["seeds"] == [0]
    assert second["mcnemar"]["drilled_only_right"] == 1
