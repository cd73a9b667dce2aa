"""casework/lookup.py: find a case again: one case, or the list of them.

The list goes through the index (a cache of each case's document, kept
while the case file is unchanged), so a folder of thousands answers
quickly; a case file that cannot be read is reported and the rest listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from ..case import Case
from ..engine import Assessment, assess_case
from ..policy import Policy
from ..store import validate_case_id
from ..workspace import Workspace
from .common import CaseOutcome, outcome, policy_named, policy_words, same_policy

Document = Callable[[Case, Assessment, Policy], dict[str, Any]]


class Listing(NamedTuple):
    """The JSON text of each case's document, newest first, and the problems met on the way."""

    texts: list[bytes]
    warnings: list[str]


def show_case(workspace: Workspace, case_id: str, *, as_triaged: bool = False,
              today: dt.date | None = None) -> CaseOutcome:
    """One case, assessed under the policy in use now (or, with `as_triaged`, the version it was triaged under),
    on `today`, with the helpline's published contact details where the school's setting permits turning to it.

    Its message says so first whenever the policy shown is not the case's
    own: a policy being tried, or another school's.
    """
    case = workspace.store().load(validate_case_id(case_id))
    if as_triaged:
        return outcome(case, _version_of(workspace, case), "Shown under the policy as it was when this case was "
                                                           f"assessed (SHA-256 {case.policy.sha256[:12]}...).",
                       today=today)
    policy = workspace.policy()
    message = trial_notice(workspace) or ""
    if not message and not same_policy(case.policy, policy):
        message = (f"This case was triaged under {policy_named(case.policy.school, case.policy.title)}; it is shown "
                   f"here under {policy_named(policy.header.school, policy.header.title)}.")
    shown = outcome(case, policy, message, today=today)
    from .report import helpline_contacts

    return shown._replace(helpline=helpline_contacts(workspace, policy, shown.assessment))


def trial_notice(workspace: Workspace) -> str | None:
    """What a view of cases under a policy being tried (--policy, HESKET_POLICY) says first; None if none is."""
    if not workspace.tries_another_policy():
        return None
    place = "workspace" if workspace.initialised else "cases folder"
    return (f"Shown under the policy being tried, {workspace.policy_path}; the {place}'s own policy is not the one "
            "shown here.")


class EvidenceCheck(NamedTuple):
    """One piece of a case's evidence as it is now: its file, where it is kept (to open it), and what is
    wrong with it (None when it still has the SHA-256 recorded when it was attached)."""

    file: str
    path: str
    problem: str | None


def check_evidence(workspace: Workspace, case: Case) -> tuple[EvidenceCheck, ...]:
    """Each attachment of `case`, where it is kept, and whether it has changed since it was attached."""
    from ..case import kept_files
    from ..evidence import attachment_problem, evidence_path

    store = workspace.store()
    return tuple(EvidenceCheck(a.file, str(evidence_path(store, case.id, a)), attachment_problem(store, case.id, a, on))
                 for a, on in kept_files(case))


class ChainCheck(NamedTuple):
    """A case's history against its chain of hashes, as `case show` reports it: whether it still matches
    (`ok`), the first fault as `case verify` words it (naming the event's number and date), the head the
    history reaches as it is now (`head`) and the head the file records (`stored`)."""

    ok: bool
    problem: str | None
    head: str | None
    stored: str | None


def check_chain(case: Case) -> ChainCheck:
    """Recompute one case's chain (quick for one case; `review` and `case list` never do it for every case:
    `case verify` does)."""
    from ..sealing import chain_report, recomputed_head

    report = chain_report(case)
    first = report.first
    return ChainCheck(first is None, None if first is None else first.message, recomputed_head(case), report.head)


def _version_of(workspace: Workspace, case: Case) -> Policy:
    from ..errors import InvalidInput
    from ..policy_file import load_policy

    path = workspace.version_path(case.policy.sha256)
    if path is None or not path.exists():
        raise InvalidInput(f"the policy case {case.id} was triaged under (SHA-256 {case.policy.sha256[:12]}...) is "
                           "not kept in this workspace (versions are kept from hesket init on); "
                           "the case can be shown under the policy in use without --as-triaged")
    return load_policy(path)


def list_cases(workspace: Workspace, status: str, document: Document, *, today: dt.date,
               poster: str | None = None, key: str = "", kind: str = "list") -> Listing:
    """Every case whose status is `status` (or all), as `document(case, assessment, policy)`, newest first;
    with `poster`, only those whose poster reference contains it. `key` names anything else the documents
    depend on (the retention rule), so a cached document made under another is not used; `kind` names
    the documents in the index (whole ones for scripts, a row each for the view a person reads)."""
    from ..derive import listing

    if poster is not None:
        from .search import searched

        searched(poster, poster_only=True)
    policy = workspace.policy()
    warnings: list[str] = []

    def compute(case: Case) -> tuple[str, Any]:
        assessment = assess_case(policy, case, today)
        until = f"|{assessment.changes_on.isoformat()}" if assessment.changes_on else ""  # then made again
        return case.status + until, document(case, assessment, policy)

    tags = {"open", "closed", "void"} if status == "all" else {status}
    texts, errors = listing(workspace.store(), kind, f"{policy.sha256}:{key}", compute, tags, warnings.append,
                            zdict=policy_words(policy), today=today.isoformat())
    if poster is not None:
        import json

        from .search import find_cases

        ids = {m.id for m in find_cases(workspace, poster, poster_only=True).matches}
        texts = [t for t in texts if json.loads(t)["id"] in ids]
    return Listing(texts, warnings + [error.message for error in errors])
