"""Does drilling work? Per round, the drilled and control arms on the same held-out items, over seeds.

Each evaluated (seed, arm, round) has one eval report; an item is a held-out test example, scored
correct or not. For every round this computes, from those items alone (curate/stats.py):

- each arm's accuracy over seeds and items, with a 95% bootstrap interval (seeds and items resampled
  together), and the Wilson interval of the pooled count;
- the paired difference drilled - control, with its bootstrap interval (the same resampled seeds and
  items for both arms);
- the exact McNemar test on the (seed, item) pairs, and a sign-flip permutation test on the items
  (each item's difference averaged over seeds, so an item counts once);
- each arm's accuracy on the items about facts it had drilled before that round, and on the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from curate.schemas.errors import BadInputError

ItemsOf = Callable[[str], list[dict[str, Any]]]  # eval id -> its items (example_id, fact_ids, correct, ...)
BOOTSTRAP_DRAWS = 4000


def round_effects(cycle: dict[str, Any], items_of: ItemsOf) -> list[dict[str, Any]]:
    """One entry per round, over the seeds in which every arm of the cycle was evaluated in that round
    (while a cycle runs, later rounds have fewer seeds; each entry names its seeds)."""
    evaluated = [r for r in cycle["rounds"] if r.get("eval_id")]
    by_key = {(r["seed"], r["arm"], r["round"]): r for r in evaluated}
    arms = ["drilled", "control"] if cycle["request"].get("control") else ["drilled"]
    effects = []
    for round_number in sorted({r["round"] for r in evaluated}):
        seeds = sorted({s for s, _, r in by_key if r == round_number and all((s, a, r) in by_key for a in arms)})
        if seeds:
            effects.append(_round_effect(cycle, by_key, seeds, round_number, arms, items_of))
    return effects


def _round_effect(cycle: dict[str, Any], by_key: dict[tuple[int, str, int], dict[str, Any]], seeds: list[int],
                  round_number: int, arms: list[str], items_of: ItemsOf) -> dict[str, Any]:
    from curate.stats import bootstrap, item_differences, mcnemar_exact, sign_flip_test, wilson

    results = {arm: [_by_item(items_of(by_key[(s, arm, round_number)]["eval_id"])) for s in seeds] for arm in arms}
    item_ids = sorted(results["drilled"][0])
    for arm, per_seed in results.items():
        for seed, items in zip(seeds, per_seed, strict=True):
            if sorted(items) != item_ids:
                raise BadInputError(f"round {round_number}: seed {seed} {arm} was scored on other held-out items "
                                    f"than seed {seeds[0]} drilled; the arms are not comparable")
    matrix = {arm: [[int(items[i]["correct"]) for i in item_ids] for items in per_seed]
              for arm, per_seed in results.items()}
    entry: dict[str, Any] = {"round": round_number, "seeds": seeds, "n_items": len(item_ids), "arms": {}}
    second = matrix.get("control")
    drilled_ci, control_ci, diff_ci = bootstrap(matrix["drilled"], second, draws=BOOTSTRAP_DRAWS, seed=round_number)
    for arm, interval in (("drilled", drilled_ci), ("control", control_ci)):
        if interval is None:
            continue
        cells = [x for row in matrix[arm] for x in row]
        entry["arms"][arm] = {
            "accuracy": interval.estimate, "bootstrap_95": [interval.low, interval.high],
            "correct": sum(cells), "answers": len(cells), "wilson_95": list(wilson(sum(cells), len(cells))),
            "per_seed": [sum(row) / len(row) for row in matrix[arm]],
            "by_drilled_facts": _by_drilled_facts(cycle, by_key, seeds, arm, round_number, results[arm]),
        }
    if second is not None and diff_ci is not None:
        test = mcnemar_exact(matrix["drilled"], second)
        entry["difference"] = {"drilled_minus_control": diff_ci.estimate, "bootstrap_95": [diff_ci.low, diff_ci.high]}
        entry["mcnemar"] = {"drilled_only_right": test.b, "control_only_right": test.c, "p_value": test.p_value}
        entry["sign_flip"] = {"p_value": sign_flip_test(item_differences(matrix["drilled"], second)),
                              "unit": "item (difference averaged over seeds)"}
    return entry


def _by_item(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["example_id"]: item for item in items}


def drilled_before(cycle: dict[str, Any], seed: int, arm: str, round_number: int) -> set[str]:
    """Facts the arm's drills added examples about in the rounds before `round_number`."""
    facts: set[str] = set()
    for record in cycle["rounds"]:
        if (record["seed"], record["arm"]) == (seed, arm) and record["round"] < round_number:
            facts.update(record.get("drilled_facts") or [])
    return facts


def _by_drilled_facts(cycle: dict[str, Any], by_key: dict[tuple[int, str, int], dict[str, Any]], seeds: list[int],
                      arm: str, round_number: int, per_seed: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Accuracy on items about facts this arm drilled before the round, and on the rest (pooled over seeds)."""
    from curate.stats import wilson

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for seed, items in zip(seeds, per_seed, strict=True):
        drilled = drilled_before(cycle, seed, arm, round_number)
        for item in items.values():
            group = "drilled" if drilled & set(item.get("fact_ids") or []) else "not_drilled"
            counts[group][0] += int(item["correct"])
            counts[group][1] += 1
    return {group: {"correct": right, "answers": n, "accuracy": right / n if n else None,
                    "wilson_95": list(wilson(right, n))}
            for group, (right, n) in sorted(counts.items())}
