"""`curate eval`: judge answers that curate did not generate against the facts."""

from pathlib import Path
from typing import Annotated, Any

import typer

from curate.cli._options import Home, Json

eval_app = typer.Typer(help="Score answers from any model against a fact sheet.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")


ANSWERS_HELP = ("JSON list or JSONL of {question, answer, expected?, fact_ids?, answerable?, confidence?}, or chat "
                "records (messages, conversations, ChatML...) whose last assistant turn is the answer.")
FORMAT_HELP = "auto, or a format as for `curate lint` (e.g. jsonl/sharegpt; docs/formats.md)."
FACTS_HELP = "A registered fact sheet. Default: the embedded study ('kmp-study')."


@eval_app.command("score", help="Judge a JSON or JSONL file of questions and answers against a fact sheet: "
                  "one verdict per item.")
def score(
    answers: Annotated[Path, typer.Argument(help=ANSWERS_HELP)],
    facts: Annotated[str | None, typer.Option("--facts", help=FACTS_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
    home: Home = None,
    json: Json = False,
) -> None:
    from curate.cli._output import print_json
    from curate.cli.train import print_report, report_summary
    from curate.registry import Registry
    from curate.training import score_answers

    report, path = score_answers(Registry(home), answers, facts, fmt)
    if json:
        print_json({**report_summary(report, path), "items": [item_verdict(item) for item in report.items]})
        return
    print_report(report, path)


def item_verdict(item: Any) -> dict[str, Any]:
    """One item's verdict as `--json` shows it: what was asked, whether it is right, and why."""
    return {
        "id": item.example_id,
        "question": item.question,
        "correct": item.correct,
        "answerable": item.answerable,
        "answerable_category": item.answerable_category,
        "why_answerable": item.answerable_reason,
        "declines": item.declines,
        "asks": item.asks,
        "facts_used": item.facts_used,
        "findings": [f.model_dump(mode="json", include={"type", "check", "message", "found", "expected", "fact_ids",
                                                        "text"}) for f in item.findings],
        "why": item.reasons,
    }
