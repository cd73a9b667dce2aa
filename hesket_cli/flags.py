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
from .engine import Assessment, any_holds, facts, helpline_at_once, helpline_from
from .policy import Policy


def history_flags(policy: Policy, case: Case) -> tuple[str, ...]:
    """Events a hesket could not have recorded: unknown to the policy, or before the policy permits them.

    One pass over the history, as the policy orders it: an outcome needs a
    discussion before it, an escalation step an outcome that leads to the
    further steps, and a step its `after` steps. An event that was
    overridden is the school's recorded decision, not a fault. Only a
    hand-edited file (or a policy changed under it) fails this.
    """
    known = set(policy.event_ids) | set(OWN_EVENTS)
    at_once, helpline_now = _at_once(policy, case)
    taken: set[str] = set()
    flags = []
    for number, event in enumerate(case.events, start=1):
        said = f"event {number} ({event.event} on {event.on.isoformat()})"
        if event.event not in known:
            flags.append(f"{said} is not an event of the policy in use")
            continue
        missing = None if event.event in at_once else (
            _premature(policy, event.event, taken) or _early_helpline(policy, case.events, number, helpline_now))
        if missing and not event.override_reason:
            flags.append(f"{said} comes before the policy permits it: it needs {missing} first")
        taken.add(event.event)
    return tuple(flags)


def _at_once(policy: Policy, case: Case) -> tuple[set[str], bool]:
    """The steps the policy permits at once for this case, and whether the school's helpline needs no wait."""
    known = facts(policy, case.answers, tuple(p.answers for p in case.posts))
    steps = {s.id for s in policy.steps if s.at_once_when and any_holds(s.at_once_when, known)}
    return steps, helpline_at_once(policy, (n.id for n in policy.notices if any_holds(n.when, known)))


def _premature(policy: Policy, event: str, taken: set[str]) -> str | None:
    """What must come before `event` and has not (None if nothing)."""
    first = {s.id for s in policy.stage_steps("first")}
    escalation = {s.id: s for s in policy.stage_steps("escalation")}
    escalating = {o.id for o in policy.outcomes if o.leads_to == "escalation"}
    if policy.outcome(event) is not None and not taken & first:
        return "the discussion"
    if event in escalation:
        if not taken & escalating:
            return "an outcome that permits the further steps (" + ", ".join(sorted(escalating)) + ")"
        needed = [a for a in escalation[event].after if a not in taken]
        if needed:
            return ", ".join(needed)
    return None


def _early_helpline(policy: Policy, events: Sequence[Event], number: int, at_once: bool) -> str | None:
    """What the school's helpline setting needed before event `number` turned to the helpline and did not have
    (None if all, or if it is not the helpline's): the step of complaining to the site, and the wait after it."""
    event = events[number - 1]
    if policy.helpline is None or event.event != policy.helpline.event:
        return None
    start = helpline_from(policy, events[:number - 1], at_once)
    if start is None:
        return policy.provider_step.id if policy.provider_step else "the step of complaining to the site"
    if event.on < start:
        return f"the school's wait until {start.isoformat()}"
    return None


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
    with_ref = {n.id for n in policy.notices if n.ref}
    undone = [f"notice not yet done: {n.title} (record {n.done_by}{' --ref REF' if n.id in with_ref else ''} when "
              "it is)" for n in now.notices if not n.done]
    return tuple(flags) + tuple(undone if now.status == "open" else ()) + history_flags(policy, case)
