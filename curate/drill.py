"""Orchestration of `curate drill`: reviews and eval failures in, version vN+1 out.

From the reviews pulled into the home (`--from-review`) and the failures of an eval report
(`--from-eval`), a drill makes the next version of vN:

1. An example a biologist judged wrong is replaced by their corrected answer (same question, split,
   facts and template; origin "correction"; the review id, reviewer and verdict in its metadata),
   or dropped when they gave no correction. A partly-correct example with a correction is replaced
   too; without one it stays. Several reviewers of one example: the majority verdict, ties going to
   the more severe, and the latest correction.
2. Every fact behind an error (the facts of a wrong example, of a failed eval item, or named by a
   scorer's finding) gets new paraphrases (`generators.drills.paraphrases`) and error-correction
   examples that quote the wrong claim that was actually made.
3. The claim check verifies every correction and drill; one it rejects is left out and reported.
   Then the quality gates run on the whole new version, as for `curate generate`.
4. The manifest's `drivers` list each review and eval that drove the version, so `curate diff`
   can say why an example changed; drill.json in the version holds the details.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError
from curate.schemas.examples import normalise_text

if TYPE_CHECKING:
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, EvalReport, Example, Fact, FactSheet, Review

MIN_CLAIM_CHARS = 8
SEVERITY = {"correct": 0, "partly_correct": 1, "wrong": 2}


@dataclass(frozen=True)
class DrillRequest:
    version: str
    from_review: bool = False
    from_eval: str | None = None
    per_fact: int = 3
    allow_failing: bool = False
    review_datasets: tuple[str, ...] = ()  # only reviews from these Argilla datasets; empty: all
    min_agree: int = 1  # reviews count only where at least this many reviewers gave the deciding verdict


@dataclass
class Judgement:
    """The reviews of one example, reduced to one verdict and at most one correction."""

    example_id: str
    verdict: str
    reviews: list[Review]
    correction: Review | None

    @property
    def lead(self) -> Review:
        return self.correction or self.reviews[-1]

    @property
    def agreeing(self) -> int:
        """How many reviewers gave the verdict that counts."""
        return sum(review.verdict == self.verdict for review in self.reviews)


@dataclass
class DrillPlan:
    examples: list[Example]
    drivers: list[dict[str, Any]]
    report: dict[str, Any] = field(default_factory=dict)


@dataclass
class DrillResult:
    manifest: DatasetManifest
    report: dict[str, Any]
    gate_report: dict[str, Any] | None = None


def judge(reviews: Sequence[Review], example_ids: set[str]) -> dict[str, Judgement]:
    """Submitted reviews of examples in the version, grouped per example."""
    grouped: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        if review.source == "example" and review.status == "submitted" and review.verdict and \
                review.example_id in example_ids:
            grouped[review.example_id].append(review)
    return {example_id: _reduce(example_id, group) for example_id, group in grouped.items()}


def judge_answers(reviews: Sequence[Review]) -> dict[tuple[str, str], Judgement]:
    """Submitted reviews of a model's answers, grouped per (review dataset, example): one verdict per answer."""
    grouped: dict[tuple[str, str], list[Review]] = defaultdict(list)
    for review in reviews:
        if review.source == "eval" and review.status == "submitted" and review.verdict:
            grouped[(review.dataset, review.example_id)].append(review)
    return {key: _reduce(key[1], group) for key, group in grouped.items()}


def _reduce(example_id: str, group: list[Review]) -> Judgement:
    """The majority verdict (ties go to the more severe), and the latest correction."""
    group.sort(key=lambda r: r.answered_at)
    votes = Counter(r.verdict for r in group)
    top = max(votes.values())
    verdict = max((v for v, n in votes.items() if n == top), key=lambda v: SEVERITY[v or "correct"])
    corrections = [r for r in group if r.verdict != "correct" and r.corrected_answer]
    return Judgement(example_id, str(verdict), group, corrections[-1] if corrections else None)


def plan(examples: list[Example], sheet: FactSheet, *, reviews: Sequence[Review], report: EvalReport | None,
         eval_ident: str | None, per_fact: int, seed: int) -> DrillPlan:
    """The next version's examples and drivers; pure apart from the claim check."""
    from curate.generators import drills
    from curate.review import claim_check

    check = claim_check(sheet)
    by_id = {e.id: e for e in examples}
    judged = {k: j for k, j in judge(reviews, set(by_id)).items() if j.verdict != "correct"}
    kept, corrections, rejected, dropped = [], [], [], []
    for example in examples:
        verdict = judged.get(example.id)
        if verdict is None:
            kept.append(example)
            continue
        replacement = _corrected(example, verdict) if verdict.correction else None
        problems = check(replacement) if replacement is not None else []
        if replacement is not None and not problems:
            corrections.append(replacement)
        elif verdict.verdict == "partly_correct" and replacement is None:
            kept.append(example)
        else:
            dropped.append(example.id)
            if problems:
                rejected.append({"example_id": example.id, "review_id": verdict.lead.id,
                                 "correction": verdict.lead.corrected_answer,
                                 "findings": [p.message for p in problems]})

    facts = sheet.by_id()
    claims = _wrong_claims(judged, by_id, reviews, report, facts)
    exclude = {normalise_text(e.instruction) for e in examples}
    drilled: list[Example] = []
    quoted: set[str] = set()  # one correction per distinct wrong claim, or two would ask the same question
    for fact_id, causes in claims.items():
        fact = facts[fact_id]
        drilled += drills.paraphrases(fact, exclude=exclude, n=per_fact, seed=seed, driver=causes[0][1])
        for claim, driver, claim_facts in causes:
            key = normalise_text(drills.quote(claim))
            if len(key) >= MIN_CLAIM_CHARS and key not in quoted:  # an empty answer claims nothing to correct
                quoted.add(key)
                drilled += drills.error_corrections([facts[i] for i in claim_facts], claim, driver=driver)
    present = {e.id for e in kept + corrections}
    fresh: dict[str, Example] = {}
    refused = []
    asked = _PromptsByFacts(kept + corrections)
    prompts = {normalise_text(e.prompt) for e in kept + corrections}
    for example in drilled:
        prompt = normalise_text(example.prompt)
        if example.id in present or example.id in fresh or prompt in prompts or asked.near_duplicate(example):
            continue
        problems = check(example)
        if problems:
            refused.append({"example_id": example.id, "findings": [p.message for p in problems]})
        else:
            fresh[example.id] = example
            asked.add(example)
            prompts.add(prompt)
    drivers = _drivers(judged, reviews, report, eval_ident, claims)
    summary = {
        "corrected": [c.metadata.get("replaces") for c in corrections],
        "dropped": dropped,
        "rejected_corrections": rejected,
        "refused_drills": refused,
        "drilled_facts": sorted(claims),
        "added": {"corrections": len(corrections), "drills": len(fresh)},
    }
    return DrillPlan(examples=kept + corrections + list(fresh.values()), drivers=drivers, report=summary)


def _corrected(example: Example, judgement: Judgement) -> Example:
    from curate.schemas import Example

    review = judgement.correction
    assert review is not None and review.corrected_answer
    data = example.model_dump(exclude={"id", "origin", "metadata"})
    metadata = {**example.metadata, "review_id": review.id, "replaces": example.id, "reviewer": review.annotator,
                "verdict": judgement.verdict, "error_types": ",".join(review.error_types)}
    return Example(**{**data, "output": review.corrected_answer.strip()}, origin="correction", metadata=metadata)


Cause = tuple[str, dict[str, str], tuple[str, ...]]  # (wrong claim, driver metadata, its facts)


class _PromptsByFacts:
    """Prompts already in the version, by fact ids, so a drill never adds a near-duplicate question
    (the duplicates gate would refuse the version)."""

    def __init__(self, examples: Sequence[Example]) -> None:
        self._by_facts: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for example in examples:
            self.add(example)

    def add(self, example: Example) -> None:

        self._by_facts[tuple(sorted(example.fact_ids))].append(normalise_text(example.prompt))

    def near_duplicate(self, example: Example) -> bool:
        from rapidfuzz import fuzz

        from curate.gates.dedup import NEAR_THRESHOLD

        prompt = normalise_text(example.prompt)
        asked = self._by_facts[tuple(sorted(example.fact_ids))]
        return any(fuzz.ratio(prompt, other) >= NEAR_THRESHOLD for other in asked)


def _wrong_claims(judged: dict[str, Judgement], by_id: dict[str, Example], reviews: Sequence[Review],
                  report: EvalReport | None, facts: dict[str, Any]) -> dict[str, list[Cause]]:
    """For each fact behind an error: the wrong claims made about it and what drove each."""
    causes: dict[str, list[Cause]] = defaultdict(list)

    def add(claim: str, driver: dict[str, str], fact_ids: Sequence[str]) -> None:
        known = tuple(dict.fromkeys(i for i in fact_ids if i in facts))
        for fact_id in known:
            causes[fact_id].append((claim, driver, known))

    for example_id, judgement in judged.items():
        add(by_id[example_id].output, {"review_id": judgement.lead.id}, by_id[example_id].fact_ids)
    for answer in _wrong_answers(reviews):  # a biologist's verdict on a model's answer
        add(answer.lead.answer, {"review_id": answer.lead.id}, answer.lead.fact_ids)
    if report is not None:
        for item in report.failures:
            named = [i for f in item.findings for i in f.fact_ids]
            add(item.answer, {"eval_id": report.id or "eval", "driver": f"eval:{item.example_id}"},
                named or item.fact_ids)
    return dict(sorted(causes.items()))


def _wrong_answers(reviews: Sequence[Review]) -> list[Judgement]:
    return [j for _, j in sorted(judge_answers(reviews).items()) if j.verdict != "correct"]


def _drivers(judged: dict[str, Judgement], reviews: Sequence[Review], report: EvalReport | None,
             eval_ident: str | None, claims: dict[str, list[Cause]]) -> list[dict[str, Any]]:
    drivers: list[dict[str, Any]] = []
    for judgement in sorted(judged.values(), key=lambda j: j.example_id):
        for review in judgement.reviews:
            drivers.append({"type": "review", "id": review.id, "example_id": review.example_id,
                            "annotator": review.annotator, "verdict": review.verdict,
                            "error_types": list(review.error_types), "fact_ids": list(review.fact_ids),
                            "corrected": bool(review.corrected_answer), "dataset": review.dataset})
    for answer in _wrong_answers(reviews):
        for review in answer.reviews:
            drivers.append({"type": "review", "id": review.id, "example_id": review.example_id,
                            "annotator": review.annotator, "verdict": review.verdict, "eval_id": review.eval_id,
                            "error_types": list(review.error_types), "fact_ids": list(review.fact_ids),
                            "dataset": review.dataset})
    if report is not None:
        failures = report.failures
        drivers.append({"type": "eval", "id": eval_ident, "version": report.version, "run_id": report.run_id,
                        "failures": len(failures), "example_ids": [f.example_id for f in failures],
                        "fact_ids": sorted({i for f in failures for i in f.fact_ids})})
    return drivers


def drill(registry: Registry, request: DrillRequest) -> DrillResult:
    from curate.pipeline import write_checked_version
    from curate.review import eval_id, read_eval_report, reviews_dir

    if not request.from_review and request.from_eval is None:
        raise BadInputError("nothing to drill from: give --from-review, --from-eval REPORT, or both")
    if request.review_datasets and not request.from_review:
        raise BadInputError(f"--dataset {request.review_datasets[0]} picks reviews: give --from-review with it")
    if request.per_fact < 0:
        raise BadInputError(f"--per-fact {request.per_fact} is not allowed: give a whole number, 0 or more")
    if request.min_agree < 1:
        raise BadInputError(f"--min-agree {request.min_agree} is not allowed: give a whole number, 1 or more")
    manifest = registry.manifest(request.version)
    examples = registry.examples(request.version)
    sheet = registry.factsheet(manifest.facts_name)
    reviews = _reviews(registry) if request.from_review else []
    if request.review_datasets:
        reviews = [r for r in reviews if r.dataset in request.review_datasets]
    reviews, waiting = agreed(reviews, request.min_agree)
    report, ident = None, None
    if request.from_eval is not None:
        report, path = read_eval_report(registry, request.from_eval)
        ident = eval_id(report, path)
    made = plan(examples, sheet, reviews=reviews, report=report, eval_ident=ident, per_fact=request.per_fact,
                seed=manifest.seed)
    made.report.update(min_agree=request.min_agree, awaiting_agreement=waiting)
    if not made.drivers:
        sources = " or ".join(x for x in (f"the reviews in {reviews_dir(registry)}" if request.from_review else "",
                                          f"eval {ident}" if report is not None else "") if x)
        short = f"; {len(waiting)} judged item(s) have fewer than {request.min_agree} agreeing verdicts" \
            if waiting else ""
        raise BadInputError(f"nothing to drill in {request.version}: {sources} judge none of its examples or "
                            f"answers wrong (run `curate review pull` first?){short}")
    config = {**manifest.generator_config, "drill": {
        "from_review": request.from_review, "from_eval": ident, "per_fact": request.per_fact,
        "generator_version": _drill_version(), **made.report["added"]}}
    new, gates = write_checked_version(
        registry, made.examples, sheet, config=config, seed=manifest.seed,
        tissues=manifest.generator_config.get("tissues"), parent=request.version, drivers=made.drivers,
        extra_files={"drill.json": (json.dumps(made.report, indent=2, sort_keys=True) + "\n").encode()},
        allow_failing=request.allow_failing)
    return DrillResult(manifest=new, report=made.report, gate_report=gates)


def agreed(reviews: Sequence[Review], min_agree: int) -> tuple[list[Review], list[dict[str, Any]]]:
    """The reviews of items whose deciding verdict at least `min_agree` reviewers gave, and what waits for
    more: [{dataset, example_id, verdict, agreeing, verdicts}]. Other reviews (drafts) pass through."""
    if min_agree <= 1:
        return list(reviews), []
    short: dict[tuple[str, str], Judgement] = {}
    for (dataset, example_id), judgement in judge_answers(reviews).items():
        if judgement.agreeing < min_agree:
            short[(dataset, example_id)] = judgement
    for example_id, judgement in judge(reviews, {r.example_id for r in reviews}).items():
        if judgement.agreeing < min_agree:
            short.update({(r.dataset, example_id): judgement for r in judgement.reviews})
    kept = [r for r in reviews if (r.dataset, r.example_id) not in short]
    waiting = [{"dataset": dataset, "example_id": example_id, "verdict": j.verdict, "agreeing": j.agreeing,
                "verdicts": dict(Counter(str(r.verdict) for r in j.reviews))}
               for (dataset, example_id), j in sorted(short.items())]
    return kept, waiting


def _reviews(registry: Registry) -> list[Review]:
    from curate.annotations.pull import load_reviews
    from curate.review import reviews_dir

    return load_reviews(reviews_dir(registry))


def _drill_version() -> str:
    from curate.generators.drills import VERSION

    return VERSION


def random_drill(registry: Registry, version: str, *, n_examples: int, rng: random.Random,
                 per_fact: int = 2) -> DatasetManifest:
    """The control arm's drill: `n_examples` new train examples, made as a drill makes them (paraphrases
    and error corrections), but about facts picked at random rather than from failures."""
    from curate.pipeline import write_checked_version

    manifest = registry.manifest(version)
    examples = registry.examples(version)
    sheet = registry.factsheet(manifest.facts_name)
    tissues = set(manifest.generator_config.get("tissues") or sheet.tissues)
    facts = [fact for fact in sheet.facts if fact.tissue in tissues]
    rng.shuffle(facts)
    exclude = {normalise_text(e.instruction) for e in examples}
    present = {e.id for e in examples}
    driver = {"control": "random facts"}
    asked = _PromptsByFacts(examples)
    candidates = [_control_candidates(fact, sheet, exclude, per_fact, rng, driver) for fact in facts]
    added: list[Example] = []
    # Round-robin over the shuffled facts, so the budget spreads over as many facts as it needs.
    for example in (e for row in itertools.zip_longest(*candidates) for e in row if e is not None):
        if len(added) >= n_examples:
            break
        if example.id not in present and not asked.near_duplicate(example):
            present.add(example.id)
            asked.add(example)
            added.append(example)
    added = added[:n_examples]
    drivers = [{"type": "control", "facts": sorted({f for e in added for f in e.fact_ids}), "n_examples": len(added)}]
    config = {**manifest.generator_config, "drill": {"control": True, "n_examples": len(added), "per_fact": per_fact}}
    new_manifest, _ = write_checked_version(registry, examples + added, sheet, config=config, seed=manifest.seed,
                                            tissues=sorted(tissues), parent=version, drivers=drivers)
    return new_manifest


def _control_candidates(fact: Fact, sheet: FactSheet, exclude: set[str], per_fact: int, rng: random.Random,
                        driver: dict[str, str]) -> list[Example]:
    """What a drill could add about one fact: its paraphrases, then a correction of each plausible wrong claim."""
    from curate.generators import drills
    from curate.generators.kinds.error_correction import wrong_claims

    made = drills.paraphrases(fact, exclude=exclude, n=per_fact, seed=rng.randrange(1 << 30), driver=driver)
    for claim in wrong_claims(fact, sheet):
        made += drills.error_corrections([fact], claim.train_text, driver=driver)
    return made
