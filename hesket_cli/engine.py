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
    stage: str
    next_step: StepView | None
    permitted: tuple[StepView, ...]
    outcomes: tuple[str, ...]
    reasons: tuple[Reason, ...]

    @property
    def may_record(self) -> tuple[str, ...]:
        """Every event `case record` accepts now without an override."""
        if self.status == "closed":
            return ("reopen_case",)
        return tuple(s.id for s in self.permitted) + self.outcomes + ("close_case",)


@dataclass(frozen=True)
class Refusal:
    """Why the policy does not permit an event now, in the policy's words."""

    event: str
    reason: str
    yet: bool
    permitted: tuple[str, ...]


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
        return Assessment(judged, status, "closed", None, (), (), why)

    def allowed(step: Step) -> bool:
        return any_holds(step.when, known) and all(a in taken for a in step.after)

    def stage(name: str) -> list[Step]:
        return [s for s in policy.steps if s.stage == name]

    outcomes: tuple[str, ...] = ()
    if judged == "appropriate":
        permitted = [s for s in stage("appropriate") if allowed(s)]
        done = any(s.id in taken for s in stage("appropriate"))
        candidates = [] if done else permitted
        fallback = "close_case"
        phase = "appropriate"
    else:
        at_once = [s for s in policy.steps
                   if s.at_once_when and any_holds(s.at_once_when, known) and all(a in taken for a in s.after)]
        discussed = any(s.id in taken for s in stage("first"))
        last_outcome = next((o for e in reversed(events) for o in policy.outcomes if o.id == e.event), None)
        if last_outcome is None and not discussed:
            first = [s for s in stage("first") if allowed(s)]
            candidates = [s for s in at_once if s.id not in taken] + first
            permitted = first + at_once
            fallback = "close_case"
            phase = "first"
        elif last_outcome is None or last_outcome.leads_to == "resolved":
            candidates, permitted = [], list(at_once)
            fallback = "record_outcome" if last_outcome is None else "close_case"
            phase = "awaiting_outcome" if last_outcome is None else "resolved"
        else:
            escalation = [s for s in stage("escalation") if allowed(s)]
            candidates = [s for s in escalation if s.id not in taken]
            permitted = escalation + at_once
            fallback = "record_outcome"
            phase = "escalation"
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
        stage=phase,
        next_step=next_step,
        permitted=tuple(_view(s) for s in sorted(unique.values(), key=lambda s: order[s.id])),
        outcomes=outcomes,
        reasons=why,
    )


def judge_event(policy: Policy, answers: Answers, events: Sequence[Event], event: str) -> Refusal | None:
    """None if the policy permits recording `event` now, else the Refusal saying why.

    A closed case accepts only `reopen_case`; closing is always possible; a
    step or outcome must be permitted by `assess` for the events so far.
    """
    now = assess(policy, answers, events)
    if event in now.may_record:
        return None
    shown = tuple(s.id for s in now.permitted) + now.outcomes or ("close_case",)

    def refuse(reason: str, yet: bool = False) -> Refusal:
        return Refusal(event, reason, yet, shown if now.status == "open" else ("reopen_case",))

    if now.status == "closed":
        return refuse("the case is closed; reopen it first (reopen_case) to record anything else")
    if event == "reopen_case":
        return refuse("the case is already open")
    first = [s for s in policy.steps if s.stage == "first" and any_holds(s.when, facts(policy, answers))]
    first_title = _lower_first(first[0].title) if first else "discuss the matter with the parent"
    if event in {o.id for o in policy.outcomes}:
        if now.verdict == "appropriate":
            return refuse("the post was not judged inappropriate, so there is no discussion with the parent "
                          "whose outcome could be recorded")
        return refuse(f"an outcome follows the discussion, and the policy first asks the school to {first_title}",
                      yet=True)
    step = policy.step(event)
    if now.verdict == "appropriate":
        return refuse("the post was not judged inappropriate: nothing on the policy's checklist applies")
    if step.stage == "appropriate":
        return refuse(f"the post was judged inappropriate, so the policy asks the school to {first_title}")
    if now.stage == "first":
        if step.stage == "escalation":
            return refuse(f"the policy first asks the school to {first_title}", yet=True)
        return refuse(f"{step.id} does not apply to this post ({_conditions_text(policy, step)}); "
                      f"the policy asks the school to {first_title}")
    if now.stage == "awaiting_outcome":
        if step.stage == "first":
            return refuse("the discussion has already been recorded; record its outcome next "
                          "(removed, refused or continued)")
        refusal_text = policy.action("record_outcome").policy_text or ""
        return refuse(f"the policy takes further action only \"{refusal_text}\"; record the outcome of the "
                      "discussion first (removed, refused or continued)", yet=True)
    if now.stage == "resolved":
        return refuse("the post was removed, so the policy's further action does not apply; "
                      "record refused or continued if the parent posts again", yet=False)
    if step.stage == "first":
        return refuse("the discussion stage is over: the parent refused or continued, so the policy's "
                      "further steps apply")
    missing = [a for a in step.after if a not in {e.event for e in events}]
    if missing:
        titles = ", ".join(_lower_first(policy.step(a).title) for a in missing)
        return refuse(f"the policy's \"{step.policy_text}\" follows this: {titles} ({', '.join(missing)})",
                      yet=True)
    return refuse(f"{step.id} applies only {_conditions_text(policy, step)}")


def _conditions_text(policy: Policy, step: Step) -> str:
    """A step's `when` list in plain words, e.g. `when: Defamatory statement, or Circumstances warrant legal advice`."""
    names = []
    for condition in step.when:
        kind = {"checklist": policy.checklist, "consideration": policy.considerations,
                "judgement": policy.judgements, "platform": policy.platforms, "poster": policy.posters}[condition.kind]
        title = next((x.title for x in kind if x.id == condition.id), f"{condition.kind}.{condition.id}")
        names.append(f"not {title}" if condition.negated else title)
    return "when: " + ", or ".join(names) if names else "in other circumstances"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def any_holds(conditions: tuple[Condition, ...], known: frozenset[str]) -> bool:
    """A condition list holds when it is empty or any one entry holds."""
    return not conditions or any((f"{c.kind}.{c.id}" in known) != c.negated for c in conditions)


def _view(step: Step) -> StepView:
    return StepView(step.id, step.title, step.policy_text)
