"""Shared fixtures: an empty cases folder per test, the CLI runner, and no network.

Every test runs with network connections blocked, in this process and in
every Python process it starts (tests/nonet is put on PYTHONPATH), because
hesket handles personal data and must never open a socket.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
NONET = Path(__file__).resolve().parent / "nonet"
EXAMPLES = ROOT / "examples"
POLICY_FILE = ROOT / "policy.toml"

# The guard is loaded from its file, not imported by name: a Python whose own `sitecustomize` ran at start-up
# (Debian's does) already has that name taken, and `import sitecustomize` would give that one, unguarded.
_spec = importlib.util.spec_from_file_location("hesket_tests_nonet", NONET / "sitecustomize.py")
assert _spec is not None and _spec.loader is not None
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))  # installs the guard in this process

os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NONET), os.environ.get("PYTHONPATH")]))

from hesket_cli.cli.app import app  # noqa: E402
from hesket_cli.policy_file import load_policy  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's cases or uses a policy from the environment."""
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "cases"))
    monkeypatch.setenv("HESKET_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("HESKET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HESKET_POLICY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def cases_dir(tmp_path: Path) -> Path:
    """The (initially absent) cases folder the CLI uses in this test."""
    return tmp_path / "cases"


@pytest.fixture(scope="session")
def policy():
    """The policy shipped in the repository."""
    return load_policy(POLICY_FILE)


@pytest.fixture
def run():
    """Run a hesket command through Typer's CliRunner; returns the Result (stdout and stderr apart)."""
    runner = CliRunner()

    def _run(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, env=env)

    return _run


def case_folders(cases_dir: Path) -> list[str]:
    """The names in a cases folder but hesket's own notes (`.hesket`, the numbering's hint), sorted."""
    return sorted(p.name for p in cases_dir.iterdir() if p.name != ".hesket")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a command changed nothing."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def another_schools_policy(folder: Path, school: str, title: str | None = None) -> Path:
    """The shipped policy.toml, with the policy.txt it quotes, copied into a new `folder` as another school's
    version: its own school name (and title, if given), quotes unchanged. Returns the policy file's path."""
    folder.mkdir()
    text = POLICY_FILE.read_text(encoding="utf-8").replace('school = "High Hesket CE School"', f'school = "{school}"')
    if title is not None:
        text = text.replace('title = "Policy on parental use of social networking and internet sites"',
                            f'title = "{title}"', 1)
    (folder / "policy.toml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "policy.txt", folder / "policy.txt")
    return folder / "policy.toml"
