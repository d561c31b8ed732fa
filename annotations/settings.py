"""The review dataset: what a biologist sees (fields), what they answer (questions), and how to filter.

One settings object serves both uses: reviewing generated examples (the answer is the example's
output) and reviewing a model's answers from an evaluation (the answer is the model's, and the
reference answer is shown beside it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curate.schemas import Fact

# Fields
QUESTION = "question"
ANSWER = "answer"
FACTS = "facts"
REFERENCE = "reference"

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

**What you see**
- **Question** and **Answer**. When you review a model's answers, the **Reference answer** (what
  our data says) is shown below them.
- **Facts behind it**: the study results the answer should rest on, each with where it came from
  (file, row, contrast, method, threshold). Judge the answer against these facts and your own
  knowledge of the biology. DEG means a gene with adjusted p < 0.05.

**What to answer**
1. **Verdict** (required)
   - *Correct*: every statement is right and nothing important is missing.
   - *Partly correct*: the main point is right, but a detail is wrong, missing or overstated.
   - *Wrong*: the main point is wrong (a wrong count, the opposite direction, the wrong class).
2. **Corrected answer** (optional, but the most useful thing you can give): write the answer as it
   should read. Keep it short and state the numbers exactly as the study reports them. It replaces
   the answer in the next version of the dataset.
3. **Error types** (tick all that apply): wrong number; wrong direction (up vs down, raised vs
   lowered); wrong category or class (e.g. Type A vs B, RESCUE vs SUPPRESSION); unsupported claim
   (something the study did not measure or report); overclaiming or miscalibrated certainty (e.g. a
   non-significant change presented as real, or "proves" where "suggests" is right); unclear
   question (the question itself is ambiguous or badly posed).
4. **Confidence** from 1 (a guess) to 5 (certain): how sure you are of your verdict.
5. **Note**: anything else, for example a fact that looks wrong at its source.

**Suggestions**: some answers come with a pre-filled verdict and error types from an automatic
check of numbers and directions against the facts. It is often right, but not always: please
confirm or change it.

Use *Submit* when you are done with a record, *Save as draft* to come back to it, and *Discard* to
skip a record you cannot judge.
"""


def review_settings() -> Any:
    """The `argilla.Settings` of every review dataset curate creates."""
    import argilla as rg

    return rg.Settings(
        guidelines=GUIDELINES,
        fields=[
            rg.TextField(name=QUESTION, title="Question", use_markdown=False),
            rg.TextField(name=ANSWER, title="Answer", use_markdown=False),
            rg.TextField(name=FACTS, title="Facts behind it", use_markdown=True),
            rg.TextField(name=REFERENCE, title="Reference answer (model reviews only)", required=False),
        ],
        questions=[
            rg.LabelQuestion(name=VERDICT, title="Is the answer correct?", labels=VERDICT_LABELS, required=True),
            rg.TextQuestion(
                name=CORRECTED_ANSWER, title="Corrected answer (leave empty if correct)", required=False,
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


def facts_markdown(facts: Iterable[tuple[Fact, str]]) -> str:
    """Each fact as one sentence (given by the caller) with its id and provenance, as markdown."""
    blocks = []
    for number, (fact, statement) in enumerate(facts, 1):
        source = fact.provenance
        where = [f"`{fact.id}`", f"source `{source.source}`"]
        where += [f"row {source.row}"] if source.row is not None else []
        where += [f"contrast {source.contrast}"] if source.contrast else []
        where += [source.method]
        where += [source.threshold] if source.threshold else []
        where += [f"sha256 `{source.sha256[:12]}`"]
        block = f"**{number}.** {statement}\n\n<small>{' · '.join(where)}</small>"
        if source.note:
            block += f"\n\n> {source.note}"
        blocks.append(block)
    return "\n\n".join(blocks) if blocks else "_No facts are linked to this answer._"
