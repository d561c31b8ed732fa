"""JSON Schema for every public model in schemas/, written atomically into a folder."""

from __future__ import annotations

import json
from pathlib import Path

from curate.files import write_text_atomically
from curate.schemas.errors import BadInputError


def schema_models() -> dict[str, object]:
    """Every pydantic model (and the Fact union) exported by schemas/."""
    from pydantic import BaseModel, TypeAdapter

    from curate import schemas

    models: dict[str, object] = {}
    for name in schemas.__all__:
        value = getattr(schemas, name)
        if isinstance(value, type) and issubclass(value, BaseModel):
            models[name] = value.model_json_schema(by_alias=True)
    models["Fact"] = TypeAdapter(schemas.Fact).json_schema()
    return models


def export_json_schemas(out: Path) -> list[Path]:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"{out}: cannot create folder ({exc.strerror})") from None
    written = []
    for name, schema in sorted(schema_models().items()):
        target = out / f"{name}.schema.json"
        write_text_atomically(target, json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(target)
    return written
