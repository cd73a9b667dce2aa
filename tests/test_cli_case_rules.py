"""A case's history keeps the policy's rules however it is changed: corrected dates, later posts, duplicate posts
within a case, searches, declines and the safeguarding reference."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cli_cases import TODAY, answers_file
from cli_cases import ago as _ago
from cli_cases import record as _record
from cli_cases import triage as _triage

from conftest import snapshot


def _answers(tmp_path: Path, *, seen: int = 10, summary: str | None = None, poster_ref: str | None = None,
             file: str = "answers.toml") -> Path:
    """The example complaint as an answers file, seen `seen` days ago."""
    return answers_file(tmp_path, seen=TODAY - dt.timedelta(days=seen), summary=summary, poster_ref=poster_ref,
                        file=file)


def _discussed_and_refused(run, tmp_path: Path) -> str:
    """A case seen 10 days ago, discussed 8 days ago (event 1), refused 6 days ago (event 2)."""
    doc = _triage(run, _answers(tmp_path))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(8))
    _record(run, doc["id"], "refused", "--on", _ago(6))
    return str(doc["id"])


# -- a corrected date obeys the rules a recorded one does ---------------------------------------------------


def test_correcting_a_discussion_to_after_its_outcome_is_refused_naming_both_dates(run, tmp_path, cases_dir):
    """Moving the discussion after the refusal that follows it exits 3, names both dates, and writes nothing."""
    case_id = _discussed_and_refused(run, tmp_path)
    before = snapshot(cases_dir)
    result = run("case", "correct", case_id, "1", "--on", _ago(5), "--reason", "x")
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert (f"Error: --on: event 1 (discuss_and_request_removal) cannot be moved to that date: {_ago(5)} is after "
            f"event 2 (refused on {_ago(6)}), which follows discuss_and_request_removal in the policy") in \
        " ".join(result.stderr.split())
    assert 1 == len(result.stderr.strip().splitlines())


def test_correcting_an_outcome_to_before_its_discussion_is_refused_naming_both_dates(run, tmp_path, cases_dir):
    """Moving the refusal before the discussion it follows exits 3 as recording it so would; nothing is written."""
    case_id = _discussed_and_refused(run, tmp_path)
    before = snapshot(cases_dir)
    result = run("case", "correct", case_id, "2", "--on", _ago(9), "--reason", "x")
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert (f"{_ago(9)} is before the discussion it follows (discuss_and_request_removal on {_ago(8)})"
            in " ".join(result.stderr.split()))


def test_correcting_an_outcome_to_the_day_of_its_discussion_is_accepted(run, tmp_path):
    """The same day is not before: the correction is recorded and the history shows the new date."""
    case_id = _discussed_and_refused(run, tmp_path)
    result = run("case", "correct", case_id, "2", "--on", _ago(8), "--reason", "Refused on the phone", "--json")
    assert (0, _ago(8)) == (result.exit_code, json.loads(result.stdout)["events"][1]["on_in_effect"])


def test_correcting_an_outcome_to_after_the_escalation_it_permitted_is_refused(run, tmp_path, cases_dir):
    """The written warning follows the refusal: the refusal cannot be moved after the warning."""
    case_id = _discussed_and_refused(run, tmp_path)
    _record(run, case_id, "written_warning", "--on", _ago(4))
    before = snapshot(cases_dir)
    result = run("case", "correct", case_id, "2", "--on", _ago(3), "--reason", "x")
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert f"is after event 3 (written_warning on {_ago(4)})" in " ".join(result.stderr.split())


# -- a later post continues only what it follows -------------------------------------------------------------


def _discussed(run, tmp_path: Path) -> str:
    """A case seen 6 days ago, its discussion held 5 days ago."""
    doc = _triage(run, _answers(tmp_path, seen=6, poster_ref="Parent of 4B pupil (J.S.)"))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(5))
    return str(doc["id"])


def test_a_post_seen_before_the_discussion_is_added_without_continued(run, tmp_path):
    """A "later" post seen before the discussion adds the post but no `continued`, and says so plainly."""
    case_id = _discussed(run, tmp_path)
    earlier = _answers(tmp_path, seen=15, summary="An older post found since.", file="earlier.toml")
    added = run("triage", "--case", case_id, "--answers", earlier, "--json")
    doc = json.loads(added.stdout)
    assert (0, ["discuss_and_request_removal", "post"]) == (added.exit_code, [e["event"] for e in doc["events"]])
    assert [f"post 2 was added as a post only: it was seen on {_ago(15)}, before the discussion "
            f"(discuss_and_request_removal on {_ago(5)}), so it does not show that the parent continued after "
            "being asked: continued was not recorded"] == doc["warnings"]
    assert "written_warning" not in [s["id"] for s in doc["permitted"]]


def test_the_message_says_a_post_seen_before_the_discussion_records_no_continued(run, tmp_path):
    """The person reading the result is told the post was added as a post only, and why."""
    case_id = _discussed(run, tmp_path)
    earlier = _answers(tmp_path, seen=5, summary="A post seen the day of the discussion.", file="same.toml")
    before = _answers(tmp_path, seen=8, summary="An older post found since.", file="earlier.toml")
    same_day = json.loads(run("triage", "--case", case_id, "--answers", earlier, "--json").stdout)
    result = run("triage", "--case", case_id, "--answers", before, env={"COLUMNS": "200"})
    assert "continued" == same_day["events"][-1]["event"]  # seen the day of the discussion: it continues
    assert (f"Added the post to case {case_id} (post 3) as a post only: it was seen before the discussion, so "
            "continued was not recorded.") in result.stdout


def test_a_post_seen_before_the_first_post_is_kept_and_the_history_keeps_date_order(run, tmp_path):
    """An added post dated before the case's first post is a real post by that person: it is kept, and the
    history's events are listed by date (the JSON's `on_in_effect`), the post before the discussion."""
    case_id = _discussed(run, tmp_path)
    oldest = _answers(tmp_path, seen=30, summary="A post from last month found since.", file="oldest.toml")
    added = run("triage", "--case", case_id, "--answers", oldest, "--json")
    doc = json.loads(added.stdout)
    history = run("case", "show", case_id, env={"COLUMNS": "200"}).stdout.split("History", 1)[1]
    dated = [line.split()[:2] for line in history.splitlines() if line.startswith("  20") and "[" in line]
    assert (0, [_ago(6), _ago(30)]) == (added.exit_code, [p["observed_on"] for p in doc["posts"]])
    assert [[_ago(30), "post"], [_ago(5), "discuss_and_request_removal"]] == dated


# -- a post added twice to a case is warned about ------------------------------------------------------------


def test_adding_the_same_post_to_a_case_twice_warns_on_stderr_and_in_json(run, tmp_path):
    """`triage --case ID --answers` with the same answers twice: the second says the post looks like post 2."""
    case_id = _discussed(run, tmp_path)
    second = _answers(tmp_path, seen=1, summary="The same parent posted again.", file="second.toml")
    first = run("triage", "--case", case_id, "--answers", second, "--json")
    again = run("triage", "--case", case_id, "--answers", second, "--json")
    warning = (f"this post looks like post 2 already in case {case_id} (same date, platform and poster reference, "
               f"or the same summary); posts are never removed: if it is the same post, say so with: hesket case "
               f"note {case_id} \"post 3 repeats post 2\"")
    assert (0, 0, "warnings" in json.loads(first.stdout)) == (first.exit_code, again.exit_code, False)
    assert [warning] == json.loads(again.stdout)["warnings"]
    assert f"Warning: {warning}" == " ".join(again.stderr.split())


def test_a_post_like_the_cases_first_post_is_warned_about_when_added_to_it(run, tmp_path):
    """The case's first post counts too: the same summary added to it again is warned about."""
    case_id = _discussed(run, tmp_path)
    repeat = _answers(tmp_path, seen=2, file="repeat.toml")  # the first post's summary, another day
    added = run("triage", "--case", case_id, "--answers", repeat, "--json")
    assert [f"this post looks like post 1 already in case {case_id}"] == [
        w.split(" (")[0] for w in json.loads(added.stdout)["warnings"]]


def test_the_interview_asks_before_adding_a_post_like_one_in_the_case(run, tmp_path, cases_dir, monkeypatch):
    """After the interview, `triage --case` asks before adding a post like one already in the case; `n` saves
    nothing. (The interview itself is replaced by the answers it would give: this is the question after it.)"""
    from hesket_cli.casework.triage import read_answers
    from hesket_cli.cli import triage as cli_triage

    case_id = _discussed(run, tmp_path)
    same = _answers(tmp_path, seen=6, poster_ref="Parent of 4B pupil (J.S.)", summary="Reworded.", file="same.toml")
    monkeypatch.setattr(cli_triage, "_interview", lambda ctx, place, now, *rest: read_answers(place, str(same), now))
    before = snapshot(cases_dir)
    result = run("triage", "--case", case_id, "--interview", input="n\n")
    assert (0, before) == (result.exit_code, snapshot(cases_dir))
    assert (f"Warning: this post looks like post 1 already in case {case_id}", "Stopped: nothing was saved.") == (
        result.stderr.split(" (")[0], result.stderr.strip().splitlines()[-1])


# -- a search for nothing is a mistake, not a list of everything ---------------------------------------------


def test_case_find_with_empty_or_blank_text_is_a_usage_error(run, tmp_path):
    """`case find ""` (or spaces) would match every case: exit 2, one Error: line saying so and what to do."""
    _triage(run, _answers(tmp_path))
    results = [run("case", "find", text) for text in ("", "   ")]
    assert [2, 2] == [r.exit_code for r in results]
    assert [["Error: the text to find is empty, so it would match every case; give a word or two to look for "
             "(hesket case find \"J.S.\"), or list every case with: hesket case list --status all"]] * 2 == [
        [" ".join(r.stderr.split())] for r in results]


def test_case_list_with_an_empty_or_blank_poster_is_a_usage_error(run, tmp_path):
    """`case list --poster ""` (or spaces) would list every case: exit 2, one Error: line naming --poster."""
    _triage(run, _answers(tmp_path))
    results = [run("case", "list", "--poster", text, *json_flag) for text in ("", " \t") for json_flag in ((), ("--json",))]
    assert [2] * 4 == [r.exit_code for r in results]
    assert {"Error: --poster: the text is empty, so it would match every case; give part of a poster reference "
            "(--poster \"4B\"), or leave --poster out to list every case"} == {" ".join(r.stderr.split())
                                                                               for r in results}


# -- the smaller gaps --------------------------------------------------------------------------------------


def test_declining_an_unknown_step_is_the_same_usage_error_record_gives(run, tmp_path, cases_dir):
    """`case decline ID nosuch` exits 2 with "unknown step", a near name where there is one, and the steps."""
    doc = _triage(run, _answers(tmp_path))
    before = snapshot(cases_dir)
    typo = run("case", "decline", doc["id"], "contact_polise", "--reason", "x")
    nothing_like = run("case", "decline", doc["id"], "nosuch", "--reason", "x")
    assert (2, 2, before) == (typo.exit_code, nothing_like.exit_code, snapshot(cases_dir))
    assert "Error: unknown step 'contact_polise'; did you mean contact_police? valid steps: " \
        "signpost_private_channel, no_action, " in " ".join(typo.stderr.split())
    assert "Error: unknown step 'nosuch'; valid steps: " in " ".join(nothing_like.stderr.split())


def test_recording_the_safeguarding_referral_without_ref_is_a_usage_error_naming_ref(run, tmp_path, cases_dir):
    """The notice asks for the safeguarding log's reference: without --ref, exit 2 naming --ref; nothing written."""
    doc = _triage(run, _answers(tmp_path))
    before = snapshot(cases_dir)
    result = run("case", "record", doc["id"], "safeguarding_referred")
    assert (2, before) == (result.exit_code, snapshot(cases_dir))
    assert (f"Error: --ref: safeguarding_referred records the safeguarding log's reference (CPOMS, MyConcern); add "
            f"it: hesket case record {doc['id']} safeguarding_referred --ref REF") == " ".join(result.stderr.split())


def test_the_template_has_a_commented_poster_ref_line_after_poster_and_it_is_read(run, tmp_path):
    """`triage --template` offers `poster_ref` in [incident], explained like the others; filled in, it is kept."""
    template = run("triage", "--template").stdout
    incident = template.split("[incident]\n", 1)[1].split("\n\n", 1)[0].splitlines()
    keys = [line.split(" = ")[0] for line in incident]
    filled = template.replace('summary = ""', 'summary = "A post."').replace('poster_ref = ""', 'poster_ref = "J.S."')
    (tmp_path / "filled.toml").write_text(filled, encoding="utf-8")
    saved = _triage(run, tmp_path / "filled.toml")
    assert ["observed_on", "platform", "location", "poster", "poster_ref", "summary"] == keys
    assert "# the school's label for the person" in incident[4]
    assert "J.S." == saved["incident"]["poster_ref"]


def test_case_find_shows_platform_titles_and_its_json_keeps_ids(run, tmp_path):
    """A person reads "WhatsApp", as the policy titles it; a script gets the id `whatsapp`."""
    doc = _triage(run, _answers(tmp_path, poster_ref="Parent of 4B pupil (J.S.)"))
    shown = run("case", "find", "J.S.").stdout.splitlines()[0].split("  ")
    found = json.loads(run("case", "find", "J.S.", "--json").stdout)
    assert ([doc["id"], _ago(10), "WhatsApp", "open"], "whatsapp") == (shown[:4], found[0]["platform"])


def test_the_governors_summary_names_declined_steps_by_their_titles(run, tmp_path):
    """The summary's "Steps considered and not taken" reads as the policy titles the step, not its id."""
    doc = _triage(run, _answers(tmp_path, seen=3))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(2))
    _record(run, doc["id"], "refused")
    run("case", "decline", doc["id"], "written_warning", "--reason", "Governors' decision")
    summary = run("review", "--summary", env={"COLUMNS": "120"}).stdout
    section = summary.split("Steps considered and not taken", 1)[1].split("\n\n", 1)[0]
    assert ["Write to the parent with a warning, asking for the post to be removed", "1"] == section.split("\n", 1)[1].strip().rsplit(None, 1)
