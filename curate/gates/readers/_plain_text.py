"""A plain text file of Alpaca blocks, one `### Instruction:` section after another, each with an
optional "Below is an instruction..." preamble. Each block becomes a {"text": ...} record for the
text-alpaca shape."""

from __future__ import annotations

import re
from pathlib import Path

from curate.gates.readers._text_alpaca import HEADER
from curate.schemas.errors import BadInputError

PREAMBLE = re.compile(r"^[ \t]*below is an instruction\b", re.I | re.M)


def has_blocks(text: str) -> bool:
    return HEADER.search(text) is not None


def read_blocks(path: Path, text: str) -> list[dict[str, str]]:
    starts = [_block_start(text, header.start()) for header in HEADER.finditer(text)
              if header.group(1).lower() == "instruction"]
    if not starts:
        raise BadInputError(f"{path}: no '### Instruction:' section found")
    first_header = HEADER.search(text)
    if first_header is not None and first_header.start() < starts[0]:
        line = text.count("\n", 0, first_header.start()) + 1
        raise BadInputError(f"{path}: '### {first_header.group(1)}' at line {line} comes before any "
                            "'### Instruction:'")
    ends = [*starts[1:], len(text)]
    return [{"text": text[start:end].strip()} for start, end in zip(starts, ends, strict=True)]


def _block_start(text: str, header: int) -> int:
    """Where the block of the instruction header at `header` starts: at its preamble, if one is right above."""
    preambles = list(PREAMBLE.finditer(text, 0, header))
    if preambles and HEADER.search(text, preambles[-1].end(), header) is None:
        return preambles[-1].start()
    return header
