"""Which Argilla to talk to, and turning whatever goes wrong on the wire into one line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.schemas.errors import BadInputError, MissingExtraError, ServiceUnavailableError

DEFAULT_WORKSPACE = "argilla"


@dataclass(frozen=True)
class Connection:
    api_url: str
    api_key: str
    origin: str  # where the settings came from: "options", "environment" or "local server"


def resolve_connection(api_url: str | None, api_key: str | None, local_data: Path | None) -> Connection:
    """--api-url/--api-key, else ARGILLA_API_URL/ARGILLA_API_KEY, else the server `curate review serve` runs."""
    if api_url or api_key:
        origin = "options"
    elif os.environ.get("ARGILLA_API_URL"):
        origin = "environment"
    else:
        origin = "local server"
    url = api_url or os.environ.get("ARGILLA_API_URL")
    key = api_key or os.environ.get("ARGILLA_API_KEY")
    if not url and local_data is not None:
        from curate.annotations.server.manage import read_state

        state = read_state(local_data)
        if state is not None:
            return Connection(state.api_url, key or state.api_key, origin)
    if not url:
        raise BadInputError("no Argilla to talk to: give --api-url and --api-key, set ARGILLA_API_URL and "
                            "ARGILLA_API_KEY, or start a local one with `curate review serve`")
    if not key:
        raise BadInputError(f"no API key for {url}: give --api-key or set ARGILLA_API_KEY")
    return Connection(url.rstrip("/"), key, origin)


def connect(connection: Connection) -> Any:
    """A logged-in `argilla.Argilla` client (the SDK checks the key on creation)."""
    try:
        import argilla as rg
    except ImportError:
        raise MissingExtraError("argilla", "review") from None
    with argilla_errors(connection.api_url):
        return rg.Argilla(api_url=connection.api_url, api_key=connection.api_key, timeout=120, retries=2)


@contextmanager
def argilla_errors(api_url: str) -> Iterator[None]:
    """Map the SDK's and httpx's exceptions to curate's one-line errors (exit 2)."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        raise unreachable(api_url, exc) from None
    except Exception as exc:
        transport = _cause(exc, httpx.TransportError)
        if transport is not None:
            raise unreachable(api_url, transport) from None
        status, text = _status(exc)
        if status is None:
            raise
        detail = " ".join(text.split())[:300]
        if status == 401:
            raise BadInputError(f"Argilla at {api_url} refused the API key (401): check --api-key or "
                                "ARGILLA_API_KEY") from None
        if status >= 500:
            raise ServiceUnavailableError(f"Argilla at {api_url} failed ({status}): {detail}") from None
        raise BadInputError(f"Argilla at {api_url} refused the request ({status}): {detail}") from None


def _status(exc: BaseException) -> tuple[int | None, str]:
    """The HTTP status behind an exception (the SDK wraps some, e.g. a 401 in ArgillaCredentialsError)."""
    import httpx

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx.HTTPStatusError):
            return seen.response.status_code, seen.response.text
        if isinstance(getattr(seen, "status_code", None), int):
            return int(seen.status_code), str(seen)  # type: ignore[attr-defined]
        seen = seen.__cause__ or seen.__context__
    return None, ""


def unreachable(api_url: str, exc: BaseException) -> ServiceUnavailableError:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return ServiceUnavailableError(
        f"cannot reach Argilla at {api_url} ({type(exc).__name__}: {reason[:160]}); is it running? "
        "(`curate review serve` starts a local one; rerun this command when it is back: nothing is duplicated)"
    )


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen = exc.__cause__ or exc.__context__
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def find_workspace(client: Any, name: str) -> Any:
    """The workspace, or None (without the SDK's warning when it is missing)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return client.workspaces(name)


def get_json(client: Any, path: str, **params: Any) -> Any:
    """GET on the client's own HTTP session (base URL and key set), raising on any non-2xx."""
    response = client.http_client.get(path, params=params)
    response.raise_for_status()
    return response.json()


def post_json(client: Any, path: str, body: dict[str, Any], **params: Any) -> Any:
    response = client.http_client.post(path, params=params, json=body)
    response.raise_for_status()
    return response.json()
