"""The claim check: every kind of claim caught on a real sentence, correct paraphrases left alone, and
500 injected faults caught with no false finding on the clean data."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from _mutations import FAULTS, inject

from curate.gates import GateItem, as_items
from curate.generators import generate_examples
from curate.generators.embedded import load_default_factsheet
from curate.judge import check_example, check_items, check_text
from curate.schemas import EXAMPLE_KINDS

SHEET = load_default_factsheet()
HEART_HU = ["deg_count:heart:HU"]
LIVER_HU = ["deg_count:liver:HU"]
HU_ACROSS = [f"deg_count:{t}:HU" for t in ("heart", "hippocampus", "liver", "soleus")]
HEART_ADD = ["deg_count:heart:HU", "deg_count:heart:IR", "deg_count:heart:HU_IR", "interaction:heart:HU_x_IR"]
HEART_KMP = [f"kmp_effect:heart:{c}" for c in ("baseline", "HU", "IR", "HU_IR")]


def _types(text: str, fact_ids: list[str] | None = None, question: str = "") -> list[str]:
    return [f.type for f in check_text(text, SHEET, fact_ids=fact_ids, question=question)]


# -- every claim type, caught ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "fact_ids", "expected"), [
    # counts, with thousands separators
    ("In liver, hindlimb unloading (HU) changes 4,117 genes against vehicle controls.", LIVER_HU, "wrong_number"),
    # a count from the neighbouring contrast
    ("In liver, hindlimb unloading (HU) changes 1,273 genes.", LIVER_HU, "wrong_number"),
    # up and down swapped
    ("In liver, HU changes 4,110 genes (1,921 up, 2,189 down).", LIVER_HU, "wrong_number"),
    # NES swapped between stress and KMP
    ("In heart, oxidative phosphorylation (OXPHOS) has NES +3.691 under combined stress and NES -2.302 with KMP.",
     ["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"], "wrong_number"),
    # fold change of a hub gene
    ("Alb (albumin) is a hub gene of the heart response, with a mean absolute log2 fold change of 3.21.",
     ["hub_gene:heart:Alb"], "wrong_number"),
    # a percentage computed wrongly
    ("Share up: 67 / 165 = 45.6%.", HEART_HU, "wrong_arithmetic"),
    # a percentage stated without arithmetic
    ("In heart, 45.6% of the HU DEGs are up-regulated.", HEART_HU, "unsupported_number|wrong_number"),
    # a ratio
    ("The combined exposure changes 910 genes, a ratio of 2.10 to that sum.", HEART_ADD,
     "unsupported_number|wrong_number"),
    # a sum
    ("Simple addition predicts 165 + 33 = 200 DEGs.", HEART_ADD, "wrong_arithmetic"),
    # a difference
    ("Without IR the mice would be unloaded only: 165 genes instead of 910 under HU+IR, that is 700 fewer DEGs.",
     HEART_ADD, "unsupported_number|wrong_number"),
    # an invented number
    ("In heart, HU changes 165 genes and 7 novel pathways.", HEART_HU, "unsupported_number|wrong_number"),
    # a wrong significance cut-off
    ("In heart, HU changes 165 genes at padj < 0.1.", HEART_HU, "wrong_threshold"),
    # response class, by letter and by label
    ("Liver is a Type A tissue.", ["tissue_class:liver"], "wrong_class"),
    ("Hippocampus is a stress-activated tissue.", ["tissue_class:hippocampus"], "wrong_class"),
    # pathway pattern
    ("In liver, oxidative phosphorylation follows a RESCUE pattern.",
     ["pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION"], "wrong_pattern"),
    # direction of an NES shift
    ("In liver, KMP raises oxidative phosphorylation (NES -1.6).",
     ["pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION"], "wrong_direction"),
    ("1. Under combined stress the NES is -2.302: the pathway is higher.",
     ["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"], "wrong_direction"),
    # direction of a DEG split
    ("In heart, more genes go up than down under HU.", HEART_HU, "wrong_direction"),
    # more / fewer than another count
    ("Radiation alone changes 33 genes in heart, against 910 under HU+IR: 877 more DEGs.", HEART_ADD,
     "wrong_direction"),
    # additive / synergistic / antagonistic
    ("In hippocampus the combined HU+IR effect is synergistic.",
     ["deg_count:hippocampus:HU", "deg_count:hippocampus:IR", "deg_count:hippocampus:HU_IR"], "wrong_interaction"),
    # significance of an NES
    ("In heart, OXPHOS has NES -2.302, not significant under combined stress.",
     ["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"], "wrong_significance"),
    # orderings: X > Y, ranks first, has the least, tie
    ("heart (165) > hippocampus (1,555) > liver (4,110).", HU_ACROSS, "wrong_order"),
    ("Heart ranks first (165).", HU_ACROSS, "wrong_superlative"),
    ("Soleus has the least.", HU_ACROSS, "wrong_superlative"),
    ("Baseline and HU tie for the least.", HEART_KMP, "wrong_superlative"),
])
def test_each_claim_type_is_caught(text: str, fact_ids: list[str], expected: str) -> None:
    found = check_text(text, SHEET, fact_ids=fact_ids)
    allowed = expected.split("|")
    assert set(allowed) & {f.type for f in found}, [(f.type, f.text, f.expected) for f in found]
    finding = next(f for f in found if f.type in allowed)
    assert text[finding.start:finding.end] == finding.text  # the span points at the claim
    assert finding.expected  # and says what the facts say


def test_a_finding_names_the_facts_and_what_they_say() -> None:
    [finding] = check_text("In liver, hindlimb unloading (HU) changes 1,273 genes.", SHEET, fact_ids=LIVER_HU)
    assert finding.type == "wrong_number"
    assert finding.fact_ids == ("deg_count:liver:HU",)
    assert "4,110" in finding.expected
    assert finding.claim == "number"
    assert finding.model_dump(mode="json")["fact_ids"] == ["deg_count:liver:HU"]


# -- correct paraphrases, left alone --------------------------------------------------------------
@pytest.mark.parametrize(("text", "fact_ids"), [
    # negation
    ("Hippocampus is not stress-activated: it is a Type B (baseline-active) tissue.", ["tissue_class:hippocampus"]),
    ("Liver is not a Type A tissue; its pattern for OXPHOS is not a RESCUE.", None),
    ("In hippocampus the combined effect is not synergistic.", None),
    # rounding
    ("Under combined HU+IR, KMP changes about 2,000 genes in heart.", ["kmp_effect:heart:HU_IR"]),
    ("In liver, HU down-regulates roughly 1.9k genes.", LIVER_HU),
    ("In hippocampus, HU changes about 1.6k genes.", ["deg_count:hippocampus:HU"]),
    ("KMP changes 2.1k genes in heart under combined HU+IR.", ["kmp_effect:heart:HU_IR"]),
    # ranges and bounds
    ("In liver, HU changes between 4,000 and 4,200 genes.", LIVER_HU),
    ("In liver, HU changes 4,100-4,120 genes.", LIVER_HU),
    ("In heart, HU changes fewer than 200 genes.", HEART_HU),
    ("Soleus responds to HU with more than 6,000 DEGs.", ["deg_count:soleus:HU"]),
    ("It is not 1,555 genes: in heart HU changes 165.", HEART_HU),
    # digits inside words, design constants, cut-offs, rule thresholds
    ("In the 2x2x2 design (8 groups) heart genes such as Cdkn1a, Per2 and mTORC1 targets, with log2 fold "
     "changes and an HU×IR term, were called at padj < 0.05.", HEART_HU),
    ("By the rule used here (ratio of at least 1.25 = synergistic, at most 0.8 = antagonistic, in between = "
     "additive), the heart response is synergistic.", HEART_ADD),
    # the right values in many shapes
    ("In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down).", LIVER_HU),
    ("Soleus (6,425) > liver (4,110) > hippocampus (1,555) > heart (165); soleus ranks first and heart has "
     "the least.", HU_ACROSS),
    ("HU and IR tie for the least (2 genes each).", HEART_KMP),
    ("Combined stress lowers OXPHOS in heart (NES -2.302) and KMP raises it (NES +3.691): a RESCUE pattern.",
     ["pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"]),
])
def test_correct_paraphrases_are_not_flagged(text: str, fact_ids: list[str] | None) -> None:
    found = check_text(text, SHEET, fact_ids=fact_ids)
    assert not found, [(f.type, f.text, f.expected) for f in found]


def test_a_number_from_the_question_is_not_unsupported() -> None:
    question = 'Is this statement correct? "In heart, hindlimb unloading (HU) changes 1,600 genes."'
    answer = "No. The claimed 1,600 genes is wrong: in heart HU changes 165 genes."
    assert _types(answer, HEART_HU, question) == []
    assert _types(answer, HEART_HU, "") != []  # without the question it would be


def test_without_fact_ids_the_text_names_the_facts() -> None:
    """External data: tissues and contrasts named in the text (or the question) pick the facts."""
    assert _types("In soleus, HU changes 6,425 genes and IR 67.") == []
    assert set(_types("In soleus, HU changes 67 genes and IR 6,425.")) == {"wrong_number"}
    assert _types("It changes 165 genes.", question="How many genes does HU change in heart?") == []
    assert _types("It changes 1,555 genes.", question="How many genes does HU change in heart?") == [
        "wrong_number"]
    assert _types("Under HU, soleus has the most DEGs.", question="Which tissue has the most HU DEGs?") == []
    assert _types("Under HU, heart has the most DEGs.", question="Which tissue has the most HU DEGs?") == [
        "wrong_superlative"]


def test_unknown_fact_ids_are_reported() -> None:
    assert _types("It changes 165 genes.", ["deg_count:kidney:HU"]) == ["unknown_fact"]


def test_check_example_takes_an_example_or_an_item() -> None:
    example = generate_examples(SHEET, tissues=["liver"], kinds=["factual_qa"], seed=0, per_fact=1)[0]
    assert check_example(example, SHEET) == []
    wrong = GateItem(id="x", instruction=example.instruction, output=example.output.replace("4,110", "4,111"),
                     fact_ids=tuple(example.fact_ids))
    if wrong.output != example.output:
        assert [f.example_id for f in check_example(wrong, SHEET)] == ["x"]


# -- mutation test ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated() -> list[dict]:
    examples = generate_examples(SHEET, tissues=SHEET.tissues, kinds=list(EXAMPLE_KINDS), seed=0, per_fact=3)
    return [e.model_dump(mode="json") for e in examples]


def _item(example: dict, output: str | None = None, keep_ids: bool = True) -> GateItem:
    return GateItem(id=example["id"], instruction=example["instruction"], input=example["input"],
                    output=output if output is not None else example["output"], split=example["split"],
                    fact_ids=tuple(example["fact_ids"]) if keep_ids else ())


def test_clean_generated_version_has_no_findings(generated: list[dict]) -> None:
    findings, _ = check_items([_item(e) for e in generated], SHEET)
    assert findings == [], [(f.type, f.text, f.message) for f in findings[:10]]
    without_ids, _ = check_items([_item(e, keep_ids=False) for e in generated], SHEET)
    assert without_ids == [], [(f.type, f.text, f.message) for f in without_ids[:10]]


def test_mutation_500_faults_caught(generated: list[dict], record_property) -> None:
    """500 faults over 7 kinds: >= 97% caught (measured: 100% with fact ids), 0 false on the clean data."""
    mutations = inject(generated, SHEET, 500, seed=7)
    assert len(mutations) == 500
    assert set(Counter(m.fault for _, m in mutations)) == set(FAULTS)
    items = [_item(example, mutation.output) for example, mutation in mutations]
    items = [GateItem(**{**{f: getattr(i, f) for f in ("instruction", "input", "output", "split", "fact_ids")},
                         "id": f"m{n}"}) for n, i in enumerate(items)]
    findings, _ = check_items(items, SHEET)
    caught_ids = {f.example_id for f in findings}
    caught = Counter(m.fault for n, (_, m) in enumerate(mutations) if f"m{n}" in caught_ids)
    total = Counter(m.fault for _, m in mutations)
    rate = sum(caught.values()) / len(mutations)
    record_property("mutation_catch_rate", rate)
    missed = [m.note for n, (_, m) in enumerate(mutations) if f"m{n}" not in caught_ids]
    assert rate >= 0.97, f"caught {rate:.1%}: {dict(caught)} of {dict(total)}; missed {missed[:10]}"
    for fault in FAULTS:
        assert caught[fault] / total[fault] >= 0.9, (fault, caught[fault], total[fault])


def test_mutations_are_caught_without_fact_ids_too(generated: list[dict]) -> None:
    """The external-data path (no fact ids): measured 98-99%."""
    mutations = inject(generated, SHEET, 300, seed=11)
    caught = sum(bool(check_text(m.output, SHEET, question=e["instruction"])) for e, m in mutations)
    assert caught / len(mutations) >= 0.95


def test_every_mutation_changes_a_claim(generated: list[dict]) -> None:
    """The injector's faults are real: each one changes the text, and only in one place."""
    rng = random.Random(3)
    for example, mutation in inject(generated, SHEET, 70, seed=rng.randint(0, 999)):
        assert mutation.output != example["output"]
        assert 0 <= mutation.start <= mutation.end <= len(mutation.output)


def test_items_from_examples_keep_their_fact_ids(generated: list[dict]) -> None:
    examples = generate_examples(SHEET, tissues=["heart"], kinds=["comparison"], seed=0, per_fact=1)
    items = as_items(examples)
    assert [i.fact_ids for i in items] == [tuple(e.fact_ids) for e in examples]
