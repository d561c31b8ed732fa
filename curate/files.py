"""Files written whole or not at all, and their hashes: the one implementation every part uses.

Standard library only, and the bottom of the layer stack, so schemas, generators, gates, train and
annotations can all use it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_BLOCK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    _update(digest, path)
    return digest.hexdigest()


def sha256_tree(path: Path) -> str:
    """One sha256 over a file, or over every file below a folder in sorted order of their paths."""
    if not path.is_dir():
        return sha256_file(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        _update(digest, file)
    return digest.hexdigest()


def _update(digest: hashlib._Hash, file: Path) -> None:
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)


def hidden_sibling(path: Path, tag: str = "tmp") -> Path:
    """A unique hidden name beside `path`, on the same file system, so a rename onto `path` is atomic."""
    return path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.{tag}"


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder entry's) data to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary file)` beside `path`, flush it, then rename it over `path`: a reader sees
    the old file or the new one, never half of one, and a failed write leaves nothing behind."""
    temporary = hidden_sibling(path)
    try:
        write(temporary)
        fsync_path(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda temporary: temporary.write_bytes(data))


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


@contextmanager
def staged_folder(destination: Path) -> Iterator[Path]:
    """A hidden folder beside `destination` to fill; on success it is renamed onto `destination` (which
    must not exist or be empty), on failure removed."""
    stage = hidden_sibling(destination, "stage")
    stage.mkdir(parents=True)
    try:
        yield stage
        if destination.exists():
            destination.rmdir()
        os.rename(stage, destination)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
