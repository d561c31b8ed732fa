"""Who may reach a local server: loopback unless asked, each data folder's own credentials, and never
Argilla's quickstart ones."""

from __future__ import annotations

import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from curate.schemas.errors import BadInputError, ServiceUnavailableError

OWNER = "argilla"  # the owner's username; its workspace "argilla" is curate's default workspace
QUICKSTART_PASSWORD = "12345678"  # Argilla's well-known defaults: refused by every server started here
QUICKSTART_KEY = "argilla.apikey"
CREDENTIALS_FILE = "credentials.json"


@dataclass(frozen=True)
class Credentials:
    """The owner of one data folder's server, as written to <data>/credentials.json (mode 0600)."""

    username: str
    password: str
    api_key: str


def read_credentials(data: Path) -> Credentials | None:
    path = data / CREDENTIALS_FILE
    if not path.is_file():
        return None
    try:
        return Credentials(**json.loads(path.read_text()))
    except (ValueError, TypeError):
        raise BadInputError(f"{path}: not a credentials file; remove it and run `curate review serve` again "
                            "(a new owner password and key are made)") from None


def write_private(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(text)
    os.replace(partial, path)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> None:
    """A server reachable from other machines only on request (its credentials are this folder's own)."""
    if not is_loopback(host) and not allow_remote:
        raise BadInputError(f"--host {host} opens the server to the network: give --allow-remote as well "
                            "(it then runs with this data folder's generated owner password and key), "
                            "or keep the default --host 127.0.0.1")


def refuse_quickstart(api_url: str) -> None:
    """The server must refuse Argilla's well-known key and password; it is stopped if it does not."""
    if is_ready(api_url, QUICKSTART_KEY) or _token_accepted(api_url, OWNER, QUICKSTART_PASSWORD):
        raise ServiceUnavailableError(f"the server on {api_url} accepts Argilla's quickstart credentials; it was "
                                      f"stopped. Remove {CREDENTIALS_FILE} from its data folder and serve again")


def _token_accepted(api_url: str, username: str, password: str) -> bool:
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{api_url}/api/v1/token", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return bool(200 <= response.status < 300)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def is_ready(api_url: str, api_key: str) -> bool:
    request = urllib.request.Request(f"{api_url}/api/v1/me", headers={"X-Argilla-Api-Key": api_key})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False
