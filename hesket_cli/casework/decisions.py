"""casework/decisions.py: the decisions a school records about a case, as further events, never edits.

A decision not to take a permitted step (with who, when and why: the
rationale a school's record must keep), a corrected date (the original
stays visible), and a void for a case made by mistake.
"""

from __future__ import annotations

import datetime as dt

from ..case import CORRECT, DECLINE, VOID, Case, Event
from ..errors import InvalidInput, Refused
from ..refusals import correction_problem, judge_decline
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


def decline_step(workspace: Workspace, case_id: str, step: str, reason: str, moment: Moment, *,
                 by: str | None, on: dt.date | None = None) -> CaseOutcome:
    """Record that a permitted step was considered and not taken: who, when and why.

    A declined step is no longer urgent or overdue and leaves the suggested
    next step; it stays permitted, and taking it later is recorded as usual.
    """
    check_text("--reason", reason, required=True)
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()
    known_name("step", step, policy.step_ids)

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        refusal = judge_decline(policy, case.answers, case.events, step, later=later_answers(case),
                                today=on or moment.today)
        if refusal is not None:
            raise Refused(refusal.message(case.id))
        added = Event(event=DECLINE, at=moment.now, on=event_date(on, case.answers.incident.observed_on, moment),
                      by=who, step=step, reason=reason)
        return with_events(case, (added,), policy)

    case = workspace.store().update(case_id, change)
    return outcome(case, policy, f"Recorded for case {case.id}: {step} considered and not taken.",
                   today=moment.today)


def correct_date(workspace: Workspace, case_id: str, number: int, on: dt.date, reason: str, moment: Moment, *,
                 by: str | None) -> CaseOutcome:
    """Correct the date an event happened, as a further event: the history shows the corrected date and
    keeps the original visible."""
    check_text("--reason", reason, required=True)
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        if not 1 <= number <= len(case.events):
            raise InvalidInput(f"case {case.id} has no event {number} (its history has {len(case.events)}); "
                               "see the numbers in hesket case show")
        target = case.events[number - 1]
        if target.event == CORRECT:
            raise InvalidInput(f"event {number} is itself a correction; correct the event it corrects instead")
        when = event_date(on, case.answers.incident.observed_on, moment)
        problem = correction_problem(policy, case.answers.incident.observed_on, case.events, number, when)
        if problem is not None:
            raise InvalidInput(f"--on: event {number} ({target.event}) cannot be moved to that date: {problem}; "
                               "give the date it happened; nothing was written")
        added = Event(event=CORRECT, at=moment.now, on=moment.today, by=who, corrects=number, corrected_on=when,
                      reason=reason)
        return with_events(case, (added,), policy)

    case = workspace.store().update(case_id, change)
    return outcome(case, policy, f"Corrected the date of event {number} of case {case.id} to {on.isoformat()}.",
                   today=moment.today)


def void_case(workspace: Workspace, case_id: str, reason: str, moment: Moment, *, by: str | None,
              on: dt.date | None = None) -> CaseOutcome:
    """Mark a case made by mistake as void: kept with its history, out of review, the list and the counts.

    A case is never deleted: the void is one more event, with who, when and
    why, and nothing more can be recorded on it.
    """
    check_text("--reason", reason, required=True)
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        if case.status == VOID:
            raise Refused(f"case {case.id} is already void; nothing was changed")
        added = Event(event=VOID, at=moment.now, on=event_date(on, case.answers.incident.observed_on, moment),
                      by=who, reason=reason)
        return with_events(case, (added,), policy)

    case = workspace.store().update(case_id, change)
    return outcome(case, policy, f"Case {case.id} is now void: kept with its history, out of review and counts.",
                   today=moment.today)
