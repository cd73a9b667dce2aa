"""The interview's flow on its own: the questions the policy asks, reading what is typed, and a scripted screen."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hesket_cli.answers import parse_answers
from hesket_cli.case import Event
from hesket_cli.dates import read_date as parse_date
from hesket_cli.engine import assess
from hesket_cli.interview import Interview, Quit, applicable, questions, read_answer
from hesket_cli.policy_file import load_policy

from conftest import POLICY_FILE
from strategies import TODAY, answers_data

POLICY = load_policy(POLICY_FILE)
POLICY_DATA = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
SUMMARY = "A fictional parent, Mx Quill-Hartley, posted about the Year 4 trip."
RECORDER = "Mrs A Example"
# The questions before the judgement questions: 6 about the incident, 4 considerations,
# 8 checklist items and "anything else".
BASE = 19
# Every question the policy can ask: the base questions and its three judgement questions. The total shown
# ("Question 5 of 22") never changes during an interview; questions that turn out not to apply are skipped.
TOTAL = BASE + len(POLICY.judgements)


class ScriptEnded(Exception):
    """The scripted answers ran out: the interview asked more than the test expected."""


class FakeScreen:
    """A screen that answers from a script and records everything the interview showed."""

    def __init__(self, typed):
        self.typed = list(typed)
        self.shown: list[tuple] = []
        self.prompts: list[str] = []

    def question(self, progress, text, policy_text, choices, why, footer):
        self.shown.append(("question", progress, text, policy_text, tuple(choices), why, footer))

    def help(self, policy_text, example, effects):
        self.shown.append(("help", policy_text, example, tuple(effects)))

    def hint(self, text):
        self.shown.append(("hint", text))

    def kept(self, text):
        self.shown.append(("kept", text))

    def review(self, rows, recorder, note):
        self.shown.append(("review", tuple(rows), recorder, note))

    def ask(self, prompt):
        self.prompts.append(prompt)
        if not self.typed:
            raise ScriptEnded(prompt)
        answer = self.typed.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def of(self, kind: str) -> list[tuple]:
        return [s for s in self.shown if s[0] == kind]

    def progress(self) -> list[str]:
        return [s[1] for s in self.of("question")]

    def texts(self) -> list[str]:
        return [s[2] for s in self.of("question")]


def _interview(policy, typed, recorder=RECORDER):
    screen = FakeScreen(typed)
    return Interview(policy, screen, today=TODAY, recorder=recorder), screen


def _run(policy, typed):
    interview, screen = _interview(policy, typed)
    return interview.run(), screen


def _script(policy, *, tick=(), flag=(), other="", judge=None, incident=("", "10", "", "", "", SUMMARY)) -> list[str]:
    """What a user types for the base questions: the incident (Enter for the defaults; the platform, which has
    none, as 10, Another site), then y/Enter for each flag and tick."""
    typed = list(incident)
    typed += [_typed(i, True) if i.id in flag else "" for i in policy.considerations]
    typed += [_typed(i, True) if i.id in tick else "" for i in policy.checklist]
    typed.append(other)
    return typed + list(judge or [])


def _typed(item, flags: bool) -> str:
    """What a person types to flag an item (or not): y, or n where the policy asks it so that no flags it."""
    return "y" if flags != (item.flagged_by == "no") else "n"


def _question(policy, key):
    return next(q for q in questions(policy, TODAY) if q.key == key)


def _at(policy, key) -> int:
    """Where the answer to a question comes in a script of answers to every question (its number less one)."""
    return [q.key for q in questions(policy, TODAY)].index(key)


def _asked_judgements(policy, **values) -> list[str]:
    """The judgement questions applicable to answers with these (section.id = value) entries."""
    given_values = {k.replace("__", "."): v for k, v in values.items()}
    return [q.key.split(".", 1)[1] for q in questions(policy, TODAY)
            if q.key.startswith("judgement.") and applicable(policy, q, given_values)]


def _permitted_after_refusal(policy, answers) -> set[str]:
    first = "discuss_child_use" if answers.incident.poster == "pupil" else "discuss_and_request_removal"
    events = (Event(first, AT, AT.date(), "T"), Event("refused", AT, AT.date(), "T"))
    return {s.id for s in assess(policy, answers, events).permitted}


# -- questions() ---------------------------------------------------------------


def test_questions_follow_the_policy_file_in_order(policy):
    """The questions are the incident, each consideration, each checklist item, other, then each judgement, as listed."""
    expected = (["incident.observed_on", "incident.platform", "incident.location", "incident.poster",
                 "incident.poster_ref", "incident.summary"]
                + [f"considerations.{i}" for i in POLICY_DATA["considerations"]]
                + [f"checklist.{i}" for i in POLICY_DATA["checklist"]] + ["checklist.other"]
                + [f"judgement.{i}" for i in POLICY_DATA["judgement"]])
    assert expected == [q.key for q in questions(policy, TODAY)]


def test_each_policy_question_quotes_the_policy_file(policy):
    """Every consideration, checklist, other and judgement question carries its question and policy_text from policy.toml."""
    section = {"considerations": "considerations", "checklist": "checklist", "judgement": "judgement"}
    for q in questions(policy, TODAY)[_at(policy, "incident.summary") + 1:]:
        kind, ident = q.key.split(".", 1)
        entry = POLICY_DATA["other"] if q.key == "checklist.other" else POLICY_DATA[section[kind]][ident]
        assert (entry["question"], entry["policy_text"]) == (q.text, q.policy_text), q.key


def test_defaults_are_today_and_parent_and_the_platform_has_none(policy):
    """Enter means: seen today, posted by a parent, no location, every yes/no No; the platform has no honest
    default, so it has none (an accidental Enter must not pick "Another site")."""
    defaults = {q.key: q.default for q in questions(policy, TODAY)}
    assert (TODAY, None, "", "parent", None) == (
        defaults["incident.observed_on"], defaults["incident.platform"], defaults["incident.location"],
        defaults["incident.poster"], defaults["incident.summary"])
    assert {False} == {v for k, v in defaults.items() if k.split(".")[0] in ("considerations", "judgement")}
    assert {False} == {v for k, v in defaults.items() if k.startswith("checklist.") and k != "checklist.other"}


def test_platform_choices_are_the_policys_platforms_in_order(policy):
    """The platform question lists the policy's platforms, numbered in the file's order, with their aliases."""
    choices = _question(policy, "incident.platform").choices
    assert list(POLICY_DATA["platforms"]) == [ident for ident, _, _ in choices]
    assert ("twitter", "Twitter / X", ("x",)) == choices[1]


# -- applicable() --------------------------------------------------------------


def test_no_judgement_question_is_asked_for_a_kind_post(policy):
    """With nothing ticked, no judgement can change what is permitted, so none is asked."""
    assert [] == _asked_judgements(policy)


def test_all_three_judgement_questions_are_asked_for_a_complaint(policy):
    """A complaint alone leaves police and legal advice open, so all three judgement questions are asked."""
    assert ["harassment", "grossly_offensive", "legal_warranted"] == _asked_judgements(policy, checklist__complaint=True)


@pytest.mark.parametrize("ticked", ["racist", "threat_of_violence"])
def test_police_judgements_are_not_asked_when_the_police_are_already_permitted(policy, ticked):
    """Racist comments or a threat already permit the police, so harassment and grossly offensive are not asked."""
    assert ["legal_warranted"] == _asked_judgements(policy, **{f"checklist__{ticked}": True})


def test_legal_warranted_is_not_asked_when_the_post_is_defamatory(policy):
    """A defamatory post already permits legal advice, so 'circumstances warrant legal advice' is not asked."""
    assert ["harassment", "grossly_offensive"] == _asked_judgements(policy, checklist__defamatory=True)


def test_no_judgement_is_asked_when_defamatory_and_racist(policy):
    """Defamatory and racist together permit both legal advice and the police, so no judgement is asked."""
    assert [] == _asked_judgements(policy, checklist__defamatory=True, checklist__racist=True)


def test_other_text_alone_makes_judgement_questions_relevant(policy):
    """Something else described (the non-exhaustive list) makes the post inappropriate, so judgements are asked."""
    assert ["harassment", "grossly_offensive", "legal_warranted"] == _asked_judgements(
        policy, checklist__other="Shared a photograph of the school trip without permission.")


def test_harassment_answered_yes_makes_grossly_offensive_irrelevant(policy):
    """Once harassment permits the police, grossly offensive can change nothing and is not asked."""
    assert ["harassment", "legal_warranted"] == _asked_judgements(
        policy, checklist__complaint=True, judgement__harassment=True)


def test_questions_before_the_judgements_are_always_applicable(policy):
    """Every incident, consideration and checklist question is asked whatever the answers so far."""
    values = {"checklist.racist": True, "checklist.defamatory": True}
    assert [] == [q.key for q in questions(policy, TODAY)[:BASE] if not applicable(policy, q, values)]


# -- read_answer() and parse_date() ------------------------------------------------


@pytest.mark.parametrize("typed, expected", [("y", True), ("Y", True), ("yes", True), (" YES ", True),
                                             ("n", False), ("No", False), ("", False), ("   ", False)])
def test_yes_no_answers_are_read_in_any_case(policy, typed, expected):
    """y/yes/n/no in any case and with spaces are read; Enter is the default No."""
    assert expected == read_answer(_question(policy, "checklist.racist"), typed, TODAY)


@pytest.mark.parametrize("key, typed, hint", [
    ("checklist.racist", "maybe", "Please answer y (yes) or n (no)"),
    ("checklist.racist", "yes please", "Please answer y (yes) or n (no)"),
    ("incident.platform", "99", "Type a number from 1 to 10"),
    ("incident.platform", "0", "Type a number from 1 to 10"),
    ("incident.platform", "myspace", "Type a number from 1 to 10"),
    ("incident.poster", "7", "Type a number from 1 to 6"),
    ("incident.observed_on", "32/13/2026", "That is not a date"),
    ("incident.observed_on", "last week", "That is not a date"),
    ("incident.observed_on", "2026-11-25", "That date is in the future (today is 2026-11-24)"),
    ("incident.observed_on", "25/11/2026", "That date is in the future (today is 2026-11-24)"),
    ("incident.platform", "", "This one needs an answer: type a number from 1 to 10"),
    ("incident.summary", "", "This one needs an answer"),
    ("incident.summary", "   ", "This one needs an answer"),
])
def test_a_wrong_entry_is_refused_with_a_one_line_hint(policy, key, typed, hint):
    """A wrong entry raises ValueError whose message is one line starting with the hint."""
    with pytest.raises(ValueError) as caught:
        read_answer(_question(policy, key), typed, TODAY)
    message = str(caught.value)
    assert (True, False) == (message.startswith(hint), "\n" in message), message


@pytest.mark.parametrize("typed, expected", [
    ("1", "facebook"), ("10", "other"), ("x", "twitter"), ("X", "twitter"), ("twitter", "twitter"),
    ("Twitter / X", "twitter"), (" whatsapp ", "whatsapp"), ("School_Forum", "school_forum"),
])
def test_a_platform_is_read_by_number_id_title_or_alias(policy, typed, expected):
    """The platform may be typed as its number, id, title or alias, in any case."""
    assert expected == read_answer(_question(policy, "incident.platform"), typed, TODAY)


@pytest.mark.parametrize("typed, expected", [
    ("2026-11-18", dt.date(2026, 11, 18)), ("18/11/2026", dt.date(2026, 11, 18)), ("18/11/26", dt.date(2026, 11, 18)),
    ("1/2/2026", dt.date(2026, 2, 1)), ("18.11.2026", dt.date(2026, 11, 18)), ("today", TODAY),
    ("Today", TODAY), ("yesterday", dt.date(2026, 11, 23)), (" 2026-01-05 ", dt.date(2026, 1, 5)),
])
def test_dates_are_read_as_people_in_a_school_office_type_them(typed, expected):
    """ISO dates, DD/MM/YYYY (day first, as in the UK), DD/MM/YY, today and yesterday are all read."""
    assert expected == parse_date(typed, TODAY)


@pytest.mark.parametrize("typed", ["32/13/2026", "31/02/2026", "2026-13-01", "tomorrow-ish", "18/11", ""])
def test_a_date_that_does_not_exist_is_refused(typed):
    """An impossible or unreadable date raises ValueError (which the interview turns into a hint)."""
    with pytest.raises(ValueError):
        parse_date(typed, TODAY)


def test_enter_at_the_date_question_means_today(policy):
    """Enter at the date question gives today's date."""
    assert TODAY == read_answer(_question(policy, "incident.observed_on"), "", TODAY)


def test_optional_text_is_kept_as_typed_and_blank_is_empty(policy):
    """The location is kept as typed; Enter leaves it blank."""
    question = _question(policy, "incident.location")
    assert ("Year 4 parents' group", "") == (read_answer(question, "Year 4 parents' group", TODAY),
                                             read_answer(question, "", TODAY))


# -- Interview with a scripted screen -------------------------------------------


def test_enter_everywhere_but_the_summary_gives_an_appropriate_post_with_the_defaults(policy):
    """Enter at every question but the summary, then Enter at the review, gives the defaults in the answers file's shape."""
    result, _ = _run(policy, _script(policy) + [""])
    expected = {
        "incident": {"observed_on": TODAY, "platform": "other", "poster": "parent", "summary": SUMMARY},
        "considerations": {i.id: False for i in policy.considerations},
        "checklist": {i.id: False for i in policy.checklist},
        "judgement": {i.id: False for i in policy.judgements},
    }
    assert expected == result
    assert "appropriate" == assess(policy, parse_answers(result, policy, today=TODAY, source="t")).verdict


def test_progress_counts_to_22_and_skips_the_judgements_for_a_kind_post(policy):
    """With the shipped policy a kind post is asked 'Question 1 of 22' to 'Question 19 of 22': the three
    judgement questions cannot matter, so they are skipped, and the total never changes."""
    _, screen = _run(policy, _script(policy) + [""])
    assert [f"Question {n} of {TOTAL}" for n in range(1, BASE + 1)] == screen.progress()


def test_the_total_stays_the_same_when_judgement_questions_become_relevant(policy):
    """Ticking a complaint at question 14 asks the judgement questions too: every question is 'of 22'."""
    _, screen = _run(policy, _script(policy, tick=["complaint"], judge=["", "", ""]) + [""])
    assert [f"Question {n} of {TOTAL}" for n in range(1, TOTAL + 1)] == screen.progress()


def test_a_skipped_judgement_keeps_the_numbers_of_those_after_it(policy):
    """A racist comment already permits the police: questions 20 and 21 are skipped, and the legal-advice
    question is still 'Question 22 of 22' (no two questions ever share a number)."""
    _, screen = _run(policy, _script(policy, tick=["racist"], judge=[""]) + [""])
    assert [f"Question {n} of {TOTAL}" for n in [*range(1, BASE + 1), 22]] == screen.progress()


def test_every_question_shows_its_text_and_the_policys_words(policy):
    """Each question is shown with its text and its policy_text as the policy file has them."""
    _, screen = _run(policy, _script(policy, tick=["complaint"], judge=["", "", ""]) + [""])
    expected = [(q.text, q.policy_text) for q in questions(policy, TODAY)]
    assert expected == [(s[2], s[3]) for s in screen.of("question")]


def test_each_judgement_question_says_why_it_is_asked(policy):
    """Each judgement question shows its explanation, 'Asked because ...'; the other questions show none."""
    _, screen = _run(policy, _script(policy, tick=["complaint"], judge=["", "", ""]) + [""])
    whys = [s[5] for s in screen.of("question")]
    assert [""] * BASE == whys[:BASE]
    assert [POLICY_DATA["judgement"][i]["help"] for i in POLICY_DATA["judgement"]] == whys[BASE:]
    assert all(w.startswith("Asked because ") for w in whys[BASE:])


def test_prompts_start_with_answer_and_show_the_default(policy):
    """The prompts show the default in brackets: the date, the platform's number, the poster's number, and the
    answer that flags nothing: Y/n for the question the policy asks so that no flags it, y/N for the next."""
    _, screen = _run(policy, _script(policy) + [""])
    assert ["Answer [2026-11-24]: ", "Answer: ", "Answer (Enter to leave blank): ", "Answer [1]: ",
            "Answer (Enter to leave blank): ", "Answer: ", "Answer [Y/n]: ", "Answer [y/N]: "] == screen.prompts[:8]


def test_enter_at_the_platform_is_not_an_answer(policy):
    """Enter at the platform question gives a hint and asks again; no platform is picked for the person."""
    typed = _script(policy)
    typed.insert(1, "")
    result, screen = _run(policy, typed + [""])
    assert ([("hint", "This one needs an answer: type a number from 1 to 10, or a name listed.")], "other") == (
        screen.of("hint"), result["incident"]["platform"])


def test_the_numbered_choices_line_up(policy):
    """The platform's numbers are right-aligned, so ' 9. ...' and '10. ...' line up."""
    _, screen = _run(policy, _script(policy) + [""])
    choices = screen.of("question")[1][4]
    assert (" 1. Facebook", " 9. The school's own online forum", "10. Another site") == (
        choices[0], choices[8], choices[9])


def test_b_goes_back_one_question_keeping_later_answers(policy):
    """b goes back one question at a time; the answers after it are kept and offered again as defaults."""
    typed = ["", "4", "Year 4 parents' group", "3", "Aunt of a 4B pupil (R.T.)", SUMMARY, "n",  # n: not the channel
             "b", "b", "b", "b", "b", "Year 5 parents' group", "", "", "", "", ""] + [""] * 11 + [""]
    result, screen = _run(policy, typed)
    assert ("whatsapp", "Year 5 parents' group", "relative", "Aunt of a 4B pupil (R.T.)", SUMMARY, True) == (
        result["incident"]["platform"], result["incident"]["location"], result["incident"]["poster"],
        result["incident"]["poster_ref"], result["incident"]["summary"], result["considerations"]["wrong_channel"])
    shown = screen.progress()
    assert [f"Question {n} of {TOTAL}" for n in (7, 8, 7, 6, 5, 4, 3, 4, 5, 6, 7)] == shown[6:17]
    assert ["Answer [y/N]: ", "Answer (Enter keeps what you typed before): ", "Answer (Enter keeps it, - clears it): ",
            "Answer [3]: ", "Answer (Enter keeps it, - clears it): "] == screen.prompts[8:13]


def test_going_back_to_tick_an_item_makes_the_post_inappropriate(policy):
    """Going back from 'anything else' to tick racist comments changes the verdict to inappropriate."""
    typed = _script(policy)[:BASE - 1] + ["b", "b", "y", "", ""] + [""] + [""]
    result, screen = _run(policy, typed)
    answers = parse_answers(result, policy, today=TODAY, source="t")
    assessment = assess(policy, answers)
    assert ("inappropriate", ["racist"]) == (assessment.verdict, [r.id for r in assessment.reasons])
    assert ["Question 18 of 22", "Question 19 of 22", "Question 22 of 22"] == screen.progress()[-3:]


def test_b_at_the_first_question_is_answered_with_a_hint(policy):
    """b at the first question says there is nothing to go back to and asks it again."""
    result, screen = _run(policy, ["b"] + _script(policy) + [""])
    assert [("hint", "This is the first question: there is nothing to go back to.")] == screen.of("hint")
    assert ["Question 1 of 22", "Question 2 of 22"] == screen.progress()[:2]
    assert SUMMARY == result["incident"]["summary"]


def test_question_mark_shows_the_policys_words_and_an_example_then_asks_again(policy):
    """? at a question shows that question's policy_text and example, and the same question is asked again."""
    typed = _script(policy)
    at = _at(policy, "considerations.private_discussion_better")
    typed.insert(at, "?")
    _, screen = _run(policy, typed + [""])
    item = POLICY_DATA["considerations"]["private_discussion_better"]
    assert [("help", item["policy_text"], item["help"], ())] == screen.of("help")
    assert ["Answer [y/N]: ", "Answer [y/N]: "] == screen.prompts[at:at + 2]
    assert f"Question {BASE} of {TOTAL}" == screen.progress()[-1]


def test_question_mark_at_a_judgement_says_what_a_yes_would_permit(policy):
    """? at 'a crime such as harassment' does not repeat the panel: it says a yes would let the school contact
    the police, with the policy's words for that step (its own examples of when)."""
    typed = _script(policy, tick=["complaint"], judge=["?", "", "", ""])
    _, screen = _run(policy, typed + [""])
    (_, policy_text, example, effects), = screen.of("help")
    police = policy.step("contact_police")
    assert (None, "", (f"{police.title} (contact_police)", police.policy_text)) == (policy_text, example, effects[1])
    assert effects[0][0].startswith("What a yes changes: if the parent refuses to remove the post")


def test_question_mark_at_legal_warranted_names_legal_advice(policy):
    """? at 'circumstances warrant legal advice' names legal advice as what a yes would permit."""
    typed = _script(policy, tick=["complaint"], judge=["", "", "?", ""])
    _, screen = _run(policy, typed + [""])
    (_, _, _, effects), = screen.of("help")
    assert ["legal_advice"] == [line.rsplit("(", 1)[1].rstrip(")") for line, words in effects[1:]]


@pytest.mark.parametrize("key, wrong, hint", [
    ("incident.observed_on", "32/13/2026", "That is not a date: type it as YYYY-MM-DD or DD/MM/YYYY, or 'today'."),
    ("incident.observed_on", "2999-01-01", "That date is in the future (today is 2026-11-24)."),
    ("incident.platform", "99", "Type a number from 1 to 10, or one of the names listed."),
    ("incident.platform", "", "This one needs an answer: type a number from 1 to 10, or a name listed."),
    ("incident.poster", "grandad", "Type a number from 1 to 6, or one of the names listed."),
    ("incident.summary", "", "This one needs an answer: describe what was posted."),
    ("considerations.wrong_channel", "maybe", "Please answer y (yes) or n (no); ? shows the policy's words."),
])
def test_a_wrong_entry_is_asked_again_with_a_hint(policy, key, wrong, hint):
    """A wrong entry shows one hint and the same question is asked again; the interview then goes on."""
    position = _at(policy, key)
    typed = _script(policy)
    typed.insert(position, wrong)
    result, screen = _run(policy, typed + [""])
    assert [("hint", hint)] == screen.of("hint")
    assert screen.prompts[position] == screen.prompts[position + 1]
    assert [f"Question {n} of {TOTAL}" for n in range(1, BASE + 1)] == screen.progress()
    assert SUMMARY == result["incident"]["summary"]


def test_q_at_the_first_question_quits_at_once(policy):
    """q before anything is answered raises Quit at once: there is nothing to lose."""
    interview, screen = _interview(policy, ["q"])
    with pytest.raises(Quit):
        interview.run()
    assert ["Answer [2026-11-24]: "] == screen.prompts


def test_q_after_answers_asks_first_and_quits_on_yes(policy):
    """q after two answers asks whether to quit, naming what would be lost; y raises Quit."""
    interview, screen = _interview(policy, ["", "1", "q", "y"])
    with pytest.raises(Quit):
        interview.run()
    assert "Quit without saving? The 2 answers given will be lost. Quit? [y/N]: " == screen.prompts[-1]


@pytest.mark.parametrize("reply", ["", "n", "no"])
def test_q_then_anything_but_yes_carries_on_where_it_was(policy, reply):
    """q then Enter or n keeps every answer and asks the same question again; the interview goes on."""
    typed = _script(policy)
    typed[2:2] = ["q", reply]
    result, screen = _run(policy, typed + [""])
    assert ([("hint", "Not quitting: nothing was lost. Carry on where you were.")], "Answer (Enter to leave blank): ",
            SUMMARY) == (screen.of("hint"), screen.prompts[4], result["incident"]["summary"])


def test_q_at_the_review_screen_asks_first_and_quits_on_yes(policy):
    """q at the review screen, after every question was answered, asks first; y raises Quit."""
    interview, screen = _interview(policy, _script(policy) + ["q", "y"])
    with pytest.raises(Quit):
        interview.run()
    assert 1 == len(screen.of("review"))


@pytest.mark.parametrize("error", [EOFError, KeyboardInterrupt])
def test_end_of_input_and_interrupt_leave_the_interview(policy, error):
    """Ctrl-D (EOFError) and Ctrl-C (KeyboardInterrupt) at a question end the interview with that error."""
    interview, _ = _interview(policy, ["", "1", error()])
    with pytest.raises(error):
        interview.run()


def test_review_lists_every_answer_numbered_and_the_recorder(policy):
    """The review screen numbers every answer with its label and value, and names who is recording."""
    typed = _script(policy, tick=["complaint"], flag=["wrong_channel"], judge=["y", "n"],
                    incident=("18/11/2026", "x", "", "3", "", SUMMARY), other="Shared a trip photo") + [""]
    _, screen = _run(policy, typed)
    (_, rows, recorder, note), = screen.of("review")
    labels = [q for q in questions(policy, TODAY) if q.key != "judgement.grossly_offensive"]
    assert [*range(1, 21), 22] == [n for n, _, _ in rows]
    assert "Question 21 was not needed: the answer could not change what the policy permits for this post." == note
    assert [q.label for q in labels] == [label for _, label, _ in rows]
    values = {label: value for _, label, value in rows}
    assert ("2026-11-18", "Twitter / X", "(blank)", "Relative", "(blank)", SUMMARY, "Yes", "No", "Yes",
            "Shared a trip photo") == (
        values["Date seen"], values["Platform"], values["Where exactly"], values["Posted by"],
        values["Poster reference"], values["Summary"],
        values["Wrong channel"], values["A private discussion would be better"],
        values["Complaint about the school or staff"], values["Something else the school considers inappropriate"])
    assert ("Yes", "No") == (values["A crime such as harassment"], values["Circumstances warrant legal advice"])
    assert RECORDER == recorder


def test_a_number_at_the_review_changes_that_answer_and_asks_new_judgements(policy):
    """Typing 14 at the review re-asks the complaint question; ticking it asks the three judgement questions, then reviews again."""
    result, screen = _run(policy, _script(policy) + ["14", "y", "y", "", ""])
    reviews = screen.of("review")
    assert [BASE, BASE + 2] == [len(r[1]) for r in reviews]
    assert [q.text for q in questions(policy, TODAY) if q.key in (
        "checklist.complaint", "judgement.harassment", "judgement.legal_warranted")] == screen.texts()[BASE:]
    assert (True, True, False) == (result["checklist"]["complaint"], result["judgement"]["harassment"],
                                   result["judgement"]["legal_warranted"])


def test_a_number_out_of_range_at_the_review_is_answered_with_a_hint_alone(policy):
    """99 at the review screen gives a one-line hint and asks again, without printing the whole list again."""
    _, screen = _run(policy, _script(policy) + ["99", "21", ""])
    hint = ("Type a number from 1 to 19 to change that answer, press Enter to save, b to go back, or q to quit "
            "without saving.")
    assert ([("hint", hint)] * 2, 1) == (screen.of("hint"), len(screen.of("review")))


def test_the_review_names_the_questions_not_needed(policy):
    """For a kind post the review says questions 20, 21 and 22 were not needed."""
    _, screen = _run(policy, _script(policy) + [""])
    assert ("Questions 20, 21 and 22 were not needed: the answer could not change what the policy permits for "
            "this post.") == screen.of("review")[0][3]


def test_b_at_the_review_goes_back_to_the_last_question_then_reviews_again(policy):
    """b at the review screen asks the last question again (Enter keeps its answer), then reviews again."""
    result, screen = _run(policy, _script(policy) + ["b", "", ""])
    assert ([f"Question {BASE} of {TOTAL}"] * 2, 2, SUMMARY) == (
        screen.progress()[-2:], len(screen.of("review")), result["incident"]["summary"])


def test_b_while_changing_an_answer_from_the_review_keeps_it(policy):
    """Typing 2 at the review and then b goes back to the review with the platform as it was."""
    result, screen = _run(policy, _script(policy) + ["2", "b", ""])
    assert ("other", 2, []) == (result["incident"]["platform"], len(screen.of("review")), screen.of("hint"))


def test_a_dash_clears_an_optional_answer_given_before(policy):
    """At the location question, '-' clears what was typed before, so no location is saved."""
    typed = ["", "10", "Year 4 parents' group", "", "", SUMMARY, "b", "b", "b", "b", "-", "", "", ""] + [""] * 13 + [""]
    result, screen = _run(policy, typed)
    assert "location" not in result["incident"]
    assert [("kept", SUMMARY), ("kept", "Year 4 parents' group"), ("kept", SUMMARY)] == screen.of("kept")  # asked again


@pytest.mark.parametrize("typed", ["", "n", "None", "nothing"])
def test_enter_or_a_word_for_none_at_the_poster_reference_gives_none(policy, typed):
    """Enter, n, none or nothing at the poster reference leaves it out of the answers, as an answers file without it."""
    incident = ("", "10", "", "", typed, SUMMARY)
    result, screen = _run(policy, _script(policy, incident=incident) + [""])
    rows = {label: value for _, label, value in screen.of("review")[0][1]}
    assert (False, "(blank)") == ("poster_ref" in result["incident"], rows["Poster reference"])


def test_the_poster_reference_is_changed_by_its_number_at_the_review_and_a_dash_clears_it(policy):
    """At the review, 5 asks the poster reference again, showing what was typed; '-' clears it, so none is saved."""
    incident = ("", "10", "", "", "Parent of 4B pupil (J.S.)", SUMMARY)
    result, screen = _run(policy, _script(policy, incident=incident) + ["5", "-", ""])
    first, second = ({label: value for _, label, value in review[1]} for review in screen.of("review"))
    assert ("Parent of 4B pupil (J.S.)", "(blank)", "Answer (Enter keeps it, - clears it): ", False) == (
        first["Poster reference"], second["Poster reference"], screen.prompts[-2], "poster_ref" in result["incident"])


def test_grossly_offensive_after_no_harassment_still_asks_legal_warranted(policy):
    """Complaint ticked, harassment No, grossly offensive Yes: the legal-advice question is still asked, then the review."""
    typed = _script(policy, tick=["complaint"], judge=["n", "y", "y"]) + [""]
    result, screen = _run(policy, typed)
    assert _question(policy, "judgement.legal_warranted").text == screen.texts()[-1]
    assert (True, True) == (result["judgement"]["grossly_offensive"], result["judgement"]["legal_warranted"])


@st.composite
def _typed_answers(draw, policy):
    """Answers data whose text can be typed at a prompt (one line, not a command word nor a word for "none"), few ticks."""
    data = draw(answers_data(policy))
    sparse = st.sampled_from([False, False, False, True])
    data["checklist"].update({i.id: draw(sparse) for i in policy.checklist})
    line = st.text(st.characters(categories=("L", "N"), max_codepoint=0x2FF), min_size=3, max_size=30).filter(
        lambda s: s.lower() not in ("quit", "back", "help", "n", "no", "none", "nothing"))
    data["incident"]["summary"] = draw(line)
    if "location" in data["incident"]:
        data["incident"]["location"] = draw(line)
    if draw(st.booleans()):
        data["incident"]["poster_ref"] = draw(line)
    if "other" in data["checklist"]:
        data["checklist"]["other"] = draw(line)
    return data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_interview_gives_what_an_answers_file_gives_after_a_refusal(data):
    """Answering the questions as an answers file does gives the same answers and, after a refusal, the same steps."""
    policy = POLICY
    wanted = data.draw(_typed_answers(policy))
    incident = wanted["incident"]
    platforms = [p.id for p in policy.platforms]
    posters = [p.id for p in policy.posters]
    typed = [incident["observed_on"].isoformat(), str(platforms.index(incident["platform"]) + 1),
             incident.get("location", ""), str(posters.index(incident["poster"]) + 1), incident.get("poster_ref", ""),
             incident["summary"]]
    typed += [_typed(i, wanted["considerations"][i.id]) for i in policy.considerations]
    typed += [_typed(i, wanted["checklist"][i.id]) for i in policy.checklist]
    typed.append(wanted["checklist"].get("other", ""))
    screen = FakeScreen(typed)

    def ask(prompt, screen=screen):
        if screen.typed:
            return FakeScreen.ask(screen, prompt)
        if prompt.startswith("Type a number"):
            return ""
        text = screen.texts()[-1]
        key = next(q.key for q in questions(policy, TODAY) if q.text == text)
        return "y" if wanted["judgement"][key.split(".", 1)[1]] else "n"

    screen.ask = ask
    result = Interview(policy, screen, today=TODAY, recorder=RECORDER).run()
    from_file = parse_answers(wanted, policy, today=TODAY, source="file")
    from_interview = parse_answers(result, policy, today=TODAY, source="interview")
    assert (from_file.incident, from_file.considerations, from_file.checklist, from_file.other) == (
        from_interview.incident, from_interview.considerations, from_interview.checklist, from_interview.other)
    assert _permitted_after_refusal(policy, from_file) == _permitted_after_refusal(policy, from_interview)


def test_none_typed_as_the_summary_is_the_summary_not_a_blank(policy):
    """n, no and none mean blank only at a question that may be left blank; the summary keeps what was typed."""
    assert ("none", "") == (read_answer(_question(policy, "incident.summary"), "none", TODAY),
                            read_answer(_question(policy, "incident.location"), "none", TODAY))
