"""What the rewards grade finer than the judge's verdict: stated confidence, directions, loops, repeated claims.

Plain regular expressions over the text, like train/text.py, each written against a way a substring
check is fooled (declines, guesses and salad are the judge's: curate.judge.declines):

- a *stated confidence* is read as a probability ("Confidence: high" 0.9, "80% sure" 0.8, "but I
  cannot be certain" 0.35), and a hedge on a right answer is not a decline;
- a *direction* is bound to its side (combined stress or KMP) in its own clause, so "goes down
  under combined stress (up with KMP)" is read as the two claims it makes;
- *degenerate* text repeats itself ("liver liver 4,110 4,110"), which RL on a small model produces
  and a claim check can pass;
- *claim keys* say what each number or label is about (tissue, contrast, pathway, KMP or not,
  up or down), carried over from earlier sentences, so the same fact stated two ways is found.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curate.train import text as tx

if TYPE_CHECKING:
    from curate.schemas import FactSheet

# -- numbers and labels that claim something -------------------------------------------------------
DESIGN_WORDS = re.compile(
    r"\s*(?:groups?|tissues?|factors?|doses?|time ?points?|weeks?|days?|hours?|mice|replicates?|samples?|arms?|"
    r"conditions?|treatments?|levels?)\b", re.IGNORECASE)
CLAIM_LABELS = ("class", "pattern", "interaction")


def data_numbers(text: str, question: str = "", padj: float = 0.05) -> list[tx.Number]:
    """Numbers that claim something about the data: not the question's, the padj cut-off, or design constants."""
    asked = {n.value for n in tx.numbers(question)}
    out = []
    for number in tx.numbers(text):
        if number.value in asked or abs(number.value - padj) < 1e-12 or DESIGN_WORDS.match(text, number.end):
            continue
        if number.value in (1.25, 0.8) and re.search(r"(?:≥|>=|≤|<=|above|below|at least|at most)\s*$",
                                                     text[max(0, number.start - 12):number.start]):
            continue  # the interaction rule's thresholds, stated as a rule
        out.append(number)
    return out


def asserted_labels(text: str) -> list[tx.Mention]:
    """Class, pattern and interaction labels the text asserts (not negated, not defined by a rule)."""
    found = tx.labels(text)
    spans = [(m.start, m.end) for m in found]
    return [m for m in found if m.kind in CLAIM_LABELS and not tx.is_negated(text, m.start, masked=spans)
            and (m.value != "NS" or text[m.start:m.end] == "NS")]  # "not significant" is a significance claim


# -- stated confidence -------------------------------------------------------------------------
LEVELS = {"very high": 0.95, "high": 0.9, "moderate": 0.6, "medium": 0.6, "low": 0.3, "very low": 0.1}
_LEVEL = r"(very high|very low|high|moderate|medium|low)"
CONFIDENCE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bconfidence(?: level)?\s*(?:[:=]|is|of)\s*" + _LEVEL, re.I), "level"),
    (re.compile(r"\b" + _LEVEL + r"(?:-| )confidence\b", re.I), "level"),
    (re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*%\s*(?:confident|confidence|sure|certain)\b", re.I), "percent"),
    (re.compile(r"\bconfidence(?: level)?\s*(?:[:=]|is|of)\s*(\d{1,3}(?:\.\d+)?)\s*%", re.I), "percent"),
    (re.compile(r"\b(?:not|n't|never) (?:entirely |fully |completely )?(?:sure|certain|confident)\b|\bcannot be "
                r"(?:sure|certain)\b|\bcan't be (?:sure|certain)\b|\buncertain\b|\bunsure\b|\b(?:may|might|could) be "
                r"wrong\b", re.I), "unsure"),
    (re.compile(r"\bI(?: am|'m) (?:very |quite |fairly )?(?:confident|certain|sure)\b|\bwith (?:high )?certainty\b",
                re.I), "sure"),
)
UNSURE, SURE = 0.35, 0.9


def stated_confidence(text: str) -> float | None:
    """The confidence the answer states, as a probability; None when it states none."""
    for pattern, how in CONFIDENCE_PATTERNS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        value = matches[-1].group(1) if how in ("level", "percent") else ""
        if how == "level":
            return LEVELS[value.lower()]
        if how == "percent":
            return min(1.0, float(value) / 100)
        return UNSURE if how == "unsure" else SURE
    return None


# -- repetition --------------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z0-9][\w,.+-]*")
GARBLED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")  # control characters, the replacement character


def degenerate(text: str) -> bool:
    """Empty, garbled (control or replacement characters: bytes a small model strung together), a word right
    after itself ("liver liver"), a number three times running, or a five-word run said three times."""
    words = [w.lower().rstrip(".,;:") for w in _WORD.findall(text)]
    if not words or GARBLED.search(text):
        return True  # empty, or bytes that decode to no text
    if any(a == b and a.isalpha() and len(a) > 1 for a, b in itertools.pairwise(words)):
        return True
    if any(a == b == c for a, b, c in zip(words, words[1:], words[2:], strict=False)):
        return True
    runs: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - 4):
        run = tuple(words[i:i + 5])
        runs[run] = runs.get(run, 0) + 1
        if runs[run] >= 3:
            return True
    return False


# -- clauses, sides and directions --------------------------------------------------------------
CLAUSE_BREAK = re.compile(r"[;:()\[\]]|,\s|\.\s|\n|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bthan\b|\bthen\b|\s>\s")
STRESS_CUE = re.compile(r"\bcombined (?:stress(?:ors?)?|HU\s*\+\s*IR|exposure)\b|\bHU\s*(?:\+|_|/|and|plus)\s*IR\b"
                        r"|\bboth stressors\b|\bunder (?:the )?stress\b|\bstress(?:ed)?\b", re.I)
KMP_CUE = re.compile(r"\bKMP\b|\bkaempferol\b", re.I)
UP = re.compile(r"\b(?:up(?:-?regulat\w*)?|upregulat\w*|rais(?:e|es|ed|ing)|ris(?:e|es|ing)|rose|increas\w*|higher|"
                r"elevat\w*|activat\w*|enhanc\w*|boost\w*|positive(?:ly)?)\b", re.I)
DOWN = re.compile(r"\b(?:down(?:-?regulat\w*)?|downregulat\w*|lower(?:s|ed|ing)?|fall(?:s|ing)?|fell|decreas\w*|"
                  r"reduc\w*|suppress(?:es|ed|ing)?|repress\w*|inhibit\w*|dampen\w*|declin\w*|drops?|dropped|"
                  r"negative(?:ly)?)\b", re.I)
NEGATION_BEFORE = re.compile(r"\b(?:not|no|never|n't|neither|nor|without|fails? to)\b(?:\s+\S+){0,3}\s*$", re.I)


def clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in CLAUSE_BREAK.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass(frozen=True)
class DirectionClaim:
    """'KMP lowers it' in one clause: side ('stress' or 'kmp'), 'up' or 'down', where it was said."""

    side: str
    direction: str
    start: int
    text: str


def direction_claims(text: str) -> list[DirectionClaim]:
    """Each clause that names exactly one side (or whose nearest cue is one side) and one direction."""
    out = []
    for lo, hi in clauses(text):
        clause = text[lo:hi]
        words = [(m.start(), "up") for m in UP.finditer(clause)] + [(m.start(), "down") for m in DOWN.finditer(clause)]
        cues = [(m.start(), "stress") for m in STRESS_CUE.finditer(clause)] + \
               [(m.start(), "kmp") for m in KMP_CUE.finditer(clause)]
        if not words or not cues:
            continue
        directions = {d for _, d in words}
        if len(directions) > 1:
            continue  # "up then down" in one clause: no single claim
        position, direction = words[0]
        side = min(cues, key=lambda cue: abs(cue[0] - position))[1]
        if NEGATION_BEFORE.search(clause[:position]):
            direction = "down" if direction == "up" else "up"
        out.append(DirectionClaim(side, direction, lo + position, clause.strip()))
    return out


# -- what each claim is about ------------------------------------------------------------------
@dataclass(frozen=True)
class ClaimKey:
    tissue: str = ""
    contrast: str = ""
    pathway: str = ""
    gene: str = ""
    kmp: bool = False
    direction: str = ""
    category: str = "number"


def claim_keys(text: str, sheet: FactSheet, question: str = "") -> list[tuple[ClaimKey, str]]:
    """(what it is about, the value stated) for each number and label whose subject is unambiguous.

    Tissue, contrast, pathway and gene come from the number's segment (train/text.py's clauses),
    else its sentence when that names only one, else the last sentence that named only one (an
    answer names its subject once). KMP and up/down come from the segment only. A segment that
    names two contrasts, written-out arithmetic, shares and ratios are left out: a sum or a share
    is a new quantity, not a restatement. Subjects without a tissue, or without a contrast or
    pathway, are left out too.
    """
    mentions = [m for m in tx.entities(text, sheet) if m.kind in BOUND]
    numbers = [n for n in data_numbers(text, question, sheet.padj_threshold) if not _list_marker(text, n)]
    labels = asserted_labels(text)
    context: dict[str, str] = {}
    out: list[tuple[ClaimKey, str]] = []
    segments: dict[tuple[int, ClaimKey], list[int]] = {}  # numbers about one subject in one segment compare,
    # ("shrinks from 309 to 3 genes"), they do not restate: such a segment is left out
    for sentence in tx.sentence_spans(text):
        in_sentence = _named(mentions, *sentence)
        items: list[tuple[int, str, str]] = [(n.start, "number", n.text) for n in numbers
                                             if sentence[0] <= n.start < sentence[1]]
        items += [(m.start, m.kind, m.value) for m in labels if sentence[0] <= m.start < sentence[1]]
        for start, category, value in sorted(items):
            lo, hi = tx.enclosing(tx.segment_spans(text, sentence), start)
            segment = text[lo:hi]
            named = _named(mentions, lo, hi)
            if category == "number" and (ARITHMETIC.search(segment) or len(named.get("contrast", ())) > 1):
                continue
            key = {kind: _one(named.get(kind)) or (_one(in_sentence.get(kind)) if kind in in_sentence
                                                   else context.get(kind, "")) for kind in BOUND}
            if not key["tissue"] or not (key["contrast"] or key["pathway"]):
                continue
            if category != "number":
                out.append((ClaimKey(key["tissue"], "", key["pathway"], "", category=category), value))
                continue
            direction = _number_direction(text, start, start + len(value), numbers)
            kind = "decimal" if "." in value else "count"
            claim = ClaimKey(**key, kmp=bool(KMP_CUE.search(segment)), direction=direction, category=kind)
            out.append((claim, value))
            segments.setdefault((lo, claim), []).append(len(out) - 1)
        context.update({kind: value for kind, values in in_sentence.items() if (value := _one(values))})
    comparing = {i for indices in segments.values() if len(indices) > 1 for i in indices}
    return [claim for i, claim in enumerate(out) if i not in comparing]


BOUND = ("tissue", "contrast", "pathway", "gene")
ARITHMETIC = re.compile(r"[=+×*/%]|\s[-−]\s|\btimes\b|\bratio\b|\bfold\b|\bshare\b|\bsum\b|\btotal\b"
                        r"|\bfrom\b.*\bto\b", re.I)


_OF_THOSE = re.compile(r"^\s*of (?:those|them|these|which)\b", re.I)


def _number_direction(text: str, start: int, end: int, numbers: list[tx.Number]) -> str:
    """'up' or 'down' said right beside the number ("2,189 up", "up-regulated: 2,189"), else ''."""
    after = text[end:end + 40]
    before = text[max(0, start - 30):start]
    nxt = min((n.start for n in numbers if n.start >= end), default=len(text)) - end
    prv = start - max((n.end for n in numbers if n.end <= start), default=0)
    after = _OF_THOSE.sub("", after[:max(0, nxt)])  # "67 of those go up": the words after "of those"
    window_after = " ".join(after.split()[:3])
    window_before = " ".join(before[-max(0, prv):].split()[-2:]) if prv > 0 else ""
    for window in (window_after, window_before):
        if UP.search(window):
            return "up"
        if DOWN.search(window):
            return "down"
    return ""


def _one(values: set[str] | None) -> str:
    return next(iter(values)) if values and len(values) == 1 else ""


def _list_marker(text: str, number: tx.Number) -> bool:
    line_start = text.rfind("\n", 0, number.start) + 1
    return not text[line_start:number.start].strip() and text[number.end:number.end + 1] in (".", ")")


def _named(mentions: list[tx.Mention], lo: int, hi: int) -> dict[str, set[str]]:
    named: dict[str, set[str]] = {}
    for mention in mentions:
        if lo <= mention.start < hi and mention.kind in BOUND:
            named.setdefault(mention.kind, set()).add(mention.value)
    return named


def conflicts(keys: list[tuple[ClaimKey, str]]) -> list[str]:
    """Each subject stated with two different values: "4,110" then "4,100" genes for liver HU."""
    by_key: dict[ClaimKey, list[str]] = {}
    for key, value in keys:
        by_key.setdefault(key, []).append(value)
    out = []
    for key, values in by_key.items():
        distinct = _distinct(values, numeric=key.category in ("count", "decimal"))
        if len(distinct) > 1:
            about = " ".join(v for v in (key.tissue, key.contrast, key.pathway, key.gene, "KMP" if key.kmp else "",
                                          key.direction) if v) or "the same subject"
            out.append(f"{about}: stated as {' and '.join(distinct)}")
    return out


def repeated_subjects(keys: list[tuple[ClaimKey, str]]) -> int:
    """How many subjects are stated more than once (consistency has something to compare)."""
    counts: dict[ClaimKey, int] = {}
    for key, _ in keys:
        counts[key] = counts.get(key, 0) + 1
    return sum(1 for n in counts.values() if n > 1)


def _distinct(values: list[str], *, numeric: bool) -> list[str]:
    if not numeric:
        return sorted(set(values))
    kept: list[str] = []
    for value in values:
        parsed = tx.numbers(value)
        if not parsed:
            continue
        if not any(_same(parsed[0], tx.numbers(other)[0]) for other in kept):
            kept.append(value)
    return kept


def _same(a: tx.Number, b: tx.Number) -> bool:
    if not (a.decimals or b.decimals):
        return a.value == b.value
    return abs(a.value - b.value) <= 0.5 * 10 ** -max(1, min(a.decimals, b.decimals)) + 1e-9


_TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[.,][0-9]+)*")


def word_f1(answer: str, reference: str) -> float:
    """Bag-of-words F1 of two texts, case-folded: how much of the reference's wording an answer shares."""
    from collections import Counter

    a = Counter(t.lower() for t in _TOKEN.findall(answer))
    r = Counter(t.lower() for t in _TOKEN.findall(reference))
    overlap = sum((a & r).values())
    if not a or not r or overlap == 0:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(r.values())
    return 2 * precision * recall / (precision + recall)
