"""Alpaca in a `text` field: `### Instruction:` / optional `### Input:` / `### Response:` sections,
usually after the preamble "Below is an instruction that describes a task...". The preamble, and
any other text before the first header, is not part of the prompt. The response runs to the end of the
text, so a `### ...` heading inside an answer stays in the answer."""

from __future__ import annotations

import re
from typing import Any

from curate.gates.readers._common import Pair, RecordError, strip_end_tokens, type_name

NAME = "text-alpaca"
EXAMPLE = r"'### Instruction:\nprompt\n\n### Response:\nanswer'"
# A header ends with a colon or the line: "### Output format" inside an answer is not a header.
HEADER = re.compile(r"^[ \t]*###[ \t]*(instruction|input|response|output|answer)[ \t]*(?::[ \t]*|$)", re.I | re.M)
_FIELD = {"instruction": "instruction", "input": "input", "response": "output", "output": "output",
          "answer": "output"}


def claims(record: dict[str, Any]) -> bool:
    text = record.get("text")
    return isinstance(text, str) and HEADER.search(text) is not None


def read(record: dict[str, Any]) -> Pair:
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError("no 'text' field" if text is None else f"'text' is {type_name(text)}, not a string")
    sections: dict[str, str] = {}
    headers = list(HEADER.finditer(text))
    for index, header in enumerate(headers):
        field = _FIELD[header.group(1).lower()]
        if field in sections:
            raise RecordError(f"two ### {header.group(1).capitalize()} sections")
        last = field == "output"  # the response runs to the end: its own ### headings are its text
        end = headers[index + 1].start() if index + 1 < len(headers) and not last else len(text)
        sections[field] = text[header.end():end].strip()
        if last:
            break
    if "instruction" not in sections:
        raise RecordError("the text has no ### Instruction section" if "output" not in sections else
                          "### Response comes before any ### Instruction")
    if "output" not in sections:
        raise RecordError("the text has ### Instruction but no ### Response")
    return Pair(instruction=sections["instruction"], input=sections.get("input", ""),
                output=strip_end_tokens(sections["output"]), shape=NAME)
