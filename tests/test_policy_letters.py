"""What letters take from policy.toml: how a letter names a poster's post, the policy's words for raising concerns."""

from __future__ import annotations

from test_policy import _edited, _problems

from hesket_cli.policy_file import load_policy


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
