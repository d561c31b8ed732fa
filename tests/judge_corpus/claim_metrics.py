"""Claim-level precision and recall of the claim check (`curate.judge.read_claims`) on the judge corpus.

    python tests/judge_corpus/claim_metrics.py                 # dev: figures, breakdowns, every miss and false alarm
    python tests/judge_corpus/claim_metrics.py --facts asks    # the item's `asks` passed as fact ids
    python tests/judge_corpus/claim_metrics.py --split heldout # aggregates only: no item is ever shown

A finding is matched to the labelled claims whose spans it overlaps. A `wrong` claim with at least one
finding on it is caught (recall counts claims, not findings). A finding that overlaps no `wrong` claim
is a false positive: on a `right` or `outside` claim, or on no labelled claim at all. A finding that
overlaps only `unverifiable` claims is left out of precision and counted apart.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from curate.generators.embedded import load_default_factsheet  # noqa: E402
from curate.judge import read_claims  # noqa: E402

if TYPE_CHECKING:
    from curate.schemas import Finding

SPLITS = ("dev", "heldout")


@dataclass
class Tally:
    wrong: int = 0  # labelled wrong claims
    caught: int = 0  # of those, with a finding on them
    false_pos: int = 0  # findings on no wrong claim (right, outside, or nothing labelled)
    on_unverifiable: int = 0

    @property
    def precision(self) -> float:
        return self.caught / (self.caught + self.false_pos) if self.caught + self.false_pos else 1.0

    @property
    def recall(self) -> float:
        return self.caught / self.wrong if self.wrong else 1.0

    def row(self) -> dict[str, float | int]:
        return {"wrong": self.wrong, "caught": self.caught, "false_pos": self.false_pos,
                "on_unverifiable": self.on_unverifiable, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3)}


@dataclass
class Result:
    total: Tally = field(default_factory=Tally)
    by_style: dict[str, Tally] = field(default_factory=dict)
    # recall by the labelled kind of a claim, false alarms by the kind of the finding
    by_kind: dict[str, Tally] = field(default_factory=dict)
    false_pos_on: Counter[str] = field(default_factory=Counter)  # right / outside / unlabelled
    misses: list[dict] = field(default_factory=list)
    false_alarms: list[dict] = field(default_factory=list)


def load(split: str, corpus: Path = HERE) -> list[dict]:
    items = []
    for path in sorted((corpus / split).glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def span_of(answer: str, claim: dict) -> tuple[int, int] | None:
    start = -1
    for _ in range(int(claim.get("occurrence") or 1)):
        start = answer.find(claim["span"], start + 1)
        if start < 0:
            return None
    return start, start + len(claim["span"])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def claim_check(facts: str = "none") -> Callable[[dict], list[Finding]]:
    """The claim check's findings on a corpus item (`facts`: none, or the item's `asks` as fact ids)."""
    sheet = load_default_factsheet()

    def findings(item: dict) -> list[Finding]:
        fact_ids = item["asks"] or None if facts == "asks" else None
        return read_claims(item["answer"], sheet, fact_ids=fact_ids, question=item["question"]).findings

    return findings


def score(items: Iterable[dict], *, facts: str = "none",
          findings_of: Callable[[dict], list[Finding]] | None = None) -> Result:
    """Match each item's findings (the claim check's, or `findings_of(item)`'s) to its labelled claims."""
    findings_of = findings_of or claim_check(facts)
    result = Result()
    for item in items:
        answer = item["answer"]
        labelled = [(claim, span_of(answer, claim)) for claim in item["claims"]]
        labelled = [(claim, span) for claim, span in labelled if span is not None]
        style = result.by_style.setdefault(item["style"], Tally())
        caught: set[int] = set()
        for finding in findings_of(item):
            if finding.start is None or finding.end is None or finding.end <= finding.start:
                continue
            span = (finding.start, finding.end)
            hits = [(i, claim) for i, (claim, where) in enumerate(labelled) if _overlaps(span, where)]
            wrong = [i for i, claim in hits if claim["verdict"] == "wrong"]
            kind = result.by_kind.setdefault(finding.claim, Tally())
            if wrong:
                caught.update(wrong)
            elif hits and all(claim["verdict"] == "unverifiable" for _, claim in hits):
                for tally in (result.total, style, kind):
                    tally.on_unverifiable += 1
            else:
                landed = next((c["verdict"] for _, c in hits if c["verdict"] in ("right", "outside")), "unlabelled")
                result.false_pos_on[landed] += 1
                for tally in (result.total, style, kind):
                    tally.false_pos += 1
                result.false_alarms.append({"id": item["id"], "style": item["style"], "type": finding.type,
                                            "text": finding.text, "on": landed, "message": finding.message})
        for i, (claim, _) in enumerate(labelled):
            if claim["verdict"] != "wrong":
                continue
            kind = result.by_kind.setdefault(claim["kind"], Tally())
            for tally in (result.total, style, kind):
                tally.wrong += 1
                tally.caught += i in caught
            if i not in caught:
                result.misses.append({"id": item["id"], "style": item["style"], "kind": claim["kind"],
                                      "span": claim["span"], "about": claim["about"]})
    return result


def report(result: Result, split: str, facts: str, *, details: bool) -> dict:
    out: dict = {"split": split, "facts": facts, **result.total.row(),
                 "false_pos_on": dict(result.false_pos_on),
                 "by_kind": {k: t.row() for k, t in sorted(result.by_kind.items())},
                 "by_style": {k: t.row() for k, t in sorted(result.by_style.items())}}
    if details:
        out["misses"] = result.misses
        out["false_alarms"] = result.false_alarms
    return out


def _print(out: dict) -> None:
    print(f"{out['split']} (facts: {out['facts']}): wrong claims {out['wrong']}, caught {out['caught']}, "
          f"false positives {out['false_pos']} {out['false_pos_on']}, on unverifiable {out['on_unverifiable']}")
    print(f"  precision {out['precision']:.3f}  recall {out['recall']:.3f}")
    for title in ("by_kind", "by_style"):
        print(f"  {title}:")
        for name, row in out[title].items():
            print(f"    {name:18} wrong {row['wrong']:3}  caught {row['caught']:3}  fp {row['false_pos']:3}  "
                  f"P {row['precision']:.2f}  R {row['recall']:.2f}")
    for miss in out.get("misses", []):
        print(f"  MISS {miss['id']} [{miss['style']}/{miss['kind']}] {miss['span']!r} ({miss['about']})")
    for alarm in out.get("false_alarms", []):
        print(f"  FALSE {alarm['id']} [{alarm['style']}] {alarm['type']} {alarm['text']!r} on {alarm['on']}: "
              f"{alarm['message']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--facts", choices=("none", "asks"), default="none",
                        help="fact ids passed to the judge: none (text and question only) or the item's asks")
    parser.add_argument("--corpus", type=Path, default=HERE, help="the folder holding dev/ and heldout/")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    details = args.split == "dev"  # held-out: aggregates only, never an item
    out = report(score(load(args.split, args.corpus), facts=args.facts), args.split, args.facts, details=details)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        _print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
