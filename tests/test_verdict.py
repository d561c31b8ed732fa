"""The item verdict: declines read for meaning, hedges are not declines, salad is not an answer, and an
answer must state what the question asks. Cases the issue probed by hand come first."""

from __future__ import annotations

import pytest

from curate.generators.embedded import load_default_factsheet
from curate.judge.declines import declines, guess_clauses, is_salad
from curate.judge.verdict import judge_answer

SHEET = load_default_factsheet()


def kinds(verdict) -> set[str]:
    return {f.type for f in verdict.findings}


# -- the probes of issue 15 -----------------------------------------------------------------------
def test_a_hedged_made_up_answer_to_an_unanswerable_question_is_wrong() -> None:
    verdict = judge_answer("Would the heart be a Type A tissue in rats as well?",
                           "Heart is probably a Type A tissue in rats too, though the exact count of KMP-responsive "
                           "genes is unknown.", SHEET)
    assert not verdict.answerable and verdict.answerable_category == "species"
    assert not verdict.correct, verdict.reasons
    assert kinds(verdict) & {"made_up", "does_not_decline"}


def test_a_right_answer_ending_with_a_hedge_is_correct() -> None:
    verdict = judge_answer("How many genes does ionizing radiation change in the liver?",
                           "Radiation changes 1,273 genes in the liver, but I cannot be certain.", SHEET)
    assert verdict.correct, verdict.reasons
    assert not verdict.declines
    assert "deg_count:liver:IR" in verdict.facts_used


def test_word_salad_is_not_correct() -> None:
    verdict = judge_answer("What does KMP do to oxidative phosphorylation in heart under combined stress?",
                           "RESCUE -2.302 3.691 heart OXPHOS combined KMP", SHEET)
    assert not verdict.correct
    assert "not_a_claim" in kinds(verdict)


def test_up_and_down_counts_swapped_inside_parentheses_are_wrong() -> None:
    verdict = judge_answer("How many genes does ionizing radiation change in the liver?",
                           "1,273 DEGs (860 up, 413 down).", SHEET)
    assert not verdict.correct
    assert any(f.check == "claims" for f in verdict.findings), verdict.reasons


def test_most_down_against_an_up_majority_is_wrong() -> None:
    verdict = judge_answer("How many genes does HU change in the liver, and in which direction?",
                           "HU changes 4,110 genes in the liver; most are down-regulated.", SHEET)
    assert not verdict.correct, verdict.reasons


# -- declines ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    "Cannot answer from this data: the study used one dose.",
    "The study isn't designed to answer that: every animal was sampled at one time point.",
    "Not answerable from a single-dose design.",
    "The kidney wasn't part of this study, so there's no kidney count to report.",
    "Unknown — rats weren't studied.",
    "Nobody can say from this experiment.",
    "There's no way to know from this experiment.", "The experiment doesn't address that.",
    "That lies outside the scope of the study.", "We simply don't have that information.",
    "The summary is silent on this.", "This wasn't looked at.", "No such data exist.", "I have no basis to say.",
    "It's impossible to say.", "Insufficient data.", "Not something this dataset can speak to.",
    "The design doesn't allow that conclusion.", "That would require a dose-response study, which wasn't done.",
    "The answer isn't in the data.", "Unclear from this study.", "That's beyond this study's scope.",
    "No — the data don't support that.", "N/A — not studied.", "Not addressed by this study.",
    "I can't say for certain, since the study used only one dose.", "I don't know.",
    "That's not something the experiment looked at.", "The study has nothing to say about rats.",
    "Sorry, this dataset only covers mice.", "We'd need a dose-response study to know.",
    "Only a dose-ranging study could answer that.", "It's an open question.", "No one has measured that here.",
    "Untested.", "Not in scope.", "I won't guess.", "Data don't exist for that.",
    "Neither the kidney nor humans were studied.", "That's a question for a different study.",
])
def test_declines_are_read_for_meaning(answer: str) -> None:
    assert declines(answer)


@pytest.mark.parametrize("answer", [
    "Radiation changes 1,273 liver genes, but I cannot be certain.",
    "If I recall correctly, the heart is Type A. I'm not 100% sure.",
    "About 1,600, I believe; I'd double-check the exact figure.",
    "I can't say for sure, but I think it's 1,273.", "I don't know the exact figure, but it's around 1,300.",
    "I can't recall the exact number, but about 1,273.", "It's 1,273, I believe, though I can't be 100% sure.",
    "Probably 1,273; I may be wrong.",
])
def test_hedges_are_not_declines(answer: str) -> None:
    assert not declines(answer)


def test_a_correct_decline_citing_right_facts_is_correct() -> None:
    verdict = judge_answer("How many genes does KMP change in the kidney under combined HU and IR?",
                           "The kidney wasn't sequenced in this study, so I can't give a count. For comparison, KMP "
                           "changed 2,110 genes in the heart under combined HU+IR.", SHEET)
    assert verdict.correct, verdict.reasons
    assert verdict.declines and not verdict.answerable and verdict.answerable_category == "tissue"


def test_a_decline_followed_by_a_guess_is_a_made_up_answer() -> None:
    answer = ("Lung wasn't sequenced in this study, so I can't give a count — I'd guess something like 1,000, "
              "similar to the other tissues.")
    assert [c.text for c in guess_clauses(answer)]
    verdict = judge_answer("How many DEGs did KMP cause in the lung?", answer, SHEET)
    assert not verdict.correct and "made_up" in kinds(verdict)


def test_an_answer_to_an_unanswerable_question_that_does_not_decline_is_wrong() -> None:
    verdict = judge_answer("What's the optimal human dose of KMP for astronauts?", "About 50 mg/day.", SHEET)
    assert not verdict.correct and "does_not_decline" in kinds(verdict)
    assert verdict.answerable_category == "dose"


def test_declining_an_answerable_question_is_wrong_even_with_astronauts_in_it() -> None:
    verdict = judge_answer("For NASA's purposes, how many genes did ionizing radiation alone change in the "
                           "hippocampus?", "I can't speak to NASA's purposes; this is a mouse study.", SHEET)
    assert verdict.answerable
    assert not verdict.correct and "declines_answerable" in kinds(verdict)


def test_a_right_answer_with_a_decline_of_something_unasked_is_correct() -> None:
    verdict = judge_answer("How many genes does KMP change in the heart under combined HU+IR?",
                           "KMP changes 2,110 heart genes under combined HU+IR. What we can't say is whether this "
                           "protects an astronaut's heart.", SHEET)
    assert verdict.correct, verdict.reasons
    assert not verdict.declines


# -- well-formed, and what is asked ------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    "RESCUE -2.302 3.691 heart OXPHOS combined KMP",
    "synergistic additive antagonistic 1.25 0.8 6,213 4,110 1,273 ratio",
    "4,110; 1,273; 6,213",
    "- liver\n- INTERFERON_GAMMA_RESPONSE\n- 1.542\n- -2.336\n- SUPPRESSION?\n- KMP",
])
def test_salad(answer: str) -> None:
    assert is_salad(answer)


@pytest.mark.parametrize("answer", [
    "Type B.", "0", "Soleus (6,830).", "Synergistic (910 vs 198 expected).", "~19x",
    "Skeletal muscle (soleus, 6,830) > hepatic (6,213) > hippocampal (5,510) > cardiac (910).",
    "Alb 4.26, Cps1 3.21, Lcn2 1.35",
])
def test_terse_answers_are_not_salad(answer: str) -> None:
    assert not is_salad(answer)


def test_an_answer_that_talks_about_something_else_does_not_answer() -> None:
    verdict = judge_answer("Is the hippocampus stress-activated?",
                           "The hippocampus is interesting: KMP changes 4,110 genes there at baseline.", SHEET)
    assert not verdict.correct and "does_not_answer" in kinds(verdict)


def test_which_tissue_has_the_most_needs_the_right_tissue() -> None:
    question = "Which tissue has the most DEGs under HU alone?"
    assert judge_answer(question, "Soleus, with 6,425.", SHEET).correct
    wrong = judge_answer(question, "Liver, 4,110.", SHEET)
    assert not wrong.correct and "wrong_pick" in kinds(wrong)
    listed = judge_answer("Under IR alone, where does KMP have the smallest effect?",
                          "Liver 389, hippocampus 243, soleus 52, heart 2. So the smallest KMP effect under IR is in "
                          "the soleus.", SHEET)
    assert not listed.correct and "wrong_pick" in kinds(listed)


def test_a_bare_pick_answers_which_has_the_most() -> None:
    assert judge_answer("Which heart hub gene changes the most?", "Alb.", SHEET).correct
    assert judge_answer("Which single stressor dominates the soleus response?", "Unloading.", SHEET).correct
    wrong = judge_answer("Which heart hub gene changes the least?", "Per2.", SHEET)
    assert not wrong.correct and "wrong_pick" in kinds(wrong)


def test_yes_or_no_is_checked_against_the_question_read_as_a_statement() -> None:
    assert judge_answer("Is the soleus Type A?", "Yes.", SHEET).correct
    assert not judge_answer("Is the liver Type A?", "Yes.", SHEET).correct
    rescued = judge_answer("Is liver OXPHOS rescued by KMP?", "Yes, rescued.", SHEET)
    assert not rescued.correct and "wrong_yes_no" in kinds(rescued)
    assert judge_answer("Does HU+IR change more soleus genes than HU alone?", "Yes: 6,830 against 6,425.",
                        SHEET).correct
    quoted = judge_answer('Is this statement correct? "In heart, ionizing radiation (IR) changes 165 genes."',
                          "No. In heart, IR changes 33 genes; 165 is the HU count.", SHEET)
    assert quoted.correct, quoted.reasons


def test_the_verdict_carries_what_it_rests_on() -> None:
    verdict = judge_answer("What response class is the hippocampus?", "Type B (baseline-active).", SHEET)
    assert verdict.correct and verdict.answerable and verdict.answerable_category == "tissue_class"
    assert verdict.asks == ("tissue_class:hippocampus",)
    assert verdict.facts_used == ("tissue_class:hippocampus",)
    assert verdict.reasons == ()
    given = judge_answer("What response class is the hippocampus?", "The data cannot tell.", SHEET, answerable=False)
    assert given.correct and given.answerable_category == "given"
