"""casework/lookup.py: find a case again: one case, or the list of them.

The list goes through the index (a cache of each case's document, kept
while the case file is unchanged), so a folder of thousands answers
quickly; a case file that cannot be read is reported and the rest listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..case import Case
from ..engine import Assessment, assess
from ..policy import Policy
from ..store import validate_case_id
from ..workspace import Workspace
from .common import CaseOutcome, outcome

Document = Callable[[Case, Assessment, Policy], dict[str, Any]]


class Listing(NamedTuple):
    """The JSON text of each case's document, newest first, and the problems met on the way."""

    texts: list[str]
    warnings: list[str]


def show_case(workspace: Workspace, case_id: str) -> CaseOutcome:
    """One case, assessed under the policy in use now."""
    case = workspace.store().load(validate_case_id(case_id))
    return outcome(case, workspace.policy())


def list_cases(workspace: Workspace, status: str, document: Document) -> Listing:
    """Every case whose status is `status` (or all), as `document(case, assessment, policy)`, newest first."""
    from ..index import listing

    policy = workspace.policy()
    warnings: list[str] = []

    def compute(case: Case) -> tuple[str, Any]:
        return case.status, document(case, assess(policy, case.answers, case.events), policy)

    tags = {"open", "closed"} if status == "all" else {status}
    texts, errors = listing(workspace.store(), "list", policy.sha256, compute, tags, warnings.append)
    return Listing(texts, warnings + [error.message for error in errors])
