"""safe.py: text that came from outside, made safe to show on a terminal.

A summary, a note, a name or an attachment's file name may hold a parent's
own words pasted from a post, or anything else: escape sequences that clear
the screen, set the window title or make a link; C1 controls; right-to-left
overrides that make text read backwards; newlines that forge a line of the
case's history. Every human view shows such text through `shown`, which
makes controls visible (`␛`, `\\x9b`), neutralises bidirectional controls
(`<U+202E>`) and, in a one-line field, shows a newline as `⏎`. JSON and CSV
keep the exact text for a script; written to a terminal, JSON has those
characters escaped (`json_shown`: the same data, read back) and CSV has
them shown as `shown` shows them. Pure; standard library only.
"""

from __future__ import annotations

import re

_NEWLINES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ ... ␟ (␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


# Any character `_needs_care` is true of: one search in C decides for the common text that needs nothing.
_CARE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CARE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _needs_care(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or ch in _BIDI or ch in "\u2028\u2029"


def shown(text: str | None, *, one_line: bool = True) -> str:
    """`text` as it may be shown on a terminal: every control visible, nothing able to act.

    With `one_line`, a line break shows as `⏎` and the text stays on one
    line; otherwise line breaks are kept (the caller indents each line) and
    other controls are still made visible. A tab shows as a space.
    """
    if not text:
        return text or ""
    if (_CARE if one_line else _CARE_BUT_NEWLINE).search(text) is None:
        return text
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch in _NEWLINES and (one_line or ch != "\n"):
            out.append("\u23ce " if one_line else "\n")
        elif ch == "\t":
            out.append(" ")
        elif _needs_care(ch) and ch != "\n":
            out.append(_visible(ch))
        else:
            out.append(ch)
    return "".join(out)


# What JSON leaves raw that `shown` would make visible (JSON itself escapes U+0000 to U+001F).
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_shown(text: str) -> str:
    """JSON text as it may be shown on a terminal: each character `shown` would make visible that JSON leaves
    raw (DEL, C1 controls, bidirectional controls, U+2028 and U+2029) written as its `\\u` escape instead,
    so nothing can act on the screen and the document still reads back as exactly the same data."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_RAW.search(text) else text


def shown_lines(text: str | None) -> list[str]:
    """A multi-line text as its lines, each safe to show (an indent is the caller's job)."""
    return shown(text, one_line=False).split("\n")
