"""A search engine for argilla-server that answers from the server's own SQLite database.

argilla-server normally mirrors every record into Elasticsearch or OpenSearch and searches there.
For a local, single-user server that is a second service to run and keep in step. This engine keeps
nothing of its own: the database already holds records, responses, suggestions and metadata, so
every "index" call is a no-op and every search is one SQL query, with filtering, sorting, counting
and paging done by SQLite (`json_extract`, `json_each`).

This file runs inside the server's own virtual environment (argilla-server pins versions that clash
with curate's), imported by launch.py before the app starts. curate never imports it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from argilla_server.database import AsyncSessionLocal
from argilla_server.enums import MetadataPropertyType, ResponseStatusFilter, SimilarityOrder, SortOrder
from argilla_server.models import (
    Dataset,
    MetadataProperty,
    Question,
    Record,
    Response,
    Suggestion,
    User,
    Vector,
    VectorSettings,
)
from argilla_server.search_engine import (
    AndFilter,
    Filter,
    FloatMetadataMetrics,
    IntegerMetadataMetrics,
    MetadataFilterScope,
    MetadataMetrics,
    Order,
    RangeFilter,
    RecordFilterScope,
    ResponseFilterScope,
    SearchEngine,
    SearchResponseItem,
    SearchResponses,
    SuggestionFilterScope,
    TermsFilter,
    TermsMetrics,
    TextQuery,
)
from sqlalchemy import ColumnElement, and_, exists, false, func, literal, not_, or_, select, true

ENGINE_NAME = "sql"


def json_path(*keys: str) -> str:
    """'$."a"."b"': a JSON path that survives names with dots or spaces."""
    return "$" + "".join('."' + key.replace('"', '\\"') + '"' for key in keys)


def _any_value_in(json_value: ColumnElement[Any], values: list[Any]) -> ColumnElement[bool]:
    """True when a JSON scalar is one of `values`, or a JSON array holds one of them."""
    items = func.json_each(json_value).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value.in_(values)))


def _match(value: ColumnElement[Any], condition: Filter, *, json: bool) -> ColumnElement[bool]:
    if isinstance(condition, TermsFilter):
        return _any_value_in(value, list(condition.values)) if json else value.in_(list(condition.values))
    if isinstance(condition, RangeFilter):
        bounds = [value.is_not(None)]
        if condition.ge is not None:
            bounds.append(value >= condition.ge)
        if condition.le is not None:
            bounds.append(value <= condition.le)
        return and_(*bounds)
    raise ValueError(f"cannot apply filter {condition!r}")


def _response_value(question: str) -> ColumnElement[Any]:
    return func.json_extract(Response.values, json_path(question, "value"))


def _words(text: str) -> list[str]:
    return [word.strip('"').lower() for word in text.split() if word.strip('"')]


def _like(column: ColumnElement[Any], word: str) -> ColumnElement[bool]:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


@SearchEngine.register(ENGINE_NAME)
class SqlSearchEngine(SearchEngine):
    """Every query answered by the database the server already writes to."""

    @classmethod
    async def new_instance(cls) -> SqlSearchEngine:
        return cls()

    async def close(self) -> None:
        return None

    async def ping(self) -> bool:
        return True

    async def info(self) -> dict:
        return {"distribution": "sqlite", "number": "1", "engine": "curate sql search"}

    # -- writes: the database is the index, so there is nothing to mirror ----------------------
    async def create_index(self, dataset: Dataset) -> None:
        return None

    async def delete_index(self, dataset: Dataset) -> None:
        return None

    async def configure_metadata_property(self, dataset: Dataset, metadata_property: MetadataProperty) -> None:
        return None

    async def configure_index_vectors(self, vector_settings: VectorSettings) -> None:
        return None

    async def index_records(self, dataset: Dataset, records: Iterable[Record]) -> None:
        return None

    async def partial_record_update(self, record: Record, **update: Any) -> None:
        return None

    async def delete_records(self, dataset: Dataset, records: Iterable[Record]) -> None:
        return None

    async def update_record_response(self, response: Response) -> None:
        return None

    async def delete_record_response(self, response: Response) -> None:
        return None

    async def update_record_suggestion(self, suggestion: Suggestion) -> None:
        return None

    async def delete_record_suggestion(self, suggestion: Suggestion) -> None:
        return None

    # -- reads ----------------------------------------------------------------------------------
    async def get_dataset_progress(self, dataset: Dataset) -> dict:
        if dataset.is_draft:
            return {}
        query = select(Record.status, func.count()).where(Record.dataset_id == dataset.id).group_by(Record.status)
        async with AsyncSessionLocal() as db:
            counts = {str(status): count for status, count in (await db.execute(query)).all()}
        return {"total": sum(counts.values()), **counts}

    async def get_dataset_user_progress(self, dataset: Dataset, user: User) -> dict:
        if dataset.is_draft:
            return {}
        query = (
            select(Response.status, func.count())
            .join(Record, Record.id == Response.record_id)
            .where(Record.dataset_id == dataset.id, Response.user_id == user.id)
            .group_by(Response.status)
        )
        async with AsyncSessionLocal() as db:
            counts = {str(status): count for status, count in (await db.execute(query)).all()}
        return {"total": sum(counts.values()), **counts}

    async def search(
        self,
        dataset: Dataset,
        query: TextQuery | str | None = None,
        filter: Filter | None = None,
        sort: list[Order] | None = None,
        offset: int = 0,
        limit: int = 100,
        user_id: Any = None,
    ) -> SearchResponses:
        where = self._where(dataset, query, filter)
        ordered = select(Record.id).where(where).order_by(*self._order_by(sort)).offset(offset).limit(limit)
        async with AsyncSessionLocal() as db:
            total = await db.scalar(select(func.count()).select_from(Record).where(where))
            ids = (await db.scalars(ordered)).all()
        score = None if query is None else 1.0
        return SearchResponses(items=[SearchResponseItem(record_id=i, score=score) for i in ids], total=total or 0)

    async def similarity_search(
        self,
        dataset: Dataset,
        vector_settings: VectorSettings,
        value: list[float] | None = None,
        record: Record | None = None,
        query: TextQuery | str | None = None,
        filter: Filter | None = None,
        max_results: int = 100,
        order: SimilarityOrder = SimilarityOrder.most_similar,
        threshold: float | None = None,
    ) -> SearchResponses:
        """Cosine similarity computed in Python over the candidates SQL leaves: fine for a local server."""
        if bool(value) == bool(record):
            raise ValueError("Must provide either vector value or record to compute the similarity search")
        where = self._where(dataset, query, filter)
        candidates = select(Vector.record_id, Vector.value).join(Record, Record.id == Vector.record_id).where(
            where, Vector.vector_settings_id == vector_settings.id
        )
        async with AsyncSessionLocal() as db:
            if record is not None:
                value = await db.scalar(
                    select(Vector.value).where(
                        Vector.record_id == record.id, Vector.vector_settings_id == vector_settings.id
                    )
                )
                candidates = candidates.where(Vector.record_id != record.id)
            if not value:
                raise ValueError("Cannot find a vector value to apply with provided info")
            rows = (await db.execute(candidates)).all()
        scored = [(record_id, _cosine(value, vector)) for record_id, vector in rows]
        scored.sort(key=lambda pair: pair[1], reverse=order == SimilarityOrder.most_similar)
        if threshold is not None:
            scored = [pair for pair in scored if pair[1] >= threshold]
        items = [SearchResponseItem(record_id=i, score=s) for i, s in scored[:max_results]]
        return SearchResponses(items=items, total=len(items))

    async def compute_metrics_for(self, metadata_property: MetadataProperty) -> MetadataMetrics:
        path = json_path(metadata_property.name)
        in_dataset = Record.dataset_id == metadata_property.dataset_id
        async with AsyncSessionLocal() as db:
            if metadata_property.type == MetadataPropertyType.terms:
                items = func.json_each(Record.metadata_, path).table_valued("value")
                query = (
                    select(items.c.value, func.count())
                    .select_from(Record)
                    .join(items, true())
                    .where(in_dataset)
                    .group_by(items.c.value)
                    .order_by(func.count().desc(), items.c.value)
                )
                rows = (await db.execute(query)).all()
                values = [TermsMetrics.TermCount(term=str(term), count=count) for term, count in rows]
                return TermsMetrics(total=sum(v.count for v in values), values=values)
            number = func.json_extract(Record.metadata_, path)
            low, high = (await db.execute(select(func.min(number), func.max(number)).where(in_dataset))).one()
        if metadata_property.type == MetadataPropertyType.integer:
            return IntegerMetadataMetrics(min=low, max=high)
        return FloatMetadataMetrics(min=low, max=high)

    # -- query building -------------------------------------------------------------------------
    def _where(self, dataset: Dataset, query: TextQuery | str | None, filter: Filter | None) -> ColumnElement[bool]:
        conditions = [Record.dataset_id == dataset.id]
        if query is not None:
            conditions.append(self._text_condition(query))
        if filter is not None:
            conditions.append(self._filter_condition(filter))
        return and_(*conditions)

    @staticmethod
    def _text_condition(query: TextQuery | str) -> ColumnElement[bool]:
        """Every word must appear (case-insensitive) in the chosen field, or in any field."""
        text = TextQuery(q=query) if isinstance(query, str) else query
        words = _words(text.q)
        if not words:
            return true()
        if text.field:
            value = func.json_extract(Record.fields, json_path(text.field))
            return and_(*(_like(value, word) for word in words))
        conditions = []
        for word in words:
            items = func.json_each(Record.fields).table_valued("value")
            conditions.append(exists(select(literal(1)).select_from(items).where(_like(items.c.value, word))))
        return and_(*conditions)

    def _filter_condition(self, condition: Filter) -> ColumnElement[bool]:
        if isinstance(condition, AndFilter):
            return and_(true(), *(self._filter_condition(part) for part in condition.filters))
        scope = condition.scope
        if isinstance(scope, MetadataFilterScope):
            value = func.json_extract(Record.metadata_, json_path(scope.metadata_property))
            return _match(value, condition, json=False)
        if isinstance(scope, RecordFilterScope):
            return _match(getattr(Record, scope.property), condition, json=False)
        if isinstance(scope, SuggestionFilterScope):
            return self._suggestion_condition(scope, condition)
        if isinstance(scope, ResponseFilterScope):
            return self._response_condition(scope, condition)
        raise ValueError(f"cannot filter on scope {scope!r}")

    @staticmethod
    def _suggestion_condition(scope: SuggestionFilterScope, condition: Filter) -> ColumnElement[bool]:
        column = {"value": Suggestion.value, "score": Suggestion.score, "agent": Suggestion.agent,
                  "type": Suggestion.type}[scope.property]
        json = scope.property in ("value", "score")
        matched = (
            select(Suggestion.id)
            .join(Question, Question.id == Suggestion.question_id)
            .where(Suggestion.record_id == Record.id, Question.name == scope.question,
                   _match(column, condition, json=json))
        )
        return exists(matched)

    @staticmethod
    def _response_condition(scope: ResponseFilterScope, condition: Filter) -> ColumnElement[bool]:
        by_user = [Response.user_id == scope.user.id] if scope.user else []
        if scope.question:
            matched = select(Response.id).where(
                Response.record_id == Record.id, *by_user, _match(_response_value(scope.question), condition, json=True)
            )
            return exists(matched)
        if scope.property != "status" or not isinstance(condition, TermsFilter):
            raise ValueError(f"cannot filter responses on {scope!r}")
        statuses = [str(value) for value in condition.values]
        wanted = [status for status in statuses if status != ResponseStatusFilter.pending]
        parts = []
        if ResponseStatusFilter.pending in statuses:  # pending: no response yet (from this user, if one is given)
            parts.append(not_(exists(select(Response.id).where(Response.record_id == Record.id, *by_user))))
        if wanted:
            answered = select(Response.id).where(Response.record_id == Record.id, *by_user,
                                                 Response.status.in_(wanted))
            parts.append(exists(answered))
        return or_(false(), *parts)

    @staticmethod
    def _order_by(sort: list[Order] | None) -> list[ColumnElement[Any]]:
        columns: list[ColumnElement[Any]] = []
        for order in sort or []:
            scope = order.scope
            if isinstance(scope, RecordFilterScope):
                key: ColumnElement[Any] = getattr(Record, scope.property)
            elif isinstance(scope, MetadataFilterScope):
                key = func.json_extract(Record.metadata_, json_path(scope.metadata_property))
            elif isinstance(scope, SuggestionFilterScope):
                column = Suggestion.score if scope.property == "score" else Suggestion.value
                key = (
                    select(func.max(column))
                    .join(Question, Question.id == Suggestion.question_id)
                    .where(Suggestion.record_id == Record.id, Question.name == scope.question)
                    .scalar_subquery()
                )
            elif isinstance(scope, ResponseFilterScope) and scope.question:
                by_user = [Response.user_id == scope.user.id] if scope.user else []
                key = (
                    select(func.avg(_response_value(scope.question)))
                    .where(Response.record_id == Record.id, *by_user)
                    .scalar_subquery()
                )
            else:
                continue
            columns.append(key.desc() if order.order == SortOrder.desc else key.asc())
        return [*columns, Record.inserted_at.asc(), Record.id.asc()]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
