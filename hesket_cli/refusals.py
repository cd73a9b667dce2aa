"""refusals.py: why the policy does not permit an event now, worded once, in the policy's own words.

Pure, like the engine it asks: (policy, answers, events, event) -> Refusal
or None. Every refusal hesket prints (a step not yet permitted, an outcome
before the discussion, anything on a closed or void case) is worded here,
with what is permitted instead and whether an override may be given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from .answers import Answers
from .case import CAPTURE, DECLINE, EVIDENCE, NOTE, REDACT, Event, dates_in_effect
from .engine import (
    CLOSE,
    RECORD_OUTCOME,
    REOPEN,
    Assessment,
    any_holds,
    assess,
    facts,
    helpline_at_once,
    helpline_from,
    last_outcome,
)
from .policy import Choice, Condition, Item, Policy, Step, words_list


class Refusal(NamedTuple):
    """Why the policy does not permit an event now, in the policy's words."""

    event: str
    reason: str
    yet: bool
    permitted: tuple[str, ...]
    overridable: bool
    hint: str = ""

    def message(self, case_id: str) -> str:
        """The one line a person reads: what was refused, why, what is permitted, how to go on anyway."""
        yet = "yet " if self.yet else ""
        hint = self.hint or (" To record it anyway: --override --reason \"why\"." if self.overridable else "")
        permitted = f" Permitted now: {', '.join(self.permitted)}." if self.permitted else ""
        return f"{self.event} is not permitted {yet}for case {case_id}: {self.reason}.{permitted}{hint}"


def judge_event(policy: Policy, answers: Answers, events: Sequence[Event], event: str, *,
                later: Sequence[Answers] = (), with_reason: bool = False,
                today: dt.date | None = None) -> Refusal | None:
    """None if the policy permits recording `event` now, else the Refusal saying why.

    A closed case accepts only `reopen_case` (no note or evidence either)
    and `redact` (a name kept out of letters and report packs: a copy of a
    letter may still be drafted); a void case accepts nothing. Closing a case whose next step is not to
    close it needs a reason (`with_reason`): a one-digit slip must not close
    someone else's live case. A step or outcome must be permitted by
    `assess` for the events so far; an event that completes one of the
    school's notices may always be recorded on an open case. `today` (the
    day the event happened) decides the school's helpline setting's wait.
    """
    now = assess(policy, answers, events, later=later, today=today)
    if _beside_the_steps(policy, event, now.status):
        return None
    if event in now.may_record or (event == CLOSE and with_reason and now.status == "open"):
        return None
    if now.status == "void":
        return Refusal(event, "the case was voided (made by mistake); nothing more is recorded on it",
                       False, (), False)
    if now.status == "closed":
        return Refusal(event, "the case is closed; reopen it first (reopen_case) to record anything else",
                       False, (REOPEN,), False)
    shown = now.may_record or (CLOSE,)
    if event == REOPEN:
        return Refusal(event, "the case is already open", False, shown, False)
    if event == CLOSE:
        return _close_refusal(now, shown)
    reason, yet = (_helpline_reason(policy, events, now) if policy.helpline and event == policy.helpline.event
                   else _why_not(policy, answers, events, now, event))
    return Refusal(event, reason, yet, shown, True)


def _beside_the_steps(policy: Policy, event: str, status: str) -> bool:
    """Whether `event` is one the policy's order of steps has no say in, on a case in this status: a note,
    evidence, a capture or a notice's event on an open case; names kept out of letters on any case not void."""
    if event == REDACT:
        return status != "void"
    return status == "open" and event in (NOTE, EVIDENCE, CAPTURE, *(n.done_by for n in policy.notices))


def _helpline_reason(policy: Policy, events: Sequence[Event], now: Assessment) -> tuple[str, bool]:
    """Why the school's helpline setting does not permit turning to the helpline now (it is not the policy's)."""
    if now.verdict == "appropriate":
        return "the post was not judged inappropriate: there is nothing to ask the helpline to remove", False
    if now.stage == "resolved":
        return _resolved_reason(policy, events), False
    setting, step = policy.helpline, policy.provider_step
    assert setting is not None and step is not None
    start = helpline_from(policy, events)
    wait = f"the school's own setting (not a step of the policy) is to turn to the helpline {setting.wait_days} " \
           f"days after {step.id}"
    if helpline_at_once(policy, (n.id for n in now.notices)):
        wait = (f"the school's own setting (not a step of the policy) is to turn to the helpline once {step.id} is "
                "recorded (at once then: a notice it names applies)")
    if start is None:
        return f"{wait} (\u201c{step.policy_text}\u201d), which has not been recorded", True
    asked = start - dt.timedelta(days=setting.wait_days)
    return (f"{wait}, recorded on {asked.isoformat()}: it is permitted from {start.isoformat()}, unless the site "
            "removes the post first"), True


def _first_step(policy: Policy, answers: Answers) -> str:
    """What the policy does first, as the end of a sentence: `the policy begins with its first step: <title>`.

    A colon, not a verb (`asks the school to <title>`): a school's title may be
    a command ("Discuss the matter...") or a statement ("The Principal meets
    the parent..."), and both read right after it.
    """
    first = [s for s in policy.stage_steps("first") if any_holds(s.when, facts(policy, answers))]
    return f"the policy begins with its first step: {first[0].title}" if first else \
        "the policy begins with a discussion with the parent"


def _why_not(policy: Policy, answers: Answers, events: Sequence[Event], now: Assessment,
             event: str) -> tuple[str, bool]:
    """The reason an open case does not permit `event` now, and whether it may be permitted later."""
    first = _first_step(policy, answers)
    outcome_words = words_list(policy.outcome_ids)
    if policy.outcome(event) is not None:
        if now.verdict == "appropriate":
            return ("the post was not judged inappropriate, so there is no discussion with the parent "
                    "whose outcome could be recorded"), False
        return f"an outcome follows the discussion, and {first}", True
    step = policy.step(event)
    if now.verdict == "appropriate":
        return "the post was not judged inappropriate: nothing on the policy's checklist applies", False
    if step.stage == "appropriate":
        return f"the post was judged inappropriate, so {first}", False
    if now.stage == "first":
        if step.stage == "escalation":
            return first, True
        return (f"{step.id} does not apply to this post ({conditions_text(policy, step)}); "
                f"{first}"), False
    if now.stage == "awaiting_outcome":
        if step.stage == "first":
            return f"the discussion has already been recorded; record its outcome next ({outcome_words})", False
        words = policy.action(RECORD_OUTCOME).policy_text
        if not words:  # a school's policy may not word it: say what to do without an empty quote
            return f"further action follows the outcome of the discussion: record it first ({outcome_words})", True
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
    anything = {"checklist": "anything on the checklist", "consideration": "any of the considerations"}
    fallback = {"any": anything.get(condition.kind, "any"), "other": "something else"}.get(condition.id,
                                                                                          condition.fact)
    title = next((x.title for x in pools[condition.kind] if x.id == condition.id), fallback)
    return f"not {title}" if condition.negated else title


def lower_first(text: str) -> str:
    """A title used inside a sentence: `Discuss the matter` -> `discuss the matter`."""
    return text[:1].lower() + text[1:]


def _close_refusal(now: Assessment, shown: tuple[str, ...]) -> Refusal:
    """Closing a live case: refused without a reason, naming what is still open."""
    step = now.next_step
    still = f"the next step is still: {step.title} ({step.id})" if step else "the case is still open"
    urgent = f", and it is urgent ({'; '.join(now.urgent)})" if now.urgent else ""
    return Refusal(CLOSE, f"{still}{urgent}", False, shown, True,
                   " To close it all the same, say why: --reason \"why the case is closed now\".")


def letters_offered(policy: Policy, now: Assessment, events: Sequence[Event]) -> tuple[str, ...]:
    """The letters the policy's steps call for that may be drafted now: their step is permitted or was taken."""
    if now.status == "void":
        return ()
    ready = {s.id for s in now.permitted} | {e.event for e in events}
    return tuple(kind for kind in policy.letters if (step := policy.letter_step(kind)) and step.id in ready)


def judge_letter(policy: Policy, answers: Answers, events: Sequence[Event], kind: str, *,
                 later: Sequence[Answers] = ()) -> Refusal | None:
    """None if a letter of `kind` may be drafted now, else why not, in the policy's words.

    A letter belongs to a step (the step's `letters` in the policy): it is
    offered when the policy permits that step now, or once the step was
    taken (a copy of a letter already sent); never on a void case.
    """
    step = policy.letter_step(kind)
    now = assess(policy, answers, events, later=later)
    offered = letters_offered(policy, now, events)
    if step is None or kind in offered:
        return None
    hint = f" Letters offered now: {', '.join(offered)}." if offered else " No letter is offered now."
    what = f"the letter {kind}"
    if now.status == "void":
        return Refusal(what, "the case was voided (made by mistake)", False, (), False, hint)
    refusal = judge_event(policy, answers, events, step.id, later=later)
    why = refusal.reason if refusal is not None else "it is not permitted now"
    return Refusal(what, f"it belongs to the step {step.id} (\u201c{step.policy_text}\u201d), and {why}",
                   refusal.yet if refusal is not None else False, (), False, hint)


def judge_decline(policy: Policy, answers: Answers, events: Sequence[Event], step: str, *,
                  later: Sequence[Answers] = (), today: dt.date | None = None) -> Refusal | None:
    """None if `step` may be declined now (permitted, neither taken nor declined already), else why not."""
    now = assess(policy, answers, events, later=later, today=today)
    permitted = tuple(s.id for s in now.permitted)
    taken = {e.event for e in events}
    if now.status != "open":
        return Refusal(DECLINE, f"the case is {now.status}; only an open case's steps can be declined", False,
                       (), False)
    if step not in permitted:
        return Refusal(DECLINE, f"{step} is not permitted now, so there is no decision not to take it to record",
                       False, permitted, False)
    if step in taken and step not in now.declined:
        return Refusal(DECLINE, f"{step} has already been taken", False, permitted, False)
    if step in now.declined:
        return Refusal(DECLINE, f"{step} has already been declined", False, permitted, False)
    return None


def date_problem(policy: Policy, observed_on: dt.date, events: Sequence[Event], event: str,
                 on: dt.date) -> str | None:
    """Why `event` cannot have happened on `on`, naming both dates (None if it can).

    Nothing happens before the post was seen; an outcome comes after the
    discussion it follows; an escalation step after the outcome that
    permitted it and after any step it must follow.
    """
    if on < observed_on:
        return f"{on.isoformat()} is before the post was seen ({observed_on.isoformat()})"
    found = _order_problem(policy, events, dates_in_effect(events), event, on)
    return found[1] if found is not None else None


def correction_problem(policy: Policy, observed_on: dt.date, events: Sequence[Event], number: int,
                       on: dt.date) -> str | None:
    """Why event `number` (1-based) of a history cannot be corrected to `on`, naming both dates (None if it can).

    A correction obeys the rules a recording does (date_problem), over the
    corrected history as a whole: the event is checked against what it
    follows in the policy and everything recorded after it against it, so a
    discussion cannot be moved after its own outcome. An older problem that
    the corrected event plays no part in is left to `case verify`.
    """
    target = events[number - 1]
    if on < observed_on:
        return f"{on.isoformat()} is before the post was seen ({observed_on.isoformat()})"
    dates = dates_in_effect(events)
    dates[number - 1] = on
    own = _order_problem(policy, events[:number - 1], dates[:number - 1], target.event, on)
    if own is not None:
        return own[1]
    for later in range(number, len(events)):
        found = _order_problem(policy, events[:later], dates[:later], events[later].event, dates[later])
        if found is not None and found[0] == number - 1:
            return (f"{on.isoformat()} is after event {later + 1} ({events[later].event} on "
                    f"{dates[later].isoformat()}), which follows {target.event} in the policy")
    return None


def _order_problem(policy: Policy, events: Sequence[Event], dates: Sequence[dt.date], event: str,
                   on: dt.date) -> tuple[int, str] | None:
    """Whether `event` on `on` comes before what it follows in the policy among `events` (their dates in
    `dates`): the index of the event it would precede and why, or None."""
    steps = {s.id: s for s in policy.steps}

    def last(ids: set[str]) -> tuple[dt.date, int] | None:
        found = [(d, i) for i, (e, d) in enumerate(zip(events, dates, strict=True)) if e.event in ids]
        return max(found) if found else None

    follows: list[tuple[tuple[dt.date, int] | None, str]] = []
    if policy.outcome(event) is not None:
        follows.append((last({s.id for s in policy.stage_steps("first")}), "the discussion it follows"))
    elif event in steps and steps[event].stage == "escalation":
        escalating = {o.id for o in policy.outcomes if o.leads_to == "escalation"}
        follows.append((last(escalating), "the outcome that permitted it"))
        follows += [(last({needed}), f"{needed}, which it follows") for needed in steps[event].after]
    for before, what in follows:
        if before is not None and on < before[0]:
            return before[1], (f"{on.isoformat()} is before {what} ({events[before[1]].event} on "
                               f"{before[0].isoformat()})")
    return None


def repeat_problem(policy: Policy, events: Sequence[Event], seen: dt.date) -> str | None:
    """Why a later post seen on `seen` does not show that the parent continued after being asked, so the
    policy's repeat outcome ("If the parent refuses to do this and continues") is not recorded for it: it
    was seen before the discussion it would continue from. None when it was seen on or after it."""
    repeat = policy.repeat_outcome
    if repeat is None:
        return None
    dates = dates_in_effect(events)
    found = _order_problem(policy, events, dates, repeat.id, seen)
    if found is None:
        return None
    held, on = events[found[0]].event, dates[found[0]]
    return (f"it was seen on {seen.isoformat()}, before the discussion ({held} on {on.isoformat()}), so it does "
            f"not show that the parent continued after being asked: {repeat.id} was not recorded")
