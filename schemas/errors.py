"""Every error curate raises on purpose. Standard library only, so the CLI can import it at start-up.

Each error also inherits the matching built-in, carries an exit code, and its message is one line
that names the file, column or value at fault and what is allowed.
"""

from __future__ import annotations


class CurateError(Exception):
    """Base class. The CLI prints `error: <message>` and exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class BadInputError(CurateError, ValueError):
    """The user gave a value, file or option that curate cannot use (exit 2)."""

    exit_code = 2


class RegistryError(CurateError, OSError):
    """The registry (CURATE_HOME) is unreadable, unwritable or corrupt (exit 2)."""

    exit_code = 2


class NotFoundError(BadInputError, LookupError):
    """A named version, fact sheet, run or file does not exist (exit 2)."""


class GateFailedError(CurateError):
    """A quality gate refused a dataset (exit 1). `report` is the gate report, for the CLI to show."""

    exit_code = 1

    def __init__(self, message: str, *, report: object = None) -> None:
        super().__init__(message)
        self.report = report


class MissingExtraError(CurateError, ImportError):
    """An optional dependency is not installed; the message names the extra (exit 2)."""

    exit_code = 2

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"this command needs {module!r}: pip install 'curate[{extra}]'")


class ServiceUnavailableError(CurateError, ConnectionError):
    """A server curate talks to (Argilla, the Hub) cannot be reached (exit 2)."""

    exit_code = 2
