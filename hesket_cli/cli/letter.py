"""cli/letter.py: `hesket letter ID KIND`: a letter drafted from a case, as Word or plain text."""

from __future__ import annotations

from typing import Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output
from .options import By, CaseId, moment, workspace

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket letter`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def letter(
    ctx: typer.Context,
    case_id: CaseId,
    kind: Annotated[str, typer.Argument(
        metavar="KIND", help="Which letter: one the policy's steps call for (see below).", show_default=False)],
    out: Annotated[str | None, typer.Option(
        "--out", "-o", metavar="FILE",
        help="Where to save it (default: ID-KIND.docx here; with --text, printed). Never replaces a file.")] = None,
    as_text: Annotated[bool, typer.Option("--text", help="Plain text instead of a Word document.")] = False,
    keep: Annotated[bool, typer.Option(
        "--keep", help="Also keep the letter as drafted with the case, as evidence with its SHA-256.")] = False,
    to: Annotated[str | None, typer.Option(
        "--to", metavar="NAME", help="Who it is to, e.g. \"Mr P Example\" (default: a [parent's name] placeholder).")]
    = None,
    with_summary: Annotated[bool, typer.Option(
        "--with-summary", help="Include the staff member's summary (legal_advice_brief only has a place for it).")]
    = False,
    with_notes: Annotated[bool, typer.Option(
        "--with-notes", help="Include the case's notes (legal_advice_brief only has a place for them).")] = False,
    by: By = None,
) -> None:
    """Draft a letter from a case, for a person to read, edit and sign: Word (.docx) or plain text.

    The letter quotes the post exactly as captured (`case capture --text`;
    never the summary), the policy's own words for its step, and the dates,
    with the school's name from the policy and its address and signatory
    from the workspace's settings ([letters] in hesket.toml; marked
    placeholders where unset). A letter is offered only when the policy
    permits its step now, or the step was already taken; otherwise it is
    refused (exit 5) in the policy's words. A workspace's own copy of a
    template (templates/KIND.txt in the workspace) is used instead of
    hesket's. No letter asserts defamation or an offence. Each child's name
    recorded with the case (`case redact`) is shown in the quote as [child's
    name removed]; while none is recorded, a warning says so.

    \b
    KIND is one of the letters the policy's steps call for:
      discussion_invitation  invitation to a private discussion
      discussion_record      a note of the discussion, for the parent
      written_warning        the written warning, asking for removal
      access_restricted      access to the school's website or forum restricted
      legal_advice_brief     a brief for the school's legal advisers: facts,
                             chronology, evidence with hashes, steps taken

    \b
    Examples:
      hesket letter 2026-0001 written_warning --to "Mr P Example"
      hesket letter 2026-0001 written_warning --text
      hesket letter 2026-0001 legal_advice_brief --out brief.docx --keep
    """
    from ..casework.letters import Asked, draft_letter
    from ..letter_docx import letter_docx

    drafted = draft_letter(workspace(ctx), case_id, kind, moment(), render=None if as_text else letter_docx,
                           out=out, keep=keep, by=by,
                           asked=Asked(addressee=to, with_summary=with_summary, with_notes=with_notes))
    if drafted.saved is None:
        output.message(drafted.data.decode("utf-8").rstrip("\n"))
    else:
        output.message(f"Drafted {drafted.title.lower()} for case {case_id}: {drafted.saved}", err=True)
    if drafted.kept is not None:
        output.message(drafted.kept.message, err=True)
