"""Run a local Argilla: its own venv, a migrated template database, Redis, and the server itself.

argilla-server 2.8 pins pydantic, httpx and fastapi versions that clash with curate's, so it gets a
virtual environment of its own, made once per machine in a cache folder. Its database is SQLite,
copied from a template that was migrated once (migrations take 10-16 s). Its jobs need Redis, so a
private `redis-server` runs beside it. Its search runs on SQL (argilla_side/sql_search.py) instead
of Elasticsearch. Everything a server writes lives in one data folder, with `server.json`
recording what was started, so `stop` ends exactly those processes.

Each data folder has credentials of its own (`credentials.json`, mode 0600): a random owner
password and API key, seeded into its database on first use. Argilla's quickstart key and password
are never accepted by a server started here; a server that would accept them is stopped.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from curate.annotations.server.guard import (
    CREDENTIALS_FILE,
    OWNER,
    Credentials,
    check_host,
    is_loopback,
    is_ready,
    read_credentials,
    refuse_quickstart,
    write_private,
)
from curate.schemas.errors import BadInputError, ServiceUnavailableError

SERVER_VERSION = "2.8.0"
STATE_FILE = "server.json"
TEMPLATE = "template-migrated.db"  # migrations only, no user: each data folder seeds its own owner
SIDE = Path(__file__).resolve().parent / "argilla_side"

Notify = Callable[[str], None]


@dataclass(frozen=True)
class ServerState:
    """What `serve` started, as written to <data>/server.json."""

    api_url: str
    username: str
    data: str
    server_pid: int
    redis_pid: int
    redis_port: int
    started: str
    host: str = "127.0.0.1"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def cache_dir() -> Path:
    """Where the server's venv and template database live: $CURATE_ARGILLA_CACHE, else the XDG cache."""
    chosen = os.environ.get("CURATE_ARGILLA_CACHE")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "curate" / f"argilla-server-{SERVER_VERSION}"


def _quiet(_: str) -> None:
    return None


# -- one-time set-up ----------------------------------------------------------------------------
def ensure_venv(cache: Path, notify: Notify = _quiet) -> Path:
    """The server's own interpreter, installing argilla-server into a fresh venv on first use."""
    python = cache / "venv" / "bin" / "python"
    marker = cache / "venv" / ".installed"
    if marker.is_file():
        return python
    from filelock import FileLock

    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache / "install.lock")):
        if marker.is_file():
            return python
        notify(f"installing argilla-server=={SERVER_VERSION} into {cache / 'venv'} (first use only)")
        shutil.rmtree(cache / "venv", ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(cache / "venv")], "create the server's venv")
        _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              f"argilla-server=={SERVER_VERSION}"], f"pip install argilla-server=={SERVER_VERSION}")
        marker.write_text(SERVER_VERSION + "\n")
    return python


def ensure_template(python: Path, cache: Path, notify: Notify = _quiet) -> Path:
    """A migrated database without any user, made once and copied for every new data folder."""
    template = cache / TEMPLATE
    if template.is_file():
        return template
    from filelock import FileLock

    with FileLock(str(cache / "install.lock")):
        if template.is_file():
            return template
        notify("migrating a template database (first use only)")
        work = cache / f"template-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        env = _server_env(work, work / "template.db", redis_port=0, secret="template")
        _run([str(python), str(SIDE / "init_db.py"), "migrate"], "migrate the template database", env=env, cwd=work)
        with sqlite3.connect(work / "template.db") as db:  # readers never wait for the writer
            db.execute("PRAGMA journal_mode=WAL")
        os.replace(work / "template.db", template)
        shutil.rmtree(work, ignore_errors=True)
    return template


def _run(command: list[str], what: str, *, env: dict[str, str] | None = None, cwd: Path | None = None,
         stdin: str | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, input=stdin)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ServiceUnavailableError(f"could not {what} (exit {done.returncode}): {last[0]}")


# -- credentials (guard.py holds the rest) ------------------------------------------------------------
def ensure_credentials(python: Path, data: Path, template: Path, notify: Notify = _quiet) -> Credentials:
    """The data folder's owner, made on first use: a random password and API key, seeded into its database.

    A database from before credentials existed (with the quickstart owner) gets the new ones too.
    """
    database = data / "argilla.db"
    if not database.exists():
        partial = data / ".argilla.db.partial"
        shutil.copyfile(template, partial)
        os.replace(partial, database)
    found = read_credentials(data)
    if found is not None:
        return found
    notify("making this data folder's owner password and API key")
    made = Credentials(OWNER, secrets.token_urlsafe(18), f"curate.{secrets.token_urlsafe(32)}")
    env = _server_env(data, database, redis_port=0, secret=_secret(data))
    _run([str(python), str(SIDE / "init_db.py"), "owner"], "seed the owner into the database", env=env, cwd=data,
         stdin=json.dumps(asdict(made)))  # on stdin, never in a command line others can read
    write_private(data / CREDENTIALS_FILE, json.dumps(asdict(made), indent=2) + "\n")
    return made


# -- start and stop -----------------------------------------------------------------------------
def read_state(data: Path) -> ServerState | None:
    """The server recorded in `data`, if its process is still alive."""
    path = data / STATE_FILE
    if not path.is_file():
        return None
    try:
        known = {f.name for f in fields(ServerState)}
        state = ServerState(**{k: v for k, v in json.loads(path.read_text()).items() if k in known})
    except (ValueError, TypeError):
        return None
    return state if _is_ours(state.server_pid, "launch.py") else None


def serve(data: Path, *, port: int = 6900, host: str = "127.0.0.1", allow_remote: bool = False,
          timeout: float = 180, notify: Notify = _quiet) -> tuple[ServerState, Credentials]:
    """Start Redis and argilla-server on `data` (or return the one already running there)."""
    check_host(host, allow_remote)
    data = data.expanduser().resolve()
    running = read_state(data)
    if running is not None:
        credentials = read_credentials(data)
        if credentials is None:
            raise BadInputError(f"a server runs on {data} without {CREDENTIALS_FILE}: stop it with "
                                "`curate review stop` and serve again")
        if not is_loopback(running.host) and not allow_remote:
            raise BadInputError(f"the server on {data} listens on {running.host}: give --allow-remote to use it")
        return running, credentials
    redis = shutil.which("redis-server")
    if redis is None:
        raise ServiceUnavailableError(
            "curate review serve needs redis-server on PATH: install it (Debian/Ubuntu: apt-get install redis-server)"
        )
    _check_port_free(host, port)
    cache = cache_dir()
    python = ensure_venv(cache, notify)
    template = ensure_template(python, cache, notify)
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o700)  # the database holds the API keys in clear: the folder is its owner's only
    for folder in ("redis", "logs", "tmp"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    database = data / "argilla.db"
    credentials = ensure_credentials(python, data, template, notify)
    redis_port = _free_port()
    redis_process = _spawn([redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                            "--appendonly", "no", "--dir", str(data / "redis")], data / "logs" / "redis.log")
    env = _server_env(data, database, redis_port=redis_port, secret=_secret(data))
    server_process = _spawn([str(python), str(SIDE / "launch.py"), "--host", host, "--port", str(port)],
                            data / "logs" / "server.log", env=env, cwd=data)
    state = ServerState(
        api_url=f"http://{_local_address(host)}:{port}", username=credentials.username, data=str(data),
        server_pid=server_process.pid, redis_pid=redis_process.pid, redis_port=redis_port,
        started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), host=host,
    )
    (data / STATE_FILE).write_text(json.dumps(state.as_dict(), indent=2) + "\n")
    notify(f"starting argilla-server on {state.api_url}")
    try:
        wait_ready(state, credentials.api_key, server_process, timeout=timeout)
        refuse_quickstart(state.api_url)
    except ServiceUnavailableError:
        stop(data)
        raise
    return state, credentials


def _local_address(host: str) -> str:
    """Where this machine reaches a server listening on `host`."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def stop(data: Path, *, timeout: float = 20) -> ServerState | None:
    """End the server and Redis that `serve` started on `data`; None when nothing was running."""
    data = data.expanduser().resolve()
    path = data / STATE_FILE
    if not path.is_file():
        return None
    try:
        known = {f.name for f in fields(ServerState)}
        state = ServerState(**{k: v for k, v in json.loads(path.read_text()).items() if k in known})
    except (ValueError, TypeError):
        path.unlink()
        return None
    _terminate(state.server_pid, "launch.py", timeout)
    _terminate(state.redis_pid, "redis-server", timeout)
    path.unlink(missing_ok=True)
    return state


def wait_ready(state: ServerState, api_key: str, process: subprocess.Popen[bytes] | None = None, *,
               timeout: float = 180) -> None:
    """Poll the status endpoint until the server answers; fail early if its process died."""
    deadline = time.monotonic() + timeout
    log = Path(state.data) / "logs" / "server.log"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceUnavailableError(f"argilla-server exited with {process.returncode}: {_last_line(log)}")
        if is_ready(state.api_url, api_key):
            return
        time.sleep(0.25)
    raise ServiceUnavailableError(f"argilla-server did not answer on {state.api_url} within {timeout:.0f} s "
                                  f"(log: {log})")


def _server_env(data: Path, database: Path, *, redis_port: int, secret: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ARGILLA_", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    (data / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(
        ARGILLA_HOME_PATH=str(data),
        ARGILLA_DATABASE_URL=f"sqlite+aiosqlite:///{database}?check_same_thread=False",
        ARGILLA_DATABASE_SQLITE_TIMEOUT="30",
        ARGILLA_SEARCH_ENGINE="sql",
        ARGILLA_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        ARGILLA_AUTH_SECRET_KEY=secret,
        ARGILLA_SHOW_HUGGINGFACE_SPACE_PERSISTENT_STORAGE_WARNING="false",
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_OFFLINE="1",
        TMPDIR=str(data / "tmp"),
    )
    return env


def _secret(data: Path) -> str:
    """One signing key per data folder, kept, so browser sessions survive a restart."""
    path = data / "secret_key"
    if not path.is_file():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _spawn(command: list[str], log: Path, *, env: dict[str, str] | None = None,
           cwd: Path | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError:
            raise BadInputError(f"port {port} on {host} is in use: choose another with --port") from None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _is_ours(pid: int, marker: str) -> bool:
    """Alive, and its command line names what we started (a pid may have been reused)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    return marker in command


def _terminate(pid: int, marker: str, timeout: float) -> None:
    if not _is_ours(pid, marker):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == pid:
            return False
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(") ", 1)[1][:1] != "Z"
    except OSError:
        return False


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1] if lines else "no output"
