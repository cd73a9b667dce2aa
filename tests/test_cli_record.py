"""hesket case record and case note: the case's history, refused where the policy does not permit it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings

from hesket_cli.case import SCHEMA
from hesket_cli.store import CaseStore

from conftest import EXAMPLES, ROOT, snapshot
from strategies import cli_text

WIDE = {"COLUMNS": "1000"}
TODAY = dt.date.today()
OBSERVED = TODAY - dt.timedelta(days=10)
SCHEMA1_FIXTURE = ROOT / "tests" / "fixtures" / "schema1-case.toml"
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")
JUDGEMENTS = ("harassment", "grossly_offensive", "legal_warranted")
LADDER = ("written_warning", "contact_provider", "restrict_access", "legal_advice", "legal_action", "contact_police")
OUTCOMES = ["removed", "refused", "continued"]
_numbers = itertools.count(1)


# -- helpers -------------------------------------------------------------------------------------------


def _answers_data(ticked=("complaint",), judgement=(), platform="facebook", poster="parent") -> dict:
    return {
        "incident": {"observed_on": OBSERVED.isoformat(), "platform": platform, "poster": poster,
                     "summary": "A made-up parent, Mr C Example, posted about the school."},
        "considerations": dict.fromkeys(CONSIDERATIONS, False),
        "checklist": {c: c in ticked for c in CHECKLIST},
        "judgement": {j: j in judgement for j in JUDGEMENTS},
    }


def _triage_answers(run, folder: Path, env=None, **answers) -> dict:
    """Triage a post given as a JSON answers file written to `folder`; return the case document."""
    path = folder / f"answers-{next(_numbers)}.json"
    path.write_text(json.dumps(_answers_data(**answers)), encoding="utf-8")
    result = run("triage", "--answers", path, "--json", "--by", "Mrs A Example", env=env)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _triage_example(run, name: str) -> dict:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _record(run, case_id: str, event: str, *args: str, env=None) -> dict:
    """Record an event that must be accepted; return the case document it printed."""
    result = run("case", "record", case_id, event, "--by", "Mrs A Example", "--json", *args, env=env)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _show(run, case_id: str, env=None) -> dict:
    result = run("case", "show", case_id, "--json", env=env)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _case_file(cases_dir: Path, case_id: str) -> Path:
    return cases_dir / case_id / "case.toml"


def _ids(steps: list[dict]) -> list[str]:
    return [s["id"] for s in steps]


def _permitted_now(doc: dict) -> str:
    """What a refusal lists as permitted now: the permitted steps and outcomes, or reopen_case if closed."""
    if doc["status"] == "closed":
        return "reopen_case"
    return ", ".join(_ids(doc["permitted"]) + doc["outcomes"])


def _assert_refused(result, event: str, case_id: str, permitted_now: str, file: Path, before: bytes) -> str:
    """Exit 5, nothing on stdout, one Error line naming event and case and listing what is permitted; no change."""
    assert 5 == result.exit_code, result.stdout + result.stderr
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    line = lines[0]
    assert line.startswith(f"Error: {event} is not permitted "), line
    assert f" for case {case_id}: " in line, line
    pattern = rf"\. Permitted now: {re.escape(permitted_now)}\.( To record it anyway: --override --reason \"why\"\.)?$"
    assert re.search(pattern, line), line
    assert before == file.read_bytes()
    return line


def _assert_usage_error(result, file: Path, before: bytes, code: int = 2) -> str:
    assert code == result.exit_code, result.stdout + result.stderr
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert before == file.read_bytes()
    return lines[0]


# -- refusals -------------------------------------------------------------------------------------------


def test_outcome_before_the_discussion_is_refused(run, cases_dir):
    """An outcome before the discussion exits 5, names it and the case, lists the discussion, changes nothing."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "refused")
    line = _assert_refused(result, "refused", doc["id"], "discuss_and_request_removal", file, before)
    assert "not permitted yet" in line


def test_police_before_the_discussion_without_a_threat_of_violence_is_refused(run, tmp_path, cases_dir):
    """contact_police before the discussion, on a racist post with no threat of violence, is refused."""
    doc = _triage_answers(run, tmp_path, ticked=("racist",))
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "contact_police")
    _assert_refused(result, "contact_police", doc["id"], "discuss_and_request_removal", file, before)


def test_legal_action_before_legal_advice_is_refused(run, cases_dir):
    """After a refusal on a defamatory post, legal_action before legal_advice is refused naming legal_advice."""
    doc = _triage_example(run, "defamatory-post")
    _record(run, doc["id"], "discuss_and_request_removal")
    now = _record(run, doc["id"], "refused")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "legal_action")
    line = _assert_refused(result, "legal_action", doc["id"], _permitted_now(now), file, before)
    assert "legal_advice" in line.split("Permitted now:")[0]
    assert "written_warning, contact_provider, legal_advice, removed, refused, continued" == _permitted_now(now)


def test_escalation_before_the_outcome_is_recorded_is_refused(run, cases_dir):
    """After the discussion, an escalation step before any outcome is refused; the outcomes are listed."""
    doc = _triage_example(run, "defamatory-post")
    now = _record(run, doc["id"], "discuss_and_request_removal")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "written_warning")
    line = _assert_refused(result, "written_warning", doc["id"], "removed, refused, continued", file, before)
    assert "removed, refused, continued" == _permitted_now(now)
    assert "not permitted yet" in line


def test_restricting_access_to_a_facebook_post_is_refused(run, cases_dir):
    """restrict_access after a refusal is refused when the post was on Facebook, not the school's site."""
    doc = _triage_example(run, "defamatory-post")
    _record(run, doc["id"], "discuss_and_request_removal")
    now = _record(run, doc["id"], "refused")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "restrict_access")
    _assert_refused(result, "restrict_access", doc["id"], _permitted_now(now), file, before)


def _closed_case(run) -> dict:
    doc = _triage_example(run, "complaint-wrong-channel")
    _record(run, doc["id"], "discuss_and_request_removal")
    _record(run, doc["id"], "removed")
    closed = _record(run, doc["id"], "close_case", "--reason", "Closed by the head")
    assert "closed" == closed["status"]
    return closed


@pytest.mark.parametrize("event", ["written_warning", "discuss_and_request_removal", "refused", "removed", "close_case"])
def test_a_closed_case_refuses_every_event_but_reopen_case(run, cases_dir, event):
    """On a closed case a step, an outcome or close_case exits 5 listing only reopen_case; nothing changes."""
    doc = _closed_case(run)
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], event)
    line = _assert_refused(result, event, doc["id"], "reopen_case", file, before)
    assert line.endswith("Permitted now: reopen_case.")


def test_override_does_not_bypass_a_closed_case(run, cases_dir):
    """--override --reason on a closed case is still refused (exit 5) and nothing is written."""
    doc = _closed_case(run)
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "written_warning", "--override", "--reason", "Head's decision")
    _assert_refused(result, "written_warning", doc["id"], "reopen_case", file, before)


def test_a_note_on_a_closed_case_is_refused(run, cases_dir):
    """case note on a closed case exits 5 with one Error line naming the note, the case and reopen_case."""
    doc = _closed_case(run)
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "note", doc["id"], "Parent phoned again.")
    assert 5 == result.exit_code
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines)
    assert lines[0].startswith("Error: ")
    assert doc["id"] in lines[0]
    assert before == file.read_bytes()
    assert re.search(r"reopen_case\.?$", lines[0]), lines[0]
    assert "note" in lines[0], lines[0]


def test_reopen_case_opens_a_closed_case_again(run, cases_dir):
    """After refusals on a closed case, reopen_case is recorded, the case is open and steps are accepted again."""
    doc = _closed_case(run)
    assert 5 == run("case", "record", doc["id"], "written_warning").exit_code
    reopened = _record(run, doc["id"], "reopen_case")
    assert "open" == reopened["status"]
    assert ["discuss_and_request_removal", "removed", "close_case", "reopen_case"] == [e["event"] for e in reopened["events"]]
    assert "close_case" == reopened["next_step"]["id"]
    assert 0 == run("case", "note", doc["id"], "Parent posted again.").exit_code
    again = _record(run, doc["id"], "continued")
    assert "written_warning" == again["next_step"]["id"]


def test_reopen_case_on_an_open_case_is_refused(run, cases_dir):
    """reopen_case on an open case exits 5 saying so, and nothing changes."""
    doc = _triage_example(run, "complaint-wrong-channel")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "reopen_case")
    line = _assert_refused(result, "reopen_case", doc["id"], "discuss_and_request_removal", file, before)
    assert "already open" in line


# -- overriding -----------------------------------------------------------------------------------------


def test_override_with_a_reason_records_a_refused_step(run, cases_dir):
    """--override --reason records a refused step with the reason and the name given with --by."""
    doc = _triage_example(run, "defamatory-post")
    _record(run, doc["id"], "discuss_and_request_removal")
    _record(run, doc["id"], "refused")
    reason = "Head's decision: the parent also posted on the school forum"
    result = run("case", "record", doc["id"], "restrict_access", "--override", "--reason", reason,
                 "--by", "Mr B Example", "--json")
    assert 0 == result.exit_code, result.stderr
    event = _show(run, doc["id"])["events"][-1]
    assert "restrict_access" == event["event"]
    assert reason == event["override_reason"]
    assert "Mr B Example" == event["by"]
    on_disk = tomllib.loads(_case_file(cases_dir, doc["id"]).read_text(encoding="utf-8"))["events"][-1]
    assert reason == on_disk["override_reason"]


def test_case_show_prints_the_override_and_its_reason(run):
    """case show marks an overridden event OVERRIDDEN and prints its reason."""
    doc = _triage_example(run, "kind-post")
    _record(run, doc["id"], "written_warning", "--override", "--reason", "Governors asked for a letter")
    result = run("case", "show", doc["id"], env=WIDE)
    assert 0 == result.exit_code, result.stderr
    history = result.stdout.split("History", 1)[1]
    assert "OVERRIDDEN" in history
    assert "Override reason: Governors asked for a letter" in history


@pytest.mark.parametrize("args", [
    ["--override"],
    ["--override", "--reason", ""],
    ["--override", "--reason", "   \t "],
    ["--reason", "Head's decision"],
], ids=["no-reason", "empty-reason", "blank-reason", "reason-without-override"])
def test_override_and_reason_must_come_together(run, cases_dir, args):
    """--override without a non-blank --reason, or --reason without --override, exits 2; nothing changes."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    result = run("case", "record", doc["id"], "written_warning", *args)
    line = _assert_usage_error(result, file, before)
    assert "--override" in line and "--reason" in line


# -- the escalation conditions ---------------------------------------------------------------------------


@pytest.mark.parametrize("answers, added", [
    ({}, []),
    ({"ticked": ("complaint", "defamatory")}, ["legal_advice"]),
    ({"judgement": ("legal_warranted",)}, ["legal_advice"]),
    ({"ticked": ("racist",)}, ["contact_police"]),
    ({"ticked": ("threat_of_violence",)}, ["contact_police"]),
    ({"judgement": ("harassment",)}, ["contact_police"]),
    ({"judgement": ("grossly_offensive",)}, ["contact_police"]),
    ({"platform": "school_website"}, ["restrict_access"]),
    ({"platform": "school_forum"}, ["restrict_access"]),
    ({"ticked": ("defamatory", "racist"), "platform": "school_forum"},
     ["restrict_access", "legal_advice", "contact_police"]),
], ids=["none", "defamatory", "legal-warranted", "racist", "threat", "harassment", "grossly-offensive",
        "school-website", "school-forum", "several"])
@pytest.mark.parametrize("outcome", ["refused", "continued"])
def test_after_refused_or_continued_each_escalation_step_is_permitted_only_where_its_condition_holds(
        run, tmp_path, answers, added, outcome):
    """After the discussion and refused/continued, permitted is written_warning, contact_provider and the steps whose conditions hold."""
    doc = _triage_answers(run, tmp_path, **answers)
    _record(run, doc["id"], "discuss_and_request_removal")
    after = _record(run, doc["id"], outcome)
    expected = [s for s in LADDER if s in ["written_warning", "contact_provider", *added]]
    assert expected == _ids(after["permitted"])
    assert OUTCOMES == after["outcomes"]
    assert "written_warning" == after["next_step"]["id"]


@pytest.mark.parametrize("step, answers", [
    ("legal_advice", {}),
    ("legal_action", {}),
    ("contact_police", {}),
    ("contact_police", {"ticked": ("complaint", "offensive", "defamatory")}),
    ("restrict_access", {"platform": "twitter"}),
    ("restrict_access", {"platform": "other"}),
])
def test_an_escalation_step_whose_condition_fails_is_refused(run, tmp_path, cases_dir, step, answers):
    """After a refusal, an escalation step whose condition does not hold exits 5 and nothing is written."""
    doc = _triage_answers(run, tmp_path, **answers)
    _record(run, doc["id"], "discuss_and_request_removal")
    now = _record(run, doc["id"], "refused")
    assert step not in _ids(now["permitted"])
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    _assert_refused(run("case", "record", doc["id"], step), step, doc["id"], _permitted_now(now), file, before)


@pytest.mark.parametrize("answers", [{"ticked": ("defamatory",)}, {"judgement": ("legal_warranted",)}])
def test_legal_action_is_permitted_once_legal_advice_is_recorded(run, tmp_path, answers):
    """legal_action joins permitted only after legal_advice is recorded, and can then be recorded."""
    doc = _triage_answers(run, tmp_path, **answers)
    _record(run, doc["id"], "discuss_and_request_removal")
    refused = _record(run, doc["id"], "refused")
    assert "legal_action" not in _ids(refused["permitted"])
    advised = _record(run, doc["id"], "legal_advice")
    assert ["written_warning", "contact_provider", "legal_advice", "legal_action"] == _ids(advised["permitted"])
    acted = _record(run, doc["id"], "legal_action")
    assert "legal_action" == acted["events"][-1]["event"]


@pytest.mark.parametrize("platform", ["school_website", "school_forum"])
def test_restrict_access_is_recorded_for_a_post_on_the_schools_own_site(run, tmp_path, platform):
    """restrict_access is accepted after a refusal when the post was on the school's website or forum."""
    doc = _triage_answers(run, tmp_path, platform=platform)
    _record(run, doc["id"], "discuss_and_request_removal")
    _record(run, doc["id"], "refused")
    after = _record(run, doc["id"], "restrict_access")
    assert "restrict_access" == after["events"][-1]["event"]
    assert None is after["events"][-1]["override_reason"]


@pytest.mark.parametrize("answers", [{"ticked": ("racist",)}, {"judgement": ("harassment",)},
                                     {"judgement": ("grossly_offensive",)}])
def test_contact_police_is_recorded_after_a_refusal_where_its_condition_holds(run, tmp_path, answers):
    """contact_police is accepted after a refusal on a racist, harassing or grossly offensive post."""
    doc = _triage_answers(run, tmp_path, **answers)
    _record(run, doc["id"], "discuss_and_request_removal")
    _record(run, doc["id"], "refused")
    after = _record(run, doc["id"], "contact_police")
    assert "contact_police" == after["events"][-1]["event"]


def test_removed_leads_to_closing_the_case(run):
    """After the discussion, removed makes close_case the next step and no escalation step permitted."""
    doc = _triage_example(run, "defamatory-post")
    _record(run, doc["id"], "discuss_and_request_removal")
    after = _record(run, doc["id"], "removed")
    assert "close_case" == after["next_step"]["id"]
    assert [] == after["permitted"]
    assert OUTCOMES == after["outcomes"]


def test_a_threat_of_violence_permits_the_police_straight_after_triage(run):
    """With a threat of violence, contact_police is recorded at once; the discussion is next."""
    doc = _triage_example(run, "threat-of-violence")
    assert "contact_police" == doc["next_step"]["id"]
    after = _record(run, doc["id"], "contact_police")
    assert None is after["events"][-1]["override_reason"]
    assert "discuss_and_request_removal" == after["next_step"]["id"]
    assert ["discuss_and_request_removal", "contact_police"] == _ids(after["permitted"])


def test_a_case_from_triage_to_close(run, cases_dir):
    """Discussion, refusal, warning, removal and closing, each with the policy's next step, end closed."""
    doc = _triage_example(run, "complaint-wrong-channel")
    case_id = doc["id"]
    assert "discuss_and_request_removal" == doc["next_step"]["id"]
    steps = [
        ("discuss_and_request_removal", "record_outcome"),
        ("refused", "written_warning"),
        ("written_warning", "contact_provider"),
        ("removed", "close_case"),
        ("close_case", None),
    ]
    for event, next_step in steps:
        now = _record(run, case_id, event)
        assert next_step == (now["next_step"] or {}).get("id"), event
    assert "closed" == now["status"]
    assert [] == now["permitted"]
    assert [] == now["outcomes"]
    assert [e for e, _ in steps] == [e["event"] for e in _show(run, case_id)["events"]]
    listed = run("case", "list", "--status", "closed", "--json")
    assert [case_id] == [d["id"] for d in json.loads(listed.stdout)]


def test_recording_prints_what_was_recorded_and_the_next_step(run):
    """Without --json, case record says what it recorded and shows the next step."""
    doc = _triage_example(run, "complaint-wrong-channel")
    result = run("case", "record", doc["id"], "discuss_and_request_removal", "--by", "Mrs A Example", env=WIDE)
    assert 0 == result.exit_code, result.stderr
    assert result.stdout.startswith(f"Recorded discuss_and_request_removal for case {doc['id']}.")
    assert "Record what happened after the discussion: removed, refused or continued" in result.stdout


# -- unknown events ---------------------------------------------------------------------------------------


def test_an_unknown_event_lists_the_valid_events_and_suggests_the_near_miss(run, cases_dir, policy):
    """A misspelt event exits 2 with 'did you mean' and every valid event; nothing changes."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    line = _assert_usage_error(run("case", "record", doc["id"], "writen_warning"), file, before)
    assert "writen_warning" in line
    assert "did you mean written_warning?" in line
    assert f"valid events: {', '.join(policy.event_ids)}" in line
    for event in ["discuss_and_request_removal", "contact_police", "removed", "refused", "continued",
                  "close_case", "reopen_case"]:
        assert event in line


def test_an_unknown_event_with_no_near_miss_still_lists_the_valid_events(run, cases_dir, policy):
    """An event unlike any other exits 2 listing the valid events, without a suggestion."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    line = _assert_usage_error(run("case", "record", doc["id"], "zzzz"), file, before)
    assert "did you mean" not in line
    assert f"valid events: {', '.join(policy.event_ids)}" in line


# -- dates --------------------------------------------------------------------------------------------------


def test_on_records_a_past_date_and_at_is_utc_now(run, tmp_path, cases_dir):
    """--on stores the date given as `on`; `at` is the time of recording as ISO 8601 UTC."""
    doc = _triage_answers(run, tmp_path)
    day = OBSERVED + dt.timedelta(days=3)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    _record(run, doc["id"], "discuss_and_request_removal", "--on", day.isoformat())
    end = dt.datetime.now(dt.UTC)
    event = _show(run, doc["id"])["events"][-1]
    assert day.isoformat() == event["on"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+00:00|Z)", event["at"]), event["at"]
    at = dt.datetime.fromisoformat(event["at"].replace("Z", "+00:00"))
    assert dt.timedelta(0) == at.utcoffset()
    assert start <= at <= end
    on_disk = tomllib.loads(_case_file(cases_dir, doc["id"]).read_text(encoding="utf-8"))["events"][-1]
    assert day == on_disk["on"]
    assert at == on_disk["at"]
    assert dt.timedelta(0) == on_disk["at"].utcoffset()


def test_on_defaults_to_today(run, tmp_path):
    """Without --on, the event's date is today."""
    doc = _triage_answers(run, tmp_path)
    after = _record(run, doc["id"], "discuss_and_request_removal")
    assert TODAY.isoformat() == after["events"][-1]["on"]


def test_on_may_be_the_day_the_post_was_seen(run, tmp_path):
    """--on the very day the post was seen is accepted."""
    doc = _triage_answers(run, tmp_path)
    after = _record(run, doc["id"], "discuss_and_request_removal", "--on", OBSERVED.isoformat())
    assert OBSERVED.isoformat() == after["events"][-1]["on"]


@pytest.mark.parametrize("command", ["record", "note"])
@pytest.mark.parametrize("on, words", [
    ((TODAY + dt.timedelta(days=1)).isoformat(), "future"),
    ((OBSERVED - dt.timedelta(days=1)).isoformat(), "before the post was seen"),
    ("not-a-date", "not a date"),
    ("2026-02-30", "not a date"),
], ids=["future", "before-seen", "not-a-date", "no-such-day"])
def test_a_wrong_on_date_exits_3_and_changes_nothing(run, tmp_path, cases_dir, command, on, words):
    """--on in the future, before the post was seen, or not a date exits 3 with one Error line; nothing changes."""
    doc = _triage_answers(run, tmp_path)
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    if command == "record":
        result = run("case", "record", doc["id"], "discuss_and_request_removal", "--on", on)
    else:
        result = run("case", "note", doc["id"], "Phoned the parent.", "--on", on)
    line = _assert_usage_error(result, file, before, code=3)
    assert "--on" in line and words in line


# -- notes ---------------------------------------------------------------------------------------------------


def test_case_note_adds_a_note_event(run, cases_dir):
    """case note adds an event `note` with the text, the recorder and the date; status and next step are unchanged."""
    doc = _triage_example(run, "defamatory-post")
    result = run("case", "note", doc["id"], "Parent phoned back; meeting booked for Friday.",
                 "--by", "Mr B Example", "--json")
    assert 0 == result.exit_code, result.stderr
    after = json.loads(result.stdout)
    event = after["events"][-1]
    assert "note" == event["event"]
    assert "Parent phoned back; meeting booked for Friday." == event["note"]
    assert "Mr B Example" == event["by"]
    assert TODAY.isoformat() == event["on"]
    assert None is event["override_reason"]
    assert doc["next_step"] == after["next_step"]
    assert doc["permitted"] == after["permitted"]
    on_disk = tomllib.loads(_case_file(cases_dir, doc["id"]).read_text(encoding="utf-8"))["events"]
    assert [("note", "Parent phoned back; meeting booked for Friday.")] == [(e["event"], e["note"]) for e in on_disk]


def test_case_note_prints_that_it_was_added(run):
    """Without --json, case note says it added a note to the case."""
    doc = _triage_example(run, "kind-post")
    result = run("case", "note", doc["id"], "Thanked the parent.", env=WIDE)
    assert 0 == result.exit_code, result.stderr
    assert result.stdout.startswith(f"Added a note to case {doc['id']}.")


@pytest.mark.parametrize("text", ["", "   ", "\n\t "], ids=["empty", "spaces", "whitespace"])
def test_a_blank_note_exits_2_and_changes_nothing(run, cases_dir, text):
    """case note with blank text exits 2 with one Error line; nothing changes."""
    doc = _triage_example(run, "kind-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    line = _assert_usage_error(run("case", "note", doc["id"], text), file, before)
    assert "blank" in line


def test_a_blank_note_option_on_record_exits_2_and_changes_nothing(run, cases_dir):
    """case record --note with blank text exits 2; nothing changes."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    before = file.read_bytes()
    line = _assert_usage_error(run("case", "record", doc["id"], "discuss_and_request_removal", "--note", "  "),
                               file, before)
    assert "--note" in line


def test_record_keeps_its_note(run):
    """case record --note keeps the note on the event."""
    doc = _triage_example(run, "defamatory-post")
    after = _record(run, doc["id"], "discuss_and_request_removal", "--note", "Spoke to Mr C Example at the gate.")
    assert "Spoke to Mr C Example at the gate." == after["events"][-1]["note"]


# -- events are appended and never changed -------------------------------------------------------------------


def test_events_are_appended_in_order_and_earlier_ones_never_change(run, cases_dir):
    """Each record appends one event at the end; the events before it in the file are identical."""
    doc = _triage_example(run, "defamatory-post")
    file = _case_file(cases_dir, doc["id"])
    commands = [
        ("record", "discuss_and_request_removal", "--note", "Phoned the parent.", "--on", doc["incident"]["observed_on"]),
        ("note", "The parent said she would think about it."),
        ("record", "refused"),
        ("record", "written_warning", "--by", "Mr B Example"),
        ("record", "restrict_access", "--override", "--reason", "Head's decision"),
        ("record", "legal_advice"),
        ("record", "legal_action"),
    ]
    previous: list = []
    previous_data = tomllib.loads(file.read_text(encoding="utf-8"))
    for command, *rest in commands:
        result = run("case", command, doc["id"], *rest)
        assert 0 == result.exit_code, result.stderr
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        events = data["events"]
        assert len(previous) + 1 == len(events)
        assert previous == events[:-1]
        expected_event = "note" if command == "note" else rest[0]
        assert expected_event == events[-1]["event"]
        # The answers and who triaged it never change (the policy stamp may be renewed on each write).
        kept = ("id", "created_at", "recorded_by", "incident", "considerations", "checklist", "judgement")
        assert {k: previous_data[k] for k in kept} == {k: data[k] for k in kept}
        previous, previous_data = events, data
    assert ["discuss_and_request_removal", "note", "refused", "written_warning", "restrict_access", "legal_advice",
            "legal_action"] == [e["event"] for e in _show(run, doc["id"])["events"]]


def test_a_refused_record_leaves_the_whole_cases_folder_unchanged(run, cases_dir):
    """A refusal writes nothing anywhere in the cases folder (no stray temporary files)."""
    doc = _triage_example(run, "defamatory-post")
    before = snapshot(cases_dir)
    assert 5 == run("case", "record", doc["id"], "legal_action").exit_code
    after = snapshot(cases_dir)
    assert {k: v for k, v in before.items() if not k.endswith(".lock")} == \
        {k: v for k, v in after.items() if not k.endswith(".lock")}


# -- schema ---------------------------------------------------------------------------------------------------


def _install_fixture(cases_dir: Path, text: str | None = None) -> Path:
    folder = cases_dir / "2025-0007"
    folder.mkdir(parents=True)
    file = folder / "case.toml"
    if text is None:
        shutil.copyfile(SCHEMA1_FIXTURE, file)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def test_a_schema_1_case_loads_as_the_current_schema(run, cases_dir):
    """The schema 1 fixture shows with the current schema, its two events and the escalation stage."""
    _install_fixture(cases_dir)
    doc = _show(run, "2025-0007")
    assert SCHEMA == doc["schema"]
    assert ["discuss_and_request_removal", "refused"] == [e["event"] for e in doc["events"]]
    assert "escalation" == doc["stage"]
    assert "Spoke to the parent at the school gate." == doc["events"][0]["note"]


def test_recording_on_a_schema_1_case_writes_schema_3_and_keeps_its_events(run, cases_dir):
    """After case record on the schema 1 fixture, the file says schema 3 (the lowest that holds a case with no names
    kept out of letters, which the previous hesket still reads), starts with the old events, and notes where the
    chain of hashes starts before the new one."""
    file = _install_fixture(cases_dir)
    original = tomllib.loads(SCHEMA1_FIXTURE.read_text(encoding="utf-8"))
    after = _record(run, "2025-0007", "written_warning")
    assert "written_warning" == after["events"][-1]["event"]
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    assert 3 == data["schema"] < SCHEMA
    assert original["events"] == data["events"][:2]
    assert ["discuss_and_request_removal", "refused", "chain_start", "written_warning"] == [
        e["event"] for e in data["events"]]
    for key in ("id", "created_at", "recorded_by", "incident", "considerations", "checklist", "judgement"):
        assert original[key] == data[key], key


def test_a_case_from_a_newer_hesket_is_refused_with_a_hint_to_upgrade(run, cases_dir):
    """A case file with schema 99 is refused by case record (exit 3, 'upgrade hesket'); it is left as it was."""
    text = SCHEMA1_FIXTURE.read_text(encoding="utf-8").replace("schema = 1\n", "schema = 99\n", 1)
    assert "schema = 99\n" in text
    file = _install_fixture(cases_dir, text)
    before = file.read_bytes()
    line = _assert_usage_error(run("case", "record", "2025-0007", "written_warning"), file, before, code=3)
    assert "upgrade hesket" in line
    assert str(file) in line


# -- free text round-trips -------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(note=cli_text, reason=cli_text, extra=cli_text)
def test_notes_and_override_reasons_round_trip_through_the_case_file(note, reason, extra):
    """Any non-blank text given as a note or an override reason is read back unchanged, via the CLI and the store."""
    from typer.testing import CliRunner

    from hesket_cli.cli.app import app

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        cases_env = {"HESKET_CASES_DIR": os.path.join(tmp, "cases")}

        def run(*args, env=None):
            return runner.invoke(app, [str(a) for a in args], env=cases_env)

        doc = _triage_answers(run, Path(tmp))
        case_id = doc["id"]
        result = run("case", "record", case_id, "written_warning", "--by", "Mrs A Example",
                     "--override", "--reason", reason, "--note", note, "--json")
        assert 0 == result.exit_code, result.stderr
        result = run("case", "note", case_id, "--by", "Mrs A Example", "--json", "--", extra)
        assert 0 == result.exit_code, result.stderr
        shown = json.loads(run("case", "show", case_id, "--json").stdout)["events"]
        assert [("written_warning", note, reason), ("note", extra, None)] == \
            [(e["event"], e["note"], e["override_reason"]) for e in shown]
        loaded = CaseStore(Path(tmp) / "cases").load(case_id).events
        assert [("written_warning", note, reason), ("note", extra, None)] == \
            [(e.event, e.note, e.override_reason) for e in loaded]

