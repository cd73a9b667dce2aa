"""casework/report.py: the pack for reporting a case's post to the site it is on, from the case's facts.

The route is chosen by the case's platform and the kinds of harm its ticked
checklist items amount to (each item's `harm` in the policy). The routes file
is hesket's own (data/platforms.toml) unless the workspace keeps a newer copy
(`platforms.toml` in the workspace). The summary is drafted from the latest
capture's structured fields only, never from the staff member's summary or
notes, with each name recorded to be kept out (`case redact`) shown as
"[child's name removed]"; a warning says so where none was recorded. Reads
only: nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..case import Case
from ..engine import Assessment, assess_case, helpline_at_once
from ..policy import Policy
from ..refusals import judge_event
from ..store import validate_case_id
from ..workspace import Workspace
from .common import later_answers
from .letters import latest_capture, post_facts, warn_unless_redacted

if TYPE_CHECKING:
    from ..platform_report import ReportPack
    from ..platform_routes import Helpline

ROUTES_FILE = "platforms.toml"


def routes_path(workspace: Workspace) -> Path | None:
    """The workspace's own routes file, if it keeps one (None: hesket's own)."""
    if workspace.root is None:
        return None
    path = workspace.root / ROUTES_FILE
    return path if path.is_file() else None


def helpline_contacts(workspace: Workspace, policy: Policy, now: Assessment) -> Helpline | None:
    """The published contact details of the helpline the school's setting names, while it permits turning to
    it and it has not been contacted yet (a routes file that cannot be read is a warning, not a failure)."""
    setting = policy.helpline
    if setting is None or setting.contacts is None or setting.event not in {s.id for s in now.permitted}:
        return None
    import warnings

    from ..errors import HesketWarning, InvalidInput
    from ..platform_routes import load_routes

    try:
        found = load_routes(routes_path(workspace)).helpline(setting.contacts)
    except InvalidInput as exc:
        warnings.warn(HesketWarning(f"the helpline's contact details cannot be shown: {exc.message}"), stacklevel=2)
        return None
    if found is None:
        warnings.warn(HesketWarning(f"the routes file has no helpline {setting.contacts!r} (named by the policy's "
                                    "[helpline] contacts); its contact details cannot be shown"), stacklevel=2)
    return found


def report_for(workspace: Workspace, case_id: str) -> ReportPack:
    """The report pack for the case: routes, what the form asks, a factual summary, what to know first."""
    from ..platform_report import ReportFacts, harms_for_checklist, load_routes, report_pack
    from ..redaction import redact

    validate_case_id(case_id)
    policy = workspace.policy()
    case = workspace.store().load(case_id)
    routes = load_routes(routes_path(workspace))
    now = assess_case(policy, case)
    incident = case.answers.incident
    ticked = [i.harm for i in policy.checklist if any(a.checklist.get(i.id) for a in case.all_answers)]
    other = policy.other is not None and any(a.other_given for a in case.all_answers)
    capture = latest_capture(case.events)
    facts = ReportFacts(
        case_id=case.id, platform=incident.platform, platform_title=policy.title_of("platform", incident.platform),
        observed_on=incident.observed_on, harms=harms_for_checklist(ticked, other),
        safeguarding=helpline_at_once(policy, (n.id for n in now.notices)),
        **post_facts(capture, case.redactions), names_recorded=len(case.redactions),
        names_removed=redact(capture.text, case.redactions).removed if capture and capture.text else 0,
    )
    step = policy.provider_step
    pack = report_pack(facts, routes, record_step=step.id if step else None, policy_note=_not_yet(policy, case))
    warn_unless_redacted(case, "report pack")
    return pack


def _not_yet(policy: Policy, case: Case) -> str | None:
    """Why the policy does not permit complaining to the site yet (None once it does, or once it was done)."""
    step = policy.provider_step
    if step is None:
        return (f"the policy in force ({policy.header.school}) has no step of complaining to the site (no step with "
                "platform_report = true), so hesket cannot record a report as a step of it. The pack can still be "
                "read; whether to report the post is the school's decision (record it with hesket case note).")
    if step.id in {e.event for e in case.events}:
        return None
    refusal = judge_event(policy, case.answers, case.events, step.id, later=later_answers(case))
    if refusal is None:
        return None
    return (f"{step.id} is not permitted {'yet ' if refusal.yet else ''}for case {case.id}: {refusal.reason}. "
            "The pack can be read now; send the report when the policy permits the step.")
