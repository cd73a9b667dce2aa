"""The ICO's one-month deadline for a subject access request, around weekends and bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hesket_cli.deadlines import (
    BankHolidays,
    bank_holidays,
    one_month_on,
    parse_bank_holidays,
    sar_deadline,
    sar_deadlines,
)
from hesket_cli.errors import InvalidInput

D = dt.date


def test_deadline_in_a_short_month_is_its_last_day():
    """Received 31 January 2025: February has no 31st, so the last day of February."""
    assert D(2025, 2, 28) == sar_deadline(D(2025, 1, 31))


def test_deadline_in_a_leap_february_is_the_29th():
    """Received 31 January 2024: the last day of February in a leap year is the 29th."""
    assert D(2024, 2, 29) == sar_deadline(D(2024, 1, 31))


def test_deadline_on_a_saturday_moves_to_the_monday():
    """Received 31 January 2026: 28 February is a Saturday, so Monday 2 March."""
    assert D(2026, 3, 2) == sar_deadline(D(2026, 1, 31))


def test_deadline_moves_past_a_bank_holiday():
    """Received 31 July 2026: 31 August is the summer bank holiday, so 1 September."""
    assert D(2026, 9, 1) == sar_deadline(D(2026, 7, 31))


def test_deadline_is_the_corresponding_date_next_month():
    """The ICO's own example: received 3 September, answered by 3 October."""
    assert D(2025, 10, 3) == sar_deadline(D(2025, 9, 3))


def test_deadline_moves_past_christmas_substitute_days():
    """Received 25 November 2027: 25 and 26 December fall at a weekend, 27 and 28 are substitutes."""
    result = sar_deadlines(D(2027, 11, 25))
    assert (D(2027, 12, 29), [D(2027, 12, 25), D(2027, 12, 26), D(2027, 12, 27), D(2027, 12, 28)]) == (
        result.deadline, [s.day for s in result.skipped])


def test_school_closure_days_are_skipped_too():
    """A day the school is closed counts like a bank holiday."""
    assert D(2025, 10, 6) == sar_deadline(D(2025, 9, 3), closures=[D(2025, 10, 3)])


def test_working_shows_why_each_day_was_skipped():
    """The result names the weekend days and the holiday it moved past."""
    result = sar_deadlines(D(2026, 7, 31))
    assert ["Summer bank holiday (bank holiday)"] == [s.why for s in result.skipped]


def test_safe_figure_is_the_28th_day_counting_receipt_as_day_one():
    """The 28-day figure counts the day of receipt as day one."""
    assert D(2025, 2, 27) == sar_deadlines(D(2025, 1, 31)).safe_28_days


def test_date_beyond_the_published_holidays_is_refused_naming_the_source():
    """2028 is the last year published; a deadline in 2029 cannot be checked against holidays."""
    with pytest.raises(InvalidInput) as caught:
        sar_deadline(D(2028, 12, 15))
    assert ("beyond the bank holidays hesket knows (2019 to 2028" in caught.value.message,
            "https://www.gov.uk/bank-holidays" in caught.value.message) == (True, True)


def test_shipped_holidays_keep_their_source_and_checked_date():
    """The data file says where the dates came from and when they were checked."""
    known = bank_holidays()
    assert ("https://www.gov.uk/bank-holidays", D(2026, 11, 25), 2028) == (known.source, known.checked,
                                                                          known.last_year)


def test_every_published_year_has_its_eight_regular_holidays_or_more():
    """Each year from 2019 to 2028 has at least the eight regular bank holidays."""
    known = bank_holidays()
    counts = {year: sum(1 for d in known.days if d.year == year) for year in range(2019, 2029)}
    assert {} == {year: n for year, n in counts.items() if n < 8}


def test_holiday_data_without_a_date_is_refused_with_an_example():
    """A hand-edited holiday row missing its date is named, with an example of the right form."""
    data = {"first_year": 2026, "last_year": 2026, "source": "x", "checked": D(2026, 1, 1),
            "holidays": [{"title": "Summer bank holiday"}]}
    with pytest.raises(InvalidInput) as caught:
        parse_bank_holidays(data, where="holidays.toml")
    assert caught.value.message.startswith("holidays.toml: holidays[0] needs a date and a title")


@given(st.dates(min_value=D(2019, 1, 1), max_value=D(2028, 11, 20)))
def test_deadline_is_a_working_day_on_or_after_the_month_mark(received):
    """Whatever the day of receipt, the deadline is a working day, no earlier than a month on."""
    known: BankHolidays = bank_holidays()
    deadline = sar_deadline(received)
    assert (True, False, True) == (deadline.weekday() < 5, deadline in known.days,
                                   one_month_on(received) <= deadline <= one_month_on(received) + dt.timedelta(7))
