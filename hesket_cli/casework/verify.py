"""casework/verify.py: check that case files load and that no evidence is missing or changed."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CaseFileError
from ..store import validate_case_id
from ..workspace import Workspace


@dataclass(frozen=True)
class Verification:
    """How many cases and attachments were checked, and each problem found (a line naming the path)."""

    cases: int
    attachments: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        """Whether everything is as recorded."""
        return not self.problems


def verify(workspace: Workspace, case_id: str | None = None) -> Verification:
    """Check one case (or every case): each loads, and each attachment still has its recorded hash."""
    store = workspace.store()
    if case_id is not None:
        store.load(validate_case_id(case_id))
    ids = store.ids() if case_id is None else [case_id]
    problems: list[str] = []
    attachments = 0
    for each in ids:
        try:
            case = store.load(each)
        except CaseFileError as exc:
            problems.append(exc.message)
            continue
        attachments += sum(1 for e in case.events if e.attachment is not None)
        problems += store.evidence_problems(case)
    return Verification(len(ids), attachments, problems)
