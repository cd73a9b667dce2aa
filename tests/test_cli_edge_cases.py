"""What a new user's first hour and hostile input meet at the edge: each failure one clear `Error:` line.

Each test is the reproduction of one finding: a word of the command line
that is not UTF-8 text, a cases folder that cannot be used, a closed
standard output, a blank path, a mistyped cases folder, Click's own words
for a number out of range.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES, POLICY_FILE

POSIX = pytest.mark.skipif(os.name == "nt", reason="the system passes Windows' arguments as text, never as bytes")


def _triage(run) -> str:
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _hesket(*args: str | bytes, env: dict[str, str] | None = None,
            **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """Run hesket as its own process (as a shell does: arguments as bytes), with this test's environment."""
    return subprocess.run([sys.executable, "-m", "hesket_cli", *args], capture_output=True,
                          env={**os.environ, **(env or {})}, **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize("args, which", [
    (("case", "attach", "2026-0001", "caf\udce9.png"), "the word after 2026-0001, 'caf\ufffd.png'"),
    (("case", "note", "2026-0001", "bad \udcff"), "the word after 2026-0001, 'bad \ufffd'"),
    (("case", "find", "\udcff"), "the word after find, '\ufffd'"),
    (("config", "set", "name", "\udcff"), "the word after name, '\ufffd'"),
    (("case", "note", "2026-0001", "hi", "--on=\udcff"), "the value of --on, '\ufffd'"),
    (("case", "show", "\udcff"), "the word after show, '\ufffd'"),
], ids=["attach", "note", "find", "config-set", "on", "show"])
def test_a_word_that_is_not_utf8_is_one_error_naming_it_exit_3(run, args, which):
    """A word of the command line that is not UTF-8 (a file name from an old USB stick) is refused by name, exit 3."""
    _triage(run)
    result = run(*args)
    expected = (3, f"Error: {which}, is not text: it holds bytes that are not UTF-8 (shown as \ufffd); type it "
                   "again, or if it names a file, rename the file (in a file manager, say) and give its new name\n")
    assert expected == (result.exit_code, result.stderr)


@POSIX
@pytest.mark.parametrize("args", [[b"case", b"note", b"2026-0001", b"bad \xff"], [b"case", b"show", b"\xff"]],
                         ids=["full", "quick"])
def test_bytes_that_are_not_utf8_from_the_shell_are_refused_on_both_ways_in(run, args):
    """The same bytes from a real shell are refused before any command runs, quick path or full command line."""
    _triage(run)
    result = _hesket(*args)
    expected = (3, 1, b"is not text")
    assert expected == (result.returncode, result.stderr.count(b"Error:"),
                        b"is not text" if b"is not text" in result.stderr else result.stderr)


@pytest.mark.parametrize("args", [("triage", "--answers", str(EXAMPLES / "kind-post.toml")), ("case", "list"),
                                  ("review",), ("status",), ("case", "verify"), ("case", "show", "2026-0001"),
                                  ("case", "note", "2026-0001", "hi")],
                         ids=["triage", "list", "review", "status", "verify", "show", "note"])
def test_a_cases_folder_that_is_a_file_is_exit_3_saying_so(run, tmp_path, monkeypatch, args):
    """HESKET_CASES_DIR naming a file is invalid input (exit 3) that says so and how to fix it, in every command."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "afile"))
    result = run(*args)
    expected = (3, f"Error: HESKET_CASES_DIR names a file, not a folder: {tmp_path / 'afile'}; set it to the "
                   "cases folder's path (the first triage makes a new one)\n")
    assert expected == (result.exit_code, result.stderr)


@pytest.mark.parametrize("args", [("case", "list"), ("status",)], ids=["list", "status"])
def test_a_cases_folder_not_open_to_you_is_exit_3_saying_whom_to_ask(run, cases_dir, monkeypatch, args):
    """A cases folder the system will not let you read is exit 3 with the fix: ask IT, or check HESKET_CASES_DIR."""
    _triage(run)
    scandir = os.scandir

    def refused(path=".", *rest):
        if str(path) == str(cases_dir):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path, *rest)

    monkeypatch.setattr(os, "scandir", refused)
    result = run(*args)
    expected = (3, f"Error: {cases_dir}: cannot read the cases folder: no permission; ask IT to give you access, "
                   "or check HESKET_CASES_DIR\n")
    assert expected == (result.exit_code, result.stderr)


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may read a folder with mode 000")
@pytest.mark.parametrize("args", [("case", "show", "2026-0001"), ("case", "note", "2026-0001", "hi")],
                         ids=["show", "note"])
def test_a_cases_folder_with_mode_000_names_the_folder_not_the_case(run, cases_dir, args):
    """A cases folder with mode 000 is named as the folder you may not read, not as a case file or a missing case."""
    _triage(run)
    cases_dir.chmod(0)
    try:
        result = run(*args)
    finally:
        cases_dir.chmod(0o700)
    expected = (3, f"Error: {cases_dir}: cannot read the cases folder: no permission; ask IT to give you access, "
                   "or check HESKET_CASES_DIR\n")
    assert expected == (result.exit_code, result.stderr)


@POSIX
@pytest.mark.parametrize("args", [("case", "list"), ("--no-pager", "case", "show", "2026-0001", "--json"),
                                  ("review",), ("policy", "show"), ("case", "note", "2026-0001", "phoned")],
                         ids=["list", "show-json", "review", "policy-show", "note"])
def test_a_closed_standard_output_is_written_to_nowhere_as_git_does(run, args):
    """With standard output closed (`>&-`) a command still does its work, prints nowhere and exits 0, as git does."""
    _triage(run)
    result = _hesket(*args, preexec_fn=lambda: os.close(1))
    notes = [e for e in json.loads(run("case", "show", "2026-0001", "--json").stdout)["events"] if e["event"] == "note"]
    expected = (0, b"", 1 if "note" in args else 0)
    assert expected == (result.returncode, result.stderr, len(notes))


@pytest.mark.parametrize("args, expected", [
    (("review", "--summary", "--html", ""), "--html: the path is blank; give the file, e.g. --html summary.html"),
    (("triage", "--answers", ""), "--answers: the path is blank; give the file, e.g. --answers post.toml, "
                                  "or leave --answers out to be asked the questions"),
    (("triage", "--answers", str(EXAMPLES / "kind-post.toml"), "--save-answers", " "),
     "--save-answers: the path is blank; give the file, e.g. --save-answers post.toml"),
], ids=["html", "answers", "save-answers"])
def test_a_blank_path_is_a_usage_error_naming_its_option(run, cases_dir, args, expected):
    """A path given as '' is refused (exit 2) naming the option, never read as a folder or left unwritten."""
    _triage(run)
    before = sorted(p.name for p in cases_dir.iterdir())
    result = run(*args)
    assert (2, f"Error: {expected}\n", before) == (result.exit_code, result.stderr,
                                                  sorted(p.name for p in cases_dir.iterdir()))


def test_status_and_case_list_say_a_mistyped_cases_folder_does_not_exist_yet(run, tmp_path, monkeypatch):
    """A cases folder that does not exist is named as not there yet in status and case list (not in JSON)."""
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "typo"))
    why = (f"the cases folder {tmp_path / 'typo'} does not exist yet (the first triage makes it; if you expected "
           "cases, check HESKET_CASES_DIR)")
    status, listed, as_json = run("status"), run("case", "list"), run("case", "list", "--json")
    expected = (f"Cases: none: {why}", f"No cases: {why}.", "[]")
    assert expected == (status.stdout.splitlines()[4], " ".join(listed.stdout.split()), as_json.stdout.strip())


def test_an_empty_cases_folder_is_still_just_no_cases(run, cases_dir):
    """A cases folder that exists and holds no case is 'No cases.' and '0 open', with nothing about the folder."""
    cases_dir.mkdir()
    expected = ("No cases.", "Cases: 0 open, 0 closed, 0 void")
    assert expected == (run("case", "list").stdout.strip(), run("status").stdout.splitlines()[4])


def test_a_tried_policy_with_the_same_bytes_as_the_own_gives_no_notice(run, tmp_path, monkeypatch):
    """HESKET_POLICY naming a copy of the policy in force (same SHA-256) is that policy: no 'being tried' notice."""
    _triage(run)
    copy = tmp_path / "copy" / "policy.toml"
    copy.parent.mkdir()
    copy.write_bytes(POLICY_FILE.read_bytes())
    (copy.parent / "policy.txt").write_bytes((POLICY_FILE.parent / "policy.txt").read_bytes())  # the text it quotes
    monkeypatch.setenv("HESKET_POLICY", str(copy))
    listed, as_json = run("case", "list"), run("case", "list", "--json")
    expected = (0, "", "")
    assert expected == (listed.exit_code, listed.stderr + as_json.stderr,
                        "tried" if "being tried" in listed.stdout else "")


def test_a_tried_policy_that_differs_still_gives_the_notice(run, tmp_path, monkeypatch):
    """A policy whose bytes differ from the one in force (one byte more) is still announced as being tried."""
    _triage(run)
    other = tmp_path / "other.toml"
    other.write_bytes(POLICY_FILE.read_bytes() + b"\n")
    (tmp_path / "policy.txt").write_bytes((POLICY_FILE.parent / "policy.txt").read_bytes())  # the text it quotes
    monkeypatch.setenv("HESKET_POLICY", str(other))
    assert run("case", "list").stdout.startswith(f"Shown under the policy being tried, {other};")


@pytest.mark.parametrize("args, expected", [
    (("case", "attach", "2026-0001", "README.md", "--max-size", "0"),
     "--max-size must be a whole number of megabytes, 1 or more, not '0'"),
    (("case", "attach", "2026-0001", "README.md", "--max-size", "abc"),
     "--max-size must be a whole number of megabytes, 1 or more, not 'abc'"),
    (("case", "correct", "2026-0001", "0", "--on", "today", "--reason", "typo"),
     "N must be an event's number in the history (case show), 1 or more, not '0'"),
    (("case", "correct", "2026-0001", "abc", "--on", "today", "--reason", "typo"),
     "N must be an event's number in the history (case show), 1 or more, not 'abc'"),
], ids=["max-size-0", "max-size-abc", "n-0", "n-abc"])
def test_a_number_out_of_range_is_said_in_plain_words(run, args, expected):
    """A number that is not a whole number of 1 or more is said in plain words, never Click's `x>=1`."""
    _triage(run)
    result = run(*args)
    assert (2, f"Error: {expected}\n") == (result.exit_code, result.stderr.splitlines(keepends=True)[0])


@pytest.mark.parametrize("args, hint", [
    (("case", "note", "2026-0001", "-phoned parent"),
     "See: hesket case note --help; to give TEXT that starts with a dash, put -- before it: "
     "hesket case note ID -- TEXT"),
    (("config", "set", "name", "-x"),
     "See: hesket config set --help; to give VALUE that starts with a dash, put -- before it: "
     "hesket config set KEY -- VALUE"),
    (("case", "show", "2026-0001", "-x"), "See: hesket case show --help"),
], ids=["note", "config-set", "show"])
def test_text_starting_with_a_dash_is_hinted_to_go_after_double_dash(run, args, hint):
    """An unknown option given to a command taking free text adds how to give text starting with a dash."""
    _triage(run)
    result = run(*args)
    assert (2, hint) == (result.exit_code, result.stderr.splitlines()[1])


def test_a_missing_policy_file_names_where_it_was_given(run, tmp_path):
    """A policy file that is not there is named with what gave it: init's --policy, policy adopt's FILE."""
    path = tmp_path / "nowhere.toml"
    run("init", tmp_path / "ws")
    given = (run("init", tmp_path / "ws2", "--policy", path).stderr,
             run("--workspace", tmp_path / "ws", "policy", "adopt", path).stderr)
    expected = (f"Error: {path}: policy file not found; check the path given with --policy\n",
                f"Error: {path}: policy file not found; check the path given to `hesket policy adopt`\n")
    assert expected == given


@pytest.mark.parametrize("columns", ["80", "120"])
def test_policy_show_wraps_each_bullet_under_its_text_not_under_the_bullet(run, columns):
    """A bullet of policy show that wraps continues under its text (column 4), never under the `•` (column 2)."""
    lines = run("--no-pager", "policy", "show", env={"COLUMNS": columns}).stdout.splitlines()
    section = lines[lines.index("Before posting, the policy asks people to consider") + 1:]
    section = section[:section.index("")]
    under_the_bullet = [line for line in section if line.startswith("  ") and not line.startswith(("  \u2022", "    "))]
    assert [] == under_the_bullet


@pytest.mark.parametrize("args, expected", [
    (("case", "note", "2026-0001", "hi", "--on", "1" * 400),
     "Error: --on: '" + "1" * 37 + "...' is not a date; write it as YYYY-MM-DD, DD/MM/YYYY, 'today' or "
     "'yesterday', e.g. --on "),
    (("case", "list", "--status", "x" * 400), "Error: Invalid value for '--status': '" + "x" * 37 + "...' is not one of"),
], ids=["on", "status"])
def test_a_long_value_is_echoed_cut_as_a_case_id_is(run, args, expected):
    """A 400-character value is echoed in its Error line as its first 37 characters and '...', never whole."""
    _triage(run)
    line = run(*args).stderr.splitlines()[0]
    assert (expected, True) == (line[:len(expected)], len(line) < 200)
