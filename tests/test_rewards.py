"""The reward functions separate right from wrong answers, including answers that fool a substring check.

Each reward is called the way TRL's GRPOTrainer calls it: conversational prompts and completions,
the dataset's columns (reference, fact_ids, answerable) as keyword arguments, one value per
completion, None where the verifier does not apply.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import read_examples

from curate.schemas.errors import BadInputError
from curate.schemas.examples import join_prompt
from curate.train import text as tx
from curate.train.rewards import REWARD_NAMES, SCORES, ComposedReward, Reward, composed_reward, reward_functions, select

HU_LIVER = "How many genes does hindlimb unloading change in the liver?"
HU_LIVER_REF = ("In liver, hindlimb unloading (HU) changes 4,110 genes (2,189 up, 1,921 down) against vehicle "
                "controls at padj < 0.05.")
HU_LIVER_IDS = ["deg_count:liver:HU"]
KIDNEY = "How many genes does hindlimb unloading change in the kidney?"
KIDNEY_REF = ("The data cannot tell: the kidney was not sequenced in this study, and the tissues that were respond "
              "very differently from each other, so no count can be borrowed.")
OXPHOS = "What happens to oxidative phosphorylation in the liver under combined stress, and with KMP?"
OXPHOS_REF = ("In liver, oxidative phosphorylation (OXPHOS) has NES +3.596 under combined stress and NES -1.6 with "
              "KMP: a SUPPRESSION pattern, meaning combined stress raises the pathway and KMP pushes it back down.")
OXPHOS_IDS = ["pathway_shift:liver:OXIDATIVE_PHOSPHORYLATION"]


@pytest.fixture(scope="module")
def sheet():
    from curate.generators.embedded import load_default_factsheet

    return load_default_factsheet()


@pytest.fixture(scope="module")
def rewards(sheet) -> dict[str, Reward]:
    return {reward.__name__: reward for reward in reward_functions(sheet)}


def call(reward, question: str, answers: list[str], *, reference: str, fact_ids: list[str],
         answerable: bool = True) -> list[float | None]:
    """As GRPOTrainer calls a reward function: one row per completion, the columns repeated."""
    n = len(answers)
    return reward(
        prompts=[[{"role": "user", "content": question}]] * n,
        completions=[[{"role": "assistant", "content": answer}] for answer in answers],
        completion_ids=[[0]] * n,
        reference=[reference] * n, fact_ids=[fact_ids] * n, answerable=[answerable] * n, kind=["factual_qa"] * n,
        trainer_state=None,
    )


def substring_declines(answer: str) -> bool:
    """The decline check these answers fool: a refusal word anywhere in the answer."""
    return any(word in answer.lower() for word in ("unknown", "cannot", "can't", "not sure", "no data"))


def substring_check(answer: str, reference: str) -> bool:
    """The check these answers fool: every value the reference states (not its padj cut-off) is in the answer."""
    return all(number.text in answer for number in tx.numbers(reference) if number.value != 0.05)


# -- factual -----------------------------------------------------------------------------------------
RIGHT = "HU changes 4,110 genes in the liver (2,189 up and 1,921 down)."
SWAPPED = "In liver, HU changes 4,110 genes (1,921 up, 2,189 down)."  # up and down swapped in parentheses
SALAD = "4,110 2,189 1,921 liver HU genes up down"  # the right numbers, bound to nothing
LOOP = "liver liver 4,110 4,110 4,110 genes genes HU 2,189 1,921"
PARTIAL = "HU changes 4,110 genes in the liver."
WRONG = "HU changes about 3,000 genes in the liver."


def test_factual_rewards_the_right_numbers_bound_right(rewards) -> None:
    right, swapped, salad, loop, partial, wrong = call(
        rewards["factual"], HU_LIVER, [RIGHT, SWAPPED, SALAD, LOOP, PARTIAL, WRONG],
        reference=HU_LIVER_REF, fact_ids=HU_LIVER_IDS)
    assert right == 1.0
    assert all(substring_check(text, HU_LIVER_REF) for text in (SWAPPED, SALAD, LOOP)), "they fool a substring check"
    assert swapped < 0 and salad < 0 and loop == -1.0
    assert 0 < partial < right, "one of three values stated: partial credit"
    assert wrong == -1.0


def test_garbled_text_with_a_right_number_is_not_an_answer(rewards) -> None:
    """What a small model's byte-level sampling produces: a right count by chance, in no language."""
    garbled = "liver,mpferheck versus draf[ I That 4,110 diff resul than\x17\ufffdom gores 2,189 up 1,921 down"
    assert substring_check(garbled, HU_LIVER_REF)
    assert call(rewards["factual"], HU_LIVER, [garbled], reference=HU_LIVER_REF, fact_ids=HU_LIVER_IDS) == [-1.0]


def test_factual_does_not_apply_without_numbers_and_punishes_invented_ones(rewards) -> None:
    class_question = "What kind of KMP response does the liver show?"
    reference = "Liver is a Type C (stress-blocked) tissue: moderate KMP effect at baseline, nearly abolished."
    assert call(rewards["factual"], class_question, ["The liver is a Type C tissue."], reference=reference,
                fact_ids=["tissue_class:liver"]) == [None]
    invented = call(rewards["factual"], KIDNEY, ["HU changes 1,200 genes in the kidney.",
                                                 "The kidney was not sequenced."],
                    reference=KIDNEY_REF, fact_ids=[], answerable=False)
    assert invented == [-1.0, None]


# -- direction and pattern -------------------------------------------------------------------------
def test_direction_reads_each_side_in_its_own_clause(rewards) -> None:
    answers = [
        "Combined stress raises OXPHOS in the liver and KMP lowers it again: a SUPPRESSION pattern.",
        # the right numbers and pattern, with the directions swapped around them
        "OXPHOS goes down under combined stress (NES +3.596) and up with KMP (NES -1.6): a SUPPRESSION pattern.",
        "In liver, OXPHOS rises under combined stress (down with KMP), a RESCUE pattern.",
        "Combined stress lowers OXPHOS in liver; KMP does not lower it.",
        "The liver has 4,110 DEGs under HU.",
    ]
    right, swapped, wrong_pattern, both_wrong, unrelated = call(rewards["direction"], OXPHOS, answers,
                                                                reference=OXPHOS_REF, fact_ids=OXPHOS_IDS)
    assert right == 1.0
    assert substring_check(answers[1], OXPHOS_REF) and "SUPPRESSION" in answers[1]
    assert swapped < 0 and wrong_pattern < 0 and both_wrong == -1.0
    assert unrelated == 0.0, "says nothing about the directions the question asks for"


def test_direction_checks_classes_against_the_facts(rewards) -> None:
    question = "What kind of KMP response does the liver show?"
    reference = "Liver is a Type C (stress-blocked) tissue: moderate KMP effect at baseline, nearly abolished."
    right, wrong, negated = call(rewards["direction"], question, [
        "The liver is stress-blocked (Type C).", "The liver is a Type A tissue.",
        "The liver is not a Type C tissue; it is Type B."], reference=reference, fact_ids=["tissue_class:liver"])
    assert right == 1.0 and wrong == -1.0 and negated == -1.0


# -- consistency -------------------------------------------------------------------------------------
def test_consistency_finds_one_fact_stated_two_ways(rewards) -> None:
    answers = [
        "HU changes 4,110 genes in the liver. Of these 4,110 DEGs, 2,189 are up and 1,921 down.",
        "HU changes 4,110 genes in the liver. Of these 4,100 DEGs, 2,189 are up and 1,921 down.",
        "In liver the pattern is SUPPRESSION for OXPHOS. Overall OXPHOS in liver shows a RESCUE pattern.",
        "HU changes 4,110 genes in the liver.",
    ]
    same, two_ways, two_patterns, once = call(rewards["consistency"], HU_LIVER, answers, reference=HU_LIVER_REF,
                                              fact_ids=HU_LIVER_IDS)
    assert same == 1.0 and two_ways == -1.0 and two_patterns == -1.0
    assert once is None, "a fact stated once has nothing to be consistent with"


def test_consistency_is_about_agreement_not_truth(rewards) -> None:
    wrong_twice = "HU changes 3,000 genes in the liver. These 3,000 genes are half up, half down."
    assert call(rewards["consistency"], HU_LIVER, [wrong_twice], reference=HU_LIVER_REF,
                fact_ids=HU_LIVER_IDS) == [1.0]
    assert call(rewards["factual"], HU_LIVER, [wrong_twice], reference=HU_LIVER_REF, fact_ids=HU_LIVER_IDS)[0] < 0


# -- calibration -------------------------------------------------------------------------------------
def test_calibration_rewards_a_plain_decline_and_penalises_guesses(rewards) -> None:
    hedged = "The exact number is unknown, but probably around 1,200 genes change in the kidney under HU."
    answers = ["The kidney was not sequenced in this study, so the data cannot tell.", hedged,
               "HU changes 1,200 genes in the kidney."]
    decline, hedged_guess, confident_guess = call(rewards["calibration"], KIDNEY, answers, reference=KIDNEY_REF,
                                                  fact_ids=[], answerable=False)
    assert substring_declines(hedged), "a substring check takes the hedged fabrication for a decline"
    assert decline == 1.0 > hedged_guess > confident_guess == -1.0


def test_calibration_compares_stated_confidence_with_correctness(rewards) -> None:
    right_sure = f"{RIGHT} Confidence: high."
    right_hedged = f"{RIGHT[:-1]}, but I cannot be certain."
    wrong_sure = f"{WRONG} Confidence: high."
    wrong_unsure = "HU changes about 3,000 genes in the liver, but I am not sure."
    plain = RIGHT
    decline = "The data do not report this; I cannot tell."
    answers = [right_sure, right_hedged, wrong_sure, wrong_unsure, plain, decline]
    scores = call(rewards["calibration"], HU_LIVER, answers, reference=HU_LIVER_REF, fact_ids=HU_LIVER_IDS)
    r_sure, r_hedged, w_sure, w_unsure, no_confidence, declined = scores
    assert r_sure > r_hedged and w_unsure > w_sure
    assert r_sure > w_sure and w_sure < 0
    assert no_confidence is None and declined < 0
    # "but I cannot be certain" fools a substring decline check; the answer is still right
    assert substring_declines(right_hedged)
    assert call(rewards["factual"], HU_LIVER, [right_hedged], reference=HU_LIVER_REF,
                fact_ids=HU_LIVER_IDS) == [1.0]


def test_calibration_target_is_the_references_level_on_calibration_questions(rewards) -> None:
    reference = f"{HU_LIVER_REF} Confidence: high that the effect is real and broad."
    high, low = call(rewards["calibration"], HU_LIVER, [f"{RIGHT} Confidence: high.", f"{RIGHT} Confidence: low."],
                     reference=reference, fact_ids=HU_LIVER_IDS)
    assert high == 1.0 and low < 0.5


# -- composed ---------------------------------------------------------------------------------------
def test_composed_reward_orders_answers_and_logs_each_verifier(sheet) -> None:
    reward = composed_reward(sheet, {"factual": 1.0, "direction": 1.0, "consistency": 0.5, "calibration": 1.0})
    logged: dict[str, float] = {}
    answers = [RIGHT, f"{RIGHT} Confidence: high.", f"{RIGHT[:-1]}, but I cannot be certain.", PARTIAL, SWAPPED,
               WRONG, ""]
    n = len(answers)
    scores = reward(prompts=[HU_LIVER] * n, completions=answers, reference=[HU_LIVER_REF] * n,
                    fact_ids=[HU_LIVER_IDS] * n, answerable=[True] * n,
                    log_metric=lambda name, value: logged.__setitem__(name, value))
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert scores[0] == 1.0 and scores[-1] == -1.0
    assert {"verifier/factual", "verifier/calibration", "verifier/correct"} <= set(logged)


def test_composed_weights_come_from_the_config(sheet) -> None:
    only_factual = composed_reward(sheet, {"factual": 1.0, "calibration": 0.0})
    sure_wrong = f"{WRONG} Confidence: high."
    unsure_wrong = "HU changes about 3,000 genes in the liver, but I am not sure."
    both = composed_reward(sheet)
    kwargs = {"reference": [HU_LIVER_REF] * 2, "fact_ids": [HU_LIVER_IDS] * 2, "answerable": [True] * 2}
    assert only_factual([HU_LIVER] * 2, [sure_wrong, unsure_wrong], **kwargs) == [-1.0, -1.0]
    weighted = both([HU_LIVER] * 2, [sure_wrong, unsure_wrong], **kwargs)
    assert weighted[1] > weighted[0], "with calibration weighted in, admitting doubt scores higher"


def test_composed_falls_back_to_correctness_when_no_verifier_applies(sheet) -> None:
    reward: ComposedReward = composed_reward(sheet)
    question = "Why does the 2x2x2 design need a vehicle group?"
    reference = "Without a vehicle group, KMP's own effect could not be told apart from the stressors' effects."
    answers = [reference, "Because mice like vehicles."]
    right, wrong = reward([question] * 2, answers, reference=[reference] * 2, fact_ids=[[]] * 2,
                          answerable=[True] * 2)
    assert right == 1.0 and wrong == -1.0


def test_unknown_reward_names_and_bad_weights_are_refused() -> None:
    with pytest.raises(BadInputError, match="reward 'accuracy' does not exist"):
        select("factual,accuracy")
    with pytest.raises(BadInputError, match="at least one above 0"):
        select("factual", {"factual": 0.0})
    assert select("factual,calibration") == {"factual": 1.0, "calibration": 1.0}
    assert set(select(None)) == set(REWARD_NAMES)


def test_every_generated_reference_gets_full_marks(default_home: Path, sheet) -> None:
    """No verifier may punish the answers curate itself trains on (v2: all tissues, every kind). Whether the
    judge's verdict accepts them is the judge's own test (tests/test_verdict.py)."""
    from curate.train.judging import Judge

    judge = Judge(sheet)
    low: list[str] = []
    for example in read_examples(default_home, "v2"):
        reading = judge.read(example["output"], question=join_prompt(example["instruction"], example["input"]),
                             reference=example["output"], fact_ids=example["fact_ids"],
                             answerable=example["answerable"])
        scores = {name: score(reading) for name, score in SCORES.items()}
        if any(v is not None and v < 0.999 for v in scores.values()):
            low.append(json.dumps({"kind": example["kind"], "scores": scores, "output": example["output"][:120]}))
    assert low == []
