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
    """Console entry point: CurateError becomes one line and its exit code."""
    from curate.schemas.errors import CurateError

    try:
        code = app(standalone_mode=False)  # returns the exit code of typer.Exit instead of raising it
        if isinstance(code, int) and code:
            sys.exit(code)
    except CurateError as exc:
        _fail(str(exc), exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # click's usage errors, and anything unexpected
        from curate.cli._output import click_error_exit

        click_error_exit(exc)


def _fail(message: str, code: int) -> None:
    if os.environ.get("CURATE_DEBUG") == "1":
        import traceback

        traceback.print_exc()
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)
