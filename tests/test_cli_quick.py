"""The commonest reading commands are answered before Typer is loaded, exactly as the full command line answers them.

`hesket case show ID [--json]` and `hesket case list [--json]` go through
cli/quick.py; any other form (an option before the command, `--status`)
goes through Typer. These tests run both ways on the same cases and compare
everything a user or a script sees: standard output, standard error, the
exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hesket_cli.cli.quick import recognised

from conftest import EXAMPLES, POLICY_FILE


def _triage(run, answers: str = "complaint-wrong-channel.toml") -> str:
    result = run("triage", "--answers", EXAMPLES / answers, "--json")
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)["id"]


def _both(run, *quick: str, full: tuple[str, ...]) -> tuple[tuple[str, str, int], tuple[str, str, int]]:
    """(stdout, stderr, exit code) of the quick form and of a form the full command line answers."""
    assert recognised(list(quick)) is not None and recognised(list(full)) is None
    answered = run(*quick)
    typer_answered = run(*full)
    return ((answered.stdout, answered.stderr, answered.exit_code),
            (typer_answered.stdout, typer_answered.stderr, typer_answered.exit_code))


@pytest.mark.parametrize("words", [
    ["case", "show", "2026-0001"], ["case", "show", "2026-0001", "--json"], ["case", "show", "--json", "2026-0001"],
    ["case", "list"], ["case", "list", "--json"],
])
def test_the_forms_answered_before_typer_is_loaded_are_recognised(words):
    """Exactly these forms are answered by the quick path."""
    assert recognised(words) is not None


@pytest.mark.parametrize("words", [
    [], ["--help"], ["case"], ["case", "show"], ["case", "show", "2026-0001", "--as-triaged"],
    ["case", "show", "2026-0001", "2026-0002"], ["case", "show", "--help"], ["case", "show", "2026-0001", "-h"],
    ["case", "list", "--status", "all"], ["case", "list", "--json", "--json"], ["case", "list", "--poster", "x"],
    ["--no-color", "case", "list"], ["-w", "x", "case", "show", "2026-0001"], ["case", "find", "x"],
    ["review"], ["case", "list", "extra"], ["case", "show", "--", "2026-0001"],
])
def test_every_other_form_is_left_to_the_full_command_line(words):
    """Another option, a missing or extra word, or help goes through Typer, which checks it fully."""
    assert recognised(words) is None


def test_case_show_json_is_the_same_either_way(run):
    """`case show ID --json` prints the same document as the full command line."""
    case_id = _triage(run)
    quick, full = _both(run, "case", "show", case_id, "--json", full=("--no-pager", "case", "show", case_id, "--json"))
    assert full == quick
    assert case_id == json.loads(quick[0])["id"]


def test_case_show_for_a_person_is_the_same_either_way(run):
    """The Rich view of a case is drawn the same way by both paths."""
    case_id = _triage(run)
    quick, full = _both(run, "case", "show", case_id, full=("--no-pager", "case", "show", case_id))
    assert full == quick
    assert case_id in quick[0]


def test_case_list_is_the_same_either_way_including_a_file_that_cannot_be_read(run, cases_dir):
    """`case list` and `case list --json` list the same cases and warn of the same broken file."""
    _triage(run)
    broken = _triage(run, "defamatory-post.toml")
    (cases_dir / broken / "case.toml").write_text("not = [toml", encoding="utf-8")
    for quick_words, full_words in [(("case", "list"), ("case", "list", "--status", "open")),
                                    (("case", "list", "--json"), ("case", "list", "--status", "open", "--json"))]:
        quick, full = _both(run, *quick_words, full=full_words)
        assert full == quick
        assert f"Warning: {cases_dir / broken / 'case.toml'}" in quick[1]


@pytest.mark.parametrize("case_id, code", [("2026-9999", 4), ("../../etc", 3), ("2026-00x1", 3)])
def test_a_case_that_is_not_there_or_not_an_id_fails_the_same_way(run, case_id, code):
    """No such case (exit 4) or a malformed id (exit 3): the same one `Error:` line from both paths."""
    _triage(run)
    quick, full = _both(run, "case", "show", case_id, "--json", full=("--no-pager", "case", "show", case_id, "--json"))
    assert full == quick
    assert ("", code) == (quick[0], quick[2])
    assert 1 == len(quick[1].splitlines()) and quick[1].startswith("Error: ")


def test_a_policy_being_tried_is_announced_the_same_way(run, tmp_path):
    """With HESKET_POLICY set, `case list --json` warns on standard error on both paths, its JSON unchanged."""
    _triage(run)
    tried = tmp_path / "tried.toml"
    tried.write_text(POLICY_FILE.read_text(encoding="utf-8").replace('title = "', 'title = "Tried ', 1),
                     encoding="utf-8")
    shutil.copy(POLICY_FILE.parent / "policy.txt", tmp_path / "policy.txt")  # the published text it quotes
    env = {"HESKET_POLICY": str(tried)}
    quick = run("case", "list", "--json", env=env)
    full = run("case", "list", "--status", "open", "--json", env=env)
    assert (full.stdout, full.stderr, full.exit_code) == (quick.stdout, quick.stderr, quick.exit_code)
    assert quick.stderr.startswith("Warning: ")


def _modules_loaded(*words: str, tmp_path: Path) -> list[str]:
    """Which of typer and rich a real `hesket WORDS` process loaded, and its exit code, as printed by it."""
    code = ("import atexit, sys\n"
            f"sys.argv = ['hesket', *{list(words)!r}]\n"
            "atexit.register(lambda: print(sorted(m for m in ('typer', 'rich') if m in sys.modules), file=sys.stderr))\n"
            "from hesket_cli.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=os.environ)
    return [done.stderr.strip().splitlines()[-1], str(done.returncode)]


def test_a_script_asking_for_a_case_as_json_does_not_load_typer_or_rich(run, tmp_path):
    """`hesket case show ID --json` and `case list --json` start without Typer or Rich (start-up time)."""
    case_id = _triage(run)
    assert ["[]", "0"] == _modules_loaded("case", "show", case_id, "--json", tmp_path=tmp_path)
    assert ["[]", "0"] == _modules_loaded("case", "list", "--json", tmp_path=tmp_path)


def test_a_person_asking_for_a_case_loads_rich_but_not_typer(run, tmp_path):
    """The Rich view needs Rich, still not Typer."""
    case_id = _triage(run)
    assert ["['rich']", "0"] == _modules_loaded("case", "show", case_id, tmp_path=tmp_path)


def test_any_other_command_still_goes_through_typer(run, tmp_path):
    """A form the quick path does not answer is answered by the full command line (here, its help)."""
    assert ["['typer']", "0"] == _modules_loaded("case", "list", "--help", tmp_path=tmp_path)
