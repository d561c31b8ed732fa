"""The claim check over a process pool: contiguous shards of the items, results joined in order.

The claim check looks at one item at a time (its answer against its own facts), so it shards
cleanly; its per-answer cache only saves work, it never changes a verdict, so the joined result is
identical to one process's. Duplicates, leakage and coverage need every item at once and stay in
the parent process (MinHash LSH keeps them sub-quadratic).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from curate.schemas import FactSheet

SHARDS_PER_PROCESS = 4  # a few shards per worker: progress moves, and a slow shard does not hold the rest up
_SHEET: Any = None


def check_num_proc(num_proc: int) -> int:
    if num_proc < 1:
        raise BadInputError(f"--num-proc {num_proc}: must be at least 1 (cores on this machine: {os.cpu_count()})")
    return num_proc


def shards(n_items: int, n_shards: int) -> list[range]:
    """`n_shards` contiguous, near-equal ranges covering 0..n_items."""
    n_shards = max(1, min(n_shards, n_items))
    size, extra = divmod(n_items, n_shards)
    out, start = [], 0
    for k in range(n_shards):
        stop = start + size + (1 if k < extra else 0)
        out.append(range(start, stop))
        start = stop
    return out


def _init(sheet: FactSheet) -> None:
    global _SHEET
    _SHEET = sheet


def _check_shard(items: Sequence[Any]) -> tuple[list[Any], list[tuple[str, ...]]]:
    from curate.judge import check_items

    return check_items(items, _SHEET)


def check_items_parallel(
    items: Sequence[Any], sheet: FactSheet, *, num_proc: int, progress: Callable[[int], None] | None = None
) -> tuple[list[Any], list[tuple[str, ...]]]:
    """`check_items` over `num_proc` processes; the same findings, in the same order."""
    from curate.judge import check_items

    if num_proc <= 1 or len(items) < 2 * num_proc:
        return check_items(items, sheet, progress=progress)
    parts = shards(len(items), num_proc * SHARDS_PER_PROCESS)
    findings: list[Any] = []
    stated: list[tuple[str, ...]] = []
    done = 0
    with ProcessPoolExecutor(max_workers=num_proc, initializer=_init, initargs=(sheet,)) as pool:
        futures = [pool.submit(_check_shard, [items[i] for i in part]) for part in parts]
        for part, future in zip(parts, futures, strict=True):
            shard_findings, shard_stated = future.result()
            findings += shard_findings
            stated += shard_stated
            done += len(part)
            if progress is not None:
                progress(done)
    return findings, stated
