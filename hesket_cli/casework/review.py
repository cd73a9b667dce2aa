"""casework/review.py: every case's next step, most urgent first, and the governors' counts.

The review reads each case through the index, so a scheduled job over
thousands of cases is quick; a case that cannot be read becomes a flagged
row and the review goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..case import Attachment, Case
from ..derive import Derived
from ..errors import CaseFileError
from ..evidence import check_files
from ..index import EvidenceHashes
from ..policy import Policy
from ..review import ReviewRow, review_record, review_row, sort_rows, summary, summary_record, unreadable_row
from ..store import EVIDENCE_DIR, CaseStore
from ..workspace import Workspace
from .common import Moment, policy_words

_T = TypeVar("_T")
Progress = Callable[[Iterable[_T], Callable[[], int]], Iterable[_T]]  # items, and how to count them if asked


def _no_progress(items: Iterable[_T], total: Callable[[], int]) -> Iterable[_T]:
    return items


@dataclass(frozen=True)
class Review:
    """The review's rows, sorted, and warnings met on the way (an index that could not be used)."""

    rows: list[ReviewRow]
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        """Whether any open case is urgent, overdue or flagged, or a case file could not be read."""
        return any(r.needs_attention or r.status == "unreadable" for r in self.rows)


@dataclass(frozen=True)
class Summary:
    """The governors' counts, and warnings for case files that could not be read."""

    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def review_cases(workspace: Workspace, status: str, since: dt.date | None, moment: Moment,
                 progress: Progress[Any] = _no_progress) -> Review:
    """What each case (`status`: open, closed or all) needs now, urgent first, then overdue, flagged, the rest."""
    from ..derive import derived

    policy = workspace.policy()
    store = workspace.store()
    warnings: list[str] = []

    def compute(case: Case) -> tuple[str, Any]:
        return case.status, review_record(policy, case)

    records = progress(derived(store, "review", policy.sha256, compute, warnings.append, zdict=policy_words(policy),
                               wanted=None if status == "all" else {status}), store.count)
    hashes = EvidenceHashes(store, warnings.append)
    try:
        rows = _rows(store, policy, records, status, since, moment, hashes)
    finally:
        hashes.close()
    return Review(sort_rows(rows), warnings)


def _rows(store: CaseStore, policy: Policy, records: Iterable[Derived], status: str, since: dt.date | None,
          moment: Moment, hashes: EvidenceHashes) -> list[ReviewRow]:
    rows = []
    root = f"{store.root}{os.sep}"  # each file's path as its Path writes it, for the quick look at its hash
    for case_id, tag, found in records:
        if isinstance(found, CaseFileError):
            rows.append(unreadable_row(case_id, found.message))
            continue
        if tag == "void" or status not in ("all", tag):
            continue  # a void case was made by mistake: never reviewed
        record = json.loads(found.decode("utf-8"))
        if since is not None and record["observed_on"] < since.isoformat():
            continue
        files = [(Attachment(*item[:4]), dt.date.fromisoformat(item[4])) for item in record.get("evidence", ())]
        kept = f"{root}{case_id}{os.sep}{EVIDENCE_DIR}{os.sep}"
        problems = check_files(store, case_id, files, hashes.digest) if files and not all(
            hashes.unchanged(kept + a.file, a.sha256) for a, _ in files) else ()
        rows.append(review_row(record, policy, moment.today, evidence_problems=problems))
    return rows


def summarise(workspace: Workspace, status: str, since: dt.date | None,
              progress: Progress[Any] = _no_progress, *, today: dt.date | None = None) -> Summary:
    """Counts for a governors' report (no names, locations or descriptions), over `status` cases,
    month by month up to `today`'s month."""
    from ..derive import derived

    policy = workspace.policy()
    store = workspace.store()
    warnings: list[str] = []

    def compute(case: Case) -> tuple[str, Any]:
        return case.status, summary_record(policy, case)

    def records() -> Iterator[dict[str, Any]]:
        found = derived(store, "summary", policy.sha256, compute, warnings.append, zdict=policy_words(policy))
        for _, tag, text in progress(found, store.count):
            if tag is None:
                assert isinstance(text, CaseFileError)
                warnings.append(text.message)
            elif tag != "void" and status in ("all", tag):
                yield json.loads(text.decode("utf-8"))

    data = summary(policy, records(), since=since, until=today)
    return Summary(data, warnings)
