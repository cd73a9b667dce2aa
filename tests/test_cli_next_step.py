"""What triage and record say next: urgency, the command that records the next step, and what is left to do."""

from __future__ import annotations

import json

from conftest import EXAMPLES

WIDE = {"COLUMNS": "200"}


def _triage(run, name: str) -> tuple[str, str]:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--by", "Mrs A Example", env=WIDE)
    assert 0 == result.exit_code, result.stderr
    case_id = result.stdout.split("Saved as case ", 1)[1].split(".", 1)[0]
    return case_id, result.stdout


def _lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


def test_triage_of_a_threat_of_violence_says_urgent_and_why(run):
    """Triage of a threat of violence says URGENT with the engine's reason, before the next step."""
    _, shown = _triage(run, "threat-of-violence")
    assert ["URGENT: contact_police is permitted at once and not yet taken"] == _lines(shown, "URGENT")
    assert shown.index("URGENT") < shown.index("Next step:")


def test_triage_of_a_post_with_nothing_urgent_does_not_say_urgent(run):
    """A complaint in the wrong channel is not urgent, and triage does not say so."""
    _, shown = _triage(run, "complaint-wrong-channel")
    assert [] == _lines(shown, "URGENT")


def test_triage_shows_the_command_that_records_the_next_step(run):
    """After triage, the office is shown what to type next: `hesket case record ID discuss_and_request_removal`."""
    case_id, shown = _triage(run, "complaint-wrong-channel")
    assert [f"Record it with: hesket case record {case_id} discuss_and_request_removal"] == _lines(shown, "Record it")


def test_a_dry_run_shows_no_command_to_record(run):
    """A --dry-run saves no case, so there is no case id to record anything against."""
    result = run("triage", "--dry-run", "--answers", EXAMPLES / "complaint-wrong-channel.toml", env=WIDE)
    assert (0, []) == (result.exit_code, _lines(result.stdout, "Record it"))


def test_while_an_outcome_is_awaited_the_command_names_outcome_and_the_outcomes_follow(run):
    """After the discussion: `Record it with: hesket case record ID OUTCOME`, then the outcomes to choose from."""
    case_id, _ = _triage(run, "complaint-wrong-channel")
    shown = run("case", "record", case_id, "discuss_and_request_removal", env=WIDE).stdout
    assert ([f"Record it with: hesket case record {case_id} OUTCOME"],
            ["Outcomes that may be recorded: removed, refused, continued"]) == (
        _lines(shown, "Record it"), _lines(shown, "Outcomes"))


def test_a_step_already_taken_is_not_listed_as_permitted_now(run):
    """After no_action, `Permitted now: no_action` is not shown; the next step is to close the case."""
    case_id, _ = _triage(run, "kind-post")
    shown = run("case", "record", case_id, "no_action", env=WIDE).stdout
    assert ([], [f"Record it with: hesket case record {case_id} close_case"]) == (
        _lines(shown, "Permitted now"), _lines(shown, "Record it"))


def test_an_escalation_step_taken_leaves_the_others_listed(run):
    """After a refusal and a written warning, the steps still to consider are listed, the warning not."""
    case_id, _ = _triage(run, "defamatory-post")
    for event in ("discuss_and_request_removal", "refused"):
        assert 0 == run("case", "record", case_id, event).exit_code
    shown = run("case", "record", case_id, "written_warning", env=WIDE).stdout
    assert ["Permitted now: contact_provider, legal_advice"] == _lines(shown, "Permitted now")


def test_after_the_post_is_removed_no_outcomes_are_offered(run):
    """After `removed`, outcomes are not listed; the case is to be closed, or a later post added."""
    case_id, _ = _triage(run, "complaint-wrong-channel")
    assert 0 == run("case", "record", case_id, "discuss_and_request_removal").exit_code
    shown = run("case", "record", case_id, "removed", env=WIDE).stdout
    assert ([], [f"If the parent posts again: hesket triage --case {case_id}"]) == (
        _lines(shown, "Outcomes"), _lines(shown, "If the parent"))


def test_the_json_of_a_case_says_why_it_is_urgent(run):
    """`urgent` in the JSON holds the engine's reasons (empty when nothing is urgent)."""
    threat = json.loads(run("triage", "--answers", EXAMPLES / "threat-of-violence.toml", "--json").stdout)
    kind = json.loads(run("triage", "--answers", EXAMPLES / "kind-post.toml", "--json").stdout)
    assert (["contact_police is permitted at once and not yet taken"], []) == (threat["urgent"], kind["urgent"])


def test_reopen_case_on_an_open_case_does_not_suggest_an_override(run):
    """reopen_case on an open case is refused (exit 5) without suggesting --override, which could not help."""
    case_id, _ = _triage(run, "complaint-wrong-channel")
    result = run("case", "record", case_id, "reopen_case")
    assert (5, True, False) == (result.exit_code, "the case is already open" in result.stderr,
                                "--override" in result.stderr)
