"""Outages: the real server is stopped in the middle of a push and of a pull, restarted, and the command rerun.

The stop happens from the progress callback, between two batches (or pages), so it lands in the
middle every time. Batches and pages are made small (100) so that 1,003 records take many of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _review_server import (
    add_annotator,
    connection_env,
    dataset_id,
    owner_client,
    shared_server,
    start_again,
    stop_for_a_while,
)
from conftest import read_examples, run_curate

WORKSPACE = "outage"
DATASET = "curate-outage"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shared_server(tmp_path_factory)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outage-home")
    made = run_curate("generate", "--tissue", "all", "--json", home=path)
    assert made.returncode == 0, made.stderr
    return path


def _fails_in_one_line(args: tuple[str, ...], home: Path, server: dict[str, Any]) -> None:
    down = run_curate("review", *args, "--workspace", WORKSPACE, home=home, env=connection_env(server))
    assert down.returncode == 2, down.stderr
    assert len(down.stderr.splitlines()) == 1 and down.stderr.startswith("error: cannot reach Argilla")


def _external_ids(server: dict[str, Any], ident: str) -> list[str]:
    client, found, offset = owner_client(server), [], 0
    while True:
        page = client.http_client.get(f"/api/v1/datasets/{ident}/records", params={"offset": offset, "limit": 1000})
        items = page.json()["items"]
        found += [item["external_id"] for item in items]
        offset += len(items)
        if not items:
            return found


@pytest.mark.slow
def test_push_stopped_midway_then_rerun_has_every_record_once(home: Path, server: dict[str, Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from curate import review
    from curate.annotations import push as annotations_push
    from curate.annotations.client import Connection
    from curate.registry import Registry
    from curate.schemas.errors import ServiceUnavailableError

    monkeypatch.setattr(annotations_push, "BATCH", 100)
    batches: list[int] = []

    def stop_after_first_batch(done: int, total: int) -> None:
        batches.append(done)
        if len(batches) == 1:
            stop_for_a_while()

    request = review.PushRequest(version="v1", dataset=DATASET, workspace=WORKSPACE)
    conn = Connection(server["api_url"], server["api_key"], "test")
    try:
        with pytest.raises(ServiceUnavailableError) as failure:
            review.push(Registry(home), conn, request, progress=stop_after_first_batch)
        assert "\n" not in str(failure.value) and batches == [100]
        _fails_in_one_line(("push", "v1", "--dataset", DATASET), home, server)
    finally:
        start_again()
    rerun = run_curate("review", "push", "v1", "--dataset", DATASET, "--workspace", WORKSPACE, "--json",
                       home=home, env=connection_env(server))
    assert rerun.returncode == 0, rerun.stderr
    n_examples = len(read_examples(home, "v1"))
    assert (rerun.json()["already_there"], rerun.json()["pushed"]) == (100, n_examples - 100)
    ids = _external_ids(server, dataset_id(server, DATASET, WORKSPACE))
    assert len(ids) == len(set(ids)) == n_examples
    assert set(ids) == {e["id"] for e in read_examples(home, "v1")}


@pytest.mark.slow
def test_pull_stopped_midway_then_rerun_loses_no_response(home: Path, server: dict[str, Any],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from curate import review
    from curate.annotations import pull as annotations_pull
    from curate.annotations.client import Connection
    from curate.registry import Registry
    from curate.schemas.errors import ServiceUnavailableError

    n_answers = _answer_many(home, server, 250)
    monkeypatch.setattr(annotations_pull, "PAGE", 100)
    pages: list[int] = []

    def stop_after_first_page(n: int) -> None:
        pages.append(n)
        if len(pages) == 1:
            stop_for_a_while()

    conn = Connection(server["api_url"], server["api_key"], "test")
    try:
        with pytest.raises(ServiceUnavailableError):
            review.pull(Registry(home), conn, datasets=[DATASET], workspace=WORKSPACE, progress=stop_after_first_page)
        assert pages == [100]
        assert not list((home / "reviews" / "snapshots").glob("*.jsonl"))  # nothing half-written
        _fails_in_one_line(("pull",), home, server)
    finally:
        start_again()
    rerun = run_curate("review", "pull", "--workspace", WORKSPACE, "--json", home=home, env=connection_env(server))
    assert rerun.returncode == 0, rerun.stderr
    (result,) = rerun.json()["datasets"]
    assert result["responses"] == result["answered_records"] == n_answers
    lines = (home / "reviews" / "reviews.jsonl").read_text().splitlines()
    reviews = [json.loads(line) for line in lines]
    assert len(reviews) == len({r["id"] for r in reviews}) == n_answers
    assert {r["verdict"] for r in reviews} == {"wrong"} and {r["annotator"] for r in reviews} == {"nightowl"}


def _answer_many(home: Path, server: dict[str, Any], n: int) -> int:
    """n submitted responses by one annotator, written in one bulk request by the owner."""
    add_annotator(server, "nightowl", WORKSPACE)
    client = owner_client(server)
    user = client.users("nightowl")
    ident = dataset_id(server, DATASET, WORKSPACE)
    records = client.http_client.get(f"/api/v1/datasets/{ident}/records", params={"limit": n}).json()["items"]
    items = [{"id": r["id"], "responses": [{"user_id": str(user.id), "status": "submitted",
                                              "values": {"verdict": {"value": "wrong"}}}]} for r in records]
    answer = client.http_client.put(f"/api/v1/datasets/{ident}/records/bulk", json={"items": items})
    assert answer.status_code == 200, answer.text
    return len(records)
