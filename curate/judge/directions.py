"""Directions: an NES raised or lowered, more genes up than down, more/fewer than a sum, grows/shrinks.

Each rule finds its phrase, binds it to a fact with the words around it (negation-aware), and compares.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.schemas.rules import BALANCED_HIGH, BALANCED_LOW

if TYPE_CHECKING:
    from curate.judge.lexicon import Cue
    from curate.judge.linking import Reader
    from curate.judge.numbers import Num

# Words without which no up/down split is claimed (a cheap test before the phrase patterns).
SPLIT_WORDS = ("genes go", "genes are", "genes went", "mostly", "most ", "majority", "lean", "tilt", "skew", "bias",
               "dominated", "driven", "even", "split", "balanced", "predominant", "largely", "mainly", "primarily",
               "chiefly", "than up", "than down", "overwhelmingly")
_UP = (r"raises?|raised|raising|higher|increases?|increased|elevates?|elevated|activates?|activated|"
       r"up-?regulates?|boosts?|restores?|pushes it (?:back )?up|enriched")
_DOWN = (r"lowers?|lowered|lowering|lower|decreases?|decreased|reduces?|reduced|suppresses?|suppressed|represses?|"
         r"repressed|down-?regulates?|pushes it (?:back )?down|depleted|inhibits?")
_NES_DIRECTION = re.compile(rf"(?<![\w-])(?:(?P<up>{_UP})|(?P<down>{_DOWN}))(?![\w-])", re.I)
_SIDE = (r"(?P<side>up(?:-?regulat\w*|ward)?|down(?:-?regulat\w*|ward)?|induced|induction|repressed|repression|"
         r"activation|suppression)")
_SPLIT = re.compile(
    rf"\b(?P<cmp>more|fewer) (?:genes |DEGs )?(?:go |are |went |were )?(?P<a>up|down)(?:-regulated)? "
    rf"than (?P<b>up|down)\b|"
    rf"(?P<neg>\bnot\s+|\bisn'?t\s+|n't\s+)?\b(?:(?P<strong>mostly|predominantly|largely|mainly|primarily|chiefly|"
    rf"overwhelmingly)\s+|most (?:of (?:them|these|those|the \w+(?: \w+){{0,2}})|genes|DEGs|changes)? ?"
    rf"(?:are |is |were |"
    rf"was |go |went )?|"
    rf"(?:the )?majority (?:of \w+(?: \w+)? )?(?:are |is |were |go )?|(?:leans?|leaning|tilts?|tilted|tilting|skewed|"
    rf"biased|shifted)(?: slightly| strongly)? (?:toward |towards |to )?|(?:dominated|driven) by |bias toward |"
    rf"slight tilt toward |tilt toward )(?:the )?{_SIDE}(?!\w)|"
    rf"\b{_SIDE.replace('side', 'side2')}[- ]bias\b|"
    rf"(?P<neg2>\bnot\s+|\bisn'?t\s+|n't\s+)?\b(?P<balanced>balanced)\b|"
    rf"\b(?P<even>(?:an )?even(?:ly)? split|split (?:almost |roughly |essentially )?evenly|roughly equal numbers)\b",
    re.I)
_COUNT = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d.%])|(?<![\w.,])\d+(?![\w.,%])")
_MANY = re.compile(r"\b(?:all|every|each|no|none of the|three of|two of|both|most) (?:the )?(?:four |4 )?"
                   r"(?:tissues|contrasts|"
                   r"conditions|stressors)?\b[^.;]*$|\b(?:tissues|contrasts)\b[^.;]*$", re.I)
_IS_BALANCED = re.compile(r"(?:\b(?:is|was|looks|remains|it'?s|are|were|be|stays|essentially|almost perfectly|"
                          r"nearly|roughly|fairly|pretty|quite|remarkably|well)\s+(?:not\s+)?(?:\w+\s+)?|^\s*|[:—–(]\s*|"
                          r"\*\*)$", re.I)
_MORE_FEWER = re.compile(r"\s+(?P<word>more|fewer|less)\b", re.I)
_FROM_TO = re.compile(r"\b(?P<verb>shrinks|shrank|falls|fell|drops|dropped|declines|declined|decreases|decreased|"
                      r"grows|grew|rises|rose|increases|increased|climbs|climbed)\s+from\s+$", re.I)
_CHANGE_WORD = re.compile(r"\s+(?P<word>drop|decrease|reduction|fall|decline|loss|increase|rise|gain|growth)\b", re.I)
_BY_AGENT = re.compile(r"\s+(?:\w+\s+){0,2}?(?:with|by|under|after|following|upon|on)\s+(?:the\s+)?(?:\w+\s+)?")
_FOLD_WORD = re.compile(r"\s*(?:more|fewer|higher|lower|larger|smaller)\b", re.I)


def check_nes_directions(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    if not any(s.vtype == "nes" for s in reader.primary):
        return
    text, doc = reader.text, reader.doc
    for match in _NES_DIRECTION.finditer(text):
        start, end = match.span()
        if reader.skippable(start, quotes):
            continue
        lo, hi = doc.sentences[doc.sentence_of(start)]
        sentence = text[lo:hi]
        if not re.search(r"pathway|gene set|\bNES\b|\bit\b", sentence, re.I) and not doc.in_range("pathway", lo, hi):
            continue
        side = side_of_verb(reader, lo, start, end)
        if side is None:
            continue
        fact = reader.pathway_fact(start, end)
        if fact is None:
            continue
        value = fact.stress_nes if side == "stress" else fact.kmp_nes
        said_up = match.group("up") is not None
        negated = reader.negated(start)
        said = ("not " if negated else "") + ("up" if said_up else "down")
        if ((value > 0) == said_up) != negated:
            reader.confirm("direction", start, end, [fact.id], said=said)
            continue
        who = "combined stress" if side == "stress" else "KMP"
        truth = "raises" if value > 0 else "lowers"
        reader.wrong("wrong_direction", start, end, ("not " if negated else "") + match.group(0), truth,
                (fact.id,), f"{who} {truth} {fact.pathway} in {fact.tissue} (NES {value:+.3f})")


def side_of_verb(reader: Reader, lo: int, start: int, end: int) -> str | None:
    """Who moves the pathway: the agent right after the verb ("enriched with kaempferol", "depleted under
    stress"), else the last one before it in the sentence."""
    after = [c for c in reader.doc.cues if end <= c.start < end + 40 and _is_side(c)]
    if after and _BY_AGENT.fullmatch(reader.text, end, after[0].start):
        return _side_of(after[0])
    cues = [c for c in reader.doc.cues if lo <= c.start < start and _is_side(c)]
    return _side_of(cues[-1]) if cues else None


def _is_side(cue: Cue) -> bool:
    return not cue.negated and (cue.dim == "agent" or (cue.dim == "cond" and cue.value == "HU_IR"))


def _side_of(cue: Cue) -> str:
    return "kmp" if (cue.dim == "agent" and cue.value == "kmp") else "stress"


def check_split_directions(reader: Reader, quotes: list[tuple[int, int]]) -> None:
    """'mostly down', 'most of them are up-regulated', 'the majority go down', 'leans toward down-regulation',
    'balanced', 'an even split', 'not mostly down': against the up/down split of the count they are about.
    'Mostly', 'most', 'leans' claim the larger side; 'balanced' claims the share up is within the rule's band."""
    splits: dict[str, dict[str, float]] = {}
    for slot in reader.primary:
        if slot.vtype == "count" and slot.label("cattr") in ("up", "down"):
            splits.setdefault(slot.fact_ids[0], {})[slot.label("cattr") or ""] = slot.value
    if not splits:
        return
    text = reader.text
    for match in _SPLIT.finditer(text):
        start, end = match.span()
        if reader.skippable(start, quotes) or "=" in text[max(0, start - 3):start]:  # "55% up = mostly up": a rule
            continue
        said = _said_side(match)
        if said is None:
            continue
        if said == "balanced" and match.group("balanced") and not match.group("neg2") and \
                not _IS_BALANCED.search(text, max(0, start - 30), start):
            continue
        fact_id = _split_fact(reader, splits, start, end)
        if fact_id is None:
            continue
        up, down = splits[fact_id]["up"], splits[fact_id]["down"]
        share = 100.0 * up / (up + down) if up + down else 50.0
        if said == "balanced":
            ok, truth = BALANCED_LOW <= share <= BALANCED_HIGH, f"{share:.1f}% up"
        else:
            truth = f"{int(up):,} up, {int(down):,} down ({share:.1f}% up)"
            if match.group("strong"):  # "mostly up": the rule's band, share up above 55 % (below 45 % for down)
                ok = share > BALANCED_HIGH if said == "up" else share < BALANCED_LOW
            else:  # "most are up", "leans up", "more up than down": the larger side
                ok = (up > down) if said == "up" else (down > up)
        written = match.group("neg") or match.group("neg2")
        negated = bool(written) or reader.negated(start)
        phrase = ("not " if negated and not written else "") + match.group(0)
        if ok != negated:
            reader.confirm("direction", start, end, [fact_id], said=phrase)
        else:
            reader.wrong("wrong_direction", start, end, phrase, truth, (fact_id,), f"{fact_id}: {truth}")


def _said_side(match: re.Match[str]) -> str | None:
    if match.group("balanced") or match.group("even"):
        return "balanced"
    if match.group("cmp"):
        a, b = match.group("a").lower(), match.group("b").lower()
        if a == b:
            return None
        return a if match.group("cmp").lower() == "more" else b
    word = (match.group("side") or match.group("side2") or "").lower()
    if not word:
        return None
    return "up" if word.startswith(("up", "induc", "activ", "switch")) else "down"


def _split_fact(reader: Reader, splits: dict[str, dict[str, float]], start: int, end: int) -> str | None:
    if len(splits) == 1:
        return next(iter(splits))
    lo, _ = reader.doc.sentences[reader.doc.sentence_of(start)]
    if _MANY.search(reader.text, lo, start):  # "three of the four tissues tilt downward": not one split
        return None
    hi = reader.doc.sentences[reader.doc.sentence_of(start)][1]
    written = {float(m.group(0).replace(",", "")) for m in _COUNT.finditer(reader.text, lo, hi)}
    hits = {fid: len(written & {parts.get("up"), parts.get("down")}) for fid, parts in splits.items()}
    best = max(hits.values(), default=0)
    stated = [fid for fid, n in hits.items() if n == best]
    if best and len(stated) == 1:  # "2,429 up and 3,784 down: ... mostly down" is about the split it states
        return stated[0]
    clause = reader.doc.clause(start, end)
    ctx = reader.context(start, end, clause, ("tissue", "cond"))
    fits = [fid for fid in splits if all(
        any(s.label(d) in values for s in reader.lex.slots_by_fact[fid]) for d, (values, _) in ctx.values.items())]
    return fits[0] if len(fits) == 1 else None


def check_number_directions(reader: Reader, numbers: list[Num]) -> None:
    """'712 more than that', 'shrinks from 4,110 to 140', 'a 96.6% drop', '18.8-fold more'."""
    text, doc = reader.text, reader.doc
    counts = [n for n in numbers if n.vtype == "int" and not n.exempt]
    for index, num in enumerate(numbers):
        word = _MORE_FEWER.match(text, num.end)
        if word and num.vtype == "int" and not num.exempt:
            _check_more_fewer(reader, num, word.group("word").lower(), [n for n in counts if n.end <= num.start])
        if num.vtype == "ratio" and num.is_result:
            said = _FOLD_WORD.match(text, num.end)
            operands = [n for n in numbers if n.expr == num.expr and not n.is_result]
            if said and len(operands) == 2:
                more = said.group(0).strip().lower() in ("more", "higher", "larger")
                if (operands[0].value > operands[1].value) != more:
                    reader.wrong("wrong_direction", num.start, num.end + said.end() - num.end + 0,
                            text[num.start:said.end()], "more" if operands[0].value > operands[1].value else "fewer",
                            (), f"{operands[0].text} / {operands[1].text} is a "
                                f"{'rise' if operands[0].value > operands[1].value else 'fall'}")
        verb = _FROM_TO.search(text, max(0, num.start - 30), num.start)
        if verb and index + 1 < len(numbers) and re.fullmatch(r"\s*(?:genes?\s+|DEGs?\s+)?to\s+",
                                                              text[num.end:numbers[index + 1].start]):
            after = numbers[index + 1]
            falls = verb.group("verb").lower().startswith(("shr", "fal", "fel", "dro", "dec"))
            if (num.value > after.value) != falls and num.value != after.value:
                reader.wrong("wrong_direction", verb.start(), after.end, text[verb.start():after.end],
                        "falls" if num.value > after.value else "rises", (),
                        f"from {num.text} to {after.text} is a {'fall' if num.value > after.value else 'rise'}")
            _check_change_word(reader, numbers, num, after)
    del doc


def _check_change_word(reader: Reader, numbers: list[Num], a: Num, b: Num) -> None:
    _lo, hi = reader.doc.sentences[reader.doc.sentence_of(a.start)]
    for num in numbers:
        if num.vtype != "percent" or not (b.end <= num.start < hi):
            continue
        word = _CHANGE_WORD.match(reader.text, num.end)
        if word:
            falls = word.group("word").lower() in ("drop", "decrease", "reduction", "fall", "decline", "loss")
            if (a.value > b.value) != falls:
                reader.wrong("wrong_direction", num.start, word.end(), reader.text[num.start:word.end()],
                        "a drop" if a.value > b.value else "an increase", (),
                        f"from {a.text} to {b.text} is a {'drop' if a.value > b.value else 'rise'}")


def _check_more_fewer(reader: Reader, num: Num, word: str, before: list[Num]) -> None:
    doc = reader.doc
    here = doc.sentence_of(num.start)
    window = [n for n in before if doc.sentence_of(n.start) >= here - 1]
    pairs = []
    for i, x in enumerate(window):
        for y in window[i + 1:]:
            if abs(abs(x.value - y.value) - num.value) <= 0.5 * num.precision:
                pairs.append((x, y))
    if not pairs:
        return
    x, y = pairs[-1]
    in_here = [n for n in (x, y) if doc.sentence_of(n.start) == here]
    subject = in_here[0] if in_here else x
    reference = y if subject is x else x
    more = subject.value > reference.value
    if more != (word == "more"):
        end = num.end + len(word) + 1
        reader.wrong("wrong_direction", num.start, end, reader.text[num.start:end],
                f"{num.text} {'more' if more else 'fewer'}", (),
                f"{subject.text} against {reference.text} is {'more' if more else 'fewer'}")
