"""casework/history.py: add to a case's history: a step or outcome, a note, evidence.

Each change is one event appended under the case's lock, after the engine
has said the policy permits it; a refusal writes nothing. Events are never
edited or removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..case import EVIDENCE, NOTE, Attachment, Case, Event
from ..engine import CLOSE
from ..errors import InvalidInput, Refused, UsageError
from ..policy import Policy
from ..refusals import date_problem, judge_event
from ..store import validate_case_id
from ..workspace import Workspace
from .common import (
    CaseOutcome,
    Moment,
    check_binding,
    check_text,
    event_date,
    known_name,
    later_answers,
    outcome,
    recorder,
    with_events,
)


def refuse_unless_permitted(policy: Policy, case: Case, event: str) -> None:
    """Refused (exit 5, in the policy's words) unless the policy permits recording `event` on the case now."""
    refusal = judge_event(policy, case.answers, case.events, event, later=later_answers(case))
    if refusal is not None:
        raise Refused(refusal.message(case.id))


def dated(policy: Policy, case: Case, event: str, on: dt.date | None, moment: Moment) -> dt.date:
    """The date an event happened, checked: not in the future, and not before what it follows in the policy."""
    when = event_date(on, case.answers.incident.observed_on, moment)
    problem = date_problem(policy, case.answers.incident.observed_on, case.events, event, when)
    if problem is not None:
        raise InvalidInput(f"--on: {problem}; give the date {event} happened; nothing was written")
    return when


def known_event(policy: Policy, event: str) -> str:
    """`event` if the policy knows it; a usage error listing the valid events (and a near one) otherwise."""
    return known_name("event", event, policy.event_ids)


def recordable(workspace: Workspace, case_id: str) -> tuple[str, ...]:
    """Every event case `case_id` accepts now without an override, as the engine says (for shell completion)."""
    from ..engine import assess_case

    case = workspace.store().load(validate_case_id(case_id))
    return assess_case(workspace.policy(), case).may_record


def which_event(policy: Policy, may_record: Sequence[str], typed: str | None, case_id: str) -> str:
    """The event meant: as typed, or the one event that starts with what was typed (`discuss`), preferring
    those the case accepts now. Nothing typed, or a start that fits several, is a usage error listing
    what the case accepts now."""
    now = ", ".join(may_record) if may_record else "nothing (the case is void)"
    if typed is None:
        raise UsageError(f"say what to record: case {case_id} may record now: {now} "
                         f"(hesket case record {case_id} EVENT)")
    if typed in policy.event_ids:
        return typed
    for pool in (may_record, policy.event_ids):
        starting = [e for e in pool if e.startswith(typed)]
        if len(starting) == 1:
            return starting[0]
        if starting:
            raise UsageError(f"{typed!r} is the start of {', '.join(starting)}; type more of the one you mean")
    return known_event(policy, typed)


def record_event(workspace: Workspace, case_id: str, event: str | None, moment: Moment, *, by: str | None,
                 note: str | None = None, on: dt.date | None = None, override: bool = False,
                 reason: str | None = None, ref: str | None = None) -> CaseOutcome:
    """Record a step taken, an outcome, or closing/reopening; refused (nothing written) unless permitted.

    `event` may be the start of one (`discuss`); None lists what may be
    recorded now. With `override` and a reason, a step the policy does not permit yet is
    recorded anyway, keeping the reason and who overrode. Closing a live
    case (its next step is not to close it) needs a reason, kept with it.
    `ref` keeps a reference held elsewhere (the safeguarding log's entry,
    the platform's report number).
    """
    validate_case_id(case_id)
    policy = workspace.policy()
    if event is None or event not in policy.event_ids:
        event = which_event(policy, recordable(workspace, case_id), event, case_id)
    _check_record_options(event, override, reason)
    _check_ref(policy, case_id, event, ref)
    check_text("--note", note)
    check_text("--ref", ref)
    who = recorder(by)
    overridden: list[str] = []

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        refusal = judge_event(policy, case.answers, case.events, event, later=later_answers(case),
                              with_reason=reason is not None and not override, today=on or moment.today)
        if refusal is not None:
            if not (override and refusal.overridable):
                raise Refused(refusal.message(case.id))
            overridden.append(event)
        added = Event(event=event, at=moment.now, on=dated(policy, case, event, on, moment), by=who, note=note,
                      override_reason=reason if overridden else None,
                      reason=reason if not override else None, ref=ref)
        return with_events(case, (added,), policy)

    case = workspace.store().update(case_id, change)
    notices = (f"Note: {event} is permitted now, so it was recorded without an override.",) \
        if override and not overridden else ()
    label = " (overriding the policy)" if overridden else ""
    return outcome(case, policy, f"Recorded {event} for case {case.id}{label}.", notices, today=moment.today)


def _check_record_options(event: str, override: bool, reason: str | None) -> None:
    if override and (reason is None or not reason.strip()):
        raise UsageError("--override needs a reason: add --reason \"why the policy is being overridden\"")
    if reason is not None and not override and event != CLOSE:
        raise UsageError("--reason goes with --override (or with close_case); leave it out, or add --override")
    check_text("--reason", reason)


def _check_ref(policy: Policy, case_id: str, event: str, ref: str | None) -> None:
    """An event that completes a notice whose `ref` names a reference kept elsewhere needs --ref: the record
    keeps that it was done and where (the safeguarding log's entry)."""
    needed = next((n.ref for n in policy.notices if n.done_by == event and n.ref), None)
    if needed is not None and ref is None:
        raise UsageError(f"--ref: {event} records {needed}; add it: hesket case record {case_id} {event} --ref REF")


def add_note(workspace: Workspace, case_id: str, text: str, moment: Moment, *, by: str | None,
             on: dt.date | None = None) -> CaseOutcome:
    """Add a free note to a case's history (a note is how a mistake is corrected: events are never edited)."""
    if not text.strip():
        raise UsageError("the note is blank; write what you want to record")
    check_text("the note", text)
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        refuse_unless_permitted(policy, case, NOTE)
        added = Event(event=NOTE, at=moment.now, on=event_date(on, case.answers.incident.observed_on, moment),
                      by=who, note=text)
        return with_events(case, (added,), policy)

    case = workspace.store().update(case_id, change)
    return outcome(case, policy, f"Added a note to case {case.id}.", today=moment.today)


def attach_evidence(workspace: Workspace, case_id: str, files: Sequence[str], moment: Moment, *,
                    by: str | None, note: str | None = None, max_mb: int | None = None) -> CaseOutcome:
    """Copy evidence files into the case's folder, each recorded with its SHA-256 (each at most `max_mb`)."""
    from ..evidence import attach

    validate_case_id(case_id)
    check_text("--note", note)
    who = recorder(by)
    policy = workspace.policy()
    store = workspace.store()
    store.load(case_id)

    def record(case: Case, attachments: list[Attachment]) -> Case:
        added = tuple(Event(event=EVIDENCE, at=moment.now, on=moment.today, by=who, note=note, attachment=a)
                      for a in attachments)
        return with_events(case, added, policy)

    def check(case: Case) -> None:
        check_binding(case, policy, workspace)
        refuse_unless_permitted(policy, case, EVIDENCE)

    case = attach(store, case_id, [Path(f) for f in files], record, check=check,
                  limit=evidence_limit(workspace, max_mb))
    names = ", ".join(Path(f).name for f in files)
    return outcome(case, policy, f"Attached {names} to case {case.id}.", today=moment.today)


def evidence_limit(workspace: Workspace, max_mb: int | None) -> int:
    """The largest evidence file accepted, in bytes: --max-size, else the workspace's setting, else 100 MB."""
    from ..evidence import DEFAULT_LIMIT

    chosen = max_mb or (workspace.settings.evidence_mb if workspace.settings else None)
    return DEFAULT_LIMIT if chosen is None else chosen * 1024 * 1024
