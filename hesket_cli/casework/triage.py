"""casework/triage.py: triage a post: read the answers, save a new case, assess it.

The interview and an answers file both end here, so a case is saved the
same way whichever way the answers came.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..answers import Answers, answers_to_dict, parse_answers, read_answers_file
from ..case import Case, PolicyRef
from ..errors import InvalidInput
from ..workspace import Workspace
from .common import CaseOutcome, Moment, outcome, policy_named, reassessed, recorder


def read_answers(workspace: Workspace, source: str, moment: Moment) -> Answers:
    """The answers in a file (`-` for standard input), checked against the policy in force."""
    return parse_answers(read_answers_file(source), workspace.policy(), today=moment.today, source=source)


def check_answers(workspace: Workspace, data: Mapping[str, Any], moment: Moment, source: str) -> Answers:
    """Answers given as a mapping (the interview's), checked exactly as an answers file is."""
    return parse_answers(data, workspace.policy(), today=moment.today, source=source)


def triage(workspace: Workspace, answers: Answers, moment: Moment, *, by: str | None,
           save_answers_to: str | None = None, dry_run: bool = False) -> CaseOutcome:
    """Save the answers as a new case under the policy in force, and assess it.

    `save_answers_to` also writes the answers as a reusable answers file,
    before the case is saved, so a failure there saves nothing. With
    `dry_run` the case is assessed and nothing is saved anywhere.
    """
    who = recorder(by)
    policy = workspace.policy()
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256, None, policy.header.school)
    if dry_run:
        case = reassessed(Case(id="", created_at=moment.now, recorded_by=who, policy=ref, answers=answers), policy)
        return outcome(case, policy, "Nothing was saved (--dry-run).", saved=False, today=moment.today)
    _refuse_a_trial_policy(workspace)
    if save_answers_to:
        save_answers(save_answers_to, answers)
    from .workspaces import keep_version

    keep_version(workspace, policy, workspace.policy_path)

    def make(case_id: str) -> Case:
        return reassessed(Case(id=case_id, created_at=moment.now, recorded_by=who, policy=ref, answers=answers), policy)

    case = workspace.store().create(make, year=moment.today.year)
    return outcome(case, policy, f"Saved as case {case.id}. See it again with: hesket case show {case.id}",
                   duplicate_warnings(workspace, answers, saved=case), today=moment.today)


class Cautions(NamedTuple):
    """What a new post may repeat: one warning line for each, and the poster's open cases it may belong in."""

    lines: tuple[str, ...]
    open_cases: tuple[str, ...]


def duplicate_warnings(workspace: Workspace, answers: Answers, *, saved: Case | None = None,
                       to_case: str | None = None) -> tuple[str, ...]:
    """The warning lines of `cautions`."""
    return cautions(workspace, answers, saved=saved, to_case=to_case).lines


def cautions(workspace: Workspace, answers: Answers, *, saved: Case | None = None,
             to_case: str | None = None) -> Cautions:
    """A warning for each case already holding a post like this one (triaging it twice doubles the counts), and
    for each open case of the same poster reference (a person posting again belongs in their case, where a
    repeat after the discussion moves it on; a new case would start the policy's steps again).

    `saved` is the case the post was just saved in; `to_case` the case it is
    about to join, whose own posts are checked too (before it joins: the
    interview asks first).
    """
    from ..errors import CaseNotFound
    from .search import related_cases

    own: tuple[str, ...] = ()
    if to_case is not None and saved is None:
        try:
            own = posts_warnings(workspace.store().load(to_case), answers)
        except CaseNotFound:
            own = ()  # adding the post says so, with how to find the case
    related = related_cases(workspace, answers, saved=saved, but=to_case)
    duplicates = _duplicates_line(related.duplicates, saved)
    open_cases = () if to_case is not None else tuple(related.same_poster)
    repeats = tuple(
        f"the poster {answers.incident.poster_ref!r} already has an open case, {other}; if this is the same person "
        "posting again, the post belongs in that case, where the policy's steps carry on"
        + (f": hesket case void {saved.id} --reason \"a repeat post of {other}\", then hesket triage --case {other}"
           if saved else f" (hesket triage --case {other} adds it there)")
        for other in open_cases)
    return Cautions(own + duplicates + repeats, open_cases)


def _duplicates_line(others: list[str], saved: Case | None) -> tuple[str, ...]:
    """One warning naming every case that already holds a post like this one (none if there is none)."""
    if not others:
        return ()
    first = others[0]
    named = f"case {first}" if len(others) == 1 else f"cases {', '.join(others)}"
    return (f"this post looks like one already recorded in {named} (same date, platform and poster reference, or "
            "the same summary); if it is the same post, "
            + (f"void one with: hesket case void {saved.id} --reason \"a duplicate of {first}\"" if saved else
               f"it need not be saved again (see: hesket case show {first})"),)


def posts_warnings(case: Case, answers: Answers) -> tuple[str, ...]:
    """A warning for each post already in `case` like this one, about to be added as its next post."""
    from .search import posts_like

    number = len(case.posts) + 2
    return tuple(f"this post looks like post {n} already in case {case.id} (same date, platform and poster "
                 f"reference, or the same summary); posts are never removed: if it is the same post, say so with: "
                 f"hesket case note {case.id} \"post {number} repeats post {n}\""
                 for n in posts_like(case, answers))


def add_post(workspace: Workspace, case_id: str, answers: Answers, moment: Moment, *, by: str | None) -> CaseOutcome:
    """Add a later post by the same person to their open case, with its own answers and date.

    Where the discussion has already been held and the new post was seen on
    or after it, the policy's repeat-post outcome (High Hesket's
    "continued": "If the parent refuses to do this and continues") is
    recorded too, dated the day the new post was seen, so the escalation
    steps its ticks permit become permitted; the case's reasons and
    conditions then cover every post. A post seen before the discussion is
    added as a post only, and the warnings say why.
    """
    from ..case import POST, Event, Post
    from ..refusals import repeat_problem
    from ..store import validate_case_id
    from .common import check_binding

    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()
    seen = answers.incident.observed_on
    said: list[str] = []  # what the person is told: a post like one in the case, no repeat outcome recorded
    unrepeated: list[bool] = []

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        if case.status != "open":
            raise InvalidInput(f"case {case.id} is {case.status}; a later post joins an open case (reopen it "
                               f"first with: hesket case record {case.id} reopen_case), or triage it as a new case")
        said[:] = posts_warnings(case, answers)
        unrepeated.clear()
        posts = case.posts + (Post(answers, moment.now, who),)
        added = [Event(event=POST, at=moment.now, on=seen, by=who, post=len(posts) + 1,
                       note=f"A later post, seen {seen.isoformat()}, added to the case")]
        repeat = policy.repeat_outcome
        discussed = any(e.event in {s.id for s in policy.stage_steps("first")} for e in case.events)
        problem = repeat_problem(policy, case.events, seen)
        if repeat is not None and discussed and problem is None:
            added.append(Event(event=repeat.id, at=moment.now, on=seen, by=who,
                               note=f"Recorded by hesket: post {len(posts) + 1} was added after the discussion"))
        elif problem is not None:
            said.append(f"post {len(posts) + 1} was added as a post only: {problem}")
            unrepeated.append(True)
        return reassessed(case._replace(posts=posts, events=case.events + tuple(added)), policy)

    case = workspace.store().update(case_id, change)
    only = f" as a post only: it was seen before the discussion, so {policy.repeat_outcome.id} was not recorded" \
        if unrepeated and policy.repeat_outcome else ""
    message = f"Added the post to case {case.id} (post {len(case.posts) + 1}){only}."
    return outcome(case, policy, message, (*said, *duplicate_warnings(workspace, answers, saved=case)),
                   today=moment.today)


def _refuse_a_trial_policy(workspace: Workspace) -> None:
    """A new case is never saved under a policy being tried that is not the workspace's own school's."""
    if workspace.trial_policy is None:
        return
    trial, own = workspace.policy().header, workspace.own_policy().header
    if (trial.school, trial.title) == (own.school, own.title):
        return
    whose = (f"this workspace's ({policy_named(own.school, own.title)})" if workspace.initialised else
             f"this cases folder's (the built-in {policy_named(own.school, own.title)}: there is no workspace "
             "here)")
    fix = ("" if workspace.initialised else
           "; to save cases under your school's own policy, make a workspace with it: hesket init DIR --policy FILE")
    raise InvalidInput(
        f"the policy being tried ({policy_named(trial.school, trial.title)}, from --policy or HESKET_POLICY) is not "
        f"{whose}; a case is saved only under the policy its cases belong to; nothing was saved. Try it without "
        f"saving: hesket triage --dry-run{fix}")


def save_answers(path: str, answers: Answers) -> None:
    """Write the answers as a TOML answers file that --answers accepts."""
    import tomli_w

    from ..files import atomic_write

    text = "# Answers saved by `hesket triage --save-answers`; use with `hesket triage --answers FILE`.\n"
    text += tomli_w.dumps(answers_to_dict(answers))
    try:
        atomic_write(Path(path), text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"--save-answers: cannot write {path}: {exc.strerror}; nothing was saved") from None


def template(workspace: Workspace, moment: Moment) -> str:
    """A commented answers file to fill in, for the policy in force."""
    from ..answers import template as make_template

    return make_template(workspace.policy(), moment.today)
