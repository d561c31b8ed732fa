"""The review dataset: what a biologist sees (fields), what they answer (questions), and how to filter.

One settings object serves both uses: reviewing generated examples (the answer is the example's
output) and reviewing a model's answers from an evaluation (the answer is the model's, and the
reference answer is shown beside it).
"""

from __future__ import annotations

from typing import Any

# Fields
QUESTION = "question"
ANSWER = "answer"  # markdown: the answer with the automatic check's findings marked (annotations/render.py)
CHECK = "check"
FACTS = "facts"
REFERENCE = "reference"
MARKDOWN_FIELDS = (ANSWER, CHECK, FACTS)

# Questions
VERDICT = "verdict"
CORRECTED_ANSWER = "corrected_answer"
ERROR_TYPES = "error_types"
CONFIDENCE = "confidence"
NOTE = "note"

VERDICT_LABELS = {"correct": "Correct", "partly_correct": "Partly correct", "wrong": "Wrong"}
ERROR_TYPE_LABELS = {
    "wrong_number": "Wrong number",
    "wrong_direction": "Wrong direction (up/down, raised/lowered)",
    "wrong_category": "Wrong category or class",
    "unsupported_claim": "Unsupported claim (not in the study's results)",
    "overclaiming": "Overclaiming or miscalibrated certainty",
    "unclear_question": "Unclear question",
}
CONFIDENCE_VALUES = [1, 2, 3, 4, 5]

# Metadata, for filtering in the UI
METADATA = ("tissue", "kind", "template", "version", "fact_ids", "split", "source", "flagged")

GUIDELINES = """\
# Reviewing answers about the KMP spaceflight study

Thank you for checking these. Each record is one question about the Kaempferol (KMP) mouse study
(drug KMP vs vehicle x hindlimb unloading HU x ionizing radiation IR; bulk RNA-seq of heart,
hippocampus, liver and soleus) and one answer. The answers will teach a language model, so an error
you catch here is an error the model will not learn.

## What you see

- **Question** and **Answer**. When you review a model's answers, the **Reference answer** (what
  our data says) is shown as well.
- <mark>Marked</mark> words in the answer are claims an automatic check disputes: a number, a
  direction or a class that does not match the facts. **What the automatic check found** says, for
  each mark, what the facts say instead (hover a mark to see it too). The check is often right,
  but not always; an answer without marks may still be wrong.
- **Facts behind it**: the study results the answer should rest on. Each gives the source file and
  the row the value was read from, the value itself, the contrast, the method and the
  significance rule. DEG means a gene with adjusted p < 0.05.

## What to answer

1. **Is the answer correct?** (required), one click or one key:
   - **Correct** (key 1): every statement is right and nothing important is missing.
   - **Partly correct** (key 2): the main point is right, but a detail is wrong, missing or overstated.
   - **Wrong** (key 3): the main point is wrong (a wrong count, the opposite direction, the wrong class).
2. **Corrected answer** (optional, but the most useful thing you can give): write the answer as it
   should read. Keep it short and state the numbers exactly as the study reports them. It replaces
   the answer in the next version of the dataset.
3. **What kind of error?** (tick all that apply): wrong number; wrong direction (up vs down, raised
   vs lowered); wrong category or class (e.g. Type A vs B, RESCUE vs SUPPRESSION); unsupported
   claim (something the study did not measure or report); overclaiming or miscalibrated certainty
   (e.g. a non-significant change presented as real, or "proves" where "suggests" is right);
   unclear question (the question itself is ambiguous or badly posed).
4. **How sure are you?** from 1 (a guess) to 5 (certain).
5. **Note**: anything else, for example a fact that looks wrong at its source.

Some answers come with the verdict and error types pre-filled (a suggestion from the automatic
check or from the model's scorer): confirm or change them.

## Working from the keyboard

| to | press |
| --- | --- |
| start answering (after clicking elsewhere on the page) | Tab |
| pick Correct, Partly correct, Wrong (then on to the corrected answer) | 1, 2, 3 |
| move to the next or previous question | Down arrow, Up arrow |
| start typing in a text box (the corrected answer, the note) | Shift + Enter |
| leave a text box | Esc |
| tick an error type, or pick a confidence | its number (1, 2, 3, ...) |
| **Submit** and go to the next record | Enter |
| Save as draft, to come back to it | Ctrl + S (Cmd + S on a Mac) |
| Discard (skip a record you cannot judge) | Backspace |
| next or previous record | Right arrow, Left arrow |

A pre-filled suggestion is already selected: pressing its key again unselects it, so to accept it
just press Enter. The same keys are under *Shortcuts* in Argilla's help panel. A submitted answer
can still be changed later; a draft is not counted until you submit it.
"""


def review_settings() -> Any:
    """The `argilla.Settings` of every review dataset curate creates."""
    import argilla as rg

    return rg.Settings(
        guidelines=GUIDELINES,
        fields=[
            rg.TextField(name=QUESTION, title="Question", use_markdown=False),
            rg.TextField(name=ANSWER, title="Answer", use_markdown=True),
            rg.TextField(name=CHECK, title="What the automatic check found", use_markdown=True, required=False),
            rg.TextField(name=REFERENCE, title="Reference answer (model reviews only)", required=False),
            rg.TextField(name=FACTS, title="Facts behind it", use_markdown=True),
        ],
        questions=[
            rg.LabelQuestion(name=VERDICT, title="Is the answer correct? (keys 1, 2, 3)", labels=VERDICT_LABELS,
                             required=True),
            rg.TextQuestion(
                name=CORRECTED_ANSWER, title="Corrected answer (Shift+Enter to type; empty if correct)",
                required=False,
                description="Write the answer as it should read; it replaces this one in the next version.",
            ),
            rg.MultiLabelQuestion(
                name=ERROR_TYPES, title="What kind of error?", labels=ERROR_TYPE_LABELS, required=False,
                labels_order="suggestion",
            ),
            rg.RatingQuestion(name=CONFIDENCE, title="How sure are you? (1 = a guess, 5 = certain)",
                              values=CONFIDENCE_VALUES, required=False),
            rg.TextQuestion(name=NOTE, title="Note", required=False),
        ],
        metadata=[rg.TermsMetadataProperty(name=name, title=name.replace("_", " ")) for name in METADATA],
        allow_extra_metadata=True,
    )

