"""The console entry point loads only the command being run, and loses nothing by it."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("words", [("case", "list"), ("review", "--json")])
def test_a_command_runs_with_the_cycle_collector_paused_and_switches_it_back(run, monkeypatch, words):
    """The cyclic garbage collector is off while a command runs (its passes over a trust's records find
    nothing and cost a tenth of the time) and on again afterwards, as it was."""
    import gc

    from hesket_cli.casework import review
    from hesket_cli.cli import reading

    seen = []
    listed, reviewed = reading.list_cases, review.review_cases
    monkeypatch.setattr(reading, "list_cases", lambda *a, **k: (seen.append(gc.isenabled()), listed(*a, **k))[1])
    monkeypatch.setattr(review, "review_cases", lambda *a, **k: (seen.append(gc.isenabled()), reviewed(*a, **k))[1])
    result = run(*words)
    assert (0, [False], True) == (result.exit_code, seen, gc.isenabled())
