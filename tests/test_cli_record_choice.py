"""`hesket case record ID` alone, and the start of an event: what a person types when unsure of the name."""

from __future__ import annotations

import json

from conftest import EXAMPLES, snapshot


def _triage(run, name: str) -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def test_record_with_no_event_lists_what_the_case_may_record_now(run, cases_dir):
    """`case record ID` with no EVENT exits 2 with one line listing the events the case accepts now."""
    case_id = _triage(run, "complaint-wrong-channel")
    before = snapshot(cases_dir)
    result = run("case", "record", case_id)
    expected = (f"Error: say what to record: case {case_id} may record now: discuss_and_request_removal "
                f"(hesket case record {case_id} EVENT)")
    assert (2, "", [expected], before) == (result.exit_code, result.stdout, result.stderr.splitlines(),
                                           snapshot(cases_dir))


def test_record_with_no_event_on_a_closed_case_lists_reopen_case(run):
    """A closed case may record only reopen_case, and `case record ID` says so."""
    case_id = _triage(run, "kind-post")
    for event in ("no_action", "close_case"):
        assert 0 == run("case", "record", case_id, event).exit_code
    result = run("case", "record", case_id)
    assert (2, True) == (result.exit_code, f"may record now: reopen_case (hesket case record {case_id} EVENT)"
                         in result.stderr)


def test_the_start_of_an_event_is_understood_as_the_one_it_starts(run):
    """`case record ID discuss` records discuss_and_request_removal, the one event the case accepts that
    starts with it (discuss_child_use starts so too, but is not permitted for this post)."""
    case_id = _triage(run, "complaint-wrong-channel")
    result = run("case", "record", case_id, "discuss", "--json")
    assert (0, "discuss_and_request_removal") == (result.exit_code, json.loads(result.stdout)["events"][-1]["event"])


def test_a_start_that_fits_several_events_is_refused_naming_them(run, cases_dir):
    """`case record ID re` (removed, refused) exits 2 naming both, and records nothing."""
    case_id = _triage(run, "complaint-wrong-channel")
    assert 0 == run("case", "record", case_id, "discuss").exit_code
    before = snapshot(cases_dir)
    result = run("case", "record", case_id, "re")
    expected = "Error: 're' is the start of removed, refused; type more of the one you mean"
    assert (2, [expected], before) == (result.exit_code, result.stderr.splitlines(), snapshot(cases_dir))


def test_a_start_is_checked_by_the_policy_as_the_whole_name_is(run):
    """`case record ID written` before the discussion is refused (exit 5) as written_warning would be."""
    case_id = _triage(run, "complaint-wrong-channel")
    result = run("case", "record", case_id, "written")
    assert (5, True) == (result.exit_code, result.stderr.startswith("Error: written_warning is not permitted yet"))


def test_record_usage_shows_the_event_may_be_left_out(run):
    """The usage line reads `hesket case record [OPTIONS] ID [EVENT]`: EVENT may be left out to list
    what may be recorded."""
    assert "Usage: hesket case record [OPTIONS] ID [EVENT]" == run("case", "record", "--help").stdout.splitlines()[0]
