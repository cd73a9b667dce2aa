"""render/policy.py: the policy as hesket reads it, for `hesket policy show`."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from ..policy import Condition, Policy, Step
from ..refusals import condition_title
from . import hanging, indented, quote, said


def _section(console: Console, title: str, rows: Iterable[tuple[str, str, str | None]]) -> None:
    console.print()
    console.print(Text(title, style="label"))
    for ident, name, words in rows:
        hanging(console, Text.assemble("\u2022 ", said(name), (f"  ({ident})", "muted")), 2, 4)  # under the text
        quote(console, words)


def _words(policy: Policy, conditions: tuple[Condition, ...]) -> str:
    return ", or ".join(condition_title(policy, c) for c in conditions)


def step_conditions(policy: Policy, step: Step) -> list[str]:
    """When a step is permitted, in plain words (the engine's own titles for each condition)."""
    found = []
    if step.when:
        found.append(f"when: {_words(policy, step.when)}")
    if step.at_once_when:
        found.append(f"at once when: {_words(policy, step.at_once_when)}")
    if step.after:
        found.append("after: " + ", ".join(policy.title_of("step", a) for a in step.after))
    if step.urgent:
        found.append("urgent while permitted and not taken"
                     + (f", when: {_words(policy, step.urgent_when)}" if step.urgent_when else ""))
    return found


def show_policy(console: Console, policy: Policy) -> None:
    """The policy as the tool reads it: considerations, checklist and the ladder of steps."""
    h = policy.header
    console.print(said(h.school, "label"))
    console.print(said(h.title, "label"))
    dates = h.dates_said  # never claims a review the policy does not record
    if h.ever_reviewed:
        dates = f"{f'adopted {h.adopted}' if h.adopted else 'adoption date not given'}, {dates}"
    console.print(said(f"{dates[:1].upper()}{dates[1:]}.  File: {policy.path}", "muted"))
    if policy.considerations:
        _section(console, "Before posting, the policy asks people to consider",
                 [(i.id, i.question, i.policy_text) for i in policy.considerations])
    items = [*policy.checklist, *([policy.other] if policy.other else [])]
    _section(console, "Inappropriate use (any one makes a post inappropriate)",
             [(i.id, i.title, i.policy_text) for i in items])
    if policy.judgements:
        _section(console, "The school's own judgement", [(i.id, i.title, i.policy_text) for i in policy.judgements])
    console.print()
    console.print(Text("The steps, in the ladder's order", style="label"))
    for step in policy.steps:
        style = "step.escalate" if step.stage == "escalation" else "step.next"
        indented(console, Text.assemble(said(step.title, style), (f"  ({step.id}, {step.stage})", "muted")), 2)
        for line in step_conditions(policy, step):
            indented(console, said(line, "muted"), 4)
        quote(console, step.policy_text)
    _section(console, "Outcomes after the discussion", [(o.id, o.title, o.policy_text) for o in policy.outcomes])
