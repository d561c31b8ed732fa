"""Orchestration of `curate review`: examples or eval answers into review records, and responses back.

annotations/ knows Argilla and nothing of the registry; this module picks the examples, renders
their facts, asks the claim check for suggestions, and decides where things live::

    <home>/argilla/                 the local server's data (`curate review serve`), unless --data says otherwise
    <home>/argilla-connection.json  the remembered connection (review_access.py)
    <home>/review-users/            biologists' generated passwords (review_access.py)
    <home>/reviews/                 raw snapshots and reviews.jsonl (see annotations/pull.py)

Examples of every version go to one dataset (default `curate-review`): an example's id is its
content hash, so an example that did not change between versions is reviewed once. A model's answers
from one eval go to a dataset of their own, `curate-eval-<eval id>`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from curate.annotations.client import Connection
    from curate.annotations.pull import PullResult
    from curate.annotations.push import PushResult, ReviewItem, Suggestion
    from curate.annotations.render import Span
    from curate.registry import Registry
    from curate.schemas import EvalItem, EvalReport, Example, FactSheet, Finding, Review

DEFAULT_DATASET = "curate-review"
DATASET_PREFIX = "curate-"
EVAL_DATASET_PREFIX = "curate-eval-"
CLAIM_AGENT = "curate claim check"
SCORER_AGENT = "curate eval scorer"

# Claim-check finding types and eval scorers, as the error types a biologist ticks.
FINDING_ERROR_TYPES = {
    "wrong_number": "wrong_number", "wrong_arithmetic": "wrong_number", "wrong_threshold": "wrong_number",
    "unsupported_number": "unsupported_claim", "unknown_fact": "unsupported_claim",
    "wrong_class": "wrong_category", "wrong_pattern": "wrong_category", "wrong_interaction": "wrong_category",
    "wrong_significance": "overclaiming", "wrong_direction": "wrong_direction",
    "wrong_order": "wrong_number", "wrong_superlative": "wrong_number",
    # the item verdict's own findings (curate.judge.verdict)
    "does_not_decline": "overclaiming", "made_up": "overclaiming", "declines_answerable": "unsupported_claim",
    "not_a_claim": "unsupported_claim", "does_not_answer": "unsupported_claim", "no_answer": "unsupported_claim",
    "wrong_pick": "wrong_number", "wrong_yes_no": "wrong_category",
}
SCORER_ERROR_TYPES = {
    "numeric": "wrong_number", "ranking": "wrong_number", "categorical": "wrong_category",
    "negation": "wrong_direction", "entities": "unsupported_claim", "calibration": "overclaiming",
    "claims": "wrong_number",
}

Checker = Callable[["Example"], list["Finding"]]
TextChecker = Callable[[str, Sequence[str], str], list["Finding"]]


@dataclass(frozen=True)
class PushRequest:
    version: str | None = None
    from_eval: str | None = None
    sample: int | None = None
    kinds: str = "all"
    only_flagged: bool = False
    seed: int = 0
    dataset: str | None = None
    workspace: str = "argilla"
    min_submitted: int = 1


def local_data(registry: Registry) -> Path:
    return registry.home / "argilla"


def reviews_dir(registry: Registry) -> Path:
    return registry.home / "reviews"


def connection(registry: Registry, api_url: str | None, api_key: str | None) -> Connection:
    """Options, then ARGILLA_API_URL/ARGILLA_API_KEY, then the connection stored in the home (review_access.py)."""
    from curate.annotations.client import resolve_connection
    from curate.review_access import stored_connection

    return resolve_connection(api_url, api_key, stored_connection(registry))


# -- claim check ----------------------------------------------------------------------------------
def claim_check(sheet: FactSheet) -> Checker:
    """The judge's claim check on an example's output."""
    from curate.judge import check_example

    def check(example: Example) -> list[Finding]:
        return check_example(example, sheet)

    return check


def claim_check_text(sheet: FactSheet) -> TextChecker:
    """The judge's claim check on any text (a model's answer), given the facts it should state and its question."""
    from curate.judge import check_text

    def check(text: str, fact_ids: Sequence[str], question: str) -> list[Finding]:
        return check_text(text, sheet, fact_ids=list(fact_ids) or None, question=question)

    return check


def finding_spans(findings: Sequence[Finding] | None) -> tuple[Span, ...]:
    """The claim check's findings as the stretches of the answer the review page marks."""
    from curate.annotations.render import Span

    return tuple(Span(f.start, f.end, f.type.replace("_", " "), f.message) for f in findings or ()
                 if f.start is not None and f.end is not None)


# -- building records -----------------------------------------------------------------------------
def facts_field(sheet: FactSheet, fact_ids: Sequence[str]) -> str:
    from curate.annotations.render import facts_markdown
    from curate.generators.text import describe

    by_id = sheet.by_id()
    return facts_markdown((by_id[i], describe(by_id[i])) for i in dict.fromkeys(fact_ids) if i in by_id)


def example_items(registry: Registry, request: PushRequest) -> list[ReviewItem]:
    from curate.pipeline import parse_choice
    from curate.schemas import EXAMPLE_KINDS

    assert request.version is not None
    examples = registry.examples(request.version)
    sheet = registry.factsheet(registry.manifest(request.version).facts_name)
    kinds = set(parse_choice(request.kinds, EXAMPLE_KINDS, "kind"))
    examples = [e for e in examples if e.kind in kinds]
    check = claim_check(sheet)
    findings = {e.id: check(e) for e in examples}
    if request.only_flagged:
        examples = [e for e in examples if findings[e.id]]
    examples = _sample(examples, request.sample, request.seed)
    return [_example_item(e, sheet, request.version, findings[e.id]) for e in examples]


def _example_item(example: Example, sheet: FactSheet, version: str, findings: list[Any] | None) -> ReviewItem:
    from curate.annotations.push import ReviewItem

    question = example.prompt
    metadata = {"tissue": example.tissue, "kind": example.kind, "template": example.template_id,
                "version": version, "fact_ids": list(example.fact_ids), "split": example.split,
                "source": "example", "flagged": _flag(findings)}
    return ReviewItem(record_id=example.id, question=question, answer=example.output,
                      facts=facts_field(sheet, example.fact_ids), metadata=metadata,
                      suggestions=_claim_suggestions(findings), marks=finding_spans(findings))


def _flag(findings: list[Any] | None) -> str:
    return "unchecked" if findings is None else ("yes" if findings else "no")


def _claim_suggestions(findings: list[Any] | None) -> tuple[Suggestion, ...]:
    from curate.annotations.push import Suggestion
    from curate.annotations.settings import ERROR_TYPES, VERDICT

    if findings is None:
        return ()
    if not findings:
        return (Suggestion(VERDICT, "correct", CLAIM_AGENT, 0.5),)
    types = sorted({FINDING_ERROR_TYPES.get(f.type, "wrong_number") for f in findings})
    return (Suggestion(VERDICT, "wrong", CLAIM_AGENT, 0.9), Suggestion(ERROR_TYPES, types, CLAIM_AGENT))


def read_eval_report(registry: Registry, value: str) -> tuple[EvalReport, Path]:
    """An EvalReport from a report.json path, a folder holding one, or an eval id under <home>/evals/."""
    from pydantic import ValidationError

    from curate.schemas import EvalReport

    path = Path(value).expanduser()
    for candidate in (path, path / "report.json", registry.home / "evals" / value / "report.json"):
        if candidate.is_file():
            try:
                return EvalReport.model_validate_json(candidate.read_bytes()), candidate
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "<root>"
                raise BadInputError(f"{candidate}: not an eval report: {where}: {first['msg']}") from None
    raise NotFoundError(f"--from-eval {value}: no report.json there, and no eval {value!r} in "
                        f"{registry.home / 'evals'}")


def eval_id(report: EvalReport, path: Path) -> str:
    return report.id or path.parent.name


def eval_items(registry: Registry, request: PushRequest) -> tuple[str, list[ReviewItem]]:
    """The eval's items (only its failures with --only-flagged) as records; returns (eval id, items)."""
    from curate.pipeline import parse_choice
    from curate.schemas import EXAMPLE_KINDS

    assert request.from_eval is not None
    report, path = read_eval_report(registry, request.from_eval)
    sheet = registry.factsheet(report.facts_name)
    kinds = set(parse_choice(request.kinds, EXAMPLE_KINDS, "kind"))
    items = [item for item in report.items if item.kind in kinds]
    if request.only_flagged:
        items = [item for item in items if not item.correct]
    items = _sample(items, request.sample, request.seed)
    ident = eval_id(report, path)
    check = claim_check_text(sheet)
    return ident, [_eval_item(item, sheet, ident, report.version, check) for item in items]


def _eval_item(item: EvalItem, sheet: FactSheet, ident: str, version: str | None, check: TextChecker) -> ReviewItem:
    from curate.annotations.push import ReviewItem, Suggestion
    from curate.annotations.settings import ERROR_TYPES, VERDICT

    fact_ids = list(dict.fromkeys([*item.fact_ids, *(i for f in item.findings for i in f.fact_ids)]))
    types = sorted({FINDING_ERROR_TYPES.get(f.type) or SCORER_ERROR_TYPES.get(f.check, "unsupported_claim")
                    for f in item.findings})
    suggestions = [Suggestion(VERDICT, "correct" if item.correct else "wrong", SCORER_AGENT)]
    if types and not item.correct:
        suggestions.append(Suggestion(ERROR_TYPES, types, SCORER_AGENT))
    metadata = {"tissue": item.tissue, "kind": item.kind, "version": version, "fact_ids": fact_ids,
                "source": "eval", "eval_id": ident, "flagged": "no" if item.correct else "yes"}
    marks = finding_spans(check(item.answer, fact_ids, item.question))
    return ReviewItem(record_id=item.example_id, question=item.question, answer=item.answer,
                      facts=facts_field(sheet, fact_ids), reference=item.reference or "(no reference answer)",
                      metadata=metadata, suggestions=tuple(suggestions), marks=marks)


def _sample(items: list[Any], n: int | None, seed: int) -> list[Any]:
    if n is None or n >= len(items):
        return items
    if n < 1:
        raise BadInputError(f"--sample {n} is not allowed: give a whole number of at least 1")
    chosen = set(random.Random(seed).sample(range(len(items)), n))
    return [item for index, item in enumerate(items) if index in chosen]


# -- the commands' work ---------------------------------------------------------------------------
def push(registry: Registry, conn: Connection, request: PushRequest,
         progress: Callable[[int, int], None] | None = None) -> PushResult:
    """Build the records, connect, and push what is not there yet."""
    from curate.annotations.client import connect
    from curate.annotations.push import push_items

    if (request.version is None) == (request.from_eval is None):
        raise BadInputError("give a version (curate review push v3) or --from-eval REPORT, not both or neither")
    if request.min_submitted < 1:
        raise BadInputError(f"--annotators-per-record {request.min_submitted}: give a whole number of at least 1")
    if request.from_eval is not None:
        ident, items = eval_items(registry, request)
        dataset = request.dataset or f"{EVAL_DATASET_PREFIX}{ident}"
    else:
        items = example_items(registry, request)
        dataset = request.dataset or DEFAULT_DATASET
    client = connect(conn)
    total = len(items)
    return push_items(client, items, dataset=dataset, workspace=request.workspace,
                      min_submitted=request.min_submitted,
                      progress=(lambda done: progress(done, total)) if progress else None)


def pull(registry: Registry, conn: Connection, *, datasets: list[str] | None, workspace: str,
         progress: Callable[[int], None] | None = None) -> tuple[list[PullResult], list[Review]]:
    """Snapshot every review dataset; returns the results and every review now known."""
    from curate.annotations.client import connect
    from curate.annotations.pull import pull as pull_all
    from curate.annotations.pull import review_datasets

    client = connect(conn)
    found = review_datasets(client, workspace, datasets, DATASET_PREFIX)
    registry.ensure_writable()
    return pull_all(client, found, workspace, reviews_dir(registry), progress)


def status(registry: Registry, conn: Connection, *, datasets: list[str] | None, workspace: str) -> dict[str, Any]:
    """Live progress from the server (nothing is written): per dataset, annotator and kind."""
    from curate.annotations.client import connect
    from curate.annotations.pull import fetch_raw, merge_reviews, record_reviews, review_datasets
    from curate.annotations.status import records_by_kind, status_report

    client = connect(conn)
    report: dict[str, Any] = {"api_url": conn.api_url, "datasets": {}}
    for dataset in review_datasets(client, workspace, datasets, DATASET_PREFIX):
        raw = fetch_raw(client, dataset, workspace)
        reviews = merge_reviews(r for record in raw.records for r in record_reviews(record, raw.header, "live"))
        report["datasets"][dataset.name] = status_report(reviews, records_by_kind(client, dataset))
    return report
