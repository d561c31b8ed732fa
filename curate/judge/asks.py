"""What a question asks: its main clause, the facts of the sheet it is about, and the kind of answer it wants.

A question arrives as people write it: an SFT wrapper ("### Instruction:"), a persona ("You are a space
biologist."), a concession ("I know a mouse study can't prove anything, but ..."), an aside ("Human
relevance aside, ..."). `ask_text` strips what does not ask anything, so that the answerability model
judges what is asked, not what is mentioned in passing. `read_ask` then names the facts the question asks
about, in the sheet's own vocabulary (tissues, contrasts, KMP conditions, interaction terms, pathways, hub
genes), and the kind of answer it wants (a count, a class, a pattern, a direction, an interaction class,
one entity picked by a superlative). Standard library and curate.schemas only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curate.schemas import Fact, FactSheet

# -- the main clause ---------------------------------------------------------------------------------
_WRAPPER = re.compile(r"###\s*(?:Response|Output|Answer)\s*:?\s*$", re.I)
_INSTRUCTION = re.compile(r"###\s*(?:Instruction|Question|Input|Context)\s*:?", re.I)
_QA_PREFIX = re.compile(r"^\s*(?:Q|Question|User|Human|Prompt)\s*:\s*", re.I)
_PERSONA = re.compile(r"^\s*(?:you are|you're|act as|pretend you are|imagine you are)\b[^.?!]*[.!]\s*", re.I)
# Frames that mention something without asking about it. Each is deleted before the question is read.
IN_PASSING = (
    r"\b(?:[\w'’-]+\s+){0,3}[\w'’-]+\s+aside\b[,:]?",  # "Human relevance aside,", "Quercetin aside,"
    r"\b(?:setting|leaving|putting) aside\b[^,?]*,",
    r"\baside from\b[^,?]*,",
    r"^\s*for\s[^,?]{0,80}?(?:purposes?|sake|relevant|relevance|interest)\b[^,?]*,",
    r"\b[\w-]+-wise\b,?",
    r"\b[\w-]+-relevant\b",
    r"\b(?:meant|intended|designed) to inform\b[^,?]*",
    r"^.*?\bnever mind\b\s*[—–-]*",
    r"^[^?]*?\bI (?:know|realise|realize|understand|get that|appreciate|accept)\b[^?]*?(?:\bbut\b|\bso\b(?: just)?"
    r"(?: tell me)?\s*[:,]?)",
    r"\b(?:a|the|my|our) [\w' ]{0,30}\basks?(?: you)?\s*:",
    r"^\s*answer (?:the|this|my|their|his|her) [\w'’ ]{0,30}question\s*:",
    r"\bwithout overclaiming\b,?",
    r"\bwithout (?:speculating|extrapolating|getting into|going into)\b[^,?]*,",
    r"^\s*ignoring\b[^,?]*,",
    r"^[^?]*?\b(?:not asking|I'?m not asking|this isn'?t|this is not|no need to)\b[^?]*?(?:—|–|\s-\s|:|,?\s+but\b)",
    r"\b(?:at|with) (?:the|this|its) (?:single |one |same )?dose (?:used|tested|given)\b",
    r"\b(?:in|from) (?:this|the) (?:mouse |murine )?(?:study|experiment|data(?:set)?)\b",
)
_IN_PASSING = [re.compile(p, re.I) for p in IN_PASSING]
_IMPERATIVE = re.compile(
    r"^\s*(?:explain|describe|list|name|give|rank|state|summari[sz]e|identify|classify|compare|tell|show|report|"
    r"provide|write|outline|define|count|say)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9*#(])|\n+")
_REFERS_BACK = re.compile(r"\b(?:that|this|it|he|she|they|this claim|that claim|the claim|true|right|correct)\b", re.I)


def ask_text(question: str) -> str:
    """The part of `question` that asks something, with wrappers, personas and in-passing frames removed."""
    text = _WRAPPER.sub("", question.strip())
    text = _INSTRUCTION.sub("\n", text)
    text = _QA_PREFIX.sub("", text.strip())
    while (persona := _PERSONA.match(text)) is not None:
        text = text[persona.end():]
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    if not sentences:
        return ""
    main = _main_sentences(sentences)
    for pattern in _IN_PASSING:
        main = pattern.sub(" ", main)
    return re.sub(r"\s+", " ", main).strip(" ,;:—–-")


def _main_sentences(sentences: list[str]) -> str:
    """The asking sentences; statements before them are context, kept only when the ask refers back to them."""
    asking = [i for i, s in enumerate(sentences) if "?" in s or _IMPERATIVE.match(s)]
    if not asking:
        return " ".join(sentences)
    first = asking[0]
    ask = " ".join(sentences[first:])
    context = " ".join(sentences[:first])
    if context and _REFERS_BACK.search(ask) and len(ask.split()) <= 12:
        return f"{context} {ask}"
    return ask


# -- the asking clause and its frames --------------------------------------------------------------------
_CORE_BREAK = re.compile(r"\s*(?:,?\s*but for now\b:?|:|;|—|–|\s-\s|,\s*but\b|,)\s*", re.I)
_ASKING = re.compile(r"^(?:so\s+|then\s+|now\s+|just\s+|please\s+)?(?:what|what's|which|how|is|are|does|do|did|"
                     r"was|were|can|could|will|would|where|rank|list|name|give|tell|explain|describe|compare|state)\b",
                     re.I)


def split_core(text: str) -> tuple[list[str], str]:
    """The clauses that frame a question ("For a clinician's summary:", "In these mice,") and the clause that
    asks it (the last one that opens with a question word). No frames when the question is one clause."""
    parts = [p for p in _CORE_BREAK.split(text) if p and p.strip()]
    for i in range(len(parts) - 1, 0, -1):
        if _ASKING.match(parts[i].strip()):
            return parts[:i], " ".join(parts[i:])
    return [], text


# -- the sheet's vocabulary -----------------------------------------------------------------------------
TISSUE_WORDS = {
    "heart": r"hearts?|cardiac|myocardi\w*",
    "liver": r"livers?|hepatic",
    "hippocampus": r"hippocamp\w*",
    "soleus": r"soleus|skeletal muscle|(?<!heart )muscles?",
}
CONTRAST_WORDS = (  # most specific first; a span is read once. HU and IR are case-sensitive abbreviations.
    ("KMP_x_HU", r"KMP\s*(?:_x_|x|×|\*|by)\s*(?-i:HU)|interact\w* (?:between|of) (?:KMP|kaempferol) and "
                 r"(?:(?-i:HU)|(?:hindlimb )?unloading)"),
    ("KMP_x_IR", r"KMP\s*(?:_x_|x|×|\*|by)\s*(?-i:IR)|interact\w* (?:between|of) (?:KMP|kaempferol) and "
                 r"(?:(?-i:IR)|(?:ionizing )?radiation|irradiation)"),
    ("HU_x_IR", r"(?-i:HU)\s*(?:_x_|x|×|\*|by)\s*(?-i:IR)"),
    ("HU_IR", r"(?-i:HU)\s*(?:_|\+|/|and|plus|&)\s*(?-i:IR)|combined|combination|both stressors|dual[- ]stress\w*|"
              r"(?:unloading|unloaded) (?:and|plus|with|\+) (?:ir)?radiat\w*|"
              r"(?:ir)?radiat\w* (?:and|plus|\+) unloading|unloaded,? irradiated|stressed"),
    ("HU", r"(?-i:HU)|hindlimb[- ]unloading|unloading|unloaded|simulated microgravity|microgravity|disuse"),
    ("IR", r"(?-i:IR)|ionizing radiation|radiation|irradiat\w*"),
    ("baseline", r"baseline|unstressed|no stress\w*|(?:KMP|kaempferol) alone|normal conditions|control conditions"),
)
PATHWAY_ALIASES = {
    "OXIDATIVE_PHOSPHORYLATION": r"OXPHOS|oxidative phosphorylation",
    "FATTY_ACID_METABOLISM": r"fatty[- ]acid(?: metabolism)?",
    "ADIPOGENESIS": r"adipogenesis",
    "MTORC1_SIGNALING": r"mTORC1(?: signall?ing)?",
    "INTERFERON_ALPHA_RESPONSE": r"interferon[- ]alpha|IFN[- ]?(?:alpha|α)",
    "INTERFERON_GAMMA_RESPONSE": r"interferon[- ]gamma|IFN[- ]?(?:gamma|γ)",
}


@dataclass(frozen=True)
class Vocabulary:
    """Words of one fact sheet, compiled: tissues, contrasts, pathways and hub genes (with their aliases)."""

    tissues: tuple[tuple[str, re.Pattern[str]], ...]
    contrasts: tuple[tuple[str, re.Pattern[str]], ...]
    pathways: tuple[tuple[str, re.Pattern[str]], ...]
    genes: tuple[tuple[str, re.Pattern[str]], ...]
    pathways_of: dict[str, frozenset[str]]  # tissue -> its pathways
    genes_of: dict[str, frozenset[str]]  # tissue -> its hub genes

    def find(self, text: str, kind: str) -> list[str]:
        """Values of `kind` named in `text`, in order of first mention, each span read once."""
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for value, pattern in getattr(self, kind):
            for match in pattern.finditer(text):
                if any(match.start() < b and a < match.end() for a, b in taken):
                    continue
                taken.append(match.span())
                found.append((match.start(), value))
        seen: list[str] = []
        for _, value in sorted(found):
            if value not in seen:
                seen.append(value)
        return seen


_VOCABULARIES: dict[tuple[str, tuple[str, ...]], Vocabulary] = {}


def vocabulary(sheet: FactSheet) -> Vocabulary:
    """The sheet's vocabulary, compiled once per sheet (by name and fact ids)."""
    key = (sheet.name, tuple(f.id for f in sheet.facts))
    if key not in _VOCABULARIES:
        _VOCABULARIES[key] = _vocabulary(sheet)
    return _VOCABULARIES[key]


def _vocabulary(sheet: FactSheet) -> Vocabulary:
    pathways_of: dict[str, set[str]] = {}
    genes_of: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for fact in sheet.facts:
        if fact.kind == "pathway_shift":
            pathways_of.setdefault(fact.tissue, set()).add(fact.pathway)
        elif fact.kind == "hub_gene":
            genes_of.setdefault(fact.tissue, set()).add(fact.gene)
            alias = fact.function.split(",")[0].strip()
            if re.fullmatch(r"[A-Za-z]{1,6}\d[A-Za-z0-9]*", alias):  # "BMAL1", "p21"
                aliases.setdefault(fact.gene, set()).add(alias)
    tissues = tuple((t, _word(TISSUE_WORDS.get(t, re.escape(t)))) for t in sheet.tissues)
    contrasts = tuple((c, _word(p)) for c, p in CONTRAST_WORDS)
    every_pathway = sorted({p for ps in pathways_of.values() for p in ps})
    pathways = tuple((p, _word(PATHWAY_ALIASES.get(p, re.escape(p.replace("_", " "))) + "|" + re.escape(p)))
                     for p in every_pathway)
    every_gene = sorted({g for gs in genes_of.values() for g in gs})
    genes = tuple((g, re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in [g, *sorted(aliases.get(g, ()))])
                                 + r")(?![\w-])", re.I)) for g in every_gene)
    return Vocabulary(tissues, contrasts, pathways, genes, {t: frozenset(p) for t, p in pathways_of.items()},
                      {t: frozenset(g) for t, g in genes_of.items()})


def _word(alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


# -- what the question asks ---------------------------------------------------------------------------
CLASS_WORDS = re.compile(r"\b(?:type|class)\s*[ABC]\b|\bresponse class|\bclass(?:ed|ified)?\b|\bstress[- ]activated\b|"
                         r"\bbaseline[- ]active\b|\bstress[- ]blocked\b|\bType [ABC]\b", re.I)
PATTERN_WORDS = re.compile(r"\bpatterns?\b|\brescu\w*|\bsuppress\w*|\bKMP[-_ ]only\b|\brestor\w*|\breverse\w*|"
                           r"\bNES\b|\benrich\w*|\bdeplet\w*|\bpathways?\b|\bgene sets?\b|\bHallmark\b", re.I)
INTERACTION_CLASS_WORDS = re.compile(r"(?<!non-)\badditiv\w*|\bsynerg\w*|\bantagonis\w*|\binteraction (?:class|type)\b|"
                                     r"\bclassify\b[^?]*\binteract|\binteract\w*\b[^?]*\bclass\b|"
                                     r"\bhow do (?:HU|unloading|the stressors) and (?:IR|radiation) "
                                     r"(?:combine|interact)\b|\bcombine\b", re.I)
INTERACTION_TERM_WORDS = re.compile(r"\binteraction[- ]terms?\b|\binteraction counts?\b", re.I)
INTERACTION_WORDS = re.compile(r"\binteract\w*", re.I)
DIRECTION_WORDS = re.compile(r"\bmostly (?:up|down)\b|\bup or (?:mostly )?down\b|\bbalanced\b|\bdirection\b|"
                             r"\bup-?regulat\w*|\bdown-?regulat\w*|\blean\w* (?:up|down)\b|"
                             r"\b(?:more|fewer) (?:down|up)\b|\bdominated by (?:up|down)", re.I)
HUB_WORDS = re.compile(r"\bhubs?\b|\bfold[- ]change|\blog2\s*FC|\blog2 fold|\b\|?log2", re.I)
COUNT_WORDS = re.compile(r"\bhow many\b|\bnumber of\b|\bcounts?\b|\bDEGs?\b|\bgenes?\b|\bhow (?:large|big|strong)\b|"
                         r"\bchang\w*|\balter\w*|\brespond(?:s|ed|ing)?\b|\baffect\w*|\bstressors?\b|"
                         r"\b(?:KMP|kaempferol)(?:'s)? (?:effect|response)\b|"
                         r"\btranscriptional (?:effect|response|impact)", re.I)
KMP_AGENT = re.compile(r"\b(?:KMP|kaempferol)\b(?!\s*(?:_x_|x|×|\*|by)\s*(?:HU|IR))", re.I)
SUPERLATIVE = re.compile(r"\b(?:most|least|fewest|highest|lowest|largest|smallest|biggest|strongest|weakest|"
                         r"greatest|top|dominates?|dominant|bigger|larger|more|fewer)\b", re.I)
ALL_TISSUES = re.compile(r"\bwhich tissues?\b|\beach tissue\b|\bevery tissue\b|\ball (?:four |the )?tissues\b|"
                         r"\bacross (?:the )?(?:four )?tissues\b|\bthe (?:four )?tissues\b|\bwhat tissues?\b|"
                         r"\bper tissue\b|\bfour tissues\b|\btissue by tissue\b", re.I)
YES_NO = re.compile(r"^\s*(?:is|are|does|do|did|was|were|can|could|will|would|has|have|should)\b", re.I)


@dataclass(frozen=True)
class Ask:
    """What a question asks, read from its main clause.

    `wants`: count | nes | class | pattern | direction | interaction_class | interaction | hub | which | design |
    open. `facts`: the sheet's facts it is about. `superlative`: the question picks one entity by a
    superlative ("which tissue has the most ..."). `yes_no`: it is a yes/no question.
    """

    text: str
    wants: str
    facts: tuple[str, ...]
    tissues: tuple[str, ...]
    superlative: bool = False
    yes_no: bool = False


def read_ask(question: str, sheet: FactSheet) -> Ask:
    text = ask_text(question) or question
    vocab = vocabulary(sheet)
    tissues = vocab.find(text, "tissues")
    every = bool(ALL_TISSUES.search(text)) or not tissues
    chosen = tuple(sheet.tissues) if every else tuple(tissues)
    wants = _wants(text, vocab)
    facts = _facts(sheet, vocab, text, wants, chosen)
    superlative = bool(re.search(r"\brank", text, re.I) or (re.search(r"\bwhich\b|\bwhat\b|\bwhere\b", text, re.I)
                                                            and SUPERLATIVE.search(text)))
    return Ask(text, wants[0], facts, chosen, superlative=superlative, yes_no=bool(YES_NO.match(text)))


def _wants(text: str, vocab: Vocabulary) -> list[str]:
    """Every kind of answer the text asks for, the main one first."""
    found = []
    contrasts = vocab.find(text, "contrasts")
    if INTERACTION_CLASS_WORDS.search(text):
        found.append("interaction_class")
    if CLASS_WORDS.search(text):
        found.append("class")
    if vocab.find(text, "genes") or HUB_WORDS.search(text):
        found.append("hub")
    if vocab.find(text, "pathways") or PATTERN_WORDS.search(text):
        found.append("nes" if re.search(r"\bNES\b|\benrichment score|\bvalues?\b", text, re.I) else "pattern")
    if INTERACTION_TERM_WORDS.search(text) or (INTERACTION_WORDS.search(text) and (
            any(c.startswith("KMP_x") for c in contrasts) or re.search(r"\bhow many\b|\bgenes\b", text, re.I))):
        found.append("interaction")
    if DIRECTION_WORDS.search(text):
        found.append("direction")
    if COUNT_WORDS.search(text):
        found.append("count")
    if re.search(r"\bdesign\b|\b2\s*[x×]\s*2\s*[x×]\s*2\b|\bseparate\b|\bcontrol group", text, re.I):
        found.append("design")
    return found or ["open"]


_KINDS = {"class": ("tissue_class",), "hub": ("hub_gene",), "pattern": ("pathway_shift",), "nes": ("pathway_shift",),
          "interaction": ("interaction",), "interaction_class": ("deg_count",), "direction": ("deg_count",),
          "design": (), "open": ("deg_count", "kmp_effect", "interaction", "pathway_shift", "tissue_class", "hub_gene")}


_SINGLE_STRESSORS = re.compile(r"\bsingle[- ]stressors?\b|\beither stressor\b|\bwhich stressor\b|\bone stressor\b|"
                               r"\bunloading or (?:ir)?radiation\b|\bHU or IR\b", re.I)


def _facts(sheet: FactSheet, vocab: Vocabulary, text: str, wants: list[str], tissues: tuple[str, ...]) -> tuple[
        str, ...]:
    contrasts = vocab.find(text, "contrasts")
    if not contrasts and _SINGLE_STRESSORS.search(text):
        contrasts = ["HU", "IR"]
    kmp = bool(KMP_AGENT.search(text))
    kinds: set[str] = set()
    for want in wants:
        if want == "count":
            kinds.add("kmp_effect" if kmp else "deg_count")
        elif want == "open" and kmp:
            kinds.update(("kmp_effect", "tissue_class"))
        else:
            kinds.update(_KINDS[want])
    if wants[0] == "interaction_class":
        contrasts = [c for c in contrasts if c not in ("HU", "IR", "HU_IR")] + ["HU", "IR", "HU_IR"]
    pathways = set(vocab.find(text, "pathways"))
    genes = set(vocab.find(text, "genes"))
    return tuple(fact.id for fact in sheet.facts
                 if fact.kind in kinds and fact.tissue in tissues and _fits(fact, contrasts, pathways, genes))


def _fits(fact: Fact, contrasts: list[str], pathways: set[str], genes: set[str]) -> bool:
    if fact.kind == "deg_count":
        wanted = [c for c in contrasts if c in ("HU", "IR", "HU_IR")]
        return not wanted or fact.contrast in wanted
    if fact.kind == "kmp_effect":
        wanted = [c for c in contrasts if c in ("baseline", "HU", "IR", "HU_IR")]
        return not wanted or fact.condition in wanted
    if fact.kind == "interaction":
        wanted = [c for c in contrasts if "_x_" in c]
        return not wanted or fact.term in wanted
    if fact.kind == "pathway_shift":
        return not pathways or fact.pathway in pathways
    if fact.kind == "hub_gene":
        return not genes or fact.gene in genes
    return True
