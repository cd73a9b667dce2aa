"""cli/config.py: `hesket config ...`: your own settings, such as the name recorded on cases."""

from __future__ import annotations

from typing import Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output
from .app import CommandGroup

app = typer.Typer(
    help="Your own settings, such as the name recorded on cases.",
    epilog="\b\nExamples:\n  hesket config set name \"Mrs A Example\"\n  hesket config get name",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket config`, each command built when it is run."""
    return CommandGroup(app, name)


Key = Annotated[str, typer.Argument(metavar="KEY", help="The setting: name.", show_default=False)]


@app.command("set")
def config_set(
    key: Key,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its value.", show_default=False)],
) -> None:
    """Save a setting: `name` is recorded on the cases you triage and record (instead of your login's full name).

    \b
    Examples:
      hesket config set name "Mrs A Example"
    """
    from ..casework.settings import set_setting

    path, cleaned = set_setting(key, value)
    output.message(f"Saved {key} = {cleaned!r} in {path}")


@app.command("get")
def config_get(key: Key) -> None:
    """Print a saved setting (nothing if it is not set).

    \b
    Examples:
      hesket config get name
    """
    from ..casework.settings import get_setting

    value = get_setting(key)
    if value is not None:
        output.message(value)
