"""case.py: the case model: a triaged post, the policy it was assessed under, and its history.

A case is the answers given at triage (and at each later post by the same
person), the policy it was assessed under, and the events recorded since.
Its status and assessment are never stored: they are derived from the
events and the current policy each time, so a policy change shows at once
and nothing can drift out of step. Events are never edited: a correction,
a decision not to act or a void is a further event. case_data.py turns a
case into plain data and back; nothing here touches a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple

from .answers import Answers

SCHEMA = 4

# hesket's own events, beside the policy's steps, outcomes and actions.
NOTE = "note"
EVIDENCE = "evidence"
CAPTURE = "capture"
DECLINE = "decline"
CORRECT = "correct"
POST = "post"
VOID = "void"
CHAIN_START = "chain_start"
REDACT = "redact"
OWN_EVENTS = (NOTE, EVIDENCE, CAPTURE, DECLINE, CORRECT, POST, VOID, CHAIN_START, REDACT)


class CaseDataError(ValueError):
    """The data of a case file is not a case this hesket can read (the store adds the path)."""


def evidence_file_name(number: int, original: str) -> str:
    """The name evidence is kept under: a sequence number and the original name made safe for any file system."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", original).strip("._") or "file"
    return f"{number:03d}-{stem[-100:]}"


class Attachment(NamedTuple):
    """A file of evidence copied into the case's folder, and the hash it had then."""

    file: str
    name: str
    size: int
    sha256: str


class Capture(NamedTuple):
    """A post as captured for evidence: where it was, who posted it, when, and its exact words."""

    url: str
    account: str | None
    posted_at: str | None
    captured_at: dt.datetime
    captured_by: str
    text: str | None
    files: tuple[Attachment, ...] = ()


class Event(NamedTuple):
    """One thing that happened in a case, recorded once and never edited.

    `on` is when it happened, `at` when it was recorded. Most fields are
    used by a few kinds of event only: `reason` (an override's is
    `override_reason`) for closing a live case, a decision not to act, a
    correction or a void; `step` for a decision not to act; `ref` for a
    reference kept elsewhere (the safeguarding log, the platform's report
    number); `corrects` and `corrected_on` for a correction; `post` for a
    later post added to the case; `redact` for the names (children's, or any
    words) a `redact` or `capture` event keeps out of letters and report
    packs; `chain_prev` and `chain` seal the history.
    """

    event: str
    at: dt.datetime
    on: dt.date
    by: str
    note: str | None = None
    override_reason: str | None = None
    attachment: Attachment | None = None
    reason: str | None = None
    step: str | None = None
    ref: str | None = None
    corrects: int | None = None
    corrected_on: dt.date | None = None
    post: int | None = None
    capture: Capture | None = None
    redact: tuple[str, ...] | None = None
    chain_prev: str | None = None
    chain: str | None = None


class PolicyRef(NamedTuple):
    """The policy a case was assessed under, so a later change of policy can be seen, and another school's
    policy is never used to write to it."""

    title: str
    last_reviewed: str
    sha256: str
    next_step: str | None = None
    school: str | None = None


class Post(NamedTuple):
    """A later post by the same person, added to their case with its own answers."""

    answers: Answers
    added_at: dt.datetime
    added_by: str


class Case(NamedTuple):
    """A triaged post and its history."""

    id: str
    created_at: dt.datetime
    recorded_by: str
    policy: PolicyRef
    answers: Answers
    events: tuple[Event, ...] = ()
    schema: int = SCHEMA
    posts: tuple[Post, ...] = ()
    seal: str | None = None

    @property
    def status(self) -> str:
        """`void`, `closed` or `open`, from the events."""
        return status_of(self.events)

    @property
    def chain_head(self) -> str | None:
        """The hash of the whole history (chain.py): the last event's, or the seal of a case with no events;
        None for a case written before hesket sealed its histories."""
        return self.events[-1].chain if self.events else self.seal

    @property
    def all_answers(self) -> tuple[Answers, ...]:
        """The answers of every post in the case, the first first."""
        return (self.answers, *(p.answers for p in self.posts))

    @property
    def poster_ref(self) -> str | None:
        """How the school refers to the person who posted: the first post's reference, else a later post's."""
        return next((a.incident.poster_ref for a in self.all_answers if a.incident.poster_ref), None)

    @property
    def redactions(self) -> tuple[str, ...]:
        """Every name recorded to be kept out of letters and report packs, in the order recorded."""
        return tuple(name for event in self.events for name in event.redact or ())


def status_of(events: Sequence[Event]) -> str:
    """A void case stays void; otherwise `close_case` closes and `reopen_case` reopens, the last one counting."""
    if any(e.event == VOID for e in events):
        return "void"
    for event in reversed(events):
        if event.event == "close_case":
            return "closed"
        if event.event == "reopen_case":
            return "open"
    return "open"


def dates_in_effect(events: Sequence[Event]) -> list[dt.date]:
    """Each event's date as corrected: a `correct` event moves the date of the event it names."""
    dates = [e.on for e in events]
    for event in events:
        if event.event == CORRECT and event.corrects and event.corrected_on and 0 < event.corrects <= len(dates):
            dates[event.corrects - 1] = event.corrected_on
    return dates


def ended_on(events: Sequence[Event]) -> dt.date | None:
    """The date a case ended, from which its retention period runs; None while it is open.

    A closed case ended on the date its last `close_case` happened (its `on`,
    as corrected); a void case on the date it was voided: it is kept no
    longer than a closed one, but no less either, since it may still be asked
    about.
    """
    status = status_of(events)
    if status == "open":
        return None
    ending = VOID if status == "void" else "close_case"
    dates = dates_in_effect(events)
    return next(dates[i] for i in range(len(events) - 1, -1, -1) if events[i].event == ending)


def kept_files(case: Case) -> list[tuple[Attachment, dt.date]]:
    """Every file kept with a case (each attachment, each capture's files), with the date it was kept, in the
    order recorded: what `verify` and `review` check, and what a new file's number follows."""
    found: list[tuple[Attachment, dt.date]] = []
    for event in case.events:
        if event.attachment is not None:
            found.append((event.attachment, event.on))
        if event.capture is not None:
            found += [(a, event.on) for a in event.capture.files]
    return found
