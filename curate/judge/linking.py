"""Binding a claim to facts: which facts a text is about (its scope), and the words around a span.

The facts in play are the example's fact ids; without them (external data) the facts of every
tissue the text or question names. The words around a claim (its clause first, then its sentence,
earlier sentences, the question) say which facts it can be about: tissue, contrast, KMP or stressor,
term, pathway, gene, up or down. `Context` holds what was found for each dimension and how close it
was; `Reader.compatible` says whether a slot fits it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curate.judge import messages
from curate.judge.derived import derived_slots, structural_derived
from curate.judge.document import Doc
from curate.judge.lexicon import Cue, Lexicon, Slot
from curate.judge.numbers import read_numbers

if TYPE_CHECKING:
    from curate.judge.markdown import Rendered
    from curate.schemas import Finding

_Q_NUMBER = _DIGIT = re.compile(r"\d")
_OPEN_QUESTION = re.compile(r"\b(?:can(?:'|’)?t|cannot|not|never)\s+(?:\w+\s+)?(?:say|tell|know|show|establish|"
                            r"determine|predict|answer)\s+(?:how|if|which|why|when)\b[^.;:!?]*$", re.I)
_WHETHER = re.compile(r"\bwhether\b[^.;:!?]*$", re.I)
_NEGATION_WORDS = ("not", "n't", "never", "neither", "nor", "none", "rather", "instead", "unlike", "no ")
_NO = re.compile(r"\bno\s+(?:\w+\s+)?$", re.I)  # "no rescue", "no clear rescue"
# "... after the soleus", "double the heart's", "than the liver": a tissue named to compare, not the subject.
_COMPARED = re.compile(r"\b(?:than|after|before|behind|ahead of|like|unlike|vs\.?|versus|compared (?:to|with)|"
                       r"relative to|"
                       r"double|twice|half|triple|the same as|as in|over)\s+(?:that of\s+)?(?:the\s+)?$", re.I)
_OUT_OF = re.compile(r"\b(?:out of|of a total of|of all|in total of)\s+(?:the\s+)?$", re.I)
_PART_OF = re.compile(r"\s+(?:of|out of)\s+(?:its\s+|the\s+|all\s+)?\d", re.I)
_GOVERNS = re.compile(r"\s*%?\s*(?:(?:DEGs?|genes?|transcripts?|hits|changes|differentially expressed genes)\s+)?"
                      r"(?:under|with|after|in|at|for|from|by|during)\s+(?:the\s+)?(?:combined\s+)?", re.I)
_THEN_UP_DOWN = re.compile(r"\s*(?:%\s*)?(?:(?:genes|DEGs|transcripts|of them|of these|are|is|were|was|go|went|get)"
                           r"\s+)*",
                           re.I)
_OWN_BRACKET = re.compile(r"\s*(?:DEGs?\s*|genes\s*)?\(\s*(?:in\s+)?(?:the\s+)?")
_UNDER = re.compile(r"\b(?:under|during|in|with|after)\s+(?:the\s+)?$", re.I)  # a condition of a KMP contrast
# "63% of the 910 DEGs", "most of the 1,273", "two thirds of its 860": the number after "of" is the whole.
_PARTITIVE = re.compile(r"(?:\d\s*%?|\bmost|\bhalf|\bthirds?|\bquarters?|\bmajority|\bshare|\bfraction|\bproportion)"
                        r"\s+of\s+(?:the\s+|all\s+|its\s+|these\s+|those\s+|their\s+)?$", re.I)
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\bneither|\bnor|\bnone|\brather than|\binstead of|\bunlike|\bno longer|"
                      r"\bisn't|"
                      r"\baren't)\b(?:(?!\s[—–-]\s)[^.;:,!?—–]){0,30}$", re.I)


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim the reader bound to facts: where it is, what kind, which facts, and whether they agree."""

    start: int
    end: int
    text: str
    kind: str  # number | category | direction | ordering
    fact_ids: tuple[str, ...]
    ok: bool
    said: str = ""  # what the text states: "1,273", "A", "not RESCUE", "synergistic", "mostly down"


# Resolution levels: how close the words that bind a claim are. 0-1 are strong.
# PARENT: the line that introduces a list item or table row (its lead-in, a heading, a column header).
CLAUSE, SENT_LEFT, SENT_RIGHT, PARENT, EARLIER, QUESTION, NONE, DEFAULT = range(8)


@dataclass
class Context:
    values: dict[str, tuple[frozenset[str], int]]

    def strong(self) -> bool:
        return any(level <= SENT_LEFT or level == PARENT or (dim == "tissue" and level == SENT_RIGHT)
                   for dim, (_, level) in self.values.items())

    def named(self) -> bool:
        """Whether near words (not a default) bind anything."""
        return any(level <= PARENT for level in (level for _, level in self.values.values()))

    def only_strong(self) -> Context:
        """The same context without the words from earlier sentences or the question."""
        return Context({dim: (values, level) for dim, (values, level) in self.values.items()
                        if level <= PARENT or level == DEFAULT})


class Reader:
    """Reads one text against a fact sheet: its scope, the words around any span, and what it found.

    Build one per text; it is cheap. The checks (`curate.judge.quantities`, `categories`, `directions`,
    `orderings`) call `resolve`/`context` to bind a claim, then `confirm` or `refute` it."""

    def __init__(self, lex: Lexicon, text: str, question: str, fact_ids: Sequence[str] | None, *,
                 rendered: Rendered | None = None, keep_claims: bool = True) -> None:
        self.lex = lex
        self.keep_claims = keep_claims  # False: findings and stated facts only (the gates' bulk check)
        self.text = text
        self.rendered = rendered
        self.blocks = rendered.blocks if rendered is not None else []
        self.doc = Doc.read(text, lex, rendered.parents if rendered is not None else None)
        self.question = question
        self.used_question = False  # whether the verdict depended on the question at all
        self._q_by_dim: dict[str, frozenset[str]] | None = None
        self._q_numbers: set[float] | None = None
        self.findings: list[Finding] = []
        self.claims: list[Claim] = []
        self.stated: set[str] = set()
        self.dims_cache: dict[tuple[str, int], tuple[str, ...]] = {}
        self.outside_bases: list[float] = []  # numbers from outside the study ("~20,000 genes measured")
        self.counts_written: set[float] = set()
        self.written: list[Any] = []  # the numbers that may state something (curate.judge.numbers.Num)
        self.confirmed_values: set[str] = set()  # figures already found right, as written
        self.bound_figures: dict[str, tuple[str, ...]] = {}  # a figure as written -> the facts its own words bound
        self.rule_bars: set[float] = set()  # values worked out from a rule's threshold ("1.25 × 198 = 247.5")
        known = [f for f in (fact_ids or ()) if f in lex.facts]
        for unknown in [f for f in (fact_ids or ()) if f not in lex.facts]:
            self.findings.append(messages.unknown_fact(unknown, lex.sheet.name))
        self.has_ids = bool(known)
        self.scope_ids = tuple(known) if known else self._resolve_scope()
        self.primary = lex.slots(self.scope_ids)
        self.derived = derived_slots(lex, self.scope_ids) if self.has_ids else structural_derived(lex, self.scope_ids)

    @property
    def q_by_dim(self) -> dict[str, frozenset[str]]:
        self.used_question = True
        if self._q_by_dim is None:
            self._q_by_dim = {}
            for cue in self.lex.scan(self.question) if self.question else ():
                if not cue.negated:
                    self._q_by_dim[cue.dim] = self._q_by_dim.get(cue.dim, frozenset()) | {cue.value}
        return self._q_by_dim

    @property
    def question_numbers(self) -> set[float]:
        self.used_question = True
        if self._q_numbers is None:
            self._q_numbers = ({round(n.value, 6) for n in read_numbers(self.question, 1.0)}
                               if self.question and _Q_NUMBER.search(self.question) else set())
        return self._q_numbers

    def _resolve_scope(self) -> tuple[str, ...]:
        named = {c.value for c in self.doc.cues if c.dim == "tissue"} | self.q_by_dim.get("tissue", frozenset())
        tissues = named & self.lex.tissues
        if not tissues:
            return self.lex.all_fact_ids
        return tuple(f for t in sorted(tissues) for f in self.lex.facts_by_tissue[t])

    # -- context ------------------------------------------------------------------------------
    def resolve(self, dim: str, start: int, end: int, clause: tuple[int, int], *,
                operand: bool = False) -> tuple[frozenset[str], int]:
        doc = self.doc
        lo, hi = clause
        near = [c for c in doc.in_range(dim, lo, hi) if c.end <= start or c.start >= end]
        if operand:
            left = {c.value for c in near if c.end <= start}
            return (frozenset(left), CLAUSE) if left else (frozenset(), NONE)
        if dim == "cattr":
            return self._up_or_down(near, start, end)
        if near:
            after = [c for c in near if c.start >= end and _GOVERNS.fullmatch(self.text, end, c.start)]
            if after:  # "243 DEGs under IR": the phrase that follows a number qualifies it
                return frozenset({after[0].value}), CLAUSE
            best = min(near, key=lambda c: start - c.end if c.end <= start else c.start - end)
            return frozenset({best.value}), CLAUSE
        sent_lo, sent_hi = doc.sentences[doc.sentence_of(start)]
        if dim == "tissue" and "(" in self.text[end:end + 12]:
            bracket = _OWN_BRACKET.match(self.text, end)  # "6,425 (soleus)": a bracket on the figure is its own words
            if bracket:
                inside = doc.in_range(dim, bracket.end(), bracket.end() + 24)
                if inside and not _DIGIT.search(self.text, bracket.end(), inside[0].start):
                    return frozenset({inside[0].value}), CLAUSE
        for cue in reversed(doc.in_range(dim, sent_lo, lo)):
            if not doc.modifies_a_number(cue):
                return frozenset({cue.value}), SENT_LEFT
        if dim == "tissue":
            after = [c for c in doc.in_range(dim, hi, sent_hi) if not _COMPARED.search(self.text, max(0, c.start - 28),
                                                                                         c.start)
                     and not self.text.startswith("'s", c.end)]
            if after:
                return frozenset({after[0].value}), SENT_RIGHT
        for p_lo, p_hi in doc.parents_of(start):
            found = doc.in_range(dim, p_lo, p_hi)
            if found:
                return self._with_stress(dim, found, p_lo, p_hi), PARENT
        for index in range(doc.sentence_of(start) - 1, -1, -1):
            s_lo, s_hi = doc.sentences[index]
            found = doc.in_range(dim, s_lo, s_hi)
            if found:
                return self._with_stress(dim, found, s_lo, s_hi), EARLIER
        if dim in self.q_by_dim:
            return self.q_by_dim[dim], QUESTION
        return frozenset(), NONE

    def _with_stress(self, dim: str, found: list[Cue], lo: int, hi: int) -> frozenset[str]:
        """Far context naming both KMP and the combined stress ("stress raises it and KMP lowers it") allows both."""
        values = frozenset(c.value for c in found)
        if dim == "agent" and any(c.value == "HU_IR" for c in self.doc.in_range("cond", lo, hi)):
            values |= {"stress"}
        return values

    def stress_after_kmp(self, start: int, clause: tuple[int, int]) -> bool:
        """'KMP's effect (−2.34) is larger than the stress effect (+1.54)': the stress named after KMP, nearer
        the number, is the side of an NES."""
        lo = self.doc.sentences[self.doc.sentence_of(start)][0]
        agents = [c for c in self.doc.in_range("agent", lo, clause[0]) if not self.doc.modifies_a_number(c)]
        if not agents or agents[-1].value != "kmp":
            return False
        return any(c.value == "HU_IR" and not _UNDER.search(self.text, max(0, c.start - 12), c.start)
                   for c in self.doc.in_range("cond", agents[-1].end, start))

    def _up_or_down(self, near: list[Cue], start: int, end: int) -> tuple[frozenset[str], int]:
        """Up or down binds a count only from next to it ("413 up", "up: 413", "860 are down-regulated"),
        never across another number, and never to the whole of a partitive ("63% of the 910 DEGs are down")."""
        text = self.text
        if "of " in text[max(0, start - 12):start] and (_PARTITIVE.search(text, max(0, start - 40), start)
                                                          or _OUT_OF.search(text, max(0, start - 24), start)):
            return frozenset({"total"}), DEFAULT
        close = [c for c in near if not _DIGIT.search(text, min(c.end, end), max(c.start, start))
                 and (c.start - end if c.start >= end else start - c.end) <= 30]
        after = [c for c in close if c.start >= end and _THEN_UP_DOWN.fullmatch(text, end, c.start)]
        if after:  # "576 are up-regulated" reads forwards
            return frozenset({after[0].value}), CLAUSE
        if close:
            best = min(close, key=lambda c: start - c.end if c.end <= start else c.start - end)
            return frozenset({best.value}), CLAUSE
        if _PART_OF.match(text, end):  # "576 of 910": a part of the number after it (up, down, or a tissue's total)
            return frozenset({"up", "down", "total"}), DEFAULT
        label = self._row_label(start)
        if label:
            return frozenset({label}), CLAUSE
        return frozenset({"total"}), DEFAULT

    def _row_label(self, start: int) -> str:
        """'Up: HU alone 3,251; HU + IR 3,447' (a table row): the label before the line's colon says up or down."""
        line = self.text.rfind("\n", 0, start) + 1
        colon = self.text.find(":", line, start)
        if colon < 0 or colon - line > 25:
            return ""
        cues = [c for c in self.doc.in_range("cattr", line, colon) if c.value in ("up", "down")]
        return cues[0].value if len(cues) == 1 and not _DIGIT.search(self.text, line, colon) else ""

    def context(self, start: int, end: int, clause: tuple[int, int], dims: Sequence[str], *,
                operand: bool = False) -> Context:
        values = {}
        for dim in dims:
            found, level = self.resolve(dim, start, end, clause, operand=operand)
            if level != NONE:
                values[dim] = (found, level)
        return Context(values)

    @staticmethod
    def named_near(slot: Slot, strong: Context) -> bool:
        """Words close by name this slot: far words (the question) may not rule it out."""
        if not Reader.compatible(slot, strong):
            return False
        by_dim = slot.by_dim
        return any(level != DEFAULT and by_dim.get(dim) in values for dim, (values, level) in strong.values.items())

    @staticmethod
    def compatible(slot: Slot, ctx: Context) -> bool:
        for dim, (values, level) in ctx.values.items():
            label = slot.by_dim.get(dim)
            if label is None:
                if level == CLAUSE and ((dim in ("cond", "agent") and not slot.derived)
                                        or (dim == "cattr" and slot.derived and slot.vtype == "count")):
                    return False
                continue
            if slot.derived and (level == DEFAULT or level > PARENT):
                continue
            if label not in values:
                return False
        return True


    # -- recording --------------------------------------------------------------------------------
    def confirm(self, kind: str, start: int, end: int, fact_ids: Sequence[str], *, said: str = "",
                states: bool = True) -> None:
        """A claim the facts support; `states`: it states those facts (not a value derived from them)."""
        if states:
            self.stated.update(fact_ids)
        if self.keep_claims:
            text = self.text[start:end]
            self.claims.append(Claim(start, end, text, kind, tuple(fact_ids), True, said or text))

    def refute(self, finding: Finding) -> None:
        """A claim the facts contradict (or do not support)."""
        self.findings.append(finding)
        if not self.keep_claims:
            return
        start = finding.start or 0
        end = finding.end or 0
        self.claims.append(Claim(start, end, self.text[start:end], finding.claim, tuple(finding.fact_ids), False,
                                 finding.found or ""))

    def wrong(self, kind: str, start: int, end: int, found: str, expected: str, fact_ids: Sequence[str],
              message: str) -> None:
        """A wrong claim at text[start:end] (`kind`: wrong_class, wrong_direction, ...)."""
        self.refute(messages.claim(kind, self.text, start, end, found, expected, fact_ids, message))

    # -- helpers the word checks share -------------------------------------------------------------
    def skippable(self, start: int, quotes: list[tuple[int, int]]) -> bool:
        """Inside a quotation or a question the text asks: not a claim."""
        if any(a <= start < b for a, b in quotes):
            return True
        lo, hi = self.doc.sentences[self.doc.sentence_of(start)]
        if "whether" in self.text[max(lo, start - 80):start] and _WHETHER.search(self.text, max(lo, start - 80), start):
            return True  # "can't establish whether KMP rescues ...": not asserted
        if _OPEN_QUESTION.search(self.text, max(lo, start - 80), start):
            return True  # "it can't say how long the rescue lasts": an indirect question asserts nothing
        return self.text[lo:hi].rstrip().endswith("?")

    def negated(self, start: int) -> bool:
        window = self.text[max(0, start - 45):start].lower()
        if not any(word in window for word in _NEGATION_WORDS):
            return False
        return bool(_NEGATED.search(self.text, max(0, start - 45), start)
                    or _NO.search(self.text, max(0, start - 16), start))

    def tissues_for(self, start: int, end: int) -> frozenset[str]:
        """The tissues a claim at text[start:end] is about."""
        clause = self.doc.clause(start, end)
        found, level = self.resolve("tissue", start, end, clause)
        scope = frozenset(self.lex.facts[f].tissue for f in self.scope_ids)
        if level == EARLIER and not self.has_ids and len(self._tissues_named()) > 1:
            return frozenset()  # several tissues discussed: a category needs its own
        if found and not (level >= QUESTION and self.has_ids and len(scope) == 1):
            return found & self.lex.tissues or found
        return scope if len(scope) == 1 else frozenset()

    def _tissues_named(self) -> set[str]:
        return {c.value for c in self.doc.by_dim.get("tissue", ())}

    def pathway_fact(self, start: int, end: int) -> Any | None:
        """The one pathway-shift fact a claim at text[start:end] is about, or None."""
        in_scope = [self.lex.facts[f] for f in self.scope_ids if f.startswith("pathway_shift:")]
        if len(in_scope) == 1 and self.has_ids:
            return in_scope[0]
        clause = self.doc.clause(start, end)
        pathways, _ = self.resolve("pathway", start, end, clause)
        tissues = self.tissues_for(start, end)
        found = [f for f in in_scope if (not pathways or f.pathway in pathways)
                 and (not tissues or f.tissue in tissues)]
        if len(found) != 1 and pathways and tissues and not self.has_ids:
            found = [self.lex.facts[f"pathway_shift:{t}:{p}"] for t in tissues for p in pathways
                     if f"pathway_shift:{t}:{p}" in self.lex.facts]
        return found[0] if len(found) == 1 else None
