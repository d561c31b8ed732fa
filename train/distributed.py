"""Which process am I? Under `accelerate launch` / torchrun every rank runs the same `curate train fit`;
only rank 0 writes the run record and the adapter. Read from the launcher's environment, so that it
holds before (and without) any process group."""

from __future__ import annotations

import os


def rank() -> int:
    return int(os.environ.get("RANK", "0"))


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    return rank() == 0


def local_rank() -> int:
    """This rank's GPU on its node (0 without a launcher)."""
    return int(os.environ.get("LOCAL_RANK", "0"))
