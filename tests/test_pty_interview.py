"""The interview in a real pseudo-terminal at 80 and 40 columns, as a new user met it: the count, the platform,
the review screen, quitting, and `?` at the school's judgement questions."""

from __future__ import annotations

import re
import sys

import pytest

from hesket_cli.policy import fold_whitespace

if sys.platform == "win32":
    pytest.skip("pexpect.spawn needs a POSIX pseudo-terminal, which Windows does not have", allow_module_level=True)
pytest.importorskip("pexpect", reason="pexpect is needed to drive hesket in a pseudo-terminal")

from test_pty import POLICY_DATA, REVIEW, SUMMARY, Terminal

WIDTHS = [80, 40]
LONG = ("A fictional relative wrote a long post about the Year 4 trip, the teacher in charge of it and the "
        "school office, and asked other parents to share it.")
BOX_CHARS = "\u256d\u256e\u2570\u256f\u2502\u2500"


def _kind_post(summary: str = SUMMARY) -> list[str]:
    return ["", "1", "", "", "", summary] + [""] * 13


def _complaint_post() -> list[str]:
    """A complaint on Facebook: the three judgement questions follow question 19."""
    lines = _kind_post()
    lines[13] = "y"  # question 14: a complaint
    return lines


def _review(term: Terminal, typed: str = "") -> None:
    """Wait for the review prompt (its end: at 40 columns it wraps) and type."""
    term.child.expect_exact("[save]: ")
    term.child.sendline(typed)


def _confirm(term: Terminal, typed: str = "y") -> None:
    """Wait for the question whether to quit (its end: at 40 columns it wraps) and type."""
    term.child.expect_exact("will be lost.")
    term.child.expect_exact("[y/N]: ")
    term.child.sendline(typed)


def _headings(text: str) -> list[str]:
    return re.findall(r"Question \d+ of \d+", text)


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_total_never_changes_during_an_interview(tmp_path, cases_dir, columns):
    """A complaint (judgement questions asked) shows 'Question 1 of 22' to 'Question 22 of 22', and no line is
    wider than the terminal."""
    term = Terminal(tmp_path, "triage", columns=columns)
    lines = _complaint_post()
    lines[5] = "A short post."  # what is typed is echoed as typed, unwrapped: only hesket's lines are measured
    term.answer(*lines, "", "", "")
    _review(term)
    assert 0 == term.finish(), term.text
    assert ([f"Question {n} of 22" for n in range(1, 23)], []) == (
        _headings(term.text), [line for line in term.text.split("\n") if len(line) > columns])


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_kind_post_skips_the_judgements_and_the_review_says_so(tmp_path, cases_dir, columns):
    """A kind post ends at question 19 of 22; the review says questions 20, 21 and 22 were not needed."""
    term = Terminal(tmp_path, "triage", columns=columns)
    term.answer(*_kind_post())
    _review(term)
    assert 0 == term.finish(), term.text
    screen = fold_whitespace(term.text)
    assert ("Question 19 of 22", True) == (
        _headings(term.text)[-1],
        "Questions 20, 21 and 22 were not needed: the answer could not change what the policy permits" in screen)


@pytest.mark.parametrize("columns", WIDTHS)
def test_enter_at_the_platform_picks_nothing_and_the_choices_line_up(tmp_path, cases_dir, columns):
    """The platform question has no [default]: Enter is answered with a hint; ' 9.' and '10.' line up."""
    term = Terminal(tmp_path, "triage", "--plain", columns=columns)
    term.answer("")
    term.child.expect_exact("Answer: ")
    term.child.sendline("")
    term.child.expect_exact("This one needs an answer: type a number")
    term.child.expect_exact("Answer: ")
    term.child.sendline("q")
    _confirm(term)
    assert 0 == term.finish(), term.text
    lines = term.text.split("\n")
    nine = next(line for line in lines if line.lstrip().startswith("9. "))
    ten = next(line for line in lines if line.lstrip().startswith("10. "))
    assert (nine.index("9.") + 1, "Answer [10]: " in term.text, True) == (
        ten.index("10.") + 2, False, "This one needs an answer: type a number from 1 to 10, or a name listed."
        in fold_whitespace(term.text))


@pytest.mark.parametrize("columns", [*WIDTHS, 60])
def test_a_wrapped_answer_on_the_review_screen_keeps_its_indent(tmp_path, cases_dir, columns):
    """At 80, 60 and 40 columns a long summary wraps under its own line on the review screen, never at the
    margin."""
    term = Terminal(tmp_path, "triage", "--plain", columns=columns)
    term.answer(*_kind_post(LONG))
    _review(term)
    assert 0 == term.finish(), term.text
    review = term.text.split("Check your answers\n", 1)[1].split("Questions 20", 1)[0]
    rows = [line for line in review.split("\n") if line.strip()]
    starts = [line for line in rows if re.match(r"^[ \d]\d\. ", line)]
    rest = [line for line in rows if line not in starts]
    assert (19, True, []) == (len(starts), len(rest) >= 1, [line for line in rest if not line.startswith("    ")])


@pytest.mark.parametrize("columns", WIDTHS)
def test_b_at_the_review_goes_back_to_the_last_question(tmp_path, cases_dir, columns):
    """b at the review screen asks question 19 again, then shows the review again; Enter saves."""
    term = Terminal(tmp_path, "triage", columns=columns)
    term.answer(*_kind_post())
    _review(term, "b")
    term.at("Question 19 of 22", "")
    _review(term)
    assert 0 == term.finish(), term.text
    assert (2, True) == (term.text.count("Check your answers"), "Saved as case" in term.text)


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_wrong_entry_at_the_review_is_one_hint_not_the_whole_list_again(tmp_path, cases_dir, columns):
    """99 at the review screen prints one hint and asks again; the 19-line list is printed once."""
    term = Terminal(tmp_path, "triage", columns=columns)
    term.answer(*_kind_post())
    _review(term, "99")
    _review(term)
    assert 0 == term.finish(), term.text
    screen = fold_whitespace(term.text)
    assert (1, True) == (term.text.count("Check your answers"),
                         "Type a number from 1 to 19 to change that answer, press Enter to save" in screen)


@pytest.mark.parametrize("columns", WIDTHS)
def test_q_after_nineteen_answers_asks_first_and_n_keeps_them(tmp_path, cases_dir, columns):
    """q at the review screen asks whether to quit, naming the 19 answers that would be lost; n goes back to
    the review and the case is then saved."""
    term = Terminal(tmp_path, "triage", columns=columns)
    term.answer(*_kind_post())
    _review(term, "q")
    _confirm(term, "n")
    _review(term)
    assert 0 == term.finish(), term.text
    screen = fold_whitespace(term.text)
    assert (True, True) == ("Quit without saving? The 19 answers given will be lost." in screen,
                            "Saved as case" in term.text)


@pytest.mark.parametrize("columns", WIDTHS)
def test_question_mark_at_a_judgement_says_what_a_yes_permits(tmp_path, cases_dir, columns):
    """? at 'a crime such as harassment' says what a yes changes, naming the police step in the policy's words."""
    term = Terminal(tmp_path, "triage", columns=columns)
    term.answer(*_complaint_post())
    term.at("Question 20 of 22", "?")
    term.child.expect_exact("Type your answer, b to go back")
    term.answer("q")
    _confirm(term)
    assert 0 == term.finish(), term.text
    screen = fold_whitespace(re.sub(f"[{BOX_CHARS}]", " ", term.text)).replace("\u201c ", "\u201c")
    police = next(step for step in POLICY_DATA["steps"].values() if step["title"] == "Contact the police")
    after = screen.split("Answer [y/N]: ?", 1)[1]
    assert (True, True) == ("What a yes changes: if the parent refuses to remove the post" in after,
                            f"Contact the police (contact_police) \u201c{fold_whitespace(police['policy_text'])}"
                            in after)


def test_the_review_prompt_is_the_one_the_other_tests_wait_for():
    """The review prompt these tests wait for is the interview's own."""
    from hesket_cli.interview import REVIEW_PROMPT

    assert REVIEW == REVIEW_PROMPT
