"""flags.py: what in a case asks a person to look, beyond its next step.

Pure: an override, a next step a policy change has moved, and a history a
hesket could not have written (an event the policy does not know, one
recorded before the policy permits it, one dated in the future). `review`
shows these as flags and `case verify` as problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .case import OWN_EVENTS, Case, Event
from .engine import Assessment
from .policy import Policy
from .refusals import judge_event


def history_flags(policy: Policy, case: Case) -> tuple[str, ...]:
    """Events a hesket could not have recorded: unknown to the policy, or before the policy permits them.

    Replays the history: each event (not overridden) must have been
    permitted, or at least not premature, given the events before it. Only
    a hand-edited file (or a policy changed under it) fails this.
    """
    events = case.events
    later = tuple(p.answers for p in case.posts)
    known = set(policy.event_ids) | set(OWN_EVENTS)
    flags = []
    for number, event in enumerate(events, start=1):
        said = f"event {number} ({event.event} on {event.on.isoformat()})"
        if event.event not in known:
            flags.append(f"{said} is not an event of the policy in use")
            continue
        if event.override_reason or event.event in OWN_EVENTS:
            continue
        refusal = judge_event(policy, case.answers, events[:number - 1], event.event, later=later,
                              with_reason=event.reason is not None)
        if refusal is not None and refusal.yet:
            flags.append(f"{said} comes before the policy permits it: {refusal.reason}")
    return tuple(flags)


def future_events(events: Sequence[Event], today: dt.date) -> tuple[str, ...]:
    """Events dated after today: a slip or a hand edit, and a future date would silence the overdue rules."""
    return tuple(f"event {n} ({e.event}) is dated {e.on.isoformat()}, in the future"
                 for n, e in enumerate(events, start=1) if e.on > today)


def case_flags(policy: Policy, case: Case, now: Assessment) -> tuple[str, ...]:
    """What in a case asks a person to look, beyond its next step: overrides and a moved next step.

    An override's free-text reason is not repeated here: review output is
    mailed by scheduled jobs, and free text may name people. `case show`
    gives it.
    """
    flags = [f"overridden: {e.event} on {e.on.isoformat()} (the reason is in case show)"
             for e in case.events if e.override_reason]
    ref = case.policy
    if ref.sha256 != policy.sha256 and ref.next_step is not None:
        current = now.next_step.id if now.next_step else "none"
        if ref.next_step != current:
            flags.append(f"policy changed: assessed under the policy reviewed {ref.last_reviewed}, when the next "
                         f"step was {ref.next_step}; under the policy in use now it is {current}")
    undone = [f"notice not yet done: {n.title} (record {n.done_by} when it is)" for n in now.notices if not n.done]
    return tuple(flags) + tuple(undone if now.status == "open" else ()) + history_flags(policy, case)
