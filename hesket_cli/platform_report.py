"""platform_report.py: the report pack for complaining to a platform about a post, from a case's structured facts.

The policy's step is to "Contact the host/provider of the social networking
site to complain about the content of the site and ask for removal of the
information". The pack says which route fits the platform and the kinds of
harm, what its form asks, a factual summary to paste in, and what to know
before sending: platform complaints are not private (X tells the account
holder about legal requests; YouTube tells the uploader and may publish the
complaint on the Lumen Database).

The summary is drafted from structured fields only (platform, address,
account, posting time as shown, the exact words). It must never hold a
staff note or the staff member's summary: ReportFacts has no field for them,
so they cannot leak in. Nor a child's name: the exact words arrive with each
name the school recorded (`case redact`) already shown as "[child's name
removed]" (redaction.py), and the pack says how many were. Pure: no file,
clock or network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .platform_routes import Helpline, Route, Routes, load_routes, shipped_path
from .policy import HARMS
from .redaction import MARKER

__all__ = ["HARMS", "HARM_TITLES", "SCHEMA", "ReportFacts", "ReportPack", "RouteChoice", "harms_for_checklist",
           "helpline_document", "load_routes", "report_document", "report_pack", "report_text"]

SCHEMA = 1
HARM_TITLES = {
    "harassment": "harassment or bullying", "defamation": "defamation (a legal complaint)",
    "impersonation": "impersonation", "threat": "a threat of violence", "hate": "racist or hateful content",
    "other": "other inappropriate content",
}
@dataclass(frozen=True)
class ReportFacts:
    """What a report may say about the post: structured fields only (no summary, no notes, no children).

    `exact_words` come with the names recorded to be kept out already taken
    out: `names_recorded` of them, taken out `names_removed` times.
    """

    case_id: str
    platform: str
    platform_title: str
    observed_on: dt.date
    harms: frozenset[str] = frozenset()
    post_url: str | None = None
    account: str | None = None
    posted_at: dt.datetime | dt.date | str | None = None
    exact_words: str | None = None
    safeguarding: bool = False
    names_recorded: int = 0
    names_removed: int = 0


@dataclass(frozen=True)
class RouteChoice:
    """A route picked for the pack, and the kinds of harm it was picked for."""

    route: Route
    for_harms: tuple[str, ...]


@dataclass(frozen=True)
class ReportPack:
    """Everything the office needs to complain to the platform, ready to print or to emit as JSON."""

    case_id: str
    platform: str
    platform_title: str
    operator: str
    harms: tuple[str, ...]
    routes: tuple[RouteChoice, ...]
    general_only: bool
    summary_fields: tuple[tuple[str, str], ...]
    summary: str
    before_sending: tuple[str, ...]
    helplines: tuple[Helpline, ...]
    helpline_timing: str | None
    source_file: str
    policy_note: str | None = None
    names_recorded: int = 0
    names_removed: int = 0


def harms_for_checklist(harms: Iterable[str | None], other_given: bool = False) -> frozenset[str]:
    """The kinds of harm of the checklist items ticked (each item's `harm` in the policy, None where it names
    none) and of something else described; "other" where an item names none, or nothing was ticked."""
    found = {harm or "other" for harm in harms}
    if other_given:
        found.add("other")
    return frozenset(found or {"other"})


def report_pack(facts: ReportFacts, routes: Routes, *, record_step: str | None = None,
                policy_note: str | None = None) -> ReportPack:
    """The pack for the case's platform and kinds of harm; InvalidInput when the routes file lacks the platform.

    `record_step` is the policy's step for complaining to the site (its
    reference number is recorded with it); `policy_note` what the policy
    says about taking that step now, when it does not permit it yet.
    """
    unknown = sorted(facts.harms - set(HARMS))
    if unknown:
        raise InvalidInput(f"case {facts.case_id}: unknown kind of harm {unknown[0]!r}; known: {', '.join(HARMS)}")
    entry = routes.platform(facts.platform)
    if entry is None:
        raise InvalidInput(f"{routes.path}: no entry for platform {facts.platform!r}; add a "
                           f"[platforms.{facts.platform}] table with its routes, sources and checked dates")
    harms = tuple(h for h in HARMS if h in (facts.harms or {"other"}))
    chosen, general_only = _choose(entry.routes, harms)
    fields = _summary_fields(facts, harms)
    return ReportPack(
        case_id=facts.case_id, platform=facts.platform, platform_title=facts.platform_title,
        operator=entry.operator, harms=harms, routes=chosen, general_only=general_only,
        summary_fields=fields, summary=_summary(facts),
        before_sending=_redaction_note(facts) + _before_sending(chosen, entry.operator, facts.case_id, record_step),
        helplines=_helplines(routes, entry.operator),
        helpline_timing=_timing(routes, facts.safeguarding, entry.operator),
        source_file=routes.path, policy_note=policy_note,
        names_recorded=facts.names_recorded, names_removed=facts.names_removed,
    )


def _choose(routes: tuple[Route, ...], harms: tuple[str, ...]) -> tuple[tuple[RouteChoice, ...], bool]:
    """Every route for any of the harms, in the file's order; where none was found, the general report too."""
    chosen = tuple(RouteChoice(r, tuple(h for h in harms if h in r.harms)) for r in routes if set(r.harms) & set(harms))
    general_only = not any(c.route.found for c in chosen)
    if general_only:
        chosen += tuple(RouteChoice(r, ()) for r in routes
                        if "other" in r.harms and r.found and all(r is not c.route for c in chosen))
    return chosen, general_only


def _when(value: dt.datetime | dt.date | str | None) -> str | None:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _summary_fields(facts: ReportFacts, harms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    missing = "not captured"
    return (
        ("Platform", facts.platform_title),
        ("Address of the post (URL)", facts.post_url or missing),
        ("Account that posted it", facts.account or missing),
        ("Posted (as shown on the site)", _when(facts.posted_at) or missing),
        ("Seen by the school", facts.observed_on.isoformat()),
        ("Reported as", "; ".join(HARM_TITLES[h] for h in harms)),
    )


def _summary(facts: ReportFacts) -> str:
    """A factual paragraph to paste into the form: where, who, when, and the exact words; nothing else."""
    parts = [f"This report is about a post on {facts.platform_title}"]
    if facts.post_url:
        parts.append(f" at {facts.post_url}")
    if facts.account:
        parts.append(f", posted by the account {facts.account}")
    if facts.posted_at:
        parts.append(f", shown on the site as posted {_when(facts.posted_at)}")
    parts.append(".")
    if facts.exact_words is not None and facts.exact_words.strip():
        parts.append(f" Its exact words are:\n\n{facts.exact_words}")
    else:
        parts.append(" [The exact words were not captured: copy them from the post exactly, before it can be deleted.]")
    return "".join(parts)


def _redaction_note(facts: ReportFacts) -> tuple[str, ...]:
    """What was taken out of the exact words, so the reader knows the quote is not quite as posted."""
    if not facts.names_removed:
        return ()
    times = "once" if facts.names_removed == 1 else f"{facts.names_removed} times"
    return (f"In the exact words, the names recorded with the case (hesket case redact) are shown as {MARKER} "
            f"({times}); check the words for any other name or detail that identifies a child.",)


def _before_sending(chosen: tuple[RouteChoice, ...], operator: str, case_id: str,
                    record_step: str | None) -> tuple[str, ...]:
    """What to know before sending, from each route's data: who is told, whether it may be published."""
    notes: list[str] = []
    for choice in chosen:
        route = choice.route
        if not route.found:
            notes.append(f"{route.name}: {route.how}")
        if not route.who_is_told.startswith("Not found"):
            notes.append(f"{route.name}: who is told: {route.who_is_told}")
        if not route.published.startswith(("Not found", "No.")):
            notes.append(f"{route.name}: publication: {route.published}")
    if operator != "school":
        notes.append("The person reported may see what you send: leave out children's names and anything else that "
                     "identifies a child, and stick to what the post says.")
        record = (f": hesket case record {case_id} {record_step} --ref REF" if record_step
                  else " with the case")
        notes.append(f"Keep any reference number the platform gives, and record it{record}.")
    return tuple(notes)


def _helplines(routes: Routes, operator: str) -> tuple[Helpline, ...]:
    """Outside help, for a site the school does not run itself."""
    if operator == "school":
        return ()
    return tuple(h for h in (routes.helpline("posh"), routes.helpline("report_harmful_content")) if h is not None)


def _timing(routes: Routes, safeguarding: bool, operator: str) -> str | None:
    """POSH's advice: wait about 48 hours for the platform, except where there is a safeguarding concern."""
    posh = routes.helpline("posh")
    if posh is None or operator == "school":
        return None
    if safeguarding:
        return (f"There is a safeguarding concern: once the post is reported to the platform, contact the {posh.name} "
                "at once, without waiting for the platform's response.")
    wait = f"about {posh.wait_hours} hours" if posh.wait_hours else "a while"
    return f"Report to the platform first, then wait {wait} for its response before contacting the {posh.name}."


def report_text(pack: ReportPack) -> str:
    """The pack as plain text: routes, the summary to paste, what to know before sending, and the helplines."""
    out = [f"Report pack for case {pack.case_id}: {pack.platform_title}",
           f"Kinds of harm: {', '.join(HARM_TITLES[h] for h in pack.harms)}"]
    if pack.policy_note:
        out += ["", f"Note: {pack.policy_note}"]
    if pack.general_only:
        out.append("No route for these kinds of harm was found for this platform: its general report is shown.")
    for number, choice in enumerate(pack.routes, start=1):
        out += ["", f"Route {number}: {choice.route.name}", *_route_lines(choice)]
    out += ["", "Factual summary (from the case's recorded facts only)"]
    out += [f"  {label}: {value}" for label, value in pack.summary_fields]
    out += ["", "To paste into the form:", *[f"  {line}" for line in pack.summary.split("\n")]]
    if pack.before_sending:
        out += ["", "Before you send", *[f"  - {note}" for note in pack.before_sending]]
    if pack.helpline_timing:
        out += ["", "If the platform does not act", f"  {pack.helpline_timing}"]
    for helpline in pack.helplines:
        out += ["", helpline.name, *_helpline_lines(helpline)]
    source = "hesket's own routes file" if pack.source_file == shipped_path() else pack.source_file
    out += ["", f"Routes from {source}. Platforms change their forms: check the source before relying on it."]
    return "\n".join(out) + "\n"


def _route_lines(choice: RouteChoice) -> list[str]:
    route = choice.route
    lines = [f"  For: {', '.join(HARM_TITLES[h] for h in choice.for_harms) or 'anything else (the general report)'}"]
    lines += [f"  How: {route.how}", "  The form asks for:", *[f"    - {ask}" for ask in route.asks]]
    lines += [f"  Who is told: {route.who_is_told}", f"  Published: {route.published}"]
    if route.note:
        lines.append(f"  Note: {route.note}")
    lines += [f"  Source: {src}" for src in route.source] or ["  Source: none found"]
    lines.append(f"  Checked: {route.checked.isoformat()}")
    return lines


def _helpline_lines(helpline: Helpline) -> list[str]:
    lines = [f"  {label}: {value}" for label, value in (("Phone", helpline.phone), ("Email", helpline.email),
                                                        ("Open", helpline.hours), ("Website", helpline.website))
             if value]
    lines += [f"  When: {helpline.when}", *[f"  - {line}" for line in helpline.advice]]
    lines += [f"  Source: {src}" for src in helpline.source]
    lines.append(f"  Checked: {helpline.checked.isoformat()}")
    return lines


def report_document(pack: ReportPack) -> dict[str, Any]:
    """The pack as JSON-ready data for `report --json`, with its schema version."""
    return {
        "schema": SCHEMA,
        "case_id": pack.case_id,
        "platform": {"id": pack.platform, "title": pack.platform_title, "operator": pack.operator},
        "harms": list(pack.harms),
        "general_only": pack.general_only,
        "routes": [_route_document(c) for c in pack.routes],
        "summary": {"fields": [{"label": k, "value": v} for k, v in pack.summary_fields], "text": pack.summary},
        "before_sending": list(pack.before_sending),
        "helplines": [helpline_document(h) for h in pack.helplines],
        "helpline_timing": pack.helpline_timing,
        "source_file": pack.source_file,
        "policy_note": pack.policy_note,
        "redactions": {"recorded": pack.names_recorded, "removed": pack.names_removed, "marker": MARKER},
    }


def _route_document(choice: RouteChoice) -> dict[str, Any]:
    r = choice.route
    return {"id": r.id, "name": r.name, "for_harms": list(choice.for_harms), "found": r.found, "how": r.how,
            "asks": list(r.asks), "who_is_told": r.who_is_told, "published": r.published, "note": r.note,
            "source": list(r.source), "checked": r.checked.isoformat()}


def helpline_document(h: Helpline) -> dict[str, Any]:
    """A helpline's published contact details, when to turn to it, its sources and when they were checked."""
    return {"id": h.id, "name": h.name, "phone": h.phone, "email": h.email, "hours": h.hours,
            "website": h.website, "wait_hours": h.wait_hours, "when": h.when, "advice": list(h.advice),
            "source": list(h.source), "checked": h.checked.isoformat()}
