"""The school's helpline setting: POSH after the site was asked and did not remove the post, on a fixed clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hesket_cli.casework import common

from conftest import EXAMPLES

ASKED = dt.date(2026, 11, 26)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Set hesket's clock to noon (UTC) of a given day: never the real one."""

    def at(day: dt.date) -> None:
        now = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
        monkeypatch.setattr(common.Moment, "current", classmethod(lambda cls: cls(now, day)))

    return at


def _ok(result) -> None:
    assert 0 == result.exit_code, result.stderr


def _escalated(run, clock, name: str = "complaint-wrong-channel") -> str:
    """A case discussed, refused, warned and reported to the site on ASKED."""
    clock(ASKED)
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    _ok(result)
    case_id = json.loads(result.stdout)["id"]
    for event in ("discuss_and_request_removal", "refused", "written_warning"):
        _ok(run("case", "record", case_id, event, "--on", "2026-11-25"))
    _ok(run("case", "record", case_id, "contact_provider", "--ref", "FB-123456"))
    return case_id


def _next(run, case_id: str) -> dict:
    return json.loads(run("case", "show", case_id, "--json").stdout)


def test_the_helpline_becomes_the_next_step_two_days_after_the_site_was_asked(run, clock):
    """One day after contact_provider it is not permitted; two days after, it is the next step, shown as the school's
    own setting with the helpline's published contact details."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=1))
    before = _next(run, case_id)
    clock(ASKED + dt.timedelta(days=2))
    after = _next(run, case_id)
    assert ("record_outcome", None) == (before["next_step"]["id"], before["helpline"])
    assert ("contact_helpline", None, True) == (after["next_step"]["id"], after["next_step"]["policy_text"],
                                                "school's setting" in after["next_step"]["setting"])
    assert ("0344 381 4772", "2026-11-25") == (after["helpline"]["phone"], after["helpline"]["checked"])


def test_case_show_marks_the_helpline_as_the_schools_setting_with_its_source(run, clock):
    """The text view says the step is the school's own setting, not the policy's, and where the number comes from."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=2))
    result = run("case", "show", case_id, env={"COLUMNS": "1000"})
    _ok(result)
    assert (True, True, True) == (
        "The school's own setting, not a step of the policy:" in result.stdout,
        "Phone: 0344 381 4772" in result.stdout, "Checked: 2026-11-25" in result.stdout)


def test_recording_the_helpline_before_the_wait_is_refused_naming_the_day_it_is_permitted(run, clock):
    """Exit 5 the day after the site was asked, naming the school's setting and the first day it is permitted."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=1))
    result = run("case", "record", case_id, "contact_helpline")
    assert 5 == result.exit_code
    assert ("the school's own setting (not a step of the policy) is to turn to the helpline 2 days after "
            "contact_provider, recorded on 2026-11-26: it is permitted from 2026-11-28") in result.stderr


def test_the_helpline_is_recorded_with_its_reference_after_the_wait(run, clock):
    """Two days on, contact_helpline is recorded with --ref, and the next step goes back to recording the outcome."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=2))
    result = run("case", "record", case_id, "contact_helpline", "--ref", "POSH-42", "--json")
    _ok(result)
    doc = json.loads(result.stdout)
    assert (("contact_helpline", "POSH-42"), "record_outcome", None) == (
        (doc["events"][-1]["event"], doc["events"][-1]["ref"]), doc["next_step"]["id"], doc["helpline"])


def test_a_helpline_dated_before_the_wait_is_refused(run, clock):
    """--on a day before the wait is over is refused, even when recorded later."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=5))
    assert 5 == run("case", "record", case_id, "contact_helpline", "--on", "2026-11-27").exit_code


def test_review_shows_the_helpline_as_next_once_the_wait_is_over(run, clock):
    """The review's cached record is the same on both days; the row applies today's date to it."""
    case_id = _escalated(run, clock)
    rows = []
    for days in (1, 2):
        clock(ASKED + dt.timedelta(days=days))
        result = run("review", "--json")
        rows.append(next(r for r in json.loads(result.stdout) if r["id"] == case_id)["next_step"])
    assert ["record_outcome", "contact_helpline"] == rows


def test_no_helpline_once_the_site_removed_the_post(run, clock):
    """removed after contact_provider: the helpline is not permitted, however long ago the site was asked."""
    case_id = _escalated(run, clock)
    _ok(run("case", "record", case_id, "removed"))
    clock(ASKED + dt.timedelta(days=10))
    result = run("case", "record", case_id, "contact_helpline")
    assert (5, True) == (result.exit_code, "so the policy's further action does not apply" in result.stderr)


def test_the_helpline_is_permitted_at_once_where_the_safeguarding_notice_applies(run, clock):
    """Children named: the notice applies, so on the day the site was asked the helpline is already the next step."""
    case_id = _escalated(run, clock, "naming-children")
    assert "contact_helpline" == _next(run, case_id)["next_step"]["id"]


def test_case_list_made_before_the_wait_shows_the_helpline_once_the_wait_is_over(run, clock):
    """A list drawn (and kept in the index) the day after the site was asked is drawn again when the wait ends."""
    case_id = _escalated(run, clock)
    clock(ASKED + dt.timedelta(days=1))
    before = json.loads(run("case", "list", "--json").stdout)
    clock(ASKED + dt.timedelta(days=2))
    after = json.loads(run("case", "list", "--json").stdout)
    rows = run("case", "list", env={"COLUMNS": "200"}).stdout
    assert (["record_outcome"], ["contact_helpline"]) == (
        [d["next_step"]["id"] for d in before if d["id"] == case_id],
        [d["next_step"]["id"] for d in after if d["id"] == case_id])
    assert "contact_helpline" in rows


def test_a_list_kept_unchanged_for_days_is_drawn_again_the_day_the_wait_ends(run, clock):
    """A list drawn twice before the wait ends (its chunk stamped as current) still shows the helpline on the day."""
    case_id = _escalated(run, clock)
    for day in (0, 1, 1):
        clock(ASKED + dt.timedelta(days=day))
        run("case", "list", "--json")
    clock(ASKED + dt.timedelta(days=2))
    after = json.loads(run("case", "list", "--json").stdout)
    assert ["contact_helpline"] == [d["next_step"]["id"] for d in after if d["id"] == case_id]
