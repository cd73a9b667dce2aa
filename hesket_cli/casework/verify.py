"""casework/verify.py: check that case files load, that each history still matches its chain of hashes,
that no evidence is missing or changed, and that nothing was left behind (a triage's staging folder, an
evidence copy no event names)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case import Case
from ..errors import CaseFileError, FolderError, UsageError
from ..evidence import evidence_problems, stray_evidence
from ..flags import future_events, history_flags
from ..sealing import chain_report
from ..store import CaseStore, validate_case_id
from ..workspace import Workspace


@dataclass(frozen=True)
class Verification:
    """How many cases and attachments were checked, each problem found (a line naming the path or
    the case), the leftovers found (and removed, with repair), what could not be checked (notes), each
    case's chain head and every fault in a chain (`{case, kind, number, on, message}`)."""

    cases: int
    attachments: int
    problems: list[str]
    leftovers: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    heads: dict[str, str | None] = field(default_factory=dict)
    chain: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether everything is as recorded, and nothing is left behind that was not removed."""
        return not self.problems and len(self.removed) == len(self.leftovers)


def verify(workspace: Workspace, today: dt.date, case_id: str | None = None, *,
           repair: bool = False, head: str | None = None) -> Verification:
    """Check one case (or every case): each loads, its history still matches its chain of hashes (and,
    with `head`, a head written down earlier), it is one hesket could have recorded (no event unknown,
    premature or in the future), each attachment still has its recorded hash, and no leftover of a
    killed command holds personal data; with `repair`, remove the leftovers."""
    if head is not None and case_id is None:
        raise UsageError("--head checks one case against a head written down earlier: "
                         "hesket case verify ID --head HASH")
    store = workspace.store()
    policy = workspace.policy()
    if case_id is not None:
        store.load(validate_case_id(case_id))
    ids = store.ids() if case_id is None else [case_id]
    problems: list[str] = []
    leftovers: list[Path] = list(store.staging_leftovers()) if case_id is None else []
    attachments = 0
    chained = _Chains()
    for each in ids:
        try:
            case = store.load(each)
        except CaseFileError as exc:
            problems.append(exc.message)
            continue
        attachments += sum(1 for e in case.events if e.attachment is not None)
        problems += chained.check(case, head)
        problems += evidence_problems(store, case)
        history = history_flags(policy, case) + future_events(case.events, today)
        problems += [f"{store.path_of(case.id)}: {flag}" for flag in history]
        leftovers += stray_evidence(store, case)
    removed = _remove(store, leftovers) if repair else []
    return Verification(len(ids), attachments, problems, leftovers, removed, chained.notes, chained.heads,
                        chained.faults)


class _Chains:
    """Each case's chain checked: its first fault as a problem line, what could not be checked as notes."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.heads: dict[str, str | None] = {}
        self.faults: list[dict[str, Any]] = []

    def check(self, case: Case, head: str | None) -> list[str]:
        """The problem line for the case's chain (the first event that no longer matches), or none."""
        report = chain_report(case, head)
        self.heads[case.id] = report.head
        self.notes += [f"case {case.id}: {note}" for note in report.info]
        self.faults += [{"case": case.id, "kind": p.kind, "number": p.number, "on": p.on, "message": p.message}
                        for p in report.problems]
        first = report.first
        if first is None:
            return []
        more = len(report.problems) - 1
        return [f"case {case.id}: {first.message}" + (f" (and {more} further problem{'s' if more > 1 else ''} "
                                                      "after it; --json lists them)" if more else "")]


def _remove(store: CaseStore, leftovers: list[Path]) -> list[Path]:
    """Remove each leftover, each case's strays under that case's lock (an attach may be finishing)."""
    removed = []
    for path in leftovers:
        try:
            if path.parent == store.root:
                shutil.rmtree(path)
                removed.append(path)
                continue
            case_id = path.parent.parent.name
            with store.lock(case_id):  # an attach may have been finishing: look again under the lock
                if path in stray_evidence(store, store.load(case_id)):
                    path.unlink()
                    removed.append(path)
        except (OSError, FolderError, CaseFileError):
            continue
    return removed
