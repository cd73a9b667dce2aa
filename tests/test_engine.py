"""The engine reads the policy as the school does: verdicts, reasons, next steps and what is permitted."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib

from hesket_cli.answers import parse_answers
from hesket_cli.case import Event
from hesket_cli.engine import Reason, StepView, assess
from hesket_cli.policy import fold_whitespace
from hesket_cli.policy_file import parse_policy

from conftest import POLICY_FILE, ROOT

TODAY = dt.date(2026, 11, 24)
AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
SOURCE = fold_whitespace((ROOT / "policy.txt").read_text(encoding="utf-8"))


def _data(policy, *, tick=(), flag=(), judge=(), other=None, platform="facebook", poster="parent") -> dict:
    checklist = {i.id: i.id in tick for i in policy.checklist}
    if other is not None:
        checklist["other"] = other
    return {
        "incident": {"observed_on": dt.date(2026, 11, 20), "platform": platform, "poster": poster,
                     "summary": "A fictional parent, Mx Quill-Hartley, posted about the school."},
        "considerations": {i.id: i.id in flag for i in policy.considerations},
        "checklist": checklist,
        "judgement": {i.id: i.id in judge for i in policy.judgements},
    }


def _answers(policy, **kwargs):
    return parse_answers(_data(policy, **kwargs), policy, today=TODAY, source="test")


def _events(*ids: str) -> tuple[Event, ...]:
    return tuple(Event(event=e, at=AT, on=AT.date(), by="Test Recorder") for e in ids)


def _ids(steps) -> list[str]:
    return [s.id for s in steps]


def test_post_with_nothing_ticked_is_appropriate(policy):
    """A post with no checklist item ticked and no other concern is appropriate, even with considerations flagged."""
    result = assess(policy, _answers(policy, flag=[i.id for i in policy.considerations]))
    assert "appropriate" == result.verdict


def test_any_single_checklist_item_makes_the_post_inappropriate(policy):
    """Each checklist item on its own is enough to make the post inappropriate."""
    verdicts = {i.id: assess(policy, _answers(policy, tick=[i.id])).verdict for i in policy.checklist}
    assert {i.id: "inappropriate" for i in policy.checklist} == verdicts


def test_other_text_alone_makes_the_post_inappropriate(policy):
    """Describing something else inappropriate is enough, as the policy's list is non-exhaustive."""
    result = assess(policy, _answers(policy, other="Shared a photograph of the school trip without permission."))
    assert ("inappropriate", "discuss_and_request_removal") == (result.verdict, result.next_step.id)


def test_blank_other_text_does_not_make_the_post_inappropriate(policy):
    """Other text that is only whitespace describes nothing."""
    assert "appropriate" == assess(policy, _answers(policy, other=" \n\t ")).verdict


def test_appropriate_post_needs_no_action(policy):
    """A kind post with nothing flagged: no action is next and is the only permitted step."""
    result = assess(policy, _answers(policy))
    assert ("no_action", ["no_action"], ()) == (result.next_step.id, _ids(result.permitted), result.outcomes)


def test_flagged_consideration_signposts_a_private_channel(policy):
    """A flagged consideration makes signposting next, with no action still permitted."""
    result = assess(policy, _answers(policy, flag=["private_discussion_better"]))
    assert ("signpost_private_channel", ["signpost_private_channel", "no_action"]) == (
        result.next_step.id, _ids(result.permitted))


def test_inappropriate_post_starts_with_the_discussion_only(policy):
    """Before anything is recorded, the discussion with the parent is the only permitted step."""
    result = assess(policy, _answers(policy, tick=["complaint", "offensive", "racist"]))
    assert ("discuss_and_request_removal", ["discuss_and_request_removal"]) == (
        result.next_step.id, _ids(result.permitted))


def test_threat_of_violence_permits_police_at_once(policy):
    """A threat makes the police the next step at triage, with the discussion permitted too."""
    result = assess(policy, _answers(policy, tick=["threat_of_violence"]))
    assert ("contact_police", ["discuss_and_request_removal", "contact_police"]) == (
        result.next_step.id, _ids(result.permitted))


def test_discussion_is_next_once_police_are_contacted_about_a_threat(policy):
    """After the police are contacted about a threat, the discussion is the next step."""
    result = assess(policy, _answers(policy, tick=["threat_of_violence"]), _events("contact_police"))
    assert "discuss_and_request_removal" == result.next_step.id


def test_pupil_poster_starts_with_discussing_the_childs_use(policy):
    """When a pupil posted, discussing the child's use replaces the usual discussion."""
    result = assess(policy, _answers(policy, tick=["naming_children"], poster="pupil"))
    assert ("discuss_child_use", ["discuss_child_use"]) == (result.next_step.id, _ids(result.permitted))


def test_outcome_is_not_recordable_before_discussion(policy):
    """No outcome is offered before a discussion, not even after contacting the police about a threat."""
    answers = _answers(policy, tick=["threat_of_violence"])
    assert ((), ()) == (assess(policy, answers).outcomes, assess(policy, answers, _events("contact_police")).outcomes)


def test_after_discussion_only_the_outcome_is_awaited(policy):
    """After the discussion, recording its outcome is next and no policy step is permitted."""
    result = assess(policy, _answers(policy, tick=["complaint"]), _events("discuss_and_request_removal"))
    assert ("record_outcome", [], ("removed", "refused", "continued")) == (
        result.next_step.id, _ids(result.permitted), result.outcomes)


def test_record_outcome_next_step_quotes_refusal_sentence(policy):
    """The record-outcome suggestion carries its plain title and the policy's sentence on a refusal."""
    action = policy.action("record_outcome")
    result = assess(policy, _answers(policy, tick=["complaint"]), _events("discuss_and_request_removal"))
    assert StepView("record_outcome", action.title, action.policy_text) == result.next_step
    assert result.next_step.policy_text.startswith("If the parent refuses to do this")
    assert fold_whitespace(result.next_step.policy_text) in SOURCE


def test_close_case_next_step_has_no_policy_text(policy):
    """Closing the case is suggested with a plain title and no policy text."""
    result = assess(policy, _answers(policy), _events("no_action"))
    assert StepView("close_case", policy.action("close_case").title, None) == result.next_step


def test_removed_post_leads_to_closing_the_case(policy):
    """Once the post is removed after the discussion, closing the case is next."""
    result = assess(policy, _answers(policy, tick=["complaint"]), _events("discuss_and_request_removal", "removed"))
    assert ("close_case", []) == (result.next_step.id, _ids(result.permitted))


def test_refusal_replaces_the_discussion_with_escalation_steps(policy):
    """After a refusal only escalation steps are permitted; the discussion leaves the list."""
    result = assess(policy, _answers(policy, tick=["complaint"]), _events("discuss_and_request_removal", "refused"))
    assert ["written_warning", "contact_provider"] == _ids(result.permitted)


def test_escalation_steps_carry_the_policy_title_and_text(policy):
    """Each permitted step shows the title and words of its entry in policy.toml."""
    answers = _answers(policy, tick=["defamatory", "racist"], platform="school_forum")
    result = assess(policy, answers, _events("discuss_and_request_removal", "refused", "legal_advice"))
    expected = [StepView(s.id, s.title, s.policy_text) for s in policy.steps if s.stage == "escalation"]
    assert expected == list(result.permitted)


def test_latest_outcome_decides_what_follows(policy):
    """A removal after a refusal closes; a continuation after a removal escalates again."""
    answers = _answers(policy, tick=["complaint"])
    closed = assess(policy, answers, _events("discuss_and_request_removal", "refused", "removed"))
    again = assess(policy, answers, _events("discuss_and_request_removal", "removed", "continued"))
    assert ("close_case", "written_warning") == (closed.next_step.id, again.next_step.id)


def test_permitted_follows_the_order_of_policy_toml(policy):
    """Permitted steps are listed in the policy file's order, whatever is next."""
    answers = _answers(policy, tick=["threat_of_violence", "defamatory"], platform="school_website")
    result = assess(policy, answers, _events("discuss_and_request_removal", "refused", "legal_advice"))
    order = [s.id for s in policy.steps]
    assert sorted(_ids(result.permitted), key=order.index) == _ids(result.permitted)


def test_closed_case_has_no_next_step_nothing_permitted_and_no_outcomes(policy):
    """A closed case offers nothing, but keeps its verdict and reasons."""
    answers = _answers(policy, tick=["threat_of_violence"])
    result = assess(policy, answers, _events("contact_police", "discuss_and_request_removal", "refused", "close_case"))
    assert ("closed", None, (), (), "inappropriate") == (
        result.status, result.next_step, result.permitted, result.outcomes, result.verdict)
    assert assess(policy, answers).reasons == result.reasons


def test_reopened_case_is_open_where_it_was(policy):
    """Reopening a closed case gives the same assessment as before it was closed."""
    answers = _answers(policy, tick=["complaint"])
    before = assess(policy, answers, _events("discuss_and_request_removal", "refused"))
    reopened = assess(policy, answers, _events("discuss_and_request_removal", "refused", "close_case", "reopen_case"))
    assert before == reopened


def test_close_and_reopen_are_never_permitted(policy):
    """Closing and reopening are actions, never policy steps in the permitted list."""
    answers = _answers(policy, tick=["complaint"])
    histories = [(), ("discuss_and_request_removal",), ("discuss_and_request_removal", "removed"),
                 ("discuss_and_request_removal", "refused", "close_case", "reopen_case")]
    seen = {s.id for h in histories for s in assess(policy, answers, _events(*h)).permitted}
    assert set() == seen & {"close_case", "reopen_case", "record_outcome"}


def test_reasons_carry_policy_text_in_policy_order(policy):
    """Reasons list flagged considerations, ticked items, other and true judgements, in that order, in the policy's words."""
    answers = _answers(policy, flag=["unjustified_harm", "wrong_channel"], tick=["racist", "naming_children"],
                       judge=["legal_warranted", "harassment"], other="Shared a photo without permission.")
    c, k, j = ({i.id: i for i in items} for items in (policy.considerations, policy.checklist, policy.judgements))
    expected = (
        Reason("wrong_channel", "consideration", c["wrong_channel"].title, c["wrong_channel"].policy_text),
        Reason("unjustified_harm", "consideration", c["unjustified_harm"].title, c["unjustified_harm"].policy_text),
        Reason("naming_children", "checklist", k["naming_children"].title, k["naming_children"].policy_text),
        Reason("racist", "checklist", k["racist"].title, k["racist"].policy_text),
        Reason("other", "other", policy.other.title, policy.other.policy_text),
        Reason("harassment", "judgement", j["harassment"].title, j["harassment"].policy_text),
        Reason("legal_warranted", "judgement", j["legal_warranted"].title, j["legal_warranted"].policy_text),
    )
    assert expected == assess(policy, answers).reasons


def test_kind_post_has_no_reasons(policy):
    """Nothing flagged, ticked or judged gives no reasons."""
    assert () == assess(policy, _answers(policy)).reasons


def test_engine_is_pure_same_input_same_output(policy):
    """The same policy, answers and events give the same assessment, and the inputs are left unchanged."""
    data = _data(policy, tick=["defamatory"], flag=["wrong_channel"], judge=["harassment"])
    answers = parse_answers(copy.deepcopy(data), policy, today=TODAY, source="test")
    events = _events("discuss_and_request_removal", "refused", "written_warning")
    first = assess(policy, answers, events)
    second = assess(policy, answers, events)
    assert first == second
    assert parse_answers(copy.deepcopy(data), policy, today=TODAY, source="test") == answers
    assert _events("discuss_and_request_removal", "refused", "written_warning") == events


def test_a_checklist_item_added_to_the_policy_makes_posts_inappropriate(policy):
    """A school's own checklist item in policy.toml is read with no code change."""
    data = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
    data["checklist"]["photos_without_consent"] = {
        "title": "Photos without consent", "question": "Does the post share photos of pupils without consent?",
        "help": "For example, a photo of a class trip.", "policy_text": "Posting racist comments",
    }
    edited = parse_policy(data, display="edited.toml")
    answers = _answers(edited, tick=["photos_without_consent"])
    assert ("inappropriate", "discuss_and_request_removal") == (
        assess(edited, answers).verdict, assess(edited, answers).next_step.id)


def test_a_condition_edited_in_the_policy_changes_what_is_permitted(policy):
    """Changing a step's condition in policy.toml changes when the step is permitted."""
    data = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
    data["steps"]["legal_advice"]["when"] = ["checklist.complaint"]
    edited = parse_policy(data, display="edited.toml")
    result = assess(edited, _answers(edited, tick=["complaint"]), _events("discuss_and_request_removal", "refused"))
    assert ["written_warning", "contact_provider", "legal_advice"] == _ids(result.permitted)


def test_permitted_order_follows_an_edited_policy_file(policy):
    """Moving the police step to the top of policy.toml moves it to the top of the permitted list."""
    data = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
    steps = data["steps"]
    data["steps"] = {"contact_police": steps.pop("contact_police"), **steps}
    edited = parse_policy(data, display="edited.toml")
    result = assess(edited, _answers(edited, tick=["threat_of_violence"]))
    assert ["contact_police", "discuss_and_request_removal"] == _ids(result.permitted)
