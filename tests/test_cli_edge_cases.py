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

from conftest import EXAMPLES

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
