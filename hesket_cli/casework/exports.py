"""casework/exports.py: what leaves the school: a case's sealed bundle, a subject-access draft, its deadline.

Each gathers what is to go out, checked, and hands it up to be written: a
bundle only of a case that verifies (a bundle that fails its own check is
of no use to a solicitor); a subject-access draft of every case about one
person, found by poster reference or id; the ICO's deadline for a request.
Nothing here writes a file: the command line writes what is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..case import kept_files
from ..errors import CaseNotFound, InvalidInput, UsageError
from ..store import validate_case_id
from ..workspace import Workspace
from .common import CaseOutcome, Moment, outcome

if TYPE_CHECKING:
    from ..deadlines import SarDeadlines


class BundleSource(NamedTuple):
    """A case ready to bundle: the case as assessed, its file's bytes as they are, its evidence
    (name in the bundle, where it is now), the policy's words for each step and outcome, each step's,
    outcome's and action's title, and the school."""

    outcome: CaseOutcome
    case_file: bytes
    evidence: list[tuple[str, Path]]
    quotes: dict[str, str]
    school: str
    titles: dict[str, str]


def case_for_bundle(workspace: Workspace, case_id: str) -> BundleSource:
    """A case to bundle, refused (exit 3, nothing written) unless its history and evidence verify."""
    from ..evidence import evidence_path, evidence_problems
    from ..sealing import chain_report

    store = workspace.store()
    case, raw = store.load_with_bytes(validate_case_id(case_id))
    problems = [p.message for p in chain_report(case).problems] + evidence_problems(store, case)
    if problems:
        raise InvalidInput(f"case {case.id}: {problems[0]}; a bundle of it would not verify, so none was written: "
                           f"see `hesket case verify {case.id}`")
    policy = workspace.policy()
    quotes = {step.id: step.policy_text for step in policy.steps}
    quotes.update({o.id: o.policy_text for o in policy.outcomes})
    school = workspace.settings.school if workspace.settings and workspace.settings.school else policy.header.school
    evidence = [(a.file, evidence_path(store, case.id, a)) for a, _ in kept_files(case)]
    titles = {s.id: s.title for s in policy.steps} | {o.id: o.title for o in policy.outcomes}
    titles.update({a.id: a.title for a in policy.actions})
    return BundleSource(outcome(case, policy), raw, evidence, quotes, school, titles)


class SubjectAccess(NamedTuple):
    """Every case about one person, and the poster references that matched (listed at the start)."""

    cases: list[CaseOutcome]
    matched_posters: list[str]
    school: str
    deadline: dt.date | None


def gather_subject_access(workspace: Workspace, poster: str | None, case_ids: Sequence[str], moment: Moment,
                          received: dt.date | None = None) -> SubjectAccess:
    """The cases whose poster references contain `poster` (any case; void ones too: a mistake is still
    data held about someone), and those named by id, oldest first, each once.

    A request naming no poster and no case is a usage error; an id with no
    case, or a poster reference no case contains, is CaseNotFound, before
    anything is written (a draft missing someone's cases is worse than none).
    """
    if (poster is None or not poster.strip()) and not case_ids:
        raise UsageError("say whose data to gather: --poster TEXT (their poster reference, as the cases record it) "
                         "and/or --case ID for each case")
    from .search import find_cases

    store = workspace.store()
    ids = [validate_case_id(each) for each in case_ids]
    matched: list[str] = []
    if poster is not None and poster.strip():
        found = find_cases(workspace, poster, poster_only=True)
        wanted = " ".join(poster.split()).casefold()
        for match in sorted(found.matches, key=lambda m: m.id):
            ids.append(match.id)
            matched += [r for r in match.poster_refs if wanted in " ".join(r.split()).casefold()]
        if not found.matches:
            raise CaseNotFound(f"--poster {poster!r}: no case's poster reference contains it (void cases "
                               "included); nothing was written. Check the spelling (`hesket case find TEXT` looks "
                               "through every case's words), or name the cases with --case ID")
    policy = workspace.policy()
    cases = [outcome(store.load(each), policy) for each in sorted(set(ids))]
    school = workspace.settings.school if workspace.settings and workspace.settings.school else policy.header.school
    deadline = sar_deadline_for(workspace, received, moment) if received is not None else None
    return SubjectAccess(cases, list(dict.fromkeys(matched)), school, deadline)


def sar_deadline_for(workspace: Workspace, received: dt.date, moment: Moment) -> dt.date:
    """The ICO deadline for a request received on `received` (not in the future), the school's closures skipped."""
    return subject_access_deadline(workspace, received, moment).deadline


def subject_access_deadline(workspace: Workspace, received: dt.date, moment: Moment) -> SarDeadlines:
    """The ICO deadline with its working, for a request received on `received` (not in the future)."""
    from ..deadlines import sar_deadlines

    if received > moment.today:
        raise InvalidInput(f"--received: {received.isoformat()} is in the future (today is "
                           f"{moment.today.isoformat()}); give the date the request reached the school")
    closures = workspace.settings.closures if workspace.settings is not None else ()
    return sar_deadlines(received, closures)
