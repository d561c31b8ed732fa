"""Which Argilla to talk to, and turning whatever goes wrong on the wire into one line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError, MissingExtraError, ServiceUnavailableError

if TYPE_CHECKING:
    from curate.annotations.connection import StoredConnection

DEFAULT_WORKSPACE = "argilla"


ORIGINS = {"options": "options", "environment": "environment", "serve": "stored by `curate review serve`",
           "login": "stored by `curate review login`"}


@dataclass(frozen=True)
class Connection:
    api_url: str
    api_key: str
    origin: str  # where the URL came from: "options", "environment", "serve" or "login" (the stored one)
    key_origin: str = ""

    def describe(self) -> str:
        """Which server, and where the settings came from; never the key."""
        text = f"{self.api_url} ({ORIGINS.get(self.origin, self.origin)})"
        if self.key_origin and self.key_origin != self.origin:
            text += f", API key from the {ORIGINS.get(self.key_origin, self.key_origin)}"
        return text


def resolve_connection(api_url: str | None, api_key: str | None, stored: StoredConnection | None) -> Connection:
    """Field by field: --api-url/--api-key, then ARGILLA_API_URL/ARGILLA_API_KEY, then the stored connection.

    The stored key is only ever sent to the stored URL.
    """
    env_url, env_key = os.environ.get("ARGILLA_API_URL"), os.environ.get("ARGILLA_API_KEY")
    if api_url:
        url, origin = api_url, "options"
    elif env_url:
        url, origin = env_url, "environment"
    elif stored is not None:
        url, origin = stored.api_url, stored.source
    else:
        raise BadInputError("no Argilla to talk to: start a local one with `curate review serve`, store one with "
                            "`curate review login URL`, or give --api-url/--api-key (or ARGILLA_API_URL/"
                            "ARGILLA_API_KEY)")
    url = url.rstrip("/")
    if api_key:
        key, key_origin = api_key, "options"
    elif env_key:
        key, key_origin = env_key, "environment"
    elif stored is not None and stored.api_url.rstrip("/") == url:
        key, key_origin = stored.api_key, stored.source
    else:
        raise BadInputError(f"no API key for {url}: give --api-key, set ARGILLA_API_KEY, or store it with "
                            f"`curate review login {url}`")
    return Connection(url, key, origin, key_origin)


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
            raise BadInputError(f"Argilla at {api_url} refused the API key (401): check --api-key, ARGILLA_API_KEY "
                                "or the stored connection (`curate doctor` says which is used)") from None
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
