"""cli/case_history.py: `hesket case record | note | void`: add to a case's history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output
from .app import settings
from .case import app
from .options import (
    By,
    CaseId,
    Json,
    Note,
    On,
    WholeNumber,
    complete_event,
    moment,
    retention,
    typed_date,
    workspace,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ..casework.common import CaseOutcome


@app.command("record")
def case_record(
    ctx: typer.Context,
    case_id: CaseId,
    event: Annotated[str | None, typer.Argument(
        metavar="EVENT", help="A step of the policy, an outcome, close_case or reopen_case, or the start of "
                              "one (discuss); left out, what may be recorded now is listed.",
        show_default=False, autocompletion=complete_event)] = None,
    by: By = None,
    note: Note = None,
    on: On = None,
    override: Annotated[bool, typer.Option(
        "--override", help="Record a step the policy does not permit yet (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT",
        help="Why the policy is being overridden, or why a live case is closed (kept in the case).")] = None,
    ref: Annotated[str | None, typer.Option(
        "--ref", metavar="REF",
        help="A reference kept elsewhere: the safeguarding log's entry, the platform's report number.")] = None,
    as_json: Json = False,
) -> None:
    """Record what happened in a case: a step taken, an outcome, or closing and reopening it.

    A step the policy does not permit now is refused (exit 5) and nothing is
    written, unless overridden with --override --reason, which keeps the
    reason and who gave it. Closing a case whose next step is not to close
    it needs --reason (no --override). A date (--on) before what the event
    follows, before the post was seen, or in the future is refused (exit 3).
    A closed case accepts only reopen_case.

    \b
    EVENT is one of:
      steps:    the policy's steps (hesket policy show lists them), e.g.
                discuss_and_request_removal, written_warning, contact_police
      outcomes: removed, refused, continued (after the discussion)
      case:     close_case, reopen_case
      notices:  the events that complete the school's notices, e.g.
                safeguarding_referred --ref CPOMS-12345
      setting:  contact_helpline, the school's own setting (not the
                policy's): POSH, 2 days after contact_provider

    \b
    Examples:
      hesket case record 2026-0001 discuss_and_request_removal \\
          --note "Phoned Mr Example"
      hesket case record 2026-0001 refused --on 20/11/2026
      hesket case record 2026-0001 written_warning --by "Mrs A Example"
      hesket case record 2026-0001 contact_police --override \\
          --reason "Head's decision after a second threat"
      hesket case record 2026-0001 safeguarding_referred --ref CPOMS-12345
      hesket case record 2026-0001 close_case --reason "Parent apologised"
    """
    from ..casework.history import record_event

    now = moment()
    result = record_event(workspace(ctx), case_id, event, now, by=by, note=note,
                          on=typed_date("--on", on, now.today), override=override, reason=reason, ref=ref)
    show_recorded(ctx, result, as_json)


@app.command("decline")
def case_decline(
    ctx: typer.Context,
    case_id: CaseId,
    step: Annotated[str, typer.Argument(metavar="STEP", help="A step the policy permits now.",
                                        show_default=False)],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it was decided not to take it.",
                                        show_default=False)],
    by: By = None,
    on: On = None,
    as_json: Json = False,
) -> None:
    """Record a decision not to take a step the policy permits: who decided, when and why.

    The policy leaves some steps to the school's judgement ("where the
    school feels it appropriate to do so"). A declined step is no longer
    urgent or overdue and leaves the suggested next step; it stays
    permitted, and taking it later is recorded as usual.

    \b
    Examples:
      hesket case decline 2026-0003 contact_police --reason "Removed in an hour"
    """
    from ..casework.decisions import decline_step

    now = moment()
    result = decline_step(workspace(ctx), case_id, step, reason, now, by=by, on=typed_date("--on", on, now.today))
    show_recorded(ctx, result, as_json)


@app.command("correct")
def case_correct(
    ctx: typer.Context,
    case_id: CaseId,
    number: Annotated[int, typer.Argument(metavar="N", help="The event's number in the history (case show).",
                                          show_default=False,
                                          click_type=WholeNumber("an event's number in the history (case show)"))],
    on: Annotated[str, typer.Option("--on", metavar="DATE", help="The date it really happened.",
                                    show_default=False)],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the date was wrong.",
                                        show_default=False)],
    by: By = None,
    as_json: Json = False,
) -> None:
    """Correct the date an event happened. Events are never edited: the correction is a further event,
    and the history shows the corrected date with the original still visible.

    A corrected date obeys the rules a recorded one does, over the whole
    history: an event cannot be moved before what it follows in the policy,
    after what follows it, before the post was seen, or into the future
    (exit 3, nothing written).

    \b
    Examples:
      hesket case correct 2026-0001 3 --on 21/11/2026 \\
          --reason "The letter was dated 21 November"
    """
    from ..casework.decisions import correct_date

    now = moment()
    when = typed_date("--on", on, now.today)
    assert when is not None
    result = correct_date(workspace(ctx), case_id, number, when, reason, now, by=by)
    show_recorded(ctx, result, as_json)


@app.command("note")
def case_note(
    ctx: typer.Context,
    case_id: CaseId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.", show_default=False)],
    by: By = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE",
        help="The date it refers to: YYYY-MM-DD, DD/MM/YYYY, today or yesterday (default: today).")] = None,
    as_json: Json = False,
) -> None:
    """Add a free note to a case's history (events are never edited: a note corrects a mistake).

    \b
    Examples:
      hesket case note 2026-0001 "Parent phoned back; meeting booked for Friday"
      hesket case note 2026-0001 --on 21/11/2026 \\
          "The warning letter was dated 21 November, not 20"
    """
    from ..casework.history import add_note

    now = moment()
    result = add_note(workspace(ctx), case_id, text, now, by=by, on=typed_date("--on", on, now.today))
    show_recorded(ctx, result, as_json)


@app.command("void")
def case_void(
    ctx: typer.Context,
    case_id: CaseId,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the case was made by mistake.",
                                        show_default=False)],
    by: By = None,
    on: On = None,
    as_json: Json = False,
) -> None:
    """Void a case made by mistake: it is kept with its history, never deleted, and leaves review and counts.

    A void case is out of `review`, `review --check`, the default `case list`
    and the governors' counts; `case list --status all` still shows it,
    marked void, and `case show` shows who voided it, when and why.

    \b
    Examples:
      hesket case void 2026-0007 \\
          --reason "Triaged twice by mistake; the real case is 2026-0006"
    """
    from ..casework.decisions import void_case

    now = moment()
    result = void_case(workspace(ctx), case_id, reason, now, by=by, on=typed_date("--on", on, now.today))
    show_recorded(ctx, result, as_json)


def show_recorded(ctx: click.Context, result: CaseOutcome, as_json: bool) -> None:
    """What a change to a case leaves: JSON, or the message and the assessment now."""
    from ..views import case_document

    for notice in result.notices:
        output.message(notice, err=True)
    doc = case_document(result.case, result.assessment, result.policy, retention=retention(ctx))
    if as_json:
        output.write_json(doc)
        return
    from ..render import said
    from ..render.case import show_assessment

    def draw(console: Console) -> None:
        console.print(said(result.message))
        show_assessment(console, doc, with_reasons=False)

    output.show(settings(ctx), draw)
