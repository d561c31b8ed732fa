"""Fault injection for the claim check: the mistakes a template, a writer or a model makes.

Each mutation changes one claim in an example's output so that it becomes false: a number swapped
for a neighbouring fact's value or for another number of the same answer, a flipped direction, a
wrong response class, pattern or interaction verdict, a reversed or re-labelled ranking, and an
invented number. `mutate` returns None when an example offers no place for the fault asked for.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from curate.schemas import FactSheet

FAULTS = ("swap_fact", "swap_within", "flip_direction", "wrong_class", "wrong_category", "reverse_ranking",
          "invented_number")

NUMBER = re.compile(r"(?<![\w.,])([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(%?)(?![\w]|\.\d)")
# Numbers that claim nothing about the data: list markers, cut-offs, rule thresholds.
SKIP_BEFORE = re.compile(r"(?:padj <|p <|at least|at most|between|and)\s*$|^\s*$")


@dataclass
class Mutation:
    fault: str
    output: str
    start: int
    end: int
    note: str


def _numbers(text: str) -> list[re.Match[str]]:
    found = []
    for match in NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start:match.start()].strip() and text[match.end():match.end() + 1] == ".":
            continue  # a list marker
        before = text[max(0, match.start() - 12):match.start()]
        if re.search(r"(?:padj <|p <|at least|at most|between)\s*$", before):
            continue
        if re.search(r"(?:%|) and\s*$", before) and match.group(3):
            continue  # "between 45% and 55%"
        found.append(match)
    return found


def _format_like(template: str, value: float) -> str:
    sign, body, pct = NUMBER.fullmatch(template).groups()  # type: ignore[union-attr]
    decimals = len(body.split(".")[1]) if "." in body else 0
    text = f"{abs(value):,.{decimals}f}" if "," in body or abs(value) < 1000 else f"{abs(value):.{decimals}f}"
    if "," not in body and abs(value) >= 1000:
        text = f"{abs(value):,.{decimals}f}"
    lead = "-" if value < 0 else ("+" if sign == "+" else "")
    return f"{lead}{text}{pct}"


def _value(match: re.Match[str]) -> float:
    value = float(match.group(2).replace(",", ""))
    return -value if match.group(1) == "-" else value


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _fact_values(sheet: FactSheet) -> dict[str, list[tuple[str, float]]]:
    """Values by (kind, attribute), for swapping in a neighbouring fact's value."""
    table: dict[str, list[tuple[str, float]]] = {}
    for fact in sheet.facts:
        if fact.kind in ("deg_count", "kmp_effect", "interaction"):
            table.setdefault("count", []).append((fact.id, float(fact.n_degs)))
            if getattr(fact, "n_up", None) is not None:
                table.setdefault("count", []).append((fact.id, float(fact.n_up)))
                table.setdefault("count", []).append((fact.id, float(fact.n_down)))
        elif fact.kind == "pathway_shift":
            table.setdefault("nes", []).extend([(fact.id, fact.stress_nes), (fact.id, fact.kmp_nes)])
        elif fact.kind == "hub_gene":
            table.setdefault("lfc", []).append((fact.id, fact.mean_abs_log2fc))
    return table


def mutate(example: dict, sheet: FactSheet, fault: str, rng: random.Random) -> Mutation | None:
    return _MAKERS[fault](example, sheet, rng)


def _swap_fact(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    table = _fact_values(sheet)
    own = {fid for fid in example["fact_ids"]}
    own_values = {v for key in table for fid, v in table[key] if fid in own}
    options = []
    for match in _numbers(text):
        value = _value(match)
        if value not in own_values or match.group(3):
            continue
        family = "nes" if match.group(1) else ("lfc" if "." in match.group(2) else "count")
        siblings = [v for fid, v in table.get(family, []) if fid not in own and v not in own_values and v != value]
        if siblings:
            options.append((match, siblings))
    if not options:
        return None
    match, siblings = rng.choice(options)
    new = _format_like(match.group(0), rng.choice(siblings))
    return Mutation("swap_fact", _replace(text, match.start(), match.end(), new), match.start(),
                    match.start() + len(new), f"{match.group(0)} -> {new} (another fact's value)")


def _swap_within(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    numbers = _numbers(text)
    pairs = []
    for i, a in enumerate(numbers):
        for b in numbers[i + 1:]:
            same_kind = bool(a.group(3)) == bool(b.group(3)) and ("." in a.group(2)) == ("." in b.group(2))
            commutative = re.fullmatch(r"\s*\+\s*", text[a.end():b.start()])
            if same_kind and _value(a) != _value(b) and not commutative:
                pairs.append((a, b))
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    out = text[:a.start()] + b.group(0) + text[a.end():b.start()] + a.group(0) + text[b.end():]
    return Mutation("swap_within", out, a.start(), b.end() + len(b.group(0)) - len(a.group(0)),
                    f"{a.group(0)} <-> {b.group(0)}")


_FLIPS = [
    (re.compile(r"(?<=\d )(up|down)\b"), {"up": "down", "down": "up"}),
    (re.compile(r"\b(?<=go )(up|down)\b(?= and)"), {"up": "down", "down": "up"}),
    (re.compile(r"(?<=are )(up|down)\b"), {"up": "down", "down": "up"}),
    (re.compile(r"\b(Share|share) (up|down)\b"), None),
    (re.compile(r"\b(up|down)-regulated\b"), {"up": "down", "down": "up"}),
    (re.compile(r"(?<=more genes go )(up than down|down than up)"), {"up than down": "down than up",
                                                                     "down than up": "up than down"}),
    (re.compile(r"(?<=\d )(more|fewer)\b"), {"more": "fewer", "fewer": "more"}),
    (re.compile(r"(?<=-fold )(more|fewer)\b"), {"more": "fewer", "fewer": "more"}),
    (re.compile(r"\b(lower|higher)\b(?=\.)"), {"lower": "higher", "higher": "lower"}),
    (re.compile(r"\b(lowers|raises)\b"), {"lowers": "raises", "raises": "lowers"}),
    (re.compile(r"pushes it back (down)"), {"down": "up"}),
    (re.compile(r"\b(shrinks)\b"), {"shrinks": "grows"}),
    (re.compile(r"(?<=% )(drop)\b"), {"drop": "increase"}),
]


def _flip_direction(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    sites = []
    for pattern, mapping in _FLIPS:
        for match in pattern.finditer(text):
            if mapping is None:  # "Share up" -> "Share down"
                word = match.group(2)
                new = f"{match.group(1)} {'down' if word == 'up' else 'up'}"
                sites.append((match.start(), match.end(), new))
            else:
                word = match.group(1)
                sites.append((match.start(1), match.end(1), mapping[word]))
    if not sites:
        return None
    start, end, new = rng.choice(sites)
    return Mutation("flip_direction", _replace(text, start, end, new), start, start + len(new),
                    f"{text[start:end]} -> {new}")


_LABELS = {"A": "stress-activated", "B": "baseline-active", "C": "stress-blocked"}


def _wrong_class(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    sites = list(re.finditer(r"Type ([ABC])(?: \((stress-activated|baseline-active|stress-blocked)\))?", text))
    labels = [m for m in re.finditer(r"\b(stress-activated|baseline-active|stress-blocked)\b", text)
              if not text[max(0, m.start() - 8):m.start()].endswith("(")]
    if not sites and not labels:
        return None
    if sites and (not labels or rng.random() < 0.7):
        match = rng.choice(sites)
        wrong = rng.choice([c for c in "ABC" if c != match.group(1)])
        new = f"Type {wrong}" + (f" ({_LABELS[wrong]})" if match.group(2) and rng.random() < 0.5 else
                                 (f" ({match.group(2)})" if match.group(2) else ""))
        return Mutation("wrong_class", _replace(text, match.start(), match.end(), new), match.start(),
                        match.start() + len(new), f"{match.group(0)} -> {new}")
    match = rng.choice(labels)
    new = rng.choice([label for label in _LABELS.values() if label != match.group(1)])
    return Mutation("wrong_class", _replace(text, match.start(), match.end(), new), match.start(),
                    match.start() + len(new), f"{match.group(0)} -> {new}")


def _wrong_category(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    """A wrong pathway pattern or a wrong additive/synergistic/antagonistic verdict."""
    text = example["output"]
    patterns = ("RESCUE", "SUPPRESSION", "KMP_ONLY", "NS")
    sites = [(m, patterns) for m in re.finditer(r"\b(RESCUE|SUPPRESSION|KMP_ONLY|NS)\b", text)]
    sites += [(m, ("additive", "synergistic", "antagonistic"))
              for m in re.finditer(r"(?<=combined effect is )(additive|synergistic|antagonistic)", text)]
    if not sites:
        return None
    match, options = rng.choice(sites)
    new = rng.choice([o for o in options if o != match.group(1)])
    return Mutation("wrong_category", _replace(text, match.start(), match.end(), new), match.start(),
                    match.start() + len(new), f"{match.group(0)} -> {new}")


_CHAIN = re.compile(r"(?:[\w+]+ \([\d.,]+\) [>=] )+[\w+]+ \([\d.,]+\)")


def _reverse_ranking(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    chains = list(_CHAIN.finditer(text))
    extremes = list(re.finditer(r"([\w+]+) ranks first|([\w+]+) has the least", text))
    choices = []
    for chain in chains:
        items = re.findall(r"([\w+]+ \([\d.,]+\))", chain.group(0))
        relations = re.findall(r"\) ([>=]) ", chain.group(0))
        if ">" in relations and len(set(items)) > 1:
            choices.append(("reverse", chain, items))
    if extremes and len(chains) > 0:
        labels = re.findall(r"([\w+]+) \(", chains[0].group(0))
        for match in extremes:
            said = match.group(1) or match.group(2)
            others = [lab for lab in labels if lab.lower() != said.lower()]
            if others:
                choices.append(("relabel", match, others))
    if not choices:
        return None
    how, match, payload = rng.choice(choices)
    if how == "reverse":
        items = payload
        relations = re.findall(r"\) ([>=]) ", match.group(0))
        new = items[-1]
        for relation, item in zip(reversed(relations), reversed(items[:-1]), strict=False):
            new += f" {relation} {item}"
        new_text = _replace(text, match.start(), match.end(), new)
        return Mutation("reverse_ranking", new_text, match.start(), match.start() + len(new), "chain reversed")
    said_group = 1 if match.group(1) else 2
    start, end = match.span(said_group)
    wrong = rng.choice(payload)
    wrong = wrong[:1].upper() + wrong[1:] if text[start].isupper() else wrong
    return Mutation("reverse_ranking", _replace(text, start, end, wrong), start, start + len(wrong),
                    f"{match.group(said_group)} -> {wrong}")


def _invented_number(example: dict, sheet: FactSheet, rng: random.Random) -> Mutation | None:
    text = example["output"]
    numbers = [m for m in _numbers(text) if _value(m) != 0]
    if not numbers:
        return None
    match = rng.choice(numbers)
    value = _value(match)
    body = match.group(2)
    decimals = len(body.split(".")[1]) if "." in body else 0
    factor = rng.uniform(1.15, 1.6) if rng.random() < 0.5 else rng.uniform(0.45, 0.87)
    new_value = value * factor
    if decimals == 0:
        new_value = round(new_value)
        if new_value == value:
            new_value = value + rng.choice([-3, -2, 2, 3, 5])
        if abs(value) < 20:
            new_value = value + rng.choice([3, 4, 6, 7, 9, 11])
    new = _format_like(match.group(0), new_value)
    if new == match.group(0):
        return None
    return Mutation("invented_number", _replace(text, match.start(), match.end(), new), match.start(),
                    match.start() + len(new), f"{match.group(0)} -> {new}")


_MAKERS = {
    "swap_fact": _swap_fact,
    "swap_within": _swap_within,
    "flip_direction": _flip_direction,
    "wrong_class": _wrong_class,
    "wrong_category": _wrong_category,
    "reverse_ranking": _reverse_ranking,
    "invented_number": _invented_number,
}


def inject(examples: list[dict], sheet: FactSheet, n: int, seed: int = 0) -> list[tuple[dict, Mutation]]:
    """`n` mutated examples, the faults spread evenly over FAULTS, each on a random example that allows it."""
    rng = random.Random(seed)
    made: list[tuple[dict, Mutation]] = []
    attempts = 0
    while len(made) < n and attempts < n * 200:
        attempts += 1
        fault = FAULTS[len(made) % len(FAULTS)]
        example = rng.choice(examples)
        mutation = mutate(example, sheet, fault, rng)
        if mutation is not None and mutation.output != example["output"]:
            made.append((example, mutation))
    return made
