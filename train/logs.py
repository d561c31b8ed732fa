"""Keep the libraries quiet: stdout belongs to the command's own output, stderr to its progress bar."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_library_logs() -> Iterator[None]:
    """Only errors from transformers, and no deprecation chatter from the libraries' own calls."""
    import transformers

    level = transformers.utils.logging.get_verbosity()
    transformers.utils.logging.set_verbosity_error()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=FutureWarning, module=r"(transformers|peft|trl)\b.*")
            warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed in v6.*")
            yield
    finally:
        transformers.utils.logging.set_verbosity(level)
