"""What the study's design can answer, and what it cannot: a table a biologist can read, and `assess`.

The embedded study is a 2x2x2 bulk RNA-seq design: KMP vs vehicle x hindlimb unloading x ionizing
radiation, in mice, one dose of each, one time point, four tissues (heart, hippocampus, liver, soleus),
transcripts only, reported as a published summary (DEG counts, interaction terms, Hallmark pathway NES,
response classes, hub genes). `LIMITS` lists the kinds of question that design cannot answer, each with
its reason and the words that mark a question as asking it; `CAN_ANSWER` lists what it can.

`assess(question, sheet)` judges from what the question *asks* (its main clause, with asides,
concessions and personas removed: see curate.judge.asks), not from what it mentions: "For NASA's
purposes, how many genes did radiation change in the hippocampus?" is answerable; "How many genes does
KMP change in the kidney?" is not. Standard library and curate.schemas only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curate.judge.asks import ALL_TISSUES, Ask, ask_text, read_ask, split_core, vocabulary

if TYPE_CHECKING:
    from curate.schemas import FactSheet


@dataclass(frozen=True)
class Limit:
    """A kind of question the design cannot answer."""

    category: str
    kind: str
    reason: str
    examples: tuple[str, ...]
    cues: tuple[str, ...] = field(repr=False)


@dataclass(frozen=True)
class Capability:
    """A kind of question the fact sheet answers."""

    category: str
    kind: str
    how: str


LIMITS: tuple[Limit, ...] = (
    Limit("dose", "dose-response, optimal dose, human dose, dosing schedule",
          "one dose of KMP (and one of radiation, one unloading period) was tested, so no dose-response "
          "can be read and no dose can be chosen or translated",
          ("What dose of KMP is optimal?", "What's the EC50 of kaempferol?", "KMP human equivalent dose?"),
          (r"\bdos(?:e|es|ing|age)\b", r"\bEC50\b|\bIC50\b|\bED50\b", r"\bmg(?:/kg)?\b", r"\bpharmacokinetic\w*",
           r"\bhow much (?:KMP|kaempferol)\b", r"\bconcentrations?\b", r"\bper day\b|\bdaily\b")),
    Limit("time", "time course, duration, onset, recovery, persistence, timing",
          "every animal was sampled at one time point, so nothing about onset, duration, persistence or "
          "recovery can be seen",
          ("How long do KMP's effects last?", "Does the response persist after the mice recover?"),
          (r"\bhow long\b(?! is (?:the|this|that) (?:list|table|answer|name))", r"\bpersist\w*",
           r"\blast(?:s|ed|ing)?\b(?! (?:\d|one|two|three))", r"\brecover\w*",
           r"\bduration\b", r"\btime[- ]?course\b", r"\bover time\b", r"\btransient\b", r"\blong[- ]term\b",
           r"\blong[- ]lasting\b", r"\bhow (?:quickly|fast|soon)\b", r"\bonset\b", r"\bweeks?\b", r"\bmonths?\b",
           r"\bdays?\b", r"\bhours?\b", r"\bwhen (?:does|do|did|should|will|would)\b", r"\bbest time\b",
           r"\btiming\b", r"\bbefore (?:launch|flight|the mission|radiation|exposure)\b", r"\binstead of before\b",
           r"\bafter (?:the mission|landing|return|treatment|stopping|the last dose|reloading|radiation)\b",
           r"\bpre-?treatment\b", r"\bschedule\b", r"\blong[- ]duration\b", r"\bstill (?:show|be)\b")),
    Limit("species", "other species or systems (rats, dogs, primates, cell lines)",
          "only mice were studied; other species differ in drug metabolism and tissue responses",
          ("Would KMP work the same way in rats?",),
          (r"\brats?\b", r"\bdogs?\b", r"\bmonkeys?\b", r"\b(?:non-human )?primates?\b", r"\bpigs?\b",
           r"\bzebrafish\b", r"\bflies\b|\bfruit fly\b|\bdrosophila\b", r"\bC\. elegans\b|\bworms?\b",
           r"\bhamsters?\b", r"\brabbits?\b", r"\bother species\b", r"\bcell lines?\b", r"\bin vitro\b",
           r"\borganoids?\b")),
    Limit("tissue", "tissues or organs that were not sequenced (kidney, lung, retina, bone, other brain regions)",
          "only heart, hippocampus, liver and soleus were sequenced; the measured tissues respond too "
          "differently for a value to be borrowed",
          ("How many genes does HU change in the kidney?", "Which brain region besides the hippocampus is most "
                                                           "affected?"),
          (r"\bkidneys?\b|\brenal\b", r"\blungs?\b|\bpulmonary\b", r"\bspleens?\b",
           r"\bretina\w*\b|\beyes?\b|\bocular\b", r"\bbone marrow\b", r"\bbones?\b", r"\bskin\b",
           r"\bblood\b|\bplasma\b|\bserum\b", r"\bcortex\b|\bcortical\b",
           r"\bcerebell\w*|\bstriatum\b|\bhypothalam\w*|\bamygdala\b|\bthalamus\b|\bspinal cord\b",
           r"\bgut\b|\bintestin\w*|\bcolon\b|\bstomach\b|\bpancrea\w*", r"\btest[ie]s\b|\bovar(?:y|ies)\b",
           r"\bthymus\b|\blymph nodes?\b|\bthyroid\b|\badrenal\b|\bbladder\b|\bprostate\b|\buterus\b",
           r"\badipose\b|\b(?:white|brown) fat\b|\baorta\b|\bblood vessels?\b",
           r"\bgastrocnemius\b|\bquadriceps\b|\btibialis\b|\bEDL\b|\bdiaphragm\b|\btendons?\b|\bcartilage\b",
           r"\bother (?:organs?|brain regions?|muscles?)\b", r"\bregions? (?:besides|other than)\b",
           r"\b(?:besides|other than) the (?:heart|liver|hippocampus|soleus)\b")),
    Limit("drug", "other drugs or compounds (quercetin, metformin, resveratrol ...)",
          "only KMP against vehicle was tested; a related compound can differ in uptake, dose and targets",
          ("Is quercetin better than kaempferol?", "Would metformin rescue the liver?"),
          (r"\bquercetin\b", r"\bmetformin\b", r"\bresveratrol\b", r"\brapamycin\b", r"\bcurcumin\b",
           r"\bN-?acetyl\s?cysteine\b|(?-i:\bNAC\b)", r"\bmelatonin\b", r"\bvitamin [A-Z]\b", r"\bamifostine\b",
           r"\bstatins?\b", r"\baspirin\b", r"\bfisetin\b|\bapigenin\b|\bluteolin\b|\bmyricetin\b|\bEGCG\b",
           r"\bother (?:drugs?|compounds?|flavonoids?|flavonols?|antioxidants?|countermeasures?|supplements?)\b",
           r"\binstead of (?:KMP|kaempferol)\b", r"\bswap\w* (?:KMP|kaempferol)\b")),
    Limit("not_reported", "values the summary does not report (a gene outside the hub list, a pathway not in "
          "the sheet, a p-value, a list of DEGs, KMP's up/down split)",
          "the published summary reports DEG counts, interaction counts, NES of a few Hallmark pathways and the "
          "hub genes' mean |log2FC|; anything else is not in it",
          ("What's the fold change of Sod2 in the heart?", "What's the NES of the heart hypoxia pathway?"),
          ()),  # judged against the sheet's own vocabulary, see _not_reported
    Limit("cell_type", "cell types, cell composition",
          "bulk tissue was sequenced, so a change can come from expression or from cell composition",
          ("Which cell types in the hippocampus respond to KMP?",),
          (r"\bcell[- ]types?\b", r"\bwhich (?:\w+ ){0,2}cells?\b",
           r"\bcell (?:population|composition|proportions?)s?\b", r"\bsingle[- ]cell\b",
           r"\bneurons?\b|\bglia\w*|\bastrocytes?\b|\bmicroglia\b", r"\bimmune cells?\b",
           r"\bhepatocytes?\b|\bcardiomyocytes?\b|\bmacrophages?\b|\bendothelial\b|\bfibroblasts?\b",
           r"\bfib(?:re|er)[- ]types?\b", r"\bcompositions?\b", r"\binfiltrat\w+", r"\bspatial\b")),
    Limit("population", "sex, age, strain",
          "one sex, age and strain as far as the summary says; no comparison between them",
          ("Do female mice respond differently?",),
          (r"\bfemales?\b", r"\bmales?\b", r"\bsex(?:es)?\b|\bgender\b", r"\bages?\b|\baged\b|\bag(?:e)?ing\b",
           r"\bold(?:er)? (?:mice|animals)\b", r"\byoung(?:er)?\b|\bjuvenile\b", r"\bstrains?\b",
           r"\bC57\w*|\bBALB\w*", r"\bgenetic background\b")),
    Limit("phenotype", "protein, metabolites, physiology, function, behaviour, damage, survival, safety",
          "only transcripts were measured; protein, function, damage, behaviour and survival were not",
          ("Does KMP raise PGC-1α protein?", "Does KMP improve survival?", "Is KMP neuroprotective?"),
          (r"\bproteins?\b(?!-coding)", r"\bproteom\w*", r"\bmetabolites?\b|\bmetabolom\w*", r"\bwestern\b",
           r"\benzyme activity\b", r"\b(?:cardiac|heart|muscle|liver|kidney|cognitive|brain|organ) function\b",
           r"\bphysiolog\w*", r"\bbehaviou?r\w*", r"\bmemory\b", r"\bcognit\w*", r"\blearning\b", r"\banxiety\b",
           r"\bsurviv\w*", r"\blive longer\b|\blifespan\b|\bmortality\b|\bdeath\b",
           r"\bbody[- ]?weight\b|\bweight (?:loss|gain)\b",
           r"\bbone (?:loss|density|mass)\b", r"\bmuscle (?:loss|mass|atrophy|weakness|strength|wasting)\b",
           r"\batrophy\b", r"\bstrength\b|\bweakness\b", r"\bdamage\b", r"\binjur\w+", r"\bprotect\w*|\w+protect\w*",
           r"\bbenefi\w+", r"\bsafe(?:ty|ly)?\b", r"\btoxic\w*", r"\bside effects?\b", r"\bcure[sd]?\b",
           r"\bsleep\b", r"\binflammation\b", r"\bimprov\w+", r"\bprevent\w*", r"\bhealth\w*", r"\bperformance\b",
           r"\bfatigue\b", r"\bfood intake\b", r"\bblood pressure\b|\bheart rate\b", r"\befficacy\b|\beffective\w*",
           r"\bharm\w*|\badverse\b|\bbeneficial\b|\bdetrimental\b",
           r"\bcountermeasure\b", r"\bhelp\b(?! me| you)", r"\bwork(?:s)? (?:as|the same|better|in)\b")),
    Limit("causal", "causality and mechanism: does X cause Y, which gene is responsible, what KMP binds",
          "bulk RNA-seq shows which transcripts change together (association), not what causes what",
          ("Which single gene is responsible for KMP's rescue?", "Does the OXPHOS rescue cause the protection?"),
          (r"\bcaus(?:e|es|ed|ing|al|ality|ation)\b", r"\bresponsible\b", r"\bdue to\b",
           r"\bmechanism(?:s)? (?:of|behind|by which|underlying|for|that)\b|\bmechanistic role\b",
           r"\bhow does (?:KMP|kaempferol|it) (?:work|act|protect|rescue)\b",
           r"\bbinds?\b|\bbinding\b|\bdirect(?:ly)? target\w*|\btargets? of (?:KMP|kaempferol)\b",
           r"\bwhat role\b|\brole (?:of|does|did|do)\b", r"\bmediat\w+",
           r"\bwhich (?:\w+ ){0,2}(?:genes?|molecules?|factors?|regulators?|proteins?)\b[^?]*\b(?:drives?|driving|"
           r"behind|underl\w+|explains?|controls?|regulates?)\b", r"\b(?:upstream|master) regulators?\b",
           r"\bact(?:s|ing)? (?:through|via)\b|\bthrough which\b",
           r"\bwhat drives\b", r"\bknock(?:out|down)s?\b", r"\bif (?:we|you|one) (?:block|inhibit|knock)\w*")),
    Limit("certainty", "certainty: 'definitely', 'prove', 'guarantee'",
          "no experiment of this size proves a general claim; it can only show what it measured",
          ("Will KMP definitely protect astronauts?", "Does the study prove that KMP works?"),
          (r"\bdefinite(?:ly)?\b", r"\bprov(?:e|es|ed|en|ing)\b|\bproof\b", r"\bguarantee\w*",
           r"\bcertain(?:ly|ty)?\b", r"\bfor sure\b", r"\bconclusive(?:ly)?\b", r"\bundoubtedly\b")),
    Limit("human", "humans, astronauts, crew, clinical benefit, translation",
          "the study used mice only; no human data, and a simulated-spaceflight mouse model is not flight",
          ("How many genes would KMP alter in the human heart?", "Can metformin replace KMP for astronauts?"),
          (r"\bhumans?\b", r"\bastronaut\w*", r"\bcrews?\b", r"\bcosmonauts?\b", r"\bpeople\b|\bpersons?\b",
           r"\bpatients?\b", r"\bclinic\w*", r"\btranslat(?:e|es|ed|ion|ional)\b", r"\bmissions?\b", r"\bMars\b",
           r"(?-i:\bISS\b)", r"(?-i:\bNASA\b)", r"\bin space\b", r"\bmen\b|\bwomen\b", r"\bvolunteers?\b")),
)

CAN_ANSWER: tuple[Capability, ...] = (
    Capability("deg_count", "how many genes a stressor (HU, IR, HU+IR) changes in a tissue, and how many go up "
               "or down", "vehicle groups of each stressor against control; DEGs at padj < 0.05"),
    Capability("direction", "whether a response is mostly up, mostly down or balanced",
               "the share of up-regulated DEGs (over 55 % mostly up, under 45 % mostly down)"),
    Capability("interaction_class", "whether HU and IR combine additively, synergistically or antagonistically",
               "combined DEGs against the sum of the single-stressor DEGs (≥ 1.25 synergistic, ≤ 0.8 antagonistic)"),
    Capability("kmp_effect", "how many genes KMP changes in each condition (baseline, HU, IR, HU+IR)",
               "KMP against vehicle within each condition"),
    Capability("interaction", "how many genes have a significant HU×IR, KMP×HU or KMP×IR interaction term",
               "the interaction terms of the 2x2x2 model"),
    Capability("pathway_shift", "how a reported Hallmark pathway shifts under combined stress and with KMP "
               "(NES, significance, RESCUE / SUPPRESSION / KMP_ONLY / NS)", "GSEA of the combined-stress and "
               "KMP contrasts"),
    Capability("tissue_class", "a tissue's KMP response class (A stress-activated, B baseline-active, "
               "C stress-blocked) and what it means", "the KMP effect at baseline against under HU+IR"),
    Capability("hub_gene", "the mean |log2 fold change| of a tissue's reported hub genes",
               "the hub genes of the heart and soleus response networks"),
    Capability("comparison", "rankings, sums, shares, ratios and comparisons of the above across tissues, "
               "stressors and conditions", "computed from the facts by the same rules"),
    Capability("design", "what the 2x2x2 design can and cannot separate", "the design itself"),
)

# When a question hits several rows, the reason given is the first of these: what the question's verb asks
# ("prove", "cause", "how long") before what it is about (protein, astronauts).
PRIORITY = ("dose", "time", "certainty", "causal", "species", "tissue", "drug", "cell_type", "population",
            "phenotype", "not_reported", "human")
_LIMIT_RES = [(limit, [re.compile(cue, re.I) for cue in limit.cues]) for limit in LIMITS]
_LIMIT_OF = {limit.category: limit for limit in LIMITS}


@dataclass(frozen=True)
class Answerability:
    """Whether the design can answer a question; `category` names the row of LIMITS or CAN_ANSWER."""

    answerable: bool
    category: str
    reason: str
    asks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # every row of LIMITS the question hits
    ask: Ask | None = field(default=None, repr=False, compare=False)


def assess(question: str, sheet: FactSheet) -> Answerability:
    """Judge from what `question` asks whether the design and the sheet can answer it."""
    text = _neutral(ask_text(question) or question)
    hits = _hits_of_what_is_asked(text, sheet)
    if hits:
        row, said = hits[0]
        return Answerability(False, row.category, f"the question asks about {said!r}: {row.reason}",
                             categories=tuple(r.category for r, _ in hits))
    ask = read_ask(question, sheet)
    category = _capability(ask)
    how = next(c.how for c in CAN_ANSWER if c.category == category)
    what = f"{len(ask.facts)} fact(s) of the sheet" if ask.facts else "the design"
    return Answerability(True, category, f"answerable from {what}: {how}", ask.facts, ask=ask)


def limit(category: str) -> Limit:
    return _LIMIT_OF[category]


# Phrases that contain a cue word but ask nothing beyond the sheet ("how many genes does HU cause").
_NEUTRAL = (
    r"\bcaus\w*(?=\s+(?:\w+\s+){0,3}?(?:DEGs?|genes?|differential\w*|transcripts?|changes?)\b)",
    r"\bhow many\b[^?]*\bcaus\w*",
    r"\bthe (?:single|one) dose\b(?!-)",
    r"\bprotein-coding\b",
    r"\bfatty[- ]acid\b",
)
_NEUTRAL_RES = [re.compile(p, re.I) for p in _NEUTRAL]


def _neutral(text: str) -> str:
    for pattern in _NEUTRAL_RES:
        text = pattern.sub(" ", text)
    return text


# Who or what a frame clause restricts the question to ("For rats,", "In female mice,", "In the kidney,"),
# as opposed to a frame that only says why one asks ("For a clinician's summary:", "In these mice,").
SUBJECT_CATEGORIES = ("species", "tissue", "drug", "population", "human")
_RESTRICTING = re.compile(r"^\s*(?:in|for|among|within|across|on|with)\s+(?!(?:these|this|our|the study|the mouse|"
                          r"the mice)\b)(?:\S+\s+){0,3}\S+\s*$", re.I)
# A phenotype word about what the sheet measures ("transcriptional damage, by DEG count") asks for the sheet.
_TRANSCRIPT_MEASURE = re.compile(r"\b(?:by|in terms of|measured (?:as|by)|in) (?:the )?(?:DEG|NES|gene)s?(?: counts?| "
                                 r"terms| values?)?\b|\btranscript(?:ional|-level| level)\b|\bin NES terms\b", re.I)


def _hits_of_what_is_asked(text: str, sheet: FactSheet) -> list[tuple[Limit, str]]:
    """Limits of the asking clause, and of frames that restrict its subject; frames that only give a
    reason or an audience ("Thinking about crew health:") are left out. One-clause questions: all of it."""
    frames, core = split_core(text)
    vocab = vocabulary(sheet)
    names_its_subject = bool(vocab.find(core, "tissues") or vocab.find(core, "pathways") or vocab.find(core, "genes")
                             or ALL_TISSUES.search(core) or re.search(r"\bwhich tissue\b", core, re.I))
    if not frames or not (names_its_subject and read_ask(core, sheet).facts):
        hits = _limit_hits(text, sheet)
    else:
        hits = _limit_hits(core, sheet)
        for frame in frames:
            if _HYPOTHETICAL.match(frame):  # "If a lab swapped KMP for resveratrol, ...": the premise is asked
                hits += _limit_hits(frame, sheet)
            elif _RESTRICTING.match(frame) and len(frame.split()) <= 5 and _restricts(frame, sheet):
                hits += [hit for hit in _limit_hits(frame, sheet) if hit[0].category in SUBJECT_CATEGORIES]
    if _TRANSCRIPT_MEASURE.search(text):
        hits = [hit for hit in hits if hit[0].category != "phenotype"]
    return sorted(hits, key=lambda hit: PRIORITY.index(hit[0].category))


_HYPOTHETICAL = re.compile(r"^\s*(?:if|suppose|supposing|assuming|imagine|had|were|when|once|what if)\b", re.I)
_HEAD_NOUN = re.compile(r"(?:\b(?:mice|animals|tissues?|cells|organs?|subjects|people)\b\W*)?$", re.I)


def _restricts(frame: str, sheet: FactSheet) -> bool:
    """The frame's head noun (its last word, or the word before 'mice'/'tissue') is an unanswerable subject."""
    head = _HEAD_NOUN.sub("", frame.strip()).split()
    return bool(head) and any(hit[0].category in SUBJECT_CATEGORIES for hit in _limit_hits(head[-1], sheet))


def _limit_hits(text: str, sheet: FactSheet) -> list[tuple[Limit, str]]:
    """The rows of LIMITS the question hits, with the words that hit each, in PRIORITY order."""
    hits: list[tuple[Limit, str]] = []
    for row, patterns in _LIMIT_RES:
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                hits.append((row, match.group(0)))
                break
    reported = _not_reported(text, sheet)
    if reported:
        hits.append((_LIMIT_OF["not_reported"], reported))
    return sorted(hits, key=lambda hit: PRIORITY.index(hit[0].category))


GENE_LIKE = re.compile(r"(?<![\w-])(?:[A-Z][a-z]{1,6}\d[A-Za-z0-9]*|[A-Z]{2,6}-?\d[A-Za-z]?[αβγ]?|p\d\d|"
                       r"PGC-?1[αa]?)(?![\w-])")
NOT_GENES = frozenset(("HU", "IR", "KMP", "NES", "DEG", "DEGs", "EC50", "IC50", "ED50", "ISS", "MTORC1", "HU_IR",
                       "C57", "GSEA", "FDR", "RNA", "DNA", "Mars", "H2AX", "IL"))
OTHER_PATHWAYS = (
    r"hypoxia", r"apoptosis|apoptotic", r"glycolysis", r"inflammatory response", r"TNF\w*(?: signall?ing)?",
    r"p53 pathway", r"DNA repair", r"unfolded protein", r"E2F targets?", r"G2M checkpoint", r"MYC targets?",
    r"cholesterol homeostasis", r"xenobiotic metabolism", r"reactive oxygen species", r"heme metabolism",
    r"angiogenesis", r"hedgehog", r"KRAS", r"estrogen response", r"androgen response", r"notch", r"wnt",
    r"TGF[- ]?(?:beta|β)", r"IL-?6", r"IL-?2", r"complement", r"coagulation", r"apical junction", r"myogenesis",
    r"peroxisome", r"bile acid", r"spermatogenesis", r"UV response", r"allograft rejection",
    r"epithelial[- ]mesenchymal|EMT", r"mitotic spindle", r"protein secretion", r"PI3K", r"autophagy",
    r"ferroptosis", r"senescence", r"mitochondrial biogenesis", r"insulin signall?ing", r"AMPK", r"NRF2 pathway",
    r"circadian (?:pathway|gene set)",
)
_OTHER_PATHWAY = re.compile(r"(?<![\w-])(?:" + "|".join(OTHER_PATHWAYS) + r")(?![\w-])", re.I)
_UNREPORTED_STATS = re.compile(r"\bp-?values?\b|\bpadj\b|\badjusted p\b|\bq-?values?\b|\bFDR\b|\bbase ?mean\b|"
                               r"\bwhich (?:genes|DEGs)\b(?![^?]*\bhubs?\b)|\blist (?:the |of |all )?(?:genes|DEGs)\b"
                               r"(?![^?]*\bhubs?\b)|\b(?:names|identities) of the (?:genes|DEGs)\b|\btop \d* ?DEGs\b|"
                               r"\bfold[- ]changes? of (?:the |all )?DEGs\b|\bexpression level\b|\bTPM\b|\bFPKM\b|"
                               r"\bcounts per million\b|\bhow many genes (?:were|are) (?:measured|detected|"
                               r"expressed|sequenced|tested)\b|\btotal (?:number of )?genes\b|"
                               r"\bhow many (?:mice|animals|replicates|samples)\b|\bsample sizes?\b|"
                               r"\bstatistical power\b|\b(?:sequencing|read) depth\b", re.I)
_KMP_SPLIT = re.compile(r"\b(?:KMP|kaempferol)\b[^?]*\b(?:up-?regulat\w*|down-?regulat\w*|genes up|genes down|"
                        r"mostly (?:up|down)|go up|go down)", re.I)


def _not_reported(text: str, sheet: FactSheet) -> str:
    """A gene, pathway or statistic the question asks about that the sheet does not report ('' if none)."""
    vocab = vocabulary(sheet)
    tissues = vocab.find(text, "tissues")
    for match in GENE_LIKE.finditer(text):
        token = match.group(0)
        if token in NOT_GENES or token.upper() in NOT_GENES or any(p.fullmatch(token) for _, p in vocab.genes):
            continue
        if any(p.search(token) for _, p in vocab.pathways):
            continue
        return token
    named_genes = vocab.find(text, "genes")
    if named_genes and tissues and not any(g in vocab.genes_of.get(t, ()) for g in named_genes for t in tissues):
        return f"{named_genes[0]} in the {tissues[0]}"
    other = _OTHER_PATHWAY.search(text)
    if other:
        return other.group(0)
    named_pathways = vocab.find(text, "pathways")
    if named_pathways and tissues and not any(p in vocab.pathways_of.get(t, ()) for p in named_pathways
                                              for t in tissues):
        return f"{named_pathways[0].replace('_', ' ').lower()} in the {tissues[0]}"
    stats = _UNREPORTED_STATS.search(text)
    if stats:
        return stats.group(0)
    split = _KMP_SPLIT.search(text)
    if split and not re.search(r"\bpathways?\b|\bNES\b|\bOXPHOS\b|\bgene sets?\b", text, re.I) and \
            not vocab.find(text, "pathways"):
        return "the up/down split of KMP's DEGs"
    return ""


def _capability(ask: Ask) -> str:
    if ask.superlative and ask.wants in ("count", "interaction", "hub", "nes"):
        return "comparison"
    return {"count": "kmp_effect" if ask.facts and ask.facts[0].startswith("kmp_effect") else "deg_count",
            "nes": "pathway_shift", "pattern": "pathway_shift", "class": "tissue_class", "hub": "hub_gene",
            "interaction": "interaction", "interaction_class": "interaction_class", "direction": "direction",
            "design": "design"}.get(ask.wants, "comparison")


# -- the table as a biologist reads it ---------------------------------------------------------------
def table_markdown() -> str:
    """The answerability table of docs/judge.md, rendered from LIMITS and CAN_ANSWER."""
    lines = ["The design: KMP vs vehicle x hindlimb unloading x ionizing radiation (2x2x2), mice, one dose, one time "
             "point, four tissues (heart, hippocampus, liver, soleus), bulk RNA-seq, transcripts only.", "",
             "**It cannot answer:**", "", "| category | kind of question | why the design cannot answer | example |",
             "|---|---|---|---|"]
    for row in LIMITS:
        lines.append(f"| `{row.category}` | {row.kind} | {row.reason} | {row.examples[0]} |")
    lines += ["", "**It can answer** (and so a decline of these is wrong):", "", "| category | kind of question | "
              "from |", "|---|---|---|"]
    for cap in CAN_ANSWER:
        lines.append(f"| `{cap.category}` | {cap.kind} | {cap.how} |")
    return "\n".join(lines) + "\n"


def write_docs(path: str) -> None:
    """Refresh the answerability section of docs/judge.md (between its marker comments) from the table."""
    from pathlib import Path

    doc = Path(path)
    start, end = "<!-- answerability:start -->\n", "<!-- answerability:end -->"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    doc.write_text(head + start + table_markdown() + end + rest.split(end, 1)[1], encoding="utf-8")


if __name__ == "__main__":  # python -m curate.judge.answerability docs/judge.md
    import sys

    write_docs(sys.argv[1] if len(sys.argv) > 1 else "docs/judge.md")
