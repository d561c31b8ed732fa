"""Check the judge corpus files against the contract in README.md; print counts.

    python tests/judge_corpus/validate.py            # both splits
    python tests/judge_corpus/validate.py dev/x.jsonl  # one file
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
SPLITS = ("dev", "retired", "heldout")
STYLES = frozenset((
    "markdown_long", "numbered_list", "table", "bullets", "hedged", "terse", "paraphrase", "negation",
    "ranges_rounding", "decline", "chain_of_thought", "chat_transcript", "salad", "outside_numbers", "sft_example",
))
SOURCES = frozenset(("model_answer", "sft_example"))
VERDICTS = frozenset(("right", "wrong", "unverifiable", "outside"))
CLAIM_KINDS = frozenset(("number", "category", "direction", "ordering", "other"))
FIELDS = {"id", "style", "source", "question", "answer", "answerable", "asks", "declines", "claims", "correct",
          "why", "trap"}
CLAIM_FIELDS = {"span", "about", "verdict", "kind", "occurrence", "note"}
FACT_ID = re.compile(r"^(deg_count|kmp_effect|interaction|pathway_shift|tissue_class|hub_gene):")


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def fact_ids() -> set[str]:
    import csv

    data = HERE.parent.parent / "generators" / "data" / "kmp_study"
    id_of = {
        "stressor_degs.csv": lambda r: f"deg_count:{r['tissue']}:{r['contrast']}",
        "kmp_degs.csv": lambda r: f"kmp_effect:{r['tissue']}:{r['condition']}",
        "interaction_degs.csv": lambda r: f"interaction:{r['tissue']}:{r['term']}",
        "pathways.csv": lambda r: f"pathway_shift:{r['tissue']}:{r['pathway']}",
        "classes.csv": lambda r: f"tissue_class:{r['tissue']}",
        "hub_genes.csv": lambda r: f"hub_gene:{r['tissue']}:{r['gene']}",
    }
    ids: set[str] = set()
    for name, make in id_of.items():
        with open(data / name, encoding="utf-8") as handle:
            ids.update(make(row) for row in csv.DictReader(handle))
    return ids


def span_of(answer: str, claim: dict) -> tuple[int, int] | None:
    """Character span of the claim's text in the answer (its `occurrence`, 1-based)."""
    wanted = int(claim.get("occurrence") or 1)
    start = -1
    for _ in range(wanted):
        start = answer.find(claim["span"], start + 1)
        if start < 0:
            return None
    return start, start + len(claim["span"])


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_item(item: dict, where: str, known: set[str]) -> list[Problem]:
    out: list[Problem] = []

    def bad(what: str) -> None:
        out.append(Problem(where, what))

    missing = {"id", "style", "source", "question", "answer", "answerable", "asks", "declines", "claims",
               "correct", "why"} - set(item)
    if missing:
        bad(f"missing {sorted(missing)}")
        return out
    if set(item) - FIELDS:
        bad(f"unknown fields {sorted(set(item) - FIELDS)}")
    if item["style"] not in STYLES:
        bad(f"style {item['style']!r} not one of the styles")
    if item["source"] not in SOURCES:
        bad(f"source {item['source']!r}")
    for key in ("answerable", "declines", "correct"):
        if not isinstance(item[key], bool):
            bad(f"{key} must be true or false")
    if not isinstance(item["question"], str) or not item["question"].strip():
        bad("empty question")
    if not isinstance(item["answer"], str) or not item["answer"].strip():
        bad("empty answer")
    for fid in item["asks"]:
        if fid not in known:
            bad(f"asks names {fid!r}, not a fact id")
    if item.get("trap") and item["correct"]:
        bad("a trap must be a wrong item")
    for n, claim in enumerate(item["claims"], start=1):
        cw = f"claim {n}"
        if set(claim) - CLAIM_FIELDS or not {"span", "about", "verdict", "kind"} <= set(claim):
            bad(f"{cw}: fields must be span, about, verdict, kind (+ occurrence, note)")
            continue
        if claim["verdict"] not in VERDICTS:
            bad(f"{cw}: verdict {claim['verdict']!r}")
        if claim["kind"] not in CLAIM_KINDS:
            bad(f"{cw}: kind {claim['kind']!r}")
        if span_of(item["answer"], claim) is None:
            bad(f"{cw}: span {claim['span']!r} (occurrence {claim.get('occurrence', 1)}) not in the answer")
        about = claim["about"]
        single_id = isinstance(about, str) and FACT_ID.match(about) and not re.search(r"[\s,*]", about)
        if single_id and about not in known:
            bad(f"{cw}: about {about!r} is not a fact id")
    wrong = [c for c in item["claims"] if c.get("verdict") == "wrong"]
    if wrong and item["correct"]:
        bad("an item with a wrong claim cannot be correct")
    return out


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(p for s in SPLITS for p in (HERE / s).glob("*.jsonl"))
    known = fact_ids()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    stats: dict[str, Counter] = {s: Counter() for s in SPLITS}
    for path in paths:
        split = path.parent.name if path.parent.name in SPLITS else "dev"
        for line_no, item in enumerate(load(path), start=1):
            where = f"{path.name}:{line_no} ({item.get('id')})"
            problems += check_item(item, where, known)
            if item.get("id") in seen:
                problems.append(Problem(where, f"id also in {seen[item['id']]}"))
            seen[item.get("id")] = where
            c = stats[split]
            c["items"] += 1
            c["correct declines"] += bool(item.get("declines") and item.get("correct") and not item.get("answerable"))
            c["traps"] += bool(item.get("trap"))
            c["wrong items"] += not item.get("correct")
            c["wrong claims"] += sum(cl.get("verdict") == "wrong" for cl in item.get("claims", []))
            c["outside claims"] += sum(cl.get("verdict") == "outside" for cl in item.get("claims", []))
            c[f"style:{item.get('style')}"] += 1
    for p in problems:
        print(p)
    for split, c in stats.items():
        if c["items"]:
            print(split, dict(sorted(c.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
