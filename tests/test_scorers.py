"""The scorer is the judge's verdict: it reads what an answer claims, not whether it shares substrings with the
reference. The reference's checks are recorded as evidence (`ref_*`) and never decide."""

from __future__ import annotations

import json
import re

import pytest

from curate.generators import generate_examples
from curate.generators.embedded import load_default_factsheet
from curate.judge.declines import declines
from curate.schemas import EXAMPLE_KINDS, EvalReport
from curate.train.evaluate import Answered, build_report, question_of, score_items
from curate.train.metrics import calibration
from curate.train.scorers import Question, score_answer
from curate.train.text import is_negated, numbers

SHEET = load_default_factsheet()

LIVER_HU = Question(
    question="How many genes are differentially expressed in liver under hindlimb unloading (HU)?",
    reference="Hindlimb unloading (HU) causes 4,110 DEGs in liver (2,189 up, 1,921 down).",
    fact_ids=("deg_count:liver:HU",),
    tissue="liver",
)
HEART_OXPHOS = Question(
    question="What does KMP do to oxidative phosphorylation in heart under combined stress?",
    reference="In heart, oxidative phosphorylation (OXPHOS) has NES -2.302 under combined stress and NES +3.691 "
              "with KMP: a RESCUE pattern, meaning combined stress lowers the pathway and KMP raises it back.",
    fact_ids=("pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION",),
    tissue="heart",
)
HU_RANKING = Question(
    question="Rank the tissues by the number of DEGs under hindlimb unloading (HU).",
    reference="Full order by DEGs under HU: soleus (6,425) > liver (4,110) > hippocampus (1,555) > heart (165).",
    fact_ids=("deg_count:soleus:HU", "deg_count:liver:HU", "deg_count:hippocampus:HU", "deg_count:heart:HU"),
    tissue="cross-tissue",
    kind="comparison",
)
HIPPOCAMPUS_CLASS = Question(
    question="Which KMP response class is hippocampus?",
    reference="Hippocampus is Type B (baseline-active): a blocked response under combined stress.",
    fact_ids=("tissue_class:hippocampus",),
    tissue="hippocampus",
)
UNANSWERABLE = Question(
    question="How many genes would metformin change in liver at baseline?",
    reference="The data cannot tell: metformin was not tested. Only KMP against vehicle was compared.",
    answerable=False,
    tissue="liver",
    kind="calibration",
)


def verdict(q: Question, answer: str):
    return score_answer(q, answer, SHEET)


def substring_match(q: Question, answer: str) -> bool:
    """What a naive scorer does: every number of the reference appears somewhere in the answer."""
    return all(n.text.lstrip("+") in answer for n in numbers(q.reference))


# -- right answers pass ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "answer"),
    [
        (LIVER_HU, LIVER_HU.reference),
        (LIVER_HU, "In the liver, HU changes 4110 genes: 2,189 up and 1,921 down."),
        (HEART_OXPHOS, "KMP rescues OXPHOS in heart: NES -2.30 under combined stress, 3.69 with KMP (RESCUE)."),
        (HU_RANKING, "Under HU, heart has the fewest DEGs (165), then hippocampus (1,555), liver (4,110) and "
                     "soleus (6,425)."),
        pytest.param(HIPPOCAMPUS_CLASS, "Hippocampus is baseline-active, not stress-activated (Type B).",
                     marks=pytest.mark.xfail(reason="claim check reads 'not ... (Type B)' as negating Type B")),
        (UNANSWERABLE, "This cannot be answered from the study: metformin was not tested."),
    ],
)
def test_right_answers_pass(q: Question, answer: str) -> None:
    result = verdict(q, answer)
    assert result.correct, [f.message for f in result.findings]


# -- wrong answers that a substring match would pass ------------------------------------------
@pytest.mark.parametrize(
    ("q", "answer", "scorer"),
    [
        # the right number inside a wrong statement: wrong tissue, wrong stressor, negated
        (LIVER_HU, "Hindlimb unloading (HU) causes 4,110 DEGs in hippocampus (2,189 up, 1,921 down).", "numeric"),
        (LIVER_HU, "Radiation (IR) causes 4,110 DEGs in liver (2,189 up, 1,921 down).", "numeric"),
        pytest.param(LIVER_HU, "HU does not cause 4,110 DEGs in liver (2,189 up, 1,921 down).", "negation",
                     marks=pytest.mark.xfail(reason="the claim check does not read a negated count yet")),
        # a wrong ranking, with every number present and each still next to its own tissue
        (HU_RANKING, "Full order by DEGs under HU: liver (4,110) > soleus (6,425) > hippocampus (1,555) > "
                     "heart (165).", "ranking"),
        # numbers swapped between tissues, order kept
        (HU_RANKING, "Full order by DEGs under HU: soleus (4,110) > liver (6,425) > hippocampus (1,555) > "
                     "heart (165).", "numeric"),
        # the pattern negated, with the numbers and even the word RESCUE present
        (HEART_OXPHOS, "KMP does not rescue OXPHOS in heart: NES -2.302 under combined stress and NES +3.691 "
                       "with KMP, unlike a RESCUE pattern.", "negation"),
        (HEART_OXPHOS, "In heart, OXPHOS has NES -2.302 under combined stress and NES +3.691 with KMP: a "
                       "SUPPRESSION pattern.", "categorical"),
        (HIPPOCAMPUS_CLASS, "Hippocampus is not Type B (baseline-active); it is stress-activated.", "categorical"),
    ],
)
def test_wrong_statements_with_right_numbers_fail(q: Question, answer: str, scorer: str) -> None:
    assert substring_match(q, answer), "the case must be one a substring match would pass"
    result = verdict(q, answer)
    assert not result.correct, "the judge decides"
    assert result.results["judge"] is False
    assert result.results[f"ref_{scorer}"] is False, "the reference's evidence agrees"


def test_kmp_does_not_rescue_oxphos_in_heart_is_wrong() -> None:
    result = verdict(HEART_OXPHOS, "KMP does not rescue OXPHOS in heart.")
    assert not result.correct
    assert result.results["ref_negation"] is False
    assert result.results["ref_categorical"] is False
    assert {f.fact_id for f in result.evidence if f.check == "ref_numeric"} == {
        "pathway_shift:heart:OXIDATIVE_PHOSPHORYLATION"
    }


def test_numbers_are_judged_by_the_rounding_rule() -> None:
    """A figure is right when the true value rounds to it at its last digit (tests/judge_corpus/README.md)."""
    ok = verdict(HEART_OXPHOS, "In heart, OXPHOS has NES -2.30 under combined stress and NES +3.69 with KMP: RESCUE.")
    assert ok.correct, ok.verdict.reasons
    too_far = verdict(HEART_OXPHOS, "In heart, OXPHOS has NES -2.32 under combined stress and NES +3.69 with KMP: "
                                    "RESCUE.")
    assert not too_far.correct
    off_by_one_count = verdict(LIVER_HU, "Hindlimb unloading (HU) causes 4,111 DEGs in liver (2,189 up, 1,921 down).")
    assert not off_by_one_count.correct
    assert off_by_one_count.results["ref_numeric"] is False


def test_calibration_decline_rules() -> None:
    answered_anyway = verdict(UNANSWERABLE, "Metformin changes 309 genes in liver at baseline.")
    assert not answered_anyway.correct
    assert "does_not_decline" in {f.type for f in answered_anyway.findings}
    declined_answerable = verdict(LIVER_HU, "The data cannot tell how many genes HU changes in liver.")
    assert not declined_answerable.correct
    assert "declines_answerable" in {f.type for f in declined_answerable.findings}
    hedged_with_made_up_number = verdict(UNANSWERABLE, "Not reported, but probably about 500 genes in liver.")
    assert not hedged_with_made_up_number.correct
    assert "made_up" in {f.type for f in hedged_with_made_up_number.findings}


def test_extra_right_context_is_fine_and_extra_wrong_context_is_not() -> None:
    assert verdict(LIVER_HU, LIVER_HU.reference + " The soleus has more (6,425).").correct
    assert not verdict(LIVER_HU, LIVER_HU.reference + " The soleus has 6,452.").correct


# -- the probes of issue 15 -----------------------------------------------------------------------
def test_a_hedged_made_up_answer_fails_calibration_even_though_it_says_unknown() -> None:
    q = Question("Would the heart be a Type A tissue in rats as well?", answerable=False, kind="calibration")
    result = verdict(q, "Heart is probably a Type A tissue in rats too, though the exact count is unknown.")
    assert not result.correct
    assert result.results["answer"] is False


def test_a_right_answer_ending_but_i_cannot_be_certain_passes() -> None:
    result = verdict(LIVER_HU, "Hindlimb unloading changes 4,110 genes in the liver (2,189 up, 1,921 down), but I "
                               "cannot be certain.")
    assert result.correct, result.verdict.reasons
    assert not result.verdict.declines


def test_word_salad_scores_wrong() -> None:
    result = verdict(HEART_OXPHOS, "RESCUE -2.302 3.691 heart OXPHOS combined KMP")
    assert substring_match(HEART_OXPHOS, "RESCUE -2.302 3.691 heart OXPHOS combined KMP")
    assert not result.correct
    assert "not_a_claim" in {f.type for f in result.findings}


def test_up_and_down_counts_swapped_inside_parentheses_fail_the_scorer() -> None:
    result = verdict(LIVER_HU, "Hindlimb unloading (HU) causes 4,110 DEGs in liver (1,921 up, 2,189 down).")
    assert not result.correct
    assert result.results["claims"] is False


def test_most_are_down_regulated_against_an_up_majority_fails() -> None:
    result = verdict(LIVER_HU, "HU changes 4,110 genes in the liver; most are down-regulated.")
    assert not result.correct


def test_the_claim_check_is_part_of_every_verdict_and_none_means_no_score(monkeypatch) -> None:
    """No silent fallback: if the judge cannot be imported, scoring fails with one line."""
    import sys

    from curate.schemas.errors import CurateError

    result = verdict(LIVER_HU, "4,111 DEGs in liver.")
    assert result.results["claims"] is False and not result.correct
    monkeypatch.setitem(sys.modules, "curate.judge.verdict", None)
    with pytest.raises(CurateError, match="cannot run"):
        score_answer(LIVER_HU, LIVER_HU.reference, SHEET)


def test_negation_reads_only_its_own_clause() -> None:
    text = "Hippocampus is not stress-activated, it is baseline-active."
    assert is_negated(text, text.index("stress-activated"))
    assert not is_negated(text, text.index("baseline-active"))
    assert not declines("In heart, KMP changes 112 genes at baseline.")
    assert declines("The study does not report protein levels.")


def test_numbers_ignore_names_and_keep_separators() -> None:
    found = [n.value for n in numbers("Per2 and Cdkn1a in a 2x2x2 design: 4,110 DEGs, NES -2.302, +3.691, 0.05.")]
    assert found == [4110, -2.302, 3.691, 0.05]


def test_every_generated_reference_passes_and_corrupted_ones_fail() -> None:
    """Over every kind the generators make: the reference is right, and swapping one stated fact value is wrong."""
    examples = generate_examples(SHEET, tissues=SHEET.tissues, kinds=list(EXAMPLE_KINDS), seed=0, per_fact=1)
    wrong_passed, corrupted = [], 0
    for example in examples:
        q = question_of(example)
        assert score_answer(q, example.output, SHEET).correct, example.id
        swapped = _swap_first_fact_value(example.output, example.fact_ids)
        if swapped is not None:
            corrupted += 1
            if score_answer(q, swapped, SHEET).correct:
                wrong_passed.append((example.id, swapped))
    assert corrupted > 100
    assert not wrong_passed, wrong_passed[:3]


def _swap_first_fact_value(text: str, fact_ids: list[str]) -> str | None:
    """Replace the first count of the example's facts by a different count (kept as an integer)."""
    by_id = SHEET.by_id()
    counts = {getattr(by_id[i], "n_degs", None) for i in fact_ids if i in by_id} - {None}
    for number in numbers(text):
        if number.decimals == 0 and number.value in counts:
            replacement = f"{int(number.value) + 7:,}"
            return text[:number.start] + replacement + text[number.end:]
    return None


def test_report_metrics_and_json_round_trip(tmp_path) -> None:
    from curate.train.evaluate import write_report

    answered = [
        Answered(LIVER_HU, LIVER_HU.reference, 0.9),
        Answered(HU_RANKING, "Full order: liver (4,110) > soleus (6,425) > hippocampus (1,555) > heart (165).", 0.8),
        Answered(UNANSWERABLE, "The data cannot tell.", 0.6),
        Answered(HEART_OXPHOS, "KMP does not rescue OXPHOS in heart.", 0.3),
    ]
    items = score_items(answered, SHEET)
    assert [item.correct for item in items] == [True, False, True, False], [i.reasons for i in items]
    assert items[2].declines and not items[2].answerable and items[2].answerable_category == "drug"
    assert items[0].facts_used == ["deg_count:liver:HU"] and items[0].asks == ["deg_count:liver:HU"]
    report = build_report(items, facts_name=SHEET.name, split="test", version="v1")
    assert report.accuracy == 0.5
    assert report.accuracy_by_kind == {"calibration": 1.0, "comparison": 0.0, "factual_qa": 0.5}
    assert report.accuracy_by_tissue["liver"] == 1.0
    expected_brier = ((0.9 - 1) ** 2 + 0.8**2 + (0.6 - 1) ** 2 + 0.3**2) / 4
    assert report.brier == pytest.approx(expected_brier, abs=1e-6)
    # one item per bin: ECE is the mean |accuracy - confidence|, MCE the largest of them
    assert report.ece == pytest.approx((0.1 + 0.8 + 0.4 + 0.3) / 4, abs=1e-6)
    assert report.mce == pytest.approx(0.8, abs=1e-6)
    written = write_report(report, tmp_path / "eval")
    assert [p.name for p in written] == ["report.json", "reliability.png"]
    assert written[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    loaded = EvalReport.model_validate_json(written[0].read_text())
    assert loaded == report
    assert all(item.findings for item in loaded.failures)
    assert json.loads(written[0].read_text())["schema"] == "curate.eval/1"


def test_calibration_metrics_on_known_values() -> None:
    perfect = calibration([1.0, 1.0, 0.0, 0.0], [True, True, False, False])
    assert perfect["ece"] == 0 and perfect["mce"] == 0 and perfect["brier"] == 0
    overconfident = calibration([0.95] * 10, [True] * 5 + [False] * 5)
    assert overconfident["ece"] == pytest.approx(0.45)
    assert sum(b["count"] for b in overconfident["bins"]) == 10
    assert calibration([], [])["ece"] is None


def test_all_label_vocabularies_are_recognised() -> None:
    from curate.train.text import labels

    text = ("Type A, class B, stress-blocked; RESCUE, SUPPRESSION, KMP-only, NS; up-regulated and down; "
            "additive, synergistic, antagonistic.")
    found = {(m.kind, m.value) for m in labels(text)}
    assert {("class", "A"), ("class", "B"), ("class", "C"), ("pattern", "RESCUE"), ("pattern", "SUPPRESSION"),
            ("pattern", "KMP_ONLY"), ("pattern", "NS"), ("direction", "up"), ("direction", "down"),
            ("interaction", "additive"), ("interaction", "synergistic"), ("interaction", "antagonistic")} <= found
    assert not re.search(r"NES", "".join(m.value for m in labels("NES -2.3")))


@pytest.mark.parametrize("q", [LIVER_HU, HEART_OXPHOS, HU_RANKING, HIPPOCAMPUS_CLASS])
@pytest.mark.parametrize("answer", ["", "   ", "\n"])
def test_an_empty_answer_is_wrong_not_a_crash(q: Question, answer: str) -> None:
    """A tiny model early in training often says nothing at all."""
    assert not verdict(q, answer).correct
