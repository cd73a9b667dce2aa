"""cli/purge.py: `hesket purge`: delete the cases past the school's retention period, after confirmation."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..describe import plural
from ..errors import UsageError
from . import output
from .options import By, Json, moment, workspace

if TYPE_CHECKING:
    from ..casework.purging import PurgePlan

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket purge`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def purge(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List the cases past their destroy-after date (ids and dates only); delete nothing.")]
    = False,
    yes: Annotated[bool, typer.Option(
        "--yes", help="Delete without asking (for a scheduled job); without it, hesket asks you to type to confirm.")]
    = False,
    log: Annotated[bool, typer.Option("--log", help="Show the purge log: what was deleted, when and by whom.")]
    = False,
    by: By = None,
    as_json: Json = False,
) -> None:
    """Delete the cases kept longer than the school's retention period, and log it.

    A case that has ended (closed, or voided) is kept for the school's
    period after the date it ended: [retention] after_closing in the
    workspace's hesket.toml, from the school's retention schedule (hesket
    suggests "6 years" until the school sets its own, and says so). After its
    destroy-after date it is due. An open case is never purged. Deleting
    removes the case's folder, its evidence and its rows in your index, for
    good, after you type to confirm (or with --yes); each case deleted is
    written to the purge log (ids, dates, the rule, who and when: no names).
    Not at a terminal and without --yes, nothing is deleted (exit 2).

    \b
    Examples:
      hesket purge --dry-run
      hesket purge
      hesket purge --yes --by "Mrs A Example"
      hesket purge --log
    """
    if log and (dry_run or yes):
        raise UsageError("--log shows what was purged before; leave out --dry-run and --yes")
    if dry_run and yes:
        raise UsageError("--dry-run deletes nothing, so it needs no --yes; leave one out")
    if log:
        _show_log(ctx, as_json)
        return
    from ..casework.purging import purge_cases, purge_plan

    now = moment()
    place = workspace(ctx, read_only=dry_run)
    plan = purge_plan(place, now.today)
    output.warnings(plan.warnings)
    if dry_run or not plan.due:
        _show_plan(plan, as_json, dry_run=dry_run)
        return
    if not yes:
        _confirm(plan)
    done = purge_cases(place, plan, now, by=by)
    if as_json:
        from ..views import CONTRACT

        output.write_json({"contract": CONTRACT, "purged": done.entries, "kept": done.kept, "log": str(done.log)})
        return
    for entry in done.entries:
        output.message(f"Purged {entry['id']} ({entry['status']} {entry['closed_on']}, destroy after "
                       f"{entry['destroy_after']}).")
    for case_id in done.kept:
        output.message(f"Kept {case_id}: it is no longer past its destroy-after date (reopened since it was listed).")
    output.message(f"Logged in {done.log}; see it with: hesket purge --log")


def _rows(plan: PurgePlan) -> list[str]:
    return [f"{d.id}  {d.status} {d.closed_on.isoformat()}  destroy after {d.destroy_after.isoformat()}"
            for d in plan.due]


def _show_plan(plan: PurgePlan, as_json: bool, *, dry_run: bool) -> None:
    """The cases due, by id and dates only (no names): what a purge would delete."""
    if as_json:
        from ..views import CONTRACT

        document: dict[str, Any] = {
            "contract": CONTRACT, "dry_run": dry_run,
            "retention": {"after_closing": str(plan.retention.rule), "set_by": plan.retention.set_by},
            "due": [{"id": d.id, "status": d.status, "closed_on": d.closed_on.isoformat(),
                     "destroy_after": d.destroy_after.isoformat()} for d in plan.due]}
        output.write_json(document)
        return
    output.message(f"Retention: {plan.retention.describe()}.")
    if not plan.due:
        output.message("No case is past its destroy-after date: nothing to delete.")
        return
    output.message("\n".join(_rows(plan)))
    one = len(plan.due) == 1
    output.message(f"{plural(len(plan.due), 'case')} past {'its' if one else 'their'} destroy-after date would be "
                   f"deleted; nothing was deleted (--dry-run). To delete {'it' if one else 'them'}: hesket purge")


def _confirm(plan: PurgePlan) -> None:
    """Ask the person to type what they are doing; not at a terminal, refuse (exit 2) naming --yes."""
    count = len(plan.due)
    if not sys.stdin.isatty():
        raise UsageError(f"purge would delete {plural(count, 'case')} for good, and no one is at a terminal to "
                         "confirm; add --yes to delete them (see them first with --dry-run); nothing was deleted")
    output.message(f"Retention: {plan.retention.describe()}.")
    output.message("\n".join(_rows(plan)))
    wanted = f"delete {count}"
    these = "This case, its evidence and its index rows" if count == 1 else \
        f"These {count} cases, their evidence and their index rows"
    typed = typer.prompt(f"{these} will be deleted for good. Type '{wanted}' to confirm, or press Enter to keep them",
                         default="", show_default=False)
    if " ".join(typed.split()).lower() != wanted:
        output.message("Nothing was deleted.")
        raise typer.Exit(0)


def _show_log(ctx: click.Context, as_json: bool) -> None:
    from ..casework.purging import read_purge_log

    path, entries = read_purge_log(workspace(ctx, read_only=True))
    if as_json:
        from ..views import CONTRACT

        output.write_json([{"contract": CONTRACT, **entry} for entry in entries])
        return
    if not entries:
        output.message(f"Nothing has been purged (the log would be {path}).")
        return
    output.message(f"Purge log: {path}")
    output.message("\n".join(
        f"{e.get('purged_at')}  {e.get('id')}  {e.get('status')} {e.get('closed_on')}  destroy after "
        f"{e.get('destroy_after')}  ({e.get('rule')}, {e.get('rule_set_by')})  by {e.get('purged_by')}"
        for e in entries))

