"""Any school's version of the policy works with data alone: nothing of High Hesket's is needed or shown.

A made-up school, Example Primary School, publishes a short version of the
template: no pre-posting considerations, a checklist that is exhaustive (no
"anything else"), an adoption year and no review, and posters and platforms
it never quotes. Its policy loads, and the interview, the answers template,
the governors' summary and every message follow it. A school that renames
the outcomes sees its own names in every message that lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest

from hesket_cli.answers import parse_answers
from hesket_cli.interview import questions
from hesket_cli.policy_file import load_policy

from conftest import EXAMPLES, POLICY_FILE, ROOT
from strategies import TODAY

SHORT_TEXT = """\
Example Primary School: Social media and parents
Adopted by the governors in 2019.

The school considers the following to be inappropriate uses of social networking sites:
- Posting comments about pupils
- Making complaints about staff

As a first step the school will discuss the matter with the parent and ask for the post to be removed.
If the parent refuses to do this, the school will write to the parent.
"""

SHORT_POLICY = """\
format = 1

[policy]
school = "Example Primary School"
title = "Social media and parents"
adopted = "2019"
policy_text = "Example Primary School: Social media and parents"
source = "policy.txt"

[checklist.pupils]
title = "Comments about pupils"
question = "Does the post comment on pupils?"
policy_text = "Posting comments about pupils"

[checklist.complaint]
title = "Complaint about staff"
question = "Does the post complain about staff?"
policy_text = "Making complaints about staff"

[posters.parent]
title = "Parent"

[posters.someone_else]
title = "Someone else"

[platforms.facebook]
title = "Facebook"

[platforms.elsewhere]
title = "Another site"

[steps.discuss]
title = "Discuss it with the parent and ask for the post to be removed"
stage = "first"
policy_text = "the school will discuss the matter with the parent and ask for the post to be removed"

[steps.letter]
title = "Write to the parent"
stage = "escalation"
policy_text = "the school will write to the parent"

[outcomes.taken_down]
title = "The post was taken down"
leads_to = "resolved"
policy_text = "ask for the post to be removed"

[outcomes.declined]
title = "The parent refused"
leads_to = "escalation"
policy_text = "If the parent refuses to do this"

[actions.record_outcome]
title = "Record what happened after the discussion"

[actions.close_case]
title = "Close the case"

[actions.reopen_case]
title = "Reopen the case"
"""

POST = """\
[incident]
observed_on = 2026-11-18
platform = "facebook"
poster = "parent"
summary = "A made-up parent complained about a made-up teacher."

[checklist]
pupils = false
complaint = true
"""


@pytest.fixture
def short(tmp_path: Path) -> Path:
    """Example Primary School's policy.toml, with the text it quotes beside it."""
    folder = tmp_path / "example-primary"
    folder.mkdir()
    (folder / "policy.txt").write_text(SHORT_TEXT, encoding="utf-8")
    path = folder / "policy.toml"
    path.write_text(SHORT_POLICY, encoding="utf-8")
    return path


@pytest.fixture
def school(run, tmp_path: Path, short: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace of Example Primary School's own, in use for every command."""
    root = tmp_path / "workspace"
    result = run("init", root, "--policy", short)
    assert 0 == result.exit_code, result.output
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    return root


def _triage(run, tmp_path: Path, text: str = POST) -> str:
    answers = tmp_path / "post.toml"
    answers.write_text(text, encoding="utf-8")
    result = run("triage", "--answers", answers, "--json", "--by", "Ms T Example")
    assert 0 == result.exit_code, result.output
    return str(json.loads(result.stdout)["id"])


# -- the policy -------------------------------------------------------------------


def test_a_policy_without_considerations_other_or_a_review_loads(short):
    """No considerations, no [other], an adoption year only, unquoted posters and platforms: it loads."""
    policy = load_policy(short)
    assert ((), None, "2019", (), False, [None, None]) == (
        policy.considerations, policy.other, policy.header.adopted, policy.header.reviewed,
        policy.header.ever_reviewed, [c.policy_text for c in policy.posters])


def test_policy_check_passes_it(run, short):
    """`policy check` finds nothing wrong with it: every quote found, every step reachable."""
    result = run("policy", "check", short)
    assert (0, f"{short}: OK: 0 considerations, 2 checklist items, 2 steps, every quote found in policy.txt.\n") == (
        result.exit_code, result.stdout)


def test_a_condition_on_something_else_is_refused_without_other(run, short):
    """Without [other] nothing else can be described, so a step's `checklist.other` is an error at its place."""
    short.write_text(SHORT_POLICY.replace('stage = "escalation"\n', 'stage = "escalation"\nwhen = ["checklist.other"]\n'),
                     encoding="utf-8")
    result = run("policy", "check", short)
    assert (3, [f"{short}: steps.letter.when: error: unknown item 'other' in 'checklist.other'; known: any, "
                "complaint, pupils"]) == (result.exit_code, result.stdout.splitlines())


def test_policy_show_says_it_was_never_reviewed(run, short):
    """`policy show` gives the adoption year and says there has been no review since."""
    result = run("--policy", short, "policy", "show")
    assert "Adopted 2019, not reviewed since." in result.stdout


# -- the interview and the template --------------------------------------------------


def test_the_interview_asks_no_consideration_and_no_anything_else(short):
    """Without considerations or [other], the interview asks neither; the checklist is asked as written."""
    keys = [q.key for q in questions(load_policy(short), TODAY)]
    assert ([], False, ["checklist.pupils", "checklist.complaint"]) == (
        [k for k in keys if k.startswith("considerations.")], "checklist.other" in keys,
        [k for k in keys if k.startswith("checklist.")])


def test_the_interview_on_the_terminal_never_asks_for_anything_else(run, short):
    """Run through to the end, the interview shows no consideration and no "anything else" question."""
    typed = "\n1\n\n\n\nA made-up parent complained about a made-up teacher.\n" + "\n" * 20  # 1: the platform
    result = run("--policy", short, "triage", "--interview", "--dry-run", "--plain", input=typed)
    assert 0 == result.exit_code, result.output
    assert ("Does the post complain about staff?" in result.stdout, "anything else" in result.stdout.lower(),
            "appropriate channel" in result.stdout) == (True, False, False)


def test_the_template_has_no_considerations_and_no_other(run, short, tmp_path):
    """`triage --template` lists only this policy's tables and ids, and once filled in it is accepted."""
    result = run("--policy", short, "triage", "--template")
    assert 0 == result.exit_code, result.output
    text = result.stdout
    assert (False, False, True, True) == ("[considerations]" in text, re.search(r"^#? ?other =", text, re.M) is not None,
                                          'platform = "facebook"' in text, 'poster = "parent"' in text)
    data = tomllib.loads(text.replace('summary = ""', 'summary = "A made-up post."'))
    answers = parse_answers(data, load_policy(short), today=dt.date.today(), source="template")
    assert ({}, None) == (dict(answers.considerations), answers.other)


def test_an_answers_file_describing_something_else_is_refused(run, short, tmp_path):
    """Without [other], `checklist.other` is an unknown key: exit 3 naming it and the keys allowed."""
    answers = tmp_path / "post.toml"
    answers.write_text(POST + 'other = "Something more"\n', encoding="utf-8")
    result = run("--policy", short, "triage", "--dry-run", "--answers", answers)
    assert (3, f"Error: {answers}: checklist.other: unknown key; allowed: pupils, complaint\n") == (
        result.exit_code, result.stderr)


def test_a_kind_post_of_the_shipped_examples_is_refused_for_its_considerations(run, short):
    """High Hesket's answers files do not fit: their considerations are unknown keys here, named as such."""
    result = run("--policy", short, "triage", "--dry-run", "--answers", EXAMPLES / "kind-post.toml")
    assert 3 == result.exit_code
    assert "considerations.wrong_channel: unknown key; allowed: none" in result.stderr


# -- the governors' summary ------------------------------------------------------------


def test_the_summary_page_never_claims_a_review(run, school, tmp_path):
    """The HTML summary says the policy was adopted in 2019 and not reviewed since; never "last reviewed"."""
    _triage(run, tmp_path)
    page = tmp_path / "summary.html"
    result = run("review", "--summary", "--html", page)
    assert 0 == result.exit_code, result.output
    html = page.read_text(encoding="utf-8")
    assert ("(adopted 2019, not reviewed since)" in html, "last reviewed" in html) == (True, False)


def test_the_text_summary_names_the_policy_and_its_dates_truthfully(run, school, tmp_path):
    """The summary on screen names the policy with its adoption year, says it was not reviewed, and counts."""
    _triage(run, tmp_path)
    lines = [" ".join(line.split()) for line in run("review", "--summary").stdout.splitlines()]
    assert ["1 case; 0 overridden steps; 0 closed with steps untaken",
            "Under the Social media and parents (adopted 2019, not reviewed since)."] \
        == lines[:2]
    assert "Complaint about staff 1" in lines


def test_the_shipped_policys_summary_still_gives_its_last_review(run, tmp_path):
    """A policy that records reviews shows the latest one."""
    assert 0 == run("triage", "--answers", EXAMPLES / "kind-post.toml", "--by", "Ms T Example").exit_code
    page = tmp_path / "summary.html"
    assert 0 == run("review", "--summary", "--html", page).exit_code
    assert "(last reviewed 2024-11)" in page.read_text(encoding="utf-8")


# -- renamed outcomes ----------------------------------------------------------------


def test_every_message_listing_outcomes_uses_the_schools_own(run, school, tmp_path):
    """Refusals, the case view and JSON list taken_down and declined, never High Hesket's outcomes."""
    case_id = _triage(run, tmp_path)
    outputs = []
    assert 0 == run("case", "record", case_id, "discuss").exit_code
    early = run("case", "record", case_id, "letter")
    outputs.append(early.stderr)
    assert (5, f"Error: letter is not permitted yet for case {case_id}: further action follows the outcome of the "
               "discussion: record it first (taken_down or declined). Permitted now: taken_down, declined. To "
               "record it anyway: --override --reason \"why\".\n") == (
        early.exit_code, early.stderr)
    shown = run("case", "show", case_id)
    outputs.append(shown.stdout)
    assert "Outcomes that may be recorded: taken_down, declined" in shown.stdout
    assert ["taken_down", "declined"] == json.loads(run("case", "show", case_id, "--json").stdout)["outcomes"]
    assert 0 == run("case", "record", case_id, "taken_down").exit_code
    late = run("case", "record", case_id, "letter")
    outputs.append(late.stderr)
    assert ("the post was taken down, so the policy's further action does not apply; record declined if the "
            "parent posts again") in late.stderr
    assert [] == [text for text in outputs if re.search(r"\b(removed|refused|continued)\b,", text)]


def test_renaming_the_shipped_outcomes_renames_them_in_every_refusal(run, tmp_path):
    """The shipped policy with its outcomes renamed: the refusal before an outcome lists the new names."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    for old, new in (("removed", "taken_down"), ("refused", "declined"), ("continued", "carried_on")):
        text = text.replace(f"[outcomes.{old}]", f"[outcomes.{new}]")
    text = text.replace("discussion: removed, refused or continued", "discussion: taken down, declined or carried on")
    folder = tmp_path / "renamed"
    folder.mkdir()
    (folder / "policy.toml").write_text(text, encoding="utf-8")
    (folder / "policy.txt").write_text((ROOT / "policy.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert 0 == run("init", tmp_path / "ws", "--policy", folder / "policy.toml").exit_code
    env = {"HESKET_WORKSPACE": str(tmp_path / "ws")}
    made = run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--json", "--by", "Ms T Example",
               env=env)
    case_id = json.loads(made.stdout)["id"]
    assert 0 == run("case", "record", case_id, "discuss_and_request_removal", env=env).exit_code
    refused = run("case", "record", case_id, "written_warning", env=env)
    shown = run("case", "show", case_id, env=env).stdout
    assert ("record the outcome of the discussion first (taken_down, declined or carried_on). Permitted now: "
            "taken_down, declined, carried_on." in refused.stderr,
            "Outcomes that may be recorded: taken_down, declined, carried_on" in shown,
            re.search(r"\b(removed|refused|continued)\b[,)]", refused.stderr + shown)) == (True, True, None)


def test_a_step_titled_as_a_statement_reads_right_in_every_refusal(run, tmp_path, short, monkeypatch):
    """A school whose first step's title is a statement ("The headteacher meets the parent") sees it whole after a
    colon, never made into a garbled instruction ("asks the school to the headteacher meets...")."""
    short.write_text(SHORT_POLICY.replace('title = "Discuss it with the parent and ask for the post to be removed"',
                                          'title = "The headteacher meets the parent"'), encoding="utf-8")
    assert 0 == run("init", tmp_path / "ws", "--policy", short).exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(tmp_path / "ws"))
    case_id = _triage(run, tmp_path)
    refused = run("case", "record", case_id, "letter")
    assert (5, f"Error: letter is not permitted yet for case {case_id}: the policy begins with its first step: The "
               "headteacher meets the parent. Permitted now: discuss. To record it anyway: --override --reason "
               "\"why\".\n") == (refused.exit_code, refused.stderr)


def test_a_report_pack_under_a_policy_with_no_step_of_reporting_says_so(run, school, tmp_path):
    """A school whose policy never complains to the site still gets the pack to read, with a note saying its
    policy has no such step, instead of a pack that reads as if the step were the policy's."""
    case_id = _triage(run, tmp_path)
    result = run("report", case_id, "--json")
    assert 0 == result.exit_code, result.stderr
    note = json.loads(result.stdout)["policy_note"]
    assert note.startswith("the policy in force (Example Primary School) has no step of complaining to the site")
    assert f"Note: {note[:40]}" in run("report", case_id).stdout
