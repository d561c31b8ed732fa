"""Review round trip on a local Argilla (`curate review serve`): push and pull of 10k records (quick: 500).

Goal: at least 200 records/s each way. Baselines, measured in the same run on the same server: the
argilla SDK's own paths, `Dataset.records.log()` to push and iterating `dataset.records(with_responses=True)`
to pull. Candidates: curate's `annotations.push.push_items` and `annotations.pull.pull` (which also
writes the raw snapshot and maps every response to a Review).
"""

from __future__ import annotations

import atexit
import shutil
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL = 200.0  # records per second
_STATE: dict[str, Any] = {}


def _size(quick: bool) -> int:
    return 500 if quick else 10_000


def _server() -> Any:
    """One server for both cases, stopped when the bench exits."""
    if "server" not in _STATE:
        from curate.annotations.server import manage

        data = Path(tempfile.mkdtemp(prefix="curate-bench-argilla-"))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        _STATE["server"] = manage.serve(data, port=port)  # (state, the data folder's owner credentials)

        def stop() -> None:
            manage.stop(data)
            shutil.rmtree(data, ignore_errors=True)

        atexit.register(stop)
    return _STATE["server"]


def _client() -> Any:
    import argilla as rg

    state, credentials = _server()
    return rg.Argilla(api_url=state.api_url, api_key=credentials.api_key)


def _items(n: int, tag: str) -> list[Any]:
    """Records shaped like curate's: question, answer, facts with provenance, 8 metadata, suggestions."""
    from curate.annotations.push import ReviewItem

    facts = ("**1.** In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down) against vehicle "
             "controls at padj < 0.05.\n\n<small>`deg_count:liver:HU` · source `stressor_degs.csv` · row 7 · "
             "contrast HU · published summary · padj < 0.05 · sha256 `3567eae710ff`</small>")
    return [ReviewItem(
        record_id=f"{tag}-{i:06d}",
        question=f"How many genes are differentially expressed in liver under hindlimb unloading? (variant {i})",
        answer="In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down) against vehicle "
               "controls at padj < 0.05.",
        facts=facts,
        metadata={"tissue": "liver", "kind": "factual_qa", "template": f"factual_qa.deg_count.train{i % 4 + 1}",
                  "version": "v1", "fact_ids": ["deg_count:liver:HU"], "split": "train", "source": "example",
                  "flagged": "no"},
        suggestions=_suggestions(flagged=i % 10 == 0),
    ) for i in range(n)]


def _suggestions(flagged: bool) -> tuple[Any, ...]:
    """As curate pre-fills them: one in ten flagged by the claim check (verdict and error types), the rest one."""
    from curate.annotations.push import Suggestion

    if flagged:
        return (Suggestion("verdict", "wrong", "bench", 0.9), Suggestion("error_types", ["wrong_number"], "bench"))
    return (Suggestion("verdict", "correct", "bench", 0.5),)


def _sdk_records(items: list[Any]) -> list[Any]:
    import argilla as rg

    return [rg.Record(id=item.record_id, fields={"question": item.question, "answer": item.answer,
                                                 "facts": item.facts},
                      metadata=item.metadata,
                      suggestions=[rg.Suggestion(question_name=s.question, value=s.value, agent=s.agent, score=s.score)
                                   for s in item.suggestions])
            for item in items]


def review_push(quick: bool) -> dict[str, Any]:
    import os

    from curate.annotations.push import ensure_dataset, push_items

    n = _size(quick)
    client = _client()
    items = _items(n, "push")
    baseline_dataset, _ = ensure_dataset(client, "bench-sdk-push", "bench")
    ensure_dataset(client, "bench-push", "bench")  # both datasets exist before the clocks start
    records = _sdk_records(items)
    os.environ.setdefault("TQDM_DISABLE", "1")
    began = time.perf_counter()
    baseline_dataset.records.log(records)
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    result = push_items(client, items, dataset="bench-push", workspace="bench")
    candidate = time.perf_counter() - began
    assert result.pushed == n == result.total, result
    rate = n / candidate
    return {
        "baseline_s": round(baseline, 3), "candidate_s": round(candidate, 3), "ratio": round(candidate / baseline, 2),
        "records": n, "records_per_s": round(rate, 1), "baseline_records_per_s": round(n / baseline, 1),
        "goal": f">= {GOAL:.0f} records/s", "goal_met": rate >= GOAL,
        "note": f"{n} records to a local argilla-server 2.8 (SQLite, SQL search); baseline Dataset.records.log()",
    }


def review_pull(quick: bool) -> dict[str, Any]:
    from curate.annotations.pull import load_reviews, pull
    from curate.annotations.push import push_items

    n = _size(quick)
    client = _client()
    push_items(client, _items(n, "pull"), dataset="bench-pull", workspace="bench")
    dataset = client.datasets(name="bench-pull", workspace="bench")
    _answer_all(client, dataset.id, n)
    began = time.perf_counter()
    fetched = sum(1 for record in dataset.records(with_responses=True) if record.responses)
    baseline = time.perf_counter() - began
    folder = Path(tempfile.mkdtemp(prefix="curate-bench-reviews-"))
    try:
        began = time.perf_counter()
        (result,), _ = pull(client, [dataset], "bench", folder)
        candidate = time.perf_counter() - began
        assert result.n_responses == n == fetched == len(load_reviews(folder)), (result, fetched)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rate = n / candidate
    return {
        "baseline_s": round(baseline, 3), "candidate_s": round(candidate, 3), "ratio": round(candidate / baseline, 2),
        "records": n, "records_per_s": round(rate, 1), "baseline_records_per_s": round(n / baseline, 1),
        "goal": f">= {GOAL:.0f} records/s", "goal_met": rate >= GOAL,
        "note": (f"{n} answered records: raw snapshot + mapping to Review; baseline iterates "
                 "dataset.records(with_responses=True)"),
    }


def _answer_all(client: Any, dataset_id: Any, n: int) -> None:
    """One submitted response per record, written by the owner in bulk (setup, not timed)."""
    me = client.me
    offset = 0
    while offset < n:
        page = client.http_client.get(f"/api/v1/datasets/{dataset_id}/records",
                                      params={"offset": offset, "limit": 500}).json()["items"]
        items = [{"id": r["id"], "responses": [{"user_id": str(me.id), "status": "submitted",
                                                  "values": {"verdict": {"value": "wrong"}}}]} for r in page]
        client.http_client.put(f"/api/v1/datasets/{dataset_id}/records/bulk", json={"items": items}).raise_for_status()
        offset += len(page)


def _skipped(reason: str) -> dict[str, Any]:
    return {"baseline_s": None, "candidate_s": None, "ratio": None, "note": f"skipped: {reason}"}


def _guarded(case: Any) -> Any:
    def run(quick: bool) -> dict[str, Any]:
        if shutil.which("redis-server") is None:
            return _skipped("redis-server is not installed")
        return case(quick)  # type: ignore[no-any-return]

    return run


CASES = {"review_push": _guarded(review_push), "review_pull": _guarded(review_pull)}
