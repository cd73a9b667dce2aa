"""dates.py: dates as people in a school office type them, and times as they read them.

A person types `18/11/2026`, `2026-11-18`, `today` or `yesterday` wherever
hesket asks for a date (`--on`, `--since`, the interview), and reads times
in local time with the zone (`25 Nov 2026 17:40 GMT`). Files and JSON stay
strict ISO 8601, the contract for scripts. Pure: `today` is passed in;
nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re

from .describe import cut

FORMS = "YYYY-MM-DD, DD/MM/YYYY, 'today' or 'yesterday'"
_UK = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", re.ASCII)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_POSTED = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?", re.ASCII)
POSTED_FORMS = "YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)"


class NotADate(ValueError):
    """What was typed is not a date in any of the accepted forms, or not a real date."""


def read_date(text: str, today: dt.date) -> dt.date:
    """A typed date: 2026-11-18, 18/11/2026, 18/11/26, 8/1/2026, today, yesterday (NotADate otherwise).

    A slash date is read the UK way, day first. An impossible date
    (31/02/2026) is refused, never moved to a nearby one.
    """
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    match = _UK.fullmatch(word)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year + 2000 if year < 100 else year, month, day)
        if _ISO.fullmatch(word):
            return dt.date.fromisoformat(word)
    except ValueError:
        raise NotADate(f"{cut(text.strip())!r} is not a date (there is no such day); write it as {FORMS}") from None
    raise NotADate(f"{cut(text.strip())!r} is not a date; write it as {FORMS}")


def read_posted_at(text: str) -> dt.date | dt.datetime:
    """When a post was posted, as the site shows it: a date, or a date and a local time to the minute
    (naive: the time on the screen, in no zone); NotADate otherwise."""
    match = _POSTED.fullmatch(text.strip())
    if match is None:
        raise NotADate(f"{cut(text.strip())!r} is not a date or time; write it as {POSTED_FORMS}, "
                       "e.g. 2026-11-17T21:04")
    day, hour, minute = match.groups()
    try:
        date = dt.date.fromisoformat(day)
        return date if hour is None else dt.datetime.combine(date, dt.time(int(hour), int(minute)))
    except ValueError:
        raise NotADate(f"{cut(text.strip())!r} is not a date or time (there is no such day or time); write it as "
                       f"{POSTED_FORMS}") from None


def show_time(when: dt.datetime) -> str:
    """A moment as a person reads it: local time with the zone, `25 Nov 2026 17:40 GMT`."""
    local = when.astimezone()
    zone = local.tzname() or local.strftime("%z")
    return f"{local.day} {local.strftime('%b %Y %H:%M')} {zone}"


def show_date(when: dt.date) -> str:
    """A date as a person reads it: `25 Nov 2026`."""
    return f"{when.day} {when.strftime('%b %Y')}"
