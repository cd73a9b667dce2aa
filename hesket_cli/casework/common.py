"""casework/common.py: what every use case shares: the moment, who is recording, and a case's outcome.

A use case never reads the clock: the command line reads it once into a
`Moment` and passes it down, so every date rule can be tested on fixed
dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..answers import Answers
from ..case import Case, Event, PolicyRef
from ..engine import Assessment, assess_case
from ..errors import InvalidInput, UsageError
from ..policy import Policy

if TYPE_CHECKING:
    from ..platform_routes import Helpline
    from ..workspace import Workspace


class Moment(NamedTuple):
    """When a command runs: `now` in UTC (recorded on events) and `today`, the local date."""

    now: dt.datetime
    today: dt.date

    @classmethod
    def current(cls) -> Moment:
        """The moment now, by this computer's clock."""
        return cls(dt.datetime.now(dt.UTC).replace(microsecond=0), dt.date.today())


class CaseOutcome(NamedTuple):
    """A case as a command left it: the case, its assessment under the policy in use, and what to say."""

    case: Case
    assessment: Assessment
    policy: Policy
    message: str = ""
    notices: tuple[str, ...] = ()
    saved: bool = True
    helpline: Helpline | None = None


def outcome(case: Case, policy: Policy, message: str = "", notices: tuple[str, ...] = (), *,
            saved: bool = True, today: dt.date | None = None) -> CaseOutcome:
    """The case assessed under `policy` on `today` (the school's helpline setting counts days), ready to show."""
    return CaseOutcome(case, assess_case(policy, case, today), policy, message, notices, saved)


def recorder(by: str | None) -> str:
    """Who is recording: `--by` if given, else the saved name (hesket config set name), else the login's full name."""
    if by is not None:
        return clean_name(by, "--by")
    from ..config import load_config
    from ..people import login_full_name

    return load_config().get("name") or login_full_name()


def check_text(option: str, value: str | None, *, required: bool = False) -> str | None:
    """Free text given on the command line: refused if blank or longer than a paragraph should be.

    `required`: the option cannot be left out, so a blank one is told to say something.
    """
    from ..answers import TEXT_LIMIT

    if value is None:
        return None
    if not value.strip():
        fix = "write it" if required else f"leave {option} out or write something"
        raise UsageError(f"{option}: the text is blank; {fix}")
    if len(value) > TEXT_LIMIT:
        raise InvalidInput(f"{option}: {len(value):,} characters, over the {TEXT_LIMIT:,} a free-text field may "
                           "have; shorten it (attach a longer text as evidence)")
    return value


def clean_name(name: str, option: str, *, whose: str = "the person recording", example: str = "--by") -> str:
    """A person's name with its spaces tidied; a blank name, or one with a line break, is refused.

    `whose` and `example` (an option, or a command) word the fix: the name of whom, given how.
    """
    from ..describe import breaks_line

    if breaks_line(name):
        raise InvalidInput(f"{option}: the name has a line break; a name is one line: give it on one line, "
                           f"e.g. {example} \"Mrs A Example\"")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f"{option}: the name is blank; give the name of {whose}, e.g. {example} \"Mrs A Example\"")
    check_text(option, name)
    return cleaned


def known_name(kind: str, name: str, names: Sequence[str]) -> str:
    """`name` if it is one of `names`; else a usage error naming it, a near one, and the valid `kind`s."""
    if name in names:
        return name
    import difflib

    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    raise UsageError(f"unknown {kind} {name!r}; {hint}valid {kind}s: {', '.join(names)}")


def later_answers(case: Case) -> tuple[Answers, ...]:
    """The answers of the later posts added to a case."""
    return tuple(p.answers for p in case.posts)


def same_policy(ref: PolicyRef, policy: Policy) -> bool:
    """Whether a case's policy and this one are the same school's same policy (any version of it)."""
    if ref.title != policy.header.title:
        return False
    return ref.school is None or ref.school == policy.header.school


def policy_named(school: str | None, title: str) -> str:
    """A policy as a person names it: `High Hesket CE School's "Policy on ..."`."""
    return f"{school}'s \"{title}\"" if school else f"\"{title}\""


def check_binding(case: Case, policy: Policy, workspace: Workspace) -> None:
    """Refuse to write to a case under another school's policy (or another policy of the same school).

    The refusal says why the policies differ, since the fix differs: a
    policy being tried (leave it out), a policy the workspace adopted since
    the case was triaged (the case stays as it was), or a case brought from
    elsewhere.
    """
    if same_policy(case.policy, policy):
        return
    theirs, ours = policy_named(case.policy.school, case.policy.title), policy_named(policy.header.school,
                                                                                   policy.header.title)
    if workspace.trial_policy is not None:
        why = (f"the policy being tried (--policy or HESKET_POLICY) is {ours}; leave it out to write under "
               "the case's own policy")
    elif (path := workspace.version_path(case.policy.sha256)) is not None and path.exists():
        why = (f"this workspace has since adopted {ours} (hesket policy adopt); the case can be shown (hesket case "
               f"show {case.id} --as-triaged) but not written to under another policy; to write to it, adopt its "
               f"policy again: hesket policy adopt {path}"
               + (f" --school \"{case.policy.school}\"" if case.policy.school not in (None, workspace.school) else ""))
    else:
        why = (f"the policy in use here is {ours}; write to it in a workspace whose policy is {theirs} "
               "(hesket init DIR --policy FILE), or give that policy with --policy FILE")
    raise InvalidInput(f"case {case.id} was triaged under {theirs}, but {why}; nothing was written")


def reassessed(case: Case, policy: Policy) -> Case:
    """The case stamped with the policy it is now assessed under and the next step that gave,
    so `review` can flag a case whose next step a later policy change has moved."""
    step = assess_case(policy, case).next_step
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256, step.id if step else "none",
                    policy.header.school)
    return case._replace(policy=ref)


def with_events(case: Case, added: Sequence[Event], policy: Policy) -> Case:
    """The case with `added` at the end of its history (never edited: only added to), reassessed."""
    return reassessed(case._replace(events=case.events + tuple(added)), policy)


def event_date(on: dt.date | None, observed_on: dt.date, moment: Moment) -> dt.date:
    """The date an event happened: today unless given; never in the future or before the post was seen."""
    if on is None:
        return moment.today
    if on > moment.today:
        raise InvalidInput(f"--on: {on.isoformat()} is in the future (today is {moment.today.isoformat()}); "
                           "give the date it happened")
    if on < observed_on:
        raise InvalidInput(f"--on: {on.isoformat()} is before the post was seen ({observed_on.isoformat()}); "
                           "give the date it happened")
    return on


def policy_words(policy: Policy) -> bytes:
    """What every cached row derived from a case repeats: the policy's titles and words (a compression
    dictionary for the index, at most zlib's 32 KB)."""
    texts = [policy.header.title]
    for group in (policy.considerations, policy.checklist, policy.judgements, policy.steps, policy.outcomes,
                  policy.actions):
        for item in group:
            texts += [item.id, item.title, item.policy_text or ""]
    return "\n".join(texts).encode("utf-8")[-32768:]


def refuse_to_replace(target: Path, option: str, why: str = "") -> None:
    """A file a person named for a command to write (a letter, a bundle, a draft, a summary) is written only
    where nothing is yet: what is there may have been edited, signed or sent, and is never replaced."""
    if target.exists() or target.is_symlink():
        raise InvalidInput(f"{option}: {target} already exists{why}; give another name or move it away; "
                           "nothing was written")
