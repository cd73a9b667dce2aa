"""cli/meta.py: `hesket help [COMMAND]`, `hesket version` and `hesket completion SHELL`, as `git` and `gh`
users expect."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from .. import __version__
from ..errors import UsageError as HesketUsageError
from . import output
from .app import CommandGroup

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket help` or `hesket version`."""
    group = CommandGroup(app, "meta")
    found = group.get_command(click.Context(group), name)
    assert found is not None
    return found


@app.command("help")
def help_command(
    ctx: typer.Context,
    words: Annotated[list[str] | None, typer.Argument(
        metavar="[COMMAND]...", help="The command to explain, e.g. case record.", show_default=False)] = None,
) -> None:
    """Show the help of hesket, or of one of its commands.

    \b
    Examples:
      hesket help
      hesket help case record
    """
    root = ctx.find_root()
    command, context = root.command, root
    for word in words or []:
        lookup = getattr(command, "get_command", None)
        found = lookup(context, word) if lookup is not None else None
        if not isinstance(found, click.Command):
            raise HesketUsageError(f"No such command '{word}'; see: hesket help")
        context = click.Context(found, info_name=word, parent=context)
        command = found
    output.message(command.get_help(context).rstrip("\n"))


@app.command("version")
def version_command() -> None:
    """Show hesket's version.

    \b
    Examples:
      hesket version
    """
    output.message(f"hesket {__version__}")


Shell = Literal["bash", "zsh", "fish", "powershell"]


@app.command("completion")
def completion_command(
    shell: Annotated[Shell, typer.Argument(
        metavar="SHELL", help="bash, zsh, fish or powershell.", show_default=False, case_sensitive=False)],
) -> None:
    """Print the script that lets your shell complete hesket's commands, options, case ids and events.

    Save it once and have your shell read it when it starts. It completes
    commands and options, the ids of the cases in your workspace, and, for
    `case record ID`, the events that case may record now. Nothing is
    installed or changed by this command.

    \b
    Examples:
      hesket completion bash > ~/.hesket-completion.bash
          (then add to ~/.bashrc:  source ~/.hesket-completion.bash)
      hesket completion zsh > ~/.hesket-completion.zsh
          (then add to ~/.zshrc, after compinit:  source ~/.hesket-completion.zsh)
      hesket completion fish > ~/.config/fish/completions/hesket.fish
      hesket completion powershell >> $PROFILE
    """
    from typer._completion_shared import get_completion_script

    from .quick import COMPLETE_VAR

    script = get_completion_script(prog_name="hesket", complete_var=COMPLETE_VAR, shell=shell.lower())
    output.write_bytes((script.strip() + "\n").encode("utf-8"))
