"""TOML text exactly as tomli_w 1.x writes it, for the types a case file holds.

Its one job: let benchmarks/cases.py write case files byte for byte as hesket
does (hesket encodes with `tomli_w.dumps(case_to_dict(case))`) without
needing tomli_w or hesket installed, so one generated folder serves any
hesket being compared. The rules copied here are tomli_w's: scalars before
sub-tables, a blank line between tables, and a list of tables written inline
(`events = [ {...}, ]`) when every one fits in 100 characters, else as
`[[events]]` blocks. It handles only str, bool, int, date, datetime, tables
and lists of tables; anything else is a TypeError, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

_MAX_LINE = 100
_INDENT = "    "
_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def dumps(table: Mapping[str, Any]) -> str:
    """The TOML text of a mapping, as tomli_w.dumps would write it."""
    return "".join(_chunks(table, name="", inside_array=False))


def _split(table: Mapping[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Mapping[str, Any], bool]]]:
    """The key = value lines, and the sub-tables (with whether each is one of an array of tables)."""
    literals: list[tuple[str, Any]] = []
    tables: list[tuple[str, Mapping[str, Any], bool]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            tables.append((key, value, False))
        elif _is_array_of_tables(value) and not all(_fits_inline(t) for t in value):
            tables.extend((key, t, True) for t in value)
        else:
            literals.append((key, value))
    return literals, tables


def _chunks(table: Mapping[str, Any], *, name: str, inside_array: bool) -> Iterator[str]:
    written = False
    literals, tables = _split(table)
    if inside_array or (name and (literals or not tables)):
        written = True
        yield f"[[{name}]]\n" if inside_array else f"[{name}]\n"
    if literals:
        written = True
        for key, value in literals:
            yield f"{_key(key)} = {_literal(value, 0)}\n"
    for key, value, in_array in tables:
        if written:
            yield "\n"
        written = True
        yield from _chunks(value, name=f"{name}.{_key(key)}" if name else _key(key), inside_array=in_array)


def _literal(value: Any, level: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):  # a datetime is a date too; str() gives TOML's form for both
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = ",\n".join(_INDENT * (level + 1) + _literal(item, level + 1) for item in value)
        return f"[\n{items},\n{_INDENT * level}]"
    if isinstance(value, Mapping):
        return _inline(value)
    raise TypeError(f"{type(value).__name__} is not a type case files hold")


def _inline(table: Mapping[str, Any]) -> str:
    if not table:
        return "{}"
    return "{ " + ", ".join(f"{_key(k)} = {_literal(v, 0)}" for k, v in table.items()) + " }"


def _fits_inline(table: Mapping[str, Any]) -> bool:
    rendered = f"{_INDENT}{_inline(table)},"
    return len(rendered) <= _MAX_LINE and "\n" not in rendered


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if key and _BARE.issuperset(key) else _string(key)


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif (ord(char) < 32 and char != "\t") or ord(char) == 127:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
