"""render.py: the Rich views a person reads, drawn from the same documents as `--json`.

Everything shown here comes from views.py documents (or the loaded policy),
never from a second reading of the case. Text typed by users is always
passed as `Text`, never as markup, so a summary containing "[bold]" is shown
as typed. Style names say what a thing is (`policy.quote`, `step.next`), not
its colour; `NO_COLOR` and `--no-color` turn colour off.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from .policy import Policy

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
})


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    """A console with hesket's theme; colour off when asked or when NO_COLOR is set."""
    return Console(theme=THEME, no_color=no_color or None, highlight=False, stderr=stderr, emoji=False)


def _quote(text: str | None) -> Padding:
    return Padding(Text(f"\u201c{text}\u201d", style="policy.quote"), (0, 0, 0, 4), expand=False)


def _title(policy: Policy, section: str, value: str) -> str:
    choices = policy.platforms if section == "platform" else policy.posters
    return next((c.title for c in choices if c.id == value), value)


def show_case_header(console: Console, doc: dict[str, Any], policy: Policy) -> None:
    """The case id, status and what was seen where."""
    incident = doc["incident"]
    console.print(Text.assemble(("Case ", "label"), (doc["id"], "case.id"), " ",
                                (f"({doc['status']})", f"status.{doc['status']}")))
    where = _title(policy, "platform", incident["platform"])
    if incident.get("location"):
        where = f"{where} ({incident['location']})"
    console.print(Text.assemble(("Seen: ", "label"), f"{incident['observed_on']} on {where}"))
    console.print(Text.assemble(("Posted by: ", "label"), _title(policy, "poster", incident["poster"])))
    console.print(Text.assemble(("Summary: ", "label"), incident["summary"]))
    console.print(Text.assemble(("Recorded by: ", "label"), f"{doc['recorded_by']}, {doc['created_at']}"))
    if doc["policy"]["changed_since"]:
        console.print(Text("The policy file has changed since this case was triaged; "
                           "the assessment below follows the policy in use now.", style="warning"))


def show_assessment(console: Console, doc: dict[str, Any], *, with_reasons: bool = True) -> None:
    """The verdict, each reason with the policy's words, the next step and what is permitted."""
    verdict = doc["verdict"]
    console.print()
    console.print(Text.assemble(("Verdict: ", "label"), (verdict.upper(), f"verdict.{verdict}")))
    if with_reasons:
        _show_reasons(console, doc)
    console.print()
    step = doc["next_step"]
    if step is None:
        console.print(Text.assemble(("Next step: ", "label"), ("none: the case is closed", "muted")))
    else:
        console.print(Text.assemble(("Next step: ", "label"), (step["title"], "step.next"), (f"  ({step['id']})", "muted")))
        if step["policy_text"]:
            console.print(_quote(step["policy_text"]))
    if doc["permitted"]:
        console.print(Text.assemble(("Permitted now: ", "label"), ", ".join(s["id"] for s in doc["permitted"])))
    if doc["outcomes"]:
        console.print(Text.assemble(("Outcomes that may be recorded: ", "label"), ", ".join(doc["outcomes"])))


def _show_reasons(console: Console, doc: dict[str, Any]) -> None:
    if doc["reasons"]:
        console.print(Text("Why, in the policy's words:", style="label"))
        for reason in doc["reasons"]:
            console.print(Padding(Text.assemble("\u2022 ", reason["title"], (f"  [{reason['kind']}]", "muted")), (0, 0, 0, 2), expand=False))
            console.print(_quote(reason["policy_text"]))
        other = doc["answers"]["checklist"].get("other")
        if other and other.strip():
            console.print(Padding(Text.assemble(("Something else, as described: ", "muted"), other), (0, 0, 0, 2), expand=False))
    else:
        console.print(Text("Nothing on the policy's checklist was ticked and no consideration was flagged.", style="muted"))


def show_history(console: Console, doc: dict[str, Any]) -> None:
    """The case's events as a dated timeline: who, what, note, overrides (in the warning colour), evidence."""
    console.print()
    console.print(Text("History", style="label"))
    console.print(Padding(Text.assemble((doc["created_at"][:10], "label"), "  triaged",
                                        (f"  by {doc['recorded_by']}", "muted")), (0, 0, 0, 2), expand=False))
    for event in doc["events"]:
        what = event["event"]
        if event["attachment"]:
            a = event["attachment"]
            what = f"evidence attached: {a['name']} ({_size(a['size'])}, SHA-256 {a['sha256'][:12]}...)"
        style = "warning" if event["override_reason"] else ""
        line = Text.assemble((event["on"], "label"), "  ", (what, style), (f"  by {event['by']}", "muted"))
        if event["override_reason"]:
            line.append("  OVERRIDDEN", style="warning")
        console.print(Padding(line, (0, 0, 0, 2), expand=False))
        if event["note"]:
            console.print(Padding(Text(event["note"]), (0, 0, 0, 14), expand=False))
        if event["override_reason"]:
            console.print(Padding(Text(f"Override reason: {event['override_reason']}", style="warning"),
                                  (0, 0, 0, 14), expand=False))
    evidence = [e["attachment"] for e in doc["events"] if e["attachment"]]
    if evidence:
        console.print()
        console.print(Text("Evidence", style="label"))
        for a in evidence:
            console.print(Padding(Text.assemble(a["file"], (f"  (was {a['name']}, {_size(a['size'])})", "muted")),
                                  (0, 0, 0, 2), expand=False))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def show_case(console: Console, doc: dict[str, Any], policy: Policy) -> None:
    """A whole case: what was seen, the current assessment and the history."""
    show_case_header(console, doc, policy)
    show_assessment(console, doc)
    show_history(console, doc)


def show_case_list(console: Console, docs: list[dict[str, Any]], policy: Policy) -> None:
    """One row per case, newest first."""
    if not docs:
        console.print(Text("No cases.", style="muted"))
        return
    if console.width < 78:
        for doc in docs:
            step = doc["next_step"]
            console.print(Text.assemble(
                (doc["id"], "case.id"), "  ", doc["incident"]["observed_on"], "  ",
                (doc["verdict"], f"verdict.{doc['verdict']}"), "  ", (doc["status"], f"status.{doc['status']}"),
            ))
            console.print(Padding(Text.assemble(
                _title(policy, "platform", doc["incident"]["platform"]), ", ",
                _title(policy, "poster", doc["incident"]["poster"]),
                ("; next: ", "muted"), step["id"] if step else "none",
            ), (0, 0, 0, 2), expand=False))
        return
    table = Table(box=None, pad_edge=False, header_style="label", padding=(0, 2, 0, 0))
    for column in ("ID", "Seen", "Platform", "Poster", "Verdict", "Next step", "Status"):
        table.add_column(column, no_wrap=column in ("ID", "Seen", "Verdict", "Status"), overflow="fold")
    for doc in docs:
        step = doc["next_step"]
        table.add_row(
            Text(doc["id"], style="case.id"),
            doc["incident"]["observed_on"],
            _title(policy, "platform", doc["incident"]["platform"]),
            _title(policy, "poster", doc["incident"]["poster"]),
            Text(doc["verdict"], style=f"verdict.{doc['verdict']}"),
            step["id"] if step else "",
            Text(doc["status"], style=f"status.{doc['status']}"),
        )
    console.print(table)


def show_policy(console: Console, policy: Policy) -> None:
    """The policy as the tool reads it: considerations, checklist and the ladder of steps."""
    h = policy.header
    console.print(Text(h.school, style="label"))
    console.print(Text(h.title, style="label"))
    reviewed = f", last reviewed {h.last_reviewed}" if h.reviewed else ""
    console.print(Text(f"Adopted {h.adopted}{reviewed}.  File: {policy.path}", style="muted"))

    def section(title: str, rows) -> None:
        console.print()
        console.print(Text(title, style="label"))
        for ident, name, quote in rows:
            console.print(Padding(Text.assemble("\u2022 ", name, (f"  ({ident})", "muted")), (0, 0, 0, 2), expand=False))
            if quote:
                console.print(_quote(quote))

    section("Before posting, the policy asks people to consider",
            [(i.id, i.question, i.policy_text) for i in policy.considerations])
    section("Inappropriate use (any one makes a post inappropriate)",
            [(i.id, i.title, i.policy_text) for i in (*policy.checklist, policy.other)])
    section("The school's own judgement", [(i.id, i.title, i.policy_text) for i in policy.judgements])
    console.print()
    console.print(Text("The steps, in the ladder's order", style="label"))
    for step in policy.steps:
        conditions = []
        if step.when:
            conditions.append("when " + " or ".join(str(c) for c in step.when))
        if step.at_once_when:
            conditions.append("at once when " + " or ".join(str(c) for c in step.at_once_when))
        if step.after:
            conditions.append("after " + ", ".join(step.after))
        style = "step.escalate" if step.stage == "escalation" else "step.next"
        console.print(Padding(Text.assemble((step.title, style), (f"  ({step.id}, {step.stage})", "muted")), (0, 0, 0, 2), expand=False))
        if conditions:
            console.print(Padding(Text("; ".join(conditions), style="muted"), (0, 0, 0, 4), expand=False))
        console.print(_quote(step.policy_text))
    section("Outcomes after the discussion", [(o.id, o.title, o.policy_text) for o in policy.outcomes])


class InterviewScreen:
    """The interview's screen: a panel per question, or plain lines (--plain) for screen readers."""

    def __init__(self, console: Console, *, plain: bool = False) -> None:
        self.console = console
        self.plain = plain

    def question(self, progress: str, text: str, policy_text: str | None, choices: list[str],
                 why: str = "", footer: str = "") -> None:
        self.console.print()
        body = [Text(text, style="label")]
        body += [Padding(Text(choice), (0, 0, 0, 2)) for choice in choices]
        if policy_text:
            body.append(Text.assemble(("The policy: ", "muted"), (f"\u201c{policy_text}\u201d", "policy.quote")))
        if why:
            body.append(Text(why))
        if footer:
            body.append(Text(footer, style="muted"))
        if self.plain:
            self.console.print(Text(progress))
            for part in body:
                self.console.print(part)
        else:
            self.console.print(Panel(Group(*body), title=progress, title_align="left", border_style="muted"))

    def help(self, policy_text: str | None, example: str) -> None:
        if policy_text:
            self.console.print(Text.assemble(("The policy says: ", "label"), (f"\u201c{policy_text}\u201d", "policy.quote")))
        if example:
            self.console.print(Text(example))
        self.console.print(Text("Type your answer, b to go back, or q to quit without saving.", style="muted"))

    def hint(self, text: str) -> None:
        self.console.print(Text(text, style="warning"))

    def review(self, rows: list[tuple[int, str, str]], recorder: str) -> None:
        self.console.print()
        self.console.print(Text("Check your answers", style="label"))
        for number, label, value in rows:
            self.console.print(Text.assemble((f"{number:>2}. ", "muted"), (f"{label}: ", "label"), value))
        self.console.print(Text.assemble(("Recorded by: ", "label"), recorder,
                                         ("  (change with --by, or hesket config set name)", "muted")))

    def ask(self, prompt: str) -> str:
        return self.console.input(Text(prompt, style="step.next"))


_ATTENTION_STYLE = {"urgent": "verdict.inappropriate", "overdue": "warning", "flagged": "warning",
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
            header.append(f"  seen {row['observed_on']} on {_title(policy, 'platform', row['platform'])}", style="muted")
        console.print(header)
        if row["next_step"]:
            console.print(Padding(Text.assemble(("Next: ", "label"), (row["next_step_title"], "step.next"),
                                                (f"  ({row['next_step']})", "muted")), (0, 0, 0, 2), expand=False))
            if row["next_step_policy_text"]:
                console.print(_quote(row["next_step_policy_text"]))
        for why in row["why"]:
            console.print(Padding(Text(f"\u2022 {why}", style="warning"), (0, 0, 0, 2), expand=False))
        console.print()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["attention"]] = counts.get(row["attention"], 0) + 1
    console.print(Text(", ".join(f"{n} {name}" for name, n in counts.items()), style="label"))


def show_summary(console: Console, data: dict[str, Any], policy: Policy) -> None:
    """The governors' summary: counts only."""
    since = f" since {data['since']}" if data["since"] else ""
    console.print(Text(f"{data['cases']} cases{since}; {data['overrides']} overridden steps", style="label"))
    from .review import summary_titles

    titles = summary_titles(policy)
    for key, heading in (("month", "Cases per month"), ("verdict", "Verdict"), ("checklist", "Checklist items"),
                         ("platform", "Platform"), ("poster", "Posted by"), ("step", "Steps taken"),
                         ("outcome", "Outcomes")):
        table = Table(box=None, pad_edge=False, show_header=False, padding=(0, 2, 0, 0))
        table.add_column("what", overflow="fold")
        table.add_column("count", justify="right", no_wrap=True)
        for name, count in data[key].items():
            table.add_row(titles.get(key, {}).get(name, name), str(count))
        if not data[key]:
            table.add_row("(none)", "0")
        console.print()
        console.print(Text(heading, style="label"))
        console.print(Padding(table, (0, 0, 0, 2)))
