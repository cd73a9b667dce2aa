"""Shell completion: `hesket completion SHELL` prints a script, and the shells' questions are answered with
commands, case ids and the events a case may record now, without slowing an ordinary start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

# What every run loads of the command line before it knows the command: the group, the error edge, the
# settings, and the recogniser of the reading commands answered before Typer is loaded.
EDGE = ("hesket_cli.cli.app", "hesket_cli.cli.edge", "hesket_cli.cli.quick", "hesket_cli.cli.settings")


def _triage(run, name: str) -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _ask(cases_dir: Path, shell: str, line: str, **extra: str) -> str:
    """What hesket answers when `shell` asks how to complete `line` (each shell's own protocol)."""
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "_HESKET_COMPLETE": f"complete_{shell}", **extra}
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                "_TYPER_COMPLETE_WORD_TO_COMPLETE": line.rsplit(" ", 1)[1]}
    done = subprocess.run([sys.executable, "-m", "hesket_cli"], env=env, capture_output=True, text=True, timeout=60)
    assert (0, "") == (done.returncode, done.stderr), done.stderr
    return done.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_prints_a_script_for_each_shell(run, shell):
    """`hesket completion SHELL` prints that shell's script, which calls hesket with _HESKET_COMPLETE set."""
    result = run("completion", shell)
    assert (0, True, True) == (result.exit_code, "_HESKET_COMPLETE" in result.stdout, "hesket" in result.stdout)


def test_completion_of_an_unknown_shell_is_a_usage_error(run):
    """`hesket completion ksh` exits 2 naming the shells there are scripts for."""
    result = run("completion", "ksh")
    assert (2, True) == (result.exit_code, "'bash', 'zsh', 'fish', 'powershell'" in result.stderr)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_each_shell_is_offered_the_events_the_case_may_record_now(run, cases_dir, shell):
    """After the discussion, `case record ID <TAB>` offers the outcomes and nothing the policy would refuse."""
    case_id = _triage(run, "complaint-wrong-channel")
    assert 0 == run("case", "record", case_id, "discuss_and_request_removal").exit_code
    answer = _ask(cases_dir, shell, f"hesket case record {case_id} re")
    expected = {"bash": "removed\nrefused\n", "zsh": '"removed":"The post was removed"',
                "fish": "removed\tThe post was removed\nrefused\t", "powershell": "removed:::The post was removed"}
    assert (True, False) == (expected[shell] in answer, "written_warning" in answer)


def test_case_ids_are_completed_newest_first(run, cases_dir):
    """`case show 20<TAB>` offers the workspace's case ids, newest first."""
    ids = [_triage(run, "kind-post") for _ in range(3)]
    assert "\n".join(reversed(ids)) + "\n" == _ask(cases_dir, "bash", "hesket case show 20")


def test_commands_are_completed_with_their_descriptions(cases_dir):
    """`hesket ca<TAB>` offers case; zsh is told what it does, in the words of `hesket --help`."""
    assert ("case\n", True) == (_ask(cases_dir, "bash", "hesket ca"),
                                '"case":"Find, show and list cases' in _ask(cases_dir, "zsh", "hesket ca"))


def test_an_unreadable_workspace_completes_nothing_and_prints_no_error(tmp_path):
    """A cases folder that is a file gives no completions and no error in the shell."""
    folder = tmp_path / "not-a-folder"
    folder.write_text("x", encoding="utf-8")
    assert "" == _ask(folder, "bash", "hesket case show 20").strip()


def test_completing_does_not_load_the_commands_it_names(cases_dir):
    """Completing `hesket <TAB>` builds no command module (each would cost start-up time)."""
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "_HESKET_COMPLETE": "complete_bash",
           "COMP_WORDS": "hesket ", "COMP_CWORD": "1"}
    code = ("import sys, runpy\nsys.argv = ['hesket']\ntry:\n    runpy.run_module('hesket_cli', run_name='__main__')\n"
            "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith('hesket_cli.cli.') "
            f"and m not in {EDGE!r}), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "[]" == done.stderr.strip().splitlines()[-1]


def test_help_still_loads_no_command_module(cases_dir):
    """`hesket --help` lists every command from its one-liners, building none of them (start-up stays quick)."""
    code = ("import sys\nfrom hesket_cli.cli.app import app\ntry:\n    app(['--help'], prog_name='hesket')\n"
            "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith('hesket_cli.cli.') "
            f"and m not in {EDGE!r}), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HESKET_CASES_DIR": str(cases_dir)})
    assert "[]" == done.stderr.strip().splitlines()[-1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_an_event_in_a_real_bash(run, cases_dir, tmp_path):
    """Sourced into bash, the script's function fills COMPREPLY with the events the case may record now."""
    case_id = _triage(run, "complaint-wrong-channel")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "hesket"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m hesket_cli "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    script = tmp_path / "hesket-completion.bash"
    script.write_text(run("completion", "bash").stdout, encoding="utf-8")
    probe = (f"source {script}\nCOMP_WORDS=(hesket case record {case_id} dis)\nCOMP_CWORD=4\n"
             "_hesket_completion hesket\nprintf '%s\\n' \"${COMPREPLY[@]}\"")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HESKET_CASES_DIR": str(cases_dir)}
    done = subprocess.run(["bash", "--norc", "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert ("discuss_and_request_removal\n", "") == (done.stdout, done.stderr)
