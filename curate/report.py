"""`curate report`: a cycle's progression across rounds, and whether drilling beat the control.

A report reads a cycle's state.json and the eval report of every evaluated round, from the registry
or from a folder an earlier report exported (`--from`). It writes the progression table, the
per-round statistics of curate/effect.py, `progression.png` (each arm's accuracy with its 95%
bootstrap interval) and the reliability diagrams; and it exports what it read into ``<out>/data/``
(state.json, items.json: the held-out items, evals/<eval id>.json: each round's scored answers), so
that the same report can be recomputed from the folder alone.
"""

from __future__ import annotations

import json
import shutil
import statistics
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.effect import ItemsOf
    from curate.registry import Registry

PLOT = "progression.png"
DATA = "data"
ITEM_FIELDS = ("example_id", "kind", "tissue", "fact_ids", "correct", "confidence", "answer")


def progression_rows(cycle: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (seed, arm, round) that has been evaluated."""
    rows = []
    for record in cycle["rounds"]:
        metrics = record.get("metrics")
        if not metrics:
            continue
        rows.append({
            "seed": record["seed"],
            "arm": record["arm"],
            "round": record["round"],
            "version": record["version"],
            "stage": record.get("stage") or "sft",
            "reward": metrics.get("reward"),
            "examples": record.get("n_examples"),
            "accuracy": metrics["accuracy"],
            "ece": metrics["ece"],
            "by_kind": metrics["by_kind"],
            "by_tissue": metrics["by_tissue"],
            "failures": record.get("n_failures"),
            "drilled_facts": len(record.get("drilled_facts", [])),
            "added": record.get("added"),
            "added_by_kind": record.get("added_by_kind"),
            "added_tokens": record.get("added_tokens"),
            "next_version": record.get("next_version"),
            "eval_id": record.get("eval_id"),
            "fit_s": (record.get("fit") or {}).get("time_s"),
            "eval_s": record.get("eval_s"),
        })
    return sorted(rows, key=lambda r: (r["arm"] != "drilled", r["seed"], r["round"]))


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Accuracy per arm and round across seeds: mean, standard deviation, min and max."""
    grouped: dict[tuple[str, int], list[float]] = defaultdict(list)
    for row in rows:
        grouped[(row["arm"], row["round"])].append(row["accuracy"])
    summary = []
    for (arm, round_number), values in sorted(grouped.items(), key=lambda kv: (kv[0][0] != "drilled", kv[0][1])):
        summary.append({
            "arm": arm, "round": round_number, "n_seeds": len(values),
            "mean": statistics.fmean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values),
        })
    return summary


def budget_check(cycle: dict[str, Any]) -> list[dict[str, Any]]:
    """Per seed and round with a control drill: both arms' added examples by kind and tokens, and whether equal."""
    checks = []
    for record in cycle["rounds"]:
        if record["arm"] != "control" or "added_tokens" not in record:
            continue
        twin: dict[str, Any] = next((r for r in cycle["rounds"] if (r["seed"], r["arm"], r["round"]) ==
                     (record["seed"], "drilled", record["round"])), {})
        checks.append({"seed": record["seed"], "round": record["round"],
                       "drilled": [twin.get("added_by_kind"), twin.get("added_tokens")],
                       "control": [record.get("added_by_kind"), record.get("added_tokens")],
                       "equal": (twin.get("added_by_kind"), twin.get("added_tokens")) ==
                                (record.get("added_by_kind"), record.get("added_tokens"))})
    return checks


# -- where the cycle and its evals come from ---------------------------------------------------------------
def pick_cycle(registry: Registry, cycle_ids: list[str] | str | None) -> dict[str, Any]:
    """The named cycle (default: the latest), or several pooled into one (`pool_cycles`)."""
    from curate.cycle import load_cycles

    cycles = load_cycles(registry)
    if not cycles:
        raise NotFoundError(f"no cycles in {registry.home / 'cycles'}: run `curate cycle` first")
    if not cycle_ids:
        return cycles[-1]
    by_id = {cycle["cycle_id"]: cycle for cycle in cycles}
    wanted = [cycle_ids] if isinstance(cycle_ids, str) else list(cycle_ids)
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise NotFoundError(f"cycle {missing[0]!r} not found (cycles: {', '.join(by_id)})")
    return by_id[wanted[0]] if len(wanted) == 1 else pool_cycles([by_id[i] for i in wanted])


# Settings that make cycles one experiment: pooled cycles must agree on all of them.
POOLED_SETTINGS = ("rounds", "reviewer", "control", "version", "preset", "epochs", "config_file", "per_fact",
                   "base_model", "drill_parts", "warm_start", "warm_epochs")


def pool_cycles(cycles: list[dict[str, Any]]) -> dict[str, Any]:
    """Cycles of one experiment run side by side over different seeds, as one cycle.

    A cycle contributes the seeds it evaluated (a cycle stopped before a seed's first evaluation, because
    another process took that seed over, contributes nothing for it); no seed may come from two cycles."""
    first = cycles[0]["request"]
    for cycle in cycles[1:]:
        differ = [k for k in POOLED_SETTINGS if cycle["request"].get(k) != first.get(k)]
        if differ:
            raise BadInputError(f"cycles {cycles[0]['cycle_id']} and {cycle['cycle_id']} differ in {differ[0]} "
                                f"({first.get(differ[0])!r} vs {cycle['request'].get(differ[0])!r}); pool only "
                                "cycles of the same experiment")
    evaluated = [sorted({r["seed"] for r in c["rounds"] if r.get("eval_id")}) for c in cycles]
    seeds = [seed for group in evaluated for seed in group]
    if len(seeds) != len(set(seeds)):
        raise BadInputError(f"pooled cycles evaluated a seed twice ({sorted(seeds)}); give each cycle its own seeds")
    rounds = [r for c, group in zip(cycles, evaluated, strict=True) for r in c["rounds"] if r["seed"] in group]
    finished = all(c["finished"] or set(group) < set(c["request"]["seeds"]) for c, group in
                   zip(cycles, evaluated, strict=True))
    return {"cycle_id": "+".join(c["cycle_id"] for c in cycles), "request": {**first, "seeds": sorted(seeds)},
            "rounds": rounds, "finished": finished, "pooled": [c["cycle_id"] for c in cycles]}


def items_from_registry(registry: Registry) -> ItemsOf:
    def items_of(eval_id: str) -> list[dict[str, Any]]:
        path = registry.home / "evals" / eval_id / "report.json"
        if not path.is_file():
            raise NotFoundError(f"eval report {path} is missing; the cycle names it")
        return [{key: item.get(key) for key in ITEM_FIELDS} for item in json.loads(path.read_text())["items"]]

    return items_of


def load_exported(folder: Path) -> tuple[dict[str, Any], ItemsOf]:
    """A cycle and its evals from a report's exported data (`<out>/data`, or the report folder itself)."""
    data = folder / DATA if (folder / DATA / "state.json").is_file() else folder
    state = data / "state.json"
    if not state.is_file():
        raise BadInputError(f"--from {folder}: no state.json there or in {folder / DATA}; give a folder written by "
                            "`curate report --out`")
    try:
        cycle = json.loads(state.read_text())
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{state}: line {exc.lineno}: not valid JSON ({exc.msg})") from None

    def items_of(eval_id: str) -> list[dict[str, Any]]:
        path = data / "evals" / f"{eval_id}.json"
        if not path.is_file():
            raise NotFoundError(f"{path} is missing; {state} names eval {eval_id}")
        return list(json.loads(path.read_text())["items"])

    return cycle, items_of


def export_data(cycle: dict[str, Any], items_of: ItemsOf, out: Path, held_out: list[dict[str, Any]] | None) -> Path:
    """state.json, the held-out items, and each eval's scored answers: enough to recompute the report."""
    data = out / DATA
    (data / "evals").mkdir(parents=True, exist_ok=True)
    public = {key: cycle[key] for key in ("cycle_id", "request", "rounds", "finished", "pooled") if key in cycle}
    (data / "state.json").write_text(json.dumps(public, indent=1, sort_keys=True, default=str) + "\n")
    for record in cycle["rounds"]:
        if record.get("eval_id"):
            payload = {"eval_id": record["eval_id"], "seed": record["seed"], "arm": record["arm"],
                       "round": record["round"], "items": items_of(record["eval_id"])}
            (data / "evals" / f"{record['eval_id']}.json").write_text(json.dumps(payload, indent=0) + "\n")
    if held_out is not None:
        (data / "items.json").write_text(json.dumps(held_out, indent=1) + "\n")
    return data


def held_out_items(registry: Registry, cycle: dict[str, Any]) -> list[dict[str, Any]]:
    """The start version's test split: the items every arm and seed was scored on."""
    version = cycle["request"]["version"]
    return [{"example_id": e.id, "kind": e.kind, "tissue": e.tissue, "fact_ids": list(e.fact_ids),
             "instruction": e.instruction, "input": e.input, "reference": e.output}
            for e in registry.examples(version, split="test")]


# -- the report ---------------------------------------------------------------------------------------------
def write_report(cycle: dict[str, Any], items_of: ItemsOf, out: Path, *, registry: Registry | None = None,
                 source: str | None = None, diagrams: bool = True) -> dict[str, Any]:
    from curate.effect import round_effects

    rows = progression_rows(cycle)
    summary = summarise(rows)
    effects = round_effects(cycle, items_of)
    out.mkdir(parents=True, exist_ok=True)
    seeds = sorted({r["seed"] for r in rows})
    name = cycle["cycle_id"].split("+")[0] + (f" (+{len(cycle['pooled']) - 1} pooled)" if cycle.get("pooled") else "")
    plot_progression(effects, out / PLOT, title=f"{name}: held-out accuracy, {len(seeds)} seed(s),\n"
                                               f"95% bootstrap intervals over seeds and items")
    copied = _copy_reliability(registry, rows, out) if registry is not None and diagrams else []
    data = None
    if registry is not None:
        data = export_data(cycle, items_of, out, held_out_items(registry, cycle))
    from curate.stages import report_rows, report_summary

    stages = report_rows(cycle)
    return {"cycle_id": cycle["cycle_id"], "source": source, "settings": _settings(cycle), "rows": rows,
            "summary": summary, "stages": stages, "stage_summary": report_summary(stages), "effects": effects,
            "budgets": budget_check(cycle), "plot": str(out / PLOT),
            "reliability": [str(p) for p in copied], "data": str(data) if data else None,
            "statistics": {"accuracy_interval": "95% percentile bootstrap, seeds and items resampled together "
                                                "(4,000 draws); wilson_95: Wilson interval of the pooled count",
                           "paired_tests": "exact McNemar on (seed, item) pairs; sign-flip permutation test on "
                                           "items (exact up to 20 non-zero items, else 20,000 draws)"}}


def _settings(cycle: dict[str, Any]) -> dict[str, Any]:
    keep = ("rounds", "reviewer", "control", "seeds", "version", "preset", "epochs", "per_fact", "drill_parts",
            "config_file", "base_model", "warm_start", "warm_epochs", "threads", "stage")
    return {key: cycle["request"].get(key) for key in keep}


def plot_progression(effects: list[dict[str, Any]], path: Path, *, title: str) -> None:
    """Each arm's accuracy per round with its 95% bootstrap interval (seeds and items resampled)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    for offset, (arm, colour) in zip((-0.04, 0.04), (("drilled", "tab:blue"), ("control", "tab:gray")), strict=True):
        points = [(e["round"], e["arms"][arm]) for e in effects if arm in e["arms"]]
        if not points:
            continue
        rounds = [r + offset for r, _ in points]
        means = [p["accuracy"] for _, p in points]
        errors = [[m - p["bootstrap_95"][0] for m, (_, p) in zip(means, points, strict=True)],
                  [p["bootstrap_95"][1] - m for m, (_, p) in zip(means, points, strict=True)]]
        axis.errorbar(rounds, means, yerr=errors, marker="o", capsize=4, color=colour, label=arm)
        for (_, p), x in zip(points, rounds, strict=True):
            axis.scatter([x] * len(p["per_seed"]), p["per_seed"], color=colour, alpha=0.35, s=10)
    for e in effects:
        if "difference" in e:
            d = e["difference"]
            axis.annotate(f"Δ {d['drilled_minus_control']:+.3f}\n[{d['bootstrap_95'][0]:+.3f}, "
                          f"{d['bootstrap_95'][1]:+.3f}]\nMcNemar p={e['mcnemar']['p_value']:.2g}",
                          (e["round"], 0.97), xycoords=("data", "axes fraction"), ha="center", va="top",
                          fontsize=7)
    axis.set_xlabel("round (dots: single seeds)")
    axis.set_ylabel("accuracy on the held-out test split")
    top = max((a["bootstrap_95"][1] for e in effects for a in e["arms"].values()), default=0.0)
    axis.set_ylim(0, min(1.0, max(0.5, top + 0.2)))
    rounds_seen = sorted({e["round"] for e in effects})
    axis.set_xticks(rounds_seen)
    if rounds_seen:
        axis.set_xlim(rounds_seen[0] - 0.5, rounds_seen[-1] + 0.5)
    axis.set_title(title, fontsize=8)
    axis.legend(fontsize=8, loc="center right")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _copy_reliability(registry: Registry, rows: list[dict[str, Any]], out: Path) -> list[Path]:
    copied = []
    for row in rows:
        source = registry.home / "evals" / str(row["eval_id"]) / "reliability.png"
        if source.is_file():
            target = out / f"reliability-{row['arm']}-seed{row['seed']}-round{row['round']}.png"
            shutil.copyfile(source, target)
            copied.append(target)
    return copied


def table_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The progression table as printed: one line per round, per-kind accuracy compressed."""
    return [[
        r["arm"], r["seed"], r["round"], r["version"], r.get("stage", "sft"), r["examples"], f"{r['accuracy']:.3f}",
        "-" if r["ece"] is None else f"{r['ece']:.3f}", "-" if r.get("reward") is None else f"{r['reward']:+.3f}",
        " ".join(f"{k[:8]}={v:.2f}" for k, v in sorted(r["by_kind"].items())),
        "-" if r["added"] is None else f"{r['added']} ex / {r.get('added_tokens') or '-'} tok / "
                                       f"{r['drilled_facts']} facts",
    ] for r in rows]


TABLE_COLUMNS = ["arm", "seed", "round", "version", "stage", "examples", "accuracy", "ECE", "reward", "by kind",
                 "drilled"]


def effect_rows(effects: list[dict[str, Any]]) -> list[list[Any]]:
    """Per round: each arm's accuracy [95% interval], the difference, and the paired tests."""
    def arm(e: dict[str, Any], name: str) -> str:
        if name not in e["arms"]:
            return "-"
        a = e["arms"][name]
        return f"{a['accuracy']:.3f} [{a['bootstrap_95'][0]:.3f}, {a['bootstrap_95'][1]:.3f}]"

    def split(e: dict[str, Any], name: str) -> str:
        groups = (e["arms"].get(name) or {}).get("by_drilled_facts") or {}
        return " / ".join(f"{g['accuracy']:.2f} ({g['answers']})" if g["answers"] else "-"
                          for g in (groups.get("drilled", {"answers": 0}), groups.get("not_drilled", {"answers": 0})))

    out = []
    for e in effects:
        diff = e.get("difference")
        out.append([e["round"], len(e["seeds"]), e["n_items"], arm(e, "drilled"), arm(e, "control"),
                    "-" if not diff else f"{diff['drilled_minus_control']:+.3f} [{diff['bootstrap_95'][0]:+.3f}, "
                                         f"{diff['bootstrap_95'][1]:+.3f}]",
                    "-" if not diff else f"{e['mcnemar']['drilled_only_right']}/{e['mcnemar']['control_only_right']} "
                                         f"p={e['mcnemar']['p_value']:.3g}",
                    "-" if not diff else f"{e['sign_flip']['p_value']:.3g}",
                    split(e, "drilled"), split(e, "control")])
    return out


EFFECT_COLUMNS = ["round", "seeds", "items", "drilled acc [95%]", "control acc [95%]", "drilled - control [95%]",
                  "McNemar b/c p", "sign-flip p", "drilled arm: drilled / other facts",
                  "control arm: drilled / other facts"]
