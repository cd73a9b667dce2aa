"""policy_settings.py: reads `[helpline]` of policy.toml: the school's own setting, never the policy's words.

The policy does not mention helplines. A school may still decide when to ask
a helpline for professionals (the UK Safer Internet Centre's POSH) for help
once a site has not removed a post it was asked to remove; that decision is
the school's, kept in its policy file beside its notices and timings, marked
as its own, and read as strictly as the rest. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .describe import describe, place
from .policy import HelplineSetting, Notice, Step
from .strict import Problems, Table

KEYS = ("event", "title", "text", "wait_days", "at_once_with", "contacts")
DEFAULT_WAIT = 2
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}", re.ASCII)


def read_helpline(top: Table, problems: Problems, steps: Sequence[Step], notices: Sequence[Notice],
                  taken_ids: set[str]) -> HelplineSetting | None:
    """`[helpline]` checked (None when the policy file has none): its event a new id, its wait a whole number
    of days, its notices ones the file defines, and a step it follows (`platform_report = true`)."""
    if "helpline" not in top.data:
        top.used.add("helpline")
        return None
    t = Table(top.table("helpline"), "helpline", problems)
    event = _event(t, taken_ids)
    wait = _wait(t)
    at_once = t.texts("at_once_with")
    known = [n.id for n in notices]
    for notice in (n for n in at_once if n not in known):
        problems.add(place("helpline", "at_once_with"), f"unknown notice '{notice}'; known: "
                                                        f"{', '.join(known) or 'none'}")
    if not any(s.platform_report for s in steps):
        problems.add("helpline", "follows the step of complaining to the site: mark that step platform_report = true")
    setting = HelplineSetting(event=event, title=t.text("title") or event, text=t.text("text") or "",
                              wait_days=wait, at_once_with=at_once, contacts=t.text("contacts", False))
    t.finish(KEYS)
    return setting


def _event(t: Table, taken_ids: set[str]) -> str:
    """The event that records the setting: a new id, not one the policy already uses."""
    event = t.text("event") or ""
    if event and not _ID.fullmatch(event):
        t.problems.add(place("helpline", "event"), "an event id must be lower-case letters, digits and _")
    elif event in taken_ids:
        t.problems.add(place("helpline", "event"), f"'{event}' is already an event of the policy; choose a new id")
    return event


def _wait(t: Table) -> int:
    """The days to wait after the site was asked: a whole number, 0 or more (default 2, POSH's 48 hours)."""
    wait = t.get("wait_days", False)
    if wait is None:
        return DEFAULT_WAIT
    if not isinstance(wait, int) or isinstance(wait, bool) or wait < 0:
        t.problems.add(place("helpline", "wait_days"), f"must be a whole number of days (0 or more), found "
                                                       f"{describe(wait)}")
        return DEFAULT_WAIT
    return wait
