"""The Rich views' own drawing: long views are written as Rich would write them, byte for byte."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from hesket_cli.render import THEME, as_written, said, wrapped

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


@pytest.mark.parametrize(("system", "no_color"), [("truecolor", False), ("256", False), ("standard", False),
                                                  ("truecolor", True), (None, False)])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_lines_drawn_by_hesket_are_the_bytes_rich_would_write(system, no_color, data):
    """For any styled line, in colour, without colour (NO_COLOR) or on no terminal, the text is Rich's own."""
    console = _console(system, no_color)
    lines = [line for text in data.draw(_lines()) for line in wrapped(console, text, 2)]
    with console.capture() as captured:
        console.print(Text("\n").join(lines), soft_wrap=True)
    assert captured.get() == as_written(console, lines)
