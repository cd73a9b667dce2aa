"""cli/policy.py: `hesket policy ...`: see, check or locate the policy file hesket uses."""

from __future__ import annotations

from typing import Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output
from .app import CommandGroup
from .options import Json, workspace

app = typer.Typer(
    help="See, check or locate the policy file hesket uses.",
    epilog="\b\nExamples:\n  hesket policy show\n  hesket policy path\n  hesket policy check my-school-policy.toml",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket policy`, each command built when it is run."""
    return CommandGroup(app, name)


@app.command("path")
def policy_path_command(ctx: typer.Context) -> None:
    """Print the path of the policy file in use.

    \b
    Examples:
      hesket policy path
      HESKET_POLICY=our-policy.toml hesket policy path
    """
    output.message(str(workspace(ctx).policy_path.resolve()))


@app.command("show")
def policy_show(ctx: typer.Context, as_json: Json = False) -> None:
    """Show the policy as hesket reads it: considerations, checklist and steps, with quotes.

    \b
    Examples:
      hesket policy show
      hesket --policy our-policy.toml policy show --json
    """
    policy = workspace(ctx).policy()
    if as_json:
        from ..views import policy_document

        output.write_json(policy_document(policy))
        return
    from ..render.policy import show_policy

    output.show(ctx, lambda console: show_policy(console, policy), page=True)


@app.command("check")
def policy_check(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The policy file to check.", show_default=False)],
) -> None:
    """Check an edited policy file: every key, id and condition, and every quote.

    Each problem is reported with its place in the file. Where the file names
    its published text (`source` in [policy]), every policy_text must occur in
    it word for word.

    \b
    Examples:
      hesket policy check policy.toml
      hesket policy check our-school/policy.toml
    """
    from ..casework.policies import check_policy
    from ..describe import plural

    result = check_policy(file)
    policy = result.policy
    quotes = f", every quote found in {result.source}" if result.source else ""
    output.message(f"{file}: OK: {plural(len(policy.considerations), 'consideration')}, "
                   f"{plural(len(policy.checklist), 'checklist item')}, {plural(len(policy.steps), 'step')}{quotes}.")


@app.command("adopt")
def policy_adopt(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The new policy.toml (its policy.txt beside it).",
                                        show_default=False)],
) -> None:
    """Make FILE the workspace's policy, after checking it as `policy check` does; the old version is kept.

    Every version the workspace has used is kept by its SHA-256 (under
    policies/), so `case show ID --as-triaged` can still show a case under
    the words it was triaged under. `review` flags cases whose next step the
    new version moves.

    \b
    Examples:
      hesket policy check reviewed-2026/policy.toml
      hesket policy adopt reviewed-2026/policy.toml
    """
    from ..casework.workspaces import adopt_policy

    previous, adopted = adopt_policy(workspace(ctx), file)
    output.message(f"Adopted {file}: {adopted.header.title} ({adopted.header.school}), SHA-256 "
                   f"{adopted.sha256[:12]}...")
    output.message(f"The previous version (SHA-256 {previous.sha256[:12]}...) is kept in the workspace's policies/ "
                   "folder; see cases whose next step moved with: hesket review")
