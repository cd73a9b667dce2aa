"""The Rich views' own drawing: long views are written as Rich would write them, byte for byte."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from hesket_cli.render import THEME, as_written, said, wrapped
from hesket_cli.safe import shown

from strategies import free_text

STYLES = [*THEME.styles, "", "bold red on white", "underline"]


def _console(system: str | None, no_color: bool) -> Console:
    return Console(theme=THEME, force_terminal=system is not None, color_system=system, width=60, no_color=no_color,
                   highlight=False, emoji=False, file=io.StringIO())


@st.composite
def _lines(draw):
    """Lines of outside text in pieces of any of the theme's styles, some spans overlapping."""
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        line = Text.assemble(*[said(draw(free_text.map(lambda s: s[:30])), draw(st.sampled_from(STYLES)))
                               for _ in range(draw(st.integers(0, 4)))], style=draw(st.sampled_from(STYLES)))
        if line.plain and draw(st.booleans()):
            line.stylize(draw(st.sampled_from(STYLES)), 0, draw(st.integers(0, len(line.plain))))
        lines.append(line)
    return lines


def _same_as_rich(system: str | None, no_color: bool, texts: list[Text]) -> tuple[str, str | None]:
    console = _console(system, no_color)
    lines = [line for text in texts for line in wrapped(console, text, 2)]
    with console.capture() as captured:
        console.print(Text("\n").join(lines), soft_wrap=True)
    return captured.get(), as_written(console, lines)


@pytest.mark.parametrize(("system", "no_color"), [("truecolor", False), ("truecolor", True), (None, False)])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_lines_drawn_by_hesket_are_the_bytes_rich_would_write(system, no_color, data):
    """For any styled line, in colour, without colour (NO_COLOR) or on no terminal, the text is Rich's own."""
    rich, ours = _same_as_rich(system, no_color, data.draw(_lines()))
    assert rich == ours


@pytest.mark.parametrize(("system", "no_color"), [("truecolor", False), ("truecolor", True), (None, False)])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_line_given_as_pieces_is_written_as_rich_writes_the_same_pieces_assembled(system, no_color, data):
    """A line drawn from (text, style) pieces, never made a Rich text, comes out as Rich's Text.assemble would."""
    console = _console(system, no_color)
    line = tuple((shown(draw_text), style) for draw_text, style in data.draw(st.lists(
        st.tuples(free_text.map(lambda s: s[:20]), st.sampled_from(STYLES)), max_size=5)))
    with console.capture() as captured:
        console.print(Text.assemble(*line), soft_wrap=True)
    assert captured.get() == as_written(console, [line])


# Rich keeps a style's colour codes on the style itself, for the first colour system it met: a process
# has one terminal, so one system. So for each older system Rich draws in one process and hesket in another.
_OLDER_SYSTEM = """
import io, sys
from rich.console import Console
from rich.text import Text
from hesket_cli.render import THEME, as_written, wrapped
console = Console(theme=THEME, force_terminal=True, color_system={system!r}, width=60, highlight=False,
                  emoji=False, file=io.StringIO())
texts = [Text.assemble(("2026-0001  ", style), ("URGENT", "urgent"), style="muted") for style in THEME.styles]
texts.append(Text("A line long enough to wrap at sixty columns, in the policy's own quoted words.",
                  style="policy.quote"))
lines = [line for text in texts for line in wrapped(console, text, 2)]
if {who!r} == "rich":
    with console.capture() as captured:
        console.print(Text("\\n").join(lines), soft_wrap=True)
    sys.stdout.write(captured.get())
else:
    sys.stdout.write(as_written(console, lines))
"""


@pytest.mark.parametrize("system", ["256", "standard"])
def test_lines_drawn_for_a_terminal_of_fewer_colours_are_the_bytes_rich_would_write(system):
    """On a terminal of 256 or 16 colours, every style of the theme is written with Rich's own codes."""
    import subprocess
    import sys

    def drawn(who: str) -> str:
        script = _OLDER_SYSTEM.format(system=system, who=who)
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
        assert "" == result.stderr
        return result.stdout

    rich = drawn("rich")
    assert ("\x1b[" in rich, rich) == (True, drawn("hesket"))


@settings(max_examples=300, deadline=None)
@example(text="aaaa bbbb cccc ddddd eeeee", width=20, indent=0)  # a word that exactly fills the line
@example(text="see " + "x" * 50 + "  and more", width=20, indent=2)  # a word longer than a line, folded
@given(text=st.text(alphabet=st.sampled_from("ab cd-ef.  gh"), max_size=200)
       | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200),
       width=st.integers(min_value=20, max_value=90), indent=st.integers(min_value=0, max_value=6))
def test_plain_ascii_text_wraps_where_rich_wraps_it(text, width, indent):
    """hesket's quick wrapping of one-style ASCII text (a review's reasons) gives the lines Rich gives."""
    console = Console(width=200, theme=THEME, highlight=False)
    rich_lines = Text(text, style="warning").wrap(console, max(width - indent, 20))
    expected = []
    for line in rich_lines:
        line.rstrip()
        expected.append((" " * indent + line.plain, line.style))
    actual = [(line.plain, line.style) for line in wrapped(console, Text(text, style="warning"), indent,
                                                          columns=width)]
    assert expected == actual
