"""hesket triage in a real pseudo-terminal (pexpect): what a person at a keyboard sees, types and leaves behind."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
import tomllib

import pytest

from hesket_cli.policy import fold_whitespace

from conftest import POLICY_FILE, case_folders

if sys.platform == "win32":
    pytest.skip("pexpect.spawn needs a POSIX pseudo-terminal, which Windows does not have", allow_module_level=True)
pexpect = pytest.importorskip("pexpect", reason="pexpect is needed to drive hesket in a pseudo-terminal")

POLICY_DATA = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
PROMPT = r"Answer(?: \[[^\]\r\n]*\]| \([^)\r\n]*\))?: "
REVIEW = "Type a number to change that answer, or press Enter to save [save]: "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOUR_CODES = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}
BOX = ("\u256d", "\u2502", "\u2570")  # ╭ │ ╰
SUMMARY = "A fictional relative called the Year 4 teacher useless."
POSTER_REF = "Aunt of a 4B pupil (R.T.)"
# Left out of the comparison of two cases: they differ between any two saves.
VOLATILE = ("id", "created_at", "recorded_by", "chain_head", "chain_head_stored")
# How long to wait for a prompt, or for hesket to exit, before failing. It only bounds the waiting (a passing
# test is no slower): a heavily loaded two-core CI machine once took more than 10 s to end after Ctrl-C.
WAIT = 30


def _today() -> dt.date:
    return dt.date.today()


def _case_id() -> str:
    return f"{_today().year}-0001"


class Terminal:
    """One `hesket triage` run in a pseudo-terminal, with everything it printed kept."""

    def __init__(self, tmp_path, *args: str, env: dict | None = None, columns: int = 100) -> None:
        base = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
        full_env = {**base, "HESKET_CASES_DIR": str(tmp_path / "cases"),
                    "HESKET_CONFIG": str(tmp_path / "config" / "config.toml"),
                    "COLUMNS": str(columns), "TERM": "xterm-256color", **(env or {})}
        self.log = io.StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "hesket_cli", *args], env=full_env, encoding="utf-8",
                                   dimensions=(50, columns), timeout=WAIT, cwd=str(tmp_path))
        self.child.logfile_read = self.log
        self.child.delaybeforesend = None  # each answer is typed only once its prompt is on screen

    def answer(self, *typed: str) -> None:
        """Wait for each question's prompt and type the answer."""
        for text in typed:
            self.child.expect(PROMPT)
            self.child.sendline(text)

    def at(self, shown: str, typed: str) -> None:
        """Wait until `shown` is on screen (colour aside) and then for a prompt, then type."""
        self.child.expect_exact(shown)
        if not shown.startswith("Answer"):
            self.child.expect(PROMPT)
        self.child.sendline(typed)

    def confirm_quit(self) -> None:
        """Answer y when asked whether to quit without saving."""
        self.child.expect_exact("Quit? [y/N]: ")
        self.child.sendline("y")

    def review(self, typed: str = "") -> None:
        self.child.expect_exact(REVIEW)
        self.child.sendline(typed)

    def finish(self) -> int:
        """Wait (up to WAIT seconds) for hesket to exit; its exit status."""
        self.child.expect(pexpect.EOF, timeout=WAIT)
        self.child.close()
        return self.child.exitstatus

    @property
    def raw(self) -> str:
        return self.log.getvalue()

    @property
    def text(self) -> str:
        """What was shown, without escape sequences, with Unix line ends."""
        return ANSI.sub("", self.raw).replace("\r\n", "\n").replace("\r", "")


def _show_json(run, case_id: str, cases=None) -> dict:
    result = run("case", "show", case_id, "--json", env={"HESKET_CASES_DIR": str(cases)} if cases else None)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _steady(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in VOLATILE}


def _kind_post() -> list[str]:
    """Enter everywhere but the platform (10: Another site; it has no default) and the summary."""
    return ["", "10", "", "", "", SUMMARY] + [""] * 13


def _colour_codes(raw: str) -> list[str]:
    """Every SGR escape in `raw` that sets a foreground or background colour."""
    found = []
    for params in SGR.findall(raw):
        codes = {int(p) for p in params.split(";") if p}
        if codes & COLOUR_CODES:
            found.append(params)
    return found


# -- a whole interview ---------------------------------------------------------------------


def test_a_whole_interview_saves_the_case_that_triage_answers_gives(run, tmp_path, cases_dir):
    """A full interview at a terminal saves one case whose assessment and answers equal triage --answers' for the same answers."""
    yesterday = _today() - dt.timedelta(days=1)
    term = Terminal(tmp_path, "triage", "--by", "Mr T Tester")
    term.at("Question 1 of 22", yesterday.strftime("%d/%m/%Y"))
    term.answer("x", "Year 4 parents' group", "3", POSTER_REF, SUMMARY)
    term.answer("n", "", "y", "")                      # considerations: not the appropriate channel; unjustified
    term.answer("", "", "", "y")                       # checklist to the complaint
    term.at("Question 15 of 22", "")                   # defamatory
    term.answer("y", "", "")                           # offensive, racist, threat
    term.answer("Shared a class photograph without permission")
    term.at("Question 20 of 22", "y")                  # harassment: then grossly offensive (21) is not asked
    term.at("Question 22 of 22", "y")                  # circumstances warrant legal advice
    term.review("")
    assert 0 == term.finish(), term.text
    assert f"Saved as case {_case_id()}." in term.text
    assert [_case_id()] == case_folders(cases_dir)
    answers = tmp_path / "same.toml"
    answers.write_text(f"""
[incident]
observed_on = {yesterday.isoformat()}
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
""", encoding="utf-8")
    other = tmp_path / "by-answers"
    assert 0 == run("triage", "--answers", answers, env={"HESKET_CASES_DIR": str(other)}).exit_code
    from_terminal = _show_json(run, _case_id())
    assert _steady(_show_json(run, _case_id(), other)) == _steady(from_terminal)
    assert ("inappropriate", "Mr T Tester") == (from_terminal["verdict"], from_terminal["recorded_by"])


def test_save_answers_writes_a_file_that_gives_the_same_case(run, tmp_path, cases_dir):
    """--save-answers at a terminal writes a file that triage --answers accepts and that gives the same case."""
    saved = tmp_path / "post.toml"
    term = Terminal(tmp_path, "triage", "--by", "Mr T Tester", "--save-answers", str(saved))
    term.answer("today", "whatsapp", "", "pupil", "Year 6 pupil (K.M.)", "A pupil threatened to 'sort out' another child.")
    term.answer("", "", "y", "")                        # considerations
    term.answer("y", "", "y", "", "", "", "", "y")      # checklist: naming children, cyber-bullying, threat
    term.answer("")                                     # anything else
    term.answer("y")                                    # legal advice warranted (the only judgement asked)
    term.review("")
    assert 0 == term.finish(), term.text
    tomllib.loads(saved.read_text(encoding="utf-8"))
    other = tmp_path / "by-answers"
    again = run("triage", "--answers", saved, env={"HESKET_CASES_DIR": str(other)})
    assert 0 == again.exit_code, again.stderr
    from_terminal = _show_json(run, _case_id())
    assert _steady(_show_json(run, _case_id(), other)) == _steady(from_terminal)
    assert ("contact_police", "pupil", "Year 6 pupil (K.M.)", True) == (
        from_terminal["next_step"]["id"], from_terminal["incident"]["poster"], from_terminal["incident"]["poster_ref"],
        from_terminal["answers"]["judgement"]["legal_warranted"])


@pytest.mark.parametrize("typed, saved", [("", 1), ("y", 2)], ids=["enter-saves-nothing", "y-saves-it"])
def test_the_same_poster_reference_date_and_platform_asks_before_saving(tmp_path, cases_dir, typed, saved):
    """A second post typed with the same date, platform and poster reference as a saved case (but another summary)
    is saved only if the person says so: the warning names the case, and Enter saves nothing."""
    def triage(summary: str) -> Terminal:
        term = Terminal(tmp_path, "triage", "--by", "Mr T Tester")
        term.answer("", "whatsapp", "", "", POSTER_REF, summary, *[""] * 13)
        term.review("")
        return term

    first = triage(SUMMARY)
    assert 0 == first.finish(), first.text
    second = triage("The same relative posted the class photograph again.")
    second.child.expect_exact(f"looks like one already recorded in case {_case_id()}")
    second.child.expect_exact(f"it need not be saved again (see: hesket case show {_case_id()})")  # no id to void yet
    second.child.expect_exact("Save it all the same? [y/N]: ")
    second.child.sendline(typed)
    assert 0 == second.finish(), second.text
    assert (saved, saved == 1) == (len(case_folders(cases_dir)), "Stopped: nothing was saved." in second.text)


def test_a_new_post_by_the_poster_of_an_open_case_can_be_added_to_that_case(run, tmp_path, cases_dir):
    """A post typed with the poster reference of an open case (another day, other words) offers to go into that
    case, where the policy's steps carry on; y adds it there and makes no new case."""
    first = Terminal(tmp_path, "triage", "--by", "Mr T Tester")
    first.answer("", "whatsapp", "", "", POSTER_REF, SUMMARY, *[""] * 13)
    first.review("")
    assert 0 == first.finish(), first.text
    second = Terminal(tmp_path, "triage", "--by", "Mr T Tester")
    second.answer("yesterday", "whatsapp", "", "", POSTER_REF, "The same relative posted about the trip again.",
                  *[""] * 13)
    second.review("")
    second.child.expect_exact(f"already has an open case, {_case_id()}")
    second.child.expect_exact(f"Add this post to case {_case_id()} instead? [y/N]: ")
    second.child.sendline("y")
    assert 0 == second.finish(), second.text
    shown = json.loads(run("case", "show", _case_id(), "--json").stdout)
    assert ([_case_id()], 2) == (case_folders(cases_dir), len(shown["posts"]))


# -- back, help, wrong entries -------------------------------------------------------------------


def test_b_goes_back_keeping_later_answers_and_a_changed_answer_changes_the_verdict(run, tmp_path, cases_dir):
    """b goes back one question at a time keeping what was typed after it; going back to tick a complaint saves it inappropriate."""
    term = Terminal(tmp_path, "triage", "--by", "Mr T Tester")
    term.answer("", "4", "Year 4 parents' group", "3", POSTER_REF, SUMMARY)
    term.at("Question 7 of 22", "b")
    term.at("Answer (Enter keeps what you typed before): ", "b")
    term.at("Answer (Enter keeps it, - clears it): ", "b")
    term.at("Answer [3]: ", "b")
    term.child.expect(r"Your answer now: (\x1b\[[0-9;]*m)*Year 4 parents' group")  # what Enter would keep
    term.at("Answer (Enter keeps it, - clears it): ", "Year 5 parents' group")
    term.answer("", "", "")                             # poster, poster reference and summary kept
    term.answer(*[""] * 8)                              # considerations, checklist to the complaint (No)
    term.at("Question 15 of 22", "b")
    term.at("Question 14 of 22", "y")
    term.at("Question 15 of 22", "")
    term.answer("", "", "", "", "", "", "")             # rest of the checklist, anything else, 3 judgements
    term.review("")
    assert 0 == term.finish(), term.text
    doc = _show_json(run, _case_id())
    assert ("whatsapp", "Year 5 parents' group", "relative", POSTER_REF, SUMMARY) == (
        doc["incident"]["platform"], doc["incident"]["location"], doc["incident"]["poster"],
        doc["incident"]["poster_ref"], doc["incident"]["summary"])
    assert ("inappropriate", ["complaint"]) == (doc["verdict"], [r["id"] for r in doc["reasons"]])


def test_question_mark_shows_the_policy_text_of_that_question(tmp_path, cases_dir):
    """? at a question shows 'The policy says: “...”' with that question's policy_text and asks it again."""
    term = Terminal(tmp_path, "triage", columns=200)
    term.answer("", "10", "", "", "", SUMMARY)
    term.at("Question 7 of 22", "?")
    term.child.expect_exact("Answer [Y/n]: ")  # asked the policy's way round: no flags it
    term.child.sendline("q")
    term.confirm_quit()
    assert 0 == term.finish(), term.text
    item = POLICY_DATA["considerations"]["wrong_channel"]
    assert f"Answer [Y/n]: ?\nThe policy says: \u201c{item['policy_text']}\u201d\n{item['help']}\n" in term.text
    assert "Traceback" not in term.text


def test_a_wrong_entry_is_asked_again_with_a_one_line_hint(tmp_path, cases_dir):
    """maybe, 99, 32/13/2026, a future date and a blank summary are each met with a one-line hint and the same prompt."""
    today = _today().isoformat()
    tomorrow = (_today() + dt.timedelta(days=1)).isoformat()
    term = Terminal(tmp_path, "triage")
    term.answer("32/13/2026", tomorrow, "", "99", "", "10", "", "", "", "", "   ", SUMMARY, "maybe", "q")
    term.confirm_quit()
    assert 0 == term.finish(), term.text
    for prompt, typed, hint in [
        (f"Answer [{today}]: ", "32/13/2026", "That is not a date: type it as YYYY-MM-DD or DD/MM/YYYY, or 'today'."),
        (f"Answer [{today}]: ", tomorrow, f"That date is in the future (today is {today})."),
        ("Answer: ", "99", "Type a number from 1 to 10, or one of the names listed."),
        ("Answer: ", "", "This one needs an answer: type a number from 1 to 10, or a name listed."),
        ("Answer: ", "", "This one needs an answer: describe what was posted."),
        ("Answer: ", "   ", "This one needs an answer: describe what was posted."),
        ("Answer [Y/n]: ", "maybe", "Please answer y (yes) or n (no); ? shows the policy's words."),
    ]:
        assert f"{prompt}{typed}\n{hint}\n{prompt}" in term.text, typed
    assert "Traceback" not in term.text
    assert not cases_dir.exists()


# -- leaving without saving ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["third-question", "review"])
def test_ctrl_c_exits_130_and_saves_nothing(tmp_path, cases_dir, where):
    """Ctrl-C at the third question or at the review exits 130, says nothing was saved, and leaves no cases folder."""
    term = Terminal(tmp_path, "triage")
    if where == "review":
        term.answer(*_kind_post())
        term.child.expect_exact(REVIEW)
    else:
        term.answer("", "10")
        term.child.expect_exact("Question 3 of 22")
        term.child.expect(PROMPT)
    term.child.sendintr()
    assert 130 == term.finish(), term.text
    assert "Interrupted: nothing was saved." in term.text
    assert "Traceback" not in term.text
    assert not cases_dir.exists()


@pytest.mark.parametrize("where", ["q-at-question", "q-at-review", "ctrl-d-at-question"])
def test_q_and_ctrl_d_exit_0_and_save_nothing(tmp_path, cases_dir, where):
    """q at a question or the review, or Ctrl-D at a question, exits 0, says nothing was saved, and writes nothing."""
    saved = tmp_path / "post.toml"
    term = Terminal(tmp_path, "triage", "--save-answers", str(saved))
    if where == "q-at-review":
        term.answer(*_kind_post())
        term.review("q")
        term.confirm_quit()
    else:
        term.answer("", "10")
        term.child.expect(PROMPT)
        if where == "q-at-question":
            term.child.sendline("q")
            term.confirm_quit()
        else:
            term.child.sendeof()
    assert 0 == term.finish(), term.text
    assert "Stopped: nothing was saved." in term.text
    assert "Traceback" not in term.text
    assert (False, False) == (cases_dir.exists(), saved.exists())


# -- colour, plain output and narrow terminals ---------------------------------------------------------


def test_no_color_and_plain_are_respected_in_a_terminal(tmp_path):
    """In a terminal colour is used, but not with NO_COLOR, --no-color or --plain; --plain also draws no boxes."""
    def first_question(*args: str, env: dict | None = None) -> Terminal:
        term = Terminal(tmp_path, *args, env=env)
        term.answer("q")
        assert 0 == term.finish(), term.text
        return term

    coloured = first_question("triage")
    assert [] != _colour_codes(coloured.raw)
    assert list(BOX) == [c for c in BOX if c in coloured.text]
    assert [] == _colour_codes(first_question("triage", env={"NO_COLOR": "1"}).raw)
    assert [] == _colour_codes(first_question("--no-color", "triage").raw)
    plain = first_question("triage", "--plain")
    assert [] == _colour_codes(plain.raw)
    assert [] == [c for c in BOX if c in plain.text]
    assert "Question 1 of 22\nOn what date was the post seen?\n" in plain.text


def test_at_40_columns_no_line_is_wider_and_no_word_of_a_quote_is_cut(tmp_path):
    """At 40 columns every line fits, and the long policy quote of question 8 reads whole, word for word."""
    term = Terminal(tmp_path, "triage", columns=40)
    term.answer("", "10", "", "", "", "A short post.", "")
    term.at("Question 8 of 22", "?")
    term.answer("q")
    term.confirm_quit()
    assert 0 == term.finish(), term.text
    lines = term.text.split("\n")
    assert [] == [line for line in lines if len(line) > 40]
    screen = fold_whitespace(re.sub("[\u256d\u256e\u2570\u256f\u2502\u2500]", " ", term.text))
    quote = fold_whitespace(POLICY_DATA["considerations"]["private_discussion_better"]["policy_text"])
    assert f"The policy: \u201c{quote}\u201d" in screen
    assert f"The policy says: \u201c{quote}\u201d" in screen
