"""render/review.py: the review (each case's next step, urgent first) and the governors' summary."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..describe import plural
from ..policy import Policy
from ..review import month_title, summary_titles
from . import indented, quote, said

_ATTENTION_STYLE = {"urgent": "urgent", "overdue": "warning", "flagged": "warning",
                    "open": "status.open", "closed": "status.closed"}


def show_review(console: Console, rows: list[dict[str, Any]], policy: Policy) -> None:
    """Each case that needs something, most urgent first: its next step, quoted, and why it needs attention."""
    if not rows:
        console.print(Text("No cases to review.", style="muted"))
        return
    for row in rows:
        attention = row["attention"]
        header = Text.assemble((row["id"], "case.id"), "  ", (attention.upper(), _ATTENTION_STYLE.get(attention, "")))
        if row["observed_on"]:
            header.append_text(said(f"  seen {row['observed_on']} on {policy.title_of('platform', row['platform'])}",
                                    "muted"))
        console.print(header)
        if row["next_step"]:
            indented(console, Text.assemble(("Next: ", "label"), said(row["next_step_title"], "step.next"),
                                            (f"  ({row['next_step']})", "muted")), 2)
            quote(console, row["next_step_policy_text"])
        for why in row["why"]:
            indented(console, said(f"\u2022 {why}", "warning"), 2)
        console.print()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["attention"]] = counts.get(row["attention"], 0) + 1
    console.print(Text(", ".join(f"{n} {name}" for name, n in counts.items()), style="label"))


def show_summary(console: Console, data: dict[str, Any], policy: Policy) -> None:
    """The governors' summary: counts only."""
    since = f" since {data['since']}" if data["since"] else ""
    early = data.get("closed_with_steps_untaken", 0)
    console.print(Text(f"{plural(data['cases'], 'case')}{since}; {plural(data['overrides'], 'overridden step')}; "
                       f"{early} closed with steps untaken", style="label"))
    console.print(said(f"Under the {policy.header.title} ({policy.header.dates_said}).", "muted"))
    titles = summary_titles(policy)
    for key, heading in (("month", "Cases per month"), ("verdict", "Verdict"), ("checklist", "Checklist items"),
                         ("platform", "Platform"), ("poster", "Posted by"), ("step", "Steps taken"),
                         ("declined", "Steps considered and not taken"), ("outcome", "Outcomes")):
        table = Table(box=None, pad_edge=False, show_header=False, padding=(0, 2, 0, 0))
        table.add_column("what", overflow="fold")
        table.add_column("count", justify="right", no_wrap=True)
        for name, count in data.get(key, {}).items():
            title = month_title(name) if key == "month" else titles.get(key, {}).get(name, name)
            table.add_row(said(title), str(count))
        if not data.get(key):
            table.add_row("(none)", "0")
        console.print()
        console.print(Text(heading, style="label"))
        console.print(Padding(table, (0, 0, 0, 2)))
