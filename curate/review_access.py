"""Who talks to which Argilla: the connection a home remembers, and the accounts of its biologists.

    <home>/argilla-connection.json      the remembered connection: URL and owner key (mode 0600), written by
                                        `review serve` and `review login`, removed by `review stop`/`logout`
    <home>/review-users/NAME.password   a biologist's generated password (mode 0600), from `review add-user`
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from curate.annotations.client import Connection
    from curate.annotations.connection import StoredConnection
    from curate.annotations.server.guard import Credentials
    from curate.annotations.server.manage import ServerState
    from curate.registry import Registry

CONNECTION_FILE = "argilla-connection.json"
USERS_DIR = "review-users"


def connection_file(registry: Registry) -> Path:
    return registry.home / CONNECTION_FILE


def stored_connection(registry: Registry) -> StoredConnection | None:
    from curate.annotations.connection import load

    return load(connection_file(registry))


def remember_server(registry: Registry, state: ServerState, credentials: Credentials) -> StoredConnection:
    """What `review serve` started becomes the home's connection."""
    from curate.annotations.connection import StoredConnection, save

    registry.ensure_writable()
    return save(connection_file(registry), StoredConnection(
        api_url=state.api_url, api_key=credentials.api_key, source="serve", username=credentials.username,
        role="owner", data=state.data))


def forget_server(registry: Registry, data: Path) -> bool:
    """`review stop`: forget the stored connection if it is the server on `data`."""
    from curate.annotations.connection import clear

    stored = stored_connection(registry)
    if stored is None or stored.source != "serve" or Path(stored.data) != data.expanduser().resolve():
        return False
    clear(connection_file(registry))
    return True


def login(registry: Registry, api_url: str, api_key: str) -> StoredConnection:
    """Check the key against the server (an owner or admin), then store the connection."""
    from curate.annotations.client import Connection, connect
    from curate.annotations.connection import StoredConnection, save
    from curate.annotations.users import require_manager, whoami

    url = api_url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise BadInputError(f"{api_url!r} is not a URL: give one like http://localhost:6900 or "
                            "https://<owner>-<space>.hf.space")
    me = whoami(connect(Connection(url, api_key, "options")))
    require_manager(me, url)
    registry.ensure_writable()
    return save(connection_file(registry), StoredConnection(api_url=url, api_key=api_key, source="login",
                                                            username=me.username, role=me.role))


def logout(registry: Registry) -> StoredConnection | None:
    from curate.annotations.connection import clear

    return clear(connection_file(registry))


def add_user(registry: Registry, conn: Connection, username: str, workspace: str) -> tuple[str, Path]:
    """A biologist account (annotator role) in `workspace`; its password goes to a 0600 file in the home.

    Returns (password, file).
    """
    from curate.annotations.client import connect
    from curate.annotations.users import add_annotator, check_username

    check_username(username)
    path = registry.home / USERS_DIR / f"{username}.password"
    if path.exists():
        raise BadInputError(f"{path} exists: user {username!r} was added before (remove the file to add them again)")
    password = add_annotator(connect(conn), username, workspace)
    registry.ensure_writable()
    path.parent.mkdir(mode=0o700, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(password + "\n")
    return password, path
