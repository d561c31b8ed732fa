"""Every import in a docs code block names a module and a name that exist (the docs follow renames)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
DESIGN_FOLDERS = {"schemas", "generators", "train", "annotations"}  # installed only as curate.<folder>
PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def imports_in_docs() -> list[tuple[str, str, str | None]]:
    found = []
    for page in PAGES:
        for block in BLOCK.findall(page.read_text()):
            lines = [line for line in block.splitlines() if line.startswith(("import ", "from "))]
            for node in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found += [(page.name, node.module, alias.name) for alias in node.names]
                elif isinstance(node, ast.Import):
                    found += [(page.name, alias.name, None) for alias in node.names]
    return found


def test_docs_have_code_imports_to_check() -> None:
    assert len(imports_in_docs()) >= 5


@pytest.mark.parametrize(("page", "module", "name"), imports_in_docs())
def test_docs_import_exists(page: str, module: str, name: str | None) -> None:
    assert module.split(".")[0] not in DESIGN_FOLDERS, f"{page}: `{module}` is installed as `curate.{module}`"
    loaded = importlib.import_module(module)
    if name is not None:
        assert hasattr(loaded, name) or importlib.util.find_spec(f"{module}.{name}"), \
            f"{page}: `from {module} import {name}`: no such name"
