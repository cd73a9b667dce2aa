"""What letters take from policy.toml: how a letter names a poster's post, the policy's words for raising concerns."""

from __future__ import annotations

from test_policy import _edited, _problems

from hesket_cli.policy_check import check_quotes
from hesket_cli.policy_file import load_policy

from conftest import ROOT


def test_each_kind_of_poster_names_the_post_as_the_policy_says(policy):
    """The shipped policy: a parent's post is "your post", a pupil's "your child's post", an unknown one unnamed."""
    assert ("your post", "your child's post", None) == tuple(
        policy.poster(p).in_letters for p in ("parent", "pupil", "unknown"))


def test_a_posters_letter_words_over_two_lines_are_refused_at_their_place(tmp_path):
    """in_letters goes inside a sentence, so a line break in it is refused, naming the poster."""
    path = _edited(tmp_path, ('in_letters = "your child\'s post"', 'in_letters = "your child\'s\\npost"'))
    assert [f"{path}: posters.pupil.in_letters: must be one line: a letter puts it inside one of its sentences"] == \
        list(_problems(path).details)


def test_a_policy_without_letter_words_for_its_posters_loads(tmp_path):
    """in_letters is optional: without it a poster's post is named by the letters' neutral words."""
    path = _edited(tmp_path, ('in_letters = "your child\'s post"\n', ""))
    assert None is load_policy(path).poster("pupil").in_letters


HIGH_HESKET_WORDS = ("a private and confidential discussion with the Headteacher or member of the Governing Body, "
                     "or using the school's formal complaints process")


def test_the_shipped_policy_gives_its_own_words_for_raising_a_concern(policy):
    """[raise_concerns] quotes High Hesket's published policy, and is among the quotes checked against it."""
    assert (HIGH_HESKET_WORDS, ("raise_concerns", HIGH_HESKET_WORDS)) == (
        policy.raise_concerns, next(q for q in policy.quotes() if q[0] == "raise_concerns"))


def test_words_for_raising_a_concern_not_in_the_published_text_are_an_error_at_their_place(tmp_path):
    """The quote is checked like every policy_text: words the policy never wrote are an error naming the place."""
    path = _edited(tmp_path, (f'policy_text = "{HIGH_HESKET_WORDS}"', 'policy_text = "a chat with the Principal"'))
    found = check_quotes(load_policy(path), (ROOT / "policy.txt").read_text(encoding="utf-8"))
    assert [("raise_concerns.policy_text", "error")] == [(p.place, p.severity) for p in found]


def test_a_policy_without_words_for_raising_a_concern_loads_without_them(tmp_path):
    """[raise_concerns] is optional: without it the policy loads and letters use neutral words."""
    path = _edited(tmp_path, (f'[raise_concerns]\npolicy_text = "{HIGH_HESKET_WORDS}"\n', ""))
    assert None is load_policy(path).raise_concerns


def test_an_unknown_key_in_raise_concerns_is_refused_with_the_allowed_keys(tmp_path):
    """The table is read as strictly as the rest: a misspelt key is named with its place."""
    path = _edited(tmp_path, (f'policy_text = "{HIGH_HESKET_WORDS}"', f'policy_txt = "{HIGH_HESKET_WORDS}"'))
    assert sorted([f"{path}: raise_concerns: missing key 'policy_text'",
                   f"{path}: raise_concerns.policy_txt: unknown key 'policy_txt'; allowed: policy_text"]) == sorted(
        _problems(path).details)
