"""Preference pairs (prompt, chosen, rejected) for DPO, made from what review and evaluation found.

Sources, for version vN (reviews and evals of vN or any version it descends from count):

- review: a biologist's correction of a model's answer (an eval answer judged wrong or partly correct,
  with a corrected answer; several reviewers: the majority verdict and the latest correction, as in
  `curate drill`). Chosen: the correction. Rejected: the answer the biologist corrected.
- drill: a drilled error-correction example of vN (origin "drill"). Its prompt quotes a model's wrong
  claim; chosen: the example's answer, which corrects it; rejected: the quoted claim itself.
- sample: scored model answers in eval reports: for one prompt, an answer the eval scored correct
  against one it scored wrong (at most `MAX_PER_PROMPT` pairs a prompt).

Every candidate passes the gates or is refused, with the reason counted: the judge (`train.judging.Judge`,
the one the rewards use: the claim check finds nothing wrong, the answer states what is asked, declines
exactly when it should) judges the chosen answer correct and the rejected one wrong, the prompt is not a
test prompt of vN, nor a near copy of one (`curate.gates.leakage`), and a pair is never repeated.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import EvalReport, Example, FactSheet, Review

SOURCES = ("review", "drill", "sample")
MAX_PER_PROMPT = 4
QUOTED = re.compile(r'"([^"]{8,})"')


@dataclass(frozen=True)
class Pair:
    prompt: str
    chosen: str
    rejected: str
    source: str
    fact_ids: tuple[str, ...] = ()
    answerable: bool = True
    reference: str = ""
    finding: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        text = "\n\0".join((self.prompt, self.chosen, self.rejected))
        return "pp-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def record(self) -> dict[str, Any]:
        """One row of `curate export --format dpo`: TRL's preference columns plus where the pair came from."""
        return {"id": self.id, "prompt": self.prompt, "chosen": self.chosen, "rejected": self.rejected,
                "fact_ids": list(self.fact_ids), "answerable": self.answerable, "reference": self.reference,
                "source": self.source, "finding": self.finding}


@dataclass
class PairSet:
    version: str
    pairs: list[Pair]
    candidates: dict[str, int]
    refused: dict[str, dict[str, int]]

    def counts(self) -> dict[str, int]:
        made = Counter(pair.source for pair in self.pairs)
        return {source: made.get(source, 0) for source in SOURCES}

    def summary(self) -> dict[str, Any]:
        return {"version": self.version, "n_pairs": len(self.pairs), "by_source": self.counts(),
                "candidates": {s: self.candidates.get(s, 0) for s in SOURCES},
                "refused": {s: dict(sorted(self.refused.get(s, {}).items())) for s in SOURCES}}

    def explain_empty(self) -> str:
        parts = [f"{self.candidates.get(s, 0)} {s} candidates" for s in SOURCES]
        refused = sum(n for reasons in self.refused.values() for n in reasons.values())
        return (f"version {self.version}: no preference pairs ({', '.join(parts)}, {refused} refused by the gates); "
                "pairs come from biologists' corrections of model answers (curate review pull), drilled error "
                "corrections (curate drill), and eval reports with right and wrong answers to one prompt")


# -- candidates ------------------------------------------------------------------------------------
def from_reviews(reviews: Sequence[Review], versions: set[str], examples: dict[str, Example]) -> list[Pair]:
    from curate.drill import judge_answers

    made = []
    for (dataset, example_id), judgement in sorted(judge_answers(reviews).items()):
        review = judgement.correction
        if judgement.verdict == "correct" or review is None or review.version not in versions:
            continue
        example = examples.get(example_id)
        made.append(Pair(
            prompt=review.question, chosen=(review.corrected_answer or "").strip(), rejected=review.answer.strip(),
            source="review", fact_ids=tuple(review.fact_ids),
            answerable=example.answerable if example else True, reference=example.output if example else "",
            finding={"review_id": review.id, "dataset": dataset, "annotator": review.annotator,
                     "verdict": judgement.verdict, "error_types": list(review.error_types), "note": review.note,
                     "eval_id": review.eval_id},
        ))
    return made


def from_drills(examples: Iterable[Example]) -> list[Pair]:
    from curate.train.prompts import example_prompt

    made = []
    for example in examples:
        if example.origin != "drill" or example.kind != "error_correction" or example.split != "train":
            continue
        quoted = QUOTED.search(example.instruction)
        if quoted is None:
            continue
        driver = {k: v for k, v in example.metadata.items() if k in ("review_id", "eval_id", "driver")}
        made.append(Pair(prompt=example_prompt(example), chosen=example.output, rejected=quoted.group(1).strip(),
                         source="drill", fact_ids=tuple(example.fact_ids), reference=example.output,
                         finding={"example_id": example.id, "template_id": example.template_id, **driver}))
    return made


def from_evals(reports: Sequence[EvalReport]) -> list[Pair]:
    """For each prompt: distinct answers scored correct against distinct answers scored wrong."""
    from curate.schemas.examples import normalise_text

    answers: dict[str, dict[bool, dict[str, tuple[Any, str]]]] = defaultdict(lambda: {True: {}, False: {}})
    for report in reports:
        for item in report.items:
            if item.answer.strip():
                answers[normalise_text(item.question)][item.correct].setdefault(item.answer.strip(), (item, report.id))
    made = []
    for key in sorted(answers):
        right, wrong = list(answers[key][True].values()), list(answers[key][False].values())
        for index, (bad, bad_eval) in enumerate(wrong[:MAX_PER_PROMPT] if right else []):
            good, good_eval = right[index % len(right)]
            made.append(Pair(
                prompt=good.question, chosen=good.answer.strip(), rejected=bad.answer.strip(), source="sample",
                fact_ids=tuple(good.fact_ids), answerable=good.answerable, reference=good.reference,
                finding={"chosen_eval": good_eval, "rejected_eval": bad_eval, "example_id": good.example_id,
                         "rejected_findings": [f.message for f in bad.findings][:5]},
            ))
    return made


# -- the gates --------------------------------------------------------------------------------------
def gate(candidates: list[Pair], sheet: FactSheet, test_examples: Sequence[Example], version: str) -> PairSet:
    from curate.train.judging import Judge

    judge = Judge(sheet)
    refused: dict[str, Counter[str]] = defaultdict(Counter)
    leaking = _leaking(candidates, sheet, test_examples)
    kept: dict[str, Pair] = {}
    for index, pair in enumerate(candidates):
        reason = _refusal(pair, judge, index in leaking, pair.id in kept)
        if reason:
            refused[pair.source][reason] += 1
        else:
            kept[pair.id] = pair
    return PairSet(version=version, pairs=list(kept.values()),
                   candidates=dict(Counter(pair.source for pair in candidates)),
                   refused={source: dict(reasons) for source, reasons in refused.items()})


def _refusal(pair: Pair, judge: Any, leaks: bool, seen: bool) -> str:
    if not pair.chosen or not pair.rejected or pair.chosen == pair.rejected:
        return "chosen and rejected are not two answers"
    if leaks:
        return "prompt is a test prompt (or a near copy of one)"
    if seen:
        return "duplicate pair"
    # The drill's prompt quotes the wrong claim; neither answer may borrow numbers from it.
    question = "" if pair.source == "drill" else pair.prompt
    read = {name: judge.read(text, question=question, reference=pair.reference, fact_ids=pair.fact_ids,
                             answerable=pair.answerable) for name, text in (("chosen", pair.chosen),
                                                                           ("rejected", pair.rejected))}
    if not read["chosen"].correct:
        return "chosen is not judged correct"
    if read["rejected"].correct:
        return "rejected is judged correct"
    return ""


def _leaking(candidates: list[Pair], sheet: FactSheet, test_examples: Sequence[Example]) -> set[int]:
    """Indices of candidates whose prompt is a test prompt of the version, or a near copy of one."""
    from curate.gates.dedup import Prompts
    from curate.gates.items import GateItem, from_example
    from curate.gates.leakage import find_leakage
    from curate.judge import lexicon

    if not candidates or not test_examples:
        return set()
    items = [from_example(example) for example in test_examples]
    items += [GateItem(id=f"candidate-{i}", instruction=pair.prompt, output=pair.chosen, split="train",
                       fact_ids=pair.fact_ids) for i, pair in enumerate(candidates)]
    report = find_leakage(Prompts(items, lexicon(sheet)))
    return {int(p.b.split("-", 1)[1]) for p in report.pairs if p.b.startswith("candidate-")}


# -- a version's pairs -------------------------------------------------------------------------------
def lineage(registry: Registry, version: str, parent: str | None = None) -> list[str]:
    """The version and every ancestor in this registry (a `hub:` parent ends the chain)."""
    names = set(registry.version_names())
    chain, current = [version], parent if parent is not None else (
        registry.manifest(version).parent if version in names else None)
    while current and current in names and current not in chain:
        chain.append(current)
        current = registry.manifest(current).parent
    return chain


def version_pairs(registry: Registry, version: str, *, examples: Sequence[Example] | None = None,
                  parent: str | None = None, facts_name: str | None = None) -> PairSet:
    """Every gated pair for `version`. `examples`/`parent`/`facts_name` describe a version being staged."""
    if examples is None:
        manifest = registry.manifest(version)
        examples, parent, facts_name = registry.examples(version), manifest.parent, manifest.facts_name
    versions = set(lineage(registry, version, parent))
    sheet = registry.factsheet(facts_name)
    by_id = {example.id: example for example in examples}
    candidates = from_reviews(_reviews(registry), versions, by_id) + from_drills(examples) + \
        from_evals(_reports(registry, versions))
    return gate(candidates, sheet, [e for e in examples if e.split == "test"], version)


def _reviews(registry: Registry) -> list[Review]:
    from curate.annotations.pull import load_reviews
    from curate.review import reviews_dir

    return load_reviews(reviews_dir(registry))


def _reports(registry: Registry, versions: set[str]) -> list[EvalReport]:
    from pydantic import ValidationError

    from curate.schemas import EvalReport

    folder = registry.home / "evals"
    reports = []
    for path in sorted(folder.glob("*/report.json")) if folder.is_dir() else []:
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if head.get("version") not in versions:
            continue
        try:
            reports.append(EvalReport.model_validate(head))
        except ValidationError:
            continue
    return reports
