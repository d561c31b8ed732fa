"""Markdown as plain sentences: tables, lists, headings and emphasis rendered into text the reader can bind.

The claim check reads sentences and clauses; markdown hides both. A table row `| Liver | 1,273 | 413 |`
under the header `| Tissue | DEGs | Up |` says "Liver: DEGs 1,273; Up 413", and a list item
`2. **Liver** — 1,273` under "DEGs under IR, ranked:" says what it says in the context of its intro.
`render` writes that plain text, keeps for every character where it came from (`origin`), so that a
finding points into the original answer, and records the structure: each list item or table row with
its intro (`Block`). Header words copied into a row are *synthetic*: they bind, they are never a span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKUP = re.compile(r"(?m)[*`|#]|(?<!\w)_|_(?!\w)|^\s*(?:[-+•]|\d{1,2}[.)])\s")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:([-*+•])|(\d{1,2})[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# Emphasis markers: ** and __ always; a single * or _ when it opens or closes a word (not "3 * 4", not KMP_ONLY).
_EMPHASIS = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])|"
                       r"(?<![\w_])_(?=[^\s_])|(?<=[^\s_])_(?!\w)")
_DIGIT = re.compile(r"\d")


@dataclass
class Item:
    """One list item or table row: its rendered span, where its label ends, and the rank it was given."""

    start: int
    end: int
    label_end: int
    rank: int | None = None


@dataclass
class Block:
    """A list or a table: its items in order, and the line that introduces it (a heading or a lead-in)."""

    kind: str  # list | table
    items: list[Item] = field(default_factory=list)
    intro: tuple[int, int] | None = None
    ordered: bool = False
    ranked_column: bool = False  # a table with a Rank column


@dataclass
class Rendered:
    text: str
    origin: list[int]  # origin[i]: where text[i] comes from in the original; one more entry for the end
    synthetic: list[bool]
    blocks: list[Block] = field(default_factory=list)
    # line start -> the lines that give it context, nearest first
    parents: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end], leaving out copied header words."""
        real = [i for i in range(start, end) if not self.synthetic[i]]
        if not real:
            anchor = self.origin[start] if start < len(self.origin) else self.origin[-1]
            return anchor, anchor
        return self.origin[real[0]], self.origin[real[-1]] + 1


def plain(text: str) -> bool:
    """True when `text` has no markdown the reader needs rendered (the common, fast case)."""
    if "\n" not in text and not any(mark in text for mark in "*`|#_"):
        return True
    return not _MARKUP.search(text)


def render(text: str) -> Rendered:
    """The plain reading of a markdown `text` (see the module docstring)."""
    out = _Writer(text)
    lines = _lines(text)
    headings: list[tuple[int, tuple[int, int]]] = []  # (level, rendered span) of the headings in force
    previous: tuple[int, int] | None = None  # the last rendered text line, a candidate intro
    gap = 0
    index = 0
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        if not line.strip():
            gap += 1
            index += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            span = out.copy(start + heading.start(2), start + heading.end(2))
            out.newline()
            headings = [h for h in headings if h[0] < level] + [(level, span)]
            previous, gap = span, 0
            index += 1
            continue
        if _TABLE_ROW.match(line) and index + 1 < len(lines) and _TABLE_RULE.match(text[slice(*lines[index + 1])]):
            index = _table(out, text, lines, index, _intro(previous, gap, headings), headings)
            previous, gap = None, 0
            continue
        if _ITEM.match(line):
            index = _list(out, text, lines, index, _intro(previous, gap, headings), headings)
            previous, gap = None, 0
            continue
        span = out.copy(start, end)
        out.newline()
        previous, gap = span, 0
        index += 1
    return out.done()


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _intro(previous: tuple[int, int] | None, gap: int, headings: list[tuple[int, tuple[int, int]]]) -> list[
        tuple[int, int]]:
    """The context of a block: the line just before it (if no more than one blank line away), then headings."""
    context = [previous] if previous is not None and gap <= 1 else []
    return context + [span for _, span in reversed(headings)]


def _list(out: _Writer, text: str, lines: list[tuple[int, int]], index: int, context: list[tuple[int, int]],
          headings: list[tuple[int, tuple[int, int]]]) -> int:
    block = Block("list", intro=context[0] if context else None)
    out.rendered.blocks.append(block)
    stack: list[tuple[int, tuple[int, int]]] = []  # (indent, rendered span) of the open items
    top_indent: int | None = None
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        item = _ITEM.match(line)
        if not item:
            if line.strip() and line.startswith((" ", "\t")) and stack:  # a continuation line of an item
                span = out.copy(start, end)
                out.parent(span[0], [stack[-1][1], *context])
                out.newline()
                index += 1
                continue
            break
        indent = len(item.group(1).replace("\t", "    "))
        top_indent = indent if top_indent is None else top_indent
        while stack and stack[-1][0] >= indent:
            stack.pop()
        body = start + item.end()
        span = out.copy(body, end)
        out.parent(span[0], [stack[-1][1], *context] if stack else context)
        out.newline()
        if indent == top_indent:
            block.ordered = block.ordered or item.group(3) is not None
            rank = int(item.group(3)) if item.group(3) else None
            block.items.append(Item(span[0], span[1], -1, rank))
        stack.append((indent, span))
        index += 1
        # a blank line between items keeps the list going
        while index < len(lines) and not text[slice(*lines[index])].strip() and index + 1 < len(lines) and \
                _ITEM.match(text[slice(*lines[index + 1])]):
            index += 1
    return index


_LABEL_END = re.compile(r"\s*(?::|—|–|\s-\s|\()")


def _label_end(text: str, span: tuple[int, int]) -> int:
    found = _LABEL_END.search(text, span[0], span[1])
    return found.start() if found else span[1]


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans of a table row (inner whitespace trimmed)."""
    line = text[start:end]
    bars = [m.start() for m in _CELL_SPLIT.finditer(line)]
    if line.strip().startswith("|"):
        bars = bars[1:] if bars and not line[:bars[0]].strip() else bars
        first = line.index("|") + 1
    else:
        first = 0
    cells, left = [], first
    for bar in bars:
        if bar < left:
            continue
        cells.append(_trim(text, start + left, start + bar))
        left = bar + 1
    if line[left:].strip():
        cells.append(_trim(text, start + left, end))
    return cells


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _table(out: _Writer, text: str, lines: list[tuple[int, int]], index: int, context: list[tuple[int, int]],
           headings: list[tuple[int, tuple[int, int]]]) -> int:
    header = _cells(text, *lines[index])
    rows: list[list[tuple[int, int]]] = []
    index += 2
    while index < len(lines) and _TABLE_ROW.match(text[slice(*lines[index])]):
        rows.append(_cells(text, *lines[index]))
        index += 1
    names = [_EMPHASIS.sub("", text[a:b]).replace("\\|", "|").strip() for a, b in header]
    rank_column = next((i for i, name in enumerate(names) if name.lower() in ("rank", "#", "no.", "position")), None)
    labels = _label_columns(text, rows, len(header), rank_column)
    block = Block("table", intro=context[0] if context else None, ordered=rank_column is not None,
                  ranked_column=rank_column is not None)
    out.rendered.blocks.append(block)
    for row in rows:
        line_start = len(out.buffer)
        label_cells = [row[i] for i in labels if i < len(row) and row[i][1] > row[i][0]]
        for k, cell in enumerate(label_cells):
            if k:
                out.synthetic(", ", cell[0])
            out.copy(*cell)
        label_end = len(out.buffer)
        first = True
        for i, cell in enumerate(row):
            if i in labels or i == rank_column or cell[1] <= cell[0]:
                continue
            out.synthetic(": " if first and label_cells else "; " if not first else "", cell[0])
            first = False
            name = names[i] if i < len(names) else ""
            if name:
                out.synthetic(f"{name} ", header[i][0] if i < len(header) else cell[0])
            out.copy(*cell)
        rank = None
        if rank_column is not None and rank_column < len(row):
            found = re.search(r"\d+", text[slice(*row[rank_column])])
            rank = int(found.group()) if found else None
        out.parent(line_start, context)
        block.items.append(Item(line_start, len(out.buffer), label_end, rank))
        out.newline()
    return index


def _label_columns(text: str, rows: list[list[tuple[int, int]]], width: int, rank_column: int | None) -> set[int]:
    """Columns that name what a row is about: the first columns, as long as their cells hold no digits."""
    labels: set[int] = set()
    for column in range(width):
        if column == rank_column:
            continue
        cells = [row[column] for row in rows if column < len(row)]
        if cells and all(not _DIGIT.search(text[a:b]) for a, b in cells) and (not labels or column - 1 in labels or
                                                                               column - 1 == rank_column):
            labels.add(column)
            continue
        if column == 0 or (column == 1 and rank_column == 0):
            labels.add(column)  # a first column with digits (e.g. "% up") still labels its row
            continue
        break
    return labels


class _Writer:
    def __init__(self, original: str) -> None:
        self.original = original
        self.buffer: list[str] = []
        self.origin: list[int] = []
        self.synth: list[bool] = []
        self.rendered = Rendered("", [], [])

    def copy(self, start: int, end: int) -> tuple[int, int]:
        """Append original[start:end] without emphasis markers; returns its rendered span."""
        begin = len(self.buffer)
        position = start
        for match in _EMPHASIS.finditer(self.original, start, end):
            self._raw(position, match.start())
            position = match.end()
        self._raw(position, end)
        return begin, len(self.buffer)

    def _raw(self, start: int, end: int) -> None:
        if "\\" not in self.original[start:end]:
            self.buffer.extend(self.original[start:end])
            self.origin.extend(range(start, end))
            self.synth.extend([False] * (end - start))
            return
        i = start
        while i < end:
            char = self.original[i]
            if char == "\\" and i + 1 < end and self.original[i + 1] in "|*_#":
                i += 1
                char = self.original[i]
            self.buffer.append(char)
            self.origin.append(i)
            self.synth.append(False)
            i += 1

    def synthetic(self, text: str, anchor: int) -> None:
        for char in text:
            self.buffer.append(char)
            self.origin.append(anchor)
            self.synth.append(True)

    def newline(self) -> None:
        anchor = self.origin[-1] + 1 if self.origin else 0
        self.synthetic("\n", anchor)

    def parent(self, line_start: int, context: list[tuple[int, int]]) -> None:
        if context:
            self.rendered.parents[line_start] = list(context)

    def done(self) -> Rendered:
        rendered = self.rendered
        rendered.text = "".join(self.buffer)
        end = self.origin[-1] + 1 if self.origin else 0
        rendered.origin = [*self.origin, end]
        rendered.synthetic = [*self.synth, True]
        for block in rendered.blocks:
            for item in block.items:
                if item.label_end < 0:
                    item.label_end = _label_end(rendered.text, (item.start, item.end))
        return rendered
