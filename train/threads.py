"""How many threads torch uses on a CPU: the machine's usable cores unless told otherwise.

On a busy machine, threads spinning in OpenMP while other jobs hold the cores cost far more than
they give (docs/train.md); pass `threads=1` (or set OMP_NUM_THREADS=1) there.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), not every core of the machine."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def thread_count(threads: int | None = None) -> int:
    """`threads`, else OMP_NUM_THREADS, else the usable cores."""
    if threads is not None:
        return max(1, threads)
    configured = os.environ.get("OMP_NUM_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else usable_cores()


def set_threads(threads: int | None = None) -> int:
    """Set torch's intra-op threads (see `thread_count`); returns the number set."""
    import torch

    count = thread_count(threads)
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)
    return count
