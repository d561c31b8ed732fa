"""Item-level agreement of the judge's verdict (`curate.judge.judge_answer`) with the hand labels of the corpus.

    python tests/judge_corpus/item_metrics.py                  # dev: figures, by style, every disagreement
    python tests/judge_corpus/item_metrics.py --split heldout  # aggregates only: no item is ever shown
    python tests/judge_corpus/item_metrics.py --baseline       # the naive substring scorer instead

Figures: item agreement (verdict `correct` == label `correct`), correct declines scored wrong (label:
unanswerable, declines, correct; verdict: wrong), answerability accuracy (verdict `answerable` == label),
decline agreement, and the same agreement per style.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from curate.generators.embedded import load_default_factsheet  # noqa: E402
from curate.judge.verdict import judge_answer  # noqa: E402

SPLITS = ("dev", "heldout")


@dataclass
class Agreement:
    items: int = 0
    agree: int = 0

    @property
    def rate(self) -> float:
        return self.agree / self.items if self.items else 1.0

    def add(self, ok: bool) -> None:
        self.items += 1
        self.agree += ok


@dataclass
class ItemResult:
    verdict: Agreement = field(default_factory=Agreement)
    answerability: Agreement = field(default_factory=Agreement)
    declines: Agreement = field(default_factory=Agreement)
    correct_declines: int = 0
    correct_declines_scored_wrong: int = 0
    wrong_scored_correct: int = 0
    right_scored_wrong: int = 0
    by_style: dict[str, Agreement] = field(default_factory=dict)
    disagreements: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        return {"items": self.verdict.items, "agree": self.verdict.agree, "item_agreement": round(self.verdict.rate, 4),
                "wrong_scored_correct": self.wrong_scored_correct, "right_scored_wrong": self.right_scored_wrong,
                "correct_declines": self.correct_declines,
                "correct_declines_scored_wrong": self.correct_declines_scored_wrong,
                "answerability_accuracy": round(self.answerability.rate, 4),
                "decline_agreement": round(self.declines.rate, 4),
                "by_style": {s: {"items": a.items, "agreement": round(a.rate, 3)}
                             for s, a in sorted(self.by_style.items())}}


@dataclass(frozen=True)
class Judged:
    correct: bool
    answerable: bool | None = None
    declines: bool | None = None
    reasons: tuple[str, ...] = ()


def load(split: str, corpus: Path = HERE) -> list[dict]:
    items = []
    for path in sorted((corpus / split).glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def judge(item: dict, sheet) -> Judged:
    verdict = judge_answer(item["question"], item["answer"], sheet)
    return Judged(verdict.correct, verdict.answerable, verdict.declines, verdict.reasons)


# -- the baseline: what a naive scorer does -----------------------------------------------------------
DECLINE_WORDS = re.compile(r"\bcannot\b|\bcan't\b|\bunknown\b|\bnot (?:measured|tested|reported|studied)\b|"
                           r"\bno data\b|\bunable\b|\bnot answerable\b|\bcan not\b|\bdon't know\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])[-−+]?\d[\d,]*(?:\.\d+)?")


def substring_judge(item: dict, sheet) -> Judged:
    """The naive scorer: given the labelled `asks` and `answerable` (more than it could know), an answer is
    correct when it holds every asked fact's value as a string, or, for an unanswerable question, any decline
    word."""
    declines = bool(DECLINE_WORDS.search(item["answer"]))
    if not item["answerable"]:
        return Judged(declines, item["answerable"], declines)
    by_id = sheet.by_id()
    wanted = [forms for i in item["asks"] if i in by_id for forms in [_value_forms(by_id[i])] if forms]
    text = item["answer"].lower()
    found = bool(wanted) and all(any(form.lower() in text for form in forms) for forms in wanted)
    return Judged(found, item["answerable"], declines)


def _value_forms(fact) -> tuple[str, ...]:
    """How a fact's headline value is written: a count with or without its comma, an NES or fold change to
    its stated decimals, a class as 'Type A', a pattern by name."""
    if fact.kind == "tissue_class":
        return (f"Type {fact.response_class}",)
    if fact.kind == "pathway_shift":
        return (fact.pattern.replace("_", " "), fact.pattern)
    value = getattr(fact, "n_degs", None)
    if value is not None:
        return (f"{value:,}", str(value))
    value = getattr(fact, "mean_abs_log2fc", None)
    return (f"{value:g}", f"{value:.2f}") if value is not None else ()


def substring_findings(sheet) -> Callable[[dict], list]:
    """The naive claim check: a number flagged wrong unless the sheet holds that value as written."""
    from curate.schemas import Finding

    known: set[str] = set()
    for fact in sheet.facts:
        for name in ("n_degs", "n_up", "n_down", "stress_nes", "kmp_nes", "mean_abs_log2fc"):
            value = getattr(fact, name, None)
            if isinstance(value, int):
                known.update((f"{value:,}", str(value)))
            elif isinstance(value, float):
                known.update((f"{value:g}", f"{value:.3f}", f"{value:.2f}", f"{value:.1f}", f"{abs(value):g}"))

    def findings(item: dict) -> list:
        out = []
        for match in _NUMBER.finditer(item["answer"]):
            if match.group(0).lstrip("+").replace("−", "-") not in known:
                out.append(Finding(type="wrong_number", check="substring", message="not a value of the sheet",
                                   start=match.start(), end=match.end(), text=match.group(0)))
        return out

    return findings


# -- scoring ------------------------------------------------------------------------------------------
def score(items: Iterable[dict], judge_item: Callable[[dict, object], Judged] = judge) -> ItemResult:
    sheet = load_default_factsheet()
    result = ItemResult()
    for item in items:
        got = judge_item(item, sheet)
        agree = got.correct == item["correct"]
        result.verdict.add(agree)
        result.by_style.setdefault(item["style"], Agreement()).add(agree)
        if got.answerable is not None:
            result.answerability.add(got.answerable == item["answerable"])
        if got.declines is not None:
            result.declines.add(got.declines == item["declines"])
        correct_decline = not item["answerable"] and item["declines"] and item["correct"]
        result.correct_declines += correct_decline
        result.correct_declines_scored_wrong += correct_decline and not got.correct
        result.wrong_scored_correct += (not item["correct"]) and got.correct
        result.right_scored_wrong += item["correct"] and not got.correct
        if not agree or (got.answerable is not None and got.answerable != item["answerable"]):
            result.disagreements.append({"id": item["id"], "style": item["style"], "label": item["correct"],
                                         "verdict": got.correct, "answerable": (item["answerable"], got.answerable),
                                         "declines": (item["declines"], got.declines), "why": item["why"],
                                         "reasons": list(got.reasons)})
    return result


def report(result: ItemResult, split: str, *, details: bool) -> dict:
    out = {"split": split, **result.row()}
    if details:
        out["disagreements"] = result.disagreements
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--baseline", action="store_true", help="score the naive substring scorer instead")
    parser.add_argument("--corpus", type=Path, default=HERE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    details = args.split == "dev"  # held-out: aggregates only, never an item
    result = score(load(args.split, args.corpus), substring_judge if args.baseline else judge)
    out = report(result, args.split, details=details)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['split']}: item agreement {out['item_agreement']:.3f} ({out['agree']}/{out['items']}), "
          f"wrong scored correct {out['wrong_scored_correct']}, right scored wrong {out['right_scored_wrong']}, "
          f"correct declines scored wrong {out['correct_declines_scored_wrong']}/{out['correct_declines']}, "
          f"answerability {out['answerability_accuracy']:.3f}, declines {out['decline_agreement']:.3f}")
    for style, row in out["by_style"].items():
        print(f"  {style:18} {row['items']:3}  {row['agreement']:.3f}")
    for d in out.get("disagreements", []):
        print(f"  {d['id']} [{d['style']}] label {d['label']} verdict {d['verdict']} answerable {d['answerable']} "
              f"declines {d['declines']}: {d['why']}\n      {d['reasons'][:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
