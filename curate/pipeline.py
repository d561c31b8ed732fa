"""Orchestration of `curate generate`: resolve the inputs, generate, gate, and write a version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from curate.gates.report import GateReport
    from curate.registry import Registry
    from curate.schemas import DatasetManifest, Example, FactSheet

ALL = "all"


@dataclass(frozen=True)
class GenerateRequest:
    tissue: str = ALL
    kinds: str = ALL
    seed: int = 0
    per_fact: int = 3
    facts: str | None = None
    from_path: Path | None = None
    allow_failing: bool = False
    num_proc: int = 1


@dataclass
class GenerateResult:
    manifest: DatasetManifest
    path: Path
    examples: list[Example] = field(repr=False)
    gate_report: dict[str, Any] | None = None


def load_factsheet(registry: Registry, facts: str | None, from_path: Path | None) -> FactSheet:
    """The embedded default, a registered sheet (`--facts NAME`), or a factsheet.json (`--from PATH`)."""
    if facts and from_path:
        raise BadInputError("give --facts NAME or --from PATH, not both")
    if from_path is not None:
        return read_factsheet_file(from_path)
    return registry.factsheet(facts)


def read_factsheet_file(path: Path) -> FactSheet:
    from pydantic import ValidationError

    from curate.schemas import FactSheet

    try:
        return FactSheet.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        candidate = path / "factsheet.json"
        if candidate.is_file():
            return read_factsheet_file(candidate)
        raise BadInputError(f"{path}: a folder without factsheet.json") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "<root>"
        raise BadInputError(f"{path}: not a fact sheet: {where}: {first['msg']}") from None


def parse_choice(value: str, allowed: Sequence[str], what: str) -> list[str]:
    """'all', one value, or a comma list; every value must be allowed. Order follows `allowed`."""
    if value.strip().lower() == ALL:
        return list(allowed)
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    if not chosen:
        raise BadInputError(f"--{what} is empty: choose from {', '.join(allowed)} or all")
    for item in chosen:
        if item not in allowed:
            raise BadInputError(f"unknown {what} {item!r}: choose from {', '.join(allowed)} or all")
    return [item for item in allowed if item in chosen]


def generate(registry: Registry, request: GenerateRequest) -> GenerateResult:
    from curate.generators import generate_examples, generator_versions
    from curate.schemas import EXAMPLE_KINDS

    if request.per_fact < 1:
        raise BadInputError(f"--per-fact {request.per_fact} is not allowed: give a whole number of at least 1")
    sheet = load_factsheet(registry, request.facts, request.from_path)
    tissues = parse_choice(request.tissue, sheet.tissues, "tissue")
    kinds = parse_choice(request.kinds, EXAMPLE_KINDS, "kind")
    registry.ensure_writable()
    registry.manifests()  # a corrupt registry is refused before anything is written

    examples = generate_examples(sheet, tissues=tissues, kinds=kinds, seed=request.seed, per_fact=request.per_fact)
    config = {
        "tissues": tissues,
        "kinds": kinds,
        "per_fact": request.per_fact,
        "generator_versions": {kind: version for kind, version in generator_versions().items() if kind in kinds},
    }
    manifest, report = write_checked_version(registry, examples, sheet, config=config, seed=request.seed,
                                             tissues=tissues, allow_failing=request.allow_failing,
                                             num_proc=request.num_proc)
    return GenerateResult(manifest=manifest, path=registry.versions_dir / manifest.version, examples=examples,
                          gate_report=report)


def write_checked_version(
    registry: Registry,
    examples: list[Example],
    sheet: FactSheet,
    *,
    config: dict[str, Any],
    seed: int,
    tissues: Sequence[str] | None = None,
    parent: str | None = None,
    drivers: list[dict[str, Any]] | None = None,
    extra_files: dict[str, bytes] | None = None,
    allow_failing: bool = False,
    num_proc: int = 1,
    report: GateReport | None = None,
) -> tuple[DatasetManifest, dict[str, Any]]:
    """Run every quality gate, then write the version with its gate report and data card.

    Every path that makes a version (generate, drill, the cycle's control arm, import, pull from the
    Hub) goes through here, so no version skips the gates. A failing version is refused before
    anything is written, unless `allow_failing`, and then the manifest says so. `report`: gates the
    caller already ran on these examples (import runs them first to learn which facts each record
    states).
    """
    from curate.cards import card_finalizer
    from curate.gates import gate_files, run_gates
    from curate.gates.run import enforce

    if report is None:
        report = run_gates(examples, sheet, tissues=tissues, num_proc=num_proc)
    enforce(report, allow_failing=allow_failing)
    manifest = registry.write_version(examples, facts=sheet, generator_config=config, seed=seed, parent=parent,
                                      drivers=drivers, extra_files={**gate_files(report), **(extra_files or {})},
                                      gates_passed=report.passed, allow_failing=allow_failing,
                                      finalize=card_finalizer(registry, examples, sheet))
    return manifest, report.to_dict()
