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
    r"\bI might be (?:off|wrong)\b", r"\bI may be wrong\b", r"\bdouble-check\b",
    r"\bif I (?:recall|remember)(?: correctly| right)?\b", r"\bhard to be (?:definitive|certain|sure)\b",
    r"\bdon'?t quote me\b", r"\bif I'?m reading\b",
)
# Doubt about one's own figure ("I can't say for sure, but ..."): a hedge when the sentence goes on to claim
# something, a decline when it stands alone or gives a reason ("I can't say for sure: one dose was tested").
SOFT_DECLINES = (
    r"\b(?:I )?(?:can(?:'|’)?t|cannot|can not|could(?:n'?t| not)) (?:say|tell|be sure|give (?:you )?(?:an? )?"
    r"(?:exact|precise)(?: \w+)?|remember|recall)(?: (?:for sure|for certain|exactly|precisely|with certainty|"
    r"the exact \w+))?\b",
    r"\bI (?:don'?t|do not) (?:know|remember|recall) (?:the )?(?:exact(?:ly)?|precise(?:ly)?)(?: \w+)?\b",
    r"\bI (?:don'?t|do not) (?:remember|recall)\b",
)
_CLAIM_FOLLOWS = re.compile(r"\bbut\b|\bthough\b|\bI (?:think|believe|recall)\b|\bprobabl|\blikely\b|\broughly\b|"
                            r"\baround\b|\babout\b|\bapproximately\b|(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)", re.I)
DECLINES = (
    r"\b(?:can(?:'|’)?t|cannot|can not|could(?:n'?t| not)|unable to|not able to|impossible to|no way to|nobody can|"
    r"no one can|anyone could|not possible to)\b(?:\s+[\w'’]+){0,6}?\s+(?:tell|say|answer|determine|identify|give|"
    r"settle|speak|work|assess|know|conclude|infer|judge|establish|attribute|address|support|estimate|predict|extrapolate|"
    r"recommend|pin|compare|resolve|distinguish|draw|see|define|show|separate|claim|responsibly|read|translate|"
    r"put|provide|offer|quote)\b",
    r"\b(?:can(?:'|’)?t|cannot|can not) be (?:answered|determined|said|known|judged|inferred|identified|told|"
    r"established|measured|estimated|assessed|read|interpreted|attributed|concluded|resolved|separated|predicted|"
    r"extrapolated|compared|quantified|given|assigned|ruled out)\b",
    r"\bnot (?:answerable|determinable|knowable|comparable|measurable)\b",
    r"\bnot (?:something|one|a question)\b(?:\s+[\w'’]+){0,3}?\s+(?:can|could)\b",
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
    r"\bnot (?:studied|measured|tested|answerable|addressed|examined|investigated|looked at|done|available)\b",
    r"\bno comparison possible\b", r"\bno such\b", r"\binsufficient\b", r"\bsilent\b",
    r"\bnot something\b[^.]{0,40}?\b(?:looked at|measured|tested|examined|addressed|covered|studied|included|"
    r"reported)\b",
    r"\bnothing to (?:say|tell|offer|go on)\b", r"\bopen question\b", r"\b(?:no one|nobody) has\b",
    r"\b(?:untested|unmeasured|unstudied|unreported|unknowable)\b", r"\bnot in (?:the )?scope\b|\bout of scope\b",
    r"\b(?:won'?t|will not|would rather not|'d rather not|shouldn'?t|should not) (?:guess|speculate)\b",
    r"\b(?:data|information|results|measurements) (?:don'?t|do not|does not|doesn'?t) exist\b",
    r"\bneither\b[^.]{0,60}\bnor\b[^.]{0,60}\b(?:was|were) (?:studied|measured|tested|sequenced|included|sampled)\b",
    r"\b(?:would|'d) (?:need|require)\b", r"\bonly\b[^.]{0,60}\bcould (?:answer|tell|say|show|settle)\b",
    r"\b(?:a|another) (?:different|separate|new|future|follow-up|dedicated) (?:study|experiment|trial)\b",
    r"\bonly (?:covers|covered|includes|included|looked at|measured|sequenced|tested|studied)\b",
    r"\b(?:unclear|undetermined|not determined|not established|not known)\b",
    r"\b(?:was|were|is|are)(?:n'?t| not|n’t) (?:looked at|investigated|addressed|explored|done|performed|run|"
    r"carried out|collected|available|covered|in the data)\b",
    r"\b(?:don'?t|do not|doesn'?t|does not) have (?:that|this|the|any|such|enough|data|information)\b",
    r"^\s*(?:\*\*)?no\b[^.]{0,40}\b(?:and it couldn'?t|it can'?t)\b",
    # a question answered in two words: "Could bulk RNA-seq name one gene as responsible? It can't: ..."
    r"\?\s+(?:no,?\s+)?(?:it|they|this study|the study|the data|this design|we)\s+(?:can(?:'|’)?t|cannot|couldn'?t)"
    r"\s*[:.;,—–!]",
)
GUESS = (
    r"\b(?:I'?d|I would|I) (?:guess|estimate|expect|bet|wager)\b", r"\bmy (?:best )?(?:guess|estimate|hunch)\b",
    r"(?<!un)\blikely\b", r"\bprobabl[ey]\b", r"\bpresumably\b", r"\bI suspect\b", r"\bsomething like\b",
    r"\bseems? to\b", r"\bappears? to\b", r"\bshould be (?:about|around|roughly|near)\b",
    r"\bwould be (?:about|around|roughly|near|somewhere)\b", r"\bsomewhere (?:around|between|near)\b",
    r"\bby analogy\b", r"\bI'?d say\b",
)
_HEDGE = re.compile("|".join(HEDGES), re.I)
_SOFT = re.compile("|".join(SOFT_DECLINES), re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")
_REASON_FOLLOWS = re.compile(r"\s*[:;—–-]|\s*,?\s*(?:since|because|as)\b", re.I)
# "can't say how long the rescue lasts": what it cannot say is the question's subject, so it declines
_ASKED_AFTER = re.compile(r"\s+(?:how|whether|if|which|what|why|when)\b", re.I)
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
    """The text with hedges blanked out (same length, so spans still point into the original)."""
    text = _HEDGE.sub(lambda m: " " * len(m.group(0)), text)
    out = list(text)
    for sentence in _SENTENCE.finditer(text):
        for soft in _SOFT.finditer(sentence.group(0)):
            before, after = sentence.group(0)[:soft.start()], sentence.group(0)[soft.end():]
            claims = _CLAIM_FOLLOWS.search(after) or _FIGURE.search(before)
            if claims and not _REASON_FOLLOWS.match(after) and not _ASKED_AFTER.match(after):
                start = sentence.start() + soft.start()
                out[start:start + len(soft.group(0))] = " " * len(soft.group(0))
    return "".join(out)


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
cause causes caused produce produces produced induce induces induced reduce reduces reduced increase increases
increased decrease decreases decreased respond responds responded regulate regulates regulated drive drives drove
dominate dominates dominated classed classified called become becomes became return returns returned vs versus
"""))
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[-−+]?\d[\d,]*(?:\.\d+)?|[><→=≈|:(—–]")
_RELATION = frozenset((">", "<", "→", "=", "≈", "|", ":", "(", "—", "–"))
# Possessive quantifiers: each number is read once, the way it is written ('4,110' is one number). With plain
# ones a run like '0,0,0,...,x' can be split into numbers in exponentially many ways before the match fails.
_NUMBER_ONLY = re.compile(r"^[\s\W]*+(?:[-−+~≈]?\d[\d,]*+(?:\.\d+)?+%?+[\s,;/|()\-–—]*+){2,}[\s\W]*$")
_EXCLUSIVE = (("a", "b", "c"), ("rescue", "suppression"), ("synergistic", "additive", "antagonistic"),
              ("up", "down", "balanced"))


_ITEM_BREAK = re.compile(r"[,;\n]+")
_PAIR = re.compile(r"[A-Za-z][\w'’×+-]*\W{0,3}\s*[-−+~≈]?\d|\d[\d,.]*\s*\(?\s*[A-Za-z]")


def is_salad(text: str) -> bool:
    """Keywords and numbers with no sentence around them: no claim can be read from it.

    A list of name-value pairs ("Alb 4.26, Cps1 3.21, Lcn2 1.35") is a list of claims, not salad."""
    if _NUMBER_ONLY.match(text):
        return True
    items = [item for item in _ITEM_BREAK.split(text) if item.strip()]
    if len(items) >= 2 and sum(bool(_PAIR.search(item)) for item in items) >= max(2, 2 * len(items) / 3):
        return False
    found = _TOKEN.findall(text)
    tokens = [t.lower().strip("'’-") for t in found]
    if len(tokens) < 6:
        return False
    # a label letter ("Type A") is not the article "a"
    functional = sum((t in FUNCTION_WORDS and raw != "A") or t in _RELATION for t, raw in zip(tokens, found,
                                                                                              strict=True))
    if functional == 0:
        return True
    if len(tokens) > 30:  # a long text with any structure at all says something; its claims are checked
        return False
    words = set(tokens)
    offers_every_option = any(len(words & set(options)) >= min(3, len(options)) for options in _EXCLUSIVE)
    return offers_every_option and functional / len(tokens) < 0.2
