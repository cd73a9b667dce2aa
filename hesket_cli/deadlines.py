"""deadlines.py: the date a subject access request must be answered by, under the ICO's rule.

A parent may ask, in any words and to anyone at the school, for the personal
data held about them, and the school must answer "without undue delay and at
the latest within one month". The ICO counts that month from the day the
request is received to the corresponding calendar date in the next month; if
there is no such date, the last day of that month; and if the date falls on a
weekend or a public holiday, "you have until the next working day to
respond". Bank holidays are data (`data/bank_holidays.toml`, copied from
GOV.UK with its source and the date it was checked), never worked out from a
pattern: a date beyond the published list is refused with a message saying
so, because a guessed holiday could make the school late.

Pure: no clock, no network; it reads only its own data file, once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .errors import InvalidInput

# Where the rule is written; the quotes in this module are from the second
# (checked 2026-11-25), which gives the same rule in the same words.
ICO_SOURCE = (
    "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/right-of-access/"
    "what-should-we-consider-when-responding-to-a-request"
)
ICO_QUOTED = "https://ico.org.uk/global/sar-checklist-for-smes/i-need-to-complete-a-sar"
# "if a consistent number of days is required (eg for operational or system
# purposes), it may be helpful to adopt a 28-day period to ensure compliance is
# always within a calendar month" (ICO). The day of receipt is day one, so the
# 28th day is 27 days after it: the earlier reading, and so the safe one.
SAFE_DAYS = 28
_DATA_FILE = "bank_holidays.toml"


@dataclass(frozen=True)
class BankHolidays:
    """The bank holidays of England and Wales hesket knows, and where they came from."""

    days: dict[dt.date, str]
    first_year: int
    last_year: int
    source: str
    checked: dt.date

    def covers(self, day: dt.date) -> bool:
        """True if `day` falls in a year the published list is complete for."""
        return self.first_year <= day.year <= self.last_year


@dataclass(frozen=True)
class SkippedDay:
    """A day the deadline moved past, and why it is not a working day."""

    day: dt.date
    why: str


@dataclass(frozen=True)
class SarDeadlines:
    """The deadline for one request, with the working that shows how it was reached.

    `deadline` is the ICO's one-month limit. `one_month` is the calendar date a
    month on, before moving past weekends and holidays (`skipped`).
    `safe_28_days` is the 28th day counting the day of receipt as day one, the
    fixed period the ICO suggests where a consistent number of days is wanted:
    a working target, always inside the month, not the legal limit.
    """

    received: dt.date
    one_month: dt.date
    deadline: dt.date
    skipped: tuple[SkippedDay, ...]
    safe_28_days: dt.date
    source: str = ICO_SOURCE


@functools.cache
def bank_holidays() -> BankHolidays:
    """The shipped list of bank holidays, read and checked once."""
    raw = resources.files("hesket_cli").joinpath("data", _DATA_FILE).read_bytes()
    return parse_bank_holidays(tomllib.loads(raw.decode("utf-8")), where=f"hesket_cli/data/{_DATA_FILE}")


def parse_bank_holidays(data: dict[str, Any], *, where: str) -> BankHolidays:
    """Read the bank-holiday data; InvalidInput naming the file and key if it is not as written by hand."""
    try:
        first, last = data["first_year"], data["last_year"]
        source, checked = data["source"], data["checked"]
        rows = data["holidays"]
    except KeyError as exc:
        raise InvalidInput(f"{where}: missing key {exc.args[0]!r}; restore the file from hesket's sources") from None
    if not (isinstance(first, int) and isinstance(last, int) and first <= last):
        raise InvalidInput(f"{where}: first_year and last_year must be years, first_year <= last_year")
    if not isinstance(source, str) or not isinstance(checked, dt.date):
        raise InvalidInput(f"{where}: 'source' must be a web address and 'checked' a date")
    days: dict[dt.date, str] = {}
    for index, row in enumerate(rows):
        day, title = row.get("date"), row.get("title")
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime) or not isinstance(title, str):
            raise InvalidInput(f"{where}: holidays[{index}] needs a date and a title, for example "
                               '{ date = 2026-08-31, title = "Summer bank holiday" }')
        if not first <= day.year <= last:
            raise InvalidInput(f"{where}: holidays[{index}] {day} is outside first_year..last_year")
        days[day] = title
    return BankHolidays(days=days, first_year=first, last_year=last, source=source, checked=checked)


def one_month_on(received: dt.date) -> dt.date:
    """The corresponding calendar date next month, or that month's last day when it has no such date.

    ICO: "You should calculate the time limit from the day you receive the
    request (whether it is a working day or not) until the corresponding
    calendar date in the next month." "If this is not possible because the
    following month is shorter (and there is no corresponding calendar date),
    the date for response is the last day of the following month."
    """
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(received.day, last_day))


def sar_deadlines(received: dt.date, closures: Iterable[dt.date] = (),
                  holidays: BankHolidays | None = None) -> SarDeadlines:
    """The ICO deadline for a request received on `received`, with its working.

    `closures` are the school's own extra closure days (a workspace setting),
    skipped like bank holidays. Raises InvalidInput when a day that must be
    checked lies outside the years the bank-holiday list covers, rather than
    guess whether it is a holiday.
    """
    known = holidays if holidays is not None else bank_holidays()
    closed = frozenset(closures)
    target = one_month_on(received)
    day = target
    skipped: list[SkippedDay] = []
    while True:
        if not known.covers(day):
            raise InvalidInput(
                f"the deadline for a request received on {received.isoformat()} falls on or after "
                f"{day.isoformat()}, beyond the bank holidays hesket knows ({known.first_year} to "
                f"{known.last_year}, from {known.source}, checked {known.checked.isoformat()}); "
                "add the new year's dates to hesket_cli/data/bank_holidays.toml from that page"
            )
        why = _not_working(day, known, closed)
        if why is None:
            break
        skipped.append(SkippedDay(day, why))
        day += dt.timedelta(days=1)
    return SarDeadlines(received=received, one_month=target, deadline=day, skipped=tuple(skipped),
                        safe_28_days=received + dt.timedelta(days=SAFE_DAYS - 1))


def sar_deadline(received: dt.date, closures: Iterable[dt.date] = ()) -> dt.date:
    """The latest date to answer a subject access request received on `received` (ICO rule)."""
    return sar_deadlines(received, closures).deadline


def _not_working(day: dt.date, known: BankHolidays, closed: frozenset[dt.date]) -> str | None:
    """Why `day` is not a working day (a weekend, a bank holiday, a closure), or None if it is one."""
    if day.weekday() >= 5:
        return day.strftime("%A")
    if day in known.days:
        return f"{known.days[day]} (bank holiday)"
    if day in closed:
        return "a day the school is closed"
    return None
