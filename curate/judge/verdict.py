"""The verdict on one answer: is it correct, judged as a careful grader with the fact sheet would judge it?

Rules (tests/judge_corpus/README.md, "Item verdict"):

- The claim check (`read_claims`) is part of every verdict: any wrong claim makes the answer wrong.
- Answerable question (curate.judge.answerability): the answer must state what the question asks — a claim
  bound to an asked fact, and right; for "which tissue has the most ..." the one the facts give; for a
  yes/no question the right yes or no. A hedge ("but I cannot be certain") changes nothing. A decline is
  wrong. Salad (keywords and numbers with no claim) is wrong.
- Unanswerable question: the answer must decline (read for meaning, curate.judge.declines) and make no
  claim of its own about the unanswerable subject: a guess ("I'd guess about 1,000", "probably Type A in
  rats too") after a decline is a made-up answer. Right facts of the study cited as context are fine.

Standard library, curate.schemas and the rest of curate.judge only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curate.judge import declines as dc
from curate.judge.answerability import LIMITS, Answerability, assess
from curate.judge.asks import Ask, read_ask, vocabulary
from curate.judge.reading import ClaimReading, read_claims

if TYPE_CHECKING:
    from curate.schemas import Fact, FactSheet, Finding

CHECK = "verdict"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one answer, with everything it rests on."""

    correct: bool
    answerable: bool
    answerable_category: str
    answerable_reason: str
    declines: bool
    findings: tuple[Finding, ...]  # the claim check's wrong claims, then the verdict's own findings
    facts_used: tuple[str, ...]  # the facts the answer states (bound claims)
    asks: tuple[str, ...]  # the facts the question asks about
    reasons: tuple[str, ...]  # one line per reason the answer is wrong; empty when correct


def judge_answer(question: str, answer: str, sheet: FactSheet, *, fact_ids: Sequence[str] = (),
                 reference: str | None = None, answerable: bool | None = None) -> Verdict:
    """Judge `answer` to `question` against `sheet`.

    `fact_ids`: the facts the question is known to ask about (a generated example's); otherwise the judge
    reads them from the question. `answerable`: when the caller knows it; otherwise the answerability
    model decides (a `reference` that declines marks the question unanswerable). `reference` is evidence
    for that only: the verdict is the judge's.
    """
    judged = assess(question, sheet)
    if answerable is None and reference is not None and dc.declines(reference) and judged.answerable:
        answerable = False
    is_answerable = judged.answerable if answerable is None else answerable
    category, reason = _answerability_words(judged, is_answerable)
    ask = judged.ask if judged.ask is not None else read_ask(question, sheet)
    asks = tuple(fact_ids) or (ask.facts if is_answerable else ())
    # The answer is read against the whole sheet: a foreign answer may name any fact, and a number the
    # example's facts hold but the answer ties to another tissue is wrong. `fact_ids` only say what is asked.
    reading = read_claims(answer, sheet, question=question)
    own: list[Finding] = []
    declined = dc.declines(answer)
    if not answer.strip():
        own.append(_finding("no_answer", "the answer is empty"))
    elif is_answerable:
        stated = _states_what_is_asked(ask, asks, answer, reading, sheet, own, declined=declined)
        declined = declined and not stated
        if declined:
            own.append(_finding("declines_answerable", f"the answer declines a question the data can answer ({reason})",
                                expected="an answer", found="a decline"))
        elif dc.is_salad(answer):
            own.append(_finding("not_a_claim", "the answer is keywords and numbers with no claim", found=answer[:80]))
        elif not stated:
            wanted = ", ".join(asks[:4]) + (" ..." if len(asks) > 4 else "")
            own.append(_finding("does_not_answer", "the answer does not state what the question asks "
                                f"({wanted or ask.wants})", expected=wanted or ask.wants, fact_ids=asks[:6]))
    else:
        if not declined:
            own.append(_finding("does_not_decline", f"the design cannot answer this ({reason}), and the answer does "
                                "not decline", expected="a decline", found="an answer"))
        else:
            own.extend(_made_up(answer, judged))
    findings = tuple(reading.findings) + tuple(own)
    reasons = tuple(_reason(f) for f in findings)
    return Verdict(not findings, is_answerable, category, reason, declined, findings, reading.stated_fact_ids,
                   asks, reasons)


def _answerability_words(judged: Answerability, answerable: bool) -> tuple[str, str]:
    if judged.answerable == answerable:
        return judged.category, judged.reason
    said = "answerable" if answerable else "unanswerable"
    return "given", f"the caller marks the question {said}; the answerability model: {judged.reason}"


def _finding(kind: str, message: str, *, expected: str | None = None, found: str | None = None,
             fact_ids: Sequence[str] = (), span: tuple[int, int] | None = None, text: str = "") -> Finding:
    from curate.schemas import Finding

    start, end = span if span is not None else (None, None)
    return Finding(type=kind, check=CHECK, message=message, expected=expected, found=found,
                   fact_ids=tuple(fact_ids), start=start, end=end, text=text)


def _reason(finding: Finding) -> str:
    where = f" ({finding.text!r})" if finding.text and finding.check != CHECK else ""
    return f"{finding.type.replace('_', ' ')}: {finding.message}{where}"


# -- does the answer state what is asked? ----------------------------------------------------------
def _states_what_is_asked(ask: Ask, asks: Sequence[str], answer: str, reading: ClaimReading, sheet: FactSheet,
                          own: list[Finding], *, declined: bool) -> bool:
    asked = set(asks)
    bound = [c for c in reading.claims if c.ok and asked & set(c.fact_ids)]
    if ask.yes_no and _yes_no_verdict(ask, asks, answer, sheet, own, content_right=bool(bound)) is not None:
        return True
    if (ask.wants == "class" and any(i.startswith("tissue_class:") for i in asked)) or (
            ask.wants == "interaction_class" and asked and all(i.startswith("deg_count:") for i in asked)):
        bound = [c for c in bound if c.kind == "category"]
    if not asked:
        return bool(reading.claims) or (len(answer.split()) >= 4 and not dc.is_salad(answer))
    if ask.superlative:
        picked = _check_pick(ask, asks, answer, sheet, own)
        if picked and not bound:  # a bare pick ("Alb.", "Unloading.") answers "which ... the most?"
            return True
    return bool(bound) or _leads_with_an_asked_value(answer, asks, sheet) or (
        not declined and _says_the_kind_asked(ask, answer, sheet))


_LEADING_FIGURE = re.compile(r"^\W*(?:about|around|roughly|approximately|~|≈)?\s*(?P<n>[-−+]?\d[\d,]*(?:\.\d+)?)"
                             r"\s*(?:DEGs?|genes?)?\s*(?:[.;,:]|$)", re.I)


def _leads_with_an_asked_value(answer: str, asks: Sequence[str], sheet: FactSheet) -> bool:
    """A bare figure first ("491. For context, ..."), equal to an asked fact's value as written."""
    match = _LEADING_FIGURE.match(answer)
    if match is None:
        return False
    written = match.group("n").replace(",", "").replace("−", "-")
    decimals = len(written.split(".")[1]) if "." in written else 0
    value = float(written)
    by_id = sheet.by_id()
    for fact_id in asks:
        fact = by_id.get(fact_id)
        for name in ("n_degs", "mean_abs_log2fc", "stress_nes", "kmp_nes"):
            true = getattr(fact, name, None)
            if true is not None and abs(float(true) - value) <= 0.5 * 10 ** -decimals + 1e-9:
                return True
    return False


_LABEL_OF = {
    "class": r"\b(?:type|class) [ABC]\b|\bstress[- ]activated\b|\bbaseline[- ]active\b|\bstress[- ]blocked\b",
    "interaction_class": r"\bsynerg\w+|\badditiv\w+|\bantagonis\w+",
    "pattern": r"\brescu\w+|\bsuppress\w+|\bKMP[-_ ]only\b|\bnot significant\w*|\benrich\w+|\bdeplet\w+|\brestor\w+|"
               r"\brevers\w+|\b(?:rais|lower)\w+",
    "direction": r"\bmostly (?:up|down)\b|\bbalanced\b|\bmore (?:up|down)\b|\b(?:up|down)-?regulat\w+",
}


def _says_the_kind_asked(ask: Ask, answer: str, sheet: FactSheet) -> bool:
    """When the claim check binds nothing: the answer still says a label of the kind asked, about a subject
    the question names (its wrong labels, if any, are the claim check's findings)."""
    pattern = _LABEL_OF.get(ask.wants)
    if pattern is None or dc.is_salad(answer):
        return False
    said = [m for m in re.finditer(pattern, answer, re.I)
            if not re.search(r"\b(?:not|no|never|n't|neither|nor)\b(?:\s+\S+){0,2}\s*$", answer[:m.start()], re.I)]
    if not said:
        return False
    vocab = vocabulary(sheet)
    subjects = set(vocab.find(ask.text, "tissues")) | set(vocab.find(ask.text, "pathways"))
    named = set(vocab.find(answer, "tissues")) | set(vocab.find(answer, "pathways"))
    return not subjects or bool(subjects & named) or len(answer.split()) <= 12


_YES = re.compile(r"^\W*(?:yes|yep|yeah|correct|right|indeed|it does|they do|it is|they are)\b(?!\s*(?:not|n't))",
                  re.I)
_NO = re.compile(r"^\W*(?:no|nope|not really|it does not|it doesn'?t|it is not|it isn'?t|they are not|"
                 r"they aren'?t|they do not|they don'?t)\b", re.I)
# "Is this statement correct? "In heart, IR changes 165 genes."": the quoted claim is what yes or no is about.
_QUOTED_CLAIM = re.compile(r"\b(?:statement|claim|sentence|this|that)\b[^\"“”]*[\"“](?P<claim>[^\"“”]{8,})[\"”]", re.I)
_AUX = re.compile(r"^\s*(?:is|are|does|do|did|was|were|has|have)\s+", re.I)


def _yes_no_verdict(ask: Ask, asks: Sequence[str], answer: str, sheet: FactSheet, own: list[Finding], *,
                    content_right: bool) -> bool | None:
    """For a yes/no question: the answer's yes or no against the question read as a statement.

    None when the answer gives no yes/no, or the judge cannot tell whether the statement holds. When the
    answer's own claims on the asked facts are right, only a label the statement names (a class, pattern,
    interaction class or direction) can overrule its yes or no: comparisons read from a question are less sure.
    """
    said = False if _NO.match(answer) else True if _YES.match(answer) else None
    if said is None or re.search(r"\bnot\b|n't\b|\bor\b(?!\s+not\b)", ask.text):
        return None
    quoted = _QUOTED_CLAIM.search(ask.text)
    statement = quoted.group("claim") if quoted else _AUX.sub("", ask.text).rstrip(" ?") + "."
    # Only claims about what the question asks: a statement read as about another fact says nothing here.
    claims = [c for c in read_claims(statement, sheet).claims if not asks or set(c.fact_ids) & set(asks)]
    if content_right:
        claims = [c for c in claims if c.kind in ("category", "direction")]
        if not claims:
            return said
    holds = all(c.ok for c in claims) if claims else _label_holds(statement, asks, sheet)
    if holds is None:
        return None
    if said != holds:
        word = "yes" if said else "no"
        own.append(_finding("wrong_yes_no", f"the answer says {word}, but the facts say "
                            f"{'yes' if holds else 'no'}: {statement}", expected="yes" if holds else "no",
                            found=word, fact_ids=tuple(asks)[:6]))
    return said


_LABEL_WORDS = {
    "pattern": (("RESCUE", r"\brescu\w+|\brestor\w+"), ("SUPPRESSION", r"\bsuppress\w+"),
                ("KMP_ONLY", r"\bKMP[-_ ]only\b")),
    "response_class": (("A", r"\btype A\b|\bstress[- ]activated\b"), ("B", r"\btype B\b|\bbaseline[- ]active\b"),
                       ("C", r"\btype C\b|\bstress[- ]blocked\b")),
}


def _label_holds(statement: str, asks: Sequence[str], sheet: FactSheet) -> bool | None:
    """A statement about one fact's pattern or class ("liver OXPHOS rescued by KMP"): does the fact have it?"""
    if len(asks) != 1:
        return None
    fact = sheet.by_id().get(asks[0])
    for field_name, options in _LABEL_WORDS.items():
        value = getattr(fact, field_name, None)
        said = [label for label, pattern in options if re.search(pattern, statement, re.I)]
        if value is not None and len(said) == 1:
            return said[0] == value
    return None


_PICK = re.compile(r"\b(?:most|least|fewest|highest|lowest|largest|smallest|biggest|strongest|weakest|greatest|"
                   r"dominates?|dominant)\b", re.I)
_LOWEST = re.compile(r"\b(?:least|fewest|lowest|smallest|weakest)\b", re.I)
_MANY = re.compile(r"\b(?:rank|order|top \d|two|three|four|five|tissues|genes|terms|pathways|each|every|list)\b",
                   re.I)
_VALUE_FIELDS = ("n_degs", "mean_abs_log2fc")


def _check_pick(ask: Ask, asks: Sequence[str], answer: str, sheet: FactSheet, own: list[Finding]) -> str | None:
    """'Which tissue has the most ...': the entity the answer picks must be the one the facts give.

    The pick is the entity named in the answer's sentence that uses the question's superlative ("the
    smallest KMP effect is in the soleus"), else the only candidate the answer names. Returns the pick.
    """
    word = _PICK.search(ask.text)
    if word is None or _MANY.search(ask.text):
        return None
    by_id = sheet.by_id()
    valued = [(f, v) for i in asks if i in by_id and (v := _value(f := by_id[i])) is not None]
    kinds = {f.kind for f, _ in valued}
    wanted = next((k for k in _PICK_KINDS.get(ask.wants, ()) if k in kinds), None)
    valued = [(f, v) for f, v in valued if wanted is None or f.kind == wanted]
    if len(valued) < 2:
        return None
    dimension, name_of = _dimension([f for f, _ in valued])
    if dimension is None:
        return None
    pick = min if _LOWEST.search(ask.text) else max
    best_value = pick(v for _, v in valued)
    expected = {name_of(f) for f, v in valued if v == best_value}
    candidates = {name_of(f) for f, _ in valued}
    vocab = vocabulary(sheet)
    picked = [n for n in vocab.find(_pick_sentence(answer, word.group(0)), dimension) if n in candidates]
    if not picked:
        return None
    if picked[0] not in expected:
        own.append(_finding("wrong_pick", f"the answer picks {picked[0]}; the facts give "
                            f"{' or '.join(sorted(expected))}", expected=" or ".join(sorted(expected)),
                            found=picked[0], fact_ids=tuple(f.id for f, _ in valued)))
    return picked[0]


# Which facts a pick is among, by what the question wants: "which hub gene" picks among hub genes, not counts.
_PICK_KINDS = {"hub": ("hub_gene",), "interaction": ("interaction",), "count": ("kmp_effect", "deg_count"),
               "open": ("kmp_effect", "deg_count")}


def _pick_sentence(answer: str, superlative: str) -> str:
    """The answer's sentence that uses the superlative, else (a terse answer) the whole of it."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", answer):
        if re.search(rf"\b{re.escape(superlative)}\b", sentence, re.I):
            return sentence
    return answer if len(re.findall(r"\w+", answer)) <= 12 else ""


def _value(fact: Fact) -> float | None:
    for name in _VALUE_FIELDS:
        value = getattr(fact, name, None)
        if value is not None:
            return float(value)
    return None


def _dimension(facts: list[Fact]) -> tuple[str | None, Callable[[Fact], str]]:
    """Which kind of entity the facts differ by, and how to name a fact's."""
    def attribute(fact: Fact, name: str) -> str:
        return str(getattr(fact, name, "") or "")
    if len({f.kind for f in facts}) > 1:
        return None, str
    if facts[0].kind == "hub_gene":
        return "genes", lambda f: attribute(f, "gene")
    if len({f.tissue for f in facts}) > 1:
        return "tissues", lambda f: f.tissue
    for name in ("contrast", "condition", "term"):
        if len({attribute(f, name) for f in facts}) > 1:
            return "contrasts", lambda f, n=name: attribute(f, n)
    return None, str


# -- made-up answers to unanswerable questions ------------------------------------------------------
_OUTSIDE = re.compile(r"\be\.g\.|\bfor example\b|\bsuch as\b|\btypically\b|\boften\b|\busually\b|\bin general\b|"
                      r"\bgenome\b|\bhalf-life\b|\bdesign choice\b|\bnot a result\b|\bstudies like\b|\bfactor\b|"
                      r"\bscaling\b", re.I)
_LABEL = re.compile(r"\b(?:type|class) [ABC]\b|\bstress[- ]activated\b|\bbaseline[- ]active\b|\bstress[- ]blocked\b|"
                    r"\brescu\w+|\bsuppress\w+|\bsynerg\w+|\badditiv\w+|\bantagonis\w+|\bmostly (?:up|down)\b|"
                    r"\b(?:driver|responsible|cause[sd]?|transient|durable|lasting|persist\w*|protect\w*|prevent\w*)\b",
                    re.I)
_NUMBER = re.compile(r"(?<![\w.])[-−+~≈]?\d[\d,]*(?:\.\d+)?")


def _made_up(answer: str, judged: Answerability) -> list[Finding]:
    """Clauses of a declining answer that put forward its own answer to the unanswerable subject."""
    cues = [re.compile(cue, re.I) for row in LIMITS if row.category in (judged.categories or (judged.category,))
            for cue in row.cues]
    out = []
    for clause in dc.guess_clauses(answer):
        # a figure in a guess is the guess, even when a fact of the study happens to have it ("around 2,000, like KMP")
        numbers = list(_NUMBER.finditer(clause.text))
        about = _LABEL.search(clause.text) or next((c.search(clause.text) for c in cues if c.search(clause.text)), None)
        if (numbers or about) and not _OUTSIDE.search(clause.text):
            said = clause.text.strip()
            out.append(_finding("made_up", f"after declining, the answer puts forward its own answer: {said!r}",
                                expected="no claim about what the design cannot answer", found=said,
                                span=(clause.start, clause.end), text=clause.text))
    return out
