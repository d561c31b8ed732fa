"""Claims made in words: categories, directions and orderings. Used by `curate.gates.claims`.

Each rule finds its phrase, skips it where it claims nothing (inside a question, a quotation, a list
of options or a rule statement), binds it to a fact with the words around it, and compares.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from curate.gates.findings import Finding

if TYPE_CHECKING:
    from curate.gates.claims import Checker, Num
    from curate.gates.entities import Cue, Slot

CLASS_LABELS = {"A": "stress-activated", "B": "baseline-active", "C": "stress-blocked"}
# Cheap tests that say whether a rule can apply at all (the rules' own patterns are slower).
PATTERN_HINT = re.compile(r"RESCUE|SUPPRESSION|KMP_ONLY|\bNS\b|KMP[- ]only|rescue pattern|suppression pattern", re.I)
SPLIT_HINT = re.compile(r"genes (?:go|are|went)|mostly|biased|balanced")
RELATION_HINT = re.compile(r"\s(?:>=|<=|>|<|=|≥|≤)\s")
SUPERLATIVE_HINT = re.compile(r"first|last|most|least|highest|lowest|largest|smallest|greatest|biggest|fewest|\btie|"
                              r"\btop\b|bottom")
LABEL_CLASS = {label: letter for letter, label in CLASS_LABELS.items()}

_CLASS = re.compile(r"(?-i:\bType ([ABC])\b)(?!\s*/|\s*,\s*[ABC]\b|\s+or\s+[ABC]\b)|"
                    r"\b(stress-activated|baseline-active|stress-blocked)\b", re.I)
_PATTERN = re.compile(
    r"(?-i:\b(RESCUE|SUPPRESSION|KMP_ONLY|NS)\b)|\b(KMP[- ]only)\b|\b(rescue|suppression)\s+pattern\b", re.I)
_INTERACTION = re.compile(r"\b(additive|synergistic|antagonistic)\b", re.I)
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\bneither|\bnor|\brather than|\binstead of|\bunlike|\bno longer|\bisn't|"
                      r"\baren't)\b[^.;:,]{0,30}$", re.I)
_QUOTED = re.compile(r"«[^»]*»|\"[^\"\n]*\"|“[^”]*”")
_SIGNIFICANCE = re.compile(r"\)?\s*,?\s*(?:which is\s+|and\s+)?(not\s+)?(?:statistically\s+)?significant\b", re.I)

_UP = (r"raises?|raised|raising|higher|increases?|increased|elevates?|elevated|activates?|activated|"
       r"up-?regulates?|boosts?|restores?|pushes it (?:back )?up|enriched")
_DOWN = (r"lowers?|lowered|lowering|lower|decreases?|decreased|reduces?|reduced|suppresses?|suppressed|represses?|"
         r"repressed|down-?regulates?|pushes it (?:back )?down|depleted|inhibits?")
_NES_DIRECTION = re.compile(rf"(?<![\w-])(?:(?P<up>{_UP})|(?P<down>{_DOWN}))(?![\w-])", re.I)
_SPLIT = re.compile(r"\b(?P<cmp>more|fewer) genes (?:go|are|went) (?P<a>up|down)(?:-regulated)? than (?P<b>up|down)\b|"
                    r"\bmostly (?P<mostly>up|down|induced|repressed)\b|\bbiased (?P<bias>up|down)(?:wards?)?\b|"
                    r"\b(?P<balanced>balanced)\b", re.I)
_IS_BALANCED = re.compile(r"\b(?:is|was|looks|remains)\s+(?:roughly\s+|fairly\s+)?$")
_MORE_FEWER = re.compile(r"\s+(?P<word>more|fewer|less)\b", re.I)
_FROM_TO = re.compile(r"\b(?P<verb>shrinks|shrank|falls|fell|drops|dropped|declines|declined|decreases|decreased|"
                      r"grows|grew|rises|rose|increases|increased|climbs|climbed)\s+from\s+$", re.I)
_CHANGE_WORD = re.compile(r"\s+(?P<word>drop|decrease|reduction|fall|decline|loss|increase|rise|gain|growth)\b", re.I)
_FOLD_WORD = re.compile(r"\s*(?:more|fewer|higher|lower|larger|smaller)\b", re.I)
_SUPERLATIVE = re.compile(
    r"\b(?:(?:ranks?|comes?)\s+(?P<rank>first|top|highest|last|bottom|lowest)|"
    r"(?:has|have|shows?|show)\s+the\s+(?P<has>most|least|fewest|highest|lowest|largest|smallest|greatest|biggest)|"
    r"(?:is|are)\s+(?:the\s+)?(?P<is>highest|lowest|largest|smallest|greatest)\b|"
    r"ties?\s+for\s+(?:the\s+)?(?P<tie>most|least|highest|lowest|top|bottom|first|last))", re.I)
_TOP = {"first", "top", "highest", "most", "largest", "greatest", "biggest"}
_LABEL_GAP = re.compile(r"\s*(?:,\s*and|,|and)?\s*")
_RELATION = re.compile(r"\s(>=|<=|>|<|=|≥|≤)\s")
_ITEM = re.compile(r"^\s*(?P<label>[^()]*?)\s*(?:\((?P<num>[^()]*)\))?\s*$")
_ENTITY_DIMS = ("tissue", "cond", "term", "gene", "pathway")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _skippable(checker: Checker, start: int, quotes: list[tuple[int, int]]) -> bool:
    """Inside a quotation or a question the answer asks: not a claim."""
    if any(a <= start < b for a, b in quotes):
        return True
    lo, hi = checker.doc.sentences[checker.doc.sentence_of(start)]
    return checker.text[lo:hi].rstrip().endswith("?")


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATED.search(text, max(0, start - 45), start))


def _tissues_for(checker: Checker, start: int, end: int) -> frozenset[str]:
    from curate.gates.claims import QUESTION

    clause = checker.doc.clause(start, end)
    found, level = checker.resolve("tissue", start, end, clause)
    scope = frozenset(checker.lex.facts[f].tissue for f in checker.scope_ids)
    if found and not (level >= QUESTION and checker.has_ids and len(scope) == 1):
        return found & checker.lex.tissues or found
    return scope if len(scope) == 1 else frozenset()


def _report(checker: Checker, kind: str, start: int, end: int, found: str, expected: str,
            fact_ids: tuple[str, ...], message: str) -> None:
    checker.findings.append(Finding(kind, start, end, checker.text[start:end], found, expected, fact_ids, message))


# -- categories ---------------------------------------------------------------------------------
def check_classes(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    text = checker.text
    for match in _CLASS.finditer(text):
        start, end = match.span()
        letter = match.group(1) or LABEL_CLASS[match.group(2).lower()]
        after = text[end:end + 12].lower()
        if _skippable(checker, start, quotes) or after.lstrip(" )").startswith("tissues"):
            continue
        if match.group(2) and _in_list(text, start, end, r"stress-activated|baseline-active|stress-blocked"):
            continue
        ids = [f"tissue_class:{t}" for t in _tissues_for(checker, start, end)]
        facts = [checker.lex.facts[i] for i in ids if i in checker.lex.facts]
        if not facts:
            continue
        negated = _negated(text, start)
        truths = [f.response_class for f in facts]
        wrong = all((t == letter) == negated for t in truths)
        if wrong:
            fact = facts[0]
            expected = f"Type {fact.response_class} ({CLASS_LABELS[fact.response_class]})"
            said = ("not " if negated else "") + match.group(0)
            _report(checker, "wrong_class", start, end, said, expected, tuple(f.id for f in facts),
                    f"{fact.tissue} is {expected}")
        else:
            checker.stated.update(f.id for f in facts)


def _in_list(text: str, start: int, end: int, alternatives: str) -> bool:
    window_before = text[max(0, start - 40):start]
    window_after = text[end:end + 40]
    joined = rf"(?:{alternatives})\s*(?:,|\bor\b|\band\b|/)\s*$"
    return bool(re.search(joined, window_before, re.I) or
                re.match(rf"\s*(?:,|\bor\b|\band\b|/)\s*(?:\w+\s*)?(?:{alternatives})", window_after, re.I))


def check_patterns(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    text = checker.text
    names = r"RESCUE|SUPPRESSION|KMP_ONLY|KMP[- ]only|NS|rescue|suppression|not significant"
    for match in _PATTERN.finditer(text):
        start, end = match.span()
        said = (match.group(1) or match.group(2) or match.group(3)).upper().replace("-", "_").replace(" ", "_")
        if _skippable(checker, start, quotes) or _in_list(text, start, end, names):
            continue
        fact = _pathway_fact(checker, start, end)
        if fact is None:
            continue
        negated = _negated(text, start)
        if (fact.pattern == said) == negated:
            _report(checker, "wrong_pattern", start, end, ("not " if negated else "") + said, fact.pattern,
                    (fact.id,), f"{fact.pathway} in {fact.tissue} follows a {fact.pattern} pattern")
        else:
            checker.stated.add(fact.id)


def _pathway_fact(checker: Checker, start: int, end: int) -> Any | None:
    in_scope = [checker.lex.facts[f] for f in checker.scope_ids if f.startswith("pathway_shift:")]
    if len(in_scope) == 1 and checker.has_ids:
        return in_scope[0]
    clause = checker.doc.clause(start, end)
    pathways, _ = checker.resolve("pathway", start, end, clause)
    tissues = _tissues_for(checker, start, end)
    found = [f for f in in_scope if (not pathways or f.pathway in pathways)
             and (not tissues or f.tissue in tissues)]
    if len(found) != 1 and pathways and tissues and not checker.has_ids:
        found = [checker.lex.facts[f"pathway_shift:{t}:{p}"] for t in tissues for p in pathways
                 if f"pathway_shift:{t}:{p}" in checker.lex.facts]
    return found[0] if len(found) == 1 else None


def check_interactions(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    from curate.schemas.rules import interaction_class

    text = checker.text
    names = r"additive|synergistic|antagonistic"
    for match in _INTERACTION.finditer(text):
        start, end = match.span()
        said = match.group(1).lower()
        if _skippable(checker, start, quotes) or re.search(r"=\s*$", text[max(0, start - 4):start]):
            continue
        if _in_list(text, start, end, names):
            continue
        for tissue in sorted(_tissues_for(checker, start, end))[:1]:
            ids = [f"deg_count:{tissue}:{c}" for c in ("HU", "IR", "HU_IR")]
            facts = [checker.lex.facts[i] for i in ids if i in checker.lex.facts]
            if len(facts) != 3:
                continue
            truth = interaction_class(*(f.n_degs for f in facts))
            negated = _negated(text, start)
            if (truth == said) == negated:
                _report(checker, "wrong_interaction", start, end, ("not " if negated else "") + said, truth,
                        tuple(ids), f"HU and IR in {tissue}: the combined count makes the effect {truth}")
            else:
                checker.stated.update(ids)


def check_significance(checker: Checker, numbers: list[Num]) -> None:
    """'NES +0.931, not significant': the flag of the NES it follows."""
    nes_slots = [s for s in checker.primary if s.vtype == "nes"]
    for num in numbers:
        match = _SIGNIFICANCE.match(checker.text, num.end)
        if not match or num.vtype not in ("signed", "decimal"):
            continue
        slots = [s for s in nes_slots if abs(s.value - num.value) <= 0.5 * num.precision + 1e-9]
        if len(slots) != 1:
            continue
        fact = checker.lex.facts[slots[0].fact_ids[0]]
        side = slots[0].label("agent")
        truth = fact.stress_significant if side == "stress" else fact.kmp_significant
        said_significant = not match.group(1)
        if truth != said_significant:
            _report(checker, "wrong_significance", num.start, match.end() + num.end, match.group(0).strip(" ,"),
                    "significant" if truth else "not significant", (fact.id,),
                    f"the {side} NES of {fact.pathway} in {fact.tissue} is "
                    f"{'' if truth else 'not '}significant")


# -- directions ---------------------------------------------------------------------------------
def check_nes_directions(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    if not any(s.vtype == "nes" for s in checker.primary):
        return
    text, doc = checker.text, checker.doc
    for match in _NES_DIRECTION.finditer(text):
        start, end = match.span()
        if _skippable(checker, start, quotes):
            continue
        lo, hi = doc.sentences[doc.sentence_of(start)]
        sentence = text[lo:hi]
        if not re.search(r"pathway|gene set|\bNES\b|\bit\b", sentence, re.I) and not doc.in_range("pathway", lo, hi):
            continue
        side = _side_before(checker, lo, start)
        if side is None:
            continue
        fact = _pathway_fact(checker, start, end)
        if fact is None:
            continue
        value = fact.stress_nes if side == "stress" else fact.kmp_nes
        said_up = match.group("up") is not None
        negated = _negated(text, start)
        if ((value > 0) == said_up) != negated:
            continue
        who = "combined stress" if side == "stress" else "KMP"
        truth = "raises" if value > 0 else "lowers"
        _report(checker, "wrong_direction", start, end, ("not " if negated else "") + match.group(0), truth,
                (fact.id,), f"{who} {truth} {fact.pathway} in {fact.tissue} (NES {value:+.3f})")


def _side_before(checker: Checker, lo: int, start: int) -> str | None:
    cues = [c for c in checker.doc.cues if lo <= c.start < start and not c.negated
            and (c.dim == "agent" or (c.dim == "cond" and c.value == "HU_IR"))]
    if not cues:
        return None
    last = cues[-1]
    return "kmp" if (last.dim == "agent" and last.value == "kmp") else "stress"


def check_split_directions(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    from curate.schemas.rules import BALANCED_HIGH, BALANCED_LOW

    splits: dict[str, dict[str, float]] = {}
    for slot in checker.primary:
        if slot.vtype == "count" and slot.label("cattr") in ("up", "down"):
            splits.setdefault(slot.fact_ids[0], {})[slot.label("cattr") or ""] = slot.value
    if not splits:
        return
    text = checker.text
    for match in _SPLIT.finditer(text):
        start, end = match.span()
        if _skippable(checker, start, quotes) or _negated(text, start):
            continue
        fact_id = _split_fact(checker, splits, start, end)
        if fact_id is None:
            continue
        up, down = splits[fact_id]["up"], splits[fact_id]["down"]
        share = 100.0 * up / (up + down) if up + down else 50.0
        if match.group("balanced"):
            if not _IS_BALANCED.search(text[max(0, start - 20):start]):
                continue
            ok, truth = BALANCED_LOW <= share <= BALANCED_HIGH, f"{share:.1f}% up"
        else:
            if match.group("cmp"):
                a, b = match.group("a").lower(), match.group("b").lower()
                if a == b:
                    continue
                majority = a if match.group("cmp").lower() == "more" else b
            else:
                word = (match.group("mostly") or match.group("bias")).lower()
                majority = "up" if word in ("up", "induced") else "down"
            ok = (up > down) if majority == "up" else (down > up)
            truth = f"{int(up):,} up, {int(down):,} down"
        if not ok:
            _report(checker, "wrong_direction", start, end, match.group(0), truth, (fact_id,),
                    f"{fact_id}: {truth}")


def _split_fact(checker: Checker, splits: dict[str, dict[str, float]], start: int, end: int) -> str | None:
    if len(splits) == 1:
        return next(iter(splits))
    clause = checker.doc.clause(start, end)
    ctx = checker.context(start, end, clause, ("tissue", "cond"))
    fits = [fid for fid in splits if all(
        any(s.label(d) in values for s in checker.lex.slots_by_fact[fid]) for d, (values, _) in ctx.values.items())]
    return fits[0] if len(fits) == 1 else None


def check_number_directions(checker: Checker, numbers: list[Num]) -> None:
    """'712 more than that', 'shrinks from 4,110 to 140', 'a 96.6% drop', '18.8-fold more'."""
    text, doc = checker.text, checker.doc
    counts = [n for n in numbers if n.vtype == "int" and not n.exempt]
    for index, num in enumerate(numbers):
        word = _MORE_FEWER.match(text, num.end)
        if word and num.vtype == "int" and not num.exempt:
            _check_more_fewer(checker, num, word.group("word").lower(), [n for n in counts if n.end <= num.start])
        if num.vtype == "ratio" and num.is_result:
            said = _FOLD_WORD.match(text, num.end)
            operands = [n for n in numbers if n.expr == num.expr and not n.is_result]
            if said and len(operands) == 2:
                more = said.group(0).strip().lower() in ("more", "higher", "larger")
                if (operands[0].value > operands[1].value) != more:
                    _report(checker, "wrong_direction", num.start, num.end + said.end() - num.end + 0,
                            text[num.start:said.end()], "more" if operands[0].value > operands[1].value else "fewer",
                            (), f"{operands[0].text} / {operands[1].text} is a "
                                f"{'rise' if operands[0].value > operands[1].value else 'fall'}")
        verb = _FROM_TO.search(text, max(0, num.start - 30), num.start)
        if verb and index + 1 < len(numbers) and re.fullmatch(r"\s*(?:genes?\s+|DEGs?\s+)?to\s+",
                                                              text[num.end:numbers[index + 1].start]):
            after = numbers[index + 1]
            falls = verb.group("verb").lower().startswith(("shr", "fal", "fel", "dro", "dec"))
            if (num.value > after.value) != falls and num.value != after.value:
                _report(checker, "wrong_direction", verb.start(), after.end, text[verb.start():after.end],
                        "falls" if num.value > after.value else "rises", (),
                        f"from {num.text} to {after.text} is a {'fall' if num.value > after.value else 'rise'}")
            _check_change_word(checker, numbers, num, after)
    del doc


def _check_change_word(checker: Checker, numbers: list[Num], a: Num, b: Num) -> None:
    _lo, hi = checker.doc.sentences[checker.doc.sentence_of(a.start)]
    for num in numbers:
        if num.vtype != "percent" or not (b.end <= num.start < hi):
            continue
        word = _CHANGE_WORD.match(checker.text, num.end)
        if word:
            falls = word.group("word").lower() in ("drop", "decrease", "reduction", "fall", "decline", "loss")
            if (a.value > b.value) != falls:
                _report(checker, "wrong_direction", num.start, word.end(), checker.text[num.start:word.end()],
                        "a drop" if a.value > b.value else "an increase", (),
                        f"from {a.text} to {b.text} is a {'drop' if a.value > b.value else 'rise'}")


def _check_more_fewer(checker: Checker, num: Num, word: str, before: list[Num]) -> None:
    doc = checker.doc
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
        _report(checker, "wrong_direction", num.start, end, checker.text[num.start:end],
                f"{num.text} {'more' if more else 'fewer'}", (),
                f"{subject.text} against {reference.text} is {'more' if more else 'fewer'}")


# -- orderings ----------------------------------------------------------------------------------
def check_chains(checker: Checker) -> None:
    """'soleus (6,425) > liver (4,110) = ...': every relation between neighbours must hold."""
    text = checker.text
    relations = list(_RELATION.finditer(text))
    chains: list[list[tuple[int, int, str]]] = []  # items as (start, end, relation to the next item)
    current: list[tuple[int, int, str]] = []
    for index, rel in enumerate(relations):
        following = relations[index + 1].start() if index + 1 < len(relations) else None
        if current and current[-1][1] == rel.start():
            current[-1] = (current[-1][0], current[-1][1], rel.group(1))
        else:
            if current:
                chains.append(current)
            current = [(_item_start(text, rel.start()), rel.start(), rel.group(1))]
        current.append((rel.end(), _item_end(text, rel.end(), following), ""))
    if current:
        chains.append(current)
    for chain in chains:
        _check_chain(checker, chain)


def _item_start(text: str, pos: int) -> int:
    depth, i = 0, pos - 1
    while i >= 0:
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and (ch in ";:\n" or (ch in ",." and text[i + 1:i + 2].isspace())):
            return i + 1
        i -= 1
    return 0


def _item_end(text: str, pos: int, following: int | None) -> int:
    depth, i = 0, pos
    while i < len(text):
        if following is not None and i >= following:
            return following
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
            if depth == 0:
                return i + 1
        elif depth == 0 and (ch in ";:\n" or (ch in ",." and (i + 1 >= len(text) or text[i + 1].isspace()))):
            return i
        i += 1
    return i


def _check_chain(checker: Checker, chain: list[tuple[int, int, str]]) -> None:
    parsed_items: list[tuple[Cue, float | None, str, int, int]] = []
    for start, end, relation in chain:
        parsed = _ITEM.match(checker.text[start:end])
        if not parsed or not parsed.group("label") or len(parsed.group("label").split()) > 4:
            return
        label_start = start + parsed.start("label")
        label_end = start + parsed.end("label")
        cues = [c for c in checker.doc.cues if label_start <= c.start and c.end <= label_end and c.dim in _ENTITY_DIMS]
        if not cues:
            return
        number = None
        if parsed.group("num") is not None:
            from curate.gates.claims import _read_numbers

            nums, _ = _read_numbers(parsed.group("num"), 1.0)
            if len(nums) != 1:
                return
            number = nums[0].value
        parsed_items.append((cues[-1], number, relation, start, end))
    if any(number is None for _, number, *_ in parsed_items):
        values = _resolve_values(checker, [cue for cue, *_ in parsed_items])
        if values is None:
            return
    else:
        values = [number for _, number, *_ in parsed_items if number is not None]
    items = [(cue, value, rel, s, e) for (cue, _, rel, s, e), value in zip(parsed_items, values, strict=True)]
    for (cue_a, a, rel, _, _), (cue_b, b, _, _, _) in itertools.pairwise(items):
        ok = {">": a > b, "<": a < b, "=": abs(a - b) < 1e-9, ">=": a >= b, "≥": a >= b, "<=": a <= b,
              "≤": a <= b}[rel]
        if not ok:
            start, end = items[0][3], items[-1][4]
            ordered = " > ".join(c.value for c, *_ in sorted(items, key=lambda item: -item[1]))
            _report(checker, "wrong_order", start, end, f"{cue_a.value} {rel} {cue_b.value}", ordered, (),
                    f"{cue_a.value} ({a:g}) {rel} {cue_b.value} ({b:g}) is false")
            return


def _group(checker: Checker, dim: str, labels: set[str], start: int, end: int) -> list[Slot] | None:
    """The values a superlative or ranking compares: one fact kind, varying only in `dim`."""
    pool = [s for s in (checker.primary if checker.has_ids else
                        [s for f in checker.lex.sheet.facts for s in checker.lex.slots_by_fact[f.id]])
            if s.vtype in ("count", "lfc") and s.label("cattr") in ("total", None)]
    if not checker.has_ids:
        clause = checker.doc.clause(start, end)
        others = tuple(d for d in ("tissue", "cond", "agent", "kind", "term") if d != dim)
        ctx = checker.context(start, end, clause, others)
        ctx.values = {d: v for d, v in ctx.values.items() if d != "cattr"}
        pool = [s for s in pool if checker.compatible(s, ctx)]
        if "cond" in ctx.values and dim != "cond":
            pool = [s for s in pool if s.label("cond") is not None]
            if "agent" not in ctx.values:
                pool = [s for s in pool if s.label("kind") != "kmp"]
    named = [s for s in pool if s.label(dim) in labels]
    kinds = {s.label("kind") for s in named}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    group = [s for s in pool if s.label("kind") == kind and s.label(dim) is not None]
    fixed = [d for d in ("tissue", "cond", "term", "gene", "pathway") if d != dim]
    for d in fixed:
        values = {s.label(d) for s in named}
        if len(values) == 1:
            group = [s for s in group if s.label(d) in values]
    if {s.label(dim) for s in group} < labels or len(group) < 2:
        return None
    if len({s.label(dim) for s in group}) != len(group):
        return None
    return group


def _resolve_values(checker: Checker, cues: list) -> list[float] | None:
    dims = {c.dim for c in cues}
    if len(dims) != 1:
        return None
    dim = dims.pop()
    group = _group(checker, dim, {c.value for c in cues}, cues[0].start, cues[-1].end)
    if group is None:
        return None
    by_label = {s.label(dim): s.value for s in group}
    return [by_label[c.value] for c in cues]


def check_superlatives(checker: Checker, quotes: list[tuple[int, int]]) -> None:
    text = checker.text
    for match in _SUPERLATIVE.finditer(text):
        start = match.start()
        if _skippable(checker, start, quotes):
            continue
        cues = _labels_before(checker, start)
        if not cues:
            continue
        dim = cues[0].dim
        labels = {c.value for c in cues}
        group = _group(checker, dim, labels, cues[0].start, match.end())
        if group is None:
            continue
        word = next(w for w in match.groups() if w).lower()
        top = word in _TOP
        extreme = max(s.value for s in group) if top else min(s.value for s in group)
        negated = _negated(text, cues[0].start) or bool(re.search(r"\bnot\b", text[cues[-1].end:match.end()], re.I))
        values = {s.label(dim) or "": s.value for s in group}
        is_extreme = all(abs(values[label] - extreme) < 1e-9 for label in labels)
        if is_extreme == negated:
            winners = sorted(label for label, value in values.items() if abs(value - extreme) < 1e-9)
            _report(checker, "wrong_superlative", cues[0].start, match.end(), text[cues[0].start:match.end()],
                    f"{' and '.join(winners)} {'ranks first' if top else 'has the least'}",
                    tuple(sorted({f for s in group for f in s.fact_ids})),
                    f"{'highest' if top else 'lowest'} is {', '.join(winners)} ({extreme:g})")
        else:
            checker.stated.update(f for s in group if s.label(dim) in labels for f in s.fact_ids)


def _labels_before(checker: Checker, pos: int) -> list:
    cues = [c for c in checker.doc.cues if c.end <= pos and c.dim in _ENTITY_DIMS and not c.negated]
    picked: list = []
    cursor = pos
    for cue in reversed(cues):
        if cue.end > cursor:
            continue
        if not _LABEL_GAP.fullmatch(checker.text[cue.end:cursor]):
            break
        if picked and cue.dim != picked[0].dim:
            break
        picked.insert(0, cue)
        cursor = cue.start
    return picked
