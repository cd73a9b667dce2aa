"""redaction.py: the names a school recorded to keep out of letters and report packs, taken out of a quote.

The policy's risk is twofold: a letter or a platform report must quote the
post exactly (a misquote is what a parent can fairly object to), and it must
never name a child. So the quote stays the post's exact words, byte for
byte, except each name the school recorded with the case (`case capture
--redact`, `case redact`), which becomes MARKER.

How a name is found, kept simple so a person can predict it:
- case does not matter (`tommy smith` finds `Tommy Smith`);
- whole words only: not where a letter, digit or underscore touches either
  end, so `Tom` is not taken out of `Tommy` or `Atom` (it is out of `Tom's`);
- the spaces between a name's words match any run of spaces or line breaks
  (`Tommy Smith` finds `Tommy  Smith` and `Tommy` at a line's end followed
  by `Smith`);
- where recorded names overlap, the longest is taken first.
Nothing else is recognised: a nickname, a misspelling or initials must be
recorded too. Pure: no file, clock or environment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .describe import breaks_line
from .errors import InvalidInput

MARKER = "[child's name removed]"
NAME_LIMIT = 200


class Redacted(NamedTuple):
    """A quote with the recorded names taken out, and how many times a name was taken out."""

    text: str
    removed: int


def redact(text: str, names: Sequence[str]) -> Redacted:
    """`text` exactly, but each whole-word, case-insensitive occurrence of a name in `names` replaced by MARKER."""
    pattern = name_pattern(names)
    if pattern is None:
        return Redacted(text, 0)
    found, count = pattern.subn(MARKER, text)
    return Redacted(found, count)


def name_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern finding any of `names` as this module's docstring describes; None when there are none."""
    words = sorted({tuple(name.split()) for name in names if name.split()}, key=lambda w: -len(" ".join(w)))
    if not words:
        return None
    either = "|".join(r"\s+".join(re.escape(word) for word in name) for name in words)
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)", re.IGNORECASE)


def checked_names(names: Iterable[str], option: str) -> tuple[str, ...]:
    """Each name given, its spaces tidied, in order; InvalidInput (nothing written) for one that cannot be a name.

    The refusal never repeats the name: an error line may be seen, or logged,
    where a child's name must not be.
    """
    given = list(names)
    kept: list[str] = []
    for number, name in enumerate(given, start=1):
        which = f"{option}: the {_ordinal(number)} name" if len(given) > 1 else f"{option}: the name"
        kept.append(_checked(name, which))
    return tuple(kept)


def _checked(name: str, which: str) -> str:
    fix = 'give each name on one line, as it is written in the post, e.g. "Tommy Smith"; nothing was written'
    if breaks_line(name):
        raise InvalidInput(f"{which} has a line break; {fix}")
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in name):
        raise InvalidInput(f"{which} has a control character; {fix}")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f"{which} is blank; {fix}")
    if not any(c.isalnum() for c in cleaned):
        raise InvalidInput(f"{which} has no letter or digit, so it would take punctuation out of the quote; {fix}")
    if len(cleaned) > NAME_LIMIT:
        raise InvalidInput(f"{which} is {len(cleaned):,} characters, over the {NAME_LIMIT} a name may have; {fix}")
    return cleaned


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def new_names(recorded: Sequence[str], given: Sequence[str]) -> tuple[str, ...]:
    """The names in `given` not recorded already (case and spacing ignored), each once, in order."""
    seen = {_key(name) for name in recorded}
    fresh: list[str] = []
    for name in given:
        if _key(name) not in seen:
            seen.add(_key(name))
            fresh.append(name)
    return tuple(fresh)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
