"""sealing.py: a case's history sealed as it is written, so a hand edit shows (the rules are chain.py's).

The store calls `sealed` on every write, so every writer gets it without
knowing: a new case is sealed over its answers; each event appended is
linked to the hash before it; a case written before hesket sealed its
histories is upgraded on its next write with a `chain_start` event saying
that the chain starts there, never re-sealed as if it had always been. A
case whose history no longer matches its hashes is refused, never built on:
the fault must be looked at first. Pure: no file, clock or network; the
chain_start event takes its time and author from the write that starts it.
"""

from __future__ import annotations

from .case import CHAIN_START, Case, Event
from .case_data import case_to_dict, event_to_dict
from .chain import (
    CHAIN_KEY,
    CHAIN_START_NOTE,
    PREV_KEY,
    SEAL_KEY,
    ChainReport,
    check_chain,
    check_head,
    extend,
    link,
    post_of,
    seal,
)
from .errors import CaseFileError


def chain_report(case: Case, head: str | None = None) -> ChainReport:
    """Recompute the case's chain (and check it against a head written down earlier, if given)."""
    data = case_to_dict(case)
    return check_chain(data) if head is None else check_head(data, head)


def recomputed_head(case: Case) -> str | None:
    """The head the history reaches as it is now: the seal of the answers as they are, then every event
    linked in turn, whatever the file stores. It equals the stored head while nothing was changed by
    hand, and differs (so no longer matches a head written down) once something was. None for a case
    with nothing sealed yet (written before the chain)."""
    data = case_to_dict(case)
    events = data.get("events", [])
    if data.get(SEAL_KEY) is None and not any(CHAIN_KEY in e or PREV_KEY in e for e in events):
        return None
    running = seal(data)
    for event in events:
        running = link(running, event, post_of(data, event))
    return running


def sealed(before: Case | None, after: Case) -> Case:
    """`after` with its new events linked into the chain: what the store writes in place of `after`.

    `before` is the case as read (None for a new case); `after` may only add
    events to it. Raises CaseFileError, naming the case and the first event
    that no longer matches, when `before`'s history does not match its
    hashes: nothing is written onto a history that was changed by hand.
    """
    if before is None:
        return _linked(after._replace(events=(), seal=None), after.events, start=False)
    if after.events[:len(before.events)] != before.events or (
            before.seal is not None and seal(case_to_dict(after)) != before.seal):
        raise CaseFileError(f"case {after.id}: a change would have edited an event or the answers given at triage; "
                            "they are never edited (record a correction or a note instead); nothing was written")
    new = after.events[len(before.events):]
    if not new:
        return after._replace(seal=before.seal)
    report = check_chain(case_to_dict(before))
    if report.first is not None:
        raise CaseFileError(
            f"case {before.id}: {report.first.message}; nothing was written. The history no longer matches its "
            f"hashes: see `hesket case verify {before.id}`, and restore case.toml from a backup")
    base = after._replace(events=before.events, seal=before.seal)
    started = before.seal is not None or any(e.chain is not None for e in before.events)
    return _linked(base, new, start=not started)


def _linked(base: Case, new: tuple[Event, ...], *, start: bool) -> Case:
    """`base` sealed if it is not yet, then each new event appended with its chain keys.

    With `start` (an older case's first sealed write), a chain_start event
    goes first, recorded when and by whom the write that starts it is.
    """
    data = case_to_dict(base)
    if base.seal is None:
        data[SEAL_KEY] = seal(data)
    if start and new:
        first = new[0]
        new = (Event(event=CHAIN_START, at=first.at, on=first.at.astimezone().date(), by=first.by,
                     note=CHAIN_START_NOTE), *new)
    events = list(base.events)
    for event in new:
        plain = event._replace(chain_prev=None, chain=None)
        keys = extend(data, event_to_dict(plain))
        linked = plain._replace(chain_prev=keys[PREV_KEY], chain=keys[CHAIN_KEY])
        data["events"].append(event_to_dict(linked))
        events.append(linked)
    return base._replace(seal=data[SEAL_KEY], events=tuple(events))
