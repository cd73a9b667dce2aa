"""review.py: what each case needs now, and the counts for a governors' summary.

Pure, like the engine: (policy, case, today) -> ReviewRow. It reads no file or
clock; `today` is passed in, so the overdue rules can be tested on fixed
dates. Overdue follows the school's own settings in policy.toml [timings]
(the policy gives no numbers), counted from the date each event happened
(its `on` date), not the date it was typed in.

The summary holds counts only: no names, locations or summaries, so it can go
to governors as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .case import CAPTURE, EVIDENCE, NOTE, REDACT, Case, Event, dates_in_effect, kept_files
from .engine import CLOSE, Assessment, StepView, assess_case, helpline_from
from .flags import case_flags
from .policy import Policy

URGENT, OVERDUE, FLAGGED, WAITING, CLOSED = range(5)
_GROUPS = {URGENT: "urgent", OVERDUE: "overdue", FLAGGED: "flagged", WAITING: "open", CLOSED: "closed"}


@dataclass(frozen=True)
class ReviewRow:
    """One case in the review: its next step and everything that asks for attention."""

    id: str
    status: str
    verdict: str
    stage: str
    observed_on: dt.date | None
    platform: str
    poster: str
    next_step: StepView | None
    urgent: tuple[str, ...]
    overdue: tuple[str, ...]
    flags: tuple[str, ...]
    last_event_on: dt.date | None
    poster_ref: str | None = None

    @property
    def group(self) -> int:
        """Sorting group: urgent, then overdue, then flagged, then the rest, closed last."""
        if self.status == "closed":
            return CLOSED
        if self.urgent:
            return URGENT
        if self.overdue:
            return OVERDUE
        if self.flags:
            return FLAGGED
        return WAITING

    @property
    def needs_attention(self) -> bool:
        """Whether `review --check` should report this case (an open case overdue, urgent or flagged)."""
        return self.status != "closed" and bool(self.urgent or self.overdue or self.flags)

    @property
    def attention(self) -> str:
        """The group's name: urgent, overdue, flagged, open or closed."""
        return _GROUPS[self.group]


def review_record(policy: Policy, case: Case) -> dict[str, Any]:
    """Everything the review needs from one case that does not depend on today's date.

    Plain JSON-ready data, so the index can keep it (keyed by the case file
    and the policy file) and a review of thousands of cases need not parse
    every case file again. Urgency and flags are the engine's rules.
    """
    now = assess_case(policy, case)
    step = now.next_step
    return {
        "id": case.id, "status": now.status, "verdict": now.verdict, "stage": now.stage,
        "observed_on": case.answers.incident.observed_on.isoformat(),
        "platform": case.answers.incident.platform, "poster": case.answers.incident.poster,
        "poster_ref": case.poster_ref,
        "next_step": None if step is None else [step.id, step.title, step.policy_text],
        "urgent": list(now.urgent) if now.status == "open" else [],
        "flags": list(case_flags(policy, case, now)), "anchors": _anchors(policy, case, now),
        "attachments": len(kept_files(case)),
        "evidence": [[a.file, a.name, a.size, a.sha256, on.isoformat()] for a, on in kept_files(case)],
        "dates": sorted({e.on.isoformat() for e in case.events}),
        "helpline": _helpline_next(policy, case, now),
    }


def _helpline_next(policy: Policy, case: Case, now: Assessment) -> list[str | None] | None:
    """[from, id, title, text]: the day the school's helpline setting makes it the next step (its wait after
    the site was asked is over), for review_row to apply on that day; None if it never will as things stand."""
    setting, start = policy.helpline, helpline_from(policy, case.events)
    if setting is None or start is None or now.status != "open":
        return None
    step = assess_case(policy, case, start).next_step
    if step is None or step.id != setting.event or (now.next_step is not None and now.next_step.id == step.id):
        return None
    return [start.isoformat(), step.id, step.title, step.setting]


def review_row(record: dict[str, Any], policy: Policy, today: dt.date, *,
               evidence_problems: Iterable[str] = ()) -> ReviewRow:
    """A review row from a case's record: adds what depends on today (overdue) and on the files (evidence)."""
    step = record["next_step"]
    anchors = record["anchors"]
    helpline = record.get("helpline")
    if helpline and today >= dt.date.fromisoformat(helpline[0]):
        step = [helpline[1], helpline[2], None, helpline[3]]  # the school's helpline setting: its wait is over
    return ReviewRow(
        id=record["id"], status=record["status"], verdict=record["verdict"], stage=record["stage"],
        observed_on=dt.date.fromisoformat(record["observed_on"]), platform=record["platform"],
        poster=record["poster"], next_step=None if step is None else StepView(*step),
        urgent=tuple(record["urgent"]),
        overdue=tuple(_overdue(policy, anchors, today)) if record["status"] == "open" else (),
        flags=tuple(record["flags"]) + _future(record, today) + tuple(f"evidence: {p}" for p in evidence_problems),
        last_event_on=dt.date.fromisoformat(anchors["idle"]), poster_ref=record.get("poster_ref"),
    )


def review_case(policy: Policy, case: Case, today: dt.date, *, evidence_problems: Iterable[str] = ()) -> ReviewRow:
    """What a case needs now, and why it needs attention (if it does)."""
    return review_row(review_record(policy, case), policy, today, evidence_problems=evidence_problems)


def _future(record: dict[str, Any], today: dt.date) -> tuple[str, ...]:
    """A flag for events dated after today: a slip or a hand edit, which would also silence the overdue rules."""
    day = today.isoformat()
    later = [d for d in record["dates"] if d > day]
    return (f"an event is dated {later[-1]}, in the future",) if later else ()


def unreadable_row(case_id: str, problem: str) -> ReviewRow:
    """A case whose file cannot be read: a flag, not a failure; the review goes on."""
    return ReviewRow(id=case_id, status="unreadable", verdict="", stage="", observed_on=None, platform="",
                     poster="", next_step=None, urgent=(), overdue=(), flags=(f"unreadable: {problem}",),
                     last_event_on=None)


def sort_rows(rows: Iterable[ReviewRow]) -> list[ReviewRow]:
    """Urgent first, then overdue, then flagged, then the rest; oldest case first within each."""
    def key(row: ReviewRow) -> tuple[int, str]:
        group = FLAGGED if row.status == "unreadable" else row.group
        year, _, number = row.id.partition("-")
        return group, year.rjust(4, "0") + number.rjust(6, "0")  # as by number: ids are digits, 4 and 4 to 6

    return sorted(rows, key=key)


def _last_event_on(case: Case) -> dt.date:
    dates = dates_in_effect(case.events)
    return max(dates) if dates else max(case.answers.incident.observed_on, case.created_at.date())


def _anchors(policy: Policy, case: Case, now: Assessment) -> dict[str, Any]:
    """The date each overdue rule counts from (None where the rule does not apply), as ISO text."""
    anchors: dict[str, Any] = {"discussion": None, "outcome": None, "reply": None,
                               "idle": _last_event_on(case).isoformat()}
    first = {s.id for s in now.permitted} & {s.id for s in policy.stage_steps("first")}
    if now.stage == "first" and not first <= set(now.declined):  # a declined discussion is not overdue
        anchors["discussion"] = case.answers.incident.observed_on.isoformat()
    elif now.stage == "awaiting_outcome":
        discussed = _events_of_stage(policy, case, "first")
        if discussed:
            effective = dict(zip(case.events, dates_in_effect(case.events), strict=True))
            anchors["outcome"] = max(effective[e] for e in discussed).isoformat()
    elif now.stage == "escalation":
        anchors["reply"] = _awaiting_reply(policy, case)
    return anchors


def _events_of_stage(policy: Policy, case: Case, stage: str) -> list[Event]:
    steps = {s.id for s in policy.stage_steps(stage)}
    return [e for e in case.events if e.event in steps]


def _awaiting_reply(policy: Policy, case: Case) -> list[str] | None:
    """[date, step] of the last escalation step, if nothing but notes, evidence and redactions came after it."""
    actions = _events_of_stage(policy, case, "escalation")
    later = [e for e in case.events if e.event not in (NOTE, EVIDENCE, CAPTURE, REDACT)]
    if actions and later and later[-1] is actions[-1]:
        return [actions[-1].on.isoformat(), actions[-1].event]
    return None


def _overdue(policy: Policy, anchors: dict[str, Any], today: dt.date) -> list[str]:
    """Each overdue rule that holds, with the days counted and the school's setting."""
    t = policy.timings
    found = []
    if anchors["discussion"]:
        days = (today - dt.date.fromisoformat(anchors["discussion"])).days
        if days > t.discussion_days:
            found.append(f"not yet discussed with the parent, {days} days after the post was seen "
                         f"(school's setting: {t.discussion_days} days)")
    if anchors["outcome"]:
        days = (today - dt.date.fromisoformat(anchors["outcome"])).days
        if days > t.outcome_days:
            found.append(f"no outcome recorded {days} days after the discussion "
                         f"(school's setting: {t.outcome_days} days)")
    if anchors["reply"]:
        on, event = anchors["reply"]
        days = (today - dt.date.fromisoformat(on)).days
        if days > t.reply_days:
            found.append(f"no reply recorded {days} days after {event} (school's setting: {t.reply_days} days)")
    idle = (today - dt.date.fromisoformat(anchors["idle"])).days
    if idle > t.idle_days:
        found.append(f"nothing recorded for {idle} days (school's setting: {t.idle_days} days)")
    return found


def summary_record(policy: Policy, case: Case) -> dict[str, Any]:
    """What one case adds to the governors' counts: policy ids and dates only, never free text.

    Plain JSON-ready data, so the index can keep it and a summary of
    thousands of cases need not parse every case file again.
    """
    now = assess_case(policy, case)
    checklist = [i.id for i in policy.checklist if case.answers.checklist.get(i.id)]
    if case.answers.other_given:
        checklist.append("other")
    outcomes = set(policy.outcome_ids)
    steps = {s.id for s in policy.steps}
    return {
        "observed_on": case.answers.incident.observed_on.isoformat(), "status": now.status,
        "verdict": now.verdict, "platform": case.answers.incident.platform, "poster": case.answers.incident.poster,
        "checklist": checklist, "outcome": [e.event for e in case.events if e.event in outcomes],
        "step": [e.event for e in case.events if e.event in steps],
        "overrides": sum(1 for e in case.events if e.override_reason),
        "declined": list(now.declined),
        "closed_early": now.status == "closed" and _closed_with_steps_untaken(policy, case),
    }


def _closed_with_steps_untaken(policy: Policy, case: Case) -> bool:
    """Whether the case was closed while its next step was not to close it (which needed a reason)."""
    last = max((n for n, e in enumerate(case.events) if e.event == CLOSE), default=None)
    if last is None:
        return False
    before = assess_case(policy, case._replace(events=case.events[:last])).next_step
    return before is not None and before.id != CLOSE


def summary(policy: Policy, records: Iterable[dict[str, Any]], *, since: dt.date | None = None,
            until: dt.date | None = None) -> dict[str, Any]:
    """Counts for a governors' report: by month, checklist item, platform, poster, verdict, outcome and step.

    Built from each case's `summary_record`: only ids from the policy and
    counts, never names, locations, summaries or notes. Every month from
    `since` (else the first case) to `until` (else the last case) is counted,
    a month with no cases as 0: a quiet month is information for governors.
    """
    keys = ("checklist", "platform", "poster", "verdict", "outcome", "step", "declined", "month")
    counts: dict[str, Counter[str]] = {key: Counter() for key in keys}
    total = overridden = early = 0
    start = since.isoformat() if since else None
    for record in records:
        if start is not None and record["observed_on"] < start:
            continue
        total += 1
        overridden += record["overrides"]
        early += record.get("closed_early", False)
        counts["month"][record["observed_on"][:7]] += 1
        for key in ("verdict", "platform", "poster"):
            counts[key][record[key]] += 1
        for key in ("checklist", "outcome", "step", "declined"):
            counts[key].update(record.get(key, ()))
    order = _summary_order(policy)
    result: dict[str, Any] = {key: {k: counts[key][k] for k in order[key] if counts[key][k]} for key in order}
    bounds = [d.isoformat()[:7] for d in (since, until) if d is not None]
    result["month"] = {month: counts["month"][month] for month in _months(sorted([*counts["month"], *bounds]))}
    return {"since": start, "cases": total, "overrides": overridden, "closed_with_steps_untaken": early, **result}


def _summary_order(policy: Policy) -> dict[str, list[str]]:
    """The order each count is listed in: the policy's own order."""
    return {
        "checklist": [i.id for i in policy.checklist] + ["other"],
        "platform": [p.id for p in policy.platforms],
        "poster": [p.id for p in policy.posters],
        "verdict": ["inappropriate", "appropriate"],
        "outcome": list(policy.outcome_ids),
        "step": [s.id for s in policy.steps],
        "declined": [s.id for s in policy.steps],
    }


def _months(present: list[str]) -> list[str]:
    """Every month from the first to the last present, so a month with no cases shows as 0."""
    if not present:
        return []
    year, month = (int(x) for x in present[0].split("-"))
    last = present[-1]
    found = []
    while True:
        label = f"{year:04d}-{month:02d}"
        found.append(label)
        if label >= last:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_title(month: str, *, short: bool = False) -> str:
    """A month as governors read it: `2026-10` -> `October 2026` (`Oct 2026` when short)."""
    day = dt.date.fromisoformat(f"{month}-01")
    return f"{day.strftime('%b' if short else '%B')} {day.year}"


def summary_titles(policy: Policy) -> dict[str, dict[str, str]]:
    """Plain titles for the ids a summary counts, for the text and HTML views alike."""
    return {
        "checklist": {i.id: i.title for i in (*policy.checklist, *([policy.other] if policy.other else []))},
        "platform": {p.id: p.title for p in policy.platforms},
        "poster": {p.id: p.title for p in policy.posters},
        "outcome": {o.id: o.title for o in policy.outcomes},
        "step": {s.id: s.title for s in policy.steps},
        "declined": {s.id: s.title for s in policy.steps},
        "verdict": {"inappropriate": "Inappropriate", "appropriate": "Appropriate"},
    }
