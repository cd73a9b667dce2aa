"""cli/case_evidence.py: `hesket case attach | verify`: evidence kept with a case, and checking it all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..describe import plural
from ..errors import InvalidInput
from . import output
from .case import app
from .case_history import show_recorded
from .options import By, CaseId, Json, moment, workspace

if TYPE_CHECKING:
    from ..casework.verify import Verification


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
