"""cli/subject_access.py: `hesket subject-access`: every case about one person as a draft to review, and the
ICO's deadline for answering the request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..describe import plural
from ..errors import InvalidInput, UsageError, WriteFailed
from . import output
from .options import Json, moment, retention, typed_date, workspace

if TYPE_CHECKING:
    from ..casework.exports import SubjectAccess
    from ..deadlines import SarDeadlines

app = typer.Typer(rich_markup_mode=None, add_completion=False)
FORMATS = (".docx", ".html")


def command(name: str) -> click.Command:
    """The click command `hesket subject-access`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def subject_access(
    ctx: typer.Context,
    poster: Annotated[str | None, typer.Option(
        "--poster", metavar="TEXT",
        help="Gather every case whose poster reference contains this (any case), e.g. \"J.S.\".")] = None,
    case_ids: Annotated[list[str] | None, typer.Option(
        "--case", metavar="ID", help="A case to include (repeat for each); with or without --poster.")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="FILE",
        help="Write the draft here: FILE.docx (Word) or FILE.html. Never replaces a file.")] = None,
    received: Annotated[str | None, typer.Option(
        "--received", metavar="DATE",
        help="The day the request reached the school: prints the ICO deadline (and puts it in the draft).")]
    = None,
    as_json: Json = False,
) -> None:
    """Gather every case about one person for a subject access request, as a draft to review; its deadline.

    A parent may ask, in any words and to anyone at the school, for the
    personal data held about them; every case about them is that. The draft
    (Word or HTML) holds each case, its history and its evidence list, with
    every field that may identify someone else (children named in a summary,
    staff names, notes, file names) highlighted "review before disclosure"
    and listed at the start: it is for a person to review, never to send as
    it is. A --poster no case matches, or a --case with no such case, is
    refused (exit 4) and nothing is written. With --received, the deadline
    under the ICO's rule: one month from the day of receipt, to the next
    working day when it falls on a weekend or bank holiday (England and
    Wales; a school adds its own closures in hesket.toml, [subject_access]
    closures).

    \b
    Examples:
      hesket subject-access --received 31/01/2026
      hesket subject-access --poster "J.S." --out sar-js.docx
      hesket subject-access --poster "J.S." --case 2026-0003 \\
          --received 20/11/2026 --out sar-js.html
    """
    now = moment()
    day = typed_date("--received", received, now.today)
    place = workspace(ctx, read_only=True)
    if poster is None and not case_ids:
        if out is not None:
            raise UsageError("--out: say whose data to gather with --poster TEXT and/or --case ID")
        if day is None:
            raise UsageError("say what to do: --received DATE for the deadline, or --poster TEXT / --case ID "
                             "with --out FILE for the draft")
        from ..casework.exports import subject_access_deadline

        _show_deadline(subject_access_deadline(place, day, now), as_json)
        return
    target = _draft_path(out)
    from ..casework.exports import gather_subject_access

    found = gather_subject_access(place, poster, case_ids or [], now, day)
    places = _write_draft(target, found, poster or "", now.today, [_document(ctx, c) for c in found.cases])
    if as_json:
        from ..views import CONTRACT

        output.write_json({"contract": CONTRACT, "out": str(target), "cases": [c.case.id for c in found.cases],
                           "matched_posters": found.matched_posters, "places_to_review": places,
                           "deadline": found.deadline.isoformat() if found.deadline else None})
        return
    ids = ", ".join(c.case.id for c in found.cases) or "none found"
    output.message(f"Wrote a draft of {plural(len(found.cases), 'case')} ({ids}) to {target}: "
                   f"{plural(places, 'place')} that may "
                   "identify someone else are highlighted and listed at the start. Review it before anything is "
                   "disclosed.")


def _draft_path(out: str | None) -> Path:
    """Where to write the draft: a .docx or .html file; a usage error otherwise."""
    if out is None:
        raise UsageError("--out FILE.docx or --out FILE.html: where to write the draft")
    target = Path(out)
    if target.suffix.lower() not in FORMATS:
        raise UsageError(f"--out: {out!r} is neither .docx nor .html; name the draft FILE.docx or FILE.html")
    from ..casework.common import refuse_to_replace

    refuse_to_replace(target, "--out")
    return target


def _document(ctx: click.Context, result: Any) -> dict[str, Any]:
    from ..views import case_document

    return case_document(result.case, result.assessment, result.policy, retention=retention(ctx))


def _write_draft(target: Path, found: SubjectAccess, subject: str, today: dt.date,
                 documents: list[dict[str, Any]]) -> int:
    """Write the draft (Word or HTML, by the file's name) atomically, readable by you only; the places flagged."""
    from ..files import atomic_write
    from ..subject_access import build_draft, subject_access_docx, subject_access_html

    options: dict[str, Any] = {"matched_posters": found.matched_posters, "subject": subject, "school": found.school,
                               "prepared_on": today, "deadline": found.deadline}
    if not target.parent.is_dir():
        raise InvalidInput(f"--out: {target.parent}: no such folder; create it or choose another place")
    data = (subject_access_docx(documents, **options) if target.suffix.lower() == ".docx"
            else subject_access_html(documents, **options).encode("utf-8"))
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise WriteFailed(f"cannot write {target}: {exc.strerror or exc}; nothing was written") from None
    return len(build_draft(documents, **options).places)


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _show_deadline(found: SarDeadlines, as_json: bool) -> None:
    from ..deadlines import bank_holidays

    holidays = bank_holidays()
    if as_json:
        from ..views import CONTRACT

        output.write_json({
            "contract": CONTRACT, "received": found.received.isoformat(), "one_month": found.one_month.isoformat(),
            "deadline": found.deadline.isoformat(), "safe_28_days": found.safe_28_days.isoformat(),
            "skipped": [{"day": s.day.isoformat(), "why": s.why} for s in found.skipped], "source": found.source,
            "bank_holidays": {"source": holidays.source, "checked": holidays.checked.isoformat()}})
        return
    lines = [f"Received: {_long(found.received)}",
             f"Deadline: {_long(found.deadline)} (the ICO: \"without undue delay and at the latest within one "
             "month\")"]
    if found.skipped:
        lines.append(f"  One month on is {_long(found.one_month)}; moved past what is not a working day: "
                     + ", ".join(s.why for s in found.skipped))
    lines.append(f"A 28-day working target, always inside the month: {_long(found.safe_28_days)}")
    lines.append(f"Rule: {found.source}")
    lines.append(f"Bank holidays (England and Wales): {holidays.source}, checked {holidays.checked.isoformat()}")
    output.message("\n".join(lines))
