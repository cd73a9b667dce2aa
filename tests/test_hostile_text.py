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


# -- one-line fields: refused with a line break, never silently joined ----------------------


def test_a_poster_ref_with_a_line_break_is_refused_naming_the_field_and_nothing_is_saved(run, cases_dir, tmp_path):
    """`poster_ref = "Parent\\nof 4B"` exits 3 naming incident.poster_ref, where it was saved joined before."""
    answers = tmp_path / "answers.toml"
    text = (EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8")
    answers.write_text(text.replace("[incident]\n", '[incident]\nposter_ref = "Parent\\nof 4B pupil"\n', 1),
                       encoding="utf-8")
    result = run("triage", "--answers", answers)
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert f"Error: {answers}: incident.poster_ref: has a line break" in result.stderr
    assert not cases_dir.exists() or [] == [p for p in cases_dir.iterdir() if not p.name.startswith(".")]


@pytest.mark.parametrize("words", [("case", "note", "{case}", "The parent rang.", "--by", "Mrs A\nExample"),
                                   ("case", "record", "{case}", "discuss_and_request_removal", "--by", "Mrs A\rB"),
                                   ("config", "set", "name", "Mrs A\u2028Example")], ids=["note", "record", "config"])
def test_a_name_with_a_line_break_is_refused_naming_the_option_and_nothing_is_changed(run, cases_dir, tmp_path,
                                                                                        words):
    """`--by` and `config set name` with a line break exit 3 naming the option, where they were joined before."""
    from conftest import snapshot

    case_id = _triage(run)
    before = (snapshot(cases_dir), snapshot(tmp_path / "config"))
    result = run(*[w.format(case=case_id) for w in words])
    option = "name" if words[0] == "config" else "--by"
    assert (3, [f"Error: {option}: the name has a line break; a name is one line: give it on one line, "
                "e.g. --by \"Mrs A Example\""]) == (result.exit_code, result.stderr.splitlines())
    assert before == (snapshot(cases_dir), snapshot(tmp_path / "config"))


def test_a_one_line_name_and_poster_ref_are_kept_exactly_in_json(run, tmp_path):
    """Without a line break, a name and a poster reference come back from --json character for character."""
    answers = tmp_path / "answers.toml"
    text = (EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8")
    answers.write_text(text.replace("[incident]\n", '[incident]\nposter_ref = "Parent of 4B \\u00e9l\\u00e8ve"\n', 1),
                       encoding="utf-8")
    doc = json.loads(run("triage", "--answers", answers, "--json", "--by", "Mrs Ä Example").stdout)
    assert ("Parent of 4B \u00e9l\u00e8ve", "Mrs Ä Example") == (doc["incident"]["poster_ref"], doc["recorded_by"])
