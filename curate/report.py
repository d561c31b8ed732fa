"""`curate report`: the progression across rounds of a cycle, as a table, a plot and reliability diagrams."""

from __future__ import annotations

import shutil
import statistics
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import NotFoundError

if TYPE_CHECKING:
    from curate.registry import Registry

PLOT = "progression.png"


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
            "next_version": record.get("next_version"),
            "eval_id": record.get("eval_id"),
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


def pick_cycle(registry: Registry, cycle_id: str | None) -> dict[str, Any]:
    from curate.cycle import load_cycles

    cycles = load_cycles(registry)
    if not cycles:
        raise NotFoundError(f"no cycles in {registry.home / 'cycles'}: run `curate cycle` first")
    if cycle_id is None:
        return cycles[-1]
    for cycle in cycles:
        if cycle["cycle_id"] == cycle_id:
            return cycle
    raise NotFoundError(f"cycle {cycle_id!r} not found (cycles: {', '.join(c['cycle_id'] for c in cycles)})")


def write_report(registry: Registry, cycle: dict[str, Any], out: Path) -> dict[str, Any]:
    rows = progression_rows(cycle)
    summary = summarise(rows)
    out.mkdir(parents=True, exist_ok=True)
    plot_progression(summary, out / PLOT, title=f"{cycle['cycle_id']}: held-out test accuracy")
    diagrams = _copy_reliability(registry, rows, out)
    from curate.stages import report_rows, report_summary

    stages = report_rows(cycle)
    return {"cycle_id": cycle["cycle_id"], "settings": _settings(cycle), "rows": rows, "summary": summary,
            "stages": stages, "stage_summary": report_summary(stages),
            "plot": str(out / PLOT), "reliability": [str(p) for p in diagrams]}


def _settings(cycle: dict[str, Any]) -> dict[str, Any]:
    keep = ("rounds", "reviewer", "control", "seeds", "version", "preset", "epochs", "per_fact", "stage")
    return {key: cycle["request"].get(key) for key in keep}


def plot_progression(summary: list[dict[str, Any]], path: Path, *, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4), dpi=110)
    for arm, colour in (("drilled", "tab:blue"), ("control", "tab:gray")):
        points = [s for s in summary if s["arm"] == arm]
        if not points:
            continue
        rounds = [p["round"] for p in points]
        means = [p["mean"] for p in points]
        seeds = points[0]["n_seeds"]
        label = f"{arm} (mean of {seeds} seeds)" if seeds > 1 else f"{arm} (1 seed)"
        axis.plot(rounds, means, marker="o", color=colour, label=label)
        axis.fill_between(rounds, [p["min"] for p in points], [p["max"] for p in points], color=colour, alpha=0.2)
    axis.set_xlabel("round")
    axis.set_ylabel("accuracy on the held-out test split")
    axis.set_ylim(0, 1)
    axis.set_xticks(sorted({s["round"] for s in summary}))
    axis.set_title(title, fontsize=9)
    axis.legend(fontsize=8)
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
        " ".join(f"{k[:5]}={v:.2f}" for k, v in sorted(r["by_tissue"].items())),
        "-" if r["added"] is None else f"{r['added']} ex / {r['drilled_facts']} facts",
    ] for r in rows]


TABLE_COLUMNS = ["arm", "seed", "round", "version", "stage", "examples", "accuracy", "ECE", "reward", "by kind",
                 "by tissue", "drilled"]

