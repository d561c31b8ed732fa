"""Pull responses from Argilla: an immutable raw snapshot first, then `Review` objects from it.

Layout under the registry home::

    reviews/snapshots/<UTC time>-<dataset>.jsonl   one per pull and dataset, read-only once written:
                                                   a header line, then each answered record as the
                                                   server returned it (fields, metadata, responses)
    reviews/reviews.jsonl                          every Review, rebuilt from all snapshots

Reviews come from every snapshot, not from the server's current state, so a submitted response is
never lost: not when the record is later edited or deleted in Argilla, and not when the annotator
later saves a draft over it. A later *submission* does replace it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from curate.annotations import settings as s
from curate.annotations.client import argilla_errors, find_workspace, get_json, post_json

SNAPSHOT_SCHEMA = "curate.review-snapshot/1"
PAGE = 1000
ANSWERED = {"and": [{"type": "terms", "scope": {"entity": "response", "property": "status"},
                     "values": ["submitted", "draft", "discarded"]}]}

LOCK = ".pull.lock"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RawPull:
    header: dict[str, Any]
    records: list[dict[str, Any]]


@dataclass(frozen=True)
class PullResult:
    dataset: str
    snapshot: Path | None  # None when nothing changed since the last snapshot
    n_records: int
    n_responses: int

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "snapshot": str(self.snapshot) if self.snapshot else None,
                "answered_records": self.n_records, "responses": self.n_responses}


def snapshots_dir(reviews_dir: Path) -> Path:
    return reviews_dir / "snapshots"


# -- fetching ------------------------------------------------------------------------------------
def review_datasets(client: Any, workspace: str, names: Iterable[str] | None, prefix: str) -> list[Any]:
    """The named datasets, or every dataset in the workspace whose name starts with `prefix`."""
    from curate.schemas.errors import NotFoundError

    with argilla_errors(client.api_url):
        space = find_workspace(client, workspace)
        if space is None:
            raise NotFoundError(f"Argilla at {client.api_url} has no workspace {workspace!r}: push something first")
        found = {dataset.name: dataset for dataset in space.datasets}
    if names:
        missing = [name for name in names if name not in found]
        if missing:
            known = ", ".join(sorted(found)) or "none"
            raise NotFoundError(f"no dataset {missing[0]!r} in workspace {workspace!r} (datasets: {known})")
        return [found[name] for name in names]
    return [found[name] for name in sorted(found) if name.startswith(prefix)]


def fetch_raw(client: Any, dataset: Any, workspace: str, progress: Progress | None = None) -> RawPull:
    """Every record with at least one response, with all responses, read page by page as the owner."""
    with argilla_errors(client.api_url):
        users = {str(u["id"]): u["username"] for u in get_json(client, "/api/v1/users").get("items", [])}
        fields = get_json(client, f"/api/v1/datasets/{dataset.id}/fields").get("items", [])
        records: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            page = post_json(client, f"/api/v1/datasets/{dataset.id}/records/search", {"filters": ANSWERED},
                             include="responses", offset=offset, limit=PAGE)
            items = [item["record"] for item in page.get("items", [])]
            for record in items:
                records[str(record["id"])] = record
            offset += len(items)
            if progress is not None:
                progress(len(items))
            if not items or offset >= page.get("total", 0):
                break
    header = {
        "schema": SNAPSHOT_SCHEMA,
        "dataset": dataset.name,
        "dataset_id": str(dataset.id),
        "workspace": workspace,
        "api_url": client.api_url,
        "pulled_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "users": users,
        "markdown_fields": sorted(f["name"] for f in fields if (f.get("settings") or {}).get("use_markdown")),
        "n_records": len(records),
        "n_responses": sum(len(r.get("responses") or []) for r in records.values()),
    }
    ordered = sorted(records.values(), key=lambda r: (str(r.get("external_id")), str(r["id"])))
    return RawPull(header=header, records=ordered)


# -- snapshots ------------------------------------------------------------------------------------
def save_snapshot(reviews_dir: Path, raw: RawPull) -> Path | None:
    """Write the raw pull as a new read-only file; None when it equals the dataset's latest snapshot."""
    folder = snapshots_dir(reviews_dir)
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n" for record in raw.records)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    latest = _latest_snapshot(folder, raw.header["dataset"])
    if latest is not None and _read_header(latest).get("records_sha256") == digest:
        return None
    header = {**raw.header, "records_sha256": digest}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"{stamp}-{raw.header['dataset']}.jsonl"
    partial = folder / f".{path.name}.partial"
    with partial.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, sort_keys=True, ensure_ascii=False) + "\n")
        out.write(body)
        out.flush()
        os.fsync(out.fileno())
    partial.chmod(0o444)
    os.replace(partial, path)
    return path


def snapshot_paths(reviews_dir: Path) -> list[Path]:
    folder = snapshots_dir(reviews_dir)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def _latest_snapshot(folder: Path, dataset: str) -> Path | None:
    mine = [path for path in sorted(folder.glob("*.jsonl")) if _read_header(path).get("dataset") == dataset]
    return mine[-1] if mine else None


def _read_header(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        header: dict[str, Any] = json.loads(handle.readline() or "{}")
        return header


def read_snapshot(path: Path) -> RawPull:
    with path.open(encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        records = [json.loads(line) for line in handle if line.strip()]
    return RawPull(header=header, records=records)


# -- mapping to Review -----------------------------------------------------------------------------
def reviews_from_snapshot(path: Path) -> list[Any]:
    raw = read_snapshot(path)
    return [review for record in raw.records for review in record_reviews(record, raw.header, path.name)]


def record_reviews(record: dict[str, Any], header: dict[str, Any], snapshot: str) -> list[Any]:
    from curate.schemas import ERROR_TYPES, VERDICTS, Review, review_id

    fields, meta = record.get("fields") or {}, record.get("metadata") or {}
    example_id = str(record.get("external_id") or record["id"])
    made = []
    for response in record.get("responses") or []:
        values = response.get("values") or {}
        user_id = str(response["user_id"])
        verdict = _value(values, s.VERDICT)
        made.append(Review(
            id=review_id(header["dataset"], example_id, user_id),
            dataset=header["dataset"],
            example_id=example_id,
            source="eval" if meta.get("source") == "eval" else "example",
            eval_id=meta.get("eval_id"),
            version=meta.get("version"),
            kind=str(meta.get("kind", "")),
            tissue=str(meta.get("tissue", "")),
            fact_ids=_as_list(meta.get("fact_ids")),
            template_id=str(meta.get("template", "")),
            question=str(fields.get(s.QUESTION, "")),
            answer=_answer(fields, header),
            annotator=header.get("users", {}).get(user_id, user_id),
            annotator_id=user_id,
            status=response["status"],
            verdict=verdict if verdict in VERDICTS else None,
            corrected_answer=_text(values, s.CORRECTED_ANSWER),
            error_types=[e for e in _as_list(_value(values, s.ERROR_TYPES)) if e in ERROR_TYPES],  # type: ignore[misc]
            confidence=_confidence(_value(values, s.CONFIDENCE)),
            note=_text(values, s.NOTE),
            answered_at=str(response.get("updated_at") or response.get("inserted_at") or ""),
            snapshot=snapshot,
        ))
    return made


def _answer(fields: dict[str, Any], header: dict[str, Any]) -> str:
    """The answer as plain text: datasets whose answer field is markdown hold it marked up (render.py)."""
    from curate.annotations.render import plain_answer

    text = str(fields.get(s.ANSWER, ""))
    return plain_answer(text) if s.ANSWER in header.get("markdown_fields", ()) else text


def _value(values: dict[str, Any], question: str) -> Any:
    entry = values.get(question)
    return entry.get("value") if isinstance(entry, dict) else None


def _text(values: dict[str, Any], question: str) -> str | None:
    value = _value(values, question)
    return value.strip() or None if isinstance(value, str) else None


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _confidence(value: Any) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 5 else None


def merge_reviews(reviews: Iterable[Any]) -> list[Any]:
    """One Review per id: the latest submission if there ever was one, else the latest save."""
    by_id: dict[str, list[Any]] = {}
    for review in reviews:
        by_id.setdefault(review.id, []).append(review)
    merged = []
    for versions in by_id.values():
        submitted = [r for r in versions if r.status == "submitted"]
        merged.append(max(submitted or versions, key=lambda r: (r.answered_at, r.snapshot)))
    return sorted(merged, key=lambda r: (r.dataset, r.example_id, r.annotator))


def load_reviews(reviews_dir: Path) -> list[Any]:
    """Every review ever pulled into this home, merged across snapshots."""
    return merge_reviews(review for path in snapshot_paths(reviews_dir) for review in reviews_from_snapshot(path))


def write_reviews(reviews_dir: Path, reviews: list[Any]) -> Path:
    path = reviews_dir / "reviews.jsonl"
    partial = reviews_dir / ".reviews.jsonl.partial"
    partial.write_text("".join(review.model_dump_json(by_alias=True) + "\n" for review in reviews), encoding="utf-8")
    os.replace(partial, path)
    return path


def pull(client: Any, datasets: list[Any], workspace: str, reviews_dir: Path,
         progress: Progress | None = None) -> tuple[list[PullResult], list[Any]]:
    """Fetch every dataset first, then write the snapshots: an outage mid-way leaves no partial file.
    Returns the results and every review now known (all snapshots merged, as in reviews.jsonl).

    Writes happen under a lock, which first removes what a killed pull left half-written.
    """
    from filelock import FileLock

    raws = [fetch_raw(client, dataset, workspace, progress) for dataset in datasets]
    reviews_dir.mkdir(parents=True, exist_ok=True)
    results = []
    with FileLock(reviews_dir / LOCK):
        remove_partials(reviews_dir)
        for raw in raws:
            path = save_snapshot(reviews_dir, raw)
            results.append(PullResult(raw.header["dataset"], path, raw.header["n_records"], raw.header["n_responses"]))
        reviews = load_reviews(reviews_dir)
        write_reviews(reviews_dir, reviews)
    return results, reviews


def partial_files(reviews_dir: Path) -> list[Path]:
    """Files a pull killed mid-write left behind (hidden, never read)."""
    return [*reviews_dir.glob(".*.partial"), *snapshots_dir(reviews_dir).glob(".*.partial")]


def remove_partials(reviews_dir: Path) -> None:
    for path in partial_files(reviews_dir):
        path.chmod(0o644)
        path.unlink(missing_ok=True)


def snapshot_intact(path: Path) -> bool:
    """The body of a snapshot hashes to the records_sha256 in its header."""
    with path.open("rb") as handle:
        header = json.loads(handle.readline() or b"{}")
        digest = hashlib.sha256(handle.read()).hexdigest()
    return header.get("records_sha256") in (None, digest)
