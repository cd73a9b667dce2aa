"""policy_draft.py: writes a draft policy as TOML text, with comments a person can act on.

`policy import` hands a school a draft to read and finish, so the file must
say, beside each item, what was matched loosely, what is new and what a
person must decide (`# CONFIRM:`, `# DECIDE:`). The loader refuses unknown
keys, so those marks can only be TOML comments, and no TOML library of the
standard library writes comments: this small writer does, for the few value
types a policy holds (text, lists of text, whole numbers, true/false, dates).
Its output always reads back with tomllib to the same data.

Pure: it returns text and never writes a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WIDTH = 100


def toml_value(value: Any) -> str:
    """One TOML value: a basic string (JSON's escapes are TOML's), a list, a number, a boolean or a date."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else toml_value(key)


def _comment(lines: Sequence[str]) -> list[str]:
    """Each note as '# ' lines wrapped near _WIDTH characters."""
    out = []
    for note in lines:
        words, current = note.split(), "#"
        for word in words:
            if len(current) + len(word) + 1 > _WIDTH and current != "#":
                out.append(current)
                current = "#  "
            current += " " + word
        out.append(current)
    return out


def render_toml(data: Mapping[str, Any], notes: Mapping[str, Sequence[str]], preface: Sequence[str] = ()) -> str:
    """TOML text for `data`: top-level values first, then each table, notes as comments before their table.

    A note's place is a table's dotted path ("checklist.racist", "policy"); notes
    for a place with no table of its own are put before its section's first table.
    """
    out = _comment(preface)
    if out:
        out.append("")
    tables = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        else:
            out.append(f"{_key(key)} = {toml_value(value)}")
    placed: set[str] = set()
    for key, value in tables:
        _table([key], value, notes, placed, out)
    rest = [f"{place}: {note}" for place, lines in notes.items() if place not in placed for note in lines]
    if rest:
        out += ["", *_comment(["Notes on items no longer in this draft:", *rest])]
    return "\n".join(out).rstrip("\n") + "\n"


def _table(path: list[str], table: Mapping[str, Any], notes: Mapping[str, Sequence[str]], placed: set[str],
           out: list[str]) -> None:
    place = ".".join(path)
    values = [(k, v) for k, v in table.items() if not isinstance(v, Mapping)]
    children = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
    if values or not children or place in notes:
        out.append("")
        if place in notes:
            out += _comment(notes[place])
            placed.add(place)
        out.append("[" + ".".join(_key(p) for p in path) + "]")
        out += [f"{_key(k)} = {toml_value(v)}" for k, v in values]
    for key, child in children:
        _table([*path, key], child, notes, placed, out)
