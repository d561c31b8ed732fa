"""Secrets never leak: every command runs with fake tokens and API keys set, and every output and every
file it writes is searched for them.

The commands run against a closed local port (the Hub, and Argilla for `doctor`) and against a real
local Argilla that refuses the fake key, so the error paths, where a key is most likely to be echoed,
are the ones exercised. A new command must be added here: the test fails while one is not run.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from _review_server import shared_server
from conftest import Run, run_curate, write_eval_report

FAKE = {
    "HF_TOKEN": "hf_curateFAKEtoken0123456789abcdefXYZ",
    "HUGGING_FACE_HUB_TOKEN": "hf_curateFAKEhubtoken9876543210zyxw",
    "ARGILLA_API_KEY": "argilla.curateFAKEkey.0123456789abcdef",
    "WANDB_API_KEY": "curateFAKEwandb0123456789abcdef0123456789",
}


def _closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _all_commands() -> set[str]:
    import typer

    from curate.cli import app

    group = typer.main.get_command(app)
    names = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {})
        names |= {f"{name} {sub}" for sub in subcommands} if subcommands else {name}
    return names


class Session:
    """Runs commands with the fake secrets set, remembering every output."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home, self.env = home, env
        self.outputs: dict[str, list[str]] = {}

    def run(self, command: str, *args: str, code: int = 0, env: dict[str, str] | None = None,
            timeout: float = 600) -> Run:
        result = run_curate(*command.split(), *args, home=self.home, env={**self.env, **(env or {})}, timeout=timeout)
        assert result.returncode == code, (command, args, result.stderr)
        self.outputs.setdefault(command, []).append(result.stdout + result.stderr)
        return result


@pytest.mark.slow
def test_no_secret_in_any_output_or_file(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    server = shared_server(tmp_path_factory)
    home, out, hf_home = tmp_path / "home", tmp_path / "out", tmp_path / "hf-home"
    out.mkdir()
    closed = _closed_url()
    s = Session(home, {**FAKE, "HF_ENDPOINT": closed, "HF_HOME": str(hf_home), "ARGILLA_API_URL": closed})
    live_argilla = {"ARGILLA_API_URL": server["api_url"]}  # a real server, which refuses the fake key

    s.run("generate", "--tissue", "liver", "--kinds", "factual_qa,error_correction", "--json")
    s.run("generate", "--tissue", "heart", "--kinds", "factual_qa", "--json")
    s.run("facts", "--json")
    s.run("versions", "--json")
    s.run("schema", "--out", str(out / "schemas"), "--json")
    s.run("show", "v1", "--json")
    s.run("diff", "v1", "v2", "--json")
    s.run("export", "v1", "--format", "chat", "--out", str(out / "chat.jsonl"), "--json")
    s.run("card", "v1", "--out", str(out / "card.md"))
    s.run("lint", str(out / "chat.jsonl"), "--json")
    s.run("import", str(out / "chat.jsonl"), "--json")
    s.run("drill", "--version", "v1", "--from-eval", str(write_eval_report(home, out)), "--json")
    s.run("push-to-hub", "me/x", "--version", "v1", "--json", code=2)
    s.run("push-to-hub", "me/x", "--version", "v1", "--dry-run", str(out / "dry"), "--json")
    s.run("pull-from-hub", "me/x", "--revision", "v1", "--json", code=2)
    s.run("pull-from-hub", "me/x", "--revision", "v1", "--from-dir", str(out / "dry"), "--json")
    s.run("verify", "--json")
    s.run("doctor", "--json")
    s.run("simulate", "--out", str(out / "sim"), "--genes", "500", "--tissues", "liver", "--json")
    s.run("ingest", str(out / "sim" / "liver.h5ad"), "--tissue", "liver", "--gmt", str(out / "sim" / "gene_sets.gmt"),
          "--name", "sim", "--de-method", "fast", "--permutations", "100", "--json")
    answers = out / "answers.jsonl"
    answers.write_text(json.dumps({"question": "How many DEGs does HU cause in liver?",
                                   "answer": "HU changes 4,110 liver genes."}) + "\n")
    s.run("eval score", str(answers), "--facts", "kmp-study", "--json")

    base = out / "base"
    s.run("train tiny-base", "--out", str(base), "--version", "v1", "--json")
    fitted = s.run("train fit", "--version", "v1", "--base-model", str(base), "--preset", "tiny", "--max-steps", "2",
                   "--json")
    s.run("train eval", "--version", "v1", "--adapter", fitted.json()["run_id"], "--split", "test", "--json")
    s.run("train sample", "--version", "v1", "--adapter", fitted.json()["run_id"], "--samples", "2",
          "--max-new-tokens", "8", "--json")
    pairs = out / "pairs.jsonl"
    pairs.write_text(json.dumps({"prompt": "How many DEGs does HU cause in liver?", "chosen": "HU changes 4,110 genes.",
                                 "rejected": "HU changes 12 genes."}) + "\n")
    s.run("train dpo", "--version", "v1", "--from-run", fitted.json()["run_id"], "--pairs", str(pairs), "--preset",
          "tiny", "--max-steps", "1", "--json")
    s.run("train grpo", "--version", "v1", "--from-run", fitted.json()["run_id"], "--preset", "tiny", "--max-steps",
          "1", "--num-generations", "2", "--max-completion-length", "8", "--json")
    s.run("cycle", "--rounds", "1", "--base-model", str(base), "--epochs", "1", "--json")
    s.run("report", "--out", str(out / "report"), "--json")

    for command in ("review push", "review pull", "review status"):
        args = ("v1",) if command == "review push" else ()
        refused = s.run(command, *args, "--workspace", "secrets", "--json", code=2, env=live_argilla)
        assert "refused the API key" in refused.stderr
    s.run("review login", server["api_url"], "--json", code=2, env=live_argilla)  # refuses the fake key
    s.run("review add-user", "someone", "--workspace", "secrets", "--json", code=2, env=live_argilla)
    s.run("review serve", "--data", server["data"], "--port", str(server["port"]), "--json")
    s.run("review logout", "--json")
    s.run("review stop", "--data", str(out / "no-server"), "--json")

    assert set(s.outputs) == _all_commands(), "every command must run here with the fake secrets set"
    _assert_no_secret(s.outputs, [home, out, hf_home])


def _assert_no_secret(outputs: dict[str, list[str]], folders: list[Path]) -> None:
    for command, texts in outputs.items():
        for text in texts:
            for name, value in FAKE.items():
                assert value not in text, f"{name} leaked in the output of `curate {command}`"
    written = [path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file()]
    assert len(written) > 50
    for path in written:
        content = path.read_bytes()
        for name, value in FAKE.items():
            assert value.encode() not in content, f"{name} leaked into {path}"


