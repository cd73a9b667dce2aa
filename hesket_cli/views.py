"""views.py: the JSON documents hesket prints: a case, a review row, a summary, a policy.

`--json` prints these documents and the Rich views in render.py draw the
same documents, so what a script reads and what a person sees cannot
disagree. Every JSON object carries `"contract": CONTRACT`, the version of
this JSON contract (separate from the case file's `schema`), so a script
can tell when the shape it relies on has changed. Pure data: no Rich here,
which also keeps `--json` quick to start.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .answers import Answers, answers_to_dict
from .case import DECLINE, Capture, Case, dates_in_effect, ended_on
from .case_data import event_to_dict
from .engine import Assessment, StepView
from .policy import Item, Policy

if TYPE_CHECKING:
    from .bundle import BundleReport
    from .casework.lookup import ChainCheck, EvidenceCheck
    from .casework.verify import Verification
    from .platform_routes import Helpline
    from .retention import Retention
    from .review import ReviewRow

# The version of the JSON contract. Raise it when a key changes meaning or is
# removed (adding a key is not a change of contract).
CONTRACT = 1
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder for every line of a long list


def step_document(step: StepView | None) -> dict[str, Any] | None:
    """A step as `{id, title, policy_text, setting}` (null when there is no step); `setting` holds the school's
    own words for its own setting that is not a step of the policy (then `policy_text` is null)."""
    if step is None:
        return None
    return {"id": step.id, "title": step.title, "policy_text": step.policy_text, "setting": step.setting}


def case_document(case: Case, assessment: Assessment, policy: Policy, helpline: Helpline | None = None, *,
                  retention: Retention | None) -> dict[str, Any]:
    """The JSON contract of `triage --json`, `case show --json` and each row of `case list --json`.

    `retention` is the workspace's rule, which gives a case that has ended
    its destroy-after date; `helpline` the helpline's published contact
    details, where the school's setting permits turning to it now.
    """
    return _plain_document(case_record(case, assessment, policy, helpline, retention=retention))


def case_record(case: Case, assessment: Assessment, policy: Policy, helpline: Helpline | None = None, *,
                retention: Retention | None) -> dict[str, Any]:
    """The case document with its dates still dates: for `case list`, whose JSON encoder writes them as
    `case_document` does (ISO 8601) while encoding, quicker than a copy of every case first."""
    answers = answers_to_dict(case.answers)
    incident = answers.pop("incident")
    return {
        "contract": CONTRACT,
        "id": case.id,
        "schema": case.schema,
        "status": assessment.status,
        "stage": assessment.stage,
        "verdict": assessment.verdict,
        "next_step": step_document(assessment.next_step),
        "permitted": [step_document(s) for s in assessment.permitted],
        "outcomes": list(assessment.outcomes),
        "urgent": list(assessment.urgent),
        "reasons": [
            {"id": r.id, "kind": r.kind, "title": r.title, "policy_text": r.policy_text}
            for r in assessment.reasons
        ],
        "incident": {"location": None, "poster_ref": None, **incident},
        "answers": answers,
        "posts": [_post_document(a) for a in case.all_answers],
        "events": events_document(case, policy),
        "declined": [{"id": e.step, "on": e.on, "by": e.by, "reason": e.reason}
                     for e in case.events if e.event == DECLINE and e.step in assessment.declined],
        "notices": [{"id": n.id, "text": n.text, "done_by": n.done_by, "done": n.done, "ref": n.ref}
                    for n in assessment.notices],
        "helpline": _helpline(helpline),
        "recorded_by": case.recorded_by,
        "created_at": case.created_at,
        "policy": {
            "title": case.policy.title,
            "last_reviewed": case.policy.last_reviewed,
            "sha256": case.policy.sha256,
            "changed_since": case.policy.sha256 != policy.sha256,
        },
        "chain_head": case.chain_head,
        **_retention_keys(case, retention),
    }


def list_row(case: Case, assessment: Assessment, policy: Policy) -> dict[str, Any]:
    """What `case list` shows a person of a case: a row, a fraction of the whole document, so a trust's
    list is drawn without reading every case's document."""
    step = assessment.next_step
    return {"id": case.id, "observed_on": case.answers.incident.observed_on.isoformat(),
            "platform": case.answers.incident.platform, "poster": case.answers.incident.poster,
            "poster_ref": case.poster_ref, "verdict": assessment.verdict, "next_step": step.id if step else None,
            "status": assessment.status}


def _retention_keys(case: Case, retention: Retention | None) -> dict[str, Any]:
    """`closed_on` (the date the case ended: closed or voided), `destroy_after` and the rule they follow."""
    from .retention import destroy_after

    ended = ended_on(case.events)
    return {
        "closed_on": ended,
        "destroy_after": destroy_after(ended, retention.rule) if ended is not None and retention else None,
        "retention": {"after_closing": str(retention.rule), "set_by": retention.set_by} if retention else None,
    }


def _helpline(helpline: Helpline | None) -> dict[str, Any] | None:
    if helpline is None:
        return None
    from .platform_report import helpline_document  # only where a helpline is shown

    return helpline_document(helpline)


def _post_document(answers: Answers) -> dict[str, Any]:
    data = answers_to_dict(answers)
    incident = data.pop("incident")
    return {"observed_on": incident["observed_on"], "platform": incident["platform"],
            "poster_ref": incident.get("poster_ref"), "summary": incident["summary"], "answers": data}


def events_document(case: Case, policy: Policy) -> list[dict[str, Any]]:
    """Each event as recorded (its number in the history), with the date in effect after any correction,
    and whether it was recorded late (more than the school's `late_days` after it happened)."""
    effective = dates_in_effect(case.events)
    found = []
    for number, (event, on) in enumerate(zip(case.events, effective, strict=True), start=1):
        typed = event.at.astimezone().date()
        entry = {"number": number, "note": None, "override_reason": None, "attachment": None, "capture": None,
                 **event_to_dict(event), "on_in_effect": on, "late": (typed - on).days > policy.timings.late_days}
        if event.capture is not None:
            entry["capture"] = capture_document(event.capture)
        found.append(entry)
    return found


def evidence_document(checks: Sequence[EvidenceCheck]) -> list[dict[str, Any]]:
    """Each piece of a case's evidence as it is now, for `case show`: `{file, path, problem}`."""
    return [{"file": c.file, "path": c.path, "problem": c.problem} for c in checks]


def chain_document(check: ChainCheck) -> dict[str, Any]:
    """A case's history checked against its hashes, for `case show`: `chain_ok`, `chain_problem` (the first
    fault, null while it holds), `chain_head` as the history now reaches it and `chain_head_stored` as the
    case file records it (the two differ once the history was changed by hand)."""
    return {"chain_ok": check.ok, "chain_problem": check.problem, "chain_head": check.head,
            "chain_head_stored": check.stored}


def capture_document(capture: Capture) -> dict[str, Any]:
    """A captured post, every key present (null where not captured): where, who, when, the exact words, files."""
    return {"url": capture.url, "account": capture.account, "posted_at": capture.posted_at,
            "captured_at": capture.captured_at, "captured_by": capture.captured_by, "text": capture.text,
            "files": [{"file": a.file, "name": a.name, "size": a.size, "sha256": a.sha256} for a in capture.files]}


def policy_document(policy: Policy) -> dict[str, Any]:
    """The policy as the tool reads it, for `policy show --json`."""

    def items(seq: Sequence[Item]) -> list[dict[str, Any]]:
        return [{"id": i.id, "title": i.title, "question": i.question, "policy_text": i.policy_text,
                 **({"flagged_by": i.flagged_by} if i.kind in ("consideration", "checklist") else {}),
                 **({"harm": i.harm} if i.kind == "checklist" else {})} for i in seq]

    def choices(seq: Sequence[Any]) -> list[dict[str, Any]]:
        return [{"id": c.id, "title": c.title, "aliases": list(c.aliases), "policy_text": c.policy_text} for c in seq]

    h = policy.header
    return _plain_document({
        "contract": CONTRACT,
        "path": policy.path,
        "sha256": policy.sha256,
        "school": h.school,
        "title": h.title,
        "adopted": h.adopted,
        "reviewed": list(h.reviewed),
        "last_reviewed": h.last_reviewed,
        "considerations": items(policy.considerations),
        "checklist": items(policy.checklist),
        "other": items([policy.other])[0] if policy.other else None,
        "judgement": items(policy.judgements),
        "posters": choices(policy.posters),
        "platforms": choices(policy.platforms),
        "steps": [
            {
                "id": s.id, "title": s.title, "stage": s.stage,
                "when": [str(c) for c in s.when], "at_once_when": [str(c) for c in s.at_once_when],
                "after": list(s.after), "urgent": s.urgent, "urgent_when": [str(c) for c in s.urgent_when],
                "letters": list(s.letters), "platform_report": s.platform_report, "policy_text": s.policy_text,
            }
            for s in policy.steps
        ],
        "outcomes": [
            {"id": o.id, "title": o.title, "leads_to": o.leads_to, "policy_text": o.policy_text}
            for o in policy.outcomes
        ],
    })


def to_json(document: Any) -> str:
    """The stable JSON text of a document (UTF-8, keys in contract order)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _plain_document(value: dict[str, Any]) -> dict[str, Any]:
    """A document with its dates and times as ISO 8601 text."""
    plain: dict[str, Any] = _plain(value)
    return plain


def _plain(value: Any) -> Any:
    """Dates and times as ISO 8601 text; everything else as JSON already understands it."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


REVIEW_COLUMNS = ("id", "attention", "status", "verdict", "stage", "observed_on", "platform", "poster", "poster_ref",
                  "next_step", "next_step_title", "next_step_policy_text", "why")


def review_document(row: ReviewRow) -> dict[str, Any]:
    """One review row: the same keys for the table, `--json` and `--csv` (which leaves out `contract`)."""
    step = row.next_step
    return {
        "contract": CONTRACT,
        "id": row.id,
        "attention": "flagged" if row.status == "unreadable" else row.attention,
        "status": row.status,
        "verdict": row.verdict,
        "stage": row.stage,
        "observed_on": row.observed_on.isoformat() if row.observed_on else None,
        "platform": row.platform,
        "poster": row.poster,
        "poster_ref": row.poster_ref,
        "next_step": step.id if step else None,
        "next_step_title": step.title if step else None,
        "next_step_policy_text": step.policy_text if step else None,
        "why": [*row.urgent, *row.overdue, *row.flags],
    }


def summary_document(data: dict[str, Any]) -> dict[str, Any]:
    """The governors' counts, for `review --summary --json`."""
    return {"contract": CONTRACT, **data}


def verify_document(result: Verification) -> dict[str, Any]:
    """What `case verify --json` prints."""
    return {"contract": CONTRACT, "cases": result.cases, "attachments": result.attachments,
            "problems": result.problems, "leftovers": [str(p) for p in result.leftovers],
            "removed": [str(p) for p in result.removed], "notes": result.notes, "heads": result.heads,
            "chain": result.chain, "ok": result.ok}


def bundle_document(report: BundleReport) -> dict[str, Any]:
    """What `case export --json` and `bundle verify --json` print: the bundle, its files, and any problems."""
    return {"contract": CONTRACT, "bundle": str(report.path), "case_id": report.case_id,
            "created_at": report.created_at, "chain_head": report.chain_head,
            "manifest_sha256": report.manifest_sha256,
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in report.files],
            "problems": list(report.problems), "ok": report.ok}


def json_line(document: Any) -> bytes:
    """A document as one line of JSON (UTF-8), as each element of a long list is written."""
    return _LINE.encode(document).encode("utf-8")


def json_array(texts: Sequence[bytes]) -> Iterator[bytes]:
    """A JSON array (UTF-8, one element a line) from the JSON text (UTF-8) of each element, in pieces:
    a trust's list is hundreds of megabytes, never joined into one."""
    yield b"["
    for n, text in enumerate(texts):
        yield text if n == 0 else b",\n" + text
    yield b"]\n"


def to_csv(rows: list[dict[str, Any]], *, excel: bool = False) -> str:
    """Review rows as CSV with a header; a list (`why`) is joined with "; ".

    `excel`: the form Excel opens as it is meant to be read: a byte-order
    mark first (without it Excel reads UTF-8 as its own code page, and the
    policy's "–" and quotation marks become mojibake), Windows line ends,
    and a `'` before any cell that starts with = + - @ (or a tab or a
    carriage return), so Excel shows it as text and never runs it as a
    formula. Without `excel` every cell is exactly as it is in the JSON.
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REVIEW_COLUMNS, lineterminator="\r\n" if excel else "\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        cells = {k: "; ".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in row.items()}
        writer.writerow({k: _inert(v) for k, v in cells.items()} if excel else cells)
    return ("\ufeff" if excel else "") + out.getvalue()


def _inert(value: Any) -> Any:
    """A cell Excel will show as text: a leading `'` where it would otherwise start a formula."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
