"""Outside text handled exactly: a bad case file named for what it is, one-line fields never silently changed,
and control characters never sent raw to a terminal, even in CSV and JSON.
"""

from __future__ import annotations

import json
import os
import sys
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
    option, how = ("name", "hesket config set name") if words[0] == "config" else ("--by", "--by")
    assert (3, [f"Error: {option}: the name has a line break; a name is one line: give it on one line, "
                f"e.g. {how} \"Mrs A Example\""]) == (result.exit_code, result.stderr.splitlines())
    assert before == (snapshot(cases_dir), snapshot(tmp_path / "config"))


def test_a_one_line_name_and_poster_ref_are_kept_exactly_in_json(run, tmp_path):
    """Without a line break, a name and a poster reference come back from --json character for character."""
    answers = tmp_path / "answers.toml"
    text = (EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8")
    answers.write_text(text.replace("[incident]\n", '[incident]\nposter_ref = "Parent of 4B \\u00e9l\\u00e8ve"\n', 1),
                       encoding="utf-8")
    doc = json.loads(run("triage", "--answers", answers, "--json", "--by", "Mrs Ä Example").stdout)
    assert ("Parent of 4B \u00e9l\u00e8ve", "Mrs Ä Example") == (doc["incident"]["poster_ref"], doc["recorded_by"])


# -- CSV and JSON at a terminal: nothing raw reaches the screen ----------------------------

# A window title (OSC 0), a screen clear, a C1 control, DEL and a right-to-left override (and, in the summary, a
# line separator: a poster reference is one line).
ESCAPES = "J.S.\x1b]0;pwned\x07 \x1b[2J \x9b31m \x7f \u202eevil"
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u2028")


def _planted_case(run, tmp_path: Path) -> str:
    import tomllib

    data = tomllib.loads((EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8"))
    data["incident"].update(poster_ref=ESCAPES, summary="Said: " + ESCAPES + "\u2028end")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data, default=str), encoding="utf-8")
    return _triage(run, answers=answers)


@pytest.mark.skipif(os.name == "nt", reason="pexpect.spawn needs a POSIX pseudo-terminal")
def test_review_csv_at_a_terminal_shows_escape_sequences_harmless(run, tmp_path):
    """`review --csv` in a real terminal never writes a poster reference's ESC, OSC or U+202E raw to the screen."""
    pexpect = pytest.importorskip("pexpect", reason="pexpect is needed to drive hesket in a pseudo-terminal")
    _planted_case(run, tmp_path)
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "hesket_cli", "review", "--csv"], env=env, encoding="utf-8",
                          timeout=30, cwd=str(tmp_path))
    seen = child.read()
    child.close()
    assert (0, []) == (child.exitstatus, [ch for ch in RAW if ch in seen])
    assert "J.S.\u241b]0;pwned\u2407 \u241b[2J \\x9b31m \u2421 <U+202E>evil" in seen


def test_review_csv_to_a_pipe_keeps_the_exact_text(run, tmp_path):
    """Written for a script (not a terminal), the CSV cell is the poster reference byte for byte."""
    import csv
    import io

    _planted_case(run, tmp_path)
    rows = list(csv.DictReader(io.StringIO(run("review", "--csv").stdout)))
    assert [ESCAPES] == [row["poster_ref"] for row in rows]


@pytest.mark.parametrize("words", [("case", "list", "--json"), ("review", "--json"), ("case", "show", "{case}",
                                                                                      "--json")],
                         ids=["case list", "review", "case show"])
def test_json_at_a_terminal_escapes_c1_controls_and_bidi_overrides_and_reads_back_exactly(run, tmp_path,
                                                                                          monkeypatch, words):
    """JSON to a terminal has U+202E, C1 controls, DEL and U+2028 as \\u escapes: nothing raw, the same data."""
    case_id = _planted_case(run, tmp_path)
    piped = run(*[w.format(case=case_id) for w in words]).stdout
    monkeypatch.setattr("hesket_cli.cli.output.at_terminal", lambda: True)
    at_terminal = run(*[w.format(case=case_id) for w in words]).stdout
    assert [] == [ch for ch in RAW if ch in at_terminal]
    assert "\\u202e" in at_terminal and "\\u009b" in at_terminal
    assert json.loads(piped) == json.loads(at_terminal)
    assert ("\u202eevil" in piped, "\x9b31m" in piped) == (True, True)  # a script gets the exact characters
