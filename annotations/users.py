"""Who a key belongs to, and biologist accounts: annotators with a generated password."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from curate.annotations.client import argilla_errors, find_workspace, get_json
from curate.schemas.errors import BadInputError

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MANAGER_ROLES = ("owner", "admin")  # push creates datasets; pull reads every annotator's responses


@dataclass(frozen=True)
class Me:
    username: str
    role: str


def whoami(client: Any) -> Me:
    """The user the client's key belongs to (GET /api/v1/me)."""
    with argilla_errors(client.api_url):
        me = get_json(client, "/api/v1/me")
    return Me(str(me["username"]), str(me["role"]))


def require_manager(me: Me, api_url: str) -> None:
    if me.role not in MANAGER_ROLES:
        raise BadInputError(f"the key for {api_url} belongs to {me.username!r}, an {me.role}: curate needs an owner "
                            "or admin key (push creates datasets, pull reads every annotator's answers)")


def check_username(name: str) -> str:
    if not USERNAME.match(name):
        raise BadInputError(f"user name {name!r} is not allowed: use 1-64 lower-case letters, digits, '.', '_' or "
                            "'-', starting with a letter or digit")
    return name


def add_annotator(client: Any, username: str, workspace: str) -> str:
    """Create `username` as an annotator in `workspace` (made when missing); returns their new password."""
    import warnings

    import argilla as rg

    check_username(username)
    password = secrets.token_urlsafe(12)
    with argilla_errors(client.api_url):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            existing = client.users(username)
        if existing is not None:
            raise BadInputError(f"user {username!r} already exists at {client.api_url}: choose another name (or "
                                "change their password in Argilla's UI)")
        space = find_workspace(client, workspace) or rg.Workspace(name=workspace, client=client).create()
        user = rg.User(username=username, password=password, role="annotator", client=client).create()
        space.add_user(user)
    return password
