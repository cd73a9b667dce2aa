"""policy_logic.py: finds the steps of a policy that can never be permitted, and the posts no step covers.

The loader (policy.py) proves a policy file is well formed; it cannot see that a
well-formed ladder is unusable: a step `after` itself, two steps each `after` the
other, an escalation step when no outcome leads to escalation, an `at_once_when`
that holds where `when` does not, a first step for some posters only. Each of
those left a case refused for ever (exit 5), so each is found here and explained
in words, with its place in the file and an example post where that helps.

Conditions are read as the engine reads them: a list holds when any entry holds
(an empty list always holds); `checklist.any` is "some checklist item, or
something else, was ticked" and `consideration.any` likewise; a post has exactly
one platform and one poster. Whether a set of entries can hold together is
decided exactly over those facts, so `not` entries and `any` are reasoned about,
not guessed. Pure: it reads no file and never changes the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .policy import Choice, Condition, Policy, Step

Model = dict[str, set[str]]

INAPPROPRIATE = Condition("checklist", "any", False)
_COVER_WORDS = {
    "appropriate": ("appropriate", "hesket can suggest only closing the case"),
    "first": ("inappropriate", "the case can never move on from triage"),
}
APPROPRIATE = Condition("checklist", "any", True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy, with its place in the file (`steps.legal_action.after`)."""

    place: str
    message: str
    severity: str  # "error" | "warning"


def _negate(condition: Condition) -> Condition:
    return Condition(condition.kind, condition.id, not condition.negated)


class Facts:
    """What a post's answers can be under a policy, to decide whether conditions can hold together."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.one = {"platform": [c.id for c in policy.platforms], "poster": [c.id for c in policy.posters]}
        checklist = [i.id for i in policy.checklist]
        if getattr(policy, "other", None) is not None:
            checklist.append("other")
        self.many = {
            "consideration": [i.id for i in policy.considerations],
            "checklist": checklist,
            "judgement": [i.id for i in policy.judgements],
        }

    def model(self, conditions: Iterable[Condition]) -> Model | None:
        """Answers under which every condition holds (one example), or None if they never hold together."""
        wanted: dict[str, set[str]] = {kind: set() for kind in (*self.one, *self.many)}
        refused: dict[str, set[str]] = {kind: set() for kind in wanted}
        for condition in conditions:
            (refused if condition.negated else wanted)[condition.kind].add(condition.id)
        found: Model = {}
        for kind, ids in self.one.items():
            chosen = _exactly_one(ids, wanted[kind], refused[kind])
            if chosen is None:
                return None
            found[kind] = chosen
        for kind, ids in self.many.items():
            true = _any_of(ids, wanted[kind], refused[kind])
            if true is None:
                return None
            found[kind] = true
        return found

    def some_entry_holds(self, when: Sequence[Condition], context: Sequence[Condition]) -> Model | None:
        """An example where the list `when` holds together with every condition in `context`."""
        if not when:
            return self.model(context)
        for entry in when:
            found = self.model([*context, entry])
            if found is not None:
                return found
        return None

    def example(self, found: Model) -> str:
        """An example post in words: `poster Parent, platform Facebook, ticking Racist comments`."""
        poster = self.policy.poster(next(iter(found["poster"])))
        platform = self.policy.platform(next(iter(found["platform"])))
        titles = {i.id: i.title for i in (*self.policy.checklist, *self.policy.considerations, *self.policy.judgements)}
        ticked = [titles.get(i, "something else") for i in self.many["checklist"] if i in found["checklist"]]
        flagged = [titles[i] for i in self.many["consideration"] if i in found["consideration"]]
        judged = [titles[i] for i in self.many["judgement"] if i in found["judgement"]]
        words = f"poster {poster.title if poster else '?'}, platform {platform.title if platform else '?'}"
        words += f", ticking {', '.join(ticked)}" if ticked else ", ticking nothing on the checklist"
        if flagged:
            words += f", flagging {', '.join(flagged)}"
        if judged:
            words += f", judged {', '.join(judged)}"
        return words


def _exactly_one(ids: list[str], yes: set[str], no: set[str]) -> set[str] | None:
    """The one id chosen (a platform, a poster) so that every yes holds and no no, or None."""
    free = [i for i in ids if i not in no]
    if len(yes) > 1 or yes & no or not free:
        return None
    return set(yes) or {free[0]}


def _any_of(ids: list[str], yes: set[str], no: set[str]) -> set[str] | None:
    """The ids true (checklist items, considerations) so that yes and no hold, `any` included, or None."""
    wants_any, refuses_any = "any" in yes, "any" in no
    yes, no = yes - {"any"}, no - {"any"}
    if yes & no or (refuses_any and (yes or wants_any)):
        return None
    if wants_any and not yes:
        free = [i for i in ids if i not in no]
        return {free[0]} if free else None
    return set(yes)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _listed(conditions: Sequence[Condition]) -> str:
    return ", ".join(f"'{c}'" for c in conditions)


class _Ladder:
    """The reasoning about one policy's steps, collecting problems as it goes."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.facts = Facts(policy)
        self.steps = {s.id: s for s in policy.steps}
        self.order = {s.id: n for n, s in enumerate(policy.steps)}
        self.escalates = any(o.leads_to == "escalation" for o in policy.outcomes)
        self.problems: list[Problem] = []
        self.dead: set[str] = set()

    def add(self, place: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(place, message, severity))

    def context(self, step: Step) -> list[Condition]:
        return [APPROPRIATE] if step.stage == "appropriate" else [INAPPROPRIATE]

    def at_once(self, step: Step) -> bool:
        """Whether the step has an at-once route that some inappropriate post can take."""
        return bool(step.at_once_when) and self.facts.some_entry_holds(step.at_once_when, [INAPPROPRIATE]) is not None

    def staged(self, step: Step) -> bool:
        """Whether the step's own stage can ever permit it (before looking at `after`)."""
        if step.stage == "escalation" and not self.escalates:
            return False
        return self.facts.some_entry_holds(step.when, self.context(step)) is not None

    def verdicts(self, step: Step) -> set[str]:
        found = set()
        if self.staged(step):
            found.add("appropriate" if step.stage == "appropriate" else "inappropriate")
        if self.at_once(step):
            found.add("inappropriate")
        return found

    def check_conditions(self, step: Step) -> None:
        place = f"steps.{step.id}"
        stage_words = ("a post judged appropriate (nothing on the checklist)" if step.stage == "appropriate"
                       else "a post judged inappropriate (something on the checklist)")
        if self.facts.some_entry_holds(step.when, self.context(step)) is None:
            self.add(f"{place}.when", f"{step.id} can never be permitted: its when ({_listed(step.when)}) can never "
                                      f"hold for {_a(step.stage)} step, which needs {stage_words}; fix the entries")
        else:
            for entry in step.when:
                if self.facts.model([*self.context(step), entry]) is None:
                    self.add(f"{place}.when", f"the entry '{entry}' can never hold for {_a(step.stage)} step, which "
                                              f"needs {stage_words}; remove it", "warning")
        if step.stage == "escalation" and not self.escalates:
            route = (" except at once (at_once_when)" if self.at_once(step) else "")
            self.add(f"{place}.stage", f"{step.id} can never be permitted{route}: escalation steps follow an outcome "
                                       "with leads_to = \"escalation\", and no outcome in [outcomes] has it; give one "
                                       "(such as refused) leads_to = \"escalation\"",
                     "warning" if route else "error")
        if step.at_once_when:
            self.check_at_once(step)

    def check_at_once(self, step: Step) -> None:
        place = f"steps.{step.id}.at_once_when"
        if not self.at_once(step):
            self.add(place, f"at_once_when ({_listed(step.at_once_when)}) can never hold: a step is permitted at "
                            "once only for a post judged inappropriate (something on the checklist); fix the entries")
            return
        if not step.when:
            return
        for entry in step.at_once_when:
            found = self.facts.model([INAPPROPRIATE, entry, *(_negate(c) for c in step.when)])
            if found is not None:
                self.add(place, f"'{entry}' can hold where {step.id}'s when ({_listed(step.when)}) cannot, for "
                                f"example {self.facts.example(found)}: {step.id} would be permitted at once for "
                                f"it, yet never as {_a(step.stage)} step; at_once_when must imply when, so add "
                                f"'{entry}' to when or remove it from at_once_when")

    def check_after(self) -> None:
        for step in self.policy.steps:
            place = f"steps.{step.id}.after"
            for needed in step.after:
                other = self.steps.get(needed)
                if other is None:
                    continue
                if needed == step.id:
                    self.dead.add(step.id)
                    self.add(place, f"{step.id} can never be permitted: its after names {step.id} itself, so it "
                                    f"would have to be recorded before it could be; remove '{step.id}' from after")
                    continue
                loop = self.loop(step.id, needed)
                if loop:
                    self.dead.add(step.id)
                    chain = ", which needs ".join(loop[1:])
                    self.add(place, f"{step.id} can never be permitted: it needs {chain}; break the loop by "
                                    "removing one of these from after")
                    continue
                if self.order[needed] > self.order[step.id]:
                    self.add(place, f"{step.id} needs {needed} (after), but {needed} comes later in the ladder's "
                                    f"order of [steps], which is the order hesket suggests steps, gentlest first; move "
                                    f"[steps.{step.id}] below [steps.{needed}], or remove '{needed}' from after")
                self.check_after_stages(step, other)

    def check_after_stages(self, step: Step, other: Step) -> None:
        place = f"steps.{step.id}.after"
        mine, theirs = self.verdicts(step), self.verdicts(other)
        if mine and theirs and not mine & theirs:
            self.dead.add(step.id)
            self.add(place, f"{step.id} can never be permitted: it needs {other.id}, which is permitted only for a "
                            f"post judged {' or '.join(sorted(theirs))}, and {step.id} only for one judged "
                            f"{' or '.join(sorted(mine))}; remove '{other.id}' from after")
        elif step.stage == "first" and not self.at_once(step) and not self.at_once(other) and mine & theirs:
            self.dead.add(step.id)
            self.add(place, f"{step.id} can never be permitted: it is a first step, permitted only until a first step "
                            f"is recorded, and it needs {other.id}, which cannot be recorded before then (only a step "
                            f"with at_once_when can); remove '{other.id}' from after")

    def loop(self, start: str, first: str) -> list[str]:
        """The shortest chain start -> first -> ... -> start through `after`, or [] if there is none."""
        paths = {first: [start, first]}
        queue = [first]
        while queue:
            current = queue.pop(0)
            for needed in self.steps[current].after:
                if needed == start:
                    return [*paths[current], start]
                if needed in self.steps and needed not in paths:
                    paths[needed] = [*paths[current], needed]
                    queue.append(needed)
        return []

    def propagate(self) -> None:
        """A step that needs a step that can never be permitted can never be permitted either."""
        for step in self.policy.steps:
            if not self.staged(step) and not self.at_once(step):
                self.dead.add(step.id)
        changed = True
        while changed:
            changed = False
            for step in self.policy.steps:
                if step.id in self.dead:
                    continue
                blocked = next((n for n in step.after if n in self.dead), None)
                if blocked is not None:
                    self.dead.add(step.id)
                    changed = True
                    self.add(f"steps.{step.id}.after", f"{step.id} can never be permitted: it needs {blocked}, "
                                                       f"which can never be permitted (see steps.{blocked})")

    def check_cover(self, stage: str, context: Condition, severity: str) -> None:
        """Posters, platforms or other answers for which no step of `stage` can be permitted."""
        if not any(s.stage == stage for s in self.policy.steps):
            return
        live = [s for s in self.policy.steps if s.stage == stage and s.id not in self.dead]
        if any(not s.when for s in live):
            return
        base = [context, *(_negate(c) for s in live for c in s.when)]
        found = self.facts.model(base)
        if found is None:
            return
        judged, after = _COVER_WORDS[stage]
        for kind, section, choices in (("poster", "posters", self.policy.posters),
                                       ("platform", "platforms", self.policy.platforms)):
            uncovered = self.uncovered(base, kind, choices)
            if len(uncovered) < len(choices):
                for choice_id, model in uncovered:
                    self.add(f"{section}.{choice_id}", f"no {stage} step can be permitted for a post judged {judged} "
                                                       f"by this {kind}, for example {self.facts.example(model)}: "
                                                       f"{after}; add {_a(stage)} step for it, or widen {_a(stage)} "
                                                       "step's when", severity)
                return
        self.add("steps", f"no {stage} step can be permitted for some posts judged {judged}, for example "
                          f"{self.facts.example(found)}: {after}; add {_a(stage)} step with an empty when, or widen "
                          f"{_a(stage)} step's when", severity)

    def uncovered(self, base: list[Condition], kind: str, choices: Sequence[Choice]) -> list[tuple[str, Model]]:
        """Each choice (poster or platform) for which the conditions `base` can hold, with an example."""
        found = []
        for choice in choices:
            model = self.facts.model([*base, Condition(kind, choice.id, False)])
            if model is not None:
                found.append((choice.id, model))
        return found

    def check_urgent(self) -> None:
        """An urgent step must be one that can be permitted, or its urgency can never show."""
        for step in self.policy.steps:
            if (step.urgent or step.urgent_when) and step.id in self.dead:
                self.add(f"steps.{step.id}.urgent", f"{step.id} is marked urgent but can never be permitted, so no "
                                                    "case will ever be urgent for it")
            elif step.urgent_when and not step.urgent:
                self.add(f"steps.{step.id}.urgent_when", f"urgent_when narrows when {step.id} makes a case urgent, "
                                                         "but the step is not marked urgent = true, so it has no "
                                                         "effect; add urgent = true, or remove urgent_when",
                         "warning")


def check_logic(policy: Policy) -> list[Problem]:
    """Every step that can never be permitted and every post no step covers, explained, sorted by place."""
    ladder = _Ladder(policy)
    for step in policy.steps:
        ladder.check_conditions(step)
    ladder.check_after()
    ladder.propagate()
    ladder.check_cover("first", INAPPROPRIATE, "error")
    ladder.check_cover("appropriate", APPROPRIATE, "warning")
    ladder.check_urgent()
    return sorted(ladder.problems, key=lambda p: (p.place, p.severity, p.message))
