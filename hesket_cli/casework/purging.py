"""casework/purging.py: which cases are past the school's retention period, deleting them, and the log.

A case that has ended (closed, or voided) is kept for the school's period
after the date it ended (workspace.retention(): the school's setting, else
hesket's suggested default, said as such); after its destroy-after date it
is due. An open case is never due, whatever its age. Listing what is due
changes nothing; deleting needs the person's confirmation, which the
command line asks for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from ..case import Case, ended_on
from ..retention import Retention, destroy_after
from ..workspace import Workspace
from .common import Moment, recorder


class Due(NamedTuple):
    """A case past its destroy-after date: its id, how it ended (closed or void), when, and the date passed."""

    id: str
    status: str
    closed_on: dt.date
    destroy_after: dt.date


class PurgePlan(NamedTuple):
    """The rule in force, the cases due under it (oldest first), and cases that could not be read."""

    retention: Retention
    due: list[Due]
    warnings: list[str]


class Purged(NamedTuple):
    """What a purge did: the log entries written (one a case), the cases kept after all, and where the log is."""

    entries: list[dict[str, Any]]
    kept: list[str]
    log: Path


def _due(case: Case, retention: Retention, today: dt.date) -> Due | None:
    ended = ended_on(case.events)
    if ended is None:
        return None
    after = destroy_after(ended, retention.rule)
    return Due(case.id, case.status, ended, after) if after < today else None


def purge_plan(workspace: Workspace, today: dt.date) -> PurgePlan:
    """Every case past its destroy-after date on `today`, oldest first; a case that cannot be read is a
    warning and is never due. Reads the case files only: listing what is due writes nothing anywhere."""
    from ..errors import CaseFileError

    retention = workspace.retention()
    warnings: list[str] = []
    due = []
    for _, found in workspace.store().entries():
        if isinstance(found, CaseFileError):
            warnings.append(f"{found.message} (not purged)")
            continue
        each = _due(found, retention, today)
        if each is not None:
            due.append(each)
    return PurgePlan(retention, due, warnings)


def purge_log_path(workspace: Workspace) -> Path:
    """Where the workspace's purge log is kept: in the workspace folder (the cases folder, without one)."""
    from ..purge import log_path

    return log_path(workspace.root or workspace.cases_dir)


def purge_cases(workspace: Workspace, plan: PurgePlan, moment: Moment, *, by: str | None) -> Purged:
    """Delete each case of the plan that is still due when looked at again under its lock, logging each.

    The log entry of a case is written after its folder is out of sight and
    before its files are removed; if the log cannot be written, the case is
    put back and the error raised, so no case goes without its entry.
    """
    from ..errors import HesketError
    from ..purge import append_log, finish, forget, put_back, take_out

    who = recorder(by)
    store = workspace.store()
    log = purge_log_path(workspace)
    entries: list[dict[str, Any]] = []
    kept: list[str] = []
    for due in plan.due:
        hidden = take_out(store, due.id, lambda case: _due(case, plan.retention, moment.today) is not None)
        if hidden is None:
            kept.append(due.id)
            continue
        entry = {"id": due.id, "status": due.status, "closed_on": due.closed_on.isoformat(),
                 "destroy_after": due.destroy_after.isoformat(), "rule": str(plan.retention.rule),
                 "rule_set_by": plan.retention.set_by, "purged_at": moment.now.isoformat(), "purged_by": who}
        try:
            append_log(log, entry, workspace.modes)
        except HesketError:
            put_back(store, hidden, due.id)
            raise
        finish(hidden)
        entries.append(entry)
    forget(store, [e["id"] for e in entries])
    return Purged(entries, kept, log)


def read_purge_log(workspace: Workspace) -> tuple[Path, list[dict[str, Any]]]:
    """The purge log's place and its entries, oldest first."""
    from ..purge import read_log

    path = purge_log_path(workspace)
    return path, read_log(path)
