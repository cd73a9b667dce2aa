"""render/interview.py: the interview's screen: a panel per question, or plain lines for screen readers."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from ..safe import shown
from . import said


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

    def help(self, policy_text: str | None, example: str) -> None:
        """`?`: the policy's words and an example."""
        if policy_text:
            self.console.print(Text.assemble(("The policy says: ", "label"),
                                             (f"\u201c{shown(policy_text)}\u201d", "policy.quote")))
        if example:
            self.console.print(said(example))
        self.console.print(Text("Type your answer, b to go back, or q to quit without saving.", style="muted"))

    def hint(self, text: str) -> None:
        """One line saying what was wrong with an answer."""
        self.console.print(said(text, "warning"))

    def review(self, rows: list[tuple[int, str, str]], recorder: str) -> None:
        """Every answer, numbered, before anything is saved."""
        self.console.print()
        self.console.print(Text("Check your answers", style="label"))
        for number, label, value in rows:
            self.console.print(Text.assemble((f"{number:>2}. ", "muted"), (f"{shown(label)}: ", "label"), said(value)))
        self.console.print(Text.assemble(("Recorded by: ", "label"), said(recorder),
                                         ("  (change with --by, or hesket config set name)", "muted")))

    def ask(self, prompt: str) -> str:
        """Read one answer."""
        return self.console.input(Text(prompt, style="step.next"))
