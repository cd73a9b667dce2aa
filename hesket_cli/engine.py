"""engine.py: what the policy says about a post, and what the school may do next.

Pure: (policy, answers, recorded events) -> Assessment. It reads no file,
clock or environment and prints nothing, so every rule can be tested on data
alone and every command (triage, case show, case record, review) gets the
same answer. Every reason and step it returns carries the policy's own
words, and every refusal is worded here, once.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from .answers import Answers
from .case import EVIDENCE, NOTE, Case, Event, status_of
from .policy import Choice, Condition, Item, Outcome, Policy, Step, words_list

CLOSE, REOPEN, RECORD_OUTCOME = "close_case", "reopen_case", "record_outcome"


class StepView(NamedTuple):
    """A step as shown to the user: its id, plain title and the policy's words."""

    id: str
    title: str
    policy_text: str | None


class Reason(NamedTuple):
    """Why a post was judged as it was: one ticked item or flagged consideration."""

    id: str
    kind: str
    title: str
    policy_text: str


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

    @property
    def may_record(self) -> tuple[str, ...]:
        """Every event `case record` accepts now without an override."""
        if self.status == "closed":
            return (REOPEN,)
        return tuple(s.id for s in self.permitted) + self.outcomes + (CLOSE,)


class Refusal(NamedTuple):
    """Why the policy does not permit an event now, in the policy's words."""

    event: str
    reason: str
    yet: bool
    permitted: tuple[str, ...]
    overridable: bool

    def message(self, case_id: str) -> str:
        """The one line a person reads: what was refused, why, what is permitted, how to go on anyway."""
        yet = "yet " if self.yet else ""
        hint = " To record it anyway: --override --reason \"why\"." if self.overridable else ""
        return (f"{self.event} is not permitted {yet}for case {case_id}: {self.reason}. "
                f"Permitted now: {', '.join(self.permitted)}.{hint}")


class _Ladder(NamedTuple):
    """Where an open case stands: its stage, the steps suggested in order, and what is permitted."""

    stage: str
    candidates: list[Step]
    permitted: list[Step]
    fallback: str
    outcomes: tuple[str, ...] = ()


def facts(policy: Policy, answers: Answers) -> frozenset[str]:
    """Everything a condition can name that is true of these answers."""
    found = {f"platform.{answers.incident.platform}", f"poster.{answers.incident.poster}"}
    for item in policy.considerations:
        if answers.considerations.get(item.id):
            found |= {f"consideration.{item.id}", "consideration.any"}
    for item in policy.checklist:
        if answers.checklist.get(item.id):
            found |= {f"checklist.{item.id}", "checklist.any"}
    if policy.other is not None and answers.other_given:
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
    if policy.other is not None and answers.other_given:
        found.append(Reason("other", "other", policy.other.title, policy.other.policy_text))
    found += [Reason(i.id, "judgement", i.title, i.policy_text)
              for i in policy.judgements if answers.judgement.get(i.id)]
    return tuple(found)


def any_holds(conditions: tuple[Condition, ...], known: frozenset[str]) -> bool:
    """A condition list holds when it is empty or any one entry holds."""
    return not conditions or any((c.fact in known) != c.negated for c in conditions)


def assess(policy: Policy, answers: Answers, events: Sequence[Event] = ()) -> Assessment:
    """The assessment of a case: its verdict, reasons, next step, what is permitted now and what is urgent."""
    known = facts(policy, answers)
    why = reasons(policy, answers)
    verdict = "inappropriate" if "checklist.any" in known else "appropriate"
    status = status_of(events)
    if status == "closed":
        return Assessment(verdict, status, "closed", None, (), (), why)
    taken = {e.event for e in events}
    if verdict == "appropriate":
        ladder = _appropriate(policy, known, taken)
    else:
        ladder = _inappropriate(policy, known, taken, events)
    if ladder.candidates:
        next_step = _view(ladder.candidates[0])
    else:
        action = policy.action(ladder.fallback)
        next_step = StepView(action.id, action.title, action.policy_text)
    order = {s.id: i for i, s in enumerate(policy.steps)}
    unique = sorted({s.id: s for s in ladder.permitted}.values(), key=lambda s: order[s.id])
    return Assessment(
        verdict=verdict, status=status, stage=ladder.stage, next_step=next_step,
        permitted=tuple(_view(s) for s in unique), outcomes=ladder.outcomes, reasons=why,
        urgent=_urgent(policy, known, {s.id for s in unique}, taken),
    )


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
    def permitted(value: bool) -> set[str]:
        trial = answers._replace(judgement={**answers.judgement, judgement_id: value})
        known = facts(policy, trial)
        first = {s.id for s in policy.stage_steps("first") if any_holds(s.when, known)}
        escalation = {s.id for s in policy.stage_steps("escalation")
                      if any_holds(s.when, known) and all(a in first for a in s.after)}
        return escalation | {s.id for s in _at_once(policy, known, first)}

    if "checklist.any" not in facts(policy, answers):
        return False  # an appropriate post never reaches the ladder's further steps
    if not any(o.leads_to == "escalation" for o in policy.outcomes):
        return False
    return permitted(False) != permitted(True)


# -- refusals ---------------------------------------------------------------------------------


def judge_event(policy: Policy, answers: Answers, events: Sequence[Event], event: str) -> Refusal | None:
    """None if the policy permits recording `event` now, else the Refusal saying why.

    A closed case accepts only `reopen_case` (no note or evidence either);
    closing is always possible; a step or outcome must be permitted by
    `assess` for the events so far.
    """
    now = assess(policy, answers, events)
    if event in (NOTE, EVIDENCE) and now.status == "open":
        return None
    if event in now.may_record:
        return None
    if now.status == "closed":
        return Refusal(event, "the case is closed; reopen it first (reopen_case) to record anything else",
                       False, (REOPEN,), False)
    shown = tuple(s.id for s in now.permitted) + now.outcomes or (CLOSE,)
    if event == REOPEN:
        return Refusal(event, "the case is already open", False, shown, False)
    reason, yet = _why_not(policy, answers, events, now, event)
    return Refusal(event, reason, yet, shown, True)


def _first_title(policy: Policy, answers: Answers) -> str:
    first = [s for s in policy.stage_steps("first") if any_holds(s.when, facts(policy, answers))]
    return lower_first(first[0].title) if first else "discuss the matter with the parent"


def _why_not(policy: Policy, answers: Answers, events: Sequence[Event], now: Assessment,
             event: str) -> tuple[str, bool]:
    """The reason an open case does not permit `event` now, and whether it may be permitted later."""
    first_title = _first_title(policy, answers)
    outcome_words = words_list(policy.outcome_ids)
    if policy.outcome(event) is not None:
        if now.verdict == "appropriate":
            return ("the post was not judged inappropriate, so there is no discussion with the parent "
                    "whose outcome could be recorded"), False
        return f"an outcome follows the discussion, and the policy first asks the school to {first_title}", True
    step = policy.step(event)
    if now.verdict == "appropriate":
        return "the post was not judged inappropriate: nothing on the policy's checklist applies", False
    if step.stage == "appropriate":
        return f"the post was judged inappropriate, so the policy asks the school to {first_title}", False
    if now.stage == "first":
        if step.stage == "escalation":
            return f"the policy first asks the school to {first_title}", True
        return (f"{step.id} does not apply to this post ({conditions_text(policy, step)}); "
                f"the policy asks the school to {first_title}"), False
    if now.stage == "awaiting_outcome":
        if step.stage == "first":
            return f"the discussion has already been recorded; record its outcome next ({outcome_words})", False
        words = policy.action(RECORD_OUTCOME).policy_text or ""
        return (f"the policy takes further action only \"{words}\"; record the outcome of the "
                f"discussion first ({outcome_words})"), True
    if now.stage == "resolved":
        return _resolved_reason(policy, events), False
    return _escalation_reason(policy, events, step)


def _resolved_reason(policy: Policy, events: Sequence[Event]) -> str:
    outcome = last_outcome(policy, events)
    said = lower_first(outcome.title) if outcome else "the matter was resolved"
    again = words_list([o.id for o in policy.outcomes if o.leads_to == "escalation"])
    return f"{said}, so the policy's further action does not apply; record {again} if the parent posts again"


def _escalation_reason(policy: Policy, events: Sequence[Event], step: Step) -> tuple[str, bool]:
    if step.stage == "first":
        outcome = last_outcome(policy, events)
        recorded = f" ({outcome.id} was recorded)" if outcome else ""
        return f"the discussion stage is over{recorded}, so the policy's further steps apply", False
    taken = {e.event for e in events}
    missing = [a for a in step.after if a not in taken]
    if missing:
        titles = ", ".join(lower_first(policy.step(a).title) for a in missing)
        return f"the policy's \"{step.policy_text}\" follows this: {titles} ({', '.join(missing)})", True
    return f"{step.id} applies only {conditions_text(policy, step)}", False


def conditions_text(policy: Policy, step: Step) -> str:
    """A step's `when` list in plain words, e.g. `when: Defamatory statement, or Circumstances warrant legal advice`."""
    names = [condition_title(policy, c) for c in step.when]
    return "when: " + ", or ".join(names) if names else "in other circumstances"


def condition_title(policy: Policy, condition: Condition) -> str:
    """One condition in plain words: the title of what it names, `not` kept."""
    pools: dict[str, tuple[Item | Choice, ...]] = {
        "checklist": policy.checklist, "consideration": policy.considerations, "judgement": policy.judgements,
        "platform": policy.platforms, "poster": policy.posters}
    fallback = {"any": "anything on the list", "other": "something else"}.get(condition.id, condition.fact)
    title = next((x.title for x in pools[condition.kind] if x.id == condition.id), fallback)
    return f"not {title}" if condition.negated else title


def lower_first(text: str) -> str:
    """A title used inside a sentence: `Discuss the matter` -> `discuss the matter`."""
    return text[:1].lower() + text[1:]


# -- flags ------------------------------------------------------------------------------------


def history_flags(policy: Policy, answers: Answers, events: Sequence[Event]) -> tuple[str, ...]:
    """Events a hesket could not have recorded: unknown to the policy, or before the policy permits them.

    Replays the history: each event (not overridden) must have been
    permitted, or at least not premature, given the events before it. Only
    a hand-edited file (or a policy changed under it) fails this.
    """
    known = set(policy.event_ids) | {NOTE, EVIDENCE}
    flags = []
    for number, event in enumerate(events, start=1):
        said = f"event {number} ({event.event} on {event.on.isoformat()})"
        if event.event not in known:
            flags.append(f"{said} is not an event of the policy in use")
            continue
        if event.override_reason:
            continue
        refusal = judge_event(policy, answers, events[:number - 1], event.event)
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
    return tuple(flags) + history_flags(policy, case.answers, case.events)


def _view(step: Step) -> StepView:
    return StepView(step.id, step.title, step.policy_text)
