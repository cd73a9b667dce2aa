"""The school's retention rule, read from text, and the date after which a closed case may be destroyed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hesket_cli.errors import InvalidInput
from hesket_cli.retention import SUGGESTED_DEFAULT, RetentionRule, destroy_after, parse_retention

D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("6 years", RetentionRule(6, "years")),
    ("1 year", RetentionRule(1, "years")),
    ("18 months", RetentionRule(18, "months")),
    ("  2 Years ", RetentionRule(2, "years")),
    ("1month", RetentionRule(1, "months")),
])
def test_rule_is_read_from_years_or_months(text, expected):
    """A whole number of years or months, in either case, with or without spaces."""
    assert expected == parse_retention(text)


@pytest.mark.parametrize("text", ["six years", "6", "6 weeks", "", "-1 years", "1.5 years", "6 years after closing"])
def test_anything_else_is_refused_naming_the_setting_and_an_example(text):
    """Text that is not a duration is refused with the setting's name and an example."""
    with pytest.raises(InvalidInput) as caught:
        parse_retention(text, setting="settings.toml: retention")
    assert (True, True) == (caught.value.message.startswith("settings.toml: retention: "),
                            '"6 years"' in caught.value.message)


def test_zero_is_refused():
    """A period of nothing would make every closed case due for destruction at once."""
    with pytest.raises(InvalidInput):
        parse_retention("0 years")


def test_suggested_default_is_a_rule_hesket_can_read():
    """The suggested default parses."""
    assert RetentionRule(6, "years") == parse_retention(SUGGESTED_DEFAULT)


def test_destroy_after_is_the_same_day_years_later():
    """A case closed on 20 November 2026, kept 6 years, may be destroyed after 20 November 2032."""
    assert D(2032, 11, 20) == destroy_after(D(2026, 11, 20), parse_retention("6 years"))


def test_destroy_after_in_a_shorter_month_is_its_last_day():
    """Closed on 31 August, kept 18 months: February has no 31st, so its last day."""
    assert D(2028, 2, 29) == destroy_after(D(2026, 8, 31), parse_retention("18 months"))


def test_leap_day_closing_is_kept_to_28_february():
    """Closed on 29 February 2028, kept a year: 28 February 2029."""
    assert D(2029, 2, 28) == destroy_after(D(2028, 2, 29), parse_retention("1 year"))


def test_rule_prints_as_it_is_read():
    """str() of a rule reads back as the same rule."""
    assert ["1 year", "18 months"] == [str(parse_retention("1 years")), str(parse_retention("18 month"))]


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.integers(1, 240))
def test_destroy_after_is_always_later_than_closing(closed_on, months):
    """Whatever the date and period, the case is kept past its closing date."""
    assert True is (destroy_after(closed_on, RetentionRule(months, "months")) > closed_on)
