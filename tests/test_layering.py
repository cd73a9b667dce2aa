"""The architecture holds: the core imports no CLI or I/O layers, and nothing opens a socket."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "hesket_cli"
NETWORK_MODULES = {"socket", "http", "urllib", "ssl", "ftplib", "smtplib", "requests", "httpx", "asyncio"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_engine_loads_without_typer_rich_or_store():
    """Importing the engine pulls in neither the CLI libraries nor the store."""
    code = (
        "import sys, hesket_cli.engine; "
        "print(sorted(m for m in ('typer', 'rich', 'hesket_cli.store', 'hesket_cli.cli', 'tomli_w') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "[]" == result.stdout.strip()


def test_no_module_of_hesket_imports_a_network_library():
    """Case files hold personal data: no hesket module may even import a network library."""
    offenders = {
        path.name: sorted(_imported_modules(path) & NETWORK_MODULES) for path in sorted(PACKAGE.glob("*.py"))
    }
    assert {} == {name: mods for name, mods in offenders.items() if mods}


def test_only_the_cli_and_render_import_rich_or_typer():
    """Rich and Typer stay at the edge, so the core can be reused and tested without them."""
    edge = {"cli.py", "render.py"}
    users = {
        path.name for path in PACKAGE.glob("*.py") if _imported_modules(path) & {"rich", "typer"}
    }
    assert set() == users - edge
