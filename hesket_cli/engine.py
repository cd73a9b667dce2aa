"""engine.py: what the policy says about a post, and what the school may do next.

Pure: (policy, answers, recorded events) -> Assessment. It reads no file,
clock or environment and prints nothing, so every rule can be tested on data
alone and every command (triage, case show, case record, review) gets the
same answer. Every reason and step it returns carries the policy's own words.

How the policy is read (the stages and conditions themselves are in
policy.toml):
- A post is inappropriate when any checklist item is ticked or something else
  is described ("This list is non-exhaustive").
- An appropriate post: signposting where a consideration is flagged, else no
  action; once either is recorded, the case can be closed.
- An inappropriate post: "as a first step the school will usually discuss the
  matter with the parent"; a step with `at_once_when` (the police, for a threat
  of violence) is permitted at once, stays permitted, and comes before the
  discussion until it has been taken.
- After the discussion, an outcome is recorded. "If the parent refuses to do
  this and continues", the escalation steps whose conditions hold become
  permitted, suggested gentlest first; if the post was removed, the case can
  be closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .answers import Answers
from .case import Event, status_of
from .policy import Condition, Policy, Step


@dataclass(frozen=True)
class StepView:
    """A step as shown to the user: its id, plain title and the policy's words."""

    id: str
    title: str
    policy_text: str | None


@dataclass(frozen=True)
class Reason:
    """Why a post was judged as it was: one ticked item or flagged consideration."""

    id: str
    kind: str
    title: str
    policy_text: str


@dataclass(frozen=True)
class Assessment:
    """The verdict on a post and what the policy lets the school do now."""

    verdict: str
    status: str
    next_step: StepView | None
    permitted: tuple[StepView, ...]
    outcomes: tuple[str, ...]
    reasons: tuple[Reason, ...]


def facts(policy: Policy, answers: Answers) -> frozenset[str]:
    """Everything a step's condition can name that is true of these answers."""
    found = {f"platform.{answers.incident.platform}", f"poster.{answers.incident.poster}"}
    for item in policy.considerations:
        if answers.considerations.get(item.id):
            found |= {f"consideration.{item.id}", "consideration.any"}
    for item in policy.checklist:
        if answers.checklist.get(item.id):
            found |= {f"checklist.{item.id}", "checklist.any"}
    if answers.other_given:
        found |= {"checklist.other", "checklist.any"}
    for item in policy.judgements:
        if answers.judgement.get(item.id):
            found.add(f"judgement.{item.id}")
    return frozenset(found)


def reasons(policy: Policy, answers: Answers) -> tuple[Reason, ...]:
    """Each flagged consideration, ticked checklist item, other concern and judgement, in the policy's order."""
    found = [Reason(i.id, "consideration", i.title, i.policy_text)
             for i in policy.considerations if answers.considerations.get(i.id)]
    found += [Reason(i.id, "checklist", i.title, i.policy_text)
              for i in policy.checklist if answers.checklist.get(i.id)]
    if answers.other_given:
        found.append(Reason("other", "other", policy.other.title, policy.other.policy_text))
    found += [Reason(i.id, "judgement", i.title, i.policy_text)
              for i in policy.judgements if answers.judgement.get(i.id)]
    return tuple(found)


def assess(policy: Policy, answers: Answers, events: Sequence[Event] = ()) -> Assessment:
    """The assessment of a case: its verdict, reasons, next step and what is permitted now."""
    known = facts(policy, answers)
    taken = {e.event for e in events}
    why = reasons(policy, answers)
    judged = "inappropriate" if "checklist.any" in known else "appropriate"
    status = status_of(events)
    if status == "closed":
        return Assessment(judged, status, None, (), (), why)

    def allowed(step: Step) -> bool:
        return _any_holds(step.when, known) and all(a in taken for a in step.after)

    def stage(name: str) -> list[Step]:
        return [s for s in policy.steps if s.stage == name]

    outcomes: tuple[str, ...] = ()
    if judged == "appropriate":
        permitted = [s for s in stage("appropriate") if allowed(s)]
        done = any(s.id in taken for s in stage("appropriate"))
        candidates = [] if done else permitted
        fallback = "close_case"
    else:
        at_once = [s for s in policy.steps
                   if s.at_once_when and _any_holds(s.at_once_when, known) and all(a in taken for a in s.after)]
        discussed = any(s.id in taken for s in stage("first"))
        last_outcome = next((o for e in reversed(events) for o in policy.outcomes if o.id == e.event), None)
        if last_outcome is None and not discussed:
            first = [s for s in stage("first") if allowed(s)]
            candidates = [s for s in at_once if s.id not in taken] + first
            permitted = first + at_once
            fallback = "close_case"
        elif last_outcome is None or last_outcome.leads_to == "resolved":
            candidates, permitted = [], list(at_once)
            fallback = "record_outcome" if last_outcome is None else "close_case"
        else:
            escalation = [s for s in stage("escalation") if allowed(s)]
            candidates = [s for s in escalation if s.id not in taken]
            permitted = escalation + at_once
            fallback = "record_outcome"
        if discussed or last_outcome is not None:
            outcomes = tuple(o.id for o in policy.outcomes)

    if candidates:
        next_step = _view(candidates[0])
    else:
        action = policy.action(fallback)
        next_step = StepView(action.id, action.title, action.policy_text)
    order = {s.id: i for i, s in enumerate(policy.steps)}
    unique = {s.id: s for s in permitted}
    return Assessment(
        verdict=judged,
        status=status,
        next_step=next_step,
        permitted=tuple(_view(s) for s in sorted(unique.values(), key=lambda s: order[s.id])),
        outcomes=outcomes,
        reasons=why,
    )


def _any_holds(conditions: tuple[Condition, ...], known: frozenset[str]) -> bool:
    """A condition list holds when it is empty or any one entry holds."""
    return not conditions or any((f"{c.kind}.{c.id}" in known) != c.negated for c in conditions)


def _view(step: Step) -> StepView:
    return StepView(step.id, step.title, step.policy_text)
