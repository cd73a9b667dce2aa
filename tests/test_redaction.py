"""redaction.py: each recorded name out of a quote, whole words only, whatever its case; the rest byte for byte."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hesket_cli.errors import InvalidInput
from hesket_cli.redaction import MARKER, Redacted, checked_names, new_names, redact

from strategies import free_text

# A name: letters of any script, digits, and the marks a regular expression treats specially.
name_chars = st.characters(categories=("L", "Nd"), exclude_characters="_") | st.sampled_from(
    list(".^$*+?{}[]\\|()-'"))
names = st.text(name_chars, min_size=1, max_size=20).filter(lambda n: any(c.isalnum() for c in n))
# What stands between names: spaces, line breaks and punctuation, never a letter, a digit or a mark of a name.
gaps = st.text(st.sampled_from(list(" \n\t,;:!\"")), max_size=5)
word_chars = st.characters(categories=("L", "Nd"))


def test_each_recorded_name_becomes_the_marker_and_the_rest_stays_byte_for_byte():
    """The post's own words, marks and spacing stay; only the names go."""
    text = "Keep your kids away from Tommy Smith and Ellie Jones in 2B...\r\n  Really!!"
    assert Redacted(f"Keep your kids away from {MARKER} and {MARKER} in 2B...\r\n  Really!!", 2) == redact(
        text, ["Tommy Smith", "Ellie Jones"])


def test_a_name_is_found_whatever_its_case_and_across_spaces_and_line_breaks():
    """`tommy smith`, `TOMMY  Smith` and a name broken over two lines are all the recorded name."""
    assert Redacted(f"{MARKER}, {MARKER} and {MARKER}.", 3) == redact(
        "tommy smith, TOMMY  Smith and Tommy\nSmith.", ["Tommy Smith"])


@pytest.mark.parametrize("text", ["Tommy", "Atom", "Tom_1", "Tom2", "ZoëTom", "Tomé"])
def test_a_name_inside_a_longer_word_is_left_alone(text):
    """`Tom` is not a part of `Tommy`, `Atom`, `Tom_1` or `Tomé`: no word is broken."""
    assert Redacted(text, 0) == redact(text, ["Tom"])


def test_a_name_before_an_apostrophe_is_taken_out():
    """`Tom's` is Tom's: the name goes, the `'s` stays."""
    assert Redacted(f"{MARKER}'s mum", 1) == redact("Tom's mum", ["Tom"])


def test_the_longest_of_overlapping_names_is_taken_first():
    """With `Tom` and `Tom Smith` both recorded, `Tom Smith` becomes one marker, not a marker and `Smith`."""
    assert Redacted(f"{MARKER} and {MARKER}", 2) == redact("Tom Smith and Tom", ["Tom", "Tom Smith"])


def test_no_names_leave_the_text_as_it_is():
    """Nothing recorded, nothing changed."""
    assert Redacted("Tommy Smith", 0) == redact("Tommy Smith", [])


@settings(max_examples=300)
@given(name=names, first=gaps, between=st.lists(gaps.filter(bool), max_size=4), last=gaps)
def test_a_name_with_any_letters_or_regex_marks_is_taken_out_wherever_it_stands_alone(name, first, between, last):
    """Between spaces and punctuation, a name of any script or with `.*+?()[]` is replaced, and nothing else is."""
    pieces = [first, *between, last]
    text = name.join(pieces)
    assert Redacted(MARKER.join(pieces), len(pieces) - 1) == redact(text, [name])


@settings(max_examples=300)
@given(name=st.text(word_chars, min_size=1, max_size=10), before=st.text(word_chars, max_size=3),
       after=st.text(word_chars, max_size=3))
def test_a_name_glued_to_a_letter_or_digit_is_never_taken_out(name, before, after):
    """A name that is only a part of a longer word (`Tom` in `Tommy`) leaves that word whole."""
    assume(before or after)
    text = f"{before}{name}{after}"
    assert Redacted(text, 0) == redact(text, [name])


@settings(max_examples=300)
@given(text=free_text, name=names)
def test_a_text_without_the_name_comes_back_unchanged(text, name):
    """Where the name does not occur (in any case), the quote is returned exactly, whatever it holds."""
    assume(not re.search(re.escape(name), text, re.IGNORECASE))
    assert Redacted(text, 0) == redact(text, [name])


@settings(max_examples=200)
@given(text=free_text, recorded=st.lists(names, max_size=3))
def test_the_marker_is_all_that_is_added(text, recorded):
    """Whatever the text and names, taking the markers out of the result leaves a part of the text, in order."""
    found = redact(text, recorded)
    rest = found.text.split(MARKER)
    assert found.removed == len(rest) - 1 or MARKER in text
    position = 0
    for piece in rest:
        position = text.find(piece, position)
        assert -1 != position
        position += len(piece)


def test_names_are_tidied_of_extra_spaces():
    """A name typed with extra spaces is kept with single spaces between its words."""
    assert ("Tommy Smith", "Ellie") == checked_names(["  Tommy   Smith ", "Ellie"], "--redact")


@pytest.mark.parametrize(("name", "problem"), [
    ("", "the name is blank"), ("   ", "the name is blank"), ("Tommy\nSmith", "the name has a line break"),
    ("Tommy\x1bSmith", "the name has a control character"), ("...", "the name has no letter or digit"),
    ("T" * 201, "the name is 201 characters, over the 200 a name may have"),
])
def test_a_name_that_cannot_be_a_name_is_refused_without_repeating_it(name, problem):
    """A blank name, one with a line break or a control, only punctuation, or too long: refused, never echoed."""
    with pytest.raises(InvalidInput) as raised:
        checked_names([name], "--redact")
    assert (True, False) == (raised.value.message.startswith(f"--redact: {problem}"),
                             name.strip() != "" and name in raised.value.message)


def test_a_bad_name_among_several_is_named_by_its_place():
    """With several names, the refusal says which one (the 2nd), not what it is."""
    with pytest.raises(InvalidInput) as raised:
        checked_names(["Tommy", "", "Ellie"], "NAME")
    assert raised.value.message.startswith("NAME: the 2nd name is blank")


def test_a_name_recorded_already_in_another_case_or_spacing_is_not_new():
    """`tommy  smith` is `Tommy Smith` again; each new name is kept once, in order."""
    assert ("Ellie",) == new_names(["Tommy Smith"], ["tommy  smith", "Ellie", "ELLIE"])
