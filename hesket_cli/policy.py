"""policy.py: the policy as hesket reads it: frozen dataclasses and the questions asked of them.

The policy and its rules live in data (`policy.toml`), not in Python, so a
school using its own version of the template changes a quote, adds a
checklist item or renames a step without code. This module holds the shape
of that data and small look-ups over it; reading and validating the file is
policy_file.py's job. Standard library only; it never touches a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

FORMAT = 1
STAGES = ("appropriate", "first", "escalation")
LEADS_TO = ("resolved", "escalation")
REQUIRED_ACTIONS = ("record_outcome", "close_case", "reopen_case")
CONDITION_KINDS = ("checklist", "consideration", "judgement", "platform", "poster")
# Ids the condition language gives a meaning of its own: `checklist.any`,
# `checklist.other` and `consideration.any`.
RESERVED_IDS = {"checklist": ("any", "other"), "considerations": ("any",)}
# The letters hesket drafts (a template each, `templates/letters/<kind>.txt`)
# and their titles. A step names the letters that belong to it
# (`letters = ["written_warning"]`): a letter is offered once its step is.
LETTERS = {
    "discussion_invitation": "Invitation to a private discussion",
    "discussion_record": "Note of our discussion",
    "written_warning": "Written warning",
    "access_restricted": "Access to the school's website or forum restricted",
    "legal_advice_brief": "Brief for the school's legal advisers",
}
# The kinds of harm a platform's reporting route is for (data/platforms.toml).
# A checklist item names the one it amounts to (`harm = "harassment"`), so the
# platform report pack can pick the route; an item without one counts as "other".
HARMS = ("harassment", "defamation", "impersonation", "threat", "hate", "other")


class Header(NamedTuple):
    """Who the policy belongs to and when it was adopted and reviewed (any precision the school publishes)."""

    school: str
    title: str
    adopted: str | None
    reviewed: tuple[str, ...]
    signed: dt.date | None
    signed_by: str
    policy_text: str
    source: str | None

    @property
    def last_reviewed(self) -> str:
        """The latest review (or the adoption if never reviewed; "" if the policy gives neither)."""
        return max(self.reviewed, default=self.adopted or "")

    @property
    def ever_reviewed(self) -> bool:
        """Whether the policy records a review at all (a summary must not claim one that never happened)."""
        return bool(self.reviewed)

    @property
    def dates_said(self) -> str:
        """Its dates in words, claiming no review that never happened: `last reviewed 2024-11`,
        `adopted 2019, not reviewed since`, `adoption date not given`."""
        if self.reviewed:
            return f"last reviewed {self.last_reviewed}"
        if self.adopted:
            return f"adopted {self.adopted}, not reviewed since"
        return "adoption date not given"


class Item(NamedTuple):
    """A question the policy asks of a post: a consideration, checklist item or judgement."""

    id: str
    kind: str
    title: str
    question: str
    help: str
    policy_text: str
    harm: str | None = None
    flagged_by: str = "yes"  # the answer that flags it: "no" where the policy asks the question the other way round


class Choice(NamedTuple):
    """One of a fixed set of answers (a platform or a kind of poster).

    `in_letters`: posters only, how a letter to the parent names a post by this
    kind of poster, mid-sentence ("your post", "your child's post").
    """

    id: str
    title: str
    policy_text: str | None
    aliases: tuple[str, ...] = ()
    in_letters: str | None = None


class Condition(NamedTuple):
    """One entry of a condition list, such as `not poster.pupil`."""

    kind: str
    id: str
    negated: bool

    def __str__(self) -> str:
        return f"{'not ' if self.negated else ''}{self.kind}.{self.id}"

    @property
    def fact(self) -> str:
        """The fact it names, without its negation (`poster.pupil`)."""
        return f"{self.kind}.{self.id}"


class Step(NamedTuple):
    """A step of the policy's procedure, with the conditions that permit it and make it urgent.

    `letters`: the letters hesket drafts for it (LETTERS); `platform_report`:
    the step of complaining to the site's provider, which `hesket report`
    prepares.
    """

    id: str
    title: str
    stage: str
    when: tuple[Condition, ...]
    at_once_when: tuple[Condition, ...]
    after: tuple[str, ...]
    policy_text: str
    urgent: bool = False
    urgent_when: tuple[Condition, ...] = ()
    letters: tuple[str, ...] = ()
    platform_report: bool = False


class Outcome(NamedTuple):
    """What may be recorded after the discussion, and where it leads.

    `repeat_post`: the outcome a later post by the same person records, once
    the discussion has been held (the policy's "continues to use social
    networking sites in a manner the school considers inappropriate").
    """

    id: str
    title: str
    leads_to: str
    policy_text: str
    repeat_post: bool = False


class Notice(NamedTuple):
    """The school's own setting, not the policy's words: something staff must do when its conditions hold
    (tell the Designated Safeguarding Lead), done when the event it names is recorded; `ref` says what
    reference kept elsewhere that event must carry (the safeguarding log's), if any."""

    id: str
    title: str
    text: str
    when: tuple[Condition, ...]
    done_by: str
    ref: str | None = None


class HelplineSetting(NamedTuple):
    """The school's own setting, not the policy's words: when to turn to a helpline for professionals (POSH)
    after complaining to the site (the step with `platform_report`) did not get the post removed.

    `event` records it; it is permitted `wait_days` after that step happened
    (its `on` date) while no outcome has resolved the matter, and at once
    while a notice named in `at_once_with` applies (a safeguarding concern).
    `contacts` names its entry in the routes file (its published details).
    """

    event: str
    title: str
    text: str
    wait_days: int = 2
    at_once_with: tuple[str, ...] = ()
    contacts: str | None = None


class Action(NamedTuple):
    """Something hesket may suggest that is not a step of the policy's ladder."""

    id: str
    title: str
    policy_text: str | None


class Timings(NamedTuple):
    """When a case counts as overdue: the school's own settings (the policy gives no numbers)."""

    discussion_days: int = 7
    outcome_days: int = 7
    reply_days: int = 14
    idle_days: int = 28
    late_days: int = 3


class Template(NamedTuple):
    """Example values `triage --template` fills in (the first platform and poster unless the policy says)."""

    platform: str
    poster: str


class Policy(NamedTuple):
    """The whole policy as hesket reads it, and the file it came from."""

    header: Header
    considerations: tuple[Item, ...]
    checklist: tuple[Item, ...]
    other: Item | None
    judgements: tuple[Item, ...]
    posters: tuple[Choice, ...]
    platforms: tuple[Choice, ...]
    steps: tuple[Step, ...]
    outcomes: tuple[Outcome, ...]
    actions: tuple[Action, ...]
    path: str
    sha256: str
    timings: Timings = Timings()
    template: Template | None = None
    notices: tuple[Notice, ...] = ()
    helpline: HelplineSetting | None = None
    raise_concerns: str | None = None  # the policy's words for raising a concern privately (`[raise_concerns]`)

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if there is none)."""
        found: Step = by_id(self.steps, step_id)
        return found

    def letter_step(self, kind: str) -> Step | None:
        """The step a letter of this kind belongs to (None where no step calls for it)."""
        return next((s for s in self.steps if kind in s.letters), None)

    @property
    def letters(self) -> tuple[str, ...]:
        """Every letter the policy's steps call for, in the steps' order."""
        return tuple(kind for s in self.steps for kind in s.letters)

    @property
    def provider_step(self) -> Step | None:
        """The step of complaining to the site's provider (`platform_report = true`), if the policy has one."""
        return next((s for s in self.steps if s.platform_report), None)

    def action(self, action_id: str) -> Action:
        """The non-ladder action with this id (KeyError if there is none)."""
        found: Action = by_id(self.actions, action_id)
        return found

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The outcome with this id, or None."""
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def platform(self, name: str) -> Choice | None:
        """The platform a user means by `name` (an id or an alias, any case)."""
        wanted = name.strip().lower()
        for choice in self.platforms:
            if wanted == choice.id or wanted in choice.aliases:
                return choice
        return None

    def poster(self, name: str) -> Choice | None:
        """The kind of poster with this id (any case), or None."""
        wanted = name.strip().lower()
        return next((c for c in self.posters if c.id == wanted), None)

    def title_of(self, section: str, item_id: str) -> str:
        """The plain title of a platform, poster, step, outcome or action id (the id itself if unknown)."""
        pools: dict[str, Sequence[Choice | Step | Outcome | Action]] = {
            "platform": self.platforms, "poster": self.posters, "step": self.steps,
            "outcome": self.outcomes, "action": self.actions,
        }
        if self.helpline is not None and item_id == self.helpline.event:
            return self.helpline.title
        return next((x.title for x in pools[section] if x.id == item_id), item_id)

    def stage_steps(self, stage: str) -> tuple[Step, ...]:
        """The steps of one stage, in the ladder's order."""
        return tuple(s for s in self.steps if s.stage == stage)

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        """Every outcome id, in the policy's order."""
        return tuple(o.id for o in self.outcomes)

    @property
    def event_ids(self) -> tuple[str, ...]:
        """Every event `case record` may record: steps, outcomes, actions and the events that complete notices."""
        return (
            tuple(s.id for s in self.steps)
            + self.outcome_ids
            + tuple(a.id for a in self.actions if a.id != "record_outcome")
            + tuple(dict.fromkeys(n.done_by for n in self.notices))
            + ((self.helpline.event,) if self.helpline else ())
        )

    @property
    def step_ids(self) -> tuple[str, ...]:
        """Every step a case may take (the policy's, and the school's helpline setting): what may be declined."""
        return tuple(s.id for s in self.steps) + ((self.helpline.event,) if self.helpline else ())

    @property
    def repeat_outcome(self) -> Outcome | None:
        """The outcome a later post records once the discussion has been held (None if the policy names none)."""
        return next((o for o in self.outcomes if o.repeat_post), None)

    @property
    def template_values(self) -> Template:
        """The example platform and poster for `triage --template`."""
        return self.template or Template(self.platforms[0].id, self.posters[0].id)

    def quotes(self) -> list[tuple[str, str]]:
        """Every (place, policy_text) pair, for checking them against the source text."""
        found = [("policy", self.header.policy_text)]
        sections: tuple[tuple[str, Iterable[Item | Choice | Step | Outcome | Action]], ...] = (
            ("considerations", self.considerations),
            ("checklist", self.checklist),
            ("judgement", self.judgements),
            ("posters", self.posters),
            ("platforms", self.platforms),
            ("steps", self.steps),
            ("outcomes", self.outcomes),
            ("actions", self.actions),
        )
        for section, items in sections:
            found += [(f"{section}.{x.id}", x.policy_text) for x in items if x.policy_text]
        if self.other is not None:
            found.append(("other", self.other.policy_text))
        if self.raise_concerns is not None:
            found.append(("raise_concerns", self.raise_concerns))
        return found


def by_id(items: Iterable[Any], wanted: str) -> Any:
    """The item with id `wanted` (KeyError if there is none)."""
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(wanted)


def words_list(ids: Sequence[str], conjunction: str = "or") -> str:
    """Ids as a sentence's list: `removed, refused or continued`."""
    if len(ids) <= 1:
        return "".join(ids)
    return f"{', '.join(ids[:-1])} {conjunction} {ids[-1]}"


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace, so a quote matches across the source's line breaks."""
    return " ".join(text.split())
