"""The remembered Argilla connection: one small file, readable by its owner only (mode 0600).

`curate review serve` writes it (the local server's URL and owner key), `curate review login` writes
it for an existing deployment, and `curate review stop` / `logout` remove it. Commands use it when
neither an option nor an environment variable names a server.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from curate.schemas.errors import BadInputError

FILE_MODE = 0o600


@dataclass(frozen=True)
class StoredConnection:
    api_url: str
    api_key: str
    source: str  # "serve" (a local server this home started) or "login" (an existing deployment)
    username: str = ""
    role: str = ""
    data: str = ""  # the local server's data folder, for source "serve"
    saved: str = ""

    def public(self) -> dict[str, str]:
        """Everything but the key, for printing."""
        return {key: value for key, value in asdict(self).items() if key != "api_key"}


def save(path: Path, connection: StoredConnection) -> StoredConnection:
    """Write atomically; the file is created 0600, so the key is never readable by others, not even briefly."""
    stamped = StoredConnection(**{**asdict(connection), "saved": datetime.now(UTC).isoformat(timespec="seconds")})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(asdict(stamped), indent=2) + "\n")
    os.replace(partial, path)
    return stamped


def load(path: Path) -> StoredConnection | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return StoredConnection(**data)
    except (ValueError, TypeError):
        raise BadInputError(f"{path}: not a stored Argilla connection; remove it or run `curate review login` "
                            "again") from None


def clear(path: Path) -> StoredConnection | None:
    """Remove the stored connection; returns what was there."""
    try:
        found = load(path)
    except BadInputError:
        found = None
    path.unlink(missing_ok=True)
    return found
