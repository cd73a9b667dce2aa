"""quote_match.py: finds a quote in a published policy text, exactly, after folding typography, or nearly.

A school copies quotes out of a Word document or a web page, so the same words
arrive with curly or straight quotation marks, hyphens or en dashes, no-break
spaces and "…" or "...". Those differences are typography, not wording: this
module folds them so such a quote is still found, and says which character
differed so a person can decide. When a quote is not found even then, it finds
the passage of the source that is nearest, by anchoring on the quote's rarer
words and scoring a few candidate windows with difflib, never every window (60
quotes against a 30 KB policy must take well under a second).

Pure and stdlib-only: it reads no file and knows nothing of policies. It never
changes letter case or words when folding: those must be verbatim.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

QUOTE_MARKS = "’‘'`“”\"„‹›«»‚‛‟"
DASHES = "‐‑‒–—−-"
NO_BREAK_SPACES = "\u00a0\u202f\u2007\u2060"
INVISIBLE = "\u00ad\u200b\ufeff"
_WORD = re.compile(r"\w+")
_CANDIDATES = 6
_MAX_OCCURRENCES = 400


@dataclass(frozen=True)
class Folded:
    """A text after folding, with the index in the original text of every folded character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's [start, end) that folded characters [start, end) came from."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def _fold_char(char: str, typography: bool) -> str:
    if char.isspace() and char not in NO_BREAK_SPACES:
        return " "
    if not typography:
        return char
    if char in QUOTE_MARKS:
        return "'"
    if char in DASHES:
        return "-"
    if char in NO_BREAK_SPACES:
        return " "
    if char in INVISIBLE:
        return ""
    if char == "…":
        return "..."
    return char


def fold(text: str, *, typography: bool = True, case: bool = False) -> Folded:
    """Fold runs of whitespace to one space (and, if asked, typography and letter case), keeping the index map.

    Without `typography`, only ordinary whitespace is folded: no-break spaces
    stay, so a quote differing by one is found only after folding typography.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char, typography)
        if case:
            lowered = folded.lower()
            folded = lowered if len(lowered) == len(folded) else folded
        for piece in folded:
            if piece == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(piece)
            origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Folded("".join(chars), tuple(origin))


def describe_char(char: str | None) -> str:
    """A character as a person can read it in a message: `’ (U+2019)`, `a space (U+0020)`."""
    if char is None:
        return "nothing"
    code = f"U+{ord(char):04X}"
    if char == " ":
        return f"a space ({code})"
    if char in NO_BREAK_SPACES:
        return f"a no-break space ({code})"
    if char.isspace():
        return f"a line break or other space ({code})"
    if char in INVISIBLE:
        return f"an invisible character ({code})"
    return f"{char} ({code})"


@dataclass(frozen=True)
class Difference:
    """The first place where a passage of the source and a quote differ."""

    source_char: str | None
    quote_char: str | None
    quote_before: str

    @property
    def is_case(self) -> bool:
        """Whether the difference is one of letter case only."""
        a, b = self.source_char, self.quote_char
        return a is not None and b is not None and a != b and a.lower() == b.lower()

    def words(self) -> str:
        """`the source has ’ (U+2019) where the quote has ' (U+0027)`, with where in the quote."""
        where = f' after "{self.quote_before}"' if self.quote_before else " at the start"
        if self.quote_char is None:
            return f"the source has {describe_char(self.source_char)}{where}, where the quote has nothing more"
        if self.source_char is None:
            return f"the quote has {describe_char(self.quote_char)}{where}, which the source lacks"
        return (f"the source has {describe_char(self.source_char)} where the quote has "
                f"{describe_char(self.quote_char)}{where}")


def first_difference(passage: str, quote: str) -> Difference | None:
    """The first character where `passage` and `quote` differ (both compared with whitespace folded)."""
    a = fold(passage, typography=False).text
    b = fold(quote, typography=False).text
    if a == b:
        return None
    for tag, i1, _i2, j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        source_char = a[i1] if tag in ("replace", "delete") and i1 < len(a) else None
        quote_char = b[j1] if tag in ("replace", "insert") and j1 < len(b) else None
        return Difference(source_char, quote_char, _tail(b[:j1]))
    return None  # pragma: no cover - unequal strings always have a non-equal opcode


def _tail(text: str, limit: int = 40) -> str:
    """The end of `text`, cut at a word boundary with "…" when long."""
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1:] if 0 <= space < limit // 2 else cut)


@dataclass(frozen=True)
class Found:
    """Where a quote was found in the source: how, and the original text's span."""

    how: str  # "exact" | "folded" | "case" | "near"
    start: int
    end: int
    ratio: float = 1.0
    word_ratio: float = 1.0

    def line(self, source: str) -> int:
        """The 1-based line number in the source where the passage starts."""
        return line_of(source, self.start)


class SourceIndex:
    """A published policy text prepared once for finding many quotes in it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.plain = fold(source, typography=False).text
        self.folded = fold(source)
        self.lower = fold(source, case=True)
        self.words = [(m.start(), m.end()) for m in _WORD.finditer(self.lower.text)]
        self.word_list = [self.lower.text[start:end] for start, end in self.words]
        self.occurrences: dict[str, list[int]] = {}
        for number, (start, end) in enumerate(self.words):
            self.occurrences.setdefault(self.lower.text[start:end], []).append(number)

    def find(self, quote: str) -> Found | None:
        """The quote found verbatim (whitespace folded), after folding typography, or differing only by case."""
        plain = fold(quote, typography=False).text
        folded = fold(quote).text
        if not folded:
            return None
        at = self.folded.text.find(folded)
        if at >= 0:
            start, end = self.folded.span(at, at + len(folded))
            how = "exact" if plain in self.plain else "folded"
            return Found(how, start, end)
        lower = fold(quote, case=True).text
        at = self.lower.text.find(lower)
        if at >= 0:
            start, end = self.lower.span(at, at + len(lower))
            return Found("case", start, end)
        return None

    def passage(self, found: Found) -> str:
        """The source's words at `found`, with whitespace folded."""
        return fold(self.source[found.start:found.end], typography=False).text

    def nearest(self, quote: str, count: int = 1) -> list[Found]:
        """The `count` best non-overlapping passages resembling `quote`, best first.

        Windows are moved a word at a time comparing words (fast, and a quote's
        boundaries are words); the passages found are then ranked by how alike
        their characters are (`ratio`, 0 to 1), with `word_ratio` kept beside it.
        """
        target = fold(quote, case=True).text
        quote_words = [m.group() for m in _WORD.finditer(target)]
        if not quote_words or not self.words:
            return []
        matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(quote_words)
        refined = sorted((self._refine(matcher, start, len(quote_words))
                          for start in self._anchors(quote_words, target)), key=lambda item: -item[0])
        chars = difflib.SequenceMatcher(None, autojunk=False)
        chars.set_seq2(target)
        scored = []
        for word_ratio, first, last in refined[:count + 2]:
            chars.set_seq1(self.lower.text[self.words[first][0]:self.words[last - 1][1]])
            scored.append((chars.ratio(), word_ratio, first, last))
        scored.sort(key=lambda item: -item[0])
        found: list[Found] = []
        for ratio, word_ratio, first, last in scored:
            start, end = self.lower.span(self.words[first][0], self.words[last - 1][1])
            if all(end <= other.start or start >= other.end for other in found):
                found.append(Found("near", start, end, ratio, word_ratio))
            if len(found) == count:
                break
        return found

    def _anchors(self, quote_words: list[str], target: str) -> list[int]:
        """Candidate first words for the passage: where the quote's rarer words vote it begins."""
        votes: dict[int, float] = {}
        for offset, word in enumerate(quote_words):
            places = self.occurrences.get(word, [])
            if not places or len(places) > _MAX_OCCURRENCES:
                continue
            weight = 1.0 / len(places)
            for place in places:
                start = max(0, place - offset)
                votes[start] = votes.get(start, 0.0) + weight
        if not votes:
            block = difflib.SequenceMatcher(None, self.lower.text, target, autojunk=False).find_longest_match()
            before = sum(1 for start, _ in self.words if start < block.a)
            return [max(0, before - len(target[:block.b].split()))]
        starts: list[int] = []
        for start in sorted(votes, key=lambda s: -votes[s]):
            if all(abs(start - other) > 2 for other in starts):
                starts.append(start)
            if len(starts) == _CANDIDATES:
                break
        return starts

    def _refine(self, matcher: difflib.SequenceMatcher[str], start: int, length: int) -> tuple[float, int, int]:
        """Move the window's ends, in steps from a quarter of its length down to one word, while its words match
        the quote's (the matcher's second sequence) better."""
        total = len(self.words)
        first = min(start, total - 1)
        last = min(total, first + max(1, length))

        def ratio(f: int, lst: int) -> float:
            matcher.set_seq1(self.word_list[f:lst])
            return matcher.ratio()

        best = ratio(first, last)
        tried = {(first, last)}
        step = max(1, length // 4)
        while step >= 1:
            moved = False
            for f, lst in ((first - step, last), (first + step, last), (first, last - step), (first, last + step),
                           (first - step, last - step), (first + step, last + step)):
                if not 0 <= f < lst <= total or (f, lst) in tried:
                    continue
                tried.add((f, lst))
                score = ratio(f, lst)
                if score > best + 1e-9:
                    best, first, last, moved = score, f, lst, True
                    break
            if not moved:
                step //= 2
        return best, first, last


def line_of(text: str, position: int) -> int:
    """The 1-based line number of a character position in `text`."""
    return text.count("\n", 0, position) + 1
