"""Every number, category and ranking in every generated example, checked against the fact sheet.

The check is independent of the generators: it reads the embedded CSV files itself, recomputes every
derived value its own way, and shares no code with generators/. A wrong template fails it.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, read_examples

DATA = REPO / "generators" / "data" / "kmp_study"
CONSTANTS = {0.05, 1.25, 0.8, 45.0, 55.0, 2.0, 8.0}
NUMBER = re.compile(r"(?<![\w.×])[+-]?\d[\d,]*(?:\.\d+)?%?(?![\w×])")
LABELS = {"A": "stress-activated", "B": "baseline-active", "C": "stress-blocked"}


@dataclass
class Truth:
    """The fact sheet as plain values, read straight from the CSV files."""

    values: dict[str, list[float]] = field(default_factory=dict)  # fact id -> numbers it states
    counts: dict[str, int] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    nes: dict[str, tuple[float, float]] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def truth() -> Truth:
    out = Truth()
    for row in _rows("stressor_degs.csv"):
        key = f"deg_count:{row['tissue']}:{row['contrast']}"
        out.counts[key] = int(row["n_degs"])
        out.values[key] = [float(row[c]) for c in ("n_degs", "n_up", "n_down") if row[c]]
    for name, kind, column in (("kmp_degs.csv", "kmp_effect", "condition"),
                               ("interaction_degs.csv", "interaction", "term")):
        for row in _rows(name):
            key = f"{kind}:{row['tissue']}:{row[column]}"
            out.counts[key] = int(row["n_degs"])
            out.values[key] = [float(row["n_degs"])]
    for row in _rows("pathways.csv"):
        key = f"pathway_shift:{row['tissue']}:{row['pathway']}"
        out.nes[key] = (float(row["stress_nes"]), float(row["kmp_nes"]))
        out.values[key] = list(out.nes[key])
        out.patterns[key] = row["pattern"]
    for row in _rows("classes.csv"):
        out.classes[row["tissue"]] = row["response_class"]
        out.values[f"tissue_class:{row['tissue']}"] = []
    for row in _rows("hub_genes.csv"):
        out.values[f"hub_gene:{row['tissue']}:{row['gene']}"] = [float(row["mean_abs_log2fc"])]
    return out


def _parse(token: str) -> tuple[float, int]:
    """A number as written, and how many decimals it was written with."""
    clean = token.rstrip("%").replace(",", "")
    decimals = len(clean.split(".")[1]) if "." in clean else 0
    return float(clean), decimals


def _allowed(example: dict, truth: Truth) -> set[float]:
    base = [v for fact_id in example["fact_ids"] for v in truth.values[fact_id]]
    allowed = set(base) | CONSTANTS | {abs(v) for v in base}
    for a, b in itertools.permutations(base, 2):
        allowed |= {a + b, a - b, abs(a - b)}
        if b:
            allowed |= {a / b, 100 * a / b, 100 * (b - a) / b}
    pair_sums = {a + b for a, b in itertools.combinations(base, 2)}
    allowed |= {c / total for c in base for total in pair_sums if total}
    allowed |= {abs(c - total) for c in base for total in pair_sums}
    allowed |= {_parse(tok)[0] for tok in NUMBER.findall(example["instruction"])}
    return allowed


def _matches(value: float, decimals: int, allowed: set[float]) -> bool:
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    return any(abs(value - candidate) <= tolerance for candidate in allowed)


def _without_step_numbers(text: str) -> str:
    return re.sub(r"(?m)^\d+\. ", "", text)


def check_numbers(example: dict, truth: Truth) -> list[str]:
    allowed = _allowed(example, truth)
    problems = []
    for token in NUMBER.findall(_without_step_numbers(example["output"])):
        value, decimals = _parse(token)
        if not _matches(value, decimals, allowed):
            problems.append(f"number {token} matches no fact or derived value")
    return problems


def check_stated_counts(example: dict, truth: Truth) -> list[str]:
    """A count fact the example names must appear, with its exact value, in the answer ("no genes" states 0)."""
    written = {int(v) for tok in NUMBER.findall(example["output"]) for v, d in [_parse(tok)] if d == 0}
    if re.search(r"\b(?:no|zero) (?:genes|DEGs)\b", example["output"]):  # a count of 0 said in words
        written.add(0)
    return [f"{fact_id}: {truth.counts[fact_id]} is not stated" for fact_id in example["fact_ids"]
            if fact_id in truth.counts and truth.counts[fact_id] not in written]


def check_categories(example: dict, truth: Truth) -> list[str]:
    problems = []
    output = example["output"]
    tissue = example["tissue"]
    if tissue in truth.classes:
        for letter in re.findall(r"\bType ([ABC])\b", output):
            if letter != truth.classes[tissue]:
                problems.append(f"Type {letter} but {tissue} is Type {truth.classes[tissue]}")
        for label in LABELS.values():
            for match in re.finditer(rf"\b{label}\b", output):
                negated = re.search(r"\bnot (a |an )?$", output[:match.start()])
                # Every label a generated answer uses is said of the example's own tissue.
                if not negated and label != LABELS[truth.classes[tissue]]:
                    problems.append(f"calls {tissue} {label}")
    for fact_id in example["fact_ids"]:
        if fact_id in truth.patterns:
            for pattern in re.findall(r"\b(RESCUE|SUPPRESSION|KMP_ONLY|NS)\b", output):
                if pattern != truth.patterns[fact_id]:
                    problems.append(f"pattern {pattern} but {fact_id} is {truth.patterns[fact_id]}")
    return problems


def check_interaction_verdict(example: dict, truth: Truth) -> list[str]:
    found = re.search(r"combined effect is (additive|synergistic|antagonistic)", example["output"])
    if not found:
        return []
    tissue = example["tissue"]
    hu, ir, both = (truth.counts[f"deg_count:{tissue}:{c}"] for c in ("HU", "IR", "HU_IR"))
    ratio = both / (hu + ir)
    expected = "synergistic" if ratio >= 1.25 else "antagonistic" if ratio <= 0.8 else "additive"
    return [] if found.group(1) == expected else [f"says {found.group(1)}, ratio {ratio:.2f} means {expected}"]


def check_rankings(example: dict, truth: Truth) -> list[str]:
    """'a (1) > b (2) = c (3)' chains: every value true, every relation true."""
    problems = []
    chain = re.search(r"((?:[\w+ -]+ \([\d.,]+\) [>=] )+[\w+ -]+ \([\d.,]+\))", example["output"])
    if not chain:
        return problems
    items = re.findall(r"([\w+ -]+?) \(([\d.,]+)\)", chain.group(1))
    relations = re.findall(r"\) ([>=]) ", chain.group(1))
    values = [_parse(v)[0] for _, v in items]
    for (a, b), relation in zip(itertools.pairwise(values), relations, strict=False):
        if (relation == ">" and not a > b) or (relation == "=" and a != b):
            problems.append(f"ranking says {a} {relation} {b}")
    stated = {v for fact_id in example["fact_ids"] for v in truth.values[fact_id]}
    problems += [f"ranked value {v} is no fact's value" for v in values if v not in stated]
    if len(items) != len(example["fact_ids"]):
        problems.append(f"ranking has {len(items)} items for {len(example['fact_ids'])} facts")
    for claim, item in ((r"([\w+-]+) ranks first", items[0]), (r"([\w+-]+) has the least", items[-1])):
        said = re.search(claim, example["output"])
        if said and said.group(1).lower() != item[0].strip().split()[-1].lower():
            problems.append(f"'{said.group(0)}' but the order puts {item[0].strip()} there")
    return problems


def check_directions(example: dict, truth: Truth) -> list[str]:
    problems = []
    for match in re.finditer(r"NES (?:is )?([+-][\d.]+): the pathway is (lower|higher)", example["output"]):
        value, direction = float(match.group(1)), match.group(2)
        if (value < 0) != (direction == "lower"):
            problems.append(f"NES {value} described as {direction}")
    for fact_id in example["fact_ids"]:
        if fact_id in truth.nes:
            _, kmp = truth.nes[fact_id]
            for verb, sign in (("raises", 1), ("lowers", -1)):
                if re.search(rf"\bKMP {verb}\b", example["output"]) and kmp * sign < 0:
                    problems.append(f"KMP {verb} but KMP NES is {kmp}")
    split = re.search(r"so more genes go (up|down) than", example["output"])
    if split:
        key = example["fact_ids"][0]
        _, up, down = truth.values[key]
        if (up > down) != (split.group(1) == "up"):
            problems.append(f"says more genes go {split.group(1)} but up={up} down={down}")
    return problems


CHECKS = (check_numbers, check_stated_counts, check_categories, check_interaction_verdict, check_rankings,
          check_directions)


def all_problems(example: dict, truth: Truth) -> list[str]:
    return [problem for check in CHECKS for problem in check(example, truth)]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_claim_in_every_example_is_true(default_home: Path, truth: Truth, version: str) -> None:
    examples = read_examples(default_home, version)
    assert examples
    failures = {ex["template_id"] + " | " + ex["output"][:80]: all_problems(ex, truth) for ex in examples}
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, "\n".join(f"{k}: {v}" for k, v in list(failures.items())[:20])


def test_every_fact_id_exists(default_home: Path, truth: Truth) -> None:
    for example in read_examples(default_home, "v2"):
        for fact_id in example["fact_ids"]:
            assert fact_id in truth.values, fact_id
        if example["kind"] == "calibration":  # answerable exactly when it states a fact
            assert example["answerable"] == bool(example["fact_ids"])
        else:
            assert example["answerable"] and example["fact_ids"]


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda out: out.replace("4,110", "4,117", 1), "number"),
    (lambda out: out.replace("Type C", "Type A", 1), "Type A"),
    (lambda out: out.replace("stress-blocked", "stress-activated", 1), "calls"),
    (lambda out: out.replace(" > ", " = ", 1), "ranking"),
    (lambda out: out.replace("is additive", "is synergistic", 1), "synergistic"),
    (lambda out: out.replace("RESCUE", "SUPPRESSION", 1), "pattern"),
    (lambda out: out.replace("the pathway is lower", "the pathway is higher", 1), "described as"),
])
def test_a_wrong_template_would_fail(default_home: Path, truth: Truth, mutate, expected: str) -> None:
    """The checker is not blind: each kind of mistake a template could make is caught."""
    caught = 0
    for example in read_examples(default_home, "v2"):
        wrong = {**example, "output": mutate(example["output"])}
        if wrong["output"] != example["output"]:
            problems = all_problems(wrong, truth)
            assert any(expected in p for p in problems), (example["output"], problems)
            caught += 1
    assert caught > 0, "no example contained the text to mutate"
