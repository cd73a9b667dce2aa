"""Properties of the engine over any answers the policy allows and any history of recorded events."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hesket_cli.answers import parse_answers
from hesket_cli.case import Event
from hesket_cli.engine import assess
from hesket_cli.policy import fold_whitespace
from hesket_cli.policy_file import load_policy

from conftest import ROOT
from strategies import TODAY, answers_data

POLICY = load_policy(ROOT / "policy.toml")
SOURCE = fold_whitespace((ROOT / "policy.txt").read_text(encoding="utf-8"))
AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
NOT_FOR_APPROPRIATE = {s.id for s in POLICY.steps if s.stage in ("first", "escalation")}
ORDER = [s.id for s in POLICY.steps]
ORDER.insert(ORDER.index(POLICY.provider_step.id) + 1, POLICY.helpline.event)  # the school's setting follows it

event_ids = st.lists(st.sampled_from(POLICY.event_ids), max_size=12)
SETTINGS = settings(max_examples=100, deadline=None)


def _answers(data):
    return parse_answers(data, POLICY, today=TODAY, source="generated")


def _events(ids):
    return tuple(Event(event=e, at=AT, on=AT.date(), by="Test Recorder") for e in ids)


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_appropriate_post_never_permits_a_first_or_escalation_step(data, ids):
    """Whatever is recorded, an appropriate post never permits a discussion or an escalation step."""
    result = assess(POLICY, _answers(data), _events(ids))
    if result.verdict == "appropriate":
        assert set() == {s.id for s in result.permitted} & NOT_FOR_APPROPRIATE


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_every_reason_and_permitted_step_quotes_the_published_policy(data, ids):
    """Each reason and each permitted step carries non-empty words found in policy.txt; the school's own
    setting carries its own words instead, and never any claimed to be the policy's."""
    result = assess(POLICY, _answers(data), _events(ids))
    texts = [r.policy_text for r in result.reasons] + [s.policy_text for s in result.permitted if not s.setting]
    settings = [(s.policy_text, bool(s.setting)) for s in result.permitted if s.setting is not None]
    assert [] == [t for t in texts if not t or not t.strip() or fold_whitespace(t) not in SOURCE]
    assert [] == [pair for pair in settings if pair != (None, True)]


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_close_and_reopen_are_never_permitted(data, ids):
    """Closing and reopening are never offered as permitted steps."""
    result = assess(POLICY, _answers(data), _events(ids))
    assert set() == {s.id for s in result.permitted} & {"close_case", "reopen_case"}


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_open_case_always_has_a_next_step(data, ids):
    """An open case always suggests something to do next."""
    result = assess(POLICY, _answers(data), _events(ids))
    if result.status == "open":
        assert result.next_step is not None


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_verdict_never_depends_on_events(data, ids):
    """What has been recorded never changes whether the post was appropriate, nor the reasons."""
    answers = _answers(data)
    before, after = assess(POLICY, answers), assess(POLICY, answers, _events(ids))
    assert (before.verdict, before.reasons) == (after.verdict, after.reasons)


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_case_last_closed_is_closed_with_nothing_permitted(data, ids):
    """When the last close or reopen closed the case, it is closed and offers nothing."""
    result = assess(POLICY, _answers(data), _events(ids))
    last = next((e for e in reversed(ids) if e in ("close_case", "reopen_case")), None)
    expected = ("closed", None, (), ()) if last == "close_case" else ("open",)
    actual = (result.status, result.next_step, result.permitted, result.outcomes)
    assert expected == actual[:len(expected)]


@SETTINGS
@given(answers_data(POLICY), event_ids)
def test_permitted_steps_are_distinct_and_in_policy_order(data, ids):
    """Permitted steps are policy steps (or the school's helpline setting, just after the step of complaining to
    the site), each listed once, in the order of policy.toml."""
    permitted = [s.id for s in assess(POLICY, _answers(data), _events(ids)).permitted]
    assert sorted(set(permitted), key=ORDER.index) == permitted
