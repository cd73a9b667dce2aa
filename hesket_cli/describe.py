"""describe.py: a value found in a file, described in an error message the way a person reads it.

Shared by every strict reader (the policy file, answers files, settings), so
they all say `found 'yes' (text)` rather than a Python repr. Standard
library only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_SHOWN = 60


def describe(value: Any) -> str:
    """A short, safe description of a value read from TOML or JSON, for an error message."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        if not value.strip():
            return "blank text"
        shown = value if len(value) <= _SHOWN else value[:_SHOWN - 3] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"{value.isoformat()} (a date and time)"
    if isinstance(value, dt.date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, dt.time):
        return f"{value.isoformat()} (a time)"
    return f"{value!r} ({type(value).__name__})"


def cut(text: str, limit: int = 40) -> str:
    """Typed text as an error echoes it: whole if short, else its first characters and "..." (as a case id
    is cut), so a pasted page or a 400-digit number stays one readable line."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def place(*parts: str) -> str:
    """A place in a file, as its keys joined with dots: place("steps", "contact_police", "when")."""
    return ".".join(p for p in parts if p)


LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines breaks on


def breaks_line(text: str) -> bool:
    """Whether `text` has a line break in it: a one-line field (a name, a poster reference) with one is refused,
    never silently joined, so what is stored is what was typed."""
    return not LINE_BREAKS.isdisjoint(text)


def plural(count: int, noun: str) -> str:
    """A count with its noun: `1 case`, `2 cases`, `0 problems`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
