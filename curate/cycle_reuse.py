"""`curate cycle --round1-from CYCLE`: start from another cycle's round 1 instead of fitting it again.

Round 1 is the same model for every drill variant of an experiment (same version, base, recipe and seed),
and it is the costliest fit of a seed. An ablation (`--drill paraphrases`, `--drill corrections`) reuses
the round-1 fit, evaluation and review of a finished cycle; only the drills and later rounds are new.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.cycle import CycleState
    from curate.registry import Registry

# The settings that decide the round-1 model; all must match the source cycle's.
ROUND1_SETTINGS = ("version", "base_model", "preset", "epochs", "config_file", "per_fact")


def source_cycle(registry: Registry, cycle_id: str) -> dict[str, Any]:
    path = registry.home / "cycles" / cycle_id / "state.json"
    if not path.is_file():
        raise NotFoundError(f"--round1-from {cycle_id}: no such cycle in {registry.home / 'cycles'}")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def reuse_settings(registry: Registry, settings: dict[str, Any]) -> dict[str, Any]:
    """The new cycle's settings with the source's round-1 model settings; refuses a source that differs or
    has not finished round 1 for every seed asked."""
    source = source_cycle(registry, settings["round1_from"])
    theirs = source["request"]
    if not theirs.get("base_model"):  # the source's tiny base lives in its folder: use that very model
        theirs = {**theirs, "base_model": str(registry.home / "cycles" / source["cycle_id"] / "base")}
    if not settings.get("base_model"):
        settings = {**settings, "base_model": theirs["base_model"]}
    for key in ROUND1_SETTINGS:
        if str(settings.get(key) or "") != str(theirs.get(key) or ""):
            raise BadInputError(f"--round1-from {source['cycle_id']}: its {key} is {theirs.get(key)!r}, "
                                f"this cycle's is {settings.get(key)!r}; round 1 would be another model")
    for seed in settings["seeds"]:
        if round1_record(source, seed) is None:
            raise BadInputError(f"--round1-from {source['cycle_id']}: seed {seed} has not finished round 1 there "
                                "(fit, eval and review)")
    return settings


def round1_record(source: dict[str, Any], seed: int) -> dict[str, Any] | None:
    """The source cycle's drilled round-1 record of `seed`, if its fit, eval and review are done."""
    return next((r for r in source["rounds"] if (r["seed"], r["arm"], r["round"]) == (seed, "drilled", 1)
                 and {"fit", "eval", "review"} <= set(r["done"])), None)


def shared_record(registry: Registry, state: CycleState, record: dict[str, Any]) -> dict[str, Any] | None:
    """The record whose fit, eval and review this one shares: the drilled arm's of the same round, or, in round 1
    with --round1-from, the source cycle's."""
    if record["round"] == 1 and state.request.get("round1_from"):
        return round1_record(source_cycle(registry, state.request["round1_from"]), record["seed"])
    return state.find(record["seed"], "drilled", record["round"])
