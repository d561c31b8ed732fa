"""Faults injected into the judge corpus's *right* claims: the mutation test out of curate's own phrasing.

tests/_mutations.py mutates curate's templates. Here each mutation takes a claim a writer labelled right
(dev split only) in an answer the claim check finds nothing wrong with, and makes it false in the
writer's own words: a number becomes another fact's value (same kind, written the same way), up and
down swap, a class, pattern, interaction class or direction word flips, or two items of a ranked list
trade places. A fault is caught when the claim check reports a finding overlapping the changed claim.

    python tests/judge_corpus/mutate.py        # caught / injected, by fault
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from claim_metrics import load, span_of  # noqa: E402

from curate.generators.embedded import load_default_factsheet  # noqa: E402
from curate.judge import read_claims  # noqa: E402

FAULTS = ("other_fact_value", "swap_up_down", "flip_word", "reorder_ranking")
_NUMBER = re.compile(r"(?<![\w.,])([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w]|\.\d)")
_UP_DOWN = re.compile(r"\b(up|down)(-regulated|regulated)?\b", re.I)
_FLIPS = (
    (r"\bType A\b", "Type B"), (r"\bType B\b", "Type C"), (r"\bType C\b", "Type A"),
    (r"\bstress-activated\b", "baseline-active"), (r"\bbaseline-active\b", "stress-blocked"),
    (r"\bstress-blocked\b", "stress-activated"),
    (r"\bRESCUE\b", "SUPPRESSION"), (r"\bSUPPRESSION\b", "RESCUE"), (r"\brescue\b", "suppression"),
    (r"\bsuppression\b", "rescue"), (r"\bsynergistic\b", "antagonistic"), (r"\bantagonistic\b", "synergistic"),
    (r"\badditive\b", "synergistic"), (r"\benriched\b", "depleted"), (r"\bdepleted\b", "enriched"),
    (r"\braises\b", "lowers"), (r"\blowers\b", "raises"), (r"\bmostly down\b", "mostly up"),
    (r"\bmostly up\b", "mostly down"), (r"\bbalanced\b", "mostly up"),
)
_LIST_ITEM = re.compile(r"(?m)^(\s*\d+[.)]\s+(?:\*\*)?)([A-Z][a-z]+)")


@dataclass
class Mutation:
    item_id: str
    fault: str
    answer: str
    start: int
    end: int
    question: str


def values_by_kind(sheet) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    table: dict[str, list[float]] = {"count": [], "nes": [], "lfc": []}
    for fact in sheet.facts:
        for field in ("n_degs", "n_up", "n_down"):
            if getattr(fact, field, None) is not None:
                table["count"].append(float(getattr(fact, field)))
        for field in ("stress_nes", "kmp_nes"):
            if getattr(fact, field, None) is not None:
                table["nes"].append(float(getattr(fact, field)))
        if getattr(fact, "mean_abs_log2fc", None) is not None:
            table["lfc"].append(float(fact.mean_abs_log2fc))
    return table


def _written_like(match: re.Match[str], value: float) -> str:
    sign, whole, decimals = match.group(1), match.group(2), match.group(3) or ""
    places = len(decimals) - 1 if decimals else 0
    text = f"{abs(value):,.{places}f}" if "," in whole or abs(value) >= 1000 else f"{abs(value):.{places}f}"
    lead = ("−" if sign == "−" else "-") if value < 0 else ("+" if sign == "+" else "")
    return lead + text


def _other_value(match: re.Match[str], values: dict[str, list[float]], rng: random.Random) -> float | None:
    written = float(match.group(2).replace(",", "") + (match.group(3) or ""))
    if match.group(1) in ("-", "−"):
        written = -written
    kind = "count" if not match.group(3) else ("nes" if match.group(1) or abs(written) > 1.3 else "lfc")
    precision = 10 ** -(len(match.group(3)) - 1) if match.group(3) else 1
    far = [v for v in values[kind] if abs(v - written) > max(2 * precision, 0.05 * abs(written))]
    return rng.choice(far) if far else None


def mutations(items: list[dict], sheet, *, seed: int = 0) -> list[Mutation]:  # type: ignore[no-untyped-def]
    """One mutation per fault and right claim where it applies, on answers the claim check passes clean."""
    rng = random.Random(seed)
    values = values_by_kind(sheet)
    made: list[Mutation] = []
    for item in items:
        answer, question = item["answer"], item["question"]
        if read_claims(answer, sheet, question=question).findings:
            continue
        for claim in item["claims"]:
            where = span_of(answer, claim) if claim["verdict"] == "right" else None
            if where is None:
                continue
            made += _mutate_claim(item["id"], answer, question, where, claim, values, rng)
        made += _reorder(item, rng)
    return made


def _mutate_claim(item_id: str, answer: str, question: str, where: tuple[int, int], claim: dict,
                  values: dict[str, list[float]], rng: random.Random) -> list[Mutation]:
    start, end = where
    span = answer[start:end]
    made = []
    if claim["kind"] == "number":
        number = next(iter(_NUMBER.finditer(span)), None)
        other = _other_value(number, values, rng) if number else None
        if number is not None and other is not None:
            a, b = start + number.start(), start + number.end()
            new = _written_like(number, other)
            made.append(Mutation(item_id, "other_fact_value", answer[:a] + new + answer[b:], a, a + len(new), question))
        word = _UP_DOWN.search(span)
        if word:
            a, b = start + word.start(1), start + word.end(1)
            new = "down" if word.group(1).lower() == "up" else "up"
            made.append(Mutation(item_id, "swap_up_down", answer[:a] + new + answer[b:], start,
                                 end + len(new) - (b - a), question))  # the claim's span: the number carries it
    elif claim["kind"] in ("category", "direction"):
        for pattern, replacement in _FLIPS:
            found = re.search(pattern, span)
            if found:
                a, b = start + found.start(), start + found.end()
                made.append(Mutation(item_id, "flip_word", answer[:a] + replacement + answer[b:], a,
                                     a + len(replacement), question))
                break
    return made


def _reorder(item: dict, rng: random.Random) -> list[Mutation]:
    """Two adjacent items of a ranked numbered list trade their labels."""
    answer = item["answer"]
    lead = item["question"] + answer[:200]
    if not re.search(r"\brank|largest to smallest|from (?:most|largest|highest)", lead, re.I):
        return []
    labels = list(_LIST_ITEM.finditer(answer))
    if len(labels) < 3:
        return []
    i = rng.randrange(len(labels) - 1)
    first, second = labels[i], labels[i + 1]
    a, b = first.group(2), second.group(2)
    text = answer[:first.start(2)] + b + answer[first.end(2):second.start(2)] + a + answer[second.end(2):]
    start = first.start(2)
    return [Mutation(item["id"], "reorder_ranking", text, start, start + len(b) + (second.end(2) - first.end(2)) + 1,
                     item["question"])]


def caught(mutation: Mutation, sheet) -> bool:  # type: ignore[no-untyped-def]
    findings = read_claims(mutation.answer, sheet, question=mutation.question).findings
    return any((f.start or 0) < mutation.end and mutation.start < (f.end or 0) for f in findings)


def run(split: str = "dev", seed: int = 0) -> tuple[Counter[str], Counter[str]]:
    sheet = load_default_factsheet()
    made = mutations(load(split), sheet, seed=seed)
    total, hits = Counter(m.fault for m in made), Counter(m.fault for m in made if caught(m, sheet))
    return hits, total


def main() -> int:
    hits, total = run()
    caught_n, total_n = sum(hits.values()), sum(total.values())
    print(f"caught {caught_n} / {total_n} = {caught_n / max(1, total_n):.3f}")
    for fault in FAULTS:
        print(f"  {fault:18} {hits[fault]:4} / {total[fault]:4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
