"""Parquet files (pandas `to_parquet`, `datasets` `to_parquet`, the Hub's converted splits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError

MAGIC = b"PAR1"


def read_parquet(path: Path) -> list[Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise BadInputError(f"{path}: not a readable parquet file ({type(exc).__name__}: {detail})") from None
    return table.to_pylist()
