"""What a text is about: the tissues, contrasts, terms, pathways and genes it names, read against a fact sheet.

A `Lexicon` is built once per fact sheet. It turns each fact into *slots* (one per value the fact
holds: a DEG count, its up and down split, the two NES of a pathway...) labelled with the words that
point at it, and scans text for those words (*cues*). The claim check binds every number in an
answer to the slots its cues allow; the duplicate gate uses the same cues to tell two questions that
differ only in their subject ("... under HU in liver" vs "... under IR in liver") from true copies.
Values derived from several facts (sums, ratios, shares) are made in `curate.judge.derived`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from curate.schemas import FactSheet

# Dimensions a cue or slot can have. `cattr` tells a total count from its up and down parts.
DIMS = ("tissue", "kind", "cond", "agent", "term", "pathway", "gene", "cattr")


class Cue(NamedTuple):
    start: int
    end: int
    dim: str
    value: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    """One checkable value: a fact's own value, or one derived from facts (a sum, a ratio, a share)."""

    value: float
    vtype: str  # count | nes | lfc | ratio | percent | shift
    fact_ids: tuple[str, ...]
    labels: tuple[tuple[str, str], ...] = ()  # (dim, value) pairs; a dim not listed does not apply
    derived: str = ""  # the operation, e.g. "sum", "ratio", "share_up"; empty for a fact's own value
    by_dim: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_dim", dict(self.labels))

    def label(self, dim: str) -> str | None:
        return self.by_dim.get(dim)


# Fixed vocabulary: regex, then the (dim, value) pairs a match means. Order matters where two
# patterns start at the same place: the first listed wins, so longer phrases come first.
_CS = "(?-i:{})"  # case-sensitive part of an otherwise case-insensitive pattern
_HU_WORDS = r"(?:hind[- ]?limb unloading|unloading|unloaded|(?:simulated )?microgravity|disuse|(?-i:HU))"
_IR_WORDS = r"(?:(?:space |ionizing |ionising |gamma )?radiation|irradiation|irradiated|(?-i:IR))"
_VOCAB: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    (_CS.format(r"HU\s*(?:×|x|\*|_x_|-by-)\s*IR"), (("term", "HU_x_IR"), ("kind", "interaction"))),
    (_CS.format(r"KMP\s*(?:×|x|\*|_x_|-by-)\s*HU"), (("term", "KMP_x_HU"), ("kind", "interaction"))),
    (_CS.format(r"KMP\s*(?:×|x|\*|_x_|-by-)\s*IR"), (("term", "KMP_x_IR"), ("kind", "interaction"))),
    (_CS.format(r"KMP_ONLY") + r"|KMP[- ]only", ()),  # a pattern name, not the drug
    (_CS.format(r"KMP") + r"(?: 2x2x2)? (?:study|experiment|dataset|data set|data)", ()),  # the study's name
    (_CS.format(r"HU\s*(?:\+|/|_|&)\s*IR"), (("cond", "HU_IR"),)),
    (r"combined(?:\s+(?:HU\s*\+\s*IR|stress(?:ors)?|exposure|unloading(?:[- ]plus[- ]|\s+and\s+)radiation))?",
     (("cond", "HU_IR"),)),
    (r"unloading[- ]plus[- ]radiation|unloaded[- ]and[- ]irradiated|unloaded,\s+irradiated|both stressors",
     (("cond", "HU_IR"),)),
    (r"stress response|stressor effects?", (("agent", "stress"), ("cond", "HU_IR"))),
    (r"stress(?![-\w])", (("cond", "HU_IR"),)),
    (r"hind[- ]?limb unloading|unloading|unloaded|simulated microgravity|" + _CS.format(r"HU"), (("cond", "HU"),)),
    (r"ioni[sz]ing radiation|irradiation|irradiated|radiation|" + _CS.format(r"IR"), (("cond", "IR"),)),
    (r"baseline(?!-active)|no stressor|unstressed|non-stressed", (("cond", "baseline"),)),
    (_CS.format(r"KMP") + r"|kaempferol(?:-treated)?", (("agent", "kmp"),)),
    (r"against (?:vehicle )?controls?|(?:vs\.?|versus|compared with) (?:vehicle )?controls?|vehicle-treated",
     (("agent", "stress"),)),
    (_CS.format(r"NES") + r"|normali[sz]ed enrichment scores?|enrichment scores?", (("kind", "pathway"),)),
    (r"\|?log2 ?fold ?changes?|\|?log2 ?FC\|?|hub genes?", (("kind", "hub"),)),
    (r"interactions?(?: terms?)?|terms?", (("kind", "interaction"),)),
    (r"(?<!-)(?<!added )(?<!add )(?<!adds )(?:up-?regulated|up(?!-)|induced)", (("cattr", "up"),)),
    (r"(?<!-)(?<!breaking that )(?<!break that )(?<!breaking it )(?<!broken )(?<!narrow )(?<!write )(?<!pin )"
     r"(?:down-?regulated|down|repressed)", (("cattr", "down"),)),
]

# The combined condition written out ("combined simulated microgravity and space radiation", "unloading plus
# irradiation", "with radiation added"): a second, rarer pass, so that the common scan stays fast.
_COMBINED = re.compile(
    rf"(?<![\w])(?:combined\s+{_HU_WORDS}\s+(?:and|plus|\+|with)\s+{_IR_WORDS}|"
    rf"{_HU_WORDS}\s*(?:and|plus|\+|with|-plus-)\s*{_IR_WORDS}\s+(?:combined|together)|"
    rf"both\s+{_HU_WORDS}\s+(?:and|plus)\s+{_IR_WORDS}|dual[- ]stressors?|double[- ]stress|combined insult|"
    rf"the combination|(?:with|after|plus) (?:{_IR_WORDS}|{_HU_WORDS}) added|"
    rf"(?:{_IR_WORDS}|{_HU_WORDS}) (?:is|are|was|were|gets?) added|combined with (?:{_IR_WORDS}|{_HU_WORDS})|"
    rf"{_HU_WORDS}\s*(?:\+|plus)\s*{_IR_WORDS}(?!\s+(?:separately|alone|individually|added|summed)))(?![\w])", re.I)
_COMBINED_WORDS = ("combined with", "combined hind", "combined unload", "combined simul", "combined micro",
                   "combined disuse", "combined insult", "combination", "plus", "both", "dual", "double", "added",
                   "adding", "together", "+ rad", "+ irr", "+ ir")

# Other names of the sheet's tissues. The soleus is the only skeletal muscle sequenced, so "skeletal muscle" can only
# mean it; a bare "muscle" could be the heart's, and "the brain" is an organ of which one region was sequenced.
_ALIASES = {"heart": ("cardiac",), "liver": ("hepatic",), "hippocampus": ("hippocampal",)}
_TISSUE_PHRASES = {"soleus": (("skeletal", r"skeletal[- ]muscles?"),
                              ("slow", r"slow[- ]twitch(?:[- ](?:muscles?|fib(?:re|er)s?))?"),
                              ("calf", r"calf muscles?"), ("postural", r"postural muscles?"))}
_PATHWAY_SHORT = {"OXIDATIVE_PHOSPHORYLATION": ("OXPHOS",), "MTORC1_SIGNALING": ("mTORC1", "mTOR")}
# Other ways to write a pathway: (the lower-case word that starts it, a regex for the whole name).
_PATHWAY_ALIASES = {
    "INTERFERON_GAMMA_RESPONSE": (("ifn", r"IFN[- ]?(?:γ|gamma|g)(?: response)?"),
                                  ("interferon", r"interferon[- ](?:γ|gamma)(?: response)?")),
    "INTERFERON_ALPHA_RESPONSE": (("ifn", r"IFN[- ]?(?:α|alpha|a)(?: response)?"),
                                  ("interferon", r"interferon[- ](?:α|alpha)(?: response)?")),
    "FATTY_ACID_METABOLISM": (("fatty", r"fatty[- ]acids?(?: metabolism| oxidation)?"),),
    "OXIDATIVE_PHOSPHORYLATION": (("oxidative", r"oxidative phosphorylation"),),
}
_WORD = re.compile(r"[A-Za-z][\w-]*")
_NEGATION = re.compile(r"(?:\bwithout|\bnot|\bno|\bnon-?|\bexcept|\bneither|\bnor)\s*(?:the\s+|any\s+)?$", re.I)

# Words that name *what* a question is about although the fact sheet does not know them: organs,
# other drugs. Two prompts that differ in one of these ask different questions.
DOMAIN_WORDS = frozenset((
    "kidney", "kidneys", "lung", "lungs", "spleen", "retina", "marrow", "bone", "brain", "muscle", "skin",
    "blood", "plasma", "serum", "eye", "eyes", "heart", "liver", "soleus", "hippocampus", "cortex", "gut",
    "intestine", "colon", "thymus", "adrenal", "pancreas", "testis", "ovary", "quercetin", "metformin",
    "resveratrol", "rapamycin", "placebo", "nac", "melatonin", "male", "female", "males", "females",
    "protein", "proteins", "rna", "mrna",
))


@dataclass
class Lexicon:
    """A fact sheet seen as slots and cue words. Build it with `lexicon(sheet)`, which caches."""

    sheet: FactSheet
    pattern: re.Pattern[str]
    payloads: dict[str, tuple[tuple[str, str], ...]]
    slots_by_fact: dict[str, list[Slot]]
    facts: dict[str, Any]
    tissues: frozenset[str]
    entity_words: frozenset[str] = field(default_factory=frozenset)
    names_exact: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    names_folded: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[re.Pattern[str], tuple[tuple[str, str], ...]]]] = field(default_factory=dict)
    name_keys: frozenset[str] = field(default_factory=frozenset)
    facts_by_tissue: dict[str, tuple[str, ...]] = field(default_factory=dict)
    all_fact_ids: tuple[str, ...] = ()
    _scans: dict[str, list[Cue]] = field(default_factory=dict)
    _structural_cache: dict[tuple[str, ...], list[Slot]] = field(default_factory=dict)
    _derived_cache: dict[tuple[str, ...], list[Slot]] = field(default_factory=dict)

    def scan(self, text: str) -> list[Cue]:
        """Every cue in `text`, in order. A match can carry several (dim, value) pairs."""
        cached = self._scans.get(text)
        if cached is not None:
            return cached
        found: list[tuple[int, int, tuple[tuple[str, str], ...]]] = [
            (m.start(), m.end(), self.payloads[m.lastgroup or ""]) for m in self.pattern.finditer(text)]
        lower = text.lower()
        if any(word in lower for word in _COMBINED_WORDS):
            found = _with_combined(text, found)
        tokens = set(_WORD.findall(lower))
        hits = tokens & self.name_keys
        heads = {t.split("-", 1)[0] for t in tokens if "-" in t} & self.name_keys
        if hits or heads:
            taken = [(a, b) for a, b, _ in found]
            for key in hits | heads:
                for start, end, pairs in self._names_at(text, lower, key, key in hits, key in heads):
                    if not any(a < end and start < b for a, b in taken):
                        found.append((start, end, pairs))
            found.sort(key=lambda item: item[0])
        cues: list[Cue] = []
        for start, end, pairs in found:
            if pairs:
                window = lower[max(0, start - 16):start]
                negated = ("no" in window or "without" in window or "except" in window or "neither" in window) and \
                    bool(_NEGATION.search(text, max(0, start - 16), start))
                cues.extend([Cue(start, end, dim, value, negated) for dim, value in pairs])
        if len(self._scans) > 200_000:
            self._scans.clear()
        self._scans[text] = cues
        return cues

    def _names_at(self, text: str, lower: str, key: str, whole: bool,
                  head: bool) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
        """Where `key` starts a word of `text` (a whole word, or the head of a hyphenated one)."""
        made = []
        size, pos = len(key), lower.find(key)
        while pos >= 0:
            end = pos + size
            before = lower[pos - 1] if pos else " "
            after = lower[end] if end < len(lower) else " "
            if not (before.isalnum() or before in "_-"):
                is_whole = whole and not (after.isalnum() or after in "_-")
                if is_whole or (head and after == "-") or key in self.phrases:
                    hit = self._name(text, pos, end, key)
                    if hit is not None:
                        made.append((pos, hit[0], hit[1]))
            pos = lower.find(key, pos + 1)
        return made

    def _name(self, text: str, start: int, end: int, key: str) -> tuple[int, tuple[tuple[str, str], ...]] | None:
        """A tissue, gene or pathway named at text[start:end]: (end, payload)."""
        exact = self.names_exact.get(text[start:end])
        if exact is not None:
            return end, exact
        folded = self.names_folded.get(key)
        if folded is not None:
            return end, folded
        for phrase, pairs in self.phrases.get(key, ()):
            long = phrase.match(text, start)
            if long:
                return long.end(), pairs
        return None

    def slots(self, fact_ids: tuple[str, ...]) -> list[Slot]:
        return [slot for fact_id in fact_ids for slot in self.slots_by_fact.get(fact_id, ())]


def _with_combined(text: str, found: list[tuple[int, int, tuple[tuple[str, str], ...]]]) -> list[
        tuple[int, int, tuple[tuple[str, str], ...]]]:
    """Replace the cues a written-out combined condition covers with one HU_IR cue."""
    spans = [m.span() for m in _COMBINED.finditer(text)]
    if not spans:
        return found
    kept = [f for f in found if not any(a <= f[0] < b for a, b in spans)]
    combined: list[tuple[int, int, tuple[tuple[str, str], ...]]] = [(a, b, (("cond", "HU_IR"),)) for a, b in spans]
    return sorted(kept + combined, key=lambda item: item[0])


_CACHE: dict[int, tuple[FactSheet, Lexicon]] = {}


def lexicon(sheet: FactSheet) -> Lexicon:
    cached = _CACHE.get(id(sheet))
    if cached is not None and cached[0] is sheet:
        return cached[1]
    built = _build(sheet)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(sheet)] = (sheet, built)
    return built


def _build(sheet: FactSheet) -> Lexicon:
    exact: dict[str, tuple[tuple[str, str], ...]] = {}
    folded: dict[str, tuple[tuple[str, str], ...]] = {}
    phrases: dict[str, list[tuple[re.Pattern[str], tuple[tuple[str, str], ...]]]] = {}
    for tissue in sheet.tissues:
        for name in (tissue, *_ALIASES.get(tissue, ())):
            folded[name.lower()] = (("tissue", tissue),)
            if " " in name or "_" in name:
                folded[name.lower().replace("_", "-")] = (("tissue", tissue),)
        for key, alias in _TISSUE_PHRASES.get(tissue, ()):
            phrases.setdefault(key, []).append((re.compile(alias + r"(?!\w)", re.I), (("tissue", tissue),)))
    pathways = sorted({f.pathway for f in sheet.facts if f.kind == "pathway_shift"})
    for pathway in pathways:
        pairs = (("pathway", pathway), ("kind", "pathway"))
        exact[pathway] = exact[f"HALLMARK_{pathway}"] = pairs
        for short in _PATHWAY_SHORT.get(pathway, ()):
            exact[short] = pairs
        words = pathway.lower().split("_")
        spaced = r"[ _-]".join(re.escape(w).replace("signaling", "signall?ing") for w in words)
        phrases.setdefault(words[0], []).append((re.compile(spaced + r"(?!\w)", re.I), pairs))
        for key, alias in _PATHWAY_ALIASES.get(pathway, ()):
            phrases.setdefault(key, []).append((re.compile(alias + r"(?!\w)", re.I), pairs))
    genes = sorted({f.gene for f in sheet.facts if f.kind == "hub_gene"})
    for gene in genes:
        exact[gene] = (("gene", gene), ("kind", "hub"))
    for options in phrases.values():
        options.sort(key=lambda item: -len(item[0].pattern))
    payloads = {f"g{i}": pairs for i, (_, pairs) in enumerate(_VOCAB)}
    alternation = "|".join(f"(?P<g{i}>{regex})" for i, (regex, _) in enumerate(_VOCAB))
    pattern = re.compile(rf"(?=[A-Za-z|])(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)
    slots_by_fact = {fact.id: _fact_slots(fact) for fact in sheet.facts}
    entity_words = {t.lower() for t in sheet.tissues} | {p.lower() for p in pathways} | {g.lower() for g in genes}
    return Lexicon(
        sheet=sheet,
        pattern=pattern,
        payloads=payloads,
        slots_by_fact=slots_by_fact,
        facts=sheet.by_id(),
        tissues=frozenset(sheet.tissues),
        entity_words=frozenset(entity_words | DOMAIN_WORDS | {"hu", "ir", "kmp", "baseline"}),
        names_exact=exact,
        names_folded=folded,
        phrases=phrases,
        name_keys=frozenset(folded) | frozenset(phrases) | frozenset(name.lower() for name in exact),
        facts_by_tissue=_by_tissue(sheet),
        all_fact_ids=tuple(f.id for f in sheet.facts),
    )


def _by_tissue(sheet: FactSheet) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for fact in sheet.facts:
        grouped.setdefault(fact.tissue, []).append(fact.id)
    return {tissue: tuple(ids) for tissue, ids in grouped.items()}


def _fact_slots(fact: Any) -> list[Slot]:
    fid, where = fact.id, ("tissue", fact.tissue)
    labels: tuple[tuple[str, str], ...]
    if fact.kind == "deg_count":
        labels = (where, ("kind", "deg"), ("cond", fact.contrast), ("agent", "stress"))
        made = [Slot(fact.n_degs, "count", (fid,), (*labels, ("cattr", "total")))]
        if fact.n_up is not None:
            made.append(Slot(fact.n_up, "count", (fid,), (*labels, ("cattr", "up"))))
            made.append(Slot(fact.n_down, "count", (fid,), (*labels, ("cattr", "down"))))
        return made
    if fact.kind == "kmp_effect":
        labels = (where, ("kind", "kmp"), ("cond", fact.condition), ("agent", "kmp"), ("cattr", "total"))
        return [Slot(fact.n_degs, "count", (fid,), labels)]
    if fact.kind == "interaction":
        labels = (where, ("kind", "interaction"), ("term", fact.term), ("cattr", "total"))
        return [Slot(fact.n_degs, "count", (fid,), labels)]
    if fact.kind == "pathway_shift":
        labels = (where, ("kind", "pathway"), ("pathway", fact.pathway))
        return [
            Slot(fact.stress_nes, "nes", (fid,), (*labels, ("cond", "HU_IR"), ("agent", "stress"))),
            Slot(fact.kmp_nes, "nes", (fid,), (*labels, ("agent", "kmp"))),
        ]
    if fact.kind == "hub_gene":
        return [Slot(fact.mean_abs_log2fc, "lfc", (fid,), (where, ("kind", "hub"), ("gene", fact.gene)))]
    return []  # tissue_class: a category, checked by the category rules
