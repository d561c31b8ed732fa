"""The claim check's binding rule, one principle per test: a claim is a finding only when its own words tie it
to facts it contradicts (docs/judge.md, "How a number is bound"). Sentences written for these tests, in the
study's facts: HU DEGs heart 165, hippocampus 1,555, liver 4,110 (2,189 up, 1,921 down), soleus 6,425; IR liver
1,273 (413 up, 860 down), heart 33."""

from __future__ import annotations

import pytest

from curate.generators.embedded import load_default_factsheet
from curate.judge import read_claims

QUESTION = "How do the tissues compare in their response to HU?"


@pytest.fixture(scope="module")
def sheet():  # type: ignore[no-untyped-def]
    return load_default_factsheet()


def findings(sheet, text: str, question: str = QUESTION) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.type for f in read_claims(text, sheet, question=question).findings]


@pytest.mark.parametrize("text", [
    "Under HU, the liver has more DEGs than the soleus.",
    "Under HU the heart changes more genes than the hippocampus.",
    "The hippocampus responds more strongly to unloading than the liver does.",
    "Under HU, the soleus has fewer DEGs than the liver.",
    "In the liver, IR changes more genes than HU.",
    "Radiation has a larger effect than unloading in the liver.",
])
def test_a_wrong_comparative_is_a_finding(sheet, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "wrong_order" in findings(sheet, text)


@pytest.mark.parametrize("text", [
    "Under HU, the soleus has more DEGs than the liver.",
    "In the liver, HU changes more genes than IR.",
    "Under HU, the liver (4,110) responds more than the hippocampus (1,555) but less than the soleus (6,425).",
    "Under HU the liver changes more than 4,000 genes.",  # a bound, not a comparison of subjects
    "In the liver more genes go down than up under IR.",
    "Ionizing radiation changed 33 genes in the heart — far fewer than hindlimb unloading, which changed 165.",
])
def test_a_right_or_unclear_comparative_is_not(sheet, text: str) -> None:  # type: ignore[no-untyped-def]
    assert findings(sheet, text) == []


def test_most_down_against_an_up_majority(sheet) -> None:  # type: ignore[no-untyped-def]
    assert "wrong_direction" in findings(sheet, "Most of the liver's HU DEGs are down-regulated.")
    assert findings(sheet, "Most of the liver's IR DEGs are down-regulated (860 of 1,273).") == []


def test_a_denied_count_states_its_negation(sheet) -> None:  # type: ignore[no-untyped-def]
    assert findings(sheet, "HU does not cause 4,110 DEGs in liver.") == ["wrong_number"]
    assert findings(sheet, "HU does not cause 1,273 DEGs in liver.") == []
    assert findings(sheet, "IR never changes more than 100 genes in the heart.") == []


def test_a_figure_equal_to_another_fact_needs_its_own_words_to_be_wrong(sheet) -> None:  # type: ignore[no-untyped-def]
    # its clause names the other contrast: wrong
    assert "wrong_number" in findings(sheet, "In the liver, radiation changes 4,110 genes.")
    # the words that would bind it to another fact are a sentence away, with two tissues in play: not a finding
    text = "The heart and the liver differ. The heart is the least responsive tissue. Under HU, 4,110 genes change."
    assert findings(sheet, text) == []


def test_a_list_items_lead_in_binds_it_but_a_heading_further_up_does_not(sheet) -> None:  # type: ignore[no-untyped-def]
    lead_in = "DEGs under IR, by tissue:\n\n- Liver: 4,110\n- Heart: 33\n"
    assert "wrong_number" in findings(sheet, lead_in, "List the IR DEG counts.")
    heading = "## Radiation\n\nSome context.\n\n### Liver\n\n- 4,110 genes under HU\n"
    assert findings(sheet, heading, "Describe the liver.") == []


def test_a_negation_reaches_one_label(sheet) -> None:  # type: ignore[no-untyped-def]
    question = "What is the response class of the hippocampus?"
    assert findings(sheet, "Hippocampus is baseline-active, not stress-activated (Type B).", question) == []
    assert "wrong_class" in findings(sheet, "Hippocampus is not Type B (baseline-active).", question)


def test_a_share_worked_out_from_written_figures_is_the_texts_own_arithmetic(sheet) -> None:  # type: ignore[no-untyped-def]
    text = "In the hippocampus KMP changes 4,110 genes at baseline but only 140 under HU+IR, a 97% drop."
    assert findings(sheet, text, "What does KMP do in the hippocampus?") == []


def test_a_count_of_listed_facts_is_checked_as_one(sheet) -> None:  # type: ignore[no-untyped-def]
    question = "Tell me about the heart."
    assert findings(sheet, "The heart has 8 hub genes; Alb tops the list at 4.26.", question) == []
    assert findings(sheet, "In the soleus, 2 pathways are rescued.", question) == []
    assert findings(sheet, "The heart has 5 hub genes.", question) == ["wrong_number"]
    assert findings(sheet, "In total, KMP rescues 10 pathway–tissue combinations.", question) == ["wrong_number"]


def test_a_ranking_written_on_one_line(sheet) -> None:  # type: ignore[no-untyped-def]
    assert findings(sheet, "Ranked by HU DEGs: liver, soleus, hippocampus, heart.") == ["wrong_order"]
    assert findings(sheet, "Ranked by HU DEGs: soleus, liver, hippocampus, heart.") == []
    assert findings(sheet, "From least to most HU DEGs: heart, hippocampus, liver, soleus.") == []


def stated(sheet, text: str, question: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(read_claims(text, sheet, question=question).stated_fact_ids)


def test_a_short_answers_bare_figure_is_bound_by_the_question_that_asks_an_amount(sheet) -> None:  # type: ignore[no-untyped-def]
    """'non-additivity' names the interaction, not a class: a question asking how widespread it is asks a count."""
    question = "For the heart, how widespread is the non-additivity captured by the HU×IR interaction?"
    assert findings(sheet, "244 genes.", question) == []
    assert stated(sheet, "244 genes.", question) == {"interaction:heart:HU_x_IR"}
    assert findings(sheet, "245 genes.", question) == ["wrong_number"]


def test_a_figure_with_no_words_of_its_own_takes_those_of_the_same_figure_written_again(sheet) -> None:  # type: ignore[no-untyped-def]
    text = "244 genes. In heart, the HU×IR interaction term is significant for 244 genes."
    assert findings(sheet, text, "How many DEGs does HU cause in the heart?") == []
    assert stated(sheet, text, "How many DEGs does HU cause in the heart?") == {"interaction:heart:HU_x_IR"}


def test_of_equal_valued_facts_the_one_all_the_words_fit_is_stated(sheet) -> None:  # type: ignore[no-untyped-def]
    """KMP changes 2 genes in the heart under HU and 2 under IR: 'between KMP and vehicle ... under irradiation' is
    one clause ('between A and B' does not split), and it names IR."""
    text = "Barely. Only 2 genes differ between KMP and vehicle in heart under irradiation."
    assert stated(sheet, text, "") == {"kmp_effect:heart:IR"}
    question = "Comparing kaempferol-treated with vehicle-treated heart under irradiation, how many genes change?"
    assert stated(sheet, "Only 2 genes differ between KMP and vehicle.", question) == {"kmp_effect:heart:IR"}


@pytest.mark.parametrize(("text", "expected"), [
    ("OXPHOS is depleted in the stressed heart (NES 2.3).", []),  # the word gives the sign: -2.3
    ("OXPHOS is enriched in the stressed heart (NES 2.3).", ["wrong_number"]),
    ("In the heart under combined stress, OXPHOS has an NES of 2.3.", ["wrong_number"]),  # sign-less reads positive
    ("In skeletal muscle, HU changes 4,110 genes.", ["wrong_number"]),  # the soleus is the only skeletal muscle
    ("Slow-twitch muscle: 6,830 DEGs under combined stress.", []),
    ("Under HU, the liver is the second most responsive tissue.", []),
    ("Under HU, the hippocampus is the second most responsive tissue.", ["wrong_superlative"]),
    ("Under HU the soleus leads and the hippocampus is the runner-up.", ["wrong_superlative"]),
    ("Unloading hits the liver hardest.", ["wrong_superlative"]),
    ("Radiation hits the heart the least.", []),
    ("Apart from the hippocampus, the liver has the most DEGs under IR.", []),  # a subject set aside
    ("Under HU, unloading ranges from 165 DEGs (heart) to 6,425 (soleus).", []),  # a bracket on the figure
    ("It can't say how long the soleus OXPHOS rescue lasts.", []),  # an indirect question asserts nothing
])
def test_round_3_principles(sheet, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert findings(sheet, text, "") == expected
