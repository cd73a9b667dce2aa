"""hesket letter: each sentence is true for the case it is drafted from, and for any school's policy."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli_letter import _case, _docx_text, _ok

from conftest import EXAMPLES


def test_the_access_restricted_letter_gives_the_date_the_restriction_was_recorded_as_happening(run, tmp_path,
                                                                                                   monkeypatch):
    """Recorded with --on 2026-11-22, the letter says access was restricted from 22 November, not from today."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path, platform="school_forum")
    _ok(run("case", "record", case_id, "restrict_access", "--on", "2026-11-22"))
    _ok(run("letter", case_id, "access_restricted"))
    text = _docx_text(Path(f"{case_id}-access_restricted.docx"))
    assert "to the school's own online forum from 22 November 2026." in text


def test_the_access_restricted_letter_drafted_before_the_step_leaves_its_date_to_fill_in(run, tmp_path):
    """Drafted before the restriction is recorded, the letter has a marked placeholder for its date, not today's."""
    case_id = _case(run, tmp_path, platform="school_forum")
    result = run("letter", case_id, "access_restricted", "--text")
    _ok(result)
    assert "to the school's own online forum from [the date the step was taken]." in " ".join(result.stdout.split())


def _escalated_case(run, tmp_path: Path, poster: str, first_step: str, outcome: str) -> str:
    """The defamatory example posted by `poster`, captured, its first step taken and `outcome` recorded."""
    case_id = _case(run, tmp_path, escalated=False)
    (tmp_path / "answers.toml").unlink()
    if poster != "parent":
        _ok(run("case", "void", case_id, "--reason", "Posted by someone else"))
        answers = (EXAMPLES / "defamatory-post.toml").read_text(encoding="utf-8")
        (tmp_path / "answers.toml").write_text(answers.replace('poster = "parent"', f'poster = "{poster}"'),
                                               encoding="utf-8")
        result = run("triage", "--answers", tmp_path / "answers.toml", "--json")
        _ok(result)
        case_id = json.loads(result.stdout)["id"]
        _ok(run("case", "capture", case_id, "--url", "https://www.facebook.com/groups/example/posts/1",
                "--text", "Ask yourselves where the school fund money went?"))
    _ok(run("case", "record", case_id, first_step, "--on", "2026-11-20"))
    _ok(run("case", "record", case_id, outcome, "--on", "2026-11-21"))
    return case_id


def _warning(run, case_id: str) -> str:
    result = run("letter", case_id, "written_warning", "--text")
    _ok(result)
    return " ".join(result.stdout.split())


def test_a_warning_about_a_pupils_post_speaks_of_your_childs_post_and_the_outcome_recorded(run, tmp_path):
    """A pupil posted and posted again: the letter names "your child's post" and what was recorded, nothing else."""
    text = _warning(run, _escalated_case(run, tmp_path, "pupil", "discuss_child_use", "continued"))
    assert ("RE: Your child's post on Facebook", "the school talked with you about your child's post on Facebook. "
            "After that discussion, the school recorded: the parent continued to post inappropriately.") == (
        text[text.index("RE:"):text.index("RE:") + 33], text[text.index("the school talked"):text.index(" The post, as")])
    assert (False, False, False) == ("Your post" in text, "still there" in text, "asked you to remove" in text)


def test_a_warning_to_a_parent_who_refused_says_so_and_asks_for_their_post_to_be_removed(run, tmp_path):
    """A parent who refused: "your post", the refusal as recorded, and a request that the post is removed."""
    text = _warning(run, _escalated_case(run, tmp_path, "parent", "discuss_and_request_removal", "refused"))
    assert (True, True, True) == ("RE: Your post on Facebook" in text,
                                  "the school recorded: the parent refused to remove the post." in text,
                                  "The school asks that your post is removed from Facebook within" in text)


def test_a_warning_about_a_post_by_someone_not_known_never_says_it_is_theirs(run, tmp_path):
    """Poster not known (no `in_letters` in the policy): the letter speaks of "the post", never "your post"."""
    text = _warning(run, _escalated_case(run, tmp_path, "unknown", "discuss_and_request_removal", "refused"))
    assert (True, False) == ("RE: The post on Facebook" in text, "your post" in text.lower())


def test_high_heskets_letters_use_its_policys_own_words_for_raising_a_concern(run, policy, tmp_path):
    """The shipped policy's [raise_concerns], quoted from its published text, is what its letters offer."""
    text = _warning(run, _escalated_case(run, tmp_path, "parent", "discuss_and_request_removal", "refused"))
    assert f"the best way to raise them is {policy.raise_concerns};" in text
