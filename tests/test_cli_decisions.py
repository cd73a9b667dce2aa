"""Cases as a school must keep them: reasons for closing, decisions not to act, dates in order, repeat posts,
the people involved, and the safeguarding lead."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cli_cases import TODAY
from cli_cases import ago as _ago
from cli_cases import answers_file as _answers
from cli_cases import record as _record
from cli_cases import triage as _triage

from conftest import snapshot

# -- closing a live case needs a reason -------------------------------------------------------


def test_closing_an_urgent_case_without_a_reason_is_refused_and_nothing_written(run, tmp_path, cases_dir):
    """`close_case` on a case whose next step is the police exits 5 naming what is open; the file is unchanged."""
    doc = _triage(run, _answers(tmp_path, "threat-of-violence"))
    before = snapshot(cases_dir)
    result = run("case", "record", doc["id"], "close_case")
    assert (5, before) == (result.exit_code, snapshot(cases_dir))
    assert "the next step is still: Contact the police (contact_police), and it is urgent" in result.stderr
    assert '--reason "why the case is closed now"' in result.stderr


def test_closing_a_live_case_with_a_reason_is_kept_shown_and_counted(run, tmp_path):
    """With --reason (no --override) the close is recorded with its reason, shown, and counted for governors."""
    doc = _triage(run, _answers(tmp_path))
    closed = _record(run, doc["id"], "close_case", "--reason", "The parent apologised at the gate")
    shown = run("case", "show", doc["id"]).stdout
    summary = json.loads(run("review", "--summary", "--json").stdout)
    assert ("closed", "The parent apologised at the gate", None) == (
        closed["status"], closed["events"][-1]["reason"], closed["events"][-1]["override_reason"])
    assert "Reason: The parent apologised at the gate" in shown
    assert 1 == summary["closed_with_steps_untaken"]


# -- decisions not to act -----------------------------------------------------------------------


def _racist_after_refusal(run, tmp_path) -> str:
    doc = _triage(run, _answers(tmp_path, tick=("racist",), seen=TODAY - dt.timedelta(days=2)))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(1))
    _record(run, doc["id"], "refused")
    return str(doc["id"])


def test_a_declined_police_step_clears_check_and_can_still_be_taken_later(run, tmp_path):
    """After a refusal of a racist post --check exits 6; declining the police clears it; contacting them later
    is recorded as usual."""
    case_id = _racist_after_refusal(run, tmp_path)
    assert 6 == run("review", "--check").exit_code
    declined = run("case", "decline", case_id, "contact_police", "--reason", "Head considered it; not now",
                   "--json")
    doc = json.loads(declined.stdout)
    assert (0, ["contact_police"], "Head considered it; not now") == (
        declined.exit_code, [d["id"] for d in doc["declined"]], doc["declined"][0]["reason"])
    assert "contact_police" in [s["id"] for s in doc["permitted"]]
    assert "contact_police" != doc["next_step"]["id"]
    assert 0 == run("review", "--check").exit_code
    later = _record(run, case_id, "contact_police")
    summary = json.loads(run("review", "--summary", "--json").stdout)
    assert ([], {}) == (later["declined"], summary["declined"])  # taken after all: the decline no longer stands


def test_declining_a_step_the_policy_does_not_permit_is_refused(run, tmp_path, cases_dir):
    """Only a permitted step can be declined: exit 5, nothing written."""
    doc = _triage(run, _answers(tmp_path))
    before = snapshot(cases_dir)
    result = run("case", "decline", doc["id"], "legal_action", "--reason", "No")
    assert (5, before) == (result.exit_code, snapshot(cases_dir))


def test_the_governors_summary_counts_declines_by_step(run, tmp_path):
    """A declined step is counted under `declined` in the summary."""
    case_id = _racist_after_refusal(run, tmp_path)
    run("case", "decline", case_id, "contact_police", "--reason", "Head's decision")
    assert {"contact_police": 1} == json.loads(run("review", "--summary", "--json").stdout)["declined"]


# -- dates that make sense, and a chronology ---------------------------------------------------


def test_an_outcome_dated_before_its_discussion_is_refused_naming_both_dates(run, tmp_path, cases_dir):
    """`refused --on` three days before the discussion exits 3 naming both dates; nothing is written."""
    doc = _triage(run, _answers(tmp_path))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(3))
    before = snapshot(cases_dir)
    result = run("case", "record", doc["id"], "refused", "--on", _ago(6))
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert f"{_ago(6)} is before the discussion it follows (discuss_and_request_removal on {_ago(3)})" in result.stderr


def test_the_history_is_in_date_order_and_late_entries_are_marked(run, tmp_path):
    """Events typed in out of order are listed by the date they happened; one typed in days later is marked."""
    doc = _triage(run, _answers(tmp_path))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(2))
    run("case", "note", doc["id"], "Parent phoned first", "--on", _ago(8))
    history = run("case", "show", doc["id"]).stdout.split("History", 1)[1]
    lines = [line for line in history.splitlines() if line.startswith("  20")]
    assert [_ago(8), _ago(2)] == [line.split()[0] for line in lines if "note" in line or "discuss" in line]
    after = {word: (history.split(word, 1)[1].splitlines() + [""])[1] for word in ("  note  ", "discuss_and_request_removal")}
    assert (True, False) == ("Recorded late" in after["  note  "], "Recorded late" in after["discuss_and_request_removal"])


def test_a_wrong_date_is_corrected_by_a_further_event_keeping_the_original(run, tmp_path):
    """`case correct ID N --on DATE --reason` adds an event; the history shows the corrected date and the old."""
    doc = _triage(run, _answers(tmp_path))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(3))
    corrected = run("case", "correct", doc["id"], "1", "--on", _ago(4), "--reason", "It was the day before",
                    "--json")
    events = json.loads(corrected.stdout)["events"]
    assert (0, 2, _ago(3), _ago(4)) == (corrected.exit_code, len(events), events[0]["on"], events[0]["on_in_effect"])
    shown = run("case", "show", doc["id"], env={"COLUMNS": "200"}).stdout
    assert f"Corrected: recorded as {_ago(3)}" in shown


# -- repeat posts and the people involved -----------------------------------------------------------


def test_a_second_post_after_the_discussion_makes_the_warning_permitted(run, tmp_path):
    """`triage --case ID` after a discussion adds the post and records continued: the warning is permitted."""
    doc = _triage(run, _answers(tmp_path, poster_ref="Parent of 4B pupil (J.S.)"))
    _record(run, doc["id"], "discuss_and_request_removal", "--on", _ago(5))
    second = _answers(tmp_path, seen=TODAY - dt.timedelta(days=1), summary="The same parent posted again.",
                      file="second.toml")
    added = run("triage", "--case", doc["id"], "--answers", second, "--json")
    result = json.loads(added.stdout)
    assert (0, 2, ["post", "continued"]) == (added.exit_code, len(result["posts"]),
                                             [e["event"] for e in result["events"][1:]])
    assert "written_warning" in [s["id"] for s in result["permitted"]]
    assert (doc["incident"], _ago(1)) == (result["incident"], result["posts"][1]["observed_on"])


def test_a_duplicate_triage_warns_and_json_carries_the_warning(run, tmp_path):
    """Triaging the same answers twice warns on stderr and in the JSON's `warnings`."""
    answers = _answers(tmp_path, poster_ref="Parent of 4B pupil")
    first = _triage(run, answers)
    result = run("triage", "--answers", answers, "--json")
    assert 0 == result.exit_code
    assert f"looks like one already recorded in case {first['id']}" in result.stderr
    saved = json.loads(result.stdout)
    assert f"hesket case void {saved['id']} --reason \"a duplicate of {first['id']}\"" in result.stderr
    assert 1 == len(saved["warnings"])


def test_a_colleagues_triage_of_the_same_post_is_warned_about_though_their_index_is_their_own(run, tmp_path):
    """Each login keeps its own index; a post a colleague saved since is still found as a likely duplicate."""
    mine, theirs = {"HESKET_CACHE_DIR": str(tmp_path / "mine")}, {"HESKET_CACHE_DIR": str(tmp_path / "theirs")}
    run("triage", "--answers", _answers(tmp_path, "kind-post", file="kind.toml"), "--json", env=mine)
    answers = _answers(tmp_path, poster_ref="Parent of 4B pupil")
    by_colleague = run("triage", "--answers", answers, "--json", env=theirs)
    again = run("triage", "--answers", answers, "--json", env=mine)
    assert (0, 0) == (by_colleague.exit_code, again.exit_code)
    assert [f"in case {json.loads(by_colleague.stdout)['id']} "] == [
        w[w.index("in case"):][:18] for w in json.loads(again.stdout)["warnings"]]


def test_a_likely_duplicate_is_checked_against_its_case_file_not_taken_from_the_index(run, tmp_path, cases_dir):
    """A case whose file was changed by hand since no longer holds the post, so it is not warned about."""
    answers = _answers(tmp_path, poster_ref="Parent of 4B pupil")
    first = _triage(run, answers)
    path = cases_dir / first["id"] / "case.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Parent of 4B pupil", "Someone else").replace(
        first["incident"]["summary"], "A different post altogether."), encoding="utf-8")
    again = _triage(run, answers)
    assert "warnings" not in again


def test_case_find_finds_words_with_quotes_and_backslashes_and_a_summary_changed_by_hand(run, tmp_path, cases_dir):
    """Text JSON writes escaped is still found, and a summary edited in the case file is found at once."""
    one = _triage(run, _answers(tmp_path, summary='She wrote "sack the head" and C:\\school\\photos.'))
    before = json.loads(run("case", "find", '"sack the HEAD"', "--json").stdout)
    path = cases_dir / one["id"] / "case.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("sack the head", "replace the governors"),
                    encoding="utf-8")
    after = json.loads(run("case", "find", "replace the governors", "--json").stdout)
    slash = json.loads(run("case", "find", "school\\photos", "--json").stdout)
    assert ([one["id"]], [one["id"]], [one["id"]]) == ([m["id"] for m in before], [m["id"] for m in after],
                                                      [m["id"] for m in slash])


def test_case_find_looks_in_a_cases_words_not_in_the_names_of_what_the_index_keeps(run, tmp_path):
    """A word that is only the name of a field hesket keeps for a search ("text", "status") matches no case,
    and the case whose summary holds it is found."""
    one = _triage(run, _answers(tmp_path, summary="The parent's status update quoted a text message."))
    _triage(run, _answers(tmp_path, "kind-post", file="kind.toml"))
    found = [[m["id"] for m in json.loads(run("case", "find", word, "--json").stdout)]
             for word in ("text", "status", "observed_on")]
    assert [[one["id"]], [one["id"]], []] == found


def test_case_find_parses_only_the_records_whose_text_holds_the_words(run, tmp_path, monkeypatch):
    """Once every case's record is in the index, a search parses only those whose text holds the words: not
    those whose other keys do ("text" holds an x)."""
    one = _triage(run, _answers(tmp_path, summary="The parent's post named an extra teacher."))
    _triage(run, _answers(tmp_path, "kind-post", file="kind.toml", summary="A kind post about the fair."))
    run("case", "find", "fair")
    parsed = []
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text, *a, **k: parsed.append(text) or loads(text, *a, **k))
    found = run("case", "find", "x", "--json").stdout
    monkeypatch.undo()
    assert ([one["id"]], 1) == ([m["id"] for m in json.loads(found)], sum('"posts":' in t for t in parsed))


def test_case_find_and_list_poster_find_cases_by_the_poster_reference(run, tmp_path):
    """`case find` searches summaries, references and notes in any case; `case list --poster` filters by reference."""
    one = _triage(run, _answers(tmp_path, poster_ref="Parent of 4B pupil (J.S.)"))
    _triage(run, _answers(tmp_path, "kind-post", file="kind.toml"))
    run("case", "note", one["id"], "Spoke to the class teacher about it")
    found = json.loads(run("case", "find", "j.s.", "--json").stdout)
    by_note = json.loads(run("case", "find", "CLASS TEACHER", "--json").stdout)
    listed = json.loads(run("case", "list", "--poster", "4b", "--json").stdout)
    none = run("case", "find", "nobody like this")
    assert ([one["id"]], [one["id"]], [one["id"]]) == (
        [m["id"] for m in found], [m["id"] for m in by_note], [d["id"] for d in listed])
    assert (0, "No case matched 'nobody like this'.") == (none.exit_code, none.stdout.strip())
    assert "poster_ref" in run("review", "--csv").stdout.splitlines()[0]


# -- the safeguarding lead ---------------------------------------------------------------------------


def test_a_post_naming_children_shows_the_notice_until_the_referral_is_recorded(run, tmp_path):
    """The school's safeguarding notice shows at triage and flags the case until safeguarding_referred (--ref)."""
    doc = _triage(run, _answers(tmp_path, "kind-post", tick=("naming_children",), seen=TODAY))
    assert [("safeguarding", False)] == [(n["id"], n["done"]) for n in doc["notices"]]
    assert 6 == run("review", "--check").exit_code
    run("case", "record", doc["id"], "discuss_and_request_removal")
    referred = _record(run, doc["id"], "safeguarding_referred", "--ref", "CPOMS-12345")
    assert ([("safeguarding", True)], "CPOMS-12345") == (
        [(n["id"], n["done"]) for n in referred["notices"]], referred["events"][-1]["ref"])
    assert 0 == run("review", "--check").exit_code


def test_case_show_says_how_to_record_the_referral_with_its_reference(run, tmp_path):
    """The notice not yet done names the event and its --ref, so what case show suggests is not refused."""
    doc = _triage(run, _answers(tmp_path, "kind-post", tick=("naming_children",), seen=TODAY))
    shown = run("case", "show", doc["id"], env={"COLUMNS": "200"}).stdout
    assert (True, "safeguarding") == ("[not yet done: record safeguarding_referred --ref REF]" in shown,
                                      doc["notices"][0]["id"])


def test_n_in_the_anything_else_question_leaves_the_post_appropriate(run):
    """After the y/N questions, typing `n` at "anything else ... leave blank" records nothing, not the text "n"."""
    typed = ["", "1", "", "1", "", "A parent thanked the staff.", *["n"] * 12, "n", ""]  # 12 y/N questions, then other
    result = run("triage", "--interview", input="\n".join(typed) + "\n", env={"COLUMNS": "120"})
    assert 0 == result.exit_code, result.output
    case = json.loads(run("case", "list", "--json").stdout)[0]
    assert ("appropriate", None) == (case["verdict"], case["answers"]["checklist"].get("other"))


@pytest.mark.parametrize("words", [
    ("case", "decline", "{id}", "discuss_and_request_removal", "--reason", "  "),
    ("case", "void", "{id}", "--reason", ""),
])
def test_a_blank_reason_that_cannot_be_left_out_asks_for_one(run, tmp_path, words):
    """A decision needs its reason: a blank one is refused (exit 2) with a fix that works, never "leave it out"."""
    case_id = _triage(run, _answers(tmp_path))["id"]
    before = snapshot(tmp_path / "cases")
    result = run(*[w.replace("{id}", case_id) for w in words])
    assert (2, "Error: --reason: the text is blank; write it") == (result.exit_code, result.stderr.splitlines()[0])
    assert before == snapshot(tmp_path / "cases")


def test_a_new_post_by_the_poster_of_an_open_case_points_to_that_case(run, tmp_path):
    """Another post by the same poster reference (another day, other words) while their case is open is saved with a
    warning naming that case and how to add the post to it, where the policy's steps carry on."""
    first = _triage(run, _answers(tmp_path, poster_ref="Parent of 5C pupil (R.K.)"))
    later = _answers(tmp_path, poster_ref="parent of 5c pupil (r.k.)", seen=TODAY - dt.timedelta(days=2),
                     summary="The same parent posted again about the trip.", file="later.toml")
    result = run("triage", "--answers", later, "--json")
    assert 0 == result.exit_code, result.stderr
    saved = json.loads(result.stdout)
    assert [f"the poster 'parent of 5c pupil (r.k.)' already has an open case, {first['id']}; if this is the same "
            "person posting again, the post belongs in that case, where the policy's steps carry on: hesket case void "
            f"{saved['id']} --reason \"a repeat post of {first['id']}\", then hesket triage --case {first['id']}"] == (
        saved["warnings"])


def test_a_new_post_by_the_poster_of_a_closed_case_is_a_new_case_without_a_warning(run, tmp_path):
    """Once the poster's case is closed, a new post starts a new case: nothing to warn about."""
    first = _triage(run, _answers(tmp_path, poster_ref="Parent of 5C pupil (R.K.)"))
    assert 0 == run("case", "record", first["id"], "close_case", "--reason", "resolved in a meeting").exit_code
    later = _answers(tmp_path, poster_ref="Parent of 5C pupil (R.K.)", seen=TODAY - dt.timedelta(days=2),
                     summary="The same parent posted again about the trip.", file="later.toml")
    result = run("triage", "--answers", later, "--json")
    assert (0, [], "") == (result.exit_code, json.loads(result.stdout).get("warnings", []), result.stderr)
