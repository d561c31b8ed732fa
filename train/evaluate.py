"""Evaluate a model on a split: generate answers, score them, and summarise them in an EvalReport.

The caller decides where the report goes (`write_report` fills a folder; curate's CLI layer moves
it into `<home>/evals/<id>/`). Every item is kept, failures with their findings, so drills can be
made from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.train.metrics import N_BINS, accuracy_by, calibration, plot_reliability
from curate.train.prompts import example_prompt
from curate.train.scorers import Question, score_answer

if TYPE_CHECKING:
    from curate.schemas import EvalItem, EvalReport, Example, FactSheet

REPORT_FILE = "report.json"
DIAGRAM_FILE = "reliability.png"


@dataclass(frozen=True)
class Answered:
    """A question, what was said, and how sure the model was (None when unknown)."""

    question: Question
    answer: str
    confidence: float | None = None


def question_of(example: Example) -> Question:
    return Question(
        question=example_prompt(example),
        reference=example.output,
        fact_ids=tuple(example.fact_ids),
        answerable=example.answerable,
        tissue=example.tissue,
        example_id=example.id,
        kind=example.kind,
    )


def answer_examples(
    examples: Sequence[Example],
    *,
    model: Any,
    tokenizer: Any,
    batch_size: int = 32,
    max_new_tokens: int = 256,
    show_progress: bool = False,
) -> list[Answered]:
    from curate.train.generation import generate

    questions = [question_of(example) for example in examples]
    # Batching answers of similar length wastes fewer steps; it changes the speed, never an answer.
    hints = [len(tokenizer(q.reference, add_special_tokens=False)["input_ids"]) for q in questions]
    generations = generate(
        model, tokenizer, [q.question for q in questions], batch_size=batch_size, max_new_tokens=max_new_tokens,
        length_hints=hints, show_progress=show_progress,
    )
    return [Answered(q, g.text, g.confidence) for q, g in zip(questions, generations, strict=True)]


def answer_with_vllm(
    examples: Sequence[Example], *, base_model: str | Path, adapter: str | Path | None, max_new_tokens: int
) -> list[Answered]:
    from curate.train.backends.vllm import generate_vllm, require_vllm

    require_vllm()  # before any model is read: one line naming the extra
    questions = [question_of(example) for example in examples]
    generations = generate_vllm(base_model, adapter, [q.question for q in questions], max_new_tokens=max_new_tokens)
    return [Answered(q, g.text, g.confidence) for q, g in zip(questions, generations, strict=True)]


def score_items(answered: Sequence[Answered], sheet: FactSheet) -> list[EvalItem]:
    """One EvalItem per answer: the judge's verdict (curate.judge), with the reference's evidence beside it."""
    from curate.schemas import EvalItem

    items = []
    for row in answered:
        q = row.question
        verdicts = score_answer(q, row.answer, sheet)
        verdict = verdicts.verdict
        items.append(EvalItem(
            example_id=q.example_id,
            kind=q.kind,
            tissue=q.tissue,
            fact_ids=list(q.fact_ids),
            question=q.question,
            reference=q.reference,
            answer=row.answer,
            confidence=None if row.confidence is None else min(1.0, max(0.0, row.confidence)),
            answerable=verdict.answerable,
            answerable_category=verdict.answerable_category,
            answerable_reason=verdict.answerable_reason,
            declines=verdict.declines,
            asks=list(verdict.asks),
            facts_used=list(verdict.facts_used),
            verdicts=verdicts.results,
            findings=verdicts.findings,
            reasons=list(verdict.reasons),
            correct=verdicts.correct,
        ))
    return items


def build_report(
    items: list[EvalItem],
    *,
    facts_name: str,
    split: str,
    version: str | None = None,
    run_id: str | None = None,
    adapter: str | None = None,
    base_model: str | None = None,
    config: dict[str, Any] | None = None,
) -> EvalReport:
    from curate.schemas import EvalReport

    correct = [item.correct for item in items]
    by_kind, kind_counts = accuracy_by([item.kind for item in items], correct)
    by_tissue, tissue_counts = accuracy_by([item.tissue for item in items], correct)
    confident = [item for item in items if item.confidence is not None]
    calib = calibration([i.confidence for i in confident if i.confidence is not None], [i.correct for i in confident])
    return EvalReport(
        version=version,
        run_id=run_id,
        adapter=adapter,
        base_model=base_model,
        facts_name=facts_name,
        split=split,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        n_items=len(items),
        n_correct=sum(correct),
        accuracy=round(sum(correct) / len(items), 4) if items else 0.0,
        accuracy_by_kind=by_kind,
        accuracy_by_tissue=by_tissue,
        counts_by_kind=kind_counts,
        counts_by_tissue=tissue_counts,
        ece=calib["ece"],
        mce=calib["mce"],
        brier=calib["brier"],
        reliability=calib["bins"],
        items=items,
        config=config or {},
    )


def write_report(report: EvalReport, folder: Path) -> list[Path]:
    """report.json, and reliability.png when the answers carry confidences."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / REPORT_FILE]
    written[0].write_text(report.model_dump_json(indent=2, by_alias=True) + "\n", encoding="utf-8")
    if report.reliability:
        title = (f"{report.run_id or report.adapter or 'base model'} on {report.version or report.facts_name} "
                 f"{report.split}: accuracy {report.accuracy:.2f}, ECE {report.ece:.3f}")
        plot_reliability(report.reliability, folder / DIAGRAM_FILE, title=title)
        written.append(folder / DIAGRAM_FILE)
    return written


def evaluate(
    examples: Sequence[Example],
    sheet: FactSheet,
    *,
    base_model: str | Path,
    adapter: str | Path | None = None,
    split: str = "test",
    version: str | None = None,
    run_id: str | None = None,
    batch_size: int = 32,
    max_new_tokens: int = 256,
    show_progress: bool = False,
    backend: str = "transformers",
) -> EvalReport:
    """Answer the `split` examples with the base model (plus adapter), score them, and report.

    `backend` is "transformers" (rolling batches, train.generation) or "vllm" (train.backends.vllm,
    imported only here, for GPU machines with the `vllm` extra).
    """
    from curate.schemas.errors import BadInputError
    from curate.train.backends import BACKENDS

    if backend not in BACKENDS:
        raise BadInputError(f"--backend {backend!r} is not one of: {', '.join(BACKENDS)}")
    chosen = [example for example in examples if example.split == split]
    if not chosen:
        raise BadInputError(f"version {version}: no examples in the {split!r} split")
    if backend == "vllm":
        answered = answer_with_vllm(chosen, base_model=base_model, adapter=adapter, max_new_tokens=max_new_tokens)
    else:
        from curate.train.generation import load_for_generation

        model, tokenizer = load_for_generation(base_model, adapter)
        answered = answer_examples(
            chosen, model=model, tokenizer=tokenizer, batch_size=batch_size, max_new_tokens=max_new_tokens,
            show_progress=show_progress,
        )
    items = score_items(answered, sheet)
    return build_report(
        items,
        facts_name=sheet.name,
        split=split,
        version=version,
        run_id=run_id,
        adapter=None if adapter is None else str(adapter),
        base_model=str(base_model),
        config={
            "decoding": "greedy",
            "backend": backend,
            "batch_size": batch_size,
            "max_new_tokens": max_new_tokens,
            "confidence": "mean probability of the generated tokens, end-of-sequence included",
            "claim_check": True,  # part of every verdict (curate.judge)
            "judge": "curate.judge.verdict.judge_answer",
            "n_bins": N_BINS,
        },
    )
