"""The console entry point loads only the command being run, and loses nothing by it."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES


def _hesket(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hesket_cli", *args], capture_output=True, text=True, env=env)


def test_the_real_program_still_suggests_a_near_command():
    """A typo in a subcommand still gets Typer's "did you mean", with every command known."""
    result = _hesket("case", "sho")
    assert 2 == result.returncode
    assert "Did you mean 'show'?" in result.stderr


def test_the_real_program_runs_a_command_after_global_options(tmp_path):
    """`--policy FILE case list --json` runs the command named after the global options."""
    from conftest import POLICY_FILE

    triage = _hesket("triage", "--answers", str(EXAMPLES / "kind-post.toml"), "--json")
    assert 0 == triage.returncode, triage.stderr
    listed = _hesket("--policy", str(POLICY_FILE), "case", "list", "--json")
    assert 0 == listed.returncode, listed.stderr
    assert '"verdict":"appropriate"' in listed.stdout


def test_the_real_program_lists_every_command_in_its_help():
    """`hesket --help` and `hesket case --help` still list every command."""
    top = _hesket("--help").stdout
    for name in ("triage", "case", "review", "policy", "config"):
        assert name in top
    case = _hesket("case", "--help").stdout
    for name in ("show", "list", "record", "note", "attach", "verify"):
        assert name in case
