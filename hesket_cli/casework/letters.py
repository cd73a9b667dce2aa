"""casework/letters.py: a letter drafted from a case, for a person to edit and sign: Word or plain text.

The facts come from the case (the post's exact words from its capture,
never the summary, with each name recorded to be kept out (`case redact`)
shown as "[child's name removed]", and a warning where none was recorded;
the dates; the evidence with its hashes; the steps taken
and declined), the policy (the school's name, the step's own words) and the
workspace's settings (address and signatory; clearly marked placeholders
where unset). A letter is offered only when the policy permits its step or
the step was taken (refusals.judge_letter). A workspace's own templates
(`templates/` in it) win over hesket's. Bad input writes nothing: the file
is written only once everything else has been checked, and a letter kept as
evidence that cannot be recorded takes its new file away again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..case import CAPTURE, DECLINE, EVIDENCE, NOTE, POST, Attachment, Capture, Case, Event, dates_in_effect, kept_files
from ..engine import Assessment, assess_case
from ..errors import InvalidInput, Refused, UsageError, WriteFailed
from ..policy import Policy, Step
from ..refusals import judge_event, judge_letter
from ..store import validate_case_id
from ..workspace import Workspace
from .common import (
    CaseOutcome,
    Moment,
    check_binding,
    clean_name,
    later_answers,
    outcome,
    recorder,
    refuse_to_replace,
    with_events,
)

if TYPE_CHECKING:
    from ..letters import Letter, LetterFacts

TEMPLATES = "templates"


class Drafted(NamedTuple):
    """A drafted letter: its bytes (.docx, or UTF-8 text), where it was saved, and the case if it was kept."""

    kind: str
    title: str
    data: bytes
    as_text: bool
    saved: Path | None
    kept: CaseOutcome | None
    template: str


class Asked(NamedTuple):
    """What the person asked for beyond the kind: who the letter is to, and what else to include."""

    addressee: str | None = None
    with_summary: bool = False
    with_notes: bool = False


def draft_letter(workspace: Workspace, case_id: str, kind: str, moment: Moment, *,
                 render: Callable[[Letter], bytes] | None = None, out: str | None = None, keep: bool = False,
                 by: str | None = None, asked: Asked | None = None) -> Drafted:
    """Draft the letter of this kind for the case; save it (`out`, or `<ID>-<kind>.docx` for Word), keep it.

    `render` lays the letter out as a Word document's bytes (the caller's
    choice of layout); without it the letter is plain text, printed unless
    `out` names a file. Exit 2 for a kind the policy does not call for
    (with the list), 5 for a letter whose step the policy does not permit
    now, 3 for a bad template or a file that cannot be written. Nothing is
    written then.
    """
    from ..letters import letter_text, render_letter

    as_text = render is None

    validate_case_id(case_id)
    policy = workspace.policy()
    _known_kind(policy, kind)
    asked = asked or Asked()
    if asked.addressee is not None:  # one line in the address block and the greeting: never blank, never two
        asked = asked._replace(addressee=clean_name(asked.addressee, "--to", whose="the person the letter is to",
                                                    example="--to"))
    case = workspace.store().load(case_id)
    refusal = judge_letter(policy, case.answers, case.events, kind, later=later_answers(case))
    if refusal is not None:
        raise Refused(refusal.message(case.id))
    if keep:
        check_binding(case, policy, workspace)
        _refuse_unless(policy, case, EVIDENCE)
    step = policy.letter_step(kind)
    assert step is not None
    template_dir = workspace.root / TEMPLATES if workspace.root is not None else None
    letter = render_letter(kind, letter_facts(policy, case, step, workspace, moment.today, asked), template_dir)
    data = letter_text(letter).encode("utf-8") if render is None else render(letter)
    target = _target(case.id, kind, out, as_text)
    if target is not None:
        _save(target, data)
    try:
        kept = _keep(workspace, case.id, letter, data, as_text, moment, by) if keep else None
    except BaseException:
        if target is not None:
            with contextlib.suppress(OSError):
                target.unlink()
        raise
    warn_unless_redacted(case, "letter")
    return Drafted(kind, letter.title, data, as_text, target, kept, letter.template)


def _known_kind(policy: Policy, kind: str) -> None:
    from ..letters import KINDS

    if kind in policy.letters:
        return
    called = ", ".join(policy.letters) or "none"
    if kind in KINDS:
        raise UsageError(f"no step of the policy in use calls for a {kind} letter (a step's `letters` in the "
                         f"policy); letters it calls for: {called}")
    raise UsageError(f"unknown letter {kind!r}; letters the policy calls for: {called}")


def _refuse_unless(policy: Policy, case: Case, event: str) -> None:
    refusal = judge_event(policy, case.answers, case.events, event, later=later_answers(case))
    if refusal is not None:
        raise Refused(f"--keep: {refusal.message(case.id)}")


def _target(case_id: str, kind: str, out: str | None, as_text: bool) -> Path | None:
    """Where the letter goes: --out, else `<ID>-<kind>.docx` here; a text letter without --out is printed."""
    if out is None:
        return None if as_text else Path(f"{case_id}-{kind}.docx")
    target = Path(out)
    if not as_text and target.suffix.lower() != ".docx":
        raise UsageError(f"--out: a Word letter is saved as .docx; name it like {target.stem or kind}.docx, "
                         "or add --text for plain text")
    return target


def _save(target: Path, data: bytes) -> None:
    """Write the letter as a new file, atomically; an existing file (perhaps already edited) is never replaced."""
    from ..files import atomic_write

    refuse_to_replace(target, "--out", " (perhaps already edited)")
    if not target.parent.is_dir():
        raise InvalidInput(f"--out: {target.parent} is not a folder; give a file in an existing folder; "
                           "nothing was written")
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise WriteFailed(f"--out: cannot write {target}: {exc.strerror or exc}; nothing was written") from None


def _keep(workspace: Workspace, case_id: str, letter: Letter, data: bytes, as_text: bool, moment: Moment,
          by: str | None) -> CaseOutcome:
    """The letter as drafted kept with the case as evidence, with its SHA-256 (the signed copy may differ)."""
    from ..evidence import attach
    from .history import evidence_limit

    who = recorder(by)
    policy = workspace.policy()
    note = f"{letter.title} ({letter.kind}) as drafted by hesket from the case, before any editing or signing"
    name = f"{case_id}-{letter.kind}.{'txt' if as_text else 'docx'}"

    def check(case: Case) -> None:
        check_binding(case, policy, workspace)
        _refuse_unless(policy, case, EVIDENCE)

    def record(case: Case, attachments: list[Attachment]) -> Case:
        added = tuple(Event(event=EVIDENCE, at=moment.now, on=moment.today, by=who, note=note, attachment=a)
                      for a in attachments)
        return with_events(case, added, policy)

    case = attach(workspace.store(), case_id, [], record, check=check, limit=evidence_limit(workspace, None),
                  drafted=[(name, data)])
    return outcome(case, policy, f"Kept {name} with case {case.id} as evidence.", today=moment.today)


# -- the facts ---------------------------------------------------------------------------------------


def letter_facts(policy: Policy, case: Case, step: Step, workspace: Workspace, today: dt.date,
                 asked: Asked | None = None) -> LetterFacts:
    """Everything the letter may say, from the case, the policy and the workspace's settings; each name
    recorded to be kept out is taken out of the post's words, and of the summary and notes when asked for."""
    from ..letters import LetterFacts
    from ..redaction import redact

    asked = asked or Asked()
    now = assess_case(policy, case)
    settings = workspace.settings
    incident = case.answers.incident
    names = case.redactions
    return LetterFacts(
        case_id=case.id, school=workspace.school, today=today,
        platform=policy.title_of("platform", incident.platform), observed_on=incident.observed_on,
        step_title=step.title, step_policy_text=step.policy_text, policy_title=policy.header.title,
        addressee=asked.addressee,
        school_address=settings.address if settings else None, signatory=settings.signatory if settings else None,
        **post_facts(latest_capture(case.events), names), **history_facts(policy, case),
        step_on=step_on(case, step.id), outcome=_outcome_recorded(policy, case), raise_concerns=policy.raise_concerns,
        post=poster.in_letters if (poster := policy.poster(incident.poster)) is not None else None,
        concerns=tuple(r.policy_text for r in now.reasons if r.kind == "checklist"),
        further_steps=_further(policy, now, case.events, step),
        include_summary=asked.with_summary, summary=redact(incident.summary, names).text,
        include_notes=asked.with_notes,
        notes=tuple(redact(e.note, names).text for e in case.events if e.event == NOTE and e.note),
    )


def history_facts(policy: Policy, case: Case) -> dict[str, Any]:
    """The case's history as a letter tells it, by the dates in effect: the chronology (no free text of notes),
    the date of the discussion, the steps taken and declined, and every file kept with its hash."""
    dates = dates_in_effect(case.events)
    dated = sorted(zip(dates, range(len(dates)), case.events, strict=True))
    incident = case.answers.incident
    seen = (incident.observed_on, f"The post was seen on {policy.title_of('platform', incident.platform)}")
    first = {s.id for s in policy.stage_steps("first")}
    return {
        "chronology": (seen, *((on, said) for on, _, event in dated if (said := _chronicled(policy, event)))),
        "discussion_on": next((on for on, _, e in reversed(dated) if e.event in first), None),
        "steps_taken": tuple((on, policy.step(e.event).title) for on, _, e in dated if e.event in _step_ids(policy)),
        "steps_declined": tuple((on, policy.title_of("step", e.step or ""), e.reason or "")
                                for on, _, e in dated if e.event == DECLINE),
        "evidence": tuple((a.name, a.size, a.sha256) for a, _ in kept_files(case)),
    }


def step_on(case: Case, step_id: str) -> dt.date | None:
    """The date the step was last recorded as happening (its `on`, as corrected); None if it was never recorded."""
    dates = dates_in_effect(case.events)
    return max((on for on, e in zip(dates, case.events, strict=True) if e.event == step_id), default=None)


def _outcome_recorded(policy: Policy, case: Case) -> str | None:
    """The title of the latest outcome recorded that led to escalation (by the dates in effect), or None."""
    dates = dates_in_effect(case.events)
    led = [(on, index, found.title) for index, (on, e) in enumerate(zip(dates, case.events, strict=True))
           if (found := policy.outcome(e.event)) is not None and found.leads_to == "escalation"]
    return max(led)[2] if led else None


def latest_capture(events: tuple[Event, ...]) -> Capture | None:
    """The latest capture of the post that holds its exact words (else the latest capture, else None)."""
    captures = [e.capture for e in events if e.event == CAPTURE and e.capture is not None]
    worded = [c for c in captures if c.text is not None and c.text.strip()]
    chosen = worded or captures
    return chosen[-1] if chosen else None


def post_facts(capture: Capture | None, names: Sequence[str] = ()) -> dict[str, Any]:
    """The post's address, account, posting time and exact words, as captured (all None without a capture),
    each of `names` in the words shown as "[child's name removed]" (redaction.py)."""
    from ..redaction import redact

    if capture is None:
        return {"post_url": None, "account": None, "posted_at": None, "exact_words": None}
    return {"post_url": capture.url, "account": capture.account, "posted_at": posted_when(capture.posted_at),
            "exact_words": None if capture.text is None else redact(capture.text, names).text}


def warn_unless_redacted(case: Case, what: str) -> None:
    """One warning where the post's words are quoted and no name was recorded to be kept out of them: a
    letter or a report pack must never name a child, and only the school knows which words are names."""
    import warnings

    from ..errors import HesketWarning

    capture = latest_capture(case.events)
    if capture is None or capture.text is None or not capture.text.strip() or case.redactions:
        return
    warnings.warn(HesketWarning(
        f"the {what} quotes the post's words exactly as captured, and no name is recorded to be left out of "
        f"them; letters and report packs must never name a child: record each child's name in the post with: "
        f"hesket case redact {case.id} NAME"), stacklevel=2)


def posted_when(text: str | None) -> dt.datetime | dt.date | str | None:
    """A capture's posting time as a date or a time (as kept, `YYYY-MM-DD[THH:MM]`); any other text as it is."""
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    except ValueError:
        return text


def _step_ids(policy: Policy) -> set[str]:
    return {s.id for s in policy.steps}


def _further(policy: Policy, now: Assessment, events: tuple[Event, ...], step: Step) -> tuple[str, ...]:
    """The policy's words for each further step permitted now and not yet taken, beyond this letter's."""
    taken = {e.event for e in events}
    return tuple(s.policy_text or "" for s in now.permitted
                 if s.id != step.id and s.id not in taken and policy.step(s.id).stage == "escalation")


def _chronicled(policy: Policy, event: Event) -> str | None:
    """One line of the chronology: what happened, in plain words; never a note's or a reason's free text."""
    notices = {n.done_by: n.title for n in policy.notices}
    if event.event in _step_ids(policy):
        return policy.step(event.event).title
    if policy.outcome(event.event) is not None or event.event in {a.id for a in policy.actions}:
        section = "outcome" if policy.outcome(event.event) is not None else "action"
        return policy.title_of(section, event.event)
    if event.event in notices:
        return f"{notices[event.event]}: done"
    described = {
        EVIDENCE: f"Evidence kept: {event.attachment.name}" if event.attachment else None,
        CAPTURE: f"The post captured as evidence ({event.capture.url})" if event.capture else None,
        DECLINE: f"Decided not to: {policy.title_of('step', event.step or '')}",
        POST: "A later post by the same person was added to the case",
    }
    return described.get(event.event)
