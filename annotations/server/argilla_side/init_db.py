"""Migrate a fresh argilla-server database and add the default owner: `python init_db.py USER PASSWORD API_KEY`.

The database comes from ARGILLA_DATABASE_URL. This does what `python -m argilla_server database migrate`
and `... users create_default` do, without argilla-server's typer CLI, which breaks with newer click
releases. Runs inside the server's own venv; curate never imports it.
"""

from __future__ import annotations

import asyncio
import sys


def migrate() -> None:
    import alembic.config
    from argilla_server.database import ALEMBIC_CONFIG_FILE

    alembic.config.main(argv=["-c", ALEMBIC_CONFIG_FILE, "-q", "upgrade", "head"])


async def create_owner(username: str, password: str, api_key: str) -> None:
    from argilla_server.contexts import accounts
    from argilla_server.database import AsyncSessionLocal
    from argilla_server.models import User, UserRole, Workspace

    async with AsyncSessionLocal() as session:
        if await accounts.get_user_by_username(session, username):
            return
        await User.create(
            session,
            first_name="",
            username=username,
            role=UserRole.owner,
            api_key=api_key,
            password_hash=accounts.hash_password(password),
            workspaces=[Workspace(name=username)],
        )


def main() -> None:
    username, password, api_key = sys.argv[1:4]
    migrate()
    asyncio.run(create_owner(username, password, api_key))


if __name__ == "__main__":
    main()
