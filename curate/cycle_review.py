"""A cycle round's review step in Argilla: push the round's failures, wait for the biologist's verdicts."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from curate.annotations.client import Connection
    from curate.cycle import CycleState
    from curate.drill import Judgement
    from curate.registry import Registry
    from curate.schemas import Review

REVIEW_POLL_SECONDS = 5.0


def review_in_argilla(registry: Registry, state: CycleState, record: dict[str, Any]) -> list[Review]:
    """Push the round's failures to Argilla and pull until every pushed record has a submitted review.

    Returns the lead review of each answer judged wrong or partly correct. An Argilla outage while
    waiting is waited out (pull is idempotent); the deadline still holds.
    """
    from curate.review import PushRequest, connection, push
    from curate.schemas.errors import ServiceUnavailableError

    request = state.request
    conn = connection(registry, request["api_url"], request["api_key"])
    pushed = push(registry, conn, PushRequest(from_eval=record["eval_path"], only_flagged=True,
                                              workspace=request["workspace"]))
    record["review_dataset"] = pushed.dataset
    state.save()
    deadline = time.monotonic() + float(request["review_timeout"])
    outages, announced = 0, -1
    reviewed: dict[tuple[str, str], Judgement] = {}
    while True:
        try:
            now = submitted_reviews(registry, conn, pushed.dataset, request["workspace"])
        except ServiceUnavailableError:
            outages += 1
            state.notify(f"Argilla at {conn.api_url} is unreachable; waiting for it")
        else:
            reviewed = now
            if len(reviewed) != announced:
                announced = len(reviewed)
                state.notify(f"{announced} of {pushed.total} answers in {pushed.dataset} reviewed "
                             f"(workspace {request['workspace']} at {conn.api_url})")
        if len(reviewed) >= pushed.total:
            record["reviews"] = {"dataset": pushed.dataset, "pushed": pushed.total, "answered_records": len(reviewed),
                                 "verdicts": dict(Counter(j.verdict for j in reviewed.values())),
                                 "outages_waited_out": outages}
            return [j.lead for j in reviewed.values() if j.verdict != "correct"]
        if time.monotonic() > deadline:
            raise BadInputError(f"round {record['round']}: {len(reviewed)} of {pushed.total} records of "
                                f"{pushed.dataset} reviewed after {request['review_timeout']:.0f} s; "
                                "resume later with `curate cycle --resume`")
        time.sleep(REVIEW_POLL_SECONDS)


def submitted_reviews(registry: Registry, conn: Connection, dataset: str,
                       workspace: str) -> dict[tuple[str, str], Judgement]:
    """Pull `dataset`, then judge each of its records that has at least one submitted review."""
    from curate.drill import judge_answers
    from curate.review import pull

    _, reviews = pull(registry, conn, datasets=[dataset], workspace=workspace)
    return judge_answers([r for r in reviews if r.dataset == dataset])
