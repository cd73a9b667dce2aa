"""cli/workspace.py: `hesket init` and `hesket status`: a school's own workspace, and what is in use."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..errors import UsageError
from . import output
from .app import CommandGroup
from .options import Json, workspace

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket init` or `hesket status`."""
    group = CommandGroup(app, "workspace")
    found = group.get_command(click.Context(group), name)
    assert found is not None
    return found


@app.command("init")
def init(
    folder: Annotated[str | None, typer.Argument(
        metavar="[DIR]", help="The folder to make (default: your data folder).", show_default=False)] = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", metavar="FILE", help="The school's policy.toml (default: the built-in policy).")] = None,
    school: Annotated[str | None, typer.Option(
        "--school", metavar="NAME", help="The school's name, as status, letters and the governors' page give it "
                                    "(default: the policy's own school).")] = None,
    group: Annotated[str | None, typer.Option(
        "--group", metavar="GROUP", help="Share the workspace with this group's members (Linux and Mac).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Write the settings and policy of an existing workspace again (never its cases).")]
    = False,
) -> None:
    """Make a school's workspace: its settings, its policy (checked first) and its cases, in one folder.

    Every command then uses the workspace's own policy: another policy can be
    tried with --policy, but no case is written under another school's
    policy. With --group, everything hesket writes there is readable and
    writable by that group's members and no one else.

    \b
    Examples:
      hesket init /srv/hesket --policy our-policy/policy.toml --group hesket-staff
      hesket init ~/hesket-school
      export HESKET_WORKSPACE=/srv/hesket
    """
    from ..casework.workspaces import init_workspace

    for option, value in (("DIR", folder), ("--policy", policy), ("--school", school), ("--group", group)):
        if value is not None and not value.strip():
            raise UsageError(f"{option}: the value is blank; give it, or leave {option} out")
    made = init_workspace(folder, policy, school, group, force=force)
    h = made.policy.header
    output.message(f"Made the workspace {made.root} for {made.school}:")
    for path in made.written:
        output.message(f"  {path}")
    output.message(f"Policy: {h.title} ({h.school}), SHA-256 {made.policy.sha256[:12]}...")
    output.message("Shared with the group " + repr(made.group) if made.group else "Readable by you only.")
    where = made.root.absolute()
    output.message(f"Use it with: hesket --workspace {where} COMMAND, or set HESKET_WORKSPACE={where}")


@app.command("status")
def status(ctx: typer.Context, as_json: Json = False) -> None:
    """Say which workspace and policy are in use, how many cases there are, and who may use them.

    \b
    Examples:
      hesket status
      hesket --workspace /srv/hesket status --json
    """
    from ..casework.workspaces import workspace_status

    result = workspace_status(workspace(ctx))
    place = result.workspace
    h = result.policy.header
    document: dict[str, Any] = {
        "workspace": str(place.root) if place.root else None, "found_by": place.found_by, "school": place.school,
        "initialised": place.initialised, "cases_folder": str(place.cases_dir),
        "policy": {"path": str(place.policy_path), "school": h.school, "title": h.title,
                   "last_reviewed": h.last_reviewed if h.ever_reviewed else None, "sha256": result.policy.sha256,
                   "trial": place.trial_policy is not None},
        "cases": result.counts, "access": result.access, "modes_differ": list(result.modes_differ),
    }
    if as_json:
        from ..views import CONTRACT

        output.write_json({"contract": CONTRACT, **document})
        return
    where = (f"{place.root} (found by {place.found_by})" if place.root else
             f"none: the cases folder {place.cases_dir} (found by {place.found_by}) is used with the built-in "
             "policy; make a workspace for your school with: hesket init DIR")
    reviewed = f"last reviewed {h.last_reviewed}" if h.ever_reviewed else "not reviewed since adoption"
    lines = [f"Workspace: {where}", f"School: {place.school}",
             f"Policy: {h.title}, {h.school} ({reviewed})",
             f"  {place.policy_path}, SHA-256 {result.policy.sha256}"]
    if result.own_policy is not None:
        lines.append(f"  (being tried; the workspace's own policy is {result.own_policy.header.title}, "
                     f"{result.own_policy.header.school})")
    counts = result.counts
    missing = place.no_cases_folder()
    lines.append(f"Cases: none: {missing}" if missing else
                 f"Cases: {counts['open']} open, {counts['closed']} closed, {counts['void']} void"
                 + (f", {counts['unreadable']} unreadable" if counts["unreadable"] else ""))
    lines.append(f"Who may use it: {result.access}")
    lines += [f"  {note}" for note in result.modes_differ]
    output.message("\n".join(lines))
