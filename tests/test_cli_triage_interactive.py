"""hesket triage asking the questions (--interview with typed input): each path, what is saved, and what is not."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from hesket_cli.interview import questions
from hesket_cli.policy import fold_whitespace
from hesket_cli.policy_file import load_policy

from conftest import EXAMPLES, POLICY_FILE, ROOT, case_folders

POLICY_DATA = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
WIDE = {"COLUMNS": "200"}
SUMMARY = "A fictional relative, Mx Quill-Hartley, called the Year 4 teacher useless."
POSTER_REF = "Aunt of a 4B pupil (R.T.)"
REVIEW_PROMPT = "Type a number to change that answer, or press Enter to save [save]: "
STOPPED = "Stopped: nothing was saved."
INTERRUPTED = "Interrupted: nothing was saved."
BOX = ("\u256d", "\u2502", "\u2570")  # ╭ │ ╰
# Not part of the comparison of two cases: they differ between any two saves.
VOLATILE = ("id", "created_at", "recorded_by", "chain_head", "chain_head_stored")


def _today() -> dt.date:
    return dt.date.today()


def _typed(lines) -> str:
    return "".join(f"{line}\n" for line in lines)


def _kind_post(summary: str = SUMMARY) -> list[str]:
    """Enter at every question but the platform (10: Another site, which has no default) and the summary:
    19 answers, appropriate."""
    return ["", "10", "", "", "", summary] + [""] * 13


def _at(key: str) -> int:
    """Where the answer to a question comes in a list of answers to every question (its number less one)."""
    return [q.key for q in questions(load_policy(POLICY_FILE), _today())].index(key)


def _complaint_post() -> list[str]:
    """The full worked example: a relative's complaint on X, with something else described and two judgements."""
    return [
        (_today() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),  # date seen
        "x",                                                     # platform
        "Year 4 parents' group",                                  # where exactly
        "3",                                                     # posted by: relative
        POSTER_REF,                                              # poster reference
        SUMMARY,
        "n", "", "y", "",                                        # considerations: not the channel; unjustified
        "", "", "", "y", "", "y", "", "",                         # checklist: complaint, offensive
        "Shared a class photograph without permission",          # anything else
        "y",                                                     # harassment (grossly offensive then not asked)
        "y",                                                     # legal advice warranted
    ]


def _complaint_answers_file() -> str:
    """The same answers as _complaint_post, written as an answers file."""
    yesterday = (_today() - dt.timedelta(days=1)).isoformat()
    return f"""
[incident]
observed_on = {yesterday}
platform = "x"
location = "Year 4 parents' group"
poster = "relative"
poster_ref = "{POSTER_REF}"
summary = "{SUMMARY}"

[considerations]
wrong_channel = true
private_discussion_better = false
unjustified_harm = true
reputational_impact = false

[checklist]
naming_children = false
staff_allegation = false
cyberbullying = false
complaint = true
defamatory = false
offensive = true
racist = false
threat_of_violence = false
other = "Shared a class photograph without permission"

[judgement]
harassment = true
grossly_offensive = false
legal_warranted = true
"""


def _interview(run, lines, *args, env=None):
    return run("triage", "--interview", "--by", "Mr T Tester", *args, input=_typed(lines), env={**WIDE, **(env or {})})


def _show_json(run, case_id: str, cases: os.PathLike | None = None) -> dict:
    env = {"HESKET_CASES_DIR": str(cases)} if cases else None
    result = run("case", "show", case_id, "--json", env=env)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _without_volatile(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in VOLATILE}


def _case_id() -> str:
    return f"{_today().year}-0001"


def _after_review(stdout: str) -> str:
    """What was printed after the last review prompt: the saved case."""
    return stdout.rsplit(REVIEW_PROMPT, 1)[1]


def _assert_nothing_saved(result, cases_dir, code: int, message: str) -> None:
    assert (code, False) == (result.exit_code, cases_dir.exists()), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# -- a whole interview ------------------------------------------------------------


def test_a_whole_interview_saves_the_case_that_triage_answers_gives(run, tmp_path, cases_dir):
    """The interview's case has the same assessment, answers and incident as triage --answers with the same answers."""
    result = _interview(run, _complaint_post() + [""])
    assert 0 == result.exit_code, result.stderr
    assert [_case_id()] == case_folders(cases_dir)
    answers = tmp_path / "same.toml"
    answers.write_text(_complaint_answers_file(), encoding="utf-8")
    other = tmp_path / "by-answers"
    by_file = run("triage", "--answers", answers, env={"HESKET_CASES_DIR": str(other)})
    assert 0 == by_file.exit_code, by_file.stderr
    from_interview = _show_json(run, _case_id())
    from_file = _show_json(run, _case_id(), other)
    assert _without_volatile(from_file) == _without_volatile(from_interview)
    assert ("inappropriate", ["wrong_channel", "unjustified_harm", "complaint", "offensive", "other", "harassment",
                              "legal_warranted"]) == (from_interview["verdict"], [r["id"] for r in from_interview["reasons"]])


def test_after_saving_the_output_is_what_triage_answers_prints(run, tmp_path):
    """Enter at the review prints exactly what triage --answers prints for the same answers (but the time saved)."""
    result = _interview(run, _complaint_post() + [""])
    assert 0 == result.exit_code, result.stderr
    answers = tmp_path / "same.toml"
    answers.write_text(_complaint_answers_file(), encoding="utf-8")
    by_file = run("triage", "--answers", answers, "--by", "Mr T Tester",
                  env={"HESKET_CASES_DIR": str(tmp_path / "by-answers"), **WIDE})
    assert 0 == by_file.exit_code, by_file.stderr

    def steady(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("Recorded by: Mr T Tester, ")]

    assert steady(by_file.stdout) == steady(_after_review(result.stdout))
    assert f"Saved as case {_case_id()}. See it again with: hesket case show {_case_id()}" in result.stdout


def test_a_kind_post_is_saved_as_appropriate_with_no_action_next(run, cases_dir):
    """Enter at every question but the summary saves an appropriate post whose next step is no_action."""
    result = _interview(run, _kind_post() + [""])
    assert 0 == result.exit_code, result.stderr
    doc = _show_json(run, _case_id())
    assert ("appropriate", "no_action", "other", "parent", _today().isoformat(), "Mr T Tester") == (
        doc["verdict"], doc["next_step"]["id"], doc["incident"]["platform"], doc["incident"]["poster"],
        doc["incident"]["observed_on"], doc["recorded_by"])


def _with_poster_ref(poster_ref: str, summary: str = SUMMARY) -> list[str]:
    """A kind post (and the review's Enter) with this typed at the poster reference question."""
    lines = _kind_post(summary)
    lines[_at("incident.poster_ref")] = poster_ref
    return lines + [""]


def test_the_poster_reference_typed_is_saved_in_the_case(run, cases_dir):
    """What is typed at the poster reference question is the case's incident.poster_ref (case show --json)."""
    result = _interview(run, _with_poster_ref(POSTER_REF))
    assert 0 == result.exit_code, result.stderr
    assert POSTER_REF == _show_json(run, _case_id())["incident"]["poster_ref"]


@pytest.mark.parametrize("typed", ["", "n", "none"])
def test_a_blank_or_n_poster_reference_saves_none(run, cases_dir, typed):
    """Enter, n or none at the poster reference saves no poster reference (null in the JSON), as an answers file
    without one."""
    result = _interview(run, _with_poster_ref(typed))
    assert 0 == result.exit_code, result.stderr
    assert None is _show_json(run, _case_id())["incident"]["poster_ref"]


def test_case_find_finds_a_case_by_the_poster_reference_typed(run, cases_dir):
    """`case find` finds an interview's case by part of the poster reference typed, in any letter case."""
    assert 0 == _interview(run, _with_poster_ref(POSTER_REF)).exit_code
    assert 0 == _interview(run, _with_poster_ref("", "A fictional parent thanked the office.")).exit_code
    found = run("case", "find", "4b PUPIL")
    assert (0, f"{_case_id()}  {_today().isoformat()}  Another site  open  ({POSTER_REF})\n1 case matched.\n") == (
        found.exit_code, found.stdout)


def test_a_different_poster_reference_on_the_same_date_and_platform_is_saved_without_asking(run, cases_dir):
    """Two posts on the same date and platform by people with different poster references are not duplicates."""
    first = _interview(run, _with_poster_ref(POSTER_REF))
    second = _interview(run, _with_poster_ref("Parent of 5C pupil (D.W.)", "A fictional parent praised the trip."))
    assert (0, 0, "", [_case_id(), f"{_today().year}-0002"]) == (
        first.exit_code, second.exit_code, second.stderr, case_folders(cases_dir))


# -- progress, help, back, wrong entries ----------------------------------------------


def test_progress_starts_at_question_1_of_22_and_a_kind_post_ends_at_19(run):
    """With the shipped policy the first question is 'Question 1 of 22'; a kind post ends at question 19,
    the judgement questions being skipped, and the review says so."""
    result = _interview(run, _kind_post() + [""])
    assert 0 == result.exit_code, result.stderr
    assert (True, True, False) == ("Question 1 of 22" in result.stdout, "Question 19 of 22" in result.stdout,
                                   "Question 20" in result.stdout)
    assert "Questions 20, 21 and 22 were not needed" in result.stdout


def test_the_total_does_not_change_when_a_complaint_is_ticked(run):
    """Ticking a complaint at question 14 asks the judgement questions; every question is still 'of 22'."""
    lines = _kind_post()
    lines[_at("checklist.complaint")] = "y"
    result = _interview(run, lines + ["", "", ""] + [""])
    assert 0 == result.exit_code, result.stderr
    shown = [line.strip("╭─ ") for line in result.stdout.splitlines() if "Question " in line]
    assert [f"Question {n} of 22" for n in range(1, 23)] == [line.split(" ─")[0] for line in shown]


def test_each_question_shows_the_policys_words(run):
    """Each consideration and checklist question shows 'The policy: “...”' with its policy_text."""
    result = _interview(run, _kind_post() + [""], "--plain")
    assert 0 == result.exit_code, result.stderr
    text = fold_whitespace(result.stdout)
    for section in ("considerations", "checklist"):
        for ident, item in POLICY_DATA[section].items():
            assert f"The policy: \u201c{fold_whitespace(item['policy_text'])}\u201d" in text, ident


def test_judgement_questions_say_why_they_are_asked(run):
    """After a complaint each judgement question is asked with its 'Asked because ...' explanation."""
    lines = _kind_post()
    lines[_at("checklist.complaint")] = "y"
    result = _interview(run, lines + ["", "", ""] + [""], "--plain")
    assert 0 == result.exit_code, result.stderr
    text = fold_whitespace(result.stdout)
    for ident, item in POLICY_DATA["judgement"].items():
        assert item["question"] in text, ident
        assert item["help"] in text, ident


def test_no_judgement_question_is_asked_for_a_kind_post(run):
    """A kind post is saved without any judgement question or 'Asked because' line."""
    result = _interview(run, _kind_post() + [""], "--plain")
    assert 0 == result.exit_code, result.stderr
    assert [] == [item["question"] for item in POLICY_DATA["judgement"].values() if item["question"] in result.stdout]
    assert "Asked because" not in result.stdout


def test_question_mark_shows_the_policy_text_of_that_question(run):
    """? at the defamatory question shows 'The policy says: “...”' with its policy_text, then the example."""
    lines = _kind_post()
    lines.insert(_at("checklist.defamatory"), "?")
    result = _interview(run, lines + [""], "--plain")
    assert 0 == result.exit_code, result.stderr
    item = POLICY_DATA["checklist"]["defamatory"]
    assert f"The policy says: \u201c{item['policy_text']}\u201d\n{item['help']}\n" in result.stdout


def test_b_goes_back_and_ticking_an_item_makes_the_post_inappropriate(run):
    """From 'anything else', b twice reaches racist comments; ticking it saves an inappropriate case with that reason."""
    lines = _kind_post()[:_at("checklist.other")] + ["b", "b", "y", "", "", ""]
    result = _interview(run, lines + [""])
    assert 0 == result.exit_code, result.stderr
    doc = _show_json(run, _case_id())
    assert ("inappropriate", ["racist"], "discuss_and_request_removal") == (
        doc["verdict"], [r["id"] for r in doc["reasons"]], doc["next_step"]["id"])


def test_b_keeps_the_answers_after_the_one_gone_back_to(run):
    """Going back from question 7 to 3 and changing the location keeps the platform, poster, poster reference and
    summary typed."""
    lines = ["", "4", "Year 4 parents' group", "3", POSTER_REF, SUMMARY, "b", "b", "b", "b", "Year 5 parents' group",
             "", "", ""] + [""] * 13
    result = _interview(run, lines + [""])
    assert 0 == result.exit_code, result.stderr
    incident = _show_json(run, _case_id())["incident"]
    assert ("whatsapp", "Year 5 parents' group", "relative", POSTER_REF, SUMMARY) == (
        incident["platform"], incident["location"], incident["poster"], incident["poster_ref"], incident["summary"])


@pytest.mark.parametrize("key, wrong, prompt, hint", [
    ("incident.observed_on", "32/13/2026", "Answer [{today}]: ",
     "That is not a date: type it as YYYY-MM-DD or DD/MM/YYYY, or 'today'."),
    ("incident.observed_on", "future", "Answer [{today}]: ", "That date is in the future (today is {today})."),
    ("incident.observed_on", "01/01/1900", "Answer [{today}]: ",
     "That date is before 2000-01-01: type the date the post was seen."),
    ("incident.platform", "99", "Answer: ", "Type a number from 1 to 10, or one of the names listed."),
    ("incident.platform", "", "Answer: ", "This one needs an answer: type a number from 1 to 10, or a name listed."),
    ("incident.summary", "", "Answer: ", "This one needs an answer: describe what was posted."),
    ("incident.summary", "   ", "Answer: ", "This one needs an answer: describe what was posted."),
    ("considerations.wrong_channel", "maybe", "Answer [Y/n]: ",
     "Please answer y (yes) or n (no); ? shows the policy's words."),
])
def test_a_wrong_entry_is_asked_again_with_a_one_line_hint(run, cases_dir, key, wrong, prompt, hint):
    """A wrong entry prints a one-line hint and the same prompt again; the case is then saved as usual."""
    if wrong == "future":
        wrong = (_today() + dt.timedelta(days=1)).isoformat()
    prompt, hint = prompt.format(today=_today().isoformat()), hint.format(today=_today().isoformat())
    lines = _kind_post()
    lines.insert(_at(key), wrong)
    result = _interview(run, lines + [""])
    assert 0 == result.exit_code, result.stderr
    # Typed input is not echoed here, so the hint follows the prompt on its line.
    assert 1 == result.stdout.count(f"{prompt}{hint}\n{prompt}\n"), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert [_case_id()] == case_folders(cases_dir)


# -- the review screen ----------------------------------------------------------------


def test_review_lists_every_answer_numbered_and_who_is_recording(run):
    """The review screen shows 'N. Label: value' for every answer and 'Recorded by:' with the --by name."""
    result = _interview(run, _complaint_post() + [""])
    assert 0 == result.exit_code, result.stderr
    review = result.stdout.split("Check your answers\n", 1)[1].split(REVIEW_PROMPT, 1)[0]
    yesterday = (_today() - dt.timedelta(days=1)).isoformat()
    expected = [
        f" 1. Date seen: {yesterday}", " 2. Platform: Twitter / X", " 3. Where exactly: Year 4 parents' group",
        " 4. Posted by: Relative", f" 5. Poster reference: {POSTER_REF}", f" 6. Summary: {SUMMARY}",
        " 7. Wrong channel: Yes", " 8. A private discussion would be better: No", " 9. Unjustified harm: Yes",
        "10. Harm to the school or to pupils' learning: No", "11. Names or comments on children: No",
        "12. Allegation about staff or others: No", "13. Cyber-bullying: No",
        "14. Complaint about the school or staff: Yes", "15. Defamatory statement: No",
        "16. Negative or offensive comments: Yes", "17. Racist comments: No", "18. Threat of violence: No",
        "19. Something else the school considers inappropriate: Shared a class photograph without permission",
        "20. A crime such as harassment: Yes", "22. Circumstances warrant legal advice: Yes",
        "Question 21 was not needed: the answer could not change what the policy permits for this post.",
        "Recorded by: Mr T Tester  (change with --by, or hesket config set name)",
    ]
    assert expected == review.splitlines()


def test_a_number_at_the_review_changes_that_answer_then_reviews_again(run):
    """Typing 14 at the review re-asks the complaint question; yes asks the judgement questions, then the review again."""
    result = _interview(run, _kind_post() + ["14", "y", "n", "n", "n", ""])
    assert 0 == result.exit_code, result.stderr
    assert 2 == result.stdout.count("Check your answers")
    second = result.stdout.rsplit("Check your answers\n", 1)[1]
    assert "14. Complaint about the school or staff: Yes" in second
    assert "22. Circumstances warrant legal advice: No" in second
    assert "inappropriate" == _show_json(run, _case_id())["verdict"]


def test_harassment_no_then_grossly_offensive_yes_is_saved(run, cases_dir):
    """Complaint, harassment No, grossly offensive Yes, legal advice No: the case is saved with police permitted later."""
    lines = _kind_post()
    lines[_at("checklist.complaint")] = "y"
    result = _interview(run, lines + ["n", "y", "n", ""])
    assert 0 == result.exit_code, result.stderr
    doc = _show_json(run, _case_id())
    assert {"harassment": False, "grossly_offensive": True, "legal_warranted": False} == doc["answers"]["judgement"]


def test_config_name_is_the_recorder_and_by_overrides_it(run, cases_dir, tmp_path):
    """`config set name` makes that name the recorder on the review and in the case; --by overrides it."""
    assert 0 == run("config", "set", "name", "Mrs A Example").exit_code
    got = run("config", "get", "name")
    assert (0, "Mrs A Example\n") == (got.exit_code, got.stdout)
    saved = run("triage", "--interview", input=_typed(_kind_post() + [""]), env=WIDE)
    assert 0 == saved.exit_code, saved.stderr
    assert "Recorded by: Mrs A Example  (change with --by" in saved.stdout
    assert "Mrs A Example" == _show_json(run, _case_id())["recorded_by"]
    overridden = run("triage", "--interview", "--by", "Mr B Other", input=_typed(_kind_post() + ["", "y"]), env=WIDE)
    assert 0 == overridden.exit_code, overridden.stderr
    assert "Recorded by: Mr B Other  (change with --by" in overridden.stdout
    assert "Mr B Other" == _show_json(run, f"{_today().year}-0002")["recorded_by"]


def test_config_refuses_an_unknown_setting(run, tmp_path):
    """`config set colour x` exits 2 with one line naming the known settings, and writes no config file."""
    result = run("config", "set", "colour", "x")
    assert 2 == result.exit_code
    assert "Error: unknown setting 'colour'; settings: name\n" == result.stderr
    assert not (tmp_path / "config").exists()


# -- leaving without saving ---------------------------------------------------------------


@pytest.mark.parametrize("lines", [["q"], ["", "10", "q", "y"], _kind_post() + ["q", "y"],
                                   ["", "10", "", "", "", SUMMARY, "quit", "yes"]],
                         ids=["first-question", "question", "review", "quit-word"])
def test_q_stops_and_saves_nothing(run, cases_dir, lines):
    """q at a question or at the review screen (confirmed with y once anything was answered) exits 0 with
    'Stopped: nothing was saved.' and no cases folder."""
    _assert_nothing_saved(_interview(run, lines), cases_dir, 0, STOPPED)


def test_q_then_n_carries_on_and_the_case_is_saved(run, cases_dir):
    """q after answers asks first; n carries on at the same question, and the case is saved as usual."""
    lines = _kind_post()
    lines[6:6] = ["q", "n"]
    result = _interview(run, lines + [""])
    assert (0, True, [_case_id()]) == (result.exit_code, "Quit without saving? The 6 answers given will be lost."
                                       in result.stdout, [p.name for p in cases_dir.iterdir() if p.name[0] != "."])


@pytest.mark.parametrize("lines", [[], ["", ""], _kind_post()], ids=["start", "question", "review"])
def test_end_of_input_stops_and_saves_nothing(run, cases_dir, lines):
    """Input ending (Ctrl-D) at a question or at the review exits 0, says nothing was saved, and writes nothing."""
    _assert_nothing_saved(_interview(run, lines), cases_dir, 0, STOPPED)


@pytest.mark.parametrize("at_call", [3, len(_kind_post()) + 1], ids=["third-question", "review"])
def test_ctrl_c_exits_130_and_saves_nothing(run, cases_dir, monkeypatch, at_call):
    """Ctrl-C at the third question or at the review exits 130 with 'Interrupted: nothing was saved.' and no folder."""
    from hesket_cli.render.interview import InterviewScreen

    calls = []
    typed = _kind_post()

    def ask(self, prompt):
        calls.append(prompt)
        if len(calls) == at_call:
            raise KeyboardInterrupt
        return typed[len(calls) - 1]

    monkeypatch.setattr(InterviewScreen, "ask", ask)
    result = _interview(run, [])
    _assert_nothing_saved(result, cases_dir, 130, INTERRUPTED)
    assert calls[-1].startswith(REVIEW_PROMPT if at_call > 3 else "Answer (Enter to leave blank)")


# -- not a terminal, --template, --save-answers ---------------------------------------------------


def test_without_a_terminal_or_answers_it_exits_2_pointing_to_answers_and_template(run, cases_dir):
    """`hesket triage` with stdin not a terminal exits 2 with one line pointing to --answers and --template."""
    result = run("triage", input="")
    assert 2 == result.exit_code
    assert 1 == len(result.stderr.splitlines())
    assert result.stderr.startswith("Error: standard input is not a terminal")
    assert "--answers FILE" in result.stderr and "hesket triage --template" in result.stderr
    assert ("", False) == (result.stdout, cases_dir.exists())


def test_a_real_process_with_stdin_not_a_terminal_exits_2(tmp_path, cases_dir):
    """Run as a real process with stdin from /dev/null, triage exits 2 with the hint and asks nothing."""
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "HESKET_CONFIG": str(tmp_path / "config.toml")}
    done = subprocess.run([sys.executable, "-m", "hesket_cli", "triage"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=30, cwd=tmp_path)
    assert 2 == done.returncode, done.stderr
    assert done.stderr.startswith("Error: standard input is not a terminal")
    assert "--answers FILE" in done.stderr and "hesket triage --template" in done.stderr
    assert ("", False) == (done.stdout, cases_dir.exists())
    assert "Traceback" not in done.stderr


def test_template_parses_as_toml_and_once_filled_in_is_accepted(run, tmp_path, cases_dir):
    """--template prints TOML; with the summary filled in, triage --answers accepts it as an appropriate post."""
    result = run("triage", "--template")
    assert 0 == result.exit_code, result.stderr
    data = tomllib.loads(result.stdout)
    assert ("", _today()) == (data["incident"]["summary"], data["incident"]["observed_on"])
    assert 1 == result.stdout.count('summary = ""')
    filled = tmp_path / "filled.toml"
    filled.write_text(result.stdout.replace('summary = ""', f'summary = "{SUMMARY}"'), encoding="utf-8")
    saved = run("triage", "--answers", filled, "--json")
    assert 0 == saved.exit_code, saved.stderr
    assert ("appropriate", SUMMARY) == (json.loads(saved.stdout)["verdict"], json.loads(saved.stdout)["incident"]["summary"])


def test_template_as_printed_is_refused_for_its_blank_summary(run, tmp_path, cases_dir):
    """The template unfilled is refused (exit 3) because the summary is blank, and nothing is saved."""
    blank = tmp_path / "blank.toml"
    blank.write_text(run("triage", "--template").stdout, encoding="utf-8")
    result = run("triage", "--answers", blank)
    assert (3, False) == (result.exit_code, cases_dir.exists())
    assert "incident.summary: is blank" in result.stderr


def test_save_answers_writes_a_file_that_gives_the_same_case(run, tmp_path, cases_dir):
    """--save-answers writes an answers file; triage --answers with it gives the same assessment and answers."""
    saved_answers = tmp_path / "post.toml"
    result = _interview(run, _complaint_post() + [""], "--save-answers", saved_answers)
    assert 0 == result.exit_code, result.stderr
    tomllib.loads(saved_answers.read_text(encoding="utf-8"))
    other = tmp_path / "by-answers"
    again = run("triage", "--answers", saved_answers, env={"HESKET_CASES_DIR": str(other)})
    assert 0 == again.exit_code, again.stderr
    assert _without_volatile(_show_json(run, _case_id())) == _without_volatile(_show_json(run, _case_id(), other))


def test_save_answers_is_not_written_when_the_interview_is_left(run, tmp_path, cases_dir):
    """q at the review with --save-answers writes neither the answers file nor a case."""
    saved_answers = tmp_path / "post.toml"
    result = _interview(run, _kind_post() + ["q"], "--save-answers", saved_answers)
    _assert_nothing_saved(result, cases_dir, 0, STOPPED)
    assert not saved_answers.exists()


def test_save_answers_never_replaces_a_file_and_asks_nothing(run, tmp_path, cases_dir):
    """--save-answers naming a file that is there already is refused before the first question (exit 3),
    the file and the cases folder untouched."""
    saved_answers = tmp_path / "post.toml"
    saved_answers.write_text("# my edited answers\n", encoding="utf-8")
    result = run("triage", "--answers", EXAMPLES / "kind-post.toml", "--save-answers", saved_answers)
    assert (3, f"Error: --save-answers: {saved_answers} already exists; give another name or move it away; "
               "nothing was written", "# my edited answers\n", []) == (
        result.exit_code, result.stderr.strip(), saved_answers.read_text(encoding="utf-8"),
        [p.name for p in cases_dir.glob("20*")] if cases_dir.exists() else [])


# -- the policy drives the questions; plain output ------------------------------------------


NINTH = """

[checklist.unexplained_to_child]
title = "A child posting what no one explained to them"
question = "Does the post show a child posting what they were never told is unacceptable?"
help = "For example, a pupil sharing another pupil's photograph."
policy_text = "It is expected that parents/carers explain to their children what is acceptable to post online"
"""


def test_a_ninth_checklist_item_in_a_policy_copy_is_asked_with_no_code_change(run, tmp_path):
    """An item added to a copy of policy.toml is asked as question 19 of 23; yes makes the post inappropriate for it."""
    copy = tmp_path / "our-policy" / "policy.toml"
    copy.parent.mkdir()
    copy.write_text(POLICY_FILE.read_text(encoding="utf-8") + NINTH, encoding="utf-8")
    shutil.copy(ROOT / "policy.txt", copy.parent / "policy.txt")
    checked = run("policy", "check", copy)
    assert 0 == checked.exit_code, checked.stderr
    assert "9 checklist items" in checked.stdout
    lines = ["", "10", "", "", "", SUMMARY] + [""] * 12 + ["y", ""]
    result = run("--policy", copy, "triage", "--interview", "--plain", "--by", "Mr T Tester",
                 input=_typed(lines + ["", "", "", ""]), env=WIDE)
    assert 0 == result.exit_code, result.stderr
    assert "Question 1 of 23" in result.stdout
    block = result.stdout.split("Question 19 of 23\n", 1)[1]
    assert block.startswith("Does the post show a child posting what they were never told is unacceptable?\n"
                            "The policy: \u201cIt is expected that parents/carers explain to their children what is "
                            "acceptable to post online\u201d\n")
    doc = json.loads(run("--policy", copy, "case", "show", _case_id(), "--json").stdout)
    assert ("inappropriate", [("checklist", "unexplained_to_child")]) == (
        doc["verdict"], [(r["kind"], r["id"]) for r in doc["reasons"]])
    assert True is doc["answers"]["checklist"]["unexplained_to_child"]


def test_plain_output_has_no_box_drawing(run):
    """--plain prints the questions as lines, without the panels' box-drawing characters."""
    plain = _interview(run, _kind_post() + [""], "--plain")
    panels = _interview(run, _kind_post() + ["", "y"])  # the same post again: confirm saving it
    assert (0, 0) == (plain.exit_code, panels.exit_code), plain.stderr + panels.stderr
    assert [] == [c for c in BOX if c in plain.stdout]
    assert list(BOX) == [c for c in BOX if c in panels.stdout]
