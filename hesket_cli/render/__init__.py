"""render: the Rich views a person reads, drawn from the same documents as `--json`.

Everything shown comes from views.py documents (or the loaded policy), never
from a second reading of the case. Text from outside (answers, notes, names,
reasons, file names) always goes through `said`, which shows it as typed but
with every control character made visible (safe.py), and never as markup,
so a summary containing "[bold]" or an escape sequence is shown, not acted
on. Style names say what a thing is (`policy.quote`, `step.next`), not its
colour; `NO_COLOR` and `--no-color` turn colour off.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from ..safe import shown, shown_lines

if TYPE_CHECKING:
    from rich.color import ColorSystem

    from ..policy import Policy

THEME = Theme({
    "case.id": "bold cyan",
    "label": "bold",
    "muted": "dim",
    "policy.quote": "italic",
    "verdict.inappropriate": "bold red",
    "verdict.appropriate": "bold green",
    "step.next": "bold yellow",
    "step.escalate": "magenta",
    "status.open": "yellow",
    "status.closed": "green",
    "warning": "bold yellow",
    "urgent": "bold red",
})


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    """A console with hesket's theme; colour off when asked or when NO_COLOR is set."""
    return Console(theme=THEME, no_color=no_color or None, highlight=False, stderr=stderr, emoji=False)


def said(text: str | None, style: str = "") -> Text:
    """Text from outside, on one line, safe to show: controls visible, never markup."""
    return Text(shown(text), style=style)


def indented(console: Console, text: Text, indent: int) -> None:
    """Print `text` wrapped to the console's width, every line indented, none padded with trailing spaces."""
    for line in wrapped(console, text, indent):
        console.print(line, soft_wrap=True)


def wrapped(console: Console, text: Text, indent: int, *, columns: int | None = None) -> list[Text]:
    """The lines `indented` prints: `text` wrapped to the console's width (or `columns`), each indented,
    none padded.

    A line that fits (most do) is not handed to Rich's wrapping at all, and
    a caller drawing many gives `columns` (asking the terminal its width
    each time costs more than the rest): `review` draws tens of thousands.
    """
    width = max((columns or console.width) - indent, 20)
    plain = text.plain
    if plain.isascii() and plain.isprintable() and not text.spans:  # most reasons and quotes: one style, ASCII
        lines = [text.blank_copy(plain[start:end]) for start, end in _ascii_lines(plain, width)]
    elif "\n" not in plain and text.cell_len <= width:
        lines = [text.copy()]
    else:
        lines = list(text.wrap(console, width))
    pad = " " * indent
    for line in lines:
        line.rstrip()
        line.pad_left(len(pad))
    return lines


_WORD = re.compile(r"\s*\S+\s*")


def _ascii_lines(plain: str, width: int) -> list[tuple[int, int]]:
    """Where Rich's wrapping (rich._wrap.divide_line, words folded) breaks printable ASCII text `width`
    wide, as (start, end) of each line: a character is a cell, so nothing needs measuring.

    A review of thousands of cases wraps a reason for each; Rich measures every word's cells and
    builds styled pieces for each line, which cost more than all the rest of the review.
    """
    breaks: list[int] = []
    offset = 0
    if len(plain) > width:
        for match in _WORD.finditer(plain):
            start, word = match.start(), match.group()
            length = len(word.rstrip())
            if width - offset >= length:
                offset += len(word)
            elif length > width:  # longer than a line: folded, a line's width at a time
                chunks = [word[n:n + width] for n in range(0, len(word), width)]
                for chunk in chunks[:-1]:
                    if start:
                        breaks.append(start)
                    start += len(chunk)
                if start:
                    breaks.append(start)
                offset = len(chunks[-1])
            elif offset and start:
                breaks.append(start)
                offset = len(word)
    edges = [0, *breaks, len(plain)]
    return list(itertools.pairwise(edges))


def hanging(console: Console, text: Text, indent: int, rest: int) -> None:
    """Print `text` wrapped to the console's width, its first line indented by `indent` and every later
    line by `rest`, so a wrapped entry stays under its own text (`13. Complaint...` / `    No`)."""
    first = text.wrap(console, max(console.width - indent, 20))[0]
    first.rstrip()
    console.print(Text(" " * indent) + first, soft_wrap=True)
    remainder = text[len(first.plain):]
    skip = len(remainder.plain) - len(remainder.plain.lstrip())
    if remainder.plain.strip():
        indented(console, remainder[skip:], rest)


def indented_lines(console: Console, text: str | None, indent: int, style: str = "") -> None:
    """Several lines of text from outside (a note), each wrapped and indented, safe to show."""
    for line in shown_lines(text):
        indented(console, Text(line, style=style), indent)


def quote(console: Console, words: str | None, indent: int = 4) -> None:
    """The policy's own words, in quotation marks, indented beneath what they support."""
    if words:
        indented(console, quoted(words), indent)


def quoted(words: str) -> Text:
    """The policy's own words as `quote` shows them: in quotation marks, in the quote's style."""
    return Text(f"\u201c{shown(words)}\u201d", style="policy.quote")


class Titles:
    """A policy's titles of ids, each looked up once: a trust's view names the same few thousands of times."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, section: str, item_id: str) -> str:
        """As `Policy.title_of`."""
        found = self.known.get((section, item_id))
        if found is None:
            found = self.known[(section, item_id)] = self.policy.title_of(section, item_id)
        return found


Pieces = tuple[tuple[str, str], ...]  # a line that fits, as (text made safe to show, style name) pieces


def fitted(console: Console, line: Pieces, indent: int, columns: int) -> list[Text | Pieces]:
    """The line as its pieces, indented, where it fits `columns` (most do), else wrapped as `wrapped`
    wraps it; no trailing spaces either way (a file or a pipe would keep them)."""
    if indent + sum(len(text) if text.isascii() else cell_len(text) for text, _ in line) > columns:
        return list(wrapped(console, Text.assemble(*line), indent, columns=columns))
    pieces = list(line)
    while pieces and not pieces[-1][0].rstrip():
        pieces.pop()
    if pieces:
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return [((" " * indent, ""), *pieces) if indent and pieces else tuple(pieces)]


def as_written(console: Console, lines: Sequence[Text | Pieces]) -> str | None:
    """`lines` as `console` would write them, one under another; None where only Rich can (a legacy Windows
    console, which is written to through its own calls).

    Rich's printing measures and divides every line again, which for a
    trust's review (tens of thousands of lines) is most of its time. Each
    line here is already wrapped, so it is written as Rich would write it:
    plain where the console has no colour; else each piece with its
    style's codes (colours left out under NO_COLOR, as Rich leaves them).
    A line object met again (a step shared by many cases) is drawn once; a
    line given as pieces (one known to fit) is never made a Rich text at all.
    """
    from rich.color import ColorSystem

    systems = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR}
    if console.legacy_windows or (console.color_system is not None and console.color_system not in systems):
        return None
    styles = None if console.color_system is None else _Styles(console, systems[console.color_system])
    drawn: dict[int, str] = {}
    out = []
    for line in lines:
        text = drawn.get(id(line))
        if text is None:
            if styles is None:  # no colour: the words alone
                text = line.plain if isinstance(line, Text) else "".join([t for t, _ in line])
            else:
                text = styles.draw(line) if isinstance(line, Text) else styles.pieces(line)
            drawn[id(line)] = text
        out.append(text)
        out.append("\n")
    return "".join(out)


def written_or_printed(console: Console, lines: Sequence[Text | Pieces]) -> str | None:
    """The lines as text to write (`as_written`), or, where only Rich can write them, printed now (None)."""
    written = as_written(console, lines)
    if written is None:
        console.print(Text("\n").join(line if isinstance(line, Text) else Text.assemble(*line) for line in lines),
                      soft_wrap=True)
    return written


class _Styles:
    """The theme's styles as a console with colour writes them (one colour system a process, as Rich)."""

    def __init__(self, console: Console, system: ColorSystem) -> None:
        self.console, self.system = console, system
        self.known: dict[str, Style] = {}
        self.known_codes: dict[str, tuple[str, str]] = {}

    def style(self, value: str | Style) -> Style:
        if isinstance(value, Style):
            return value
        found = self.known.get(value)
        if found is None:
            found = self.console.get_style(value, default=Style.null()) if value else Style.null()
            self.known[value] = found.without_color if self.console.no_color else found
        return self.known[value]

    def codes(self, value: str) -> tuple[str, str]:
        """The codes a style's text is written between, as Rich writes them (none for a plain style)."""
        found = self.known_codes.get(value)
        if found is None:
            before, _, after = self.style(value).render("\0", color_system=self.system).partition("\0")
            found = self.known_codes[value] = (before, after)
        return found

    def pieces(self, line: Pieces) -> str:
        """A line of pieces with their styles' codes, as Rich writes a text assembled from them."""
        out: list[str] = []
        for text, style in line:
            if style and text:
                before, after = self.codes(style)
                out += (before, text, after)
            else:
                out.append(text)
        return "".join(out)

    def draw(self, line: Text) -> str:
        """One line with its styles' codes: the line's own style under each span's, in span order."""
        plain, base = line.plain, self.style(line.style)
        cuts = sorted({0, len(plain), *(s.start for s in line.spans), *(s.end for s in line.spans)})
        pieces = []
        for start, end in itertools.pairwise(cuts):
            style = base
            for span in line.spans:
                if span.start <= start and end <= span.end:
                    style = style + self.style(span.style)
            piece = plain[start:end]
            pieces.append(style.render(piece, color_system=self.system) if style else piece)
        return "".join(pieces)
