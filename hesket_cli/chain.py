"""chain.py: a tamper-evident history, so a case file edited by hand can be shown to have been.

Events are never edited by hesket, but a case file is text: a note could be
reworded, a date moved or an event removed with any editor, and nothing would
show it. Here every event carries the SHA-256 of the case's history up to and
including it. The chain starts from a *seal* over the answers given at triage
and the case's identity; each event's hash covers the hash before it and the
event itself (evidence hashes included), in a canonical encoding, so changing
anything earlier changes every hash after it.

The format, as the case file holds it (the store writes it; see `extend`):

- `seal`: at the top of the case, `seal(case)` when the case was triaged, or
  when the chain was started on an older case;
- on each event from the chain's start: `chain_prev`, the hash before it, and
  `chain`, `link(chain_prev, event)`. An event that adds a later post by the
  same person (`post = N`, post 1 being the triage's own) covers that post's
  answers too, as the seal covers the first post's.

Storing the hash before each event, not only its own, is what lets a check
tell apart an event that was changed (its own hash no longer matches its
content) from one that was removed (an event is intact but the hash it
follows is missing) or moved (the hash it follows belongs to another event).
An event removed from the *end* leaves no trace in the file; only a head
written down earlier shows it (`check_head`).

Cases written before the chain have events without `chain`. Those before the
first event that has one are "before the chain": they are hashed from the
seal like any other, but nothing stored vouches for them until the chain
starts, and the report says so as information, not as a fault. The store
starts the chain on a case's next write by adding `seal` and a note event
(CHAIN_START_NOTE) sealed with `extend`; from then on the old events are
covered too, and the old case with its note verifies.

This is evidence against accidental or casual change, not a signature: anyone
can recompute every hash. A head written down or sent elsewhere is what makes
a rewrite visible. Pure: no file, clock or network; it reads plain data and
returns reports, and never decides what to do about a fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from .errors import InvalidInput

# The hash before the seal: the chain's fixed starting point.
GENESIS = "0" * 64
SEAL_KEY = "seal"
CHAIN_KEY = "chain"
PREV_KEY = "chain_prev"
POST_KEY = "post"
POSTS_KEY = "posts"
# What an event that names a later post the case file no longer holds covers in its place.
MISSING_POST = "missing"
# What the seal covers: the case's identity and the answers given at triage.
# Not `schema` (an upgrade renumbers it) nor `policy` (what the case was
# assessed under is a reference the store may refresh, not a fact recorded).
ANSWER_KEYS = ("id", "created_at", "recorded_by", "incident", "considerations", "checklist", "judgement")
CHAIN_START_NOTE = (
    "The chain starts here. This case was written before hesket sealed its histories: from this event on, "
    "any change to the answers or to any event above is shown by `hesket case verify`; changes made before "
    "today could not be detected."
)

_HEX64 = re.compile(r"[0-9a-f]{64}")

Kind = Literal["answers_changed", "event_changed", "event_removed", "events_reordered", "event_copied",
               "unsealed_event", "malformed", "head_mismatch"]


class ChainProblem(NamedTuple):
    """One way the history no longer matches its hashes, naming the event as `case show` numbers it."""

    kind: Kind
    number: int | None
    on: str | None
    message: str


class ChainReport(NamedTuple):
    """The result of checking a case's chain: faults, and what could not be checked (as information)."""

    problems: tuple[ChainProblem, ...]
    info: tuple[str, ...]
    unsealed: int
    head: str | None

    @property
    def ok(self) -> bool:
        """True when nothing in the history contradicts its hashes."""
        return not self.problems

    @property
    def first(self) -> ChainProblem | None:
        """The first problem in history order (answers first), or None."""
        return self.problems[0] if self.problems else None


def canonical(value: Any) -> bytes:
    """Deterministic bytes for plain data: JSON, sorted keys, no spaces, UTF-8, dates as ISO text.

    Dates read from TOML and the same dates as JSON text encode alike; an
    aware time is written in UTC; a key whose value is null is left out, as a
    TOML file cannot hold it, so an event from the case file and the same
    event from the JSON contract hash the same.
    """
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def answers_part(case_data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a case the seal covers (ANSWER_KEYS); anything else is ignored."""
    return {key: case_data[key] for key in ANSWER_KEYS if key in case_data}


def event_part(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event as its hash covers it: every key but its own chain keys."""
    return {key: value for key, value in event.items() if key not in (CHAIN_KEY, PREV_KEY)}


def seal(answers: Mapping[str, Any]) -> str:
    """The hash the chain starts from, over the answers and identity (a whole case may be passed)."""
    return _digest(GENESIS, canonical(answers_part(answers)))


def link(previous: str, event: Mapping[str, Any], post: Any = None) -> str:
    """SHA-256 (hex) of the previous hash followed by the canonical event, its chain keys left out.

    `post` is the later post the event adds (`post_of`), covered with it.
    """
    part = event_part(event)
    if post is not None:
        part["post_answers"] = post
    return _digest(previous, canonical(part))


def post_of(case_data: Mapping[str, Any], event: Mapping[str, Any]) -> Any:
    """The later post an event adds (`post = N`: the case's posts[N - 2]), MISSING_POST if it is gone, else None.

    Post 1 is the triage's own answers, which the seal covers; later posts
    are kept in `posts`, each added by an event naming its number.
    """
    number = event.get(POST_KEY)
    if not isinstance(number, int) or isinstance(number, bool) or number < 2:
        return None
    posts = case_data.get(POSTS_KEY)
    if not isinstance(posts, list) or number - 2 >= len(posts):
        return MISSING_POST
    return posts[number - 2]


def heads(case_data: Mapping[str, Any]) -> list[str]:
    """The hash of the history after each event, recomputed from the stored seal (else from the answers)."""
    running = _base(case_data)
    found = []
    for event in _events(case_data):
        running = link(running, event, post_of(case_data, event))
        found.append(running)
    return found


def chain_head(case_data: Mapping[str, Any]) -> str | None:
    """The head to show and write down: the last event's stored hash, or the seal of a case with no events.

    None while nothing is sealed yet (a case written before the chain).
    """
    events = _events(case_data)
    if events:
        return _hex(events[-1].get(CHAIN_KEY))
    return _hex(case_data.get(SEAL_KEY))


def extend(case_data: Mapping[str, Any], event: Mapping[str, Any]) -> dict[str, str]:
    """The chain keys for a new event appended to the case: `{chain_prev, chain}`.

    It follows the last event's stored hash when that event has one, else the
    hash recomputed over everything before (the chain's start on an older
    case). The store should add `seal` first when the case has none
    (`{SEAL_KEY: seal(case_data)}`), and should check the chain before
    writing, so a fault is reported rather than built upon.
    """
    events = _events(case_data)
    previous = _hex(events[-1].get(CHAIN_KEY)) if events else None
    if previous is None:
        computed = heads(case_data)
        previous = computed[-1] if computed else _base(case_data)
    return {PREV_KEY: previous, CHAIN_KEY: link(previous, event, post_of(case_data, event))}


def check_chain(case_data: Mapping[str, Any]) -> ChainReport:
    """Recompute the chain and report every event that no longer matches, classified, first first.

    Problems name events by their number in the history (1-based, as `case
    show` lists them) and the date each happened. An unsealed prefix (events
    from before the chain) is information, not a fault.
    """
    events = _events(case_data)
    problems: list[ChainProblem] = []
    problems.extend(_check_seal(case_data))
    first = next((i for i, e in enumerate(events) if CHAIN_KEY in e or PREV_KEY in e), None)
    info = _unsealed_info(events, first, sealed=_hex(case_data.get(SEAL_KEY)) is not None)
    if first is not None:
        problems.extend(_check_events(case_data, events, first))
    unsealed = len(events) if first is None else first
    return ChainReport(problems=tuple(problems), info=tuple(info), unsealed=unsealed, head=chain_head(case_data))


def check_head(case_data: Mapping[str, Any], head: str) -> ChainReport:
    """Check the case against a head written down earlier, as well as its own chain.

    Events removed from the end of a history cannot be seen from the file
    alone; a head written down before then no longer matches any point of
    the history. A head that matches an earlier event is fine: the events
    after it were recorded since.
    """
    wanted = "".join(head.split()).lower() if isinstance(head, str) else ""  # as printed, in groups
    if not _HEX64.fullmatch(wanted):
        raise InvalidInput(f"head {str(head)[:80]!r} is not a chain head: it is 64 hexadecimal digits, "
                           "as `hesket case show` prints it")
    report = check_chain(case_data)
    events = _events(case_data)
    points = [(0, _hex(case_data.get(SEAL_KEY)))] + [(i + 1, _hex(e.get(CHAIN_KEY))) for i, e in enumerate(events)]
    number = next((n for n, h in points if h == wanted), None)
    if number is None:
        problem = ChainProblem(
            "head_mismatch", None, None,
            f"the head written down ({wanted[:12]}...) matches no point in this case's history: events were "
            "removed from the end, or the history was rewritten, since it was written down",
        )
        return ChainReport(report.problems + (problem,), report.info, report.unsealed, report.head)
    since = len(events) - number
    where = "the case as triaged" if number == 0 else f"event {number} ({_on(events[number - 1])})"
    note = f"the head written down matches {where}; " + (
        "nothing has been recorded since" if since == 0 else
        f"{since} event{'' if since == 1 else 's'} recorded since then")
    return ChainReport(report.problems, report.info + (note,), report.unsealed, report.head)


# -- the checks --------------------------------------------------------------


def _check_seal(case_data: Mapping[str, Any]) -> list[ChainProblem]:
    if SEAL_KEY not in case_data:
        return []
    stored = _hex(case_data.get(SEAL_KEY))
    created = str(case_data.get("created_at", ""))[:10] or None
    if stored is None:
        return [ChainProblem("malformed", None, created, "the case's seal is not a SHA-256 (64 hexadecimal digits)")]
    if stored != seal(case_data):
        return [ChainProblem(
            "answers_changed", None, created,
            f"the answers given at triage ({created}) were changed after they were sealed: "
            "the incident, considerations, checklist, judgement, id, date or recorder no longer match the seal",
        )]
    return []


def _check_events(case_data: Mapping[str, Any], events: Sequence[Mapping[str, Any]], first: int
                  ) -> list[ChainProblem]:
    """Every sealed event's problem, in history order."""
    running = heads(case_data)
    stored = [_hex(e.get(CHAIN_KEY)) for e in events]
    start = running[first - 1] if first else _base(case_data)
    where: dict[str, int] = {start: first - 1}  # the chain's start stands before every sealed event
    for i, h in enumerate(stored):
        if h is not None:
            where.setdefault(h, i)
    found: list[ChainProblem] = []
    for j in range(first, len(events)):
        own = stored[j]
        if own is not None and where[own] != j:
            found.append(_problem("event_copied", events[j], j, f"{_name(events[j], j)} repeats "
                                  f"{_name(events[where[own]], where[own])} exactly, hashes and all: it was "
                                  "copied in by hand"))
            continue
        expected = start if j == first else (stored[j - 1] or running[j - 1])
        problem = _check_event(events, j, expected, where, first, has_seal=SEAL_KEY in case_data,
                               post=post_of(case_data, events[j]))
        if problem is not None:
            found.append(problem)
    return found


def _check_event(events: Sequence[Mapping[str, Any]], j: int, expected: str, where: Mapping[str, int],
                 first: int, *, has_seal: bool, post: Any = None) -> ChainProblem | None:
    """The problem with event j (0-based), or None: changed, removed before it, out of order, unsealed.

    When events are moved, some event's recorded predecessor now stands
    after it (whatever the move, at least one does), and that event is
    reported. An event whose predecessor stands earlier but not next to it
    is not blamed: the events between were moved in, and are reported.
    """
    event = events[j]
    name = _name(event, j)
    own, previous = _hex(event.get(CHAIN_KEY)), _hex(event.get(PREV_KEY))
    if own is None or previous is None:
        return _problem("unsealed_event", event, j, f"{name} lacks a valid chain or chain_prev hash inside the "
                                                    "sealed history: it was added by hand, or its hashes edited")
    if link(previous, event, post) != own:
        what = "the answers of the post it added, or its own" if post is not None else "its"
        return _problem("event_changed", event, j, f"{name} was changed after it was recorded: {what} words, "
                                                   "date, evidence or other details no longer match its hash")
    if previous == expected:
        return None
    moved = where.get(previous)
    if moved is not None:
        if moved < j:
            return None
        return _problem("events_reordered", event, j, f"{name} is out of order: it was recorded after "
                                                      f"{_name(events[moved], moved)}, which now stands after it")
    if j == first:
        return _start_problem(event, j, name, has_seal=has_seal)
    return _problem("event_removed", event, j, f"an event recorded just before {name} was removed")


def _start_problem(event: Mapping[str, Any], j: int, name: str, *, has_seal: bool) -> ChainProblem:
    """The first sealed event is intact but does not follow from what is before it."""
    if j == 0 and not has_seal:
        return _problem("answers_changed", event, j, f"the answers given at triage were changed, or an event "
                                                     f"before {name} was removed")
    if j == 0:
        return _problem("event_removed", event, j, f"an event recorded before {name} was removed")
    what = "an event" if has_seal else "the answers, or an event"
    return _problem("event_removed", event, j, f"{what} before {name}, from before the chain started, was "
                                               "changed or removed after the chain started")


def _unsealed_info(events: Sequence[Mapping[str, Any]], first: int | None, *, sealed: bool) -> list[str]:
    if first == 0 or (first is None and not events and sealed):
        return []
    if first is None and not events:
        return ["the answers are not sealed yet: this case was written before the chain"]
    count = len(events) if first is None else first
    which = "event 1 was recorded" if count == 1 else f"events 1-{count} were recorded"
    if first is None:
        return [f"{which} before the chain: nothing is sealed yet; the chain starts on this case's next change"]
    return [(f"{which} before the chain, which starts at {_name(events[first], first)}: changes made to "
             f"{'it' if count == 1 else 'them'} before then cannot be detected")]


# -- small helpers -----------------------------------------------------------


def _problem(kind: Kind, event: Mapping[str, Any], j: int, message: str) -> ChainProblem:
    return ChainProblem(kind, j + 1, _on(event), message)


def _name(event: Mapping[str, Any], j: int) -> str:
    """How a message names an event: its number in the history, its date and what it was."""
    return f"event {j + 1} ({_on(event)}, {event.get('event', 'unknown')})"


def _on(event: Mapping[str, Any]) -> str:
    value = event.get("on", event.get("at"))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10] if value is not None else "no date"


def _events(case_data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    events = case_data.get("events", [])
    if not isinstance(events, list):
        return []
    return [e if isinstance(e, Mapping) else {"event": "unreadable", "value": str(e)} for e in events]


def _base(case_data: Mapping[str, Any]) -> str:
    """Where the chain starts: the stored seal, or the seal of the answers as they are now."""
    return _hex(case_data.get(SEAL_KEY)) or seal(case_data)


def _hex(value: Any) -> str | None:
    return value if isinstance(value, str) and _HEX64.fullmatch(value) else None


def _digest(previous: str, payload: bytes) -> str:
    return hashlib.sha256(previous.encode("utf-8") + payload).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value
