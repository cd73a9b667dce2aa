"""case_data.py: a case as plain data (the case file's TOML tables) and back, with a schema version.

A case file is read by the hesket that wrote it and by later ones, so its
format is versioned: each schema's change is listed below, and an older
file is upgraded when read (it is rewritten in the new schema only on its
next change). Reading is strict about types, and a name read back from a
file is checked before it can become a path. Nothing here touches a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from .answers import Answers, Incident, answers_to_dict
from .case import SCHEMA, Attachment, Capture, Case, CaseDataError, Event, PolicyRef, Post

# Evidence lives at evidence/<file> inside the case folder; a name read back
# from a case file must match this before it is joined to a path.
_SAFE_FILE = re.compile(r"[0-9]{3,6}-[A-Za-z0-9._-]{1,100}", re.ASCII)

# What each schema changed, so an older case file can be upgraded on reading:
#   1  the first: answers, policy reference, events.
#   2  events may carry an [events.attachment] (evidence kept in the case's
#      folder), and the free events `note` and `evidence`.
#   3  events may carry reason, step, ref, corrects, corrected_on, post,
#      capture and the chain's hashes; the case may carry later [[posts]],
#      a `seal` and `policy.school`; incident.poster_ref. Every earlier file
#      is a valid schema 3 file, so upgrading only renumbers.
#   4  events may carry `redact`, the names kept out of letters and report
#      packs (a `redact` event, or a `capture` with --redact). A hesket that
#      reads up to 3 would drop them without a word and quote the names, so it
#      must refuse the file instead. Every schema 3 file is a valid schema 4
#      file, so upgrading only renumbers; a case with no such names is still
#      written in schema 3 (written_schema), which an older hesket reads.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: lambda data: {**data, "schema": 2},
    2: lambda data: {**data, "schema": 3},
    3: lambda data: {**data, "schema": 4},
}


def written_schema(case: Case) -> int:
    """The schema a case file is written in: the lowest that holds it (3, unless names are kept out of letters),
    so a hesket of the previous version, on another computer sharing the workspace, still reads every case
    that has no such names, and refuses one that has, instead of quoting the names."""
    return case.schema if case.redactions else min(case.schema, 3)


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as TOML-ready data: the answers file's shape plus the case's own keys."""
    ref = case.policy
    data: dict[str, Any] = {"schema": written_schema(case), "id": case.id, "created_at": case.created_at,
                            "recorded_by": case.recorded_by}
    if case.seal is not None:
        data["seal"] = case.seal
    data["policy"] = _without_none({"school": ref.school, "title": ref.title, "last_reviewed": ref.last_reviewed,
                                    "sha256": ref.sha256, "next_step": ref.next_step})
    data.update(answers_to_dict(case.answers))
    if case.posts:
        data["posts"] = [{"added_at": p.added_at, "added_by": p.added_by, **answers_to_dict(p.answers)}
                         for p in case.posts]
    data["events"] = [event_to_dict(e) for e in case.events]
    return data


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _attachment_dict(a: Attachment) -> dict[str, Any]:
    return {"file": a.file, "name": a.name, "size": a.size, "sha256": a.sha256}


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as data; absent fields are left out (TOML has no null)."""
    data = _without_none({
        "event": event.event, "at": event.at, "on": event.on, "by": event.by, "note": event.note,
        "override_reason": event.override_reason, "reason": event.reason, "step": event.step, "ref": event.ref,
        "corrects": event.corrects, "corrected_on": event.corrected_on, "post": event.post,
        "redact": list(event.redact) if event.redact is not None else None,
    })
    if event.attachment is not None:
        data["attachment"] = _attachment_dict(event.attachment)
    if event.capture is not None:
        c = event.capture
        data["capture"] = _without_none({
            "url": c.url, "account": c.account, "posted_at": c.posted_at, "captured_at": c.captured_at,
            "captured_by": c.captured_by, "text": c.text})
        data["capture"]["files"] = [_attachment_dict(a) for a in c.files]
    if event.chain_prev is not None:
        data["chain_prev"] = event.chain_prev
    if event.chain is not None:
        data["chain"] = event.chain
    return data


def case_from_dict(data: Mapping[str, Any]) -> Case:
    """Read case data written by any schema this hesket knows; CaseDataError otherwise.

    The answers are read structurally, not against the policy: a case stays
    readable after the school edits its policy (an item it no longer has is
    simply not asked about any more).
    """
    data = _upgraded(data)
    policy = _table(data, "policy")
    events = data.get("events", [])
    if not isinstance(events, list):
        raise CaseDataError("'events' must be a list of [[events]] tables")
    posts = data.get("posts", [])
    if not isinstance(posts, list):
        raise CaseDataError("'posts' must be a list of [[posts]] tables")
    return Case(
        id=_get(data, "id", str, ""),
        created_at=_get(data, "created_at", dt.datetime, ""),
        recorded_by=_get(data, "recorded_by", str, ""),
        policy=PolicyRef(
            title=_get(policy, "title", str, "policy."),
            last_reviewed=_get(policy, "last_reviewed", str, "policy."),
            sha256=_get(policy, "sha256", str, "policy."),
            next_step=_get(policy, "next_step", str, "policy.", required=False),
            school=_get(policy, "school", str, "policy.", required=False),
        ),
        answers=_answers(data, ""),
        events=tuple(_event(e, i) for i, e in enumerate(events)),
        schema=SCHEMA,
        posts=tuple(_post(p, i) for i, p in enumerate(posts)),
        seal=_get(data, "seal", str, "", required=False),
    )


def _upgraded(data: Mapping[str, Any]) -> Mapping[str, Any]:
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise CaseDataError("missing or invalid 'schema' (a whole number)")
    if schema > SCHEMA:
        raise CaseDataError(
            f"written by a newer hesket (case schema {schema}; this hesket reads up to {SCHEMA}); upgrade hesket")
    if schema < 1:
        raise CaseDataError(f"unknown case schema {schema}")
    current = dict(data)
    while schema < SCHEMA:
        current = UPGRADES[schema](current)
        schema = current["schema"]
    return current


def _answers(data: Mapping[str, Any], prefix: str) -> Answers:
    incident = _table(data, "incident", prefix)
    checklist = dict(_table(data, "checklist", prefix))
    other = checklist.pop("other", None)
    if other is not None and not isinstance(other, str):
        raise CaseDataError(f"{prefix}checklist.other must be text")
    where = f"{prefix}incident."
    return Answers(
        incident=Incident(
            observed_on=_get(incident, "observed_on", dt.date, where),
            platform=_get(incident, "platform", str, where),
            poster=_get(incident, "poster", str, where),
            summary=_get(incident, "summary", str, where),
            location=_get(incident, "location", str, where, required=False),
            poster_ref=_get(incident, "poster_ref", str, where, required=False),
        ),
        considerations=_bools(data, "considerations", prefix, required=False),
        checklist=_bools({"checklist": checklist}, "checklist", prefix),
        other=other,
        judgement=_bools(data, "judgement", prefix, required=False),
    )


def _post(data: Any, index: int) -> Post:
    if not isinstance(data, dict):
        raise CaseDataError(f"posts[{index}] must be a table")
    prefix = f"posts[{index}]."
    return Post(answers=_answers(data, prefix), added_at=_get(data, "added_at", dt.datetime, prefix),
                added_by=_get(data, "added_by", str, prefix))


def _attachment(found: Any, where: str) -> Attachment:
    if not isinstance(found, dict):
        raise CaseDataError(f"{where.rstrip('.')} must be a table")
    attachment = Attachment(file=_get(found, "file", str, where), name=_get(found, "name", str, where),
                            size=_get(found, "size", int, where), sha256=_get(found, "sha256", str, where))
    if not _SAFE_FILE.fullmatch(attachment.file):
        raise CaseDataError(f"{where}file {attachment.file!r} is not a file name hesket writes")
    return attachment


def _capture(found: Any, where: str) -> Capture:
    if not isinstance(found, dict):
        raise CaseDataError(f"{where.rstrip('.')} must be a table")
    files = found.get("files", [])
    if not isinstance(files, list):
        raise CaseDataError(f"{where}files must be a list")
    return Capture(
        url=_get(found, "url", str, where), account=_get(found, "account", str, where, required=False),
        posted_at=_get(found, "posted_at", str, where, required=False),
        captured_at=_get(found, "captured_at", dt.datetime, where), captured_by=_get(found, "captured_by", str, where),
        text=_get(found, "text", str, where, required=False),
        files=tuple(_attachment(f, f"{where}files[{i}].") for i, f in enumerate(files)))


_EVENT_OPTIONAL: dict[str, type] = {
    "note": str, "override_reason": str, "reason": str, "step": str, "ref": str, "corrects": int,
    "corrected_on": dt.date, "post": int, "chain_prev": str, "chain": str,
}


def _event(data: Any, index: int) -> Event:
    if not isinstance(data, dict):
        raise CaseDataError(f"events[{index}] must be a table")
    p = f"events[{index}]."
    given = {key: _get(data, key, kind, p) for key, kind in _EVENT_OPTIONAL.items() if key in data}  # most are not
    return Event(
        event=_get(data, "event", str, p), at=_get(data, "at", dt.datetime, p), on=_get(data, "on", dt.date, p),
        by=_get(data, "by", str, p),
        attachment=_attachment(data["attachment"], f"{p}attachment.") if "attachment" in data else None,
        capture=_capture(data["capture"], f"{p}capture.") if "capture" in data else None,
        redact=_names(data["redact"], f"{p}redact") if "redact" in data else None,
        **given,
    )


def _names(found: Any, where: str) -> tuple[str, ...]:
    if not isinstance(found, list) or not all(isinstance(name, str) for name in found):
        raise CaseDataError(f"'{where}' must be a list of names (text)")
    return tuple(found)


def _table(data: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CaseDataError(f"missing or invalid [{prefix}{key}] table")
    return value


def _bools(data: Mapping[str, Any], key: str, prefix: str = "", required: bool = True) -> dict[str, bool]:
    if key not in data and not required:
        return {}
    table = _table(data, key, prefix)
    for item, value in table.items():
        if not isinstance(value, bool):
            raise CaseDataError(f"{prefix}{key}.{item} must be true or false")
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
