"""cli/case.py: `hesket case ...`: find a case again, add to its history, verify it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..describe import plural
from ..errors import InvalidInput
from . import output
from .app import CommandGroup
from .options import By, CaseId, Json, Note, On, StatusName, moment, status_option, typed_date, workspace

if TYPE_CHECKING:
    from rich.console import Console

    from ..casework.common import CaseOutcome
    from ..casework.verify import Verification

app = typer.Typer(
    help="Keep each case's history: show it, list cases, record steps and outcomes, add notes and evidence, "
         "and verify the files.",
    epilog="\b\nExamples:\n  hesket case list\n  hesket case show 2026-0001\n"
           "  hesket case record 2026-0001 discuss_and_request_removal\n  hesket case verify",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket case`, each command built when it is run."""
    return CommandGroup(app, name)


@app.command("show")
def case_show(
    ctx: typer.Context, case_id: CaseId, as_json: Json = False,
    as_triaged: Annotated[bool, typer.Option(
        "--as-triaged", help="Show it under the version of the policy it was triaged under, with its words.")]
    = False,
) -> None:
    """Show a case: what was seen, its assessment under the policy in use now, and its history.

    \b
    Examples:
      hesket case show 2026-0001
      hesket case show 2026-0001 --as-triaged
      hesket case show 2026-0001 --json
    """
    from ..casework.lookup import show_case

    result = show_case(workspace(ctx, read_only=True), case_id, as_triaged=as_triaged)
    from ..views import case_document

    doc = case_document(result.case, result.assessment, result.policy)
    if as_json:
        output.write_json(doc)
        return
    from ..render import said
    from ..render.case import show_case as draw_case

    def draw(console: Console) -> None:
        if result.message:
            console.print(said(result.message, "warning"))
        draw_case(console, doc, result.policy)

    output.show(ctx, draw, page=True)


@app.command("list")
def case_list(
    ctx: typer.Context,
    status: Annotated[StatusName, status_option("Which cases to list: open, closed or all (default: open).")]
    = "open",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of cases (each as in case show --json).")]
    = False,
) -> None:
    """List cases, newest first: id, date seen, platform, poster, verdict, next step, status.

    A case file that cannot be read is reported on standard error and the
    others are still listed.

    \b
    Examples:
      hesket case list
      hesket case list --status all
      hesket case list --json
    """
    from ..casework.lookup import list_cases
    from ..views import case_document, json_array

    place = workspace(ctx)
    listing = list_cases(place, status.lower(), case_document)
    output.warnings(listing.warnings)
    if as_json:
        output.write_bytes(json_array(listing.texts))
        return
    from ..render.case import show_case_list

    docs = [json.loads(text) for text in listing.texts]
    policy = place.policy()
    output.show(ctx, lambda console: show_case_list(console, docs, policy), page=True)


@app.command("record")
def case_record(
    ctx: typer.Context,
    case_id: CaseId,
    event: Annotated[str, typer.Argument(
        metavar="EVENT", help="A step of the policy, an outcome, close_case or reopen_case.", show_default=False)],
    by: By = None,
    note: Note = None,
    on: On = None,
    override: Annotated[bool, typer.Option(
        "--override", help="Record a step the policy does not permit yet (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT", help="Why the policy is being overridden (kept in the case).")] = None,
    as_json: Json = False,
) -> None:
    """Record what happened in a case: a step taken, an outcome, or closing and reopening it.

    A step the policy does not permit now is refused (exit 5) and nothing is
    written, unless overridden with --override --reason, which keeps the
    reason and who gave it. A closed case accepts only reopen_case.

    \b
    EVENT is one of:
      steps:    the policy's steps (hesket policy show lists them), e.g.
                discuss_and_request_removal, written_warning, contact_police
      outcomes: removed, refused, continued (after the discussion)
      case:     close_case, reopen_case

    \b
    Examples:
      hesket case record 2026-0001 discuss_and_request_removal --note "Phoned Mr Example"
      hesket case record 2026-0001 refused --on 20/11/2026
      hesket case record 2026-0001 written_warning --by "Mrs A Example"
      hesket case record 2026-0001 contact_police --override \\
          --reason "Head's decision after a second threat"
      hesket case record 2026-0001 close_case
    """
    from ..casework.history import record_event

    now = moment()
    result = record_event(workspace(ctx), case_id, event, now, by=by, note=note,
                          on=typed_date("--on", on, now.today), override=override, reason=reason)
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
      hesket case note 2026-0001 "The warning letter was dated 21 November, not 20" --on 21/11/2026
    """
    from ..casework.history import add_note

    now = moment()
    result = add_note(workspace(ctx), case_id, text, now, by=by, on=typed_date("--on", on, now.today))
    show_recorded(ctx, result, as_json)


@app.command("attach")
def case_attach(
    ctx: typer.Context,
    case_id: CaseId,
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Screenshots, saved pages, PDFs.", show_default=False)],
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="What the files show.")] = None,
    by: By = None,
    max_size: Annotated[int | None, typer.Option(
        "--max-size", metavar="MB", min=1, help="The largest file to accept, in MB (default: 100).")] = None,
    as_json: Json = False,
) -> None:
    """Keep evidence with a case: copy each file into the case's folder and record its SHA-256.

    The copies are readable by you only. `hesket case verify` later checks
    that none has changed or gone missing. Only regular files are accepted,
    each at most 100 MB unless --max-size says more.

    \b
    Examples:
      hesket case attach 2026-0001 screenshot.png
      hesket case attach 2026-0001 post.png comments.pdf --note "Taken before the post was deleted"
    """
    from ..casework.history import attach_evidence

    result = attach_evidence(workspace(ctx), case_id, files, moment(), by=by, note=note, max_mb=max_size)
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
      hesket case void 2026-0007 --reason "Triaged twice by mistake; the real case is 2026-0006"
    """
    from ..casework.history import void_case

    now = moment()
    result = void_case(workspace(ctx), case_id, reason, now, by=by, on=typed_date("--on", on, now.today))
    show_recorded(ctx, result, as_json)


@app.command("verify")
def case_verify(
    ctx: typer.Context,
    case_id: Annotated[str | None, typer.Argument(
        metavar="[ID]", help="One case to check (default: every case).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Remove what killed commands left behind (listed first); never a case or its evidence.")]
    = False,
) -> None:
    """Check that case files load, that no evidence is missing or changed, and that nothing was left behind.

    Left behind by a command that was killed: a triage's unfinished copy of a
    case (a hidden .new-* folder) and an evidence copy no event names. Both
    hold personal data; --repair removes them. Exit 3 if anything is wrong.

    \b
    Examples:
      hesket case verify
      hesket case verify 2026-0001
      hesket case verify --repair
    """
    from ..casework.verify import verify

    result = verify(workspace(ctx), moment().today, case_id, repair=repair)
    if as_json:
        from ..views import verify_document

        output.write_json(verify_document(result))
    else:
        _show_verification(result)
    if not result.ok:
        raise InvalidInput("see the problems above; nothing was changed" if not result.removed else
                           "see the problems above; only the leftovers listed as removed were changed")


def _show_verification(result: Verification) -> None:
    for problem in result.problems:
        output.message(f"Problem: {problem}")
    for path in result.leftovers:
        what = "removed" if path in result.removed else "left behind by a command that was stopped"
        output.message(f"Leftover: {path} ({what})")
    verdict = "all as recorded" if result.ok else plural(len(result.problems) + len(result.leftovers)
                                                         - len(result.removed), "problem")
    output.message(f"Checked {plural(result.cases, 'case')} and {plural(result.attachments, 'attachment')}: "
                   f"{verdict}.")


def show_recorded(ctx: click.Context, result: CaseOutcome, as_json: bool) -> None:
    """What a change to a case leaves: JSON, or the message and the assessment now."""
    from ..views import case_document

    for notice in result.notices:
        output.message(notice, err=True)
    doc = case_document(result.case, result.assessment, result.policy)
    if as_json:
        output.write_json(doc)
        return
    from ..render import said
    from ..render.case import show_assessment

    def draw(console: Console) -> None:
        console.print(said(result.message))
        show_assessment(console, doc, with_reasons=False)

    output.show(ctx, draw)
