"""Review as a new user meets it: no option, no environment variable, and a server safe to serve.

`review serve` remembers its connection in the home (mode 0600); push, status, add-user, pull and
doctor use it; `review stop` forgets it. Each data folder gets its own owner password and API key;
Argilla's quickstart key and password are refused; a non-loopback --host needs --allow-remote.
`review login` stores an existing deployment's connection after checking its key.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from _review_server import free_port, shared_server
from conftest import require, run_curate

QUICKSTART = {"key": "argilla.apikey", "username": "argilla", "password": "12345678"}
NO_CONNECTION = {"ARGILLA_API_URL": "", "ARGILLA_API_KEY": ""}  # as if never set


def curate(*args: str, home: Path, **kwargs: Any) -> Any:
    return run_curate(*args, home=home, env={**NO_CONNECTION, **kwargs.pop("env", {})}, **kwargs)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("connection-home")
    made = curate("generate", "--tissue", "liver", "--json", home=path)
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture(scope="module")
def served(home: Path) -> Any:
    """`curate review serve` with nothing but a free port (6900 may be taken on a shared machine)."""
    require("redis-server", "argilla")
    started = curate("review", "serve", "--port", str(free_port()), "--json", home=home, timeout=900)
    assert started.returncode == 0, started.stderr
    yield started.json()
    curate("review", "stop", "--json", home=home)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _credentials(data: str) -> dict[str, str]:
    return dict(json.loads((Path(data) / "credentials.json").read_text()))


def _me(api_url: str, key: str) -> int:
    return httpx.get(f"{api_url}/api/v1/me", headers={"X-Argilla-Api-Key": key}, timeout=30).status_code


def _token(api_url: str, username: str, password: str) -> httpx.Response:
    return httpx.post(f"{api_url}/api/v1/token", data={"username": username, "password": password}, timeout=30)


def test_serve_push_status_pull_with_no_option_or_environment(served: dict[str, Any], home: Path) -> None:
    assert "api_key" not in served and "password" not in served  # nothing prints a key unless asked
    stored = home / "argilla-connection.json"
    assert _mode(stored) == 0o600 and json.loads(stored.read_text())["api_url"] == served["api_url"]
    assert _mode(Path(served["credentials_file"])) == 0o600 and _mode(Path(served["data"])) == 0o700

    pushed = curate("review", "push", "v1", "--sample", "40", "--json", home=home)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.json()["pushed"] == pushed.json()["records_in_dataset"] == 40

    added = curate("review", "add-user", "bio", "--json", home=home)
    assert added.returncode == 0, added.stderr
    assert "password" not in added.json() and added.json()["role"] == "annotator"
    password_file = Path(added.json()["password_file"])
    assert _mode(password_file) == 0o600
    token = _token(served["api_url"], "bio", password_file.read_text().strip())
    assert token.status_code == 201, token.text
    biologist = httpx.Client(base_url=served["api_url"], timeout=60,
                             headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    ident = pushed.json()["url"].split("/dataset/")[1].split("/")[0]
    page = biologist.post(f"/api/v1/me/datasets/{ident}/records/search", params={"limit": 1}, json={})
    assert page.status_code == 200, page.text
    record = page.json()["items"][0]["record"]
    answer = biologist.post(f"/api/v1/records/{record['id']}/responses",
                            json={"status": "submitted", "values": {"verdict": {"value": "wrong"}}})
    assert answer.status_code == 201, answer.text

    status = curate("review", "status", "--json", home=home)
    assert status.returncode == 0, status.stderr
    data = status.json()["datasets"]["curate-review"]
    assert (data["records"], data["reviewed_records"], data["by_annotator"]["bio"]["wrong"]) == (40, 1, 1)

    pulled = curate("review", "pull", "--json", home=home)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.json()["reviews"] == 1
    (review,) = [json.loads(line) for line in (home / "reviews" / "reviews.jsonl").read_text().splitlines()]
    assert (review["annotator"], review["verdict"], review["example_id"]) == ("bio", "wrong", record["external_id"])

    doctor = curate("doctor", "--json", home=home)
    check = next(c for c in doctor.json() if c["name"] == "argilla server")
    assert check["ok"] and served["api_url"] in check["detail"] and "review serve" in check["detail"]
    key = _credentials(served["data"])["api_key"]
    for text in (doctor.stdout, pushed.stdout, status.stdout, pulled.stdout, added.stdout):
        assert key not in text


def test_each_data_folder_has_its_own_key_and_the_quickstart_ones_are_refused(
        served: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    other = shared_server(tmp_path_factory)
    mine, theirs = _credentials(served["data"]), _credentials(other["data"])
    assert mine["api_key"] != theirs["api_key"] and mine["password"] != theirs["password"]
    assert QUICKSTART["key"] not in (mine["api_key"], theirs["api_key"])
    for server in (served, other):
        assert _me(server["api_url"], QUICKSTART["key"]) == 401
        assert _token(server["api_url"], QUICKSTART["username"], QUICKSTART["password"]).status_code == 401
    assert _me(served["api_url"], mine["api_key"]) == 200
    assert _token(served["api_url"], mine["username"], mine["password"]).status_code == 201


def test_a_server_that_takes_the_quickstart_key_or_password_is_refused(served: dict[str, Any],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from curate.annotations.server import guard
    from curate.schemas.errors import ServiceUnavailableError

    guard.refuse_quickstart(served["api_url"])  # the real quickstart credentials: refused, so no error
    mine = _credentials(served["data"])
    for name, accepted in (("QUICKSTART_KEY", mine["api_key"]), ("QUICKSTART_PASSWORD", mine["password"])):
        with monkeypatch.context() as patch:
            patch.setattr(guard, name, accepted)  # as if this server took the well-known one
            with pytest.raises(ServiceUnavailableError, match="accepts Argilla's quickstart credentials"):
                guard.refuse_quickstart(served["api_url"])


def test_show_key_prints_the_owner_credentials_on_request(served: dict[str, Any], home: Path) -> None:
    again = curate("review", "serve", "--port", served["api_url"].rsplit(":", 1)[1], "--show-key", "--json",
                   home=home)
    assert again.returncode == 0, again.stderr
    assert again.json()["server_pid"] == served["server_pid"]  # the running one, not a second
    assert again.json()["api_key"] == _credentials(served["data"])["api_key"]
    text = curate("review", "serve", "--port", served["api_url"].rsplit(":", 1)[1], home=home)
    assert text.returncode == 0 and _credentials(served["data"])["api_key"] not in text.stdout


def test_login_checks_the_key_before_storing_it(served: dict[str, Any], home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "team-home"
    url, key = served["api_url"], _credentials(served["data"])["api_key"]
    refused = curate("review", "login", url, "--api-key", "not-a-key", home=elsewhere)
    assert refused.returncode == 2 and "refused the API key" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1 and not (elsewhere / "argilla-connection.json").exists()
    closed = curate("review", "login", f"http://127.0.0.1:{free_port()}", "--api-key", key, home=elsewhere)
    assert closed.returncode == 2 and "cannot reach Argilla" in closed.stderr
    annotator = _token(url, "bio", (home / "review-users" / "bio.password").read_text().strip())
    me = httpx.get(f"{url}/api/v1/me", headers={"Authorization": f"Bearer {annotator.json()['access_token']}"})
    bio_key = me.json()["api_key"]
    weak = curate("review", "login", url, "--api-key", bio_key, home=elsewhere)
    assert weak.returncode == 2 and "owner or admin" in weak.stderr

    logged = curate("review", "login", url, "--json", home=elsewhere, env={"ARGILLA_API_KEY": key})
    assert logged.returncode == 0, logged.stderr
    assert logged.json()["source"] == "login" and logged.json()["role"] == "owner" and key not in logged.stdout
    assert _mode(elsewhere / "argilla-connection.json") == 0o600
    status = curate("review", "status", "--json", home=elsewhere)
    assert status.returncode == 0 and "curate-review" in status.json()["datasets"]
    overridden = curate("review", "status", home=elsewhere, env={"ARGILLA_API_URL": f"http://127.0.0.1:{free_port()}",
                                                                 "ARGILLA_API_KEY": key})
    assert overridden.returncode == 2 and "cannot reach" in overridden.stderr  # the environment wins over stored
    out = curate("review", "logout", "--json", home=elsewhere)
    assert out.returncode == 0 and out.json()["forgot"]["api_url"] == url
    gone = curate("review", "status", home=elsewhere)
    assert gone.returncode == 2 and "curate review serve" in gone.stderr and "review login" in gone.stderr


def test_stop_forgets_the_connection(served: dict[str, Any], home: Path) -> None:
    stopped = curate("review", "stop", "--json", home=home)
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.json()["stopped"] and stopped.json()["forgot_connection"]
    assert not (home / "argilla-connection.json").exists()
    after = curate("review", "push", "v1", home=home)
    assert after.returncode == 2 and len(after.stderr.splitlines()) == 1
    assert "no Argilla to talk to" in after.stderr


def test_a_host_others_can_reach_needs_allow_remote(tmp_path: Path) -> None:
    data = tmp_path / "remote-data"
    for host in ("0.0.0.0", "192.0.2.7", "lab-server.example.org"):
        refused = curate("review", "serve", "--host", host, "--port", str(free_port()), "--data", str(data),
                         home=tmp_path / "home")
        assert refused.returncode == 2, refused.stderr
        assert len(refused.stderr.splitlines()) == 1 and "--allow-remote" in refused.stderr
    assert not data.exists() and not (tmp_path / "home" / "argilla-connection.json").exists()


@pytest.mark.slow
def test_allow_remote_serves_with_generated_credentials_only(tmp_path: Path) -> None:
    require("redis-server", "argilla")
    home = tmp_path / "home"
    started = curate("review", "serve", "--host", "0.0.0.0", "--allow-remote", "--port", str(free_port()),
                     "--data", str(tmp_path / "data"), "--json", home=home, timeout=900)
    assert started.returncode == 0, started.stderr
    try:
        url = started.json()["api_url"]
        assert started.json()["host"] == "0.0.0.0" and url.startswith("http://127.0.0.1:")
        assert _me(url, QUICKSTART["key"]) == 401
        assert _token(url, QUICKSTART["username"], QUICKSTART["password"]).status_code == 401
        assert _me(url, _credentials(started.json()["data"])["api_key"]) == 200
    finally:
        stopped = curate("review", "stop", "--data", str(tmp_path / "data"), "--json", home=home)
    assert stopped.returncode == 0 and stopped.json()["stopped"]


def test_unreachable_stored_server_is_one_line(tmp_path: Path) -> None:
    from curate.annotations.connection import StoredConnection, save

    home = tmp_path / "home"
    save(home / "argilla-connection.json", StoredConnection(f"http://127.0.0.1:{free_port()}", "k", "serve"))
    result = curate("review", "pull", home=home)
    assert result.returncode == 2 and result.stderr.startswith("error: cannot reach Argilla")
    assert len(result.stderr.splitlines()) == 1


def test_env_and_options_take_precedence_field_by_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from curate.annotations.client import resolve_connection
    from curate.annotations.connection import StoredConnection
    from curate.schemas.errors import BadInputError

    def resolved(url: str | None, key: str | None) -> tuple[str, str, str, str]:
        conn = resolve_connection(url, key, stored)
        return conn.api_url, conn.api_key, conn.origin, conn.key_origin

    stored = StoredConnection("http://stored:6900", "stored-key", "serve")
    monkeypatch.delenv("ARGILLA_API_URL", raising=False)
    monkeypatch.delenv("ARGILLA_API_KEY", raising=False)
    assert resolved(None, None) == ("http://stored:6900", "stored-key", "serve", "serve")
    monkeypatch.setenv("ARGILLA_API_KEY", "env-key")
    assert resolved(None, None) == ("http://stored:6900", "env-key", "serve", "environment")
    assert resolved(None, "flag-key") == ("http://stored:6900", "flag-key", "serve", "options")
    monkeypatch.setenv("ARGILLA_API_URL", "http://env:6900")
    assert resolved(None, None) == ("http://env:6900", "env-key", "environment", "environment")
    assert resolved("http://flag:1/", None) == ("http://flag:1", "env-key", "options", "environment")
    monkeypatch.delenv("ARGILLA_API_KEY")
    with pytest.raises(BadInputError, match="no API key for http://env:6900"):
        resolved(None, None)  # the stored key is only ever sent to the stored URL
    described = resolve_connection(None, "secret-flag-key", stored).describe()
    assert described == "http://env:6900 (environment), API key from the options"
