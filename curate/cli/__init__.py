"""The `curate` command. This module only assembles one sub-module per noun.

Start-up matters (`curate --help` must be instant): command modules import only typer and the
standard library at module level; everything heavy is imported inside the command functions.
"""

import os
import sys

# Click's plain help instead of typer's rich panels: `curate --help` takes 0.3 s instead of 0.6 s
# (rich's markdown and panel rendering). TYPER_USE_RICH=1 brings the panels back.
_PLAIN_HELP = "TYPER_USE_RICH" not in os.environ
if _PLAIN_HELP:
    os.environ["TYPER_USE_RICH"] = "0"
import typer  # noqa: E402

if _PLAIN_HELP:
    del os.environ["TYPER_USE_RICH"]  # read once by typer at import; not passed on to child processes

from curate.cli import (  # noqa: E402
    card,
    diff,
    drill,
    export,
    facts,
    generate,
    hub,
    ingest,
    lint,
    review,
    schema,
    show,
    train,
    versions,
)
from curate.cli import cycle as cycle_noun  # noqa: E402
from curate.cli import eval as eval_noun  # noqa: E402
from curate.cli import verify as verify_noun  # noqa: E402

app = typer.Typer(
    name="curate",
    help="Turn spaceflight transcriptomics into checked, versioned fine-tuning data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"max_content_width": 120},
)

generate.register(app)
facts.register(app)
versions.register(app)
schema.register(app)
show.register(app)
diff.register(app)
export.register(app)
card.register(app)
hub.register(app)
train.register(app)
eval_noun.register(app)
verify_noun.register(app)
cycle_noun.register(app)
review.register(app)
ingest.register(app)
drill.register(app)
lint.register(app)


def main() -> None:
    """Console entry point: an error becomes one line on stderr and its exit code; with --json, also a
    JSON object on stdout ({"error": {"type", "message", "exit_code"}}, plus the gate report of a refusal)."""
    from curate.schemas.errors import CurateError

    as_json = "--json" in sys.argv[1:]
    try:
        code = app(standalone_mode=False)  # returns the exit code of typer.Exit instead of raising it
        if isinstance(code, int) and code:
            sys.exit(code)
    except CurateError as exc:
        _show_refused_gates(exc, as_json)
        _fail(str(exc), exc.exit_code, as_json, type(exc).__name__, extra=_gate_payload(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130, as_json, "Abort")
    except KeyboardInterrupt:
        _fail("interrupted", 130, as_json, "KeyboardInterrupt")
    except typer.TyperException as exc:  # usage errors: a missing argument, an unknown option or choice
        if os.environ.get("CURATE_DEBUG") == "1":
            raise
        _fail(exc.format_message(), exc.exit_code, as_json, "UsageError")


def _gate_payload(exc: BaseException) -> dict[str, object]:
    report = getattr(exc, "report", None)
    return {"gates": report.to_dict()} if report is not None and hasattr(report, "to_dict") else {}


def _show_refused_gates(exc: BaseException, as_json: bool) -> None:
    """A refused version's gate table goes to stdout; the error itself stays one line on stderr."""
    report = getattr(exc, "report", None)
    if report is None or as_json:
        return
    from curate.cli._output import console
    from curate.gates.report import print_report

    print_report(report, console(), title="quality gates: version refused")


def _fail(message: str, code: int, as_json: bool, kind: str, extra: dict[str, object] | None = None) -> None:
    if os.environ.get("CURATE_DEBUG") == "1":
        import traceback

        traceback.print_exc()
    if as_json:
        from curate.cli._output import print_json

        print_json({"error": {"type": kind, "message": message, "exit_code": code}, **(extra or {})})
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)
