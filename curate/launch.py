"""`curate train fit --launcher accelerate --num-processes N`: write an accelerate config, relaunch the
same command under `accelerate launch`, one process per rank.

Every rank runs `curate train fit` unchanged (the same arguments without --launcher and
--num-processes); the trainer joins the process group that the launcher set up (gloo on CPU, NCCL
on GPUs) and only rank 0 publishes the run (train.distributed). A config file of your own
(`--accelerate-config`, e.g. FSDP or DeepSpeed ZeRO-3 from `accelerate config`) replaces the
written one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from curate.schemas.errors import BadInputError, MissingExtraError

LAUNCHERS = ("none", "accelerate")
_OWN_OPTIONS = ("--launcher", "--num-processes", "--accelerate-config")


def ddp_config(num_processes: int, *, on_cuda: bool, port: int) -> str:
    """A single-node DDP config. `MULTI_GPU` selects accelerate's torchrun launcher, which also serves
    CPU ranks: with no CUDA the trainer's ranks pick gloo (`use_cpu`, `ddp_backend=gloo`)."""
    return "\n".join([
        "compute_environment: LOCAL_MACHINE",
        "distributed_type: MULTI_GPU",
        f"num_processes: {num_processes}",
        "num_machines: 1",
        "machine_rank: 0",
        "gpu_ids: all" if on_cuda else "use_cpu: false  # ranks run on CPU; the launcher still is torchrun",
        "mixed_precision: 'no'  # the trainer sets bf16 on CUDA itself",
        "rdzv_backend: static",
        "same_network: true",
        f"main_process_port: {port}",
        "main_training_function: main",
        "",
    ])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_arguments(argv: list[str]) -> list[str]:
    """The command's own arguments without the launcher's options (both `--opt value` and `--opt=value`)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OWN_OPTIONS:
            skip = True
            continue
        if any(arg.startswith(f"{option}=") for option in _OWN_OPTIONS):
            continue
        out.append(arg)
    return out


def launch_command(config_file: Path, num_processes: int, argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(config_file),
            "--num_processes", str(num_processes), "-m", "curate", *child_arguments(argv)]


def relaunch(work_dir: Path, num_processes: int, argv: list[str], config_file: Path | None = None) -> int:
    """Run `curate <argv>` on `num_processes` ranks under accelerate; the launcher's exit code."""
    if num_processes < 1:
        raise BadInputError(f"--num-processes {num_processes}: must be at least 1")
    if os.environ.get("RANK") is not None:
        raise BadInputError("--launcher accelerate: already inside a launched rank (RANK is set); drop --launcher")
    try:
        import accelerate  # noqa: F401
        import torch
    except ImportError:
        raise MissingExtraError("accelerate", "train") from None
    if config_file is None:
        work_dir.mkdir(parents=True, exist_ok=True)
        config_file = work_dir / f"accelerate-ddp-{num_processes}.yaml"
        config_file.write_text(ddp_config(num_processes, on_cuda=torch.cuda.is_available(), port=free_port()))
    elif not config_file.is_file():
        raise BadInputError(f"--accelerate-config {config_file}: no such file")
    env = {**os.environ, "CURATE_LAUNCHED": "accelerate"}
    if not torch.cuda.is_available():
        # ranks share the cores: one thread each, else 2 ranks x N threads oversubscribe the CPU
        env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // num_processes)))
    return subprocess.run(launch_command(config_file, num_processes, argv), env=env).returncode
