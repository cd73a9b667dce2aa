"""Outside text handled exactly: a bad case file named for what it is, one-line fields never silently changed,
and control characters never sent raw to a terminal, even in CSV and JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EXAMPLES

POSIX = pytest.mark.skipif(os.name == "nt", reason="FIFOs and symlinks are POSIX behaviour")


def _triage(run, *extra: str, answers: Path = EXAMPLES / "complaint-wrong-channel.toml") -> str:
    result = run("triage", "--answers", answers, "--json", *extra)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


# -- a case file that is not a file ---------------------------------------------------------


@POSIX
@pytest.mark.parametrize("kind", ["a FIFO", "a folder"])
def test_a_case_file_that_is_a_fifo_or_a_folder_is_named_for_what_it_is_without_talk_of_links(run, cases_dir, kind):
    """`case show` on a FIFO or folder in place of case.toml says what it is and how to fix it, not "links"."""
    case_id = _triage(run)
    path = cases_dir / case_id / "case.toml"
    path.unlink()
    os.mkfifo(path) if kind == "a FIFO" else path.mkdir()
    result = run("case", "show", case_id)
    assert (3, [f"Error: {path}: is {kind}, not a regular file; a case file is a plain file: remove this one and "
                "put the case file back from a backup; the file was left as it is"]) == (
        result.exit_code, result.stderr.splitlines())


@POSIX
def test_a_case_file_that_is_a_link_is_named_as_a_link(run, cases_dir, tmp_path):
    """A link in place of case.toml is the one kind of bad file whose message speaks of links."""
    case_id = _triage(run)
    path = cases_dir / case_id / "case.toml"
    (tmp_path / "elsewhere.toml").write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.toml")
    result = run("case", "show", case_id)
    assert (3, [f"Error: {path}: is a link, not a case file; hesket does not follow links in the cases folder; "
                "replace the link with the case file itself; the file was left as it is"]) == (
        result.exit_code, result.stderr.splitlines())
