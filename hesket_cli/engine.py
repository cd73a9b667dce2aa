"""engine.py: what the policy says about a post, and what the school may do next.

Pure: (policy, answers, recorded events) -> Assessment. It reads no file,
clock or environment and prints nothing, so every rule can be tested on data
alone and every command (triage, case show, case record, review) gets the
same answer. Every reason and step it returns carries the policy's own
words; refusals.py words every refusal, once, from the same assessment.

How the policy is read (the stages and conditions themselves are in
policy.toml; no id of one school's policy appears here):
- A post is inappropriate when any checklist item is ticked or something else
  is described (where the policy's list is non-exhaustive).
- An appropriate post: the "appropriate" steps whose conditions hold; once
  one is recorded, the case can be closed.
- An inappropriate post: "as a first step the school will usually discuss the
  matter with the parent"; a step with `at_once_when` (the police, for a threat
  of violence) is permitted at once, stays permitted, and comes before the
  discussion until it has been taken.
- After the discussion, an outcome is recorded. "If the parent refuses to do
  this and continues", the escalation steps whose conditions hold become
  permitted, suggested gentlest first; if the outcome resolved the matter,
  the case can be closed.
- Urgent: a step permitted at once and not yet taken, or a step marked
  `urgent` (with its `urgent_when`) that is permitted and not yet taken.
- The school's own helpline setting (`[helpline]`, not a step of the policy):
  permitted once the step of complaining to the site happened `wait_days`
  ago or more (at once after it while a notice it names applies) and nothing
  has resolved the matter; suggested in its place after that step. This is the one
  rule that depends on the date, so `today` is passed in (None: no clock, so
  the wait is never over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .answers import Answers
from .case import DECLINE, Case, Event, dates_in_effect, status_of
from .policy import Condition, Outcome, Policy, Step

CLOSE, REOPEN, RECORD_OUTCOME = "close_case", "reopen_case", "record_outcome"


class StepView(NamedTuple):
    """A step as shown to the user: its id, plain title and the policy's words (or, for the school's own
    setting that is not a step of the policy, no policy words and the school's own in `setting`)."""

    id: str
    title: str
    policy_text: str | None
    setting: str | None = None


class Reason(NamedTuple):
    """Why a post was judged as it was: one ticked item or flagged consideration."""

    id: str
    kind: str
    title: str
    policy_text: str


class NoticeView(NamedTuple):
    """A notice that applies to a case (the school's own setting), whether what it asks has been done, and
    the reference recording it must carry (`ref`: what it is, such as the safeguarding log's; or None)."""

    id: str
    title: str
    text: str
    done_by: str
    done: bool
    ref: str | None = None


class Assessment(NamedTuple):
    """The verdict on a post, what the policy lets the school do now, and what is urgent."""

    verdict: str
    status: str
    stage: str
    next_step: StepView | None
    permitted: tuple[StepView, ...]
    outcomes: tuple[str, ...]
    reasons: tuple[Reason, ...]
    urgent: tuple[str, ...] = ()
    declined: tuple[str, ...] = ()
    notices: tuple[NoticeView, ...] = ()
    changes_on: dt.date | None = None  # a later day from which this changes with no new event (a wait ending)

    @property
    def may_record(self) -> tuple[str, ...]:
        """Every event `case record` accepts now without an override (closing a live case needs a reason)."""
        if self.status == "void":
            return ()
        if self.status == "closed":
            return (REOPEN,)
        closing = (CLOSE,) if self.next_step is not None and self.next_step.id == CLOSE else ()
        done_by = tuple(dict.fromkeys(n.done_by for n in self.notices))
        return tuple(s.id for s in self.permitted) + self.outcomes + done_by + closing


class _Ladder(NamedTuple):
    """Where an open case stands: its stage, the steps suggested in order, and what is permitted."""

    stage: str
    candidates: list[Step]
    permitted: list[Step]
    fallback: str
    outcomes: tuple[str, ...] = ()
    changes_on: dt.date | None = None


def facts(policy: Policy, answers: Answers, later: Sequence[Answers] = ()) -> frozenset[str]:
    """Everything a condition can name that is true of these answers (and of any later post's)."""
    found: set[str] = set()
    for given in (answers, *later):
        found |= {f"platform.{given.incident.platform}", f"poster.{given.incident.poster}"}
        for item in policy.considerations:
            if given.considerations.get(item.id):
                found |= {f"consideration.{item.id}", "consideration.any"}
        for item in policy.checklist:
            if given.checklist.get(item.id):
                found |= {f"checklist.{item.id}", "checklist.any"}
        if policy.other is not None and given.other_given:
            found |= {"checklist.other", "checklist.any"}
        for item in policy.judgements:
            if given.judgement.get(item.id):
                found.add(f"judgement.{item.id}")
    return frozenset(found)


def reasons(policy: Policy, answers: Answers, later: Sequence[Answers] = ()) -> tuple[Reason, ...]:
    """Each flagged consideration, ticked checklist item, other concern and judgement of any post, in the
    policy's order, each once."""
    every = (answers, *later)
    found = [Reason(i.id, "consideration", i.title, i.policy_text)
             for i in policy.considerations if any(a.considerations.get(i.id) for a in every)]
    found += [Reason(i.id, "checklist", i.title, i.policy_text)
              for i in policy.checklist if any(a.checklist.get(i.id) for a in every)]
    if policy.other is not None and any(a.other_given for a in every):
        found.append(Reason("other", "other", policy.other.title, policy.other.policy_text))
    found += [Reason(i.id, "judgement", i.title, i.policy_text)
              for i in policy.judgements if any(a.judgement.get(i.id) for a in every)]
    return tuple(found)


def any_holds(conditions: tuple[Condition, ...], known: frozenset[str]) -> bool:
    """A condition list holds when it is empty or any one entry holds."""
    return not conditions or any((c.fact in known) != c.negated for c in conditions)


def declined_steps(events: Sequence[Event]) -> set[str]:
    """Steps the school considered and decided not to take (and has not taken since)."""
    declined: set[str] = set()
    for event in events:
        if event.event == DECLINE and event.step:
            declined.add(event.step)
        else:
            declined.discard(event.event)
    return declined


def assess(policy: Policy, answers: Answers, events: Sequence[Event] = (), *,
           later: Sequence[Answers] = (), today: dt.date | None = None) -> Assessment:
    """The assessment of a case: its verdict, reasons, next step, what is permitted now, what is urgent.

    `later` holds the answers of later posts by the same person, added to the
    case: the verdict, reasons and conditions cover every post. `today`
    decides only the school's helpline setting (its wait after the site was
    asked); without it the wait is never over.
    """
    known = facts(policy, answers, later)
    why = reasons(policy, answers, later)
    verdict = "inappropriate" if "checklist.any" in known else "appropriate"
    status = status_of(events)
    notices = _notices(policy, known, events)
    if status in ("closed", "void"):
        return Assessment(verdict, status, status, None, (), (), why, notices=notices)
    taken = {e.event for e in events}
    declined = declined_steps(events)
    ladder = _appropriate(policy, known, taken) if verdict == "appropriate" else \
        _with_helpline(policy, _inappropriate(policy, known, taken, events), events, notices, today)
    suggested = [s for s in ladder.candidates if s.id not in declined]
    if suggested:
        next_step = _view(suggested[0], policy)
    else:
        action = policy.action(ladder.fallback)
        next_step = StepView(action.id, action.title, action.policy_text)
    order = _order(policy)
    unique = sorted({s.id: s for s in ladder.permitted}.values(), key=lambda s: order[s.id])
    return Assessment(
        verdict=verdict, status=status, stage=ladder.stage, next_step=next_step,
        permitted=tuple(_view(s, policy) for s in unique), outcomes=ladder.outcomes, reasons=why,
        urgent=_urgent(policy, known, {s.id for s in unique}, taken | declined),
        declined=tuple(s.id for s in unique if s.id in declined), notices=notices, changes_on=ladder.changes_on,
    )


def assess_case(policy: Policy, case: Case, today: dt.date | None = None) -> Assessment:
    """A case's assessment, over every post in it (`today` for the school's helpline setting)."""
    return assess(policy, case.answers, case.events, later=tuple(p.answers for p in case.posts), today=today)


def helpline_from(policy: Policy, events: Sequence[Event], at_once: bool = False) -> dt.date | None:
    """The date from which the school's helpline setting permits turning to the helpline: `wait_days` after
    the site was last asked to remove the post (its date in effect), or that day itself `at_once`; None if
    the site was not asked."""
    setting, step = policy.helpline, policy.provider_step
    if setting is None or step is None:
        return None
    asked = [on for event, on in zip(events, dates_in_effect(events), strict=True) if event.event == step.id]
    return max(asked) + dt.timedelta(days=0 if at_once else setting.wait_days) if asked else None


def helpline_at_once(policy: Policy, notices: Iterable[str]) -> bool:
    """Whether a notice (by id) the helpline setting names applies (a safeguarding concern: no waiting)."""
    return policy.helpline is not None and any(n in policy.helpline.at_once_with for n in notices)


def _with_helpline(policy: Policy, ladder: _Ladder, events: Sequence[Event], notices: Sequence[NoticeView],
                   today: dt.date | None) -> _Ladder:
    """The ladder with the school's helpline setting added where it permits it: suggested, in its place after
    the step of complaining to the site, once the escalation steps before it are taken."""
    setting = policy.helpline
    if setting is None or ladder.stage not in ("first", "awaiting_outcome", "escalation"):
        return ladder
    at_once = helpline_at_once(policy, (n.id for n in notices))
    start = helpline_from(policy, events, at_once)
    if start is None:
        return ladder
    if not (at_once or (today is not None and today >= start)):
        return ladder._replace(changes_on=start)
    step = Step(setting.event, setting.title, "setting", (), (), (), "")
    candidates = ladder.candidates
    if ladder.stage == "escalation" and setting.event not in {e.event for e in events}:
        order = _order(policy)
        candidates = sorted([*candidates, step], key=lambda s: order[s.id])
    return ladder._replace(candidates=candidates, permitted=[*ladder.permitted, step])


def _order(policy: Policy) -> dict[str, float]:
    """Each step's place in the ladder, the helpline setting's just after the step of complaining to the site."""
    order: dict[str, float] = {s.id: i for i, s in enumerate(policy.steps)}
    if policy.helpline is not None:
        provider = policy.provider_step
        order[policy.helpline.event] = (order[provider.id] if provider else len(order)) + 0.5
    return order


def _notices(policy: Policy, known: frozenset[str], events: Sequence[Event]) -> tuple[NoticeView, ...]:
    """The school's notices whose conditions hold, each marked done once its event is recorded."""
    taken = {e.event for e in events}
    return tuple(NoticeView(n.id, n.title, n.text, n.done_by, n.done_by in taken, n.ref)
                 for n in policy.notices if any_holds(n.when, known))


def _allowed(step: Step, known: frozenset[str], taken: set[str]) -> bool:
    return any_holds(step.when, known) and all(a in taken for a in step.after)


def _appropriate(policy: Policy, known: frozenset[str], taken: set[str]) -> _Ladder:
    steps = policy.stage_steps("appropriate")
    permitted = [s for s in steps if _allowed(s, known, taken)]
    done = any(s.id in taken for s in steps)
    return _Ladder("appropriate", [] if done else permitted, permitted, CLOSE)


def _at_once(policy: Policy, known: frozenset[str], taken: set[str]) -> list[Step]:
    """Steps the policy permits at once, before any discussion (a threat of violence: the police)."""
    return [s for s in policy.steps
            if s.at_once_when and any_holds(s.at_once_when, known) and all(a in taken for a in s.after)]


def last_outcome(policy: Policy, events: Sequence[Event]) -> Outcome | None:
    """The outcome recorded most recently, if any."""
    for event in reversed(events):
        found = policy.outcome(event.event)
        if found is not None:
            return found
    return None


def _inappropriate(policy: Policy, known: frozenset[str], taken: set[str], events: Sequence[Event]) -> _Ladder:
    at_once = _at_once(policy, known, taken)
    discussed = any(s.id in taken for s in policy.stage_steps("first"))
    outcome = last_outcome(policy, events)
    if outcome is None and not discussed:
        first = [s for s in policy.stage_steps("first") if _allowed(s, known, taken)]
        return _Ladder("first", [s for s in at_once if s.id not in taken] + first, first + at_once, CLOSE)
    if outcome is None:
        return _Ladder("awaiting_outcome", [], list(at_once), RECORD_OUTCOME, policy.outcome_ids)
    if outcome.leads_to == "resolved":
        return _Ladder("resolved", [], list(at_once), CLOSE, policy.outcome_ids)
    return _escalation(policy, known, taken, at_once)


def _escalation(policy: Policy, known: frozenset[str], taken: set[str], at_once: list[Step]) -> _Ladder:
    """After a refusal: the escalation steps whose conditions hold, gentlest not yet taken suggested first."""
    escalation = [s for s in policy.stage_steps("escalation") if _allowed(s, known, taken)]
    return _Ladder("escalation", [s for s in escalation if s.id not in taken], escalation + at_once,
                   RECORD_OUTCOME, policy.outcome_ids)


def _urgent(policy: Policy, known: frozenset[str], permitted: set[str], taken: set[str]) -> tuple[str, ...]:
    """Why the case is urgent: a step permitted at once and not taken, or an urgent step permitted."""
    found = [f"{s.id} is permitted at once and not yet taken"
             for s in _at_once(policy, known, taken) if s.id in permitted and s.id not in taken]
    if found:
        return tuple(found)
    return tuple(f"{s.id} is permitted" for s in policy.steps
                 if s.urgent and s.id in permitted and s.id not in taken and any_holds(s.urgent_when, known))


def judgement_matters(policy: Policy, answers: Answers, judgement_id: str) -> bool:
    """Whether the school's judgement `judgement_id` could change what the policy permits.

    It is tried both ways on these answers, as if the parent had refused to
    remove the post; if the steps permitted are the same either way, the
    question need not be asked.
    """
    if "checklist.any" not in facts(policy, answers):
        return False  # an appropriate post never reaches the ladder's further steps
    if not any(o.leads_to == "escalation" for o in policy.outcomes):
        return False
    return _permitted_if(policy, answers, judgement_id, False) != _permitted_if(policy, answers, judgement_id, True)


def judgement_effect(policy: Policy, answers: Answers, judgement_id: str) -> tuple[Step, ...]:
    """The steps a yes to the school's judgement `judgement_id` would add to what the policy permits, as if
    the parent had refused to remove the post, in the policy's order: what the interview's `?` explains."""
    if not judgement_matters(policy, answers, judgement_id):
        return ()
    added = _permitted_if(policy, answers, judgement_id, True) - _permitted_if(policy, answers, judgement_id, False)
    return tuple(s for s in policy.steps if s.id in added)


def _permitted_if(policy: Policy, answers: Answers, judgement_id: str, value: bool) -> set[str]:
    """The steps permitted, after a refusal, with the judgement answered `value`."""
    trial = answers._replace(judgement={**answers.judgement, judgement_id: value})
    known = facts(policy, trial)
    first = {s.id for s in policy.stage_steps("first") if any_holds(s.when, known)}
    escalation = {s.id for s in policy.stage_steps("escalation")
                  if any_holds(s.when, known) and all(a in first for a in s.after)}
    return escalation | {s.id for s in _at_once(policy, known, first)}


def _view(step: Step, policy: Policy) -> StepView:
    if policy.helpline is not None and step.id == policy.helpline.event:
        return StepView(step.id, step.title, None, policy.helpline.text)
    return StepView(step.id, step.title, step.policy_text)
