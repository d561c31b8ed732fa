"""Reading answers for the reference evidence of train/scorers.py: numbers, named things (tissues,
contrasts, pathways, genes), labels, negation. (Declines, salad and the verdict are curate.judge's.)

Everything here is plain regular expressions over the text, built from the fact sheet so that a
new study with other tissues or pathways is read the same way. Spans are character offsets, so a
scorer can ask what a number is attached to and whether a label sits under a negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.schemas import FactSheet

# A number standing on its own: not part of a name (Per2, 2x2x2, log2) and not a version (1.2.3).
# Thousands separators (4,110) and a leading minus (-2.302, or the typographic minus) are part of it.
NUMBER = re.compile(r"(?<![\w.,])(?P<sign>[-\u2212]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w]|\.\d)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Where one claim ends and the next starts inside a sentence ("soleus (6,425) > liver (4,110)").
SEGMENT_BREAK = re.compile(r";|,\s|\s>\s|\s<\s|\bthan\b|\bvs\.?\s|\bwhile\b|\bwhereas\b|\bbut\b|:\s")
NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|cannot|none)\b|n't\b|\brather than\b|\binstead of\b|\bfails? to\b",
    re.IGNORECASE,
)
NEGATION_WINDOW_WORDS = 6

TISSUE_ADJECTIVES = {"cardiac": "heart", "hepatic": "liver", "hippocampal": "hippocampus"}
PATHWAY_ALIASES = {
    "OXIDATIVE_PHOSPHORYLATION": ["OXPHOS"],
    "MTORC1_SIGNALING": ["mTORC1"],
    "INTERFERON_ALPHA_RESPONSE": ["IFN-alpha", "IFN-\u03b1", "interferon alpha"],
    "INTERFERON_GAMMA_RESPONSE": ["IFN-gamma", "IFN-\u03b3", "interferon gamma"],
    "FATTY_ACID_METABOLISM": ["fatty acid metabolism"],
}
# Contrast and condition names as facts spell them, with the ways text says them. Order matters:
# the combined and interaction forms are matched (and masked) before the single stressors.
CONTRAST_PATTERNS: list[tuple[str, str]] = [
    ("HU_x_IR", r"\bHU\s*(?:_x_|x|\u00d7|\*|by)\s*IR\b"),
    ("KMP_x_HU", r"\bKMP\s*(?:_x_|x|\u00d7|\*|by)\s*HU\b"),
    ("KMP_x_IR", r"\bKMP\s*(?:_x_|x|\u00d7|\*|by)\s*IR\b"),
    ("HU_IR", r"\bHU\s*(?:_|\+|/|and|plus)\s*IR\b|\bcombined(?: stress| HU\+IR)?\b|\bboth stressors\b"),
    ("HU", r"\bHU\b|\bhindlimb unloading\b|\bunloading\b"),
    ("IR", r"\bIR\b|\bionizing radiation\b|\bradiation\b|\birradiation\b"),
    ("baseline", r"\bbaseline\b|\bunstressed\b|\bno stress(?:or)?\b"),
]
LABEL_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "class": [
        ("A", r"\b(?:type|class)\s*A\b|\bstress[- ]activated\b"),
        ("B", r"\b(?:type|class)\s*B\b|\bbaseline[- ]active\b"),
        ("C", r"\b(?:type|class)\s*C\b|\bstress[- ]blocked\b"),
    ],
    "pattern": [
        ("NS", r"(?-i:\bNS\b)|\bnot significant(?:ly)?\b|\bnon-?significant\b|\bn\.s\."),
        ("KMP_ONLY", r"\bKMP[_ -]only\b"),
        ("RESCUE", r"\brescu(?:e|es|ed|ing)\b"),
        ("SUPPRESSION", r"\bsuppression\b|\bKMP (?:further )?suppress(?:es|ed)\b"),
    ],
    "direction": [
        ("up", r"\bup(?:-?regulated|-?regulation)?\b"),
        ("down", r"\bdown(?:-?regulated|-?regulation)?\b"),
    ],
    "interaction": [
        ("additive", r"\badditive(?:ly)?\b"),
        ("synergistic", r"\bsynerg(?:istic|istically|y)\b"),
        ("antagonistic", r"\bantagonis(?:tic|tically|m)\b"),
    ],
}


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A named thing in the text: `kind` is tissue, contrast, pathway, gene, or a label category."""

    kind: str
    value: str
    start: int
    end: int


def numbers(text: str) -> list[Number]:
    out = []
    for match in NUMBER.finditer(text):
        frac = match.group("frac") or ""
        raw = match.group("int").replace(",", "") + frac
        value = float(raw) * (-1 if match.group("sign") else 1)
        out.append(Number(value, len(frac) - 1 if frac else 0, match.group(0), match.start(), match.end()))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def segment_spans(text: str, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    start, end = sentence
    spans, cursor = [], start
    for match in SEGMENT_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def enclosing(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for span in spans:
        if span[0] <= position < span[1] or (position == span[1] and span[0] < span[1]):
            return span
    return spans[-1] if spans else (0, 0)


@lru_cache(maxsize=32)
def _entity_patterns(tissues: tuple[str, ...], pathways: tuple[str, ...], genes: tuple[str, ...]) -> list[
    tuple[str, str, re.Pattern[str]]
]:
    patterns: list[tuple[str, str, re.Pattern[str]]] = []
    for pathway in pathways:
        forms = [pathway, pathway.replace("_", " "), *PATHWAY_ALIASES.get(pathway, [])]
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        patterns.append(("pathway", pathway, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    for value, pattern in CONTRAST_PATTERNS:
        patterns.append(("contrast", value, re.compile(pattern, re.IGNORECASE)))
    for tissue in tissues:
        forms = [tissue] + [adj for adj, noun in TISSUE_ADJECTIVES.items() if noun == tissue]
        alternatives = "|".join(re.escape(form) for form in forms)
        patterns.append(("tissue", tissue, re.compile(rf"\b(?:{alternatives})s?\b", re.IGNORECASE)))
    for gene in genes:
        patterns.append(("gene", gene, re.compile(rf"(?<![\w-]){re.escape(gene)}(?![\w-])")))
    return patterns


def vocabulary(sheet: FactSheet) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Tissues, pathways and genes the sheet names."""
    pathways = sorted({f.pathway for f in sheet.facts if f.kind == "pathway_shift"})
    genes = sorted({f.gene for f in sheet.facts if f.kind == "hub_gene"})
    return tuple(sheet.tissues), tuple(pathways), tuple(genes)


def entities(text: str, sheet: FactSheet) -> list[Mention]:
    """Tissues, contrasts, pathways and genes, each span claimed by the first (most specific) match."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for kind, value, pattern in _entity_patterns(*vocabulary(sheet)):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            out.append(Mention(kind, value, match.start(), match.end()))
    return sorted(out, key=lambda m: m.start)


@lru_cache(maxsize=1)
def _label_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    return [
        (category, value, re.compile(pattern, re.IGNORECASE))
        for category, options in LABEL_PATTERNS.items()
        for value, pattern in options
    ]


def labels(text: str) -> list[Mention]:
    """Categorical labels: response class, pathway pattern, direction, interaction type."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for category, value, pattern in _label_patterns():
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            if not _is_definition(text, match.start()):
                out.append(Mention(category, value, match.start(), match.end()))
    return sorted(out, key=lambda m: m.start)


def _is_definition(text: str, start: int) -> bool:
    """A label that a rule defines ("ratio above 1.25 = synergistic") is not a claim."""
    return text[:start].rstrip().endswith("=")


def is_negated(text: str, start: int, *, masked: list[tuple[int, int]] | None = None) -> bool:
    """True when a negation cue stands before `start` in the same clause, within a few words.

    `masked` are the spans of labels: a negation word inside one ("not significant") is no cue,
    and a cue negates only the first label after it ("not stress-activated (Type B)").
    """
    sentence = enclosing(sentence_spans(text), start)
    clause = enclosing(segment_spans(text, sentence), start)
    window_start = clause[0]
    words = list(re.finditer(r"\S+", text[window_start:start]))
    if len(words) > NEGATION_WINDOW_WORDS:
        window_start += words[-NEGATION_WINDOW_WORDS].start()
    spans = masked or []
    for cue in NEGATION.finditer(text, window_start, start):
        inside_a_label = any(a <= cue.start() < b for a, b in spans)
        another_label_between = any(cue.end() <= a and b <= start for a, b in spans)
        if not inside_a_label and not another_label_between:
            return True
    return False
