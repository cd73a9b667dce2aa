"""The README stays true: its Quick start, its commands and examples, and CI's test command."""

from __future__ import annotations

import re

from conftest import EXAMPLES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_one_triage_one_tests():
    """A new user finds two commands: one sets up and triages, one sets up and tests."""
    commands = _quick_start_commands()
    assert 2 == len(commands)
    assert "hesket triage --answers examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    """CI runs exactly the README's test command, in a fresh virtual environment."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci
    assert "rm -rf .venv" in ci


def test_every_example_named_in_the_readme_exists():
    """Each examples/ file the README names is there."""
    named = set(re.findall(r"examples/([\w-]+\.toml)", README)) | set(re.findall(r"`([\w-]+\.toml)`", README))
    named -= {"policy.toml", "my-policy.toml", "case.toml"}
    assert set() == {name for name in named if not (EXAMPLES / name).exists()}


def test_every_command_is_in_the_readme_and_has_help(run):
    """Each command appears in the README and its --help has an Examples block."""
    for command in (["triage"], ["case", "show"], ["case", "list"], ["case", "record"], ["case", "note"],
                    ["case", "attach"], ["case", "verify"], ["review"], ["policy", "show"], ["policy", "path"],
                    ["policy", "check"], ["config", "set"], ["config", "get"]):
        assert f"hesket {' '.join(command)}" in README
        result = run(*command, "--help")
        assert 0 == result.exit_code, result.output
        assert "Examples:" in result.stdout


def test_every_exit_code_is_documented_in_help_and_readme(run):
    """The exit codes scripts depend on are listed in `hesket --help` and the README."""
    help_text = run("--help").stdout
    for code in range(7):
        assert re.search(rf"^\s+{code}\s+\S", help_text, re.M), code
        assert f"| {code} |" in README


def test_readme_first_triage_runs(run):
    """The Quick start's triage command works and prints what the README shows."""
    result = run("triage", "--answers", str(ROOT / "examples" / "complaint-wrong-channel.toml"))
    assert 0 == result.exit_code, result.output
    assert "Verdict: INAPPROPRIATE" in result.stdout
    assert "Next step: Discuss the matter with the parent" in result.stdout
