"""`curate doctor`: what is installed, what is reachable, and a one-line fix for each problem.

Each check is `ok`, a `note` (an optional part is absent: an extra, Redis, a GPU, a review server;
commands that need it say so) or a `problem` (something present does not work: a corrupt registry, a
stored Argilla connection that is down or refuses its key, a half-installed extra, bitsandbytes broken
beside CUDA). `curate doctor` exits 1 when any check is a problem.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
from dataclasses import asdict, dataclass
from urllib.parse import urlparse

from curate.registry import Registry

EXTRAS = {
    "bio": ("anndata", "scanpy", "pydeseq2", "gseapy"),
    "review": ("argilla",),
    "train": ("torch", "transformers", "peft", "trl", "bitsandbytes", "accelerate"),
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    severity: str = ""  # ok | note | problem; empty: ok when ok, else a problem

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", "ok" if self.ok else "problem")


def note(name: str, detail: str, fix: str) -> Check:
    """An optional part that is absent: reported with its fix, not a failure."""
    return Check(name, False, detail, fix, severity="note")


def failed(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.severity == "problem"]


def run_checks(registry: Registry) -> list[Check]:
    return [
        *(_extra(name, modules) for name, modules in EXTRAS.items()),
        _redis(),
        _argilla(registry),
        *_gpu(),
        _registry(registry),
    ]


def as_dicts(checks: list[Check]) -> list[dict[str, object]]:
    return [asdict(check) for check in checks]


def _extra(name: str, modules: tuple[str, ...]) -> Check:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if len(missing) == len(modules):
        return note(f"extra [{name}]", f"not installed: {', '.join(missing)}", f"pip install 'curate[{name}]'")
    if missing:  # half an extra is a broken install, not a choice
        return Check(f"extra [{name}]", False, f"partly installed; missing: {', '.join(missing)}",
                     f"pip install 'curate[{name}]'")
    return Check(f"extra [{name}]", True, "installed")


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _redis() -> Check:
    if shutil.which("redis-server") is None:
        return note("redis-server", "not installed (the local Argilla needs it)", "apt-get install redis-server")
    if _port_open("127.0.0.1", 6379):
        return Check("redis-server", True, "installed, listening on 127.0.0.1:6379")
    return Check("redis-server", True, "installed, not running (`curate review serve` starts it)")


def _argilla(registry: Registry) -> Check:
    """The connection review commands would use (options aside), whether it answers and takes the key."""
    from curate.review import connection
    from curate.schemas.errors import CurateError

    try:
        conn = connection(registry, None, None)
    except CurateError as exc:
        return note("argilla server", str(exc),
                    "start one with `curate review serve`, or store one with `curate review login URL`")
    if not _reachable(conn.api_url):
        detail = f"nothing answers at {conn.describe()}"
        fix = "start it again with `curate review serve`, or `curate review login URL` for another"
        stored = conn.origin in ("serve", "login")  # a connection the home remembers should answer
        return Check("argilla server", False, detail, fix) if stored else note("argilla server", detail, fix)
    who = _whoami(conn.api_url, conn.api_key)
    if who is None:
        return Check("argilla server", False, f"{conn.describe()}: the server refuses the API key",
                     "`curate review login URL` with a current owner key, or fix ARGILLA_API_KEY")
    return Check("argilla server", True, f"{conn.describe()}: key accepted, user {who}")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return _port_open(parsed.hostname or "127.0.0.1", port, timeout=1.0)


def _whoami(api_url: str, api_key: str) -> str | None:
    """The user name the key belongs to, or None when the server refuses it."""
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{api_url}/api/v1/me", headers={"X-Argilla-Api-Key": api_key})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            me = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return f"{me.get('username')} ({me.get('role')})"


def _gpu() -> list[Check]:
    if importlib.util.find_spec("torch") is None:
        return [note("gpu", "torch is not installed", "pip install torch==2.13.0 'curate[train]'")]
    import torch

    if not torch.cuda.is_available():
        return [note("gpu", "no CUDA device: training runs on the CPU (tiny models only)",
                     "run `curate train fit` on a machine with a CUDA GPU for Mistral-7B")]
    checks = [Check("gpu", True, torch.cuda.get_device_name(0))]
    try:
        import bitsandbytes  # noqa: F401

        checks.append(Check("bitsandbytes cuda", True, "importable with CUDA present"))
    except Exception as exc:  # bitsandbytes raises many kinds of errors when its CUDA library is broken
        checks.append(Check("bitsandbytes cuda", False, f"{type(exc).__name__}: {exc}",
                            "pip install --force-reinstall bitsandbytes"))
    return checks


def _registry(registry: Registry) -> Check:
    from curate.verify import verify

    if not registry.home.exists():
        return Check("registry", True, f"{registry.home} does not exist yet (created on first write)")
    try:
        report = verify(registry)
    except Exception as exc:  # doctor reports, never crashes
        return Check("registry", False, f"{type(exc).__name__}: {exc}", "run `curate verify` for details")
    if report.ok:
        return Check("registry", True, f"{registry.home}: {report.versions_checked} versions, all hashes match")
    first = report.problems[0]
    return Check("registry", False, f"{len(report.problems)} problem(s); first: {first.where}: {first.what}",
                 first.fix)
