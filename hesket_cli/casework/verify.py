"""casework/verify.py: check that case files load, that each history still matches its chain of hashes,
that no evidence is missing or changed, and that nothing was left behind (a triage's staging folder, an
evidence copy no event names)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..case import Case, kept_files
from ..errors import CaseFileError, FolderError, UsageError
from ..evidence import evidence_problems, stray_evidence
from ..flags import future_events, history_flags
from ..leftovers import staging_folder
from ..parallel import per_case
from ..policy import Policy
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
    leftovers: list[Path] = list(store.staging_leftovers()) if case_id is None else []
    checked = per_case(lambda each: _check(store, policy, today, head, each), ids)
    found = [checked[each] for each in ids]
    leftovers += [path for one in found for path in one.strays]
    removed = _remove(store, leftovers) if repair else []
    return _verification(ids, found, leftovers, removed)


def _verification(ids: list[str], found: list[_Checked], leftovers: list[Path], removed: list[Path]) -> Verification:
    """What every case's check found, in the order of `ids`, as one Verification."""
    return Verification(len(ids), sum(one.attachments for one in found), [p for one in found for p in one.problems],
                        leftovers, removed, [note for one in found for note in one.notes],
                        {each: one.head for each, one in zip(ids, found, strict=True) if one.loaded},
                        [fault for one in found for fault in one.faults])


class _Checked(NamedTuple):
    """What checking one case found (it crosses from a second process, so plain values only)."""

    loaded: bool
    problems: list[str]
    attachments: int = 0
    strays: list[Path] = []
    notes: list[str] = []
    head: str | None = None
    faults: list[dict[str, Any]] = []


def _check(store: CaseStore, policy: Policy, today: dt.date, head: str | None, case_id: str) -> _Checked:
    """One case: it loads, its chain holds, its evidence is as recorded, its history is one hesket could have
    recorded, and no evidence copy lies in its folder that no event names."""
    try:
        case = store.load(case_id)
    except CaseFileError as exc:
        return _Checked(False, [exc.message])
    chain = _chain(case, head)
    history = history_flags(policy, case) + future_events(case.events, today)
    problems = chain.problems + evidence_problems(store, case) + [
        f"{store.path_of(case.id)}: {flag}" for flag in history]
    return _Checked(True, problems, len(kept_files(case)),
                    stray_evidence(store, case), chain.notes, chain.head, chain.faults)


class _Chain(NamedTuple):
    problems: list[str]
    notes: list[str]
    head: str | None
    faults: list[dict[str, Any]]


def _chain(case: Case, head: str | None) -> _Chain:
    """The problem line for the case's chain (the first event that no longer matches, if any), what could
    not be checked, its head and every fault."""
    report = chain_report(case, head)
    faults = [{"case": case.id, "kind": p.kind, "number": p.number, "on": p.on, "message": p.message}
              for p in report.problems]
    problems = []
    if report.first is not None:
        more = len(report.problems) - 1
        problems.append(f"case {case.id}: {report.first.message}" + (
            f" (and {more} further problem{'s' if more > 1 else ''} after it; --json lists them)" if more else ""))
    return _Chain(problems, [f"case {case.id}: {note}" for note in report.info], report.head, faults)


def _remove(store: CaseStore, leftovers: list[Path]) -> list[Path]:
    """Remove each leftover, each case's strays under that case's lock (an attach may be finishing)."""
    removed = []
    for path in leftovers:
        try:
            if path.parent in (store.root, staging_folder(store.root)):
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
