"""The answerability model judges what a question asks, not what it mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.generators.embedded import load_default_factsheet
from curate.judge.answerability import CAN_ANSWER, LIMITS, assess, table_markdown

SHEET = load_default_factsheet()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "judge.md"

UNANSWERABLE = [
    # dose-response, optimal or human dose
    ("What is the optimal dose of kaempferol for mice under HU+IR?", "dose"),
    ("How would a tenfold higher KMP dose change the liver response?", "dose"),
    ("What's the IC50 of kaempferol for the heart OXPHOS rescue?", "dose"),
    ("Give the human equivalent dose of KMP.", "dose"),
    # time course, duration, recovery, persistence
    ("Does the soleus transcriptome recover after reloading?", "time"),
    ("How quickly do hippocampal genes respond to irradiation?", "time"),
    ("Is the KMP effect in the heart transient?", "time"),
    ("Three months after the exposure, would the liver still show these changes?", "time"),
    # humans, astronauts, clinical benefit
    ("Would astronauts on the ISS show the same liver response?", "human"),
    ("Is kaempferol ready for clinical trials in crew members?", "human"),
    ("How many genes would radiation change in a human hippocampus?", "human"),
    # causality and mechanism
    ("Does the loss of OXPHOS cause the soleus atrophy signal?", "causal"),
    ("Which single gene is responsible for the hippocampal baseline effect?", "causal"),
    ("What is the mechanism by which KMP rescues fatty acid metabolism in the heart?", "causal"),
    ("Is the liver mTORC1 suppression due to reduced insulin?", "causal"),
    # certainty
    ("Does this study prove that KMP protects the heart?", "certainty"),
    ("Can we say with certainty that HU and IR interact in the liver?", "certainty"),
    ("Is it guaranteed that the heart is Type A in every mouse?", "certainty"),
    # other species, unmeasured tissues, other drugs
    ("How many DEGs would HU cause in rat soleus?", "species"),
    ("What is KMP's effect in zebrafish heart?", "species"),
    ("How many genes does radiation change in the spleen?", "tissue"),
    ("Is the gastrocnemius a Type A tissue too?", "tissue"),
    ("Does the cortex respond to KMP like the hippocampus?", "tissue"),
    ("Would fisetin rescue heart OXPHOS the way KMP does?", "drug"),
    ("Compare KMP with other flavonoids in the liver.", "drug"),
    # protein, metabolites, physiology, behaviour, survival
    ("Do liver metabolite levels change under HU+IR?", "phenotype"),
    ("Does KMP prevent muscle atrophy in unloaded mice?", "phenotype"),
    ("Do irradiated mice given KMP perform better in the water maze (memory)?", "phenotype"),
    # cell types, sex/age/strain
    ("Are the hippocampal DEGs from neurons or from microglia?", "cell_type"),
    ("Does the heart response differ between male and female mice?", "population"),
    ("Would aged mice show a larger KMP effect in the liver?", "population"),
    # values the summary does not report
    ("What is the log2 fold change of Hmox1 in the liver?", "not_reported"),
    ("What's the NES of the apoptosis gene set in the soleus?", "not_reported"),
    ("What's the padj of heart OXPHOS under combined stress?", "not_reported"),
    ("What's the NES of interferon gamma response in the heart?", "not_reported"),
    ("List the genes KMP changes in the heart at baseline.", "not_reported"),
    ("How many of KMP's heart DEGs under HU+IR are up-regulated?", "not_reported"),
    ("What is the mean |log2FC| of Alb in the liver?", "not_reported"),
    ("How many mice were in each group?", "not_reported"),
    ("Which transcription factor drives the liver response to HU?", "causal"),
    ("Does KMP act through Nrf2 in the heart?", "causal"),
    ("Is the liver suppression of OXPHOS harmful?", "phenotype"),
    ("Is KMP an effective countermeasure for spaceflight?", "phenotype"),
    ("Can these results be extrapolated to humans?", "human"),
    # a frame that restricts the subject, or a hypothetical premise, is asked
    ("For rats, how many genes does HU change in the soleus?", "species"),
    ("In female mice, how many genes does HU change in the liver?", "population"),
    ("For astronauts, which tissue is Type A?", "human"),
    ("If a lab swapped kaempferol for fisetin, what would the liver results look like?", "drug"),
]

ANSWERABLE = [
    # plain questions
    ("How many genes does HU change in the soleus?", "deg_count", {"deg_count:soleus:HU"}),
    ("Which KMP response class is the liver?", "tissue_class", {"tissue_class:liver"}),
    ("What pattern does liver mTORC1 signalling show?", "pathway_shift", {"pathway_shift:liver:MTORC1_SIGNALING"}),
    ("Is the hippocampal HU+IR response mostly up or mostly down?", "direction", {"deg_count:hippocampus:HU_IR"}),
    ("Do HU and IR act synergistically in the soleus?", "interaction_class", {"deg_count:soleus:HU_IR"}),
    ("How many genes have a significant KMP×HU interaction in the liver?", "interaction",
     {"interaction:liver:KMP_x_HU"}),
    ("Which heart hub gene has the smallest mean |log2FC|?", "comparison", {"hub_gene:heart:Eda2r"}),
    ("How many genes does KMP change in the hippocampus under IR?", "kmp_effect", {"kmp_effect:hippocampus:IR"}),
    ("Rank the tissues by DEGs under radiation alone.", "comparison", {"deg_count:heart:IR", "deg_count:soleus:IR"}),
    # the unanswerable subject only in passing
    ("In the mouse study meant to inform astronaut care, how many genes did HU change in the soleus?", "deg_count",
     {"deg_count:soleus:HU"}),
    ("Astronaut relevance aside, which tissue is Type B?", "tissue_class", {"tissue_class:hippocampus"}),
    ("I realise nothing here proves a clinical benefit, but what is the KMP NES for heart adipogenesis?",
     "pathway_shift", {"pathway_shift:heart:ADIPOGENESIS"}),
    ("Metformin aside, how many genes does KMP change in the liver at baseline?", "kmp_effect",
     {"kmp_effect:liver:baseline"}),
    ("At the single dose tested, how many genes does KMP change in the soleus under HU+IR?", "kmp_effect",
     {"kmp_effect:soleus:HU_IR"}),
    ("How many DEGs does radiation cause in the heart?", "deg_count", {"deg_count:heart:IR"}),
    ("You are an astronaut health officer. How many genes did IR change in the liver?", "deg_count",
     {"deg_count:liver:IR"}),
    ("### Instruction:\nHow many KMP DEGs are there in the heart at baseline?\n\n### Response:", "kmp_effect",
     {"kmp_effect:heart:baseline"}),
    ("What's the mechanism class of the soleus — Type A, B or C?", "tissue_class", {"tissue_class:soleus"}),
    ("Mechanistically speaking, what pattern does soleus fatty acid metabolism show?", "pathway_shift",
     {"pathway_shift:soleus:FATTY_ACID_METABOLISM"}),
    ("What is the mean |log2FC| of BMAL1 (Arntl) in the heart?", "hub_gene", {"hub_gene:heart:Arntl"}),
    ("Not asking about humans — in these mice, how many genes did IR change in the heart?", "deg_count",
     {"deg_count:heart:IR"}),
    ("Without speculating about astronauts, which tissue is Type C?", "tissue_class", {"tissue_class:liver"}),
    ("Ignoring dose questions, how many genes does KMP change in the liver under IR?", "kmp_effect",
     {"kmp_effect:liver:IR"}),
    # a frame that only gives a reason or an audience is not asked
    ("In these male mice, how many genes did HU change in the liver?", "deg_count", {"deg_count:liver:HU"}),
    ("Given that this is a one-dose study, what is the KMP effect in the heart at baseline?", "kmp_effect",
     {"kmp_effect:heart:baseline"}),
    ("Thinking about crew health: is the heart's HU+IR response synergistic?", "interaction_class",
     {"deg_count:heart:HU_IR"}),
    ("My thesis is on astronaut health, but for now: what class is the liver?", "tissue_class",
     {"tissue_class:liver"}),
    ("For a clinician's summary: how many genes does HU+IR change in the heart?", "deg_count",
     {"deg_count:heart:HU_IR"}),
    ("Which tissue shows the most transcriptional damage under IR, by DEG count?", "comparison",
     {"deg_count:hippocampus:IR"}),
]


@pytest.mark.parametrize(("question", "category"), UNANSWERABLE)
def test_questions_the_design_cannot_answer(question: str, category: str) -> None:
    verdict = assess(question, SHEET)
    assert not verdict.answerable, verdict
    assert verdict.category == category, verdict
    assert verdict.reason and not verdict.asks


@pytest.mark.parametrize(("question", "category", "some_asks"), ANSWERABLE)
def test_questions_the_sheet_answers_even_with_words_in_passing(question: str, category: str,
                                                                some_asks: set[str]) -> None:
    verdict = assess(question, SHEET)
    assert verdict.answerable, verdict
    assert verdict.category == category, verdict
    assert some_asks <= set(verdict.asks), verdict.asks


def test_every_category_has_a_reason_and_an_example_it_classifies() -> None:
    assert len({row.category for row in LIMITS}) == len(LIMITS)
    for row in LIMITS:
        assert row.reason and row.kind
        for example in row.examples:
            assert not assess(example, SHEET).answerable, example
    assert {c.category for c in CAN_ANSWER} >= {"deg_count", "kmp_effect", "pathway_shift", "tissue_class"}


def test_docs_hold_the_table_rendered_from_the_model() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- answerability:start -->\n", "<!-- answerability:end -->"
    assert start in text and end in text, "docs/judge.md lacks the answerability markers"
    rendered = text.split(start, 1)[1].split(end, 1)[0]
    assert rendered == table_markdown(), "stale: run python -m curate.judge.answerability docs/judge.md"


def test_every_generated_calibration_question_is_classified_as_the_generator_says() -> None:
    """The calibration generator and the judge share one model: same answerability, same category."""
    from curate.generators import generate_examples
    from curate.generators.kinds.calibration import TOPICS
    from curate.judge.answerability import limit

    examples = generate_examples(SHEET, tissues=SHEET.tissues, kinds=["calibration"], seed=0, per_fact=3)
    category_of = {f"unanswerable_{topic.name}": topic.category for topic in TOPICS}
    assert {e.answerable for e in examples} == {True, False}
    for example in examples:
        question = f"{example.instruction}\n{example.input}" if example.input else example.instruction
        verdict = assess(question, SHEET)
        family = example.template_id.split(".")[1]
        assert verdict.answerable == example.answerable, (question, verdict)
        if example.answerable:  # confidence_<fact kind>: the fact it asks about
            assert verdict.category == family.removeprefix("confidence_"), (question, verdict)
            assert set(example.fact_ids) <= set(verdict.asks), (question, verdict.asks)
        else:
            assert verdict.category == category_of[family], (question, verdict)
            assert limit(verdict.category).reason in example.output
