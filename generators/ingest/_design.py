"""`map_design`: find drug, HU and IR in a study's sample table, or take them from design.yaml.

Levels are recognised by their spelling (Kaempferol/KMP/VEH/vehicle/control, HU/HLU/NL/loaded,
IR/sham/0Gy...). A factor is found either in a two-level column or in a column whose values join
one level of each factor (``KMP & HU & IR``, as GeneLab names its groups). Anything the rules cannot
settle on their own is refused with a message that lists what was found, and ``design.yaml`` settles it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from curate.generators.ingest._contrasts import CELLS, CONTRAST_NAMES, FACTOR_WORDS, FACTORS, LEVELS, Cell, cell_label
from curate.schemas.errors import BadInputError

if TYPE_CHECKING:
    from anndata import AnnData

MIN_REPLICATES = 2

_TREATED: dict[str, set[str]] = {
    "drug": {"kmp", "kaempferol", "kae", "kaemp", "kaempferol treated"},
    "hu": {"hu", "hlu", "hindlimb unloading", "hindlimb unloaded", "hind limb unloading", "hind limb unloaded",
           "unloaded", "unloading", "hs", "hindlimb suspension", "hindlimb suspended", "tail suspension",
           "tail suspended", "ts", "simulated microgravity"},
    "ir": {"ir", "irr", "irradiated", "irradiation", "radiation", "rad", "gcr", "simgcr", "gamma", "proton",
           "hze", "x ray", "xray"},
}
_REFERENCE: dict[str, set[str]] = {
    "drug": {"veh", "vehicle", "control", "ctrl", "ctl", "placebo", "dmso", "saline", "vc", "no drug",
             "untreated", "con"},
    "hu": {"nl", "normally loaded", "normal loading", "normal load", "loaded", "control", "ctrl", "ctl",
           "weight bearing", "wb", "ambulatory", "no hu", "non hu", "nonhu", "con"},
    "ir": {"sham", "sham irradiated", "sham ir", "non irradiated", "nonirradiated", "unirradiated", "no ir",
           "non ir", "control", "ctrl", "ctl", "mock", "con"},
}
_DOSE = re.compile(r"^(\d*\.?\d+)\s*(?:c?gy)$")
_TRUE = {"true", "yes", "y", "1", "+"}
_FALSE = {"false", "no", "n", "0", "-"}
_COLUMN_NAMES = {
    "drug": {"kmp", "kaempferol", "drug"},
    "hu": {"hu", "hlu", "unloading", "hindlimb unloading", "unloaded"},
    "ir": {"ir", "irradiation", "irradiated", "radiation"},
}
_SPLITTERS = (" & ", "...", " | ", "/", "+", ";", ",", "_", "-", " ")
_MAX_GROUP_LEVELS = 64


@dataclass(frozen=True)
class FactorSpec:
    """One factor as design.yaml names it: its column and, optionally, its two levels' spellings."""

    column: str | None = None
    treated: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()


@dataclass(frozen=True)
class DesignSpec:
    """What design.yaml says. Every part is optional; the rest is found automatically."""

    factors: Mapping[str, FactorSpec] = field(default_factory=dict)
    group_column: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)  # results file name -> contrast
    source: str = ""


@dataclass(frozen=True)
class _Candidate:
    factor: str
    column: str
    assignment: tuple[int, ...]  # 0 reference, 1 treated, per sample
    treated: tuple[str, ...]
    reference: tuple[str, ...]


def load_design(path: str | os.PathLike[str] | None) -> DesignSpec:
    """Read and check design.yaml (None gives the empty spec: everything automatic)."""
    if path is None:
        return DesignSpec()
    import yaml

    where = Path(path)
    try:
        raw = yaml.safe_load(where.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInputError(f"{where}: cannot read design file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" at line {line + 1}" if line is not None else ""
        raise BadInputError(f"{where}: not valid YAML{at}") from None
    raw = raw or {}
    if not isinstance(raw, dict):
        raise BadInputError(f"{where}: expected a mapping with keys factors, group_column, files")
    unknown = sorted(set(raw) - {"factors", "group_column", "files"})
    if unknown:
        raise BadInputError(f"{where}: unknown key {unknown[0]!r}; allowed: factors, group_column, files")
    return DesignSpec(
        factors=_parse_factors(where, raw.get("factors") or {}),
        group_column=_optional_str(where, "group_column", raw.get("group_column")),
        files=_parse_files(where, raw.get("files") or {}),
        source=str(where),
    )


def map_design(adata: AnnData, *, design: DesignSpec | None = None, key_added: str = "design") -> None:
    """Map `adata.obs` onto the factors drug, hu and ir, and check the 2x2x2 is complete.

    Returns
    -------
    None. Adds ``obs[f"{key_added}_drug"]``, ``obs[f"{key_added}_hu"]`` and ``obs[f"{key_added}_ir"]``
    (categoricals, reference level first: vehicle/KMP, NL/HU, sham/IR) and ``uns[key_added]`` with
    ``params``, ``mapping`` (column and original levels per factor) and ``cell_counts``.
    """
    spec = design or DesignSpec()
    obs = adata.obs
    chosen = {factor: _choose(factor, obs, spec) for factor in FACTORS}
    assignment = np.array([chosen[factor].assignment for factor in FACTORS]).T  # samples x 3
    counts = check_cells([tuple(row) for row in assignment], what="samples")
    for position, factor in enumerate(FACTORS):
        labels = np.array(LEVELS[factor])[assignment[:, position]]
        adata.obs[f"{key_added}_{factor}"] = pd.Categorical(labels, categories=list(LEVELS[factor]))
    adata.uns[key_added] = {
        "params": {
            "design_file": spec.source, "group_column": spec.group_column or "", "min_replicates": MIN_REPLICATES,
        },
        "mapping": {
            factor: {"column": c.column, "treated": list(c.treated), "reference": list(c.reference)}
            for factor, c in chosen.items()
        },
        "cell_counts": {cell_label(cell): int(n) for cell, n in counts.items()},
    }


def map_groups(groups: Sequence[str], *, design: DesignSpec | None = None, where: str = "groups") -> dict[str, Cell]:
    """Map group names that join levels (``Kaempferol & HU & Sham``) to cells of the 2x2x2."""
    frame = pd.DataFrame({"group": list(groups)}, index=[str(g) for g in groups])
    spec = design or DesignSpec()
    spec = DesignSpec(factors=spec.factors, group_column="group", files=spec.files, source=spec.source)
    chosen = {factor: _choose(factor, frame, spec, where=where) for factor in FACTORS}
    return {
        group: tuple(int(chosen[factor].assignment[i]) for factor in FACTORS)  # type: ignore[misc]
        for i, group in enumerate(frame.index)
    }


def check_cells(cells: Iterable[Cell], *, what: str) -> dict[Cell, int]:
    """Refuse a missing cell or a cell with fewer than MIN_REPLICATES; return the count per cell."""
    counts = {cell: 0 for cell in CELLS}
    for cell in cells:
        counts[cell] += 1
    found = ", ".join(f"{cell_label(cell)}: {n}" for cell, n in counts.items())
    for cell, n in counts.items():
        if n == 0:
            raise BadInputError(f"the 2x2x2 design is missing the cell {cell_label(cell)} (no {what}); found {found}")
    for cell, n in counts.items():
        if n < MIN_REPLICATES:
            raise BadInputError(
                f"cell {cell_label(cell)} has {n} replicate; each cell needs at least {MIN_REPLICATES} (found {found})"
            )
    return counts


def normalise(value: Any) -> str:
    return re.sub(r"[\s_.\-]+", " ", str(value).strip().lower()).strip()


def level_roles(value: Any) -> set[tuple[str, int]]:
    """Every (factor, level) a spelling can stand for: ``{("ir", 1)}`` for "0.5Gy"."""
    word = normalise(value)
    roles = {(f, 1) for f, words in _TREATED.items() if word in words}
    roles |= {(f, 0) for f, words in _REFERENCE.items() if word in words}
    dose = _DOSE.match(str(value).strip().lower().replace(" ", "").removeprefix("x"))
    if dose:
        roles.add(("ir", int(float(dose.group(1)) > 0)))
    return roles


# -- choosing one source per factor -----------------------------------------------------------
def _choose(factor: str, obs: pd.DataFrame, spec: DesignSpec, where: str = "obs") -> _Candidate:
    given = spec.factors.get(factor)
    if given is not None and given.column is not None:
        return _from_spec(factor, given, obs, spec, where)
    columns = [spec.group_column] if spec.group_column else list(obs.columns)
    if spec.group_column and spec.group_column not in obs.columns:
        raise BadInputError(
            f"{spec.source}: group_column {spec.group_column!r} is not a column of {where}; "
            f"columns: {', '.join(map(str, obs.columns)) or 'none'}"
        )
    candidates = [c for column in columns for c in _candidates(obs[column], str(column)) if c.factor == factor]
    distinct = {c.assignment: c for c in candidates}
    if not distinct:
        raise BadInputError(
            f"{where} has no column for {FACTOR_WORDS[factor]}; found {_describe(obs)}; "
            f"name it in design.yaml (factors: {{{factor}: {{column: ..., treated: ..., reference: ...}}}})"
        )
    if len(distinct) > 1:
        names = " and ".join(repr(c.column) for c in distinct.values())
        raise BadInputError(
            f"ambiguous design: {names} in {where} both look like {FACTOR_WORDS[factor]} but disagree; "
            f"choose one in design.yaml (factors: {{{factor}: {{column: ...}}}})"
        )
    return next(iter(distinct.values()))


def _candidates(column: pd.Series, name: str) -> list[_Candidate]:
    values = column.astype(str).tolist()
    levels = sorted(set(values))
    if len(levels) < 2 or len(levels) > _MAX_GROUP_LEVELS:
        return []
    if len(levels) == 2:
        binary = _binary(name, values, levels)
        if binary is not None:
            return [binary]
    return _grouped(name, values, levels)


def _binary(name: str, values: list[str], levels: list[str]) -> _Candidate | None:
    matches = []
    for factor in FACTORS:
        for treated, reference in ((levels[0], levels[1]), (levels[1], levels[0])):
            if (factor, 1) in level_roles(treated) and (factor, 0) in level_roles(reference):
                matches.append((factor, treated, reference))
    if not matches and normalise(name) in {w for words in _COLUMN_NAMES.values() for w in words}:
        truthy = [lv for lv in levels if normalise(lv) in _TRUE]
        falsy = [lv for lv in levels if normalise(lv) in _FALSE]
        factor = next(f for f, words in _COLUMN_NAMES.items() if normalise(name) in words)
        if len(truthy) == 1 and len(falsy) == 1:
            matches.append((factor, truthy[0], falsy[0]))
    if len(matches) != 1:
        return None
    factor, treated, reference = matches[0]
    return _Candidate(factor, name, tuple(int(v == treated) for v in values), (treated,), (reference,))


def _grouped(name: str, values: list[str], levels: list[str]) -> list[_Candidate]:
    for splitter in _SPLITTERS:
        if not all(splitter in level for level in levels):
            continue
        parsed = {level: _parse_group(level.split(splitter)) for level in levels}
        out = []
        for factor in FACTORS:
            if all(factor in found for found in parsed.values()):
                treated = tuple(sorted(lv for lv in levels if parsed[lv][factor] == 1))
                reference = tuple(sorted(lv for lv in levels if parsed[lv][factor] == 0))
                if treated and reference:
                    assignment = tuple(parsed[v][factor] for v in values)
                    out.append(_Candidate(factor, name, assignment, treated, reference))
        if out:
            return out
    return []


def _parse_group(tokens: list[str]) -> dict[str, int]:
    """Levels named in one group's tokens; a shared word like "control" fills the one factor left."""
    found: dict[str, int] = {}
    shared: list[set[tuple[str, int]]] = []
    for token in tokens:
        roles = level_roles(token)
        factors = {f for f, _ in roles}
        if len(factors) == 1:
            factor = factors.pop()
            found.setdefault(factor, next(level for f, level in roles if f == factor))
        elif roles:
            shared.append(roles)
    for roles in shared:
        open_roles = [(f, level) for f, level in roles if f not in found]
        if len(open_roles) == 1:
            found[open_roles[0][0]] = open_roles[0][1]
    return found


def _from_spec(factor: str, given: FactorSpec, obs: pd.DataFrame, spec: DesignSpec, where: str) -> _Candidate:
    column = given.column
    if column not in obs.columns:
        raise BadInputError(
            f"{spec.source}: factors.{factor}.column {column!r} is not a column of {where}; "
            f"columns: {', '.join(map(str, obs.columns)) or 'none'}"
        )
    values = obs[column].astype(str).tolist()
    if not given.treated and not given.reference:
        found = [c for c in _candidates(obs[column], str(column)) if c.factor == factor]
        if not found:
            levels = sorted(set(values))
            raise BadInputError(
                f"{spec.source}: cannot tell {FACTOR_WORDS[factor]} levels in column {column!r} "
                f"(values: {', '.join(levels[:8])}); give factors.{factor}.treated and .reference"
            )
        return found[0]
    treated = {normalise(v) for v in given.treated}
    reference = {normalise(v) for v in given.reference}
    assignment = []
    for sample, value in zip(obs.index, values, strict=False):
        words = {normalise(value)} | {normalise(t) for s in _SPLITTERS if s in value for t in value.split(s)}
        is_treated, is_reference = bool(words & treated), bool(words & reference)
        if is_treated == is_reference:
            raise BadInputError(
                f"{spec.source}: {where} {sample!r} has {column}={value!r}, which is "
                f"{'both' if is_treated else 'neither'} treated ({', '.join(given.treated) or '-'}) "
                f"{'and' if is_treated else 'nor'} reference ({', '.join(given.reference) or '-'}) for {factor}"
            )
        assignment.append(int(is_treated))
    levels_t = tuple(sorted({v for v, a in zip(values, assignment, strict=False) if a}))
    levels_r = tuple(sorted({v for v, a in zip(values, assignment, strict=False) if not a}))
    return _Candidate(factor, str(column), tuple(assignment), levels_t, levels_r)


def _describe(obs: pd.DataFrame) -> str:
    parts = []
    for column in obs.columns:
        levels = sorted(set(obs[column].astype(str)))
        shown = ", ".join(levels[:6]) + (", ..." if len(levels) > 6 else "")
        parts.append(f"{column} ({shown})" if len(levels) <= 12 else f"{column} ({len(levels)} values)")
    return "; ".join(parts) if parts else "no columns"


# -- design.yaml parsing ----------------------------------------------------------------------
def _parse_factors(where: Path, raw: Any) -> dict[str, FactorSpec]:
    if not isinstance(raw, dict):
        raise BadInputError(f"{where}: 'factors' must map drug/hu/ir to {{column, treated, reference}}")
    out = {}
    for factor, body in raw.items():
        if factor not in FACTORS:
            raise BadInputError(f"{where}: unknown factor {factor!r} under factors; allowed: {', '.join(FACTORS)}")
        if isinstance(body, str):
            body = {"column": body}
        if not isinstance(body, dict):
            raise BadInputError(f"{where}: factors.{factor} must be a column name or {{column, treated, reference}}")
        unknown = sorted(set(body) - {"column", "treated", "reference"})
        if unknown:
            raise BadInputError(
                f"{where}: unknown key factors.{factor}.{unknown[0]}; allowed: column, treated, reference"
            )
        spec = FactorSpec(
            column=_optional_str(where, f"factors.{factor}.column", body.get("column")),
            treated=_str_list(where, f"factors.{factor}.treated", body.get("treated")),
            reference=_str_list(where, f"factors.{factor}.reference", body.get("reference")),
        )
        if spec.column is None:
            raise BadInputError(f"{where}: factors.{factor} needs a column")
        if bool(spec.treated) != bool(spec.reference):
            raise BadInputError(f"{where}: factors.{factor}: give both treated and reference, or neither")
        out[factor] = spec
    return out


def _parse_files(where: Path, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise BadInputError(f"{where}: 'files' must map a results file name to its contrast")
    out = {}
    for name, contrast in raw.items():
        if contrast not in CONTRAST_NAMES:
            raise BadInputError(
                f"{where}: files.{name}: unknown contrast {contrast!r}; allowed: {', '.join(CONTRAST_NAMES)}"
            )
        out[str(name)] = str(contrast)
    return out


def _optional_str(where: Path, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int)):
        raise BadInputError(f"{where}: {key} must be a string")
    return str(value)


def _str_list(where: Path, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise BadInputError(f"{where}: {key} must be a string or a list of strings")
