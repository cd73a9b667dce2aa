"""The architecture holds: imports flow one way, by an explicit map, lazy imports included.

The map below is the README's "Development" section as a test: each module
of hesket_cli, and every module of hesket_cli it may import. Imports flow
down: the command line (cli) uses the use cases (casework) and the views;
the use cases use the store, the index and the core; the core (policy,
answers, case, engine, review) uses only the standard library and the
foundation (files, describe, dates, safe, errors). An import not in the map
fails this test, wherever in the module it is written.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "hesket_cli"
NETWORK_MODULES = {"socket", "http", "urllib", "ssl", "ftplib", "smtplib", "requests", "httpx", "asyncio"}

FOUNDATION = {"errors", "describe", "dates", "safe", "files", "strict", "quote_match", "toml_read", "parallel"}
CORE = {"policy", "policy_file", "policy_settings", "policy_letters", "policy_conditions", "answers", "case", "case_data", "engine", "refusals", "flags", "review", "policy_logic", "policy_check",
        "policy_layout", "policy_import_rules", "policy_draft", "policy_import", "policy_import_report", "chain", "sealing", "deadlines", "retention",
        "letter_template", "letters", "platform_routes", "platform_report", "redaction"}
STORAGE = {"store", "numbering", "leftovers", "post_keys", "evidence", "index", "derive", "workspace", "workspace_access", "quotes", "config", "people",
           "policy_read_text", "purge"}
USE_CASES = {"casework", "casework.common", "casework.triage", "casework.history", "casework.lookup",
             "casework.review", "casework.verify", "casework.policies", "casework.settings", "casework.workspaces",
             "casework.decisions", "casework.search", "casework.exports",
             "casework.purging", "casework.capture", "casework.letters",
             "casework.report"}
PRESENTATION = {"views", "render", "render.case", "render.review", "render.policy", "render.interview", "report",
                "interview", "letter_docx", "chronology", "subject_access", "bundle"}
CLI = {"cli", "cli.app", "cli.options", "cli.output", "cli.triage", "cli.case", "cli.review", "cli.policy",
       "cli.config", "cli.meta", "cli.workspace", "cli.case_history", "cli.case_evidence", "cli.bundle", "cli.purge",
       "cli.subject_access", "cli.letter", "cli.report", "cli.edge", "cli.settings", "cli.quick", "cli.reading"}
# The part of the command line that answers the commonest reading commands before Typer is loaded (cli/quick.py).
BEFORE_TYPER = {"cli", "cli.edge", "cli.settings", "cli.quick", "cli.reading", "cli.output"}

# Each module, and the modules of hesket_cli it may import ("" is the package itself, for __version__).
MAP: dict[str, set[str]] = {
    "": set(),
    "__main__": {"cli"},
    # foundation: the standard library only
    "errors": set(), "describe": set(), "dates": {"describe"}, "safe": set(), "files": {"errors"},
    "strict": {"describe"},
    "quote_match": set(), "toml_read": set(), "parallel": set(),
    # the core: pure rules and models
    "policy": set(),
    "policy_file": {"describe", "errors", "files", "policy", "policy_conditions", "policy_letters", "policy_settings",
                    "strict", "toml_read"},
    "policy_conditions": {"describe", "policy", "strict"}, "policy_settings": {"describe", "policy", "strict"},
    "policy_letters": {"describe", "policy", "strict"},
    "answers": {"describe", "errors", "files", "policy", "toml_read"},
    "case": {"answers"},
    "case_data": {"answers", "case"},
    "engine": {"answers", "case", "policy"},
    "refusals": {"answers", "case", "engine", "policy"},
    "flags": {"answers", "case", "engine", "policy", "refusals"},
    "review": {"case", "engine", "flags", "policy"},
    "policy_logic": {"policy"},
    "policy_check": {"policy", "policy_logic", "quote_match"},
    "policy_layout": set(), "policy_import_rules": set(), "policy_draft": set(),
    "policy_import": {"errors", "policy_check", "policy_draft", "policy_file", "policy_import_rules", "policy_layout",
                      "quote_match"},
    "policy_import_report": {"policy_check", "policy_import"},
    "chain": {"errors"}, "deadlines": {"errors"}, "retention": {"errors"},
    "sealing": {"case", "case_data", "chain", "errors"},
    "letter_template": {"errors"}, "letters": {"errors", "letter_template", "policy"},
    "platform_routes": {"errors", "policy", "toml_read"}, "platform_report": {"errors", "platform_routes", "policy", "redaction"},
    "redaction": {"describe", "errors"},
    # storage: the cases folder, its cache, the user's settings
    "store": {"case", "case_data", "errors", "files", "leftovers", "numbering", "sealing", "toml_read"},
    "leftovers": {"files", "numbering"},
    "numbering": {"files"},
    "evidence": {"case", "errors", "files", "leftovers", "store"},
    "index": {"", "files", "store"},
    "derive": {"case", "errors", "index", "parallel", "store"},
    "post_keys": {"index", "store"},
    "purge": {"case", "errors", "files", "index", "leftovers", "store"},
    "workspace": {"describe", "errors", "files", "policy", "policy_file", "quotes", "retention", "store", "strict",
                  "toml_read", "workspace_access"},
    "workspace_access": {"errors", "files"},
    "quotes": {"config", "errors", "files", "index", "policy", "policy_check"},
    "config": {"errors", "files", "toml_read"},
    "people": set(),
    "policy_read_text": {"errors"},
    "bundle": {"", "chain", "chronology", "errors", "files"},
    # the use cases
    **dict.fromkeys(USE_CASES, FOUNDATION | CORE | STORAGE | USE_CASES),
    # what a person or a script reads
    "views": {"answers", "bundle", "case", "case_data", "engine", "platform_report", "platform_routes", "policy",
              "retention", "review", "casework.lookup", "casework.verify"},
    "render": {"policy", "safe"},
    "render.case": {"render", "dates", "engine", "policy", "safe"},
    "render.review": {"render", "describe", "policy", "review", "safe"},
    "render.policy": {"render", "refusals", "policy"},
    "render.interview": {"render", "safe"},
    "report": {"describe", "policy", "review"},
    "interview": {"answers", "dates", "describe", "engine", "policy"},
    "letter_docx": {"letters"}, "chronology": set(), "subject_access": set(),
    # the command line: anything below it
    **{name: {""} | FOUNDATION | CORE | STORAGE | USE_CASES | PRESENTATION | CLI for name in CLI},
}
# Third-party libraries a module may import; every other module uses the standard library only.
THIRD_PARTY = {
    **{name: {"rich"} if name in BEFORE_TYPER else {"typer", "rich"} for name in CLI},
    **{name: {"rich"} for name in PRESENTATION if name.startswith("render")},
    "store": {"tomli_w", "platformdirs"}, "casework.triage": {"tomli_w"}, "config": {"tomli_w", "platformdirs"},
    "workspace": {"platformdirs"}, "casework.workspaces": {"tomli_w"},
    "index": {"platformdirs"}, "toml_read": {"tomli"},
    "policy_read_text": {"docx"}, "letter_docx": {"docx"}, "subject_access": {"docx"},
}
STDLIB = set(sys.stdlib_module_names)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(name: str) -> bool:
    """Whether `name` (dotted, relative to hesket_cli) is a module or package of hesket_cli."""
    path = PACKAGE / name.replace(".", "/")
    return bool(name) and (path.with_suffix(".py").exists() or (path / "__init__.py").exists())


def _path(name: str) -> Path:
    path = PACKAGE / name.replace(".", "/")
    return path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(hesket modules, other top-level modules) imported anywhere in a file, lazy imports included."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [p for p in package if p]
    own, other = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top == "hesket_cli":
                    own.add(alias.name.removeprefix("hesket_cli").lstrip("."))
                else:
                    other.add(top)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            other.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                own.add(candidate if _is_module(candidate) else target)
    return own - {name}, other


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))


def test_the_map_names_every_module_and_nothing_else():
    """Every module of hesket_cli is in the layering map, and the map names no module that is gone."""
    assert sorted(MAP) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_a_module_imports_only_what_the_map_allows(name):
    """Imports flow one way: a module imports only the hesket modules the map allows it."""
    own, _ = _imports(_path(name))
    assert set() == own - MAP[name]


@pytest.mark.parametrize("name", MODULES)
def test_a_module_uses_only_the_libraries_allowed_to_it(name):
    """Typer stays in cli, Rich in cli and render; the core uses only the standard library."""
    _, other = _imports(_path(name))
    assert set() == {m for m in other if m and m not in STDLIB and m != "__future__"} - THIRD_PARTY.get(name, set())


def test_no_module_of_hesket_imports_a_network_library():
    """Case files hold personal data: no hesket module may even import a network library."""
    found = {name: sorted(_imports(_path(name))[1] & NETWORK_MODULES) for name in MODULES}
    assert {} == {name: mods for name, mods in found.items() if mods}


def test_engine_loads_without_typer_rich_or_store():
    """Importing the engine pulls in neither the command-line libraries nor the store."""
    code = ("import sys, hesket_cli.engine; print(sorted(m for m in ('typer', 'rich', 'hesket_cli.store', "
            "'hesket_cli.cli', 'tomli_w') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "[]" == result.stdout.strip()


def test_the_readme_development_section_lists_every_module():
    """The README's "Development" section names every module the map holds, so a newcomer finds each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Development", 1)[1].split("\n## ", 1)[0]
    missing = []
    for name in MODULES:
        last = name.split(".")[-1]
        if name and last != "__main__" and (f"{last}/" if _path(name).name == "__init__.py" else f"{last}.py") \
                not in section:
            missing.append(name)
    assert [] == missing
