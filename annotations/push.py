"""Push review items to Argilla: one record per item, whose id is the example id.

Pushing is idempotent. Records already in the dataset are left alone (a biologist may be working on
them), so a push interrupted by an outage is finished by running it again, with no duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from curate.annotations import settings as s
from curate.annotations.client import argilla_errors, find_workspace, get_json
from curate.annotations.render import Span, findings_markdown, mark_answer

BATCH = 500  # records per bulk request (the server's limit is 500)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Suggestion:
    """A pre-filled answer to one question, from the claim check or the eval scorer."""

    question: str
    value: Any
    agent: str
    score: float | None = None


@dataclass(frozen=True)
class ReviewItem:
    """Everything one record shows: built by curate from an example (or an eval item) and its facts."""

    record_id: str
    question: str
    answer: str
    facts: str  # markdown (render.facts_markdown)
    reference: str = ""
    marks: tuple[Span, ...] = ()  # what the automatic check disputes in the answer
    metadata: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class PushResult:
    dataset: str
    workspace: str
    url: str
    created: bool
    pushed: int
    already_there: int
    total: int

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "workspace": self.workspace, "url": self.url,
                "created_dataset": self.created, "pushed": self.pushed, "already_there": self.already_there,
                "records_in_dataset": self.total}


def ensure_dataset(client: Any, name: str, workspace: str, *, min_submitted: int = 1) -> tuple[Any, bool]:
    """The review dataset, created (with the workspace) when missing. Returns (dataset, created)."""
    import argilla as rg

    with argilla_errors(client.api_url):
        space = find_workspace(client, workspace)
        if space is None:
            space = rg.Workspace(name=workspace, client=client).create()
        dataset = _find_dataset(client, name, space)
        if dataset is not None:
            return dataset, False
        config = s.review_settings()
        config.distribution = rg.TaskDistribution(min_submitted=min_submitted)
        dataset = rg.Dataset(name=name, workspace=space, settings=config, client=client)
        return dataset.create(), True


def _find_dataset(client: Any, name: str, space: Any) -> Any:
    for dataset in space.datasets:
        if dataset.name == name:
            return dataset.get()  # listed datasets come without their settings
    return None


def existing_record_ids(client: Any, dataset_id: Any) -> set[str]:
    """External ids of every record in the dataset, read page by page (the owner's list endpoint)."""
    found: set[str] = set()
    offset = 0
    while True:
        page = get_json(client, f"/api/v1/datasets/{dataset_id}/records", offset=offset, limit=1000)
        items = page.get("items", [])
        found.update(str(item["external_id"]) for item in items if item.get("external_id") is not None)
        offset += len(items)
        if not items or offset >= page.get("total", 0):
            return found


def push_items(client: Any, items: Sequence[ReviewItem], *, dataset: str, workspace: str, min_submitted: int = 1,
               progress: Progress | None = None) -> PushResult:
    """Create what is missing, in batches; never touch records that are already there."""
    remote, created = ensure_dataset(client, dataset, workspace, min_submitted=min_submitted)
    with argilla_errors(client.api_url):
        present = existing_record_ids(client, remote.id)
        missing = _unique([item for item in items if item.record_id not in present])
        shown = {field.name: bool(getattr(field, "use_markdown", False)) for field in remote.settings.fields}
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            models = [_record(item, remote, shown).api_model() for item in batch]
            client.api.records.bulk_upsert(dataset_id=remote.id, records=models)
            if progress is not None:
                progress(len(batch))
        total = get_json(client, f"/api/v1/datasets/{remote.id}/progress").get("total", 0)
    url = f"{client.api_url.rstrip('/')}/dataset/{remote.id}/annotation-mode"
    return PushResult(dataset=dataset, workspace=workspace, url=url, created=created, pushed=len(missing),
                      already_there=len(items) - len(missing), total=int(total))


def _unique(items: list[ReviewItem]) -> list[ReviewItem]:
    seen: dict[str, ReviewItem] = {}
    for item in items:
        seen.setdefault(item.record_id, item)
    return list(seen.values())


def record_fields(item: ReviewItem, shown: dict[str, bool]) -> dict[str, str]:
    """The record's fields for a dataset whose fields are `shown` ({name: uses markdown}). A dataset made
    before the answer was markdown gets the plain answer, and no check field."""
    fields = {s.QUESTION: item.question, s.FACTS: item.facts}
    if shown.get(s.ANSWER):
        fields[s.ANSWER] = mark_answer(item.answer, item.marks)
        check = findings_markdown(item.answer, item.marks)
        if check and s.CHECK in shown:
            fields[s.CHECK] = check
    else:
        fields[s.ANSWER] = item.answer
    if item.reference:
        fields[s.REFERENCE] = item.reference
    return fields


def _record(item: ReviewItem, dataset: Any, shown: dict[str, bool]) -> Any:
    import argilla as rg

    record = rg.Record(
        id=item.record_id,
        fields=record_fields(item, shown),
        metadata={key: value for key, value in item.metadata.items() if value not in (None, "", [])},
        suggestions=[rg.Suggestion(question_name=sug.question, value=sug.value, agent=sug.agent, score=sug.score)
                     for sug in item.suggestions],
    )
    record.dataset = dataset
    return record
