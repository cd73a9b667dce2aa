"""casework/capture.py: a post captured as evidence (address, account, posting time, exact words, files), and
the children's names its words must never carry into a letter or a report pack.

What a solicitor, the platform or the police ask for first is where the post
was, who posted it, when, and exactly what it said. A capture records those
as typed (the address is checked to be a web address and never opened:
hesket never uses the network), with who captured it and when, and any
screenshots or saved pages copied with their SHA-256 exactly as `case
attach` copies them. The names to keep out (redaction.py) are recorded with
the capture (--redact) or later (`case redact`); the case keeps the words as
captured. Bad input writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from ..case import CAPTURE, REDACT, Attachment, Capture, Case, Event
from ..dates import NotADate, read_posted_at
from ..describe import plural
from ..errors import InvalidInput, UsageError
from ..redaction import checked_names, new_names, redact
from ..store import validate_case_id
from ..workspace import Workspace
from .common import CaseOutcome, Moment, check_binding, check_text, outcome, recorder, with_events
from .history import evidence_limit, refuse_unless_permitted

URL_LIMIT = 2048
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.ASCII | re.IGNORECASE)


def web_address(url: str) -> str:
    """The post's address as given, if it is a web address (http or https, a host, no spaces); exit 3 if not."""
    if any(ord(c) < 32 or ord(c) == 127 for c in url) or len(url) > URL_LIMIT:
        raise InvalidInput(f"--url: not a web address (control characters, or over {URL_LIMIT} characters); "
                           "copy the address from the browser's address bar; nothing was written")
    if not _WEB_ADDRESS.fullmatch(url):
        raise InvalidInput(f"--url: {url!r} is not a web address starting http:// or https://; copy the post's "
                           "address from the browser's address bar (hesket never opens it); nothing was written")
    return url


def posted_time(text: str | None, moment: Moment) -> str | None:
    """`--posted-at` checked (a real date, or date and local time, not in the future) and kept as ISO text."""
    if text is None:
        return None
    try:
        when = read_posted_at(text)
    except NotADate as exc:
        raise InvalidInput(f"--posted-at: {exc}; nothing was written") from None
    local_now = moment.now.astimezone().replace(tzinfo=None)
    later = when > local_now if isinstance(when, dt.datetime) else when > moment.today
    if later:
        raise InvalidInput(f"--posted-at: {when.isoformat()} is in the future (now is "
                           f"{local_now.isoformat(timespec='minutes')}); give the time shown on the post; "
                           "nothing was written")
    return when.isoformat(timespec="minutes") if isinstance(when, dt.datetime) else when.isoformat()


def capture_post(workspace: Workspace, case_id: str, url: str, moment: Moment, *, by: str | None,
                 account: str | None = None, posted_at: str | None = None, text: str | None = None,
                 files: Sequence[str] = (), max_mb: int | None = None, redact: Sequence[str] = ()) -> CaseOutcome:
    """Record one capture of a post: its address, account, posting time as shown, exact words and files, and
    the names (`redact`) letters and report packs must leave out of its words.

    Everything is checked before anything is copied; the files are copied
    in whole or not at all, then the case file is written last.
    """
    from ..evidence import attach

    address = web_address(url)
    shown_at = posted_time(posted_at, moment)
    check_text("--account", account)
    check_text("--text", text)
    names = checked_names(redact, "--redact")
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()
    store = workspace.store()
    store.load(case_id)

    def check(case: Case) -> None:
        check_binding(case, policy, workspace)
        refuse_unless_permitted(policy, case, CAPTURE)

    def record(case: Case, attachments: list[Attachment]) -> Case:
        capture = Capture(url=address, account=account, posted_at=shown_at, captured_at=moment.now,
                          captured_by=who, text=text, files=tuple(attachments))
        fresh = new_names(case.redactions, names)
        added = Event(event=CAPTURE, at=moment.now, on=moment.today, by=who, capture=capture, redact=fresh or None)
        return with_events(case, (added,), policy)

    case = attach(store, case_id, [Path(f) for f in files], record, check=check,
                  limit=evidence_limit(workspace, max_mb))
    kept = f" with {', '.join(Path(f).name for f in files)}" if files else ""
    out = f"; {_kept_out(len(names))}" if names else ""
    return outcome(case, policy, f"Captured the post at {address} for case {case.id}{kept}{out}.",
                   _missing(case, names), today=moment.today)


def redact_names(workspace: Workspace, case_id: str, names: Sequence[str], moment: Moment, *,
                 by: str | None) -> CaseOutcome:
    """Record names (a child's, or any words) that letters and report packs must leave out of the post's words.

    One `redact` event, sealed like every event; names recorded already are
    not repeated, and when every name was, nothing is written. The case
    keeps the words as captured. Open and closed cases accept it (a copy of
    a letter may still be drafted on a closed case); a void case does not.
    """
    if not names:
        raise UsageError(f"give at least one name: hesket case redact {case_id} \"Tommy Smith\"")
    given = checked_names(names, "NAME")
    validate_case_id(case_id)
    who = recorder(by)
    policy = workspace.policy()
    store = workspace.store()
    fresh: list[str] = []

    def change(case: Case) -> Case:
        check_binding(case, policy, workspace)
        refuse_unless_permitted(policy, case, REDACT)
        fresh[:] = new_names(case.redactions, given)
        if not fresh:  # recorded by someone else since the look below: the case is written back as it was
            return case
        added = Event(event=REDACT, at=moment.now, on=moment.today, by=who, redact=tuple(fresh))
        return with_events(case, (added,), policy)

    before = store.load(case_id)
    if not new_names(before.redactions, given):
        return outcome(before, policy, f"{_every(len(given))} recorded already for case {before.id}; nothing was "
                       "written.", saved=False, today=moment.today)
    case = store.update(case_id, change)
    again = len(given) - len(fresh)
    also = f" ({plural(again, 'name')} recorded already)" if again else ""
    return outcome(case, policy, f"Case {case.id}: {_kept_out(len(fresh))}{also}.", _missing(case, fresh),
                   today=moment.today)


def _kept_out(count: int) -> str:
    return (f"{'the name' if count == 1 else plural(count, 'name')} will be shown as \"[child's name removed]\" "
            "in letters and report packs")


def _every(count: int) -> str:
    return "The name was" if count == 1 else f"All {count} names were"


def _missing(case: Case, names: Sequence[str]) -> tuple[str, ...]:
    """A note for each name no capture's words hold: perhaps mistyped (it is kept for a later capture anyway)."""
    texts = "\n".join(e.capture.text for e in case.events if e.capture is not None and e.capture.text)
    missing = [name for name in names if not redact(texts, [name]).removed]
    if not texts or not missing:
        return ()
    named = ", ".join(f"\u201c{name}\u201d" for name in missing)
    return (f"Note: {named} {'is' if len(missing) == 1 else 'are'} not in the words of any capture of case "
            f"{case.id}; check the spelling against the post (hesket case show {case.id}). Kept all the same, "
            "for a later capture.",)
