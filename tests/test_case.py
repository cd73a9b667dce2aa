"""A case keeps what was typed: any text, saved and loaded again, is unchanged."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings

from hesket_cli.answers import parse_answers
from hesket_cli.case import Case, PolicyRef
from hesket_cli.case_data import case_from_dict, case_to_dict
from hesket_cli.policy_file import load_policy
from hesket_cli.store import CaseStore

from conftest import POLICY_FILE
from strategies import TODAY, answers_data, free_text, non_blank_text

POLICY = load_policy(POLICY_FILE)
SETTINGS = settings(max_examples=75, deadline=None)

NASTY = (
    'She wrote: "they\'re all \'useless\'" \\ C:\\new\\table \\u0041 \\n (a literal backslash-n)\n'
    "second line\r\nthird line\ttabbed   trailing spaces   \n"
    "[bold]not markup[/bold] ''' \"\"\" # not a comment = not a key\n"
    "caf\u00e9 \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d \U0001f600 \u200b\u2028\u2029\ufeff \x7f \x00 end"
) * 20


def _base_data() -> dict:
    return {
        "incident": {"observed_on": dt.date(2026, 11, 16), "platform": "facebook", "poster": "parent",
                     "summary": "A parent thanked the staff for the trip."},
        "considerations": {i.id: False for i in POLICY.considerations},
        "checklist": {i.id: False for i in POLICY.checklist},
        "judgement": {i.id: False for i in POLICY.judgements},
    }


def _save_and_load(answers):
    """Save the answers as a new case in a fresh cases folder and load that case back."""
    ref = PolicyRef(POLICY.header.title, POLICY.header.last_reviewed, POLICY.sha256)
    created = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = CaseStore(Path(folder) / "cases")
        case = store.create(
            lambda case_id: Case(id=case_id, created_at=created, recorded_by="Mrs A Example", policy=ref,
                                 answers=answers),
            year=2026,
        )
        return case, store.load(case.id)


@SETTINGS
@given(summary=non_blank_text, location=free_text, other=free_text)
def test_any_summary_location_and_other_text_round_trips_unchanged(summary, location, other):
    """Any summary, location and other text, saved to a case file and loaded again, is exactly as typed."""
    data = _base_data()
    data["incident"]["summary"] = summary
    data["incident"]["location"] = location
    data["checklist"]["other"] = other
    answers = parse_answers(data, POLICY, today=TODAY, source="test")
    assert summary == answers.incident.summary
    saved, loaded = _save_and_load(answers)
    assert answers == loaded.answers
    assert (summary, location, other) == (loaded.answers.incident.summary, loaded.answers.incident.location,
                                          loaded.answers.other)
    assert saved == loaded


@SETTINGS
@given(data=answers_data(POLICY))
def test_any_valid_answers_parse_save_and_load_to_equal_answers(data):
    """Any valid answers mapping parses, is saved as a case and loads back as equal answers."""
    answers = parse_answers(data, POLICY, today=TODAY, source="test")
    saved, loaded = _save_and_load(answers)
    assert answers == loaded.answers
    assert saved == loaded


@SETTINGS
@given(data=answers_data(POLICY))
def test_case_to_dict_and_back_is_the_same_case(data):
    """case_from_dict(case_to_dict(case)) is the case itself."""
    answers = parse_answers(data, POLICY, today=TODAY, source="test")
    ref = PolicyRef(POLICY.header.title, POLICY.header.last_reviewed, POLICY.sha256)
    case = Case(id="2026-0001", created_at=dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC),
                recorded_by="Mr B Sample", policy=ref, answers=answers)
    assert case == case_from_dict(case_to_dict(case))


def test_a_nasty_summary_survives_triage_and_case_show_unchanged(run, tmp_path):
    """A summary full of quotes, backslashes, newlines and odd Unicode comes back from case show --json as typed."""
    data = _base_data()
    data["incident"]["observed_on"] = dt.date.today().isoformat()
    data["incident"]["summary"] = NASTY
    data["incident"]["location"] = NASTY[::-1]
    data["checklist"]["other"] = NASTY.upper()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(data), encoding="utf-8")
    triaged = run("triage", "--answers", answers, "--json")
    assert 0 == triaged.exit_code, triaged.stderr
    doc = json.loads(triaged.stdout)
    shown = run("case", "show", doc["id"], "--json")
    assert 0 == shown.exit_code, shown.stderr
    again = json.loads(shown.stdout)
    assert NASTY == again["incident"]["summary"]
    assert NASTY[::-1] == again["incident"]["location"]
    assert NASTY.upper() == again["answers"]["checklist"]["other"]
    assert {**doc, "evidence": [], "chain_ok": True, "chain_problem": None, "chain_head_stored": doc["chain_head"]} \
        == again
    plain = run("case", "show", doc["id"], env={"COLUMNS": "1000"})
    assert 0 == plain.exit_code, plain.stderr
    assert "[bold]not markup[/bold]" in plain.stdout
