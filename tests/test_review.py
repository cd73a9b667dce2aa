"""review.py: overdue rules, urgency, flags, ordering and the governors' summary, on fixed dates (a fake clock)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from hesket_cli.answers import Answers, Incident
from hesket_cli.case import Case, Event, PolicyRef
from hesket_cli.policy_file import load_policy
from hesket_cli.review import month_title, review_case, sort_rows, summary, summary_record, unreadable_row

from conftest import POLICY_FILE, ROOT

TODAY = dt.date(2026, 11, 24)  # the fake clock: review_case is given this date, never the real one
UTC = dt.UTC
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")
JUDGEMENTS = ("harassment", "grossly_offensive", "legal_warranted")


def _summary(policy, cases, since=None):
    """The governors' counts of these cases, as `hesket review --summary` computes them."""
    return summary(policy, [summary_record(policy, case) for case in cases], since=since)


# -- helpers -------------------------------------------------------------------------------------------


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _event(name: str, on: dt.date, *, at: dt.date | None = None, reason: str | None = None,
           note: str | None = None, by: str = "Mrs A Example") -> Event:
    """An event that happened `on` a date and was typed in `at` (by default the same day)."""
    return Event(event=name, at=_at(at or on), on=on, by=by, note=note, override_reason=reason)


def _case(policy, case_id: str = "2026-0001", *, ticked=(), flagged=(), judgement=(), other=None,
          observed: dt.date | None = None, created: dt.date | None = None, events=(), platform="facebook",
          poster="parent", summary_text="A made-up parent, Mr C Example, posted about the school.",
          location=None, ref: PolicyRef | None = None) -> Case:
    """A case as the store would hold it; created on the day the post was seen unless `created` is given."""
    observed = observed or TODAY
    answers = Answers(
        incident=Incident(observed_on=observed, platform=platform, poster=poster, summary=summary_text,
                          location=location),
        considerations={c: c in flagged for c in CONSIDERATIONS},
        checklist={c: c in ticked for c in CHECKLIST},
        other=other,
        judgement={j: j in judgement for j in JUDGEMENTS},
    )
    ref = ref or PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256)
    return Case(id=case_id, created_at=_at(created or observed, 9), recorded_by="Mrs A Example", policy=ref,
                answers=answers, events=tuple(events))


def _policy_copy(tmp_path, old: str, new: str):
    """A copy of policy.toml with `old` replaced by `new` (exactly once), loaded."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert 1 == text.count(old)
    folder = tmp_path / "school"
    folder.mkdir(exist_ok=True)
    (folder / "policy.txt").write_bytes((ROOT / "policy.txt").read_bytes())
    path = folder / "policy.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_policy(path)


# -- discussion_days -----------------------------------------------------------------------------------


def test_an_undiscussed_post_seen_7_days_ago_is_not_overdue(policy):
    """An inappropriate post seen discussion_days (7) days ago and not yet discussed is not overdue."""
    row = review_case(policy, _case(policy, ticked=("complaint",), observed=_days_ago(7)), TODAY)
    assert ((), "open") == (row.overdue, row.attention)


def test_an_undiscussed_post_seen_8_days_ago_is_overdue(policy):
    """An inappropriate post seen 8 days ago and not yet discussed is overdue, with the days and the setting."""
    row = review_case(policy, _case(policy, ticked=("complaint",), observed=_days_ago(8)), TODAY)
    expected = ("not yet discussed with the parent, 8 days after the post was seen (school's setting: 7 days)",)
    assert (expected, "overdue") == (row.overdue, row.attention)


def test_the_discussion_rule_stops_once_the_discussion_is_recorded(policy):
    """A post seen long ago whose discussion was recorded (3 days ago) is no longer overdue for the discussion."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(20),
                 events=[_event("discuss_and_request_removal", _days_ago(3))])
    assert () == review_case(policy, case, TODAY).overdue


# -- outcome_days --------------------------------------------------------------------------------------


def test_no_outcome_7_days_after_the_discussion_is_not_overdue(policy):
    """Seven days (outcome_days) after the discussion with no outcome recorded is not overdue yet."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(20),
                 events=[_event("discuss_and_request_removal", _days_ago(7))])
    row = review_case(policy, case, TODAY)
    assert ((), "awaiting_outcome") == (row.overdue, row.stage)


def test_no_outcome_8_days_after_the_discussion_is_overdue(policy):
    """Eight days after the discussion with no outcome recorded is overdue."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(20),
                 events=[_event("discuss_and_request_removal", _days_ago(8))])
    expected = ("no outcome recorded 8 days after the discussion (school's setting: 7 days)",)
    assert expected == review_case(policy, case, TODAY).overdue


def test_the_outcome_rule_counts_from_the_child_use_discussion_too(policy):
    """For a pupil's post, the outcome is due 7 days after discuss_child_use."""
    case = _case(policy, ticked=("cyberbullying",), poster="pupil", observed=_days_ago(20),
                 events=[_event("discuss_child_use", _days_ago(8))])
    expected = ("no outcome recorded 8 days after the discussion (school's setting: 7 days)",)
    assert expected == review_case(policy, case, TODAY).overdue


def test_overdue_counts_from_the_date_the_discussion_happened_not_the_date_it_was_typed(policy):
    """A discussion that happened 8 days ago but was typed in today is overdue for its outcome."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(20),
                 events=[_event("discuss_and_request_removal", _days_ago(8), at=TODAY)])
    assert 1 == len(review_case(policy, case, TODAY).overdue)


def test_a_discussion_typed_in_long_ago_but_dated_7_days_ago_is_not_overdue(policy):
    """The `at` timestamp of an event does not count: its `on` date (7 days ago) does."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(60),
                 events=[_event("discuss_and_request_removal", _days_ago(7), at=_days_ago(50))])
    assert () == review_case(policy, case, TODAY).overdue


# -- reply_days ----------------------------------------------------------------------------------------


def _escalated(policy, step_on: dt.date, *after: Event) -> Case:
    return _case(policy, ticked=("complaint",), observed=_days_ago(40), events=[
        _event("discuss_and_request_removal", _days_ago(30)),
        _event("refused", _days_ago(25)),
        _event("written_warning", step_on),
        *after,
    ])


def test_no_reply_14_days_after_an_escalation_step_is_not_overdue(policy):
    """Fourteen days (reply_days) after a written warning with nothing since is not overdue."""
    row = review_case(policy, _escalated(policy, _days_ago(14)), TODAY)
    assert ((), "escalation") == (row.overdue, row.stage)


def test_no_reply_15_days_after_an_escalation_step_is_overdue(policy):
    """Fifteen days after a written warning with nothing since is overdue, naming the step."""
    expected = ("no reply recorded 15 days after written_warning (school's setting: 14 days)",)
    assert expected == review_case(policy, _escalated(policy, _days_ago(15)), TODAY).overdue


def test_a_note_after_the_escalation_step_does_not_stop_the_reply_rule(policy):
    """Only notes and evidence since the warning (15 days ago): still no reply, so still overdue."""
    case = _escalated(policy, _days_ago(15), _event("note", _days_ago(2), note="Left a message."))
    expected = ("no reply recorded 15 days after written_warning (school's setting: 14 days)",)
    assert expected == review_case(policy, case, TODAY).overdue


def test_an_outcome_after_the_escalation_step_stops_the_reply_rule(policy):
    """The parent's reply (an outcome recorded 2 days ago) after the warning ends the reply rule."""
    case = _escalated(policy, _days_ago(20), _event("continued", _days_ago(2)))
    assert () == review_case(policy, case, TODAY).overdue


# -- idle_days -----------------------------------------------------------------------------------------


def test_an_open_case_with_nothing_recorded_for_28_days_is_not_overdue(policy):
    """An appropriate case awaiting its step, created 28 days ago (idle_days) with nothing since, is not overdue."""
    case = _case(policy, flagged=("wrong_channel",), observed=_days_ago(28))
    assert () == review_case(policy, case, TODAY).overdue


def test_an_open_case_with_nothing_recorded_for_29_days_is_overdue(policy):
    """An appropriate case created 29 days ago with nothing recorded since is overdue."""
    case = _case(policy, flagged=("wrong_channel",), observed=_days_ago(29))
    row = review_case(policy, case, TODAY)
    assert (("nothing recorded for 29 days (school's setting: 28 days)",), "overdue") == (row.overdue, row.attention)


def test_idle_counts_from_the_last_event_on_date(policy):
    """The idle rule counts from the last event's `on` date: 28 days is fine, 29 is overdue."""
    fine = _case(policy, observed=_days_ago(90), events=[_event("no_action", _days_ago(28), at=_days_ago(1))])
    late = _case(policy, observed=_days_ago(90), events=[_event("no_action", _days_ago(29), at=TODAY)])
    expected = ((), ("nothing recorded for 29 days (school's setting: 28 days)",))
    assert expected == (review_case(policy, fine, TODAY).overdue, review_case(policy, late, TODAY).overdue)


def test_a_post_seen_long_ago_but_triaged_today_is_not_idle(policy):
    """A kind post seen 100 days ago and triaged today has had nothing to do for 0 days: not overdue."""
    case = _case(policy, observed=_days_ago(100), created=TODAY)
    row = review_case(policy, case, TODAY)
    assert ((), False) == (row.overdue, row.needs_attention)


def test_a_fresh_appropriate_case_is_not_overdue_on_day_0(policy):
    """A kind post seen and triaged today needs no attention."""
    row = review_case(policy, _case(policy), TODAY)
    assert ((), (), (), "open", False) == (row.urgent, row.overdue, row.flags, row.attention, row.needs_attention)


# -- timings come from the policy ----------------------------------------------------------------------


def test_a_policy_copy_with_shorter_discussion_days_makes_a_case_overdue_sooner(policy, tmp_path):
    """discussion_days = 3 in a policy copy: a post seen 5 days ago is overdue there, not under policy.toml."""
    copy = _policy_copy(tmp_path, "discussion_days = 7", "discussion_days = 3")
    case = _case(policy, ticked=("complaint",), observed=_days_ago(5))
    expected = ((), ("not yet discussed with the parent, 5 days after the post was seen (school's setting: 3 days)",))
    assert expected == (review_case(policy, case, TODAY).overdue, review_case(copy, case, TODAY).overdue)


def test_a_policy_copy_with_longer_idle_days_makes_a_case_overdue_later(policy, tmp_path):
    """idle_days = 60 in a policy copy: 40 idle days are overdue under policy.toml but not under the copy."""
    copy = _policy_copy(tmp_path, "idle_days = 28", "idle_days = 60")
    case = _case(policy, flagged=("wrong_channel",), observed=_days_ago(40))
    expected = (("nothing recorded for 40 days (school's setting: 28 days)",), ())
    assert expected == (review_case(policy, case, TODAY).overdue, review_case(copy, case, TODAY).overdue)


def test_a_policy_copy_with_other_outcome_and_reply_days_changes_both_rules(policy, tmp_path):
    """outcome_days = 2 and reply_days = 30 in a copy move both thresholds."""
    _policy_copy(tmp_path, "outcome_days = 7", "outcome_days = 2")
    copy_path = tmp_path / "school" / "policy.toml"
    copy_path.write_text(copy_path.read_text(encoding="utf-8").replace("reply_days = 14", "reply_days = 30"),
                         encoding="utf-8")
    copy = load_policy(copy_path)
    awaiting = _case(policy, ticked=("complaint",), observed=_days_ago(10),
                     events=[_event("discuss_and_request_removal", _days_ago(3))])
    escalated = _escalated(policy, _days_ago(20))
    assert (((), ("no outcome recorded 3 days after the discussion (school's setting: 2 days)",)),
            (("no reply recorded 20 days after written_warning (school's setting: 14 days)",), ())) == (
        (review_case(policy, awaiting, TODAY).overdue, review_case(copy, awaiting, TODAY).overdue),
        (review_case(policy, escalated, TODAY).overdue, review_case(copy, escalated, TODAY).overdue))


# -- closed cases --------------------------------------------------------------------------------------


@pytest.mark.parametrize("ticked", [(), ("complaint",), ("threat_of_violence",)], ids=["kind", "complaint", "threat"])
def test_a_closed_case_is_never_overdue_or_urgent(policy, ticked):
    """A case closed long ago, seen a year ago, with nothing since, is neither overdue nor urgent nor needing attention."""
    case = _case(policy, ticked=ticked, observed=_days_ago(400),
                 events=[_event("close_case", _days_ago(399), reason="Closed by the head, made-up reason")])
    row = review_case(policy, case, TODAY)
    assert ((), (), "closed", "closed", False) == (row.overdue, row.urgent, row.status, row.attention,
                                                    row.needs_attention)


def test_a_reopened_case_is_reviewed_again(policy):
    """A case closed and reopened 40 days ago with nothing since is open and overdue (idle)."""
    case = _case(policy, observed=_days_ago(60), events=[
        _event("no_action", _days_ago(59)), _event("close_case", _days_ago(58)),
        _event("reopen_case", _days_ago(40))])
    row = review_case(policy, case, TODAY)
    assert ("open", ("nothing recorded for 40 days (school's setting: 28 days)",)) == (row.status, row.overdue)


# -- urgent --------------------------------------------------------------------------------------------


def test_a_threat_of_violence_is_urgent_until_the_police_are_contacted(policy):
    """A threat of violence with the police not yet contacted is urgent; once contact_police is recorded it is not."""
    before = review_case(policy, _case(policy, ticked=("threat_of_violence",)), TODAY)
    after = review_case(policy, _case(policy, ticked=("threat_of_violence",),
                                      events=[_event("contact_police", TODAY)]), TODAY)
    assert ((("contact_police is permitted at once and not yet taken",), "urgent"), ((), "open")) == (
        (before.urgent, before.attention), (after.urgent, after.attention))


def test_a_racist_post_after_a_refusal_is_urgent_until_the_police_are_contacted(policy):
    """Once escalation permits contact_police (racist, refused), the case is urgent until it is recorded."""
    events = [_event("discuss_and_request_removal", _days_ago(3)), _event("refused", _days_ago(2))]
    before = review_case(policy, _case(policy, ticked=("racist",), observed=_days_ago(4), events=events), TODAY)
    after = review_case(policy, _case(policy, ticked=("racist",), observed=_days_ago(4),
                                      events=[*events, _event("contact_police", _days_ago(1))]), TODAY)
    assert ((1, "urgent"), ((), "open")) == ((len(before.urgent), before.attention), (after.urgent, after.attention))


def test_a_racist_post_after_a_refusal_is_not_said_to_permit_the_police_at_once(policy):
    """The police are permitted for a racist post by the escalation, not at once: the reason says so."""
    events = [_event("discuss_and_request_removal", _days_ago(3)), _event("refused", _days_ago(2))]
    row = review_case(policy, _case(policy, ticked=("racist",), observed=_days_ago(4), events=events), TODAY)
    assert ("contact_police is permitted",) == row.urgent


def test_a_racist_post_before_the_discussion_is_not_urgent(policy):
    """A racist post does not permit the police at once, so it is not urgent before the discussion."""
    row = review_case(policy, _case(policy, ticked=("racist",)), TODAY)
    assert ((), "open") == (row.urgent, row.attention)


def test_an_urgent_case_that_is_also_overdue_and_flagged_counts_as_urgent(policy):
    """Urgent wins over overdue and flagged: a threat seen 30 days ago with an override is in the urgent group."""
    case = _case(policy, ticked=("threat_of_violence",), observed=_days_ago(30),
                 events=[_event("written_warning", _days_ago(29), reason="Head's decision (made up)")])
    row = review_case(policy, case, TODAY)
    assert ("urgent", True, True, True) == (row.attention, bool(row.urgent), bool(row.overdue), bool(row.flags))


# -- flags ---------------------------------------------------------------------------------------------


def test_an_override_is_flagged_with_its_step_and_date_not_its_reason(policy):
    """A step recorded by overriding the policy flags the case, naming the step and its date, not the free-text reason."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(3),
                 events=[_event("written_warning", _days_ago(2), reason="Second post the same day")])
    row = review_case(policy, case, TODAY)
    assert (("overridden: written_warning on " + _days_ago(2).isoformat() + " (the reason is in case show)",),
            "flagged", True) == (row.flags, row.attention, row.needs_attention)


def test_an_overdue_case_that_is_also_flagged_counts_as_overdue(policy):
    """Overdue wins over flagged."""
    case = _case(policy, ticked=("complaint",), observed=_days_ago(30),
                 events=[_event("written_warning", _days_ago(29), reason="Made-up reason")])
    assert "overdue" == review_case(policy, case, TODAY).attention


def test_evidence_problems_are_flagged(policy):
    """Evidence problems the store found are flags on the row, each marked as evidence."""
    row = review_case(policy, _case(policy), TODAY, evidence_problems=["/x/2026-0001/evidence/001-a.png: missing"])
    assert (("evidence: /x/2026-0001/evidence/001-a.png: missing",), "flagged") == (row.flags, row.attention)


def test_a_case_assessed_under_another_policy_with_the_same_next_step_is_not_flagged(policy):
    """A case stamped with another policy's hash but the same next step as now is not flagged."""
    ref = PolicyRef(policy.header.title, "2019-01", "f" * 64, "discuss_and_request_removal")
    row = review_case(policy, _case(policy, ticked=("complaint",), ref=ref), TODAY)
    assert ((), "open") == (row.flags, row.attention)


def test_a_case_whose_next_step_moved_under_a_new_policy_is_flagged(policy):
    """A case stamped with another policy's hash and a different next step is flagged as a policy change."""
    ref = PolicyRef(policy.header.title, "2019-01", "f" * 64, "contact_police")
    row = review_case(policy, _case(policy, ticked=("complaint",), ref=ref), TODAY)
    expected = ("policy changed: assessed under the policy reviewed 2019-01, when the next step was contact_police; "
                "under the policy in use now it is discuss_and_request_removal",)
    assert (expected, "flagged") == (row.flags, row.attention)


def test_a_case_under_the_same_policy_is_not_flagged_whatever_its_stamp_says(policy):
    """Under the same policy file (same hash) a stored next step is not compared: nothing to flag."""
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256, "contact_police")
    assert () == review_case(policy, _case(policy, ticked=("complaint",), ref=ref), TODAY).flags


def test_an_unreadable_case_is_flagged_with_its_problem(policy):
    """An unreadable case file becomes a row with status unreadable, flagged with the problem."""
    row = unreadable_row("2026-0003", "/cases/2026-0003/case.toml: not valid TOML")
    assert ("unreadable", ("unreadable: /cases/2026-0003/case.toml: not valid TOML",), "flagged") == (
        row.status, row.flags, row.attention)


# -- ordering ------------------------------------------------------------------------------------------


def _mixed_rows(policy) -> list:
    """Rows of every group, with ids chosen so that id order differs from the review's order."""
    cases = [
        _case(policy, "2026-0001"),                                                               # open
        _case(policy, "2026-0002", ticked=("complaint",), observed=_days_ago(9)),                 # overdue
        _case(policy, "2026-0003", ticked=("threat_of_violence",)),                                # urgent
        _case(policy, "2026-0004", ticked=("complaint",),
              events=[_event("written_warning", TODAY, reason="Made-up reason")]),                # flagged
        _case(policy, "2026-0005", events=[_event("no_action", TODAY), _event("close_case", TODAY)]),  # closed
        _case(policy, "2026-10000", ticked=("threat_of_violence",), observed=_days_ago(3)),        # urgent
        _case(policy, "2026-9999", ticked=("threat_of_violence",), observed=_days_ago(1)),         # urgent
        _case(policy, "2025-0042", ticked=("complaint",), observed=_days_ago(300),
              created=_days_ago(300)),                                                             # overdue
        _case(policy, "2025-0001", flagged=("wrong_channel",)),                                    # open
        _case(policy, "2027-0001", ticked=("complaint",)),                                         # open
    ]
    rows = [review_case(policy, c, TODAY) for c in cases]
    rows.append(unreadable_row("2026-0006", "/cases/2026-0006/case.toml: not valid TOML"))      # flagged
    rows.append(unreadable_row("2024-0100", "/cases/2024-0100/case.toml: not valid TOML"))      # flagged
    return rows


ORDER = [
    ("2026-0003", "urgent"), ("2026-9999", "urgent"), ("2026-10000", "urgent"),
    ("2025-0042", "overdue"), ("2026-0002", "overdue"),
    ("2024-0100", "flagged"), ("2026-0004", "flagged"), ("2026-0006", "flagged"),
    ("2025-0001", "open"), ("2026-0001", "open"), ("2027-0001", "open"),
    ("2026-0005", "closed"),
]


def test_rows_are_sorted_urgent_overdue_flagged_open_closed_oldest_first(policy):
    """sort_rows puts urgent, then overdue, then flagged (unreadable too), then open, then closed; oldest id first in each."""
    rows = _mixed_rows(policy)
    random.Random(4).shuffle(rows)
    assert ORDER == [(r.id, "flagged" if r.status == "unreadable" else r.attention) for r in sort_rows(rows)]


@pytest.mark.parametrize("seed", range(5))
def test_the_order_does_not_depend_on_the_order_rows_come_in(policy, seed):
    """Any shuffle of the rows sorts to the same order."""
    rows = _mixed_rows(policy)
    random.Random(seed).shuffle(rows)
    assert [i for i, _ in ORDER] == [r.id for r in sort_rows(rows)]


def test_ids_sort_by_number_not_by_text(policy):
    """Case 2026-9999 comes before 2026-10000 within a group (numbers, not text)."""
    rows = [review_case(policy, _case(policy, i), TODAY) for i in ("2026-10000", "2026-9999", "2025-10001")]
    assert ["2025-10001", "2026-9999", "2026-10000"] == [r.id for r in sort_rows(rows)]


# -- summary -------------------------------------------------------------------------------------------


NAME = "Zebedee Quillfeather"


def _three_cases(policy) -> list[Case]:
    """A small known set: a complaint escalated, a kind post closed, a defamatory post removed (with an override)."""
    return [
        _case(policy, "2026-0001", ticked=("complaint",), platform="whatsapp", observed=dt.date(2026, 9, 3),
              flagged=("wrong_channel",), summary_text=f"{NAME} complained", location=f"{NAME}'s group",
              events=[_event("discuss_and_request_removal", dt.date(2026, 9, 4), note=f"Phoned {NAME}", by=NAME),
                      _event("refused", dt.date(2026, 9, 8), by=NAME),
                      _event("written_warning", dt.date(2026, 9, 9), by=NAME)]),
        _case(policy, "2026-0002", platform="facebook", observed=dt.date(2026, 10, 5), summary_text=f"{NAME} said thanks",
              events=[_event("no_action", dt.date(2026, 10, 5)), _event("close_case", dt.date(2026, 10, 6))]),
        _case(policy, "2026-0003", ticked=("staff_allegation", "defamatory"), other=f"{NAME} was named",
              platform="facebook", poster="relative", observed=dt.date(2026, 10, 20),
              events=[_event("discuss_and_request_removal", dt.date(2026, 10, 21)),
                      _event("legal_advice", dt.date(2026, 10, 22), reason=f"{NAME} asked for it"),
                      _event("removed", dt.date(2026, 10, 23))]),
    ]


def test_summary_counts_a_small_known_set(policy):
    """Three cases give exactly the expected counts of verdicts, checklist items, platforms, posters, steps, outcomes and months."""
    expected = {
        "since": None,
        "cases": 3,
        "overrides": 1,
        "closed_with_steps_untaken": 0,
        "declined": {},
        "checklist": {"staff_allegation": 1, "complaint": 1, "defamatory": 1, "other": 1},
        "platform": {"facebook": 2, "whatsapp": 1},
        "poster": {"parent": 2, "relative": 1},
        "verdict": {"inappropriate": 2, "appropriate": 1},
        "outcome": {"removed": 1, "refused": 1},
        "step": {"no_action": 1, "discuss_and_request_removal": 2, "written_warning": 1, "legal_advice": 1},
        "month": {"2026-09": 1, "2026-10": 2},
    }
    assert expected == _summary(policy, _three_cases(policy))


def test_summary_lists_each_count_in_the_policy_order(policy):
    """Checklist, platform and step counts come in the order policy.toml lists them; months in date order."""
    data = _summary(policy, reversed(_three_cases(policy)))
    assert (["staff_allegation", "complaint", "defamatory", "other"], ["facebook", "whatsapp"],
            ["no_action", "discuss_and_request_removal", "written_warning", "legal_advice"], ["2026-09", "2026-10"]) == (
        list(data["checklist"]), list(data["platform"]), list(data["step"]), list(data["month"]))


def test_summary_since_leaves_out_posts_seen_before_the_date(policy):
    """--since 2026-10-01 keeps only the two cases seen in October."""
    data = _summary(policy, _three_cases(policy), since=dt.date(2026, 10, 1))
    assert ("2026-10-01", 2, {"2026-10": 2}, {"facebook": 2}, 1) == (
        data["since"], data["cases"], data["month"], data["platform"], data["overrides"])


def test_summary_shows_a_month_with_no_cases_as_0(policy):
    """Months between the first and the last case are all listed, an empty one as 0 (across a new year too)."""
    cases = [_case(policy, "2026-0001", observed=dt.date(2025, 11, 30)),
             _case(policy, "2026-0002", observed=dt.date(2026, 2, 1))]
    assert {"2025-11": 1, "2025-12": 0, "2026-01": 0, "2026-02": 1} == _summary(policy, cases)["month"]


def test_summary_since_shows_every_month_from_the_date_even_with_no_cases(policy):
    """--since 2026-09-01 with cases only in October still lists September, as 0."""
    data = _summary(policy, _three_cases(policy)[1:], since=dt.date(2026, 9, 1))
    assert {"2026-09": 0, "2026-10": 2} == data["month"]


def test_summary_until_today_shows_the_quiet_months_since_the_last_case(policy):
    """Counted up to today, the months after the last case are listed as 0."""
    data = summary(policy, [summary_record(policy, c) for c in _three_cases(policy)], until=dt.date(2026, 12, 3))
    assert {"2026-09": 1, "2026-10": 2, "2026-11": 0, "2026-12": 0} == data["month"]


def test_summary_since_with_no_cases_lists_each_month_as_0(policy):
    """No cases since 2026-09-01, counted to 2026-11-24: September, October and November, each 0."""
    data = summary(policy, [], since=dt.date(2026, 9, 1), until=dt.date(2026, 11, 24))
    assert (0, {"2026-09": 0, "2026-10": 0, "2026-11": 0}) == (data["cases"], data["month"])


def test_a_month_is_named_as_governors_read_it():
    """`2026-10` is shown as `October 2026`, or `Oct 2026` where space is short."""
    assert ("October 2026", "Oct 2026") == (month_title("2026-10"), month_title("2026-10", short=True))


def test_summary_of_no_cases_is_all_zero(policy):
    """With no cases every count is empty."""
    assert {"since": None, "cases": 0, "overrides": 0, "closed_with_steps_untaken": 0, "declined": {}, "checklist": {}, "platform": {}, "poster": {}, "verdict": {},
            "outcome": {}, "step": {}, "month": {}} == _summary(policy, [])


def test_summary_holds_no_names_summaries_locations_notes_or_reasons(policy):
    """A name in every free-text field of the cases never reaches the summary."""
    text = json.dumps(_summary(policy, _three_cases(policy)), ensure_ascii=False)
    assert (False, False) == (NAME in text, "Quillfeather" in text)
