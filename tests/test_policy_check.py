"""policy check finds what cannot work and explains quotes that do not match, every problem in one run."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from hesket_cli.policy import Policy
from hesket_cli.policy_check import (
    Problem,
    check_all,
    check_logic,
    check_quotes,
    problems_document,
)
from hesket_cli.policy_file import parse_policy

from conftest import ROOT

BASE: dict[str, Any] = tomllib.loads((ROOT / "policy.toml").read_text(encoding="utf-8"))
SOURCE = (ROOT / "policy.txt").read_text(encoding="utf-8")


def _policy(edit: Callable[[dict[str, Any]], None] | None = None) -> Policy:
    """The shipped policy, parsed after `edit` changed a deep copy of its TOML data."""
    data = copy.deepcopy(BASE)
    if edit is not None:
        edit(data)
    return parse_policy(data)


def _steps(data: dict[str, Any]) -> dict[str, Any]:
    return data["steps"]  # type: ignore[no-any-return]


def _places(problems: list[Problem]) -> list[str]:
    return [p.place for p in problems]


def _at(problems: list[Problem], place: str) -> list[Problem]:
    return [p for p in problems if p.place == place]


# -- the shipped policy -------------------------------------------------------


def test_the_shipped_policy_and_its_text_have_no_problems() -> None:
    """policy.toml with policy.txt: no logic problem, every quote verbatim, no warning either."""
    assert [] == check_all(_policy(), SOURCE)


# -- logic ----------------------------------------------------------------------


def test_a_step_after_itself_can_never_be_permitted() -> None:
    """A step naming itself in after is reported at its after, in words."""
    problems = check_logic(_policy(lambda d: _steps(d)["written_warning"].update(after=["written_warning"])))
    assert ["steps.written_warning.after"] == _places(problems)
    assert ("written_warning can never be permitted: its after names written_warning itself, so it would have to be "
            "recorded before it could be; remove 'written_warning' from after") == problems[0].message


def test_two_steps_after_each_other_loop_and_both_are_explained() -> None:
    """legal_advice after legal_action after legal_advice: each step names the loop it is caught in."""
    problems = check_logic(_policy(lambda d: _steps(d)["legal_advice"].update(after=["legal_action"])))
    assert ["steps.legal_action.after", "steps.legal_advice.after"] == _places(problems)
    assert ("legal_action can never be permitted: it needs legal_advice, which needs legal_action; break the loop by "
            "removing one of these from after") == problems[0].message


def test_a_longer_loop_is_named_step_by_step() -> None:
    """Three steps in a ring: the explanation follows the whole chain back to the step."""
    def edit(data: dict[str, Any]) -> None:
        _steps(data)["written_warning"]["after"] = ["legal_action"]
        _steps(data)["legal_advice"]["after"] = ["written_warning"]

    problems = _at(check_logic(_policy(edit)), "steps.written_warning.after")
    assert 1 == len(problems)
    assert problems[0].message.startswith("written_warning can never be permitted: it needs legal_action, which needs "
                                          "legal_advice, which needs written_warning;")


def test_a_step_after_a_later_step_is_reported() -> None:
    """written_warning (4th) after contact_provider (5th) contradicts the ladder's order."""
    problems = check_logic(_policy(lambda d: _steps(d)["written_warning"].update(after=["contact_provider"])))
    assert ["steps.written_warning.after"] == _places(problems)
    assert ("written_warning needs contact_provider (after), but contact_provider comes later in the ladder's order "
            "of [steps]") == problems[0].message.split(", which is")[0]


def test_a_first_step_after_an_escalation_step_can_never_be_permitted() -> None:
    """A first step is over once the discussion is recorded; an escalation step comes only after it."""
    def edit(data: dict[str, Any]) -> None:
        steps = _steps(data)
        steps["discuss_and_request_removal"]["after"] = ["written_warning"]

    problems = check_logic(_policy(edit))
    assert "steps.discuss_and_request_removal.after" in _places(problems)
    messages = [p.message.split(", which cannot")[0] for p in _at(problems, "steps.discuss_and_request_removal.after")]
    assert ("discuss_and_request_removal can never be permitted: it is a first step, permitted only until a first "
            "step is recorded, and it needs written_warning") in messages


def test_a_step_needing_a_step_that_can_never_be_permitted_is_reported() -> None:
    """legal_action needs legal_advice, whose when can never hold: legal_action can never be permitted either."""
    problems = check_logic(_policy(lambda d: _steps(d)["legal_advice"].update(when=["not checklist.any"])))
    assert ["steps.legal_action.after", "steps.legal_advice.when"] == _places(problems)
    assert ("legal_action can never be permitted: it needs legal_advice, which can never be permitted "
            "(see steps.legal_advice)") == problems[0].message


def test_a_when_that_can_never_hold_is_an_error() -> None:
    """'not checklist.any' on an escalation step never holds: escalation needs an inappropriate post."""
    problems = check_logic(_policy(lambda d: _steps(d)["restrict_access"].update(when=["not checklist.any"])))
    assert [("steps.restrict_access.when", "error")] == [(p.place, p.severity) for p in problems]
    assert problems[0].message.startswith("restrict_access can never be permitted: its when ('not checklist.any') "
                                          "can never hold for an escalation step")


def test_one_dead_entry_in_a_when_that_can_hold_is_a_warning() -> None:
    """An entry that can never hold beside ones that can: the step works, the entry is only dead weight."""
    problems = check_logic(_policy(lambda d: _steps(d)["restrict_access"].update(
        when=["platform.school_website", "not checklist.any"])))
    assert [("steps.restrict_access.when", "warning")] == [(p.place, p.severity) for p in problems]


def test_escalation_steps_need_an_outcome_that_leads_to_escalation() -> None:
    """With every outcome resolved, each escalation step is unreachable; contact_police only at once."""
    def edit(data: dict[str, Any]) -> None:
        for outcome in data["outcomes"].values():
            outcome["leads_to"] = "resolved"

    problems = check_logic(_policy(edit))
    expected = [("steps.contact_police.stage", "warning"), ("steps.contact_provider.stage", "error"),
                ("steps.legal_action.stage", "error"), ("steps.legal_advice.stage", "error"),
                ("steps.restrict_access.stage", "error"), ("steps.written_warning.stage", "error")]
    assert expected == [(p.place, p.severity) for p in problems]
    assert ("contact_provider can never be permitted: escalation steps follow an outcome with leads_to = "
            "\"escalation\", and no outcome in [outcomes] has it; give one (such as refused) leads_to = "
            "\"escalation\"") == problems[1].message


def test_at_once_when_that_holds_where_when_does_not_is_reported_with_an_example() -> None:
    """A complaint alone would permit the police at once but never as an escalation step."""
    problems = check_logic(_policy(lambda d: _steps(d)["contact_police"].update(
        at_once_when=["checklist.threat_of_violence", "checklist.complaint"])))
    assert ["steps.contact_police.at_once_when"] == _places(problems)
    assert problems[0].message.startswith("'checklist.complaint' can hold where contact_police's when")
    assert "ticking Complaint about the school or staff" in problems[0].message


def test_at_once_checklist_any_is_covered_when_every_item_and_other_are_in_when() -> None:
    """checklist.any implies a when naming every checklist item and other, though no single entry does."""
    everything = [f"checklist.{item}" for item in BASE["checklist"]] + ["checklist.other"]

    def edit(data: dict[str, Any]) -> None:
        _steps(data)["contact_police"].update(when=everything, at_once_when=["checklist.any"])

    assert [] == check_logic(_policy(edit))


def test_at_once_checklist_any_is_not_covered_when_other_is_missing_from_when() -> None:
    """Something else described makes checklist.any hold while no named item does."""
    named = [f"checklist.{item}" for item in BASE["checklist"]]

    def edit(data: dict[str, Any]) -> None:
        _steps(data)["contact_police"].update(when=named, at_once_when=["checklist.any"])

    problems = check_logic(_policy(edit))
    assert ["steps.contact_police.at_once_when"] == _places(problems)
    assert "ticking something else" in problems[0].message


def test_a_not_entry_in_at_once_when_is_covered_by_every_other_poster() -> None:
    """'not poster.pupil' implies a when listing every other poster."""
    others = [f"poster.{p}" for p in BASE["posters"] if p != "pupil"]

    def edit(data: dict[str, Any]) -> None:
        _steps(data)["contact_police"].update(when=others, at_once_when=["not poster.pupil"])

    assert [] == check_logic(_policy(edit))


def test_a_poster_without_a_first_step_is_reported_by_poster() -> None:
    """A first step for parents only leaves relatives, others and unknown posters with nothing to do."""
    problems = check_logic(_policy(lambda d: _steps(d)["discuss_and_request_removal"].update(
        when=["poster.parent", "poster.carer"])))
    assert ["posters.associated", "posters.relative", "posters.unknown"] == _places(problems)
    assert problems[1].message.startswith("no first step can be permitted for a post judged inappropriate by this "
                                          "poster, for example poster Relative, platform Facebook")


def test_a_platform_without_a_first_step_is_reported_by_platform() -> None:
    """First steps limited to Facebook leave every other platform uncovered, for every poster."""
    def edit(data: dict[str, Any]) -> None:
        _steps(data)["discuss_and_request_removal"]["when"] = ["platform.facebook"]
        _steps(data)["discuss_child_use"]["when"] = ["platform.facebook"]

    problems = check_logic(_policy(edit))
    expected = sorted(f"platforms.{p}" for p in BASE["platforms"] if p != "facebook")
    assert expected == _places(problems)


def test_appropriate_posts_with_no_step_are_a_warning() -> None:
    """Without a catch-all appropriate step hesket can only suggest closing: a warning, not an error."""
    problems = check_logic(_policy(lambda d: _steps(d)["no_action"].update(when=["consideration.any"])))
    assert [("steps", "warning")] == [(p.place, p.severity) for p in problems]


def test_an_urgent_step_that_can_never_be_permitted_is_reported() -> None:
    """A step marked urgent whose `after` loops can never be permitted, so its urgency could never show."""
    policy = _policy(lambda d: _steps(d)["contact_police"].update(after=["contact_police"]))
    problems = check_logic(policy)
    assert "steps.contact_police.urgent" in _places(problems)


def test_urgent_when_without_urgent_is_a_warning_that_it_does_nothing() -> None:
    """urgent_when only narrows `urgent = true`: alone it has no effect, and the check says so."""
    def edit(d: dict[str, Any]) -> None:
        police = _steps(d)["contact_police"]
        police.pop("urgent")
        police["urgent_when"] = ["checklist.racist"]

    problems = check_logic(_policy(edit))
    assert [("steps.contact_police.urgent_when", "warning")] == [(p.place, p.severity) for p in problems]


# -- quotes -------------------------------------------------------------------


def _quoted(place: str, quote: str) -> list[Problem]:
    """check_quotes on the shipped policy with one quote changed ('section.id')."""
    section, item = place.split(".")
    return check_quotes(_policy(lambda d: d[section][item].update(policy_text=quote)), SOURCE)


def test_a_straight_apostrophe_for_a_curly_one_is_a_warning_naming_both() -> None:
    """The source's ' typed as ’ is found after folding, with the first folded difference named."""
    problems = _quoted("steps.written_warning", BASE["steps"]["written_warning"]["policy_text"].replace("'", "’"))
    assert [("steps.written_warning.policy_text", "warning")] == [(p.place, p.severity) for p in problems]
    assert ("found in the source (line 64) only after folding typography: the source has ' (U+0027) where the quote "
            "has ’ (U+2019) after \"Set out the school\"; the words match, so this may stay, or copy the source's "
            "characters to match exactly") == problems[0].message


@pytest.mark.parametrize("old, new, named", [
    ("–", "-", "the source has – (U+2013) where the quote has - (U+002D)"),
    ("–", "\u2010", "the source has – (U+2013) where the quote has \u2010 (U+2010)"),
    ("so to do", "so\u00a0to do", "the source has a space (U+0020) where the quote has a no-break space (U+00A0)"),
])
def test_dash_and_no_break_space_variants_are_warnings(old: str, new: str, named: str) -> None:
    """Dashes and no-break spaces are typography: found with a warning that names the characters."""
    base = BASE["steps"]["contact_police"]["policy_text"].replace("do so", "so to do")
    source = SOURCE.replace("do so", "so to do")
    policy = _policy(lambda d: _steps(d)["contact_police"].update(policy_text=base.replace(old, new, 1)))
    problems = check_quotes(policy, source)
    assert [("steps.contact_police.policy_text", "warning")] == [(p.place, p.severity) for p in problems]
    assert named in problems[0].message


def test_an_ellipsis_character_matches_three_dots_with_a_warning() -> None:
    """"…" in the source and "..." in the quote are the same words."""
    source = SOURCE.replace("examples only)", "examples only…)")
    policy = _policy(lambda d: d["other"].update(policy_text="intended to provide examples only..."))
    problems = check_quotes(policy, source)
    assert [("other.policy_text", "warning")] == [(p.place, p.severity) for p in problems]
    assert "the source has … (U+2026) where the quote has . (U+002E)" in problems[0].message


def test_a_word_difference_is_an_error_with_the_nearest_passage_and_first_character() -> None:
    """'in the school' for 'at the school': refused, showing the source's passage, its line and the character."""
    problems = _quoted("checklist.complaint", "Making complaints about the school or staff in the school")
    assert [("checklist.complaint.policy_text", "error")] == [(p.place, p.severity) for p in problems]
    assert ("not found in the source; the nearest passage (96% alike) is at line 51: \"Making complaints about the "
            "school or staff at the school\"; first difference: the source has a (U+0061) where the quote has "
            "i (U+0069) after \"…complaints about the school or staff \"; fix: copy that passage into policy_text, "
            "or correct the words that differ") == problems[0].message


def test_a_case_difference_is_an_error_that_says_it_is_one_of_case() -> None:
    """'posting racist comments' for 'Posting racist comments': an error that names letter case."""
    problems = _quoted("checklist.racist", "posting racist comments")
    assert [("checklist.racist.policy_text", "error")] == [(p.place, p.severity) for p in problems]
    assert ("differs from the source (line 54) only in letter case: the source has P (U+0050) where the quote has "
            "p (U+0070) at the start; letter case must be copied exactly: \"Posting racist comments\"") == (
        problems[0].message)


def test_a_quote_from_another_text_says_no_passage_is_close() -> None:
    """Words the policy never uses are not matched to a random passage as if nearly right."""
    problems = _quoted("checklist.racist", "Feeding the ducks at the village pond on a Sunday")
    assert problems[0].message.startswith("not found in the source, and no passage is close (the nearest, ")


def test_a_long_nearest_passage_is_cut_with_an_ellipsis_around_the_difference() -> None:
    """A long quote's nearest passage is shown around the first difference, cut at spaces with "…"."""
    quote = BASE["steps"]["discuss_child_use"]["policy_text"].replace("at least 13", "at least 16")
    message = _quoted("steps.discuss_child_use", quote)[0].message
    shown = message.split("is at line 57: \"")[1].split("\"; first difference")[0]
    assert (True, True) == (shown.startswith("…"), "at least 13 years old" in shown)
    assert 250 > len(shown)


# -- all together -------------------------------------------------------------


def test_problems_of_every_kind_are_reported_in_one_run_sorted_by_place() -> None:
    """A loop, an at-once problem, a word and an apostrophe: all four at once, in order of place."""
    def edit(data: dict[str, Any]) -> None:
        _steps(data)["legal_advice"]["after"] = ["legal_action"]
        _steps(data)["contact_police"]["at_once_when"] = ["checklist.complaint"]
        data["checklist"]["complaint"]["policy_text"] = "Making complaints about the school or staff in the school"
        _steps(data)["written_warning"]["policy_text"] = _steps(data)["written_warning"]["policy_text"].replace(
            "'", "’")

    problems = check_all(_policy(edit), SOURCE)
    expected = [("checklist.complaint.policy_text", "error"), ("steps.contact_police.at_once_when", "error"),
                ("steps.legal_action.after", "error"), ("steps.legal_advice.after", "error"),
                ("steps.written_warning.policy_text", "warning")]
    assert expected == [(p.place, p.severity) for p in problems]


def test_check_all_without_a_source_checks_logic_only() -> None:
    """No source text: the quotes are not checked, the logic is."""
    policy = _policy(lambda d: d["checklist"]["racist"].update(policy_text="Not in any text at all"))
    assert [] == check_all(policy)


def test_problems_document_is_plain_data_for_json() -> None:
    """--json gets a list of {place, severity, message} in the same order."""
    problems = [Problem("steps.a.after", "it loops", "error"), Problem("other.policy_text", "’ for '", "warning")]
    expected = [{"place": "steps.a.after", "severity": "error", "message": "it loops"},
                {"place": "other.policy_text", "severity": "warning", "message": "’ for '"}]
    assert expected == problems_document(problems)


