"""The judge finishes on any text: runs of numbers, separators and markup that a broken model writes.

A model after DPO answered with a long run of numbers and commas, and the salad check's regular
expression backtracked exponentially on it: the eval hung for twenty minutes. These texts must be
judged (a verdict, findings or none), and the timeout marks a hang, not a speed goal: each text takes
well under a second here, an exponential match on them would take hours."""

from __future__ import annotations

import random

import pytest

from curate.generators.embedded import load_default_factsheet
from curate.judge import check_text
from curate.judge.declines import is_salad
from curate.train.scorers import Question, score_answer

SHEET = load_default_factsheet()
QUESTION = Question(question="How many genes does HU change in the liver?", fact_ids=("deg_count:liver:HU",),
                    answerable=True, tissue="liver")
UNITS = ["0,", "1.", "12 ", "-", "—", "a ", "| ", "|---", "**", "* ", "1. ", "(", ")", "→ ", "> ", "KMP ",
         "liver ", "genes ", "NES ", "%", "~", "up ", "not ", "Type ", "RESCUE ", ",", ";", "\n", ":", "…",
         "e-5 ", "1e3 ", "3,369 ", "about ", "between ", "and "]


def broken_answers(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    made = ["0," * 400 + "x", "1,2" * 300 + ".", "4,110 " * 200 + "?", "-" * 2000, "|" * 500 + "x" * 500]
    while len(made) < n:
        units = rng.sample(UNITS, rng.randint(1, 3))
        made.append("".join(rng.choice(units) for _ in range(rng.choice([20, 80, 200]))) + rng.choice(["x", "."]))
    return made


@pytest.mark.timeout(300)
def test_the_judge_finishes_on_broken_model_output() -> None:
    for text in broken_answers(120):
        verdict = score_answer(QUESTION, text, SHEET)
        assert isinstance(verdict.correct, bool)
        assert isinstance(check_text(text, SHEET), list)


def test_a_run_of_numbers_is_salad_and_one_number_is_not() -> None:
    assert is_salad("0, " * 40)
    assert is_salad("5,477 / 1,273 / 33 / 67")
    assert not is_salad("4,110")  # a bare figure answers 'how many'; its claim is checked, it is not salad
