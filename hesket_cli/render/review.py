"""render/review.py: the review (each case's next step, urgent first) and the governors' summary."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..describe import plural
from ..policy import Policy
from ..review import month_title, summary_titles
from ..safe import shown
from . import Pieces, Titles, quoted, said, wrapped, written_or_printed

_ATTENTION_STYLE = {"urgent": "urgent", "overdue": "warning", "flagged": "warning",
                    "open": "status.open", "closed": "status.closed"}


def show_review(console: Console, rows: list[dict[str, Any]], policy: Policy) -> str | None:
    """Each case that needs something, most urgent first: its next step, quoted, and why it needs attention.

    Drawn as lines, each step's lines and quote wrapped once however many
    cases share it, and returned as the text to write (a trust's review
    lists thousands of cases); None where the console printed it itself.
    """
    if not rows:
        console.print(Text("No cases to review.", style="muted"))
        return None
    lines: list[Text | Pieces] = []
    steps: dict[str, list[Text]] = {}
    reasons: dict[str, list[Text | Pieces]] = {}
    title = Titles(policy)
    columns = console.width
    for row in rows:
        lines.append(_header(row, title))  # never wrapped: an id stays whole however narrow the terminal
        if row["next_step"]:
            if row["next_step"] not in steps:
                steps[row["next_step"]] = _step_lines(console, row)
            lines.extend(steps[row["next_step"]])
        for why in row["why"]:
            if why not in reasons:  # a reason shared by many cases (a notice not yet done) is drawn once
                reasons[why] = _reason(console, shown(why), columns)
            lines += reasons[why]
        lines.append(())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["attention"]] = counts.get(row["attention"], 0) + 1
    lines.append(Text(", ".join(f"{n} {name}" for name, n in counts.items()), style="label"))
    return written_or_printed(console, lines)


def _header(row: dict[str, Any], title: Titles) -> Pieces:
    attention = row["attention"]
    header: Pieces = ((row["id"], "case.id"), ("  ", ""), (attention.upper(), _ATTENTION_STYLE.get(attention, "")))
    if row["observed_on"]:
        by = f", by {row['poster_ref']}" if row.get("poster_ref") else ""
        seen = shown(f"  seen {row['observed_on']} on {title('platform', row['platform'])}{by}")
        header += ((seen, "muted"),)
    return header


def _reason(console: Console, why: str, columns: int) -> list[Text | Pieces]:
    """Why a case needs attention, as a bullet; a reason too long for the line wraps under its own words."""
    if 4 + (len(why) if why.isascii() else cell_len(why)) <= columns:
        return [(("  ", ""), ("\u2022 " + why.rstrip(), "warning"))]
    under = wrapped(console, Text(why, style="warning"), 4, columns=columns)
    return [(("  \u2022 " + under[0].plain[4:], "warning"),), *under[1:]]


def _step_lines(console: Console, row: dict[str, Any]) -> list[Text]:
    """A next step's lines: its title and id, then the policy's words for it."""
    step = Text.assemble(("Next: ", "label"), said(row["next_step_title"], "step.next"), (f"  ({row['next_step']})",
                                                                                       "muted"))
    found = wrapped(console, step, 2)
    if row["next_step_policy_text"]:
        found += wrapped(console, quoted(row["next_step_policy_text"]), 4)
    return found


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
        console.print()
        console.print(Text(heading, style="label"))
        console.print(Padding(table, (0, 0, 0, 2)) if data.get(key) else Text("  none", style="muted"))
