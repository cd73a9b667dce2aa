"""policy_layout.py: reads the shape of a school's policy text: its lines, its lists, its title, school and dates.

`policy import` needs more than quotes: to draft a school's own checklist items
it must know which lines form the list of "inappropriate" examples and which
the list of actions, and to fill in [policy] it must find the school's name,
the title and the month it was adopted. Schools' texts come as bullets ("•",
"-", "1."), as paragraphs after a lead-in ending in ":", or flattened; this
module reads each into the same shape. It guesses only from the text itself,
and says "not found" rather than invent: a field it cannot read is left for a
person to decide.

Pure and stdlib-only; it never writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*(?:[-•·*▪◦‣●○■□➢✓–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r"|" + "|".join(_MONTHS)
                         + r")\s+(\d{4})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\b")
_ADOPTED = re.compile(r"\b(adopted|written|approved|ratified|agreed|issued|dated)\b", re.IGNORECASE)
_REVIEWED = re.compile(r"\b(reviewed|revised|updated)\b", re.IGNORECASE)
_NOT_DONE = re.compile(r"\b(next|due|date of next)\b", re.IGNORECASE)
_SCHOOL = re.compile(r"\b((?:[A-Z][\w'’&.-]*\s+){1,6}(?:School|Academy|College))\b")
_GENERIC = {"the", "this", "our", "a", "an", "school", "primary", "junior", "infant", "nursery", "academy",
            "college", "church", "of", "england", "ce", "c.e.", "cofe", "rc", "community", "all", "each", "every",
            "whole", "your", "their", "where", "when", "if", "as", "at", "in", "by", "for"}
_SIGNED = re.compile(r"^\s*(.{3,60}?)\s*[–—-]\s*((?:Chair|Chairman|Chairperson) of (?:the )?Governors|Headteacher|"
                     r"Head Teacher|Principal)\s*$")
_CHECKLIST_LEAD = re.compile(r"\binappropriate\b", re.IGNORECASE)
_ACTION_LEAD = re.compile(r"\b(action|actions|steps)\b.*:\s*$|\bfollowing action\b", re.IGNORECASE)
_LONGEST_ITEM = 600
# The private ways to raise a concern, as policies put them: "a private conversation with the Principal or a
# Trustee, or the Trust's complaints procedure".
_RAISE = re.compile(r"\b(?:an?\s+)?(?:private|confidential)\b[^.;:()\n]{0,200}?\bcomplaints?\s+(?:procedure|process|"
                    r"policy)\b", re.IGNORECASE)
_SLUG_SKIPS = {"a", "an", "the", "if", "any", "are", "is", "be", "to", "of", "which", "and", "or", "i", "e", "that",
               "this", "it", "in", "on", "at", "for", "by", "with", "as", "was", "were", "been"}


@dataclass(frozen=True)
class Line:
    """One line of the text: its number, where its words start and end, and its words."""

    number: int
    start: int
    end: int
    text: str
    bullet: bool


@dataclass(frozen=True)
class Header:
    """What the text says of itself: each value with the line it came from, or None if not found."""

    title: Line | None
    school: tuple[str, int] | None
    adopted: tuple[str, int] | None
    reviewed: tuple[tuple[str, int], ...]
    signed_by: tuple[str, int] | None


def lines_of(text: str) -> list[Line]:
    """Every non-blank line, with a bullet or number marker left out of its words and span."""
    found = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        marker = _BULLET.match(raw)
        body_start = marker.end() if marker else len(raw) - len(raw.lstrip())
        body = raw[body_start:].rstrip()
        if body:
            found.append(Line(number, offset + body_start, offset + body_start + len(body), body, bool(marker)))
        offset += len(raw) + 1
    return found


def item_words(line: Line) -> str:
    """A list line's words without closing ; , or : (a full stop stays: it ends a sentence)."""
    return line.text.rstrip(";,:").rstrip()


def lists_of(lines: list[Line]) -> list[tuple[Line, list[Line]]]:
    """Each list with its lead-in line: bulleted runs, or else the paragraphs after a lead-in ending with ':'."""
    found: list[tuple[Line, list[Line]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1:]
        items = _bulleted(following) or (_paragraphs(following) if line.text.endswith(":") else [])
        if not line.bullet and items:
            found.append((line, items))
            index += len(items)
        index += 1
    return found


def _bulleted(lines: list[Line]) -> list[Line]:
    run = []
    for line in lines:
        if not line.bullet:
            break
        run.append(line)
    return run


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Lines after a lead-in that has no bullets: each up to the next lead-in, blank-line gap or long paragraph."""
    run: list[Line] = []
    for line in lines:
        if run and line.number > run[-1].number + 1:
            break
        if len(line.text) > _LONGEST_ITEM or (run and is_lead_in(line)) or line.bullet:
            break
        run.append(line)
        if is_lead_in(line):
            break
    return [line for line in run if not is_lead_in(line)]


def is_lead_in(line: Line) -> bool:
    """A line that introduces a list: it ends with ':' or says 'the following'."""
    return line.text.endswith(":") or "the following" in line.text.lower()


def kind_of_list(lead_in: Line) -> str:
    """'checklist' for a list of inappropriate uses, 'actions' for a list of actions, else ''."""
    if _ACTION_LEAD.search(lead_in.text):
        return "actions"
    if _CHECKLIST_LEAD.search(lead_in.text) and "following" in lead_in.text.lower():
        return "checklist"
    return ""


def slug(words: str, taken: set[str]) -> str:
    """An id from the words (`direct_contact_of_staff_on_school`), at most 40 characters, not in `taken`."""
    parts = [w for w in re.findall(r"[a-z0-9]+", words.lower()) if w not in _SLUG_SKIPS] or ["item"]
    name = ""
    for part in parts:
        if len(name) + len(part) + 1 > 34:
            break
        name = f"{name}_{part}" if name else part
    name = name or "item"
    if not name[0].isalpha():
        name = f"item_{name}"[:34]
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate


def header_of(lines: list[Line]) -> Header:
    """The title (a short first line), the school's name, adoption and review months, and who signed."""
    titles = [line for line in lines[:5] if _title_like(line)]
    title = next((line for line in titles if "polic" in line.text.lower()), titles[0] if titles else None)
    school = next(((m, line.number) for line in lines for m in _schools(line.text)), None)
    adopted: tuple[str, int] | None = None
    reviewed: list[tuple[str, int]] = []
    for line in lines[:12] + lines[-6:]:
        for keyword, month in _dated(line.text):
            if _REVIEWED.fullmatch(keyword):
                reviewed.append((month, line.number))
            elif adopted is None:
                adopted = (month, line.number)
    signed = next(((m.group(0).strip(), line.number) for line in lines[-8:] if (m := _SIGNED.match(line.text))), None)
    return Header(title, school, adopted, tuple(dict.fromkeys(reviewed)), signed)


def _title_like(line: Line) -> bool:
    text = line.text
    return len(text) <= 100 and not text.endswith((".", ":", ";")) and not _dated(text) and not line.bullet


def _schools(text: str) -> list[str]:
    names = []
    for match in _SCHOOL.finditer(text):
        words = match.group(1).split()
        while words and words[0].lower() in _GENERIC:
            words.pop(0)
        if len(words) > 1 and any(w.lower().strip(".") not in _GENERIC for w in words[:-1]):
            names.append(" ".join(words))
    return names


def _dated(text: str) -> list[tuple[str, str]]:
    """(keyword, YYYY-MM) for each 'Adopted/Written/Reviewed ... <month> <year>' in the text, in order."""
    found = []
    keywords = sorted([*_ADOPTED.finditer(text), *_REVIEWED.finditer(text)], key=lambda m: m.start())
    for number, keyword in enumerate(keywords):
        before = text[max(0, keyword.start() - 12):keyword.start()]
        if _NOT_DONE.search(before):
            continue
        stop = keywords[number + 1].start() if number + 1 < len(keywords) else len(text)
        after = text[keyword.end():min(stop, keyword.end() + 80)]
        month = _month(after)
        if month:
            found.append((keyword.group(1).lower(), month))
    return found


def _month(text: str) -> str | None:
    """The first date in `text` as YYYY-MM: 'May 2018', '20.11.24' or '20/11/2024'."""
    named = _MONTH_YEAR.search(text)
    numeric = _NUMERIC.search(text)
    if named and (not numeric or named.start() < numeric.start()):
        return f"{named.group(2)}-{_MONTHS.index(named.group(1).lower()) + 1:02d}"
    if numeric and 1 <= int(numeric.group(2)) <= 12:
        year = numeric.group(3)
        year = f"20{year}" if len(year) == 2 else year
        return f"{year}-{int(numeric.group(2)):02d}"
    return None


def concerns_passage(lines: list[Line]) -> tuple[str, int] | None:
    """The school's words for the private ways to raise a concern, from "a private..." to "...complaints
    procedure", and their line number; None where no line has such words."""
    for line in lines:
        found = _RAISE.search(line.text)
        if found is not None:
            return found.group(0), line.number
    return None


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_SENTENCE_START = re.compile(r"(?:^\s*|[.!?:]\s+|[-•·*]\s+)$")


def sentence_case(title: str, text: str, names: tuple[str, ...] = ()) -> str | None:
    """A title written all in capitals, in sentence case; None when it is not all capitals.

    A guess, for a person to confirm: the first letter is a capital and every
    other word is lower case, unless the rest of the text only ever writes it
    with a capital mid-sentence (a name: a town's, a site's, "CE") or it is
    part of one of `names` (the school's name), which keeps its letters as given.
    """
    if not any(c.isalpha() for c in title) or title != title.upper():
        return None
    proper = _proper_words(text)
    cased = _WORD.sub(lambda m: proper.get(m.group(0).lower(), m.group(0).lower()), title)
    for name in names:
        cased = re.sub(re.escape(name), name.replace("\\", "\\\\"), cased, flags=re.IGNORECASE)
    first = next((i for i, c in enumerate(cased) if c.isalpha()), 0)
    return cased[:first] + cased[first:first + 1].upper() + cased[first + 1:]


def _proper_words(text: str) -> dict[str, str]:
    """Each word the text writes mid-sentence only with a capital (never all in lower case), as it writes it most;
    a line written all in capitals (a heading shouting) is no evidence either way."""
    forms: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line == line.upper():
            continue
        for match in _WORD.finditer(line):
            if not _SENTENCE_START.search(line[max(0, match.start() - 3):match.start()]):
                forms.setdefault(match.group(0).lower(), []).append(match.group(0))
    return {key: max(set(seen), key=seen.count) for key, seen in forms.items()
            if all(w[0].isupper() for w in seen)}
