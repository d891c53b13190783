"""The package tree reads like the data flow, and imports only go one way along it."""

from __future__ import annotations

import ast
from pathlib import Path

import trangtin

PACKAGE = Path(trangtin.__file__).parent
# Each stage may import the ones before it, never the ones after (the flow of the README).
LAYERS = ["common", "network", "photos", "content", "feeds", "aggregate", "report", "site", "cli"]
MKDOCS = ("mkdocs", "material")


def stage_of(module: Path) -> str:
    return module.relative_to(PACKAGE).parts[0]


def imported_modules(module: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``module``, relative ones resolved."""
    package = ".".join(("trangtin", *module.relative_to(PACKAGE).parent.parts))
    return imports_in(module.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            found.append((node.lineno, name))
            if not node.module:  # from . import a, b: the modules themselves
                found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def test_the_top_level_holds_only_the_stages() -> None:
    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert entries == {"__init__.py", "py.typed", *LAYERS}


def test_every_stage_says_what_it_owns_and_may_import() -> None:
    for stage in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), stage


def test_imports_only_go_down_the_flow() -> None:
    upward = []
    for module in modules():
        own = LAYERS.index(stage_of(module))
        for line, name in imported_modules(module):
            parts = name.split(".")
            if parts[0] == "trangtin" and len(parts) > 1 and parts[1] in LAYERS and LAYERS.index(parts[1]) > own:
                upward.append(f"{module.relative_to(PACKAGE)}:{line} imports {name}")
    assert upward == []


def test_only_the_site_and_the_command_know_mkdocs() -> None:
    knowing = {stage_of(m) for m in modules()
               for _, name in imported_modules(m) if name.split(".")[0] in MKDOCS}
    assert knowing <= {"site", "cli"}
    assert "site" in knowing  # the check sees the plugin's imports at all


def test_the_import_reader_resolves_relative_and_absolute_imports() -> None:
    source = "import os\nfrom ..report import counting\nfrom . import text\nfrom trangtin.site.plugin import X\n"
    assert imports_in(source, "trangtin.content") == [
        (1, "os"), (2, "trangtin.report"), (3, "trangtin.content"), (3, "trangtin.content.text"),
        (4, "trangtin.site.plugin")]
