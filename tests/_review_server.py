"""One real local Argilla per test session, shared by every tests/test_review*.py module.

Starting a server costs ~10 s (and, the first time on a machine, installing argilla-server into
its own venv), so the first module that asks starts it through `curate review serve` and the rest
reuse it. Each module works in a workspace of its own, so their datasets never mix.
"""

from __future__ import annotations

import atexit
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import require, run_curate

_SERVER: dict[str, Any] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shared_server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """{api_url, api_key, username, password, data, port, home}: started on first use, stopped at exit.

    `home` is the registry that served it (its stored connection); tests use their own homes and
    reach the server through ARGILLA_API_URL/ARGILLA_API_KEY (connection_env).
    """
    if not _SERVER:
        require("redis-server", "argilla")
        data = tmp_path_factory.mktemp("argilla-server")
        home = tmp_path_factory.mktemp("argilla-server-home")
        port = free_port()
        started = run_curate("review", "serve", "--data", str(data), "--port", str(port), "--show-key", "--json",
                             home=home, timeout=900)
        assert started.returncode == 0, started.stderr
        _SERVER.update(started.json(), port=port, home=str(home))
        atexit.register(stop_server)
    return _SERVER


def stop_server() -> None:
    if _SERVER:
        from curate.annotations.server.manage import stop

        stop(Path(_SERVER["data"]))


def restart_server(down_for: float = 0.0) -> None:
    """Stop the shared server and, `down_for` seconds later, start it again on the same data and port."""
    stop_for_a_while()
    time.sleep(down_for)
    start_again()


def stop_for_a_while() -> None:
    """Stop the shared server (an outage); `start_again` ends it."""
    stopped = run_curate("review", "stop", "--data", _SERVER["data"], "--json", home=Path(_SERVER["home"]))
    assert stopped.returncode == 0 and stopped.json()["stopped"], stopped.stderr


def start_again() -> None:
    """Start the shared server again after a stop; later tests see its new process ids."""
    started = run_curate("review", "serve", "--data", _SERVER["data"], "--port", str(_SERVER["port"]), "--show-key",
                         "--json", home=Path(_SERVER["home"]), timeout=300)
    assert started.returncode == 0, started.stderr
    _SERVER.update(started.json())


def connection_env(server: dict[str, Any]) -> dict[str, str]:
    return {"ARGILLA_API_URL": server["api_url"], "ARGILLA_API_KEY": server["api_key"]}


def owner_client(server: dict[str, Any]) -> Any:
    import argilla as rg

    return rg.Argilla(api_url=server["api_url"], api_key=server["api_key"])


def add_annotator(server: dict[str, Any], username: str, workspace: str) -> Any:
    """An annotator in `workspace`; returns an httpx client logged in as them (as the UI does: a bearer token)."""
    import warnings

    import argilla as rg
    import httpx

    client = owner_client(server)
    password = f"{username}-password"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        user = client.users(username)
    if user is None:
        user = rg.User(username=username, password=password, role="annotator", client=client).create()
    space = client.workspaces(workspace)
    if username not in {u.username for u in space.users}:
        space.add_user(user)
    token = httpx.post(f"{server['api_url']}/api/v1/token", data={"username": username, "password": password})
    token.raise_for_status()
    return httpx.Client(base_url=server["api_url"], headers={"Authorization": f"Bearer {token.json()['access_token']}"},
                        timeout=60)


def dataset_id(server: dict[str, Any], name: str, workspace: str) -> str:
    client = owner_client(server)
    return str(client.datasets(name=name, workspace=workspace).id)


def my_records(annotator: Any, dataset: str) -> dict[str, dict[str, Any]]:
    """Every record the annotator can see, by external id (the example id), through /api/v1/me/."""
    found: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        page = annotator.post(f"/api/v1/me/datasets/{dataset}/records/search", params={"offset": offset, "limit": 500},
                              json={})
        page.raise_for_status()
        items = [item["record"] for item in page.json()["items"]]
        found.update({record["external_id"]: record for record in items})
        offset += len(items)
        if not items:
            return found


def respond(annotator: Any, record: dict[str, Any], status: str, **values: Any) -> dict[str, Any]:
    """Submit (or save as draft) a response the way the UI does: POST /api/v1/records/{id}/responses."""
    body = {"status": status, "values": {name: {"value": value} for name, value in values.items()}}
    answer = annotator.post(f"/api/v1/records/{record['id']}/responses", json=body)
    answer.raise_for_status()
    return dict(answer.json())
