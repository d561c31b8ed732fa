"""Reading an answer for what it does besides its claims: does it decline, hedge, guess, or say anything at all?

- A *decline* says the data or the design cannot answer ("cannot answer from this data", "the study isn't
  designed to ...", "not answerable from a single-dose design", "the kidney wasn't sequenced").
- A *hedge* qualifies a claim without withdrawing it ("but I cannot be certain", "if I recall correctly",
  "I'd double-check"); it is not a decline.
- A *guess* is a claim of the writer's own, marked as such ("I'd guess something like 1,000", "probably a
  Type A tissue in rats too", "seems to need about 10 days"): after a decline it is a made-up answer.
- *Salad* is keywords and numbers with no sentence that claims anything.

Each works on clauses, so that "there's no published figure, but ... it's likely around 500 genes" is read
as a decline and a guess. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEDGES = (
    r"\b(?:I )?(?:can(?:'|’)?t|cannot|can not|could(?:n'?t| not)) be (?:100 ?% |completely |entirely |fully )?"
    r"(?:certain|sure|definitive)\b",
    r"\b(?:I'?m |I am )?not (?:100 ?% |entirely |completely |fully |quite |totally )?(?:sure|certain)\b",
    r"\bI might be (?:off|wrong)\b", r"\bdouble-check\b", r"\bif I (?:recall|remember)(?: correctly| right)?\b",
    r"\bhard to be (?:definitive|certain|sure)\b", r"\bdon'?t quote me\b", r"\bif I'?m reading\b",
)
DECLINES = (
    r"\b(?:can(?:'|’)?t|cannot|can not|could(?:n'?t| not)|unable to|impossible to|no way to|nobody can|no one can|"
    r"anyone could|not possible to)\b(?:\s+[\w'’]+){0,6}?\s+(?:tell|say|answer|determine|identify|give|settle|speak|"
    r"work|assess|know|conclude|infer|judge|establish|attribute|address|support|estimate|predict|extrapolate|"
    r"recommend|pin|compare|resolve|distinguish|draw|see|define|show|separate|claim|responsibly|read|translate|"
    r"put|provide|offer|quote)\b",
    r"\b(?:can(?:'|’)?t|cannot|can not) be (?:answered|determined|said|known|judged|inferred|identified|told|"
    r"established|measured|estimated|assessed|read)\b",
    r"\bnot (?:answerable|determinable|knowable|comparable|measurable|something (?:I|we|this|the data|it) can)\b",
    r"\b(?:is|was|are|were)(?:n'?t| not) (?:designed|able|set up|built|meant) to\b|\bnot designed to\b",
    r"\b(?:beyond|outside) (?:what|the scope|the data|this (?:data|study|design)|the study)\b",
    r"\b(?:was|were|is|are)(?:n'?t| not|n’t) (?:measured|tested|studied|sequenced|sampled|tracked|assessed|included|"
    r"reported|examined|varied|recorded|profiled|an endpoint|part of|in (?:the|this) (?:study|summary|data(?:set)?))",
    r"\bnot (?:measured|tested|studied|sequenced|sampled|reported|assessed|in the (?:published )?summary|part of)\b",
    r"\bno (?:data|information|human data|measurements?|way|comparison|basis|evidence|time course|dose-response|"
    r"[\w-]+ (?:data|count|figure|value|number|measurements?|comparison|curve|trajectory) (?:to|in|for|on))\b",
    r"\bno (?:published )?(?:figure|count|value|number|result)s?\b",
    r"\bunknown\b", r"\bunanswerable\b", r"\bI (?:don'?t|do not) know\b",
    r"\b(?:does|do|did)(?:n'?t| not) (?:give|report|tell|say|include|cover|provide|list|measure|show|answer|allow|"
    r"support|speak|let|address|contain)\b",
    r"\bwould (?:be|require) (?:pure |just )?speculat\w+", r"\bspeculation\b",
    r"\bout of reach\b", r"\bI'?d (?:rather not|avoid) (?:put|quot|giv|nam)\w*", r"\bthere'?s nothing to\b",
    r"\bnot (?:studied|measured|tested|answerable)\b", r"\bno comparison possible\b",
    r"^\s*(?:\*\*)?no\b[^.]{0,40}\b(?:and it couldn'?t|it can'?t)\b",
)
GUESS = (
    r"\b(?:I'?d|I would|I) (?:guess|estimate|expect|bet|wager)\b", r"\bmy (?:best )?(?:guess|estimate|hunch)\b",
    r"(?<!un)\blikely\b", r"\bprobabl[ey]\b", r"\bpresumably\b", r"\bI suspect\b", r"\bsomething like\b",
    r"\bseems? to\b", r"\bappears? to\b", r"\bshould be (?:about|around|roughly|near)\b",
    r"\bwould be (?:about|around|roughly|near|somewhere)\b", r"\bsomewhere (?:around|between|near)\b",
    r"\bby analogy\b", r"\bI'?d say\b",
)
_HEDGE = re.compile("|".join(HEDGES), re.I)
_DECLINE = re.compile("|".join(DECLINES), re.I | re.M)
_GUESS = re.compile("|".join(GUESS), re.I)
_NOT_A_GUESS = re.compile(r"\b(?:not|n'?t|un)\s*(?:very )?likely\b|\bjust an estimate\b", re.I)
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+|\s[—–]\s|\s-\s|,?\s+but\s+|,?\s+though\s+|\bthat said,?\s+|"
                           r"\bhowever,?\s+|\bstill,?\s+|\(|\)", re.I)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def clauses(text: str) -> list[Clause]:
    """The text cut at sentence ends, dashes, 'but', 'though', 'that said' and brackets."""
    out, cursor = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        if match.start() > cursor:
            out.append(Clause(cursor, match.start(), text[cursor:match.start()]))
        cursor = match.end()
    if cursor < len(text):
        out.append(Clause(cursor, len(text), text[cursor:]))
    return [c for c in out if c.text.strip()]


def _without_hedges(text: str) -> str:
    return _HEDGE.sub(lambda m: " " * len(m.group(0)), text)


def decline_spans(text: str) -> list[tuple[int, int]]:
    """Where the text says the data or design cannot answer (hedges are not declines)."""
    plain = _without_hedges(text)
    return [m.span() for m in _DECLINE.finditer(plain)]


def declines(text: str) -> bool:
    return bool(decline_spans(text))


def guess_clauses(text: str) -> list[Clause]:
    """Clauses that put forward the writer's own estimate ("I'd guess", "probably", "seems to need")."""
    return [c for c in clauses(text) if _GUESS.search(c.text) and not _NOT_A_GUESS.search(c.text)
            and not _DECLINE.search(_without_hedges(c.text))]


# -- well-formedness ------------------------------------------------------------------------------------
FUNCTION_WORDS = frozenset(re.findall(r"\S+", """
a an the of in on at to from by with for under over into onto than then as and or but nor so yet while whereas
is are was were be been being has have had do does did can could will would should may might must shall
it its this that these those there their they them he she we you i me my our your his her which who whom whose
what when where why how not no none only just also both each every all any some more most less fewer many much
about around roughly approximately nearly almost over under between after before during because since if though
changes changed change shows showed show gives gave give goes went go falls fell rises rose drops dropped grows
grew raises raised lowers lowered means meant makes made stays stayed remains remained reaches reached
alters altered affects affected leads led pushes pushed pulls pulled flips flipped restores restored reverses
reversed suppresses suppressed rescues rescued enriches enriched depletes depleted counts counted ranks ranked
"""))
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[-−+]?\d[\d,]*(?:\.\d+)?|[><→=≈|:]")
_RELATION = frozenset((">", "<", "→", "=", "≈", "|", ":"))
_NUMBER_ONLY = re.compile(r"^[\s\W]*(?:[-−+~≈]?\d[\d,]*(?:\.\d+)?%?[\s,;/|()\-–—]*){2,}[\s\W]*$")
_EXCLUSIVE = (("a", "b", "c"), ("rescue", "suppression"), ("synergistic", "additive", "antagonistic"),
              ("up", "down", "balanced"))


def is_salad(text: str) -> bool:
    """Keywords and numbers with no sentence around them: no claim can be read from it."""
    if _NUMBER_ONLY.match(text):
        return True
    tokens = [t.lower().strip("'’-") for t in _TOKEN.findall(text)]
    if len(tokens) < 6:
        return False
    functional = sum(t in FUNCTION_WORDS or t in _RELATION for t in tokens)
    if functional == 0:
        return True
    if len(tokens) > 30:  # a long text with any structure at all says something; its claims are checked
        return False
    words = set(tokens)
    offers_every_option = any(len(words & set(options)) >= min(3, len(options)) for options in _EXCLUSIVE)
    return functional / len(tokens) < 0.1 or (offers_every_option and functional / len(tokens) < 0.2)
