"""Prepare an argilla-server database: `python init_db.py migrate` or `python init_db.py owner`.

The database comes from ARGILLA_DATABASE_URL. `migrate` does what `python -m argilla_server database
migrate` does, without argilla-server's typer CLI, which breaks with newer click releases. `owner`
reads {"username", "password", "api_key"} as JSON on stdin (secrets never go on a command line) and
makes that user the owner, or gives an existing user of that name this password and key (a database
made before curate generated credentials has the quickstart owner; this replaces its password and
key). Runs inside the server's own venv; curate never imports it.
"""

from __future__ import annotations

import asyncio
import json
import sys


def migrate() -> None:
    import alembic.config
    from argilla_server.database import ALEMBIC_CONFIG_FILE

    alembic.config.main(argv=["-c", ALEMBIC_CONFIG_FILE, "-q", "upgrade", "head"])


async def set_owner(username: str, password: str, api_key: str) -> None:
    from argilla_server.contexts import accounts
    from argilla_server.database import AsyncSessionLocal
    from argilla_server.models import User, UserRole, Workspace

    async with AsyncSessionLocal() as session:
        user = await accounts.get_user_by_username(session, username)
        if user is not None:
            await user.update(session, role=UserRole.owner, api_key=api_key,
                              password_hash=accounts.hash_password(password))
            return
        workspace = await Workspace.get_by(session, name=username)
        await User.create(
            session,
            first_name="",
            username=username,
            role=UserRole.owner,
            api_key=api_key,
            password_hash=accounts.hash_password(password),
            workspaces=[workspace or Workspace(name=username)],
        )


def main() -> None:
    if sys.argv[1:] == ["migrate"]:
        migrate()
    elif sys.argv[1:] == ["owner"]:
        owner = json.loads(sys.stdin.read())
        asyncio.run(set_owner(owner["username"], owner["password"], owner["api_key"]))
    else:
        sys.exit("usage: init_db.py migrate | init_db.py owner  (owner: JSON on stdin)")


if __name__ == "__main__":
    main()
