"""cli/case.py: the `hesket case` group, and finding a case again: show, list (their bodies in reading.py), find.

The group's other commands live beside it: case_history.py (record, note,
void) and case_evidence.py (attach, verify, export).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output, reading
from .app import CommandGroup, settings
from .options import CaseId, Json, StatusName, status_option, workspace

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Find, show and list cases; record steps, outcomes and decisions not to act; add notes and evidence; "
         "verify the files and export a sealed bundle.",
    epilog="\b\nExamples:\n  hesket case list\n  hesket case show 2026-0001\n"
           "  hesket case record 2026-0001 discuss_and_request_removal\n  hesket case verify",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket case`, each command built when it is run."""
    from . import case_evidence, case_history  # noqa: F401  (they add their commands to this group)

    return CommandGroup(app, name)


@app.command("show")
def case_show(
    ctx: typer.Context, case_id: CaseId, as_json: Json = False,
    as_triaged: Annotated[bool, typer.Option(
        "--as-triaged", help="Show it under the version of the policy it was triaged under, with its words.")]
    = False,
) -> None:
    """Show a case: what was seen, its assessment under the policy in use now, and its history.

    Its history is checked against its chain of hashes: one changed by hand
    is shown with a warning naming the first event that no longer matches,
    and the chain head it now reaches.

    \b
    Examples:
      hesket case show 2026-0001
      hesket case show 2026-0001 --as-triaged
      hesket case show 2026-0001 --json
    """
    reading.show_case(settings(ctx), case_id, as_json=as_json, as_triaged=as_triaged)


@app.command("list")
def case_list(
    ctx: typer.Context,
    status: Annotated[StatusName, status_option("Which cases to list: open, closed or all (default: open).")]
    = "open",
    poster: Annotated[str | None, typer.Option(
        "--poster", metavar="TEXT", help="Only cases whose poster reference contains TEXT (any case).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of cases (each as in case show --json).")]
    = False,
) -> None:
    """List cases, newest first: id, date seen, platform, poster, verdict, next step, status.

    A case file that cannot be read is reported on standard error and the
    others are still listed. A void case is listed only with --status all.

    \b
    Examples:
      hesket case list
      hesket case list --status all
      hesket case list --poster "4B"
      hesket case list --json
    """
    reading.list_cases(settings(ctx), status, poster=poster, as_json=as_json)


@app.command("find")
def case_find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for.", show_default=False)],
    status: Annotated[StatusName, status_option("Which cases: open, closed or all (default: all but void).")]
    = "all",
    as_json: Json = False,
) -> None:
    """Find cases by what they say: summaries, poster references, notes and locations, in any case.

    Exits 0 with the cases that matched, newest first, or with a line saying
    none did.

    \b
    Examples:
      hesket case find "J.S."
      hesket case find "year 4 whatsapp" --status open
    """
    from ..casework.search import find_cases

    statuses = {"open": {"open"}, "closed": {"closed"}, "all": {"open", "closed"}}[status.lower()]
    place = workspace(ctx)
    found = find_cases(place, text, statuses=frozenset(statuses))
    output.warnings(found.warnings)
    if as_json:
        from ..views import CONTRACT

        output.write_json([{"contract": CONTRACT, **m._asdict()} for m in found.matches])
        return
    if not found.matches:
        output.message(f"No case matched {text!r}.")
        return
    from ..describe import plural

    platforms = {p.id: p.title for p in place.policy().platforms}  # JSON keeps the ids; a person reads titles
    lines = [f"{m.id}  {m.observed_on}  {platforms.get(m.platform, m.platform)}  {m.status}"
             + (f"  ({'; '.join(m.poster_refs)})" if m.poster_refs else "") for m in found.matches]
    output.message("\n".join([*lines, plural(len(found.matches), "case") + " matched."]))
