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

from rich.console import Console
from rich.text import Text
from rich.theme import Theme

from ..safe import shown, shown_lines

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
    width = max(console.width - indent, 20)
    for line in text.wrap(console, width):
        line.rstrip()
        console.print(Text(" " * indent) + line, soft_wrap=True)


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
        indented(console, Text(f"\u201c{shown(words)}\u201d", style="policy.quote"), indent)
