"""case.py: the case model and its (de)serialisation, with a schema version.

A case is the answers given at triage, the policy it was assessed under, and
the events recorded since. Its status and assessment are never stored: they
are derived from the events and the current policy each time, so a policy
change shows at once and nothing can drift out of step. This module turns a
case into plain data and back; it never touches a file (the store does).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .answers import Answers, Incident, answers_to_dict

# Evidence lives at evidence/<file> inside the case folder; a name read back
# from a case file must match this before it is joined to a path.
_SAFE_FILE = re.compile(r"[0-9]{3,6}-[A-Za-z0-9._-]{1,100}", re.ASCII)

SCHEMA = 2
# What each schema changed, so an older case file can be upgraded on reading:
#   1  the first: answers, policy reference, events.
#   2  events may carry an [events.attachment] (evidence kept in the case's
#      folder), and the free events `note` and `evidence`. A schema 1 file is
#      a valid schema 2 file with no attachments, so upgrading only renumbers.
UPGRADES = {1: lambda data: {**data, "schema": 2}}

NOTE = "note"
EVIDENCE = "evidence"


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


class Event(NamedTuple):
    """One thing that happened in a case, recorded once and never edited."""

    event: str
    at: dt.datetime
    on: dt.date
    by: str
    note: str | None = None
    override_reason: str | None = None
    attachment: Attachment | None = None


class PolicyRef(NamedTuple):
    """The policy a case was assessed under, so a later change of policy can be seen."""

    title: str
    last_reviewed: str
    sha256: str
    next_step: str | None = None


class Case(NamedTuple):
    """A triaged post and its history."""

    id: str
    created_at: dt.datetime
    recorded_by: str
    policy: PolicyRef
    answers: Answers
    events: tuple[Event, ...] = ()
    schema: int = SCHEMA

    @property
    def status(self) -> str:
        """`closed` if the last close or reopen event closed it, else `open`."""
        return status_of(self.events)


def status_of(events: Sequence[Event]) -> str:
    """A case is closed by `close_case` and opened again by `reopen_case`; the last one counts."""
    for event in reversed(events):
        if event.event == "close_case":
            return "closed"
        if event.event == "reopen_case":
            return "open"
    return "open"


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as TOML-ready data: the answers file's shape plus the case's own keys."""
    data: dict[str, Any] = {
        "schema": case.schema,
        "id": case.id,
        "created_at": case.created_at,
        "recorded_by": case.recorded_by,
        "policy": {
            "title": case.policy.title,
            "last_reviewed": case.policy.last_reviewed,
            "sha256": case.policy.sha256,
            **({"next_step": case.policy.next_step} if case.policy.next_step is not None else {}),
        },
    }
    data.update(answers_to_dict(case.answers))
    data["events"] = [event_to_dict(e) for e in case.events]
    return data


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as data; absent note and override reason are left out (TOML has no null)."""
    data: dict[str, Any] = {"event": event.event, "at": event.at, "on": event.on, "by": event.by}
    if event.note is not None:
        data["note"] = event.note
    if event.override_reason is not None:
        data["override_reason"] = event.override_reason
    if event.attachment is not None:
        a = event.attachment
        data["attachment"] = {"file": a.file, "name": a.name, "size": a.size, "sha256": a.sha256}
    return data


def case_from_dict(data: Mapping[str, Any]) -> Case:
    """Read case data written by any schema this hesket knows; CaseDataError otherwise.

    The answers are read structurally, not against the policy: a case stays
    readable after the school edits its policy (an item it no longer has is
    simply not asked about any more).
    """
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise CaseDataError("missing or invalid 'schema' (a whole number)")
    if schema > SCHEMA:
        raise CaseDataError(
            f"written by a newer hesket (case schema {schema}; this hesket reads up to {SCHEMA}); upgrade hesket"
        )
    if schema < 1:
        raise CaseDataError(f"unknown case schema {schema}")
    while schema < SCHEMA:
        data = UPGRADES[schema](data)
        schema = data["schema"]
    policy = _table(data, "policy")
    incident = _table(data, "incident")
    checklist = dict(_table(data, "checklist"))
    other = checklist.pop("other", None)
    if other is not None and not isinstance(other, str):
        raise CaseDataError("checklist.other must be text")
    answers = Answers(
        incident=Incident(
            observed_on=_get(incident, "observed_on", dt.date, "incident."),
            platform=_get(incident, "platform", str, "incident."),
            poster=_get(incident, "poster", str, "incident."),
            summary=_get(incident, "summary", str, "incident."),
            location=_get(incident, "location", str, "incident.", required=False),
        ),
        considerations=_bools(data, "considerations"),
        checklist=_bools({"checklist": checklist}, "checklist"),
        other=other,
        judgement=_bools(data, "judgement", required=False),
    )
    events = data.get("events", [])
    if not isinstance(events, list):
        raise CaseDataError("'events' must be a list of [[events]] tables")
    created_at = _get(data, "created_at", dt.datetime, "")
    return Case(
        id=_get(data, "id", str, ""),
        created_at=created_at,
        recorded_by=_get(data, "recorded_by", str, ""),
        policy=PolicyRef(
            title=_get(policy, "title", str, "policy."),
            last_reviewed=_get(policy, "last_reviewed", str, "policy."),
            sha256=_get(policy, "sha256", str, "policy."),
            next_step=_get(policy, "next_step", str, "policy.", required=False),
        ),
        answers=answers,
        events=tuple(_event(e, i) for i, e in enumerate(events)),
        schema=SCHEMA,
    )


def _event(data: Any, index: int) -> Event:
    if not isinstance(data, dict):
        raise CaseDataError(f"events[{index}] must be a table")
    prefix = f"events[{index}]."
    attachment = None
    if "attachment" in data:
        found = data["attachment"]
        if not isinstance(found, dict):
            raise CaseDataError(f"{prefix}attachment must be a table")
        where = f"{prefix}attachment."
        attachment = Attachment(
            file=_get(found, "file", str, where), name=_get(found, "name", str, where),
            size=_get(found, "size", int, where), sha256=_get(found, "sha256", str, where),
        )
        if not _SAFE_FILE.fullmatch(attachment.file):
            raise CaseDataError(f"{where}file {attachment.file!r} is not a file name hesket writes")
    return Event(
        event=_get(data, "event", str, prefix),
        at=_get(data, "at", dt.datetime, prefix),
        on=_get(data, "on", dt.date, prefix),
        by=_get(data, "by", str, prefix),
        note=_get(data, "note", str, prefix, required=False),
        override_reason=_get(data, "override_reason", str, prefix, required=False),
        attachment=attachment,
    )


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CaseDataError(f"missing or invalid [{key}] table")
    return value


def _bools(data: Mapping[str, Any], key: str, required: bool = True) -> dict[str, bool]:
    if key not in data and not required:
        return {}
    table = _table(data, key)
    for item, value in table.items():
        if not isinstance(value, bool):
            raise CaseDataError(f"{key}.{item} must be true or false")
    return dict(table)


def _get(data: Mapping[str, Any], key: str, kind: type, prefix: str, required: bool = True) -> Any:
    if key not in data:
        if required:
            raise CaseDataError(f"missing '{prefix}{key}'")
        return None
    value = data[key]
    ok = isinstance(value, kind)
    if kind is dt.date:
        ok = ok and not isinstance(value, dt.datetime)
    if kind is dt.datetime:
        ok = ok and value.tzinfo is not None
    if kind is int:
        ok = ok and not isinstance(value, bool)
    if not ok:
        raise CaseDataError(f"'{prefix}{key}' has the wrong type ({type(value).__name__})")
    return value
