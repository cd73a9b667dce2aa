"""render/case.py: a case as a person reads it: what was seen, the assessment, the history; the list of cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..dates import show_time
from ..engine import CLOSE
from ..policy import Policy
from ..safe import shown
from . import Pieces, Titles, fitted, hanging, indented, indented_lines, quote, said, written_or_printed


def _when(iso: str) -> str:
    return show_time(dt.datetime.fromisoformat(iso))


def show_case_header(console: Console, doc: dict[str, Any], policy: Policy) -> None:
    """The case id, status and what was seen where."""
    incident = doc["incident"]
    if doc["id"] is None:
        console.print(Text("Assessment only (--dry-run): nothing was saved", style="label"))
    else:
        console.print(Text.assemble(("Case ", "label"), (doc["id"], "case.id"), " ",
                                    (f"({doc['status']})", f"status.{doc['status']}")))
    where = shown(policy.title_of("platform", incident["platform"]))
    if incident.get("location"):
        where = f"{where} ({shown(incident['location'])})"
    console.print(Text.assemble(("Seen: ", "label"), f"{incident['observed_on']} on {where}"))
    poster = said(policy.title_of("poster", incident["poster"]))
    if incident.get("poster_ref"):
        poster.append_text(said(f" ({incident['poster_ref']})"))
    console.print(Text.assemble(("Posted by: ", "label"), poster))
    indented(console, Text.assemble(("Summary: ", "label"), said(incident["summary"])), 0)
    console.print(Text.assemble(("Recorded by: ", "label"), said(doc["recorded_by"]),
                                f", {_when(doc['created_at'])}"))
    for number, post in enumerate(doc.get("posts", ())[1:], start=2):
        where = shown(policy.title_of("platform", post["platform"]))
        indented(console, Text.assemble((f"Post {number}: ", "label"), f"seen {post['observed_on']} on {where}: ",
                                        said(post["summary"])), 0)
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
    for why in doc.get("urgent", ()):
        indented(console, Text.assemble(("URGENT: ", "urgent"), said(why, "urgent")), 0)
    step = doc["next_step"]
    if step is None:
        ended = "void (made by mistake)" if doc.get("status") == "void" else "closed"
        console.print(Text.assemble(("Next step: ", "label"), (f"none: the case is {ended}", "muted")))
    else:
        indented(console, Text.assemble(("Next step: ", "label"), said(step["title"], "step.next"),
                                        (f"  ({step['id']})", "muted")), 0)
        quote(console, step["policy_text"])
        show_setting(console, step)
        command = record_command(doc)
        if command:
            _command_line(console, "Record it with:", command, "label")
    taken = {event["event"] for event in doc["events"]}
    untaken = [s["id"] for s in doc["permitted"] if s["id"] not in taken]
    if untaken:
        indented(console, Text.assemble(("Permitted now: ", "label"), ", ".join(untaken)), 0)
    if doc["outcomes"] and doc["stage"] != "resolved":
        indented(console, Text.assemble(("Outcomes that may be recorded: ", "label"), ", ".join(doc["outcomes"])), 0)
    elif doc["stage"] == "resolved" and doc["id"] is not None and doc.get("chain_ok") is not False:
        _command_line(console, "If the parent posts again:", f"hesket triage --case {doc['id']}", "muted")
    show_decisions(console, doc)
    show_helpline(console, doc.get("helpline"))


def show_setting(console: Console, step: dict[str, Any]) -> None:
    """The school's own words for its own setting, marked as not a step of the policy."""
    if step.get("setting"):
        indented(console, Text.assemble(("The school's own setting, not a step of the policy: ", "muted"),
                                        said(step["setting"])), 4)


def show_helpline(console: Console, helpline: dict[str, Any] | None) -> None:
    """The helpline's published contact details, with where they come from and when they were checked."""
    if not helpline:
        return
    console.print(Text.assemble(("Helpline: ", "label"), said(helpline["name"])))
    for label, key in (("Phone", "phone"), ("Email", "email"), ("Open", "hours"), ("Website", "website")):
        if helpline[key]:
            indented(console, Text.assemble((f"{label}: ", "muted"), said(helpline[key])), 2)
    for source in helpline["source"]:
        indented(console, Text.assemble(("Source: ", "muted"), said(source)), 2)
    indented(console, Text.assemble(("Checked: ", "muted"), helpline["checked"]), 2)


def _command_line(console: Console, label: str, command: str, style: str) -> None:
    """`label command` on one line, or the command on a line of its own where it would not fit (a command is
    easier to copy whole)."""
    if len(label) + 1 + len(command) <= console.width:
        console.print(Text.assemble((label, style), " ", (command, style)))
    else:
        console.print(Text(label, style=style))
        indented(console, Text(command, style=style), 4)


def record_command(doc: dict[str, Any]) -> str | None:
    """The command that records the next step (`hesket case record 2026-0003 discuss_and_request_removal`,
    or `... OUTCOME` when an outcome is awaited): what the office types next. None for a case not saved,
    or one with no next step to record."""
    step = doc["next_step"]
    if doc["id"] is None or step is None or doc["status"] != "open" or doc.get("chain_ok") is False:
        return None  # (nothing is recorded on a history changed by hand)
    recordable = {s["id"] for s in doc["permitted"]} | {n["done_by"] for n in doc.get("notices", ())} | {CLOSE}
    if step["id"] in recordable:
        return f"hesket case record {doc['id']} {step['id']}"
    if doc["outcomes"]:
        return f"hesket case record {doc['id']} OUTCOME"
    return None


def show_decisions(console: Console, doc: dict[str, Any]) -> None:
    """Steps the school decided not to take, and the school's notices (its own settings, not the policy's)."""
    for declined in doc.get("declined", ()):
        indented(console, Text.assemble(("Declined: ", "label"), declined["id"],
                                        (f"  on {declined['on']} by ", "muted"), said(declined["by"], "muted")), 0)
        indented(console, Text.assemble(("Why: ", "muted"), said(declined["reason"])), 4)
    for notice in doc.get("notices", ()):
        ref = " --ref REF" if notice.get("ref") else ""
        state = ("done", "status.closed") if notice["done"] else (f"not yet done: record {notice['done_by']}{ref}",
                                                                   "urgent")
        indented(console, Text.assemble(("School notice: ", "label"), said(notice["text"]), "  ",
                                        (f"[{state[0]}]", state[1])), 0)


def _show_reasons(console: Console, doc: dict[str, Any]) -> None:
    if not doc["reasons"]:
        console.print(Text("Nothing on the policy's checklist was ticked and no consideration was flagged.",
                           style="muted"))
        return
    console.print(Text("Why, in the policy's words:", style="label"))
    for reason in doc["reasons"]:
        hanging(console, Text.assemble("\u2022 ", said(reason["title"]), (f"  [{reason['kind']}]", "muted")), 2, 4)
        quote(console, reason["policy_text"])
    other = doc["answers"]["checklist"].get("other")
    if other and other.strip():
        indented(console, Text.assemble(("Something else, as described: ", "muted"), said(other)), 2)


def _what(event: dict[str, Any]) -> str:
    attachment = event["attachment"]
    if attachment:
        return (f"evidence attached: {shown(attachment['name'])} ({size_text(attachment['size'])}, "
                f"SHA-256 {attachment['sha256'][:12]}...)")
    if event.get("capture"):
        return f"post captured: {shown(event['capture']['url'])}"
    if event["event"] == "decline":
        return f"declined: {event.get('step')}"
    if event["event"] == "correct":
        return f"correction: [{event.get('corrects')}] happened on {event.get('corrected_on')}"
    if event["event"] == "redact":
        return "names kept out of letters and report packs"
    return str(event["event"])


def _event_line(event: dict[str, Any]) -> Text:
    line = Text.assemble((str(event.get("on_in_effect", event["on"])), "label"), "  ",
                         (_what(event), "warning" if event["override_reason"] else ""),
                         ("  by ", "muted"), said(event["by"], "muted"))
    if event.get("number"):
        line.append(f"  [{event['number']}]", style="muted")
    if event["override_reason"]:
        line.append("  OVERRIDDEN", style="warning")
    return line


def show_history(console: Console, doc: dict[str, Any]) -> None:
    """The case's events by the date they happened (ties in the order recorded): who, what, notes,
    overrides in the warning colour, [N] the event's number, and a mark on any recorded late. What wraps
    stays under the event's text (14 columns in; 6 on a narrow terminal, where an id would not fit)."""
    sub = 14 if console.width >= 60 else 6
    console.print()
    console.print(Text("History", style="label"))
    hanging(console, Text.assemble((doc["incident"]["observed_on"], "label"), "  post seen; triaged ",
                                   (f"{doc['created_at'][:10]} by ", "muted"), said(doc["recorded_by"], "muted")),
            2, sub)
    for event in sorted(doc["events"], key=lambda e: (e.get("on_in_effect", e["on"]), e.get("number", 0))):
        hanging(console, _event_line(event), 2, sub)
        _event_details(console, event, sub)
    _show_evidence(console, doc)


def _event_details(console: Console, event: dict[str, Any], indent: int) -> None:
    """The lines under an event: a corrected date, a late entry, its note, an override's reason, a reference."""
    if event.get("on_in_effect", event["on"]) != event["on"]:
        indented(console, Text(f"Corrected: recorded as {event['on']}", style="warning"), indent)
    if event.get("late"):
        indented(console, Text(f"Recorded late: typed in on {str(event['at'])[:10]}", style="warning"), indent)
    if event["note"]:
        indented_lines(console, event["note"], indent)
    if event["override_reason"]:
        indented(console, Text.assemble("Override reason: ", said(event["override_reason"]), style="warning"),
                 indent)
    for label, key in (("Reason: ", "reason"), ("Reference: ", "ref")):
        if event.get(key):
            indented(console, Text.assemble((label, "muted"), said(event[key])), indent)
    if event.get("capture"):
        show_capture(console, event["capture"], indent)
    if event.get("redact"):
        names = [part for name in event["redact"] for part in (", ", "\u201c", said(name), "\u201d")][1:]
        indented(console, Text.assemble(("Kept out of letters and report packs: ", "muted"), *names), indent)


def _show_evidence(console: Console, doc: dict[str, Any]) -> None:
    """Each attachment: where it is kept (to open it), what it was called, and any problem with it now."""
    evidence = kept_files(doc)
    if not evidence:
        return
    console.print()
    console.print(Text("Evidence", style="label"))
    checks = {check["file"]: check for check in doc.get("evidence", ())}
    for a in evidence:
        check = checks.get(a["file"])
        where = said(check["path"]) if check else Text(a["file"])
        hanging(console, Text.assemble(where, (f"  (was {shown(a['name'])}, {size_text(a['size'])})", "muted")),
                2, 4)
        if check and check["problem"]:
            indented(console, Text.assemble(("PROBLEM: ", "urgent"), said(check["problem"], "warning")), 4)


def kept_files(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file kept with the case: each attachment, and each capture's files, in the order recorded."""
    found = []
    for event in doc["events"]:
        found += [event["attachment"]] if event["attachment"] else []
        found += event["capture"]["files"] if event.get("capture") else []
    return found


def show_capture(console: Console, capture: dict[str, Any], indent: int = 14) -> None:
    """A captured post under its history line: the account, when it was posted, the exact words, the files."""
    for label, key in (("Account: ", "account"), ("Posted (as shown): ", "posted_at")):
        if capture[key]:
            indented(console, Text.assemble((label, "muted"), said(capture[key])), indent)
    if capture["text"] is not None:
        indented(console, Text("Exact words:", style="muted"), indent)
        indented_lines(console, capture["text"], indent + 2)
    for a in capture["files"]:
        indented(console, Text.assemble(("File: ", "muted"), shown(a["name"]),
                                        (f" ({size_text(a['size'])}, SHA-256 {a['sha256'][:12]}...)", "muted")),
                 indent)


def size_text(size: int) -> str:
    """A file size as a person reads it."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def show_records(console: Console, doc: dict[str, Any]) -> None:
    """The chain's head (to write down and check later) and how long the case is kept."""
    console.print()
    head = doc.get("chain_head")
    if doc.get("chain_ok") is False:
        _broken_head(console, doc)
    else:
        console.print(Text.assemble(("Chain head: ", "label"), head or (
            "none yet: this case was written before hesket sealed its histories; the chain starts with its next "
            "change", "muted")))
    if head and doc.get("chain_ok") is not False:
        indented(console, Text(f"(check it later with: hesket case verify {doc['id']} --head HASH)", style="muted"), 2)
    rule = doc.get("retention")
    if not rule:
        return
    if doc.get("destroy_after"):
        ended = "voided" if doc["status"] == "void" else "closed"
        line = Text.assemble(("Destroy after: ", "label"), doc["destroy_after"],
                             (f"  ({ended} {doc['closed_on']}; kept {rule['after_closing']} after closing)", "muted"))
    else:
        line = Text.assemble(("Destroy after: ", "label"), f"not while open; {rule['after_closing']} after closing")
    indented(console, line, 0)
    if rule["set_by"] != "school":
        indented(console, Text("(hesket's suggested default: the school sets its own period, from its retention "
                               "schedule, in hesket.toml [retention])", style="muted"), 2)


def _broken_head(console: Console, doc: dict[str, Any]) -> None:
    """The head the history reaches now, and the one the file records, which a head written down matches."""
    console.print(Text.assemble(("Chain head: ", "label"), (doc["chain_head"] or "none", "warning")))
    stored = doc.get("chain_head_stored")
    indented(console, Text(f"(recomputed from the history as it is now; the case file records "
                           f"{stored if stored else 'no valid head'}, which the history no longer reaches: see the "
                           "warning above)", style="muted"), 2)


def _chain_warning(console: Console, doc: dict[str, Any]) -> None:
    """A history changed by hand, said first: the first event that no longer matches, and what to do."""
    indented(console, Text.assemble(
        ("WARNING: this case's history no longer matches its hashes: ", "urgent"),
        said(doc["chain_problem"], "warning"),
        (f". Nothing can be recorded on it until case.toml is restored from a backup; see `hesket case verify "
         f"{doc['id']}`.", "warning")), 0)
    console.print()


def show_case(console: Console, doc: dict[str, Any], policy: Policy) -> None:
    """A whole case: what was seen, the current assessment, the history and its records' integrity and
    retention."""
    if doc.get("chain_ok") is False:
        _chain_warning(console, doc)
    show_case_header(console, doc, policy)
    broken = [check for check in doc.get("evidence", ()) if check["problem"]]
    if broken:
        console.print(Text(f"Evidence: {len(broken)} of {len(doc['evidence'])} no longer as attached (changed "
                           "or missing); see Evidence below, and `hesket case verify`.", style="warning"))
    show_assessment(console, doc)
    show_history(console, doc)
    show_records(console, doc)


def show_case_list(console: Console, rows: list[dict[str, Any]], policy: Policy,
                   why_none: str | None = None) -> str | None:
    """One row per case, newest first: a table when it fits the width unbroken, else two or three lines
    a case (an id such as discuss_and_request_removal is never broken across lines).

    `rows` are views.list_row's. Drawn as lines and returned as the text to
    write (a trust lists thousands); None where the console printed it.
    With no rows, `why_none` (the cases folder does not exist yet, say)
    follows "No cases".
    """
    if not rows:
        console.print(Text(f"No cases: {shown(why_none)}." if why_none else "No cases.", style="muted"))
        return None
    headers = ("ID", "Seen", "Platform", "Poster", "Verdict", "Next step", "Status")
    title = Titles(policy)
    cells = [_list_row(row, title) for row in rows]
    widths = [max(len(h), *(_cells(row[n][0]) for row in cells)) for n, h in enumerate(headers)]
    lines: list[Text | Pieces]
    if sum(widths) + 2 * (len(widths) - 1) > console.width:
        columns = console.width
        lines = [line for row in cells for line in _list_lines(console, row, columns)]
    else:
        lines = [_table_line([(h, "label") for h in headers], widths)]
        lines += [_table_line(list(row), widths) for row in cells]
    return written_or_printed(console, lines)


def _cells(text: str) -> int:
    """The columns `text` takes on a terminal (quickly for plain ASCII, as almost every cell is)."""
    return len(text) if text.isascii() else cell_len(text)


def _table_line(cells: list[tuple[str, str]], widths: list[int]) -> Pieces:
    """A table row: each cell padded to its column's width, two spaces between columns."""
    line: list[tuple[str, str]] = []
    for n, (text, style) in enumerate(cells):
        line.append((text, style))
        if n < len(cells) - 1:
            line.append((" " * (widths[n] - _cells(text) + 2), ""))
    return tuple(line)


def _list_lines(console: Console, row: tuple[tuple[str, str], ...], columns: int) -> list[Text | Pieces]:
    """A case in two or three lines, for a terminal too narrow for the table (`columns` wide)."""
    ident, seen, platform, poster, verdict, step, status = row
    lines = fitted(console, (ident, ("  ", ""), verdict, ("  ", ""), status), 0, columns)
    where = (("seen ", "muted"), seen, (" on ", "muted"), platform, (", ", ""), poster)
    then = (("next: ", "muted"), (step[0] or "none", ""))
    if 2 + _cells("".join(t for t, _ in where)) + 2 + _cells("".join(t for t, _ in then)) <= columns:
        return lines + fitted(console, (*where, ("  ", ""), *then), 2, columns)
    return lines + fitted(console, where, 2, columns) + fitted(console, then, 2, columns)


def _poster(title: str, ref: str | None) -> str:
    """How the school refers to the person who posted (`Parent of 4B pupil (J.S.)`) where it recorded
    that, else the kind of poster the policy names (`Parent`): the table stays within 120 columns."""
    return ref or title


def _list_row(row: dict[str, Any], title: Titles) -> tuple[tuple[str, str], ...]:
    """A case's cells as (text made safe to show, style) pairs."""
    return ((row["id"], "case.id"), (row["observed_on"], ""),
            (shown(title("platform", row["platform"])), ""),
            (shown(_poster(title("poster", row["poster"]), row.get("poster_ref"))), ""),
            (row["verdict"], f"verdict.{row['verdict']}"), (row["next_step"] or "", ""),
            (row["status"], f"status.{row['status']}"))
