"""Values a careful answer may compute from the facts: sums, differences, ratios, shares, NES shifts.

With the facts of an example known, every value derivable from them is a slot; without them (external
data), values within each tissue and, for one contrast, across tissues.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from curate.judge.lexicon import Lexicon, Slot

if TYPE_CHECKING:
    from curate.judge.linking import Reader
    from curate.judge.numbers import Num


def derived_slots(lex: Lexicon, fact_ids: tuple[str, ...]) -> list[Slot]:
    """Values a careful answer may compute from these facts: sums, differences, ratios, shares, shifts."""
    key = tuple(sorted(set(fact_ids)))
    cached = lex._derived_cache.get(key)
    if cached is not None:
        return cached
    made = _derive(lex.slots(key))
    if len(lex._derived_cache) > 50_000:
        lex._derived_cache.clear()
    lex._derived_cache[key] = made
    return made


def _derive(primary: list[Slot]) -> list[Slot]:
    made: list[Slot] = []
    totals = [s for s in primary if s.vtype == "count" and s.label("cattr") == "total"]
    by_fact: dict[str, dict[str | None, Slot]] = {}
    for slot in primary:
        if slot.vtype == "count":
            by_fact.setdefault(slot.fact_ids[0], {})[slot.label("cattr")] = slot
    for parts in by_fact.values():
        total, up, down = parts.get("total"), parts.get("up"), parts.get("down")
        if total and up and down and total.value:
            fid = total.fact_ids
            made.append(Slot(100.0 * up.value / total.value, "percent", fid, (("cattr", "up"),), "share_up"))
            made.append(Slot(100.0 * down.value / total.value, "percent", fid, (("cattr", "down"),), "share_down"))
            if down.value:
                made.append(Slot(up.value / down.value, "ratio", fid, (), "up_to_down"))
            if up.value:
                made.append(Slot(down.value / up.value, "ratio", fid, (), "down_to_up"))
    for a in totals:
        for b in totals:
            if a is b:
                continue
            ids = a.fact_ids + b.fact_ids
            if b.value:
                made.append(Slot(a.value / b.value, "ratio", ids, (), "ratio"))
                made.append(Slot(100.0 * abs(a.value - b.value) / b.value, "percent", ids, (), "change"))
                made.append(Slot(100.0 * a.value / b.value, "percent", ids, (), "percent_of"))
            if a.fact_ids < b.fact_ids:
                made.append(Slot(a.value + b.value, "count", ids, (), "sum"))
                made.append(Slot(abs(a.value - b.value), "count", ids, (), "difference"))
    if 3 <= len(totals) <= 8:  # the whole group: "Total: 6,850 DEGs", "about 80% of the total"
        whole = sum(s.value for s in totals)
        ids = tuple(f for s in totals for f in s.fact_ids)
        made.append(Slot(whole, "count", ids, (), "sum"))
        if whole:
            made += [Slot(100.0 * s.value / whole, "percent", ids, (), "share_of_sum") for s in totals]
    if 3 <= len(totals) <= 6:
        for i, a in enumerate(totals):
            for b in totals[i + 1:]:
                pair = a.value + b.value
                for c in totals:
                    if c is a or c is b:
                        continue
                    ids = a.fact_ids + b.fact_ids + c.fact_ids
                    if pair:
                        made.append(Slot(c.value / pair, "ratio", ids, (), "ratio_to_sum"))
                    made.append(Slot(abs(c.value - pair), "count", ids, (), "difference_from_sum"))
    nes: dict[str, dict[str | None, Slot]] = {}
    for slot in primary:
        if slot.vtype == "nes":
            nes.setdefault(slot.fact_ids[0], {})[slot.label("agent")] = slot
    for pathway_id, sides in nes.items():
        if "stress" in sides and "kmp" in sides:
            shift = sides["kmp"].value - sides["stress"].value
            made.append(Slot(round(shift, 6), "shift", (pathway_id,), (), "nes_shift"))
            made.append(Slot(round(-shift, 6), "shift", (pathway_id,), (), "nes_shift"))
    lfcs = [s for s in primary if s.vtype == "lfc"]
    for a in lfcs:
        for b in lfcs:
            if a is not b and b.value:
                made.append(Slot(a.value / b.value, "ratio", a.fact_ids + b.fact_ids, (), "ratio"))
    return made


def structural_derived(lex: Lexicon, fact_ids: tuple[str, ...]) -> list[Slot]:
    """Without fact ids: derived values within each tissue, and across tissues for one contrast."""
    cached = lex._structural_cache.get(fact_ids)
    if cached is None:
        cached = lex._structural_cache[fact_ids] = _structural(lex, fact_ids)
    return cached


def _structural(lex: Lexicon, fact_ids: tuple[str, ...]) -> list[Slot]:
    groups: dict[tuple[str, str], list[str]] = {}
    facts = lex.facts
    for fid in fact_ids:
        fact = facts[fid]
        groups.setdefault(("tissue", fact.tissue), []).append(fid)  # type: ignore[attr-defined]
        key = getattr(fact, "contrast", None) or getattr(fact, "condition", None) or getattr(fact, "term", None)
        if key:
            groups.setdefault((fact.kind, str(key)), []).append(fid)  # type: ignore[attr-defined]
    made: list[Slot] = []
    for (scope, _), ids in groups.items():
        if scope == "tissue":
            for kind in ("deg_count", "kmp_effect", "interaction", "hub_gene", "pathway_shift"):
                members = tuple(i for i in ids if facts[i].kind == kind)  # type: ignore[attr-defined]
                if members:
                    made += derived_slots(lex, members)
            mixed = tuple(i for i in ids if facts[i].kind in ("deg_count", "kmp_effect"))  # type: ignore[attr-defined]
            if len(mixed) <= 6:
                made += derived_slots(lex, mixed)
        elif len(ids) <= 8:  # across tissues: a handful of tissues, not a sheet of hundreds
            made += derived_slots(lex, tuple(ids))
    return made


# The words that say a number is derived ("5,383 expected", "about 13 times", "a total of", "(6,425 of 12,255)").
_DERIVATION = {
    "sum": re.compile(r"\bsum|\btotal|together|combined|\badd(?:ed|ing|s)?\b|expect|in all\b|altogether|across|"
                      r"summed|\bplus\b|\+|\bboth\b|\ball\b", re.I),
    "difference": re.compile(r"differen|\bmore\b|\bfewer\b|\bless\b|\bgap\b|minus|\bthan\b|apart|exceed|"
                             r"\bby(?=\s+(?:about\s+|around\s+|roughly\s+|some\s+|~|≈)?[\d+−-])|"
                             r"\brise|\bincrease|\bdrop|\bjump|extra|additional|\badds?\b|on top|[−+]",
                             re.I),
    "ratio": re.compile(r"ratio|times|-fold|\bfold\b(?!\s*change)|[×/÷]|\bx\b|double|triple|as many|relative|"
                        r"\bover\b|\bper\b|\bvs\b|"
                        r"versus|against|expect|observed|\bsum\b|singles", re.I),
    "nes_shift": re.compile(r"shift|swing|chang|differen|units|delta|Δ|\bfrom\b|→|gap|distance", re.I),
}
_DERIVATION["difference_from_sum"] = _DERIVATION["difference"]
_DERIVATION["ratio_to_sum"] = _DERIVATION["up_to_down"] = _DERIVATION["down_to_up"] = _DERIVATION["ratio"]
_WHOLE = re.compile(r"\b(?:of|out of)\s+(?:the\s+|all\s+)?$", re.I)


def derivation_said(reader: Reader, num: Num, slot: Slot) -> bool:
    """A value derived from facts counts only where the words say it was derived: a wrong count that happens to
    equal some sum of other facts is still wrong. Percentages are derived by nature."""
    words = _DERIVATION.get(slot.derived)
    if words is None or num.vtype in ("percent", "ratio") or num.is_result or num.expr >= 0:
        return True
    lo, hi = reader.doc.sentences[reader.doc.sentence_of(num.start)]
    if slot.derived == "sum" and _WHOLE.search(reader.text, max(0, num.start - 16), num.start):
        return True
    return bool(words.search(reader.text, lo, hi))
