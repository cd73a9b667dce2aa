"""The everyday views as a person at an 80- or 40-column terminal reads them, and as a pipe receives them."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES

STEPS = ("discuss_and_request_removal", "contact_police", "no_action")
NOTE = "Spoke to the uncle on the phone; he said he would take it down by the evening, and that it was a joke."


def _triage(run, name: str) -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _three(run) -> list[str]:
    return [_triage(run, name) for name in ("defamatory-post", "threat-of-violence", "kind-post")]


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_case_list_never_breaks_a_next_step_across_lines(run, columns):
    """At 80, 60 and 40 columns every next step (discuss_and_request_removal too) is whole on one line,
    and no line is wider than the terminal."""
    _three(run)
    lines = run("case", "list", env={"COLUMNS": str(columns)}).stdout.splitlines()
    whole = {step: any(step in line for line in lines) for step in STEPS}
    assert (dict.fromkeys(STEPS, True), []) == (whole, [line for line in lines if len(line) > columns])


def test_case_list_is_a_table_where_it_fits(run):
    """At 120 columns the list is one table row a case, under a header."""
    ids = _three(run)
    lines = run("case", "list", env={"COLUMNS": "120"}).stdout.splitlines()
    assert (["ID", "Seen"], list(reversed(ids))) == (lines[0].split()[:2], [line.split()[0] for line in lines[1:]])


@pytest.mark.parametrize("args", [["case", "list"], ["case", "list", "--status", "all"], ["review", "--summary"],
                                  ["review"], ["policy", "show"]])
def test_piped_output_has_no_trailing_spaces(run, args):
    """Output written to a pipe or a file has no line ending in spaces (Rich pads table cells)."""
    _three(run)
    for columns in ("80", "120"):
        text = run(*args, env={"COLUMNS": columns}).stdout
        assert [] == [line for line in text.splitlines() if line != line.rstrip()]


def test_a_wrapped_history_line_keeps_its_indent(run, tmp_path):
    """At 60 columns an evidence line and its note wrap under the event's text (14 columns in), never
    back at the margin."""
    case_id = _triage(run, "threat-of-violence")
    evidence = tmp_path / "screenshot-of-the-post.png"
    evidence.write_bytes(b"made-up screenshot")
    assert 0 == run("case", "attach", case_id, evidence, "--note", NOTE).exit_code
    shown = run("case", "show", case_id, env={"COLUMNS": "60"}).stdout
    history = shown.split("\nHistory\n", 1)[1].split("\n\n", 1)[0].splitlines()
    dated = [line for line in history if line[2:6].isdigit()]
    wrapped = [line for line in history if line not in dated]
    assert (2, True, []) == (len(dated), len(wrapped) >= 3,
                             [line for line in wrapped if not line.startswith(" " * 14)])


def test_at_40_columns_case_show_keeps_ids_and_commands_whole(run):
    """At 40 columns case show never breaks an event id or the command to type: the command goes on a line
    of its own, and the history's wrapped lines stay indented past its dates."""
    case_id = _triage(run, "complaint-wrong-channel")
    assert 0 == run("case", "record", case_id, "discuss_and_request_removal").exit_code
    lines = run("case", "show", case_id, env={"COLUMNS": "40"}).stdout.splitlines()
    history = lines[lines.index("History") + 1:]
    history = history[:history.index("")] if "" in history else history
    assert (True, ["Record it with:"], []) == (
        any(line.strip().startswith("discuss_and_request_removal") for line in history),
        [line for line in lines if line.startswith("Record it")],
        [line for line in history if line.strip() and not line.startswith(("  20", "      "))])


def test_a_wrapped_reason_stays_under_its_bullet(run):
    """At 40 columns a reason's title that wraps continues under its text, not under the bullet."""
    _triage(run, "complaint-wrong-channel")
    shown = run("triage", "--dry-run", "--answers", EXAMPLES / "complaint-wrong-channel.toml",
                env={"COLUMNS": "40"}).stdout.splitlines()
    after = shown[shown.index("  \u2022 A private discussion would be better") + 1]
    assert "    [consideration]" == after


def test_a_wrapped_review_reason_stays_under_its_bullet(run):
    """At 40 columns a review's reason that wraps continues under its own words (4 spaces), not under the
    bullet."""
    _triage(run, "threat-of-violence")  # "contact_police is permitted at once and not yet taken"
    lines = run("review", env={"COLUMNS": "40"}).stdout.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("  \u2022 "))
    assert (True, "    ") == (len(lines[first]) > 30, lines[first + 1][:4]), "\n".join(lines)


def test_review_names_the_poster_reference(run):
    """review's line for a case says how the school refers to the person who posted, where it recorded it."""
    case_id = _triage(run, "defamatory-post")
    shown = run("review", env={"COLUMNS": "120"}).stdout.splitlines()
    assert f"{case_id}  OPEN  seen 2026-11-19 on Facebook, by Parent of a Year 5 pupil (A.B.)" in shown
