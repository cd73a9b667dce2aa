"""render/interview.py: the interview's screen: a panel per question, or plain lines for screen readers."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from ..safe import shown
from . import hanging, indented, quote, said


class InterviewScreen:
    """The interview's screen: a panel per question, or plain lines (--plain) for screen readers."""

    def __init__(self, console: Console, *, plain: bool = False) -> None:
        self.console = console
        self.plain = plain

    def question(self, progress: str, text: str, policy_text: str | None, choices: list[str],
                 why: str = "", footer: str = "") -> None:
        """One question, with its choices, the policy's words and how to answer."""
        self.console.print()
        body: list[RenderableType] = [said(text, "label")]
        body += [Padding(said(choice), (0, 0, 0, 2)) for choice in choices]
        if policy_text:
            body.append(Text.assemble(("The policy: ", "muted"), (f"\u201c{shown(policy_text)}\u201d", "policy.quote")))
        if why:
            body.append(said(why))
        if footer:
            body.append(Text(footer, style="muted"))
        if self.plain:
            self.console.print(Text(progress))
            for part in body:
                self.console.print(part)
        else:
            self.console.print(Panel(Group(*body), title=progress, title_align="left", border_style="muted"))

    def help(self, policy_text: str | None, example: str, effects: list[tuple[str, str | None]]) -> None:
        """`?`: the policy's words and an example; or (a judgement question) what a yes would permit,
        each step with the policy's words."""
        if policy_text:
            self.console.print(Text.assemble(("The policy says: ", "label"),
                                             (f"\u201c{shown(policy_text)}\u201d", "policy.quote")))
        if example:
            self.console.print(said(example))
        for line, words in effects:
            indented(self.console, said(line, "label" if words is None else "step.next"), 0 if words is None else 2)
            quote(self.console, words)
        self.console.print(Text("Type your answer, b to go back, or q to quit without saving.", style="muted"))

    def kept(self, text: str) -> None:
        """The answer a question asked again already has, which Enter keeps."""
        self.console.print(Text.assemble(("Your answer now: ", "muted"), shown(text)))

    def hint(self, text: str) -> None:
        """One line saying what was wrong with an answer."""
        self.console.print(said(text, "warning"))

    def review(self, rows: list[tuple[int, str, str]], recorder: str, note: str = "") -> None:
        """Every answer, numbered as its question was, before anything is saved; a wrapped answer stays
        indented under its own line."""
        self.console.print()
        self.console.print(Text("Check your answers", style="label"))
        for number, label, value in rows:
            hanging(self.console, Text.assemble((f"{number:>2}. ", "muted"), (f"{shown(label)}: ", "label"),
                                                said(value)), 0, 4)
        if note:
            indented(self.console, Text(note, style="muted"), 0)
        indented(self.console, Text.assemble(("Recorded by: ", "label"), said(recorder),
                                             ("  (change with --by, or hesket config set name)", "muted")), 0)

    def ask(self, prompt: str) -> str:
        """Read one answer."""
        return self.console.input(Text(prompt, style="step.next"))
