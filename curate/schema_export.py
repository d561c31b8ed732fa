"""JSON Schema for every public model in schemas/, written atomically into a folder."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

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
        handle, temp = tempfile.mkstemp(dir=out, prefix=f".{name}.")
        with os.fdopen(handle, "w") as stream:
            json.dump(schema, stream, indent=2, sort_keys=True)
            stream.write("\n")
        os.replace(temp, target)
        written.append(target)
    return written
