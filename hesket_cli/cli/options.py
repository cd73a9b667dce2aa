"""cli/options.py: each option and argument shared by several commands, declared once.

A command names its parameters with these aliases, so `--by` or the case
`ID` reads the same, with the same help, everywhere. The helpers turn what
was typed into plain values for the use-case layer (a typed date into a
date), and find the workspace a command works in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer import _click as click  # Typer 0.28 carries its own Click
from typer._click.core import Parameter
from typer._click.exceptions import UsageError
from typer._click.types import ParamType

from ..errors import InvalidInput
from .app import settings
from .settings import workspace_of

if TYPE_CHECKING:
    from ..casework.common import Moment
    from ..retention import Retention
    from ..workspace import Workspace

StatusName = Literal["open", "closed", "all"]

def complete_case_id(ctx: click.Context, incomplete: str) -> list[str]:
    """Shell completion: the ids of the workspace's cases that start with what was typed, newest first."""
    try:
        ids = workspace(ctx, read_only=True).store().ids()
    except Exception:  # a shell asking must never be answered with an error
        return []
    return [case_id for case_id in reversed(ids) if case_id.startswith(incomplete)]


def complete_event(ctx: click.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for `case record ID EVENT`: the events that case may record now (the engine's
    may_record, the next step first), each with its title; every event of the policy if the case cannot be read."""
    try:
        place = workspace(ctx, read_only=True)
        policy = place.policy()
        from ..casework.history import recordable

        try:
            events = list(recordable(place, str(ctx.params.get("case_id") or "")))
        except Exception:  # no such case yet: offer every event
            events = list(policy.event_ids)
    except Exception:  # a shell asking must never be answered with an error
        return []
    sections = ("step", "outcome", "action")
    titles = {e: next((t for t in (policy.title_of(s, e) for s in sections) if t != e), e) for e in events}
    return [(event, titles[event]) for event in events if event.startswith(incomplete)]


CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case id, like 2026-0001.", show_default=False,
                                       autocompletion=complete_case_id)]
By = Annotated[str | None, typer.Option(
    "--by", metavar="NAME",
    help="Who did it (default: the name saved with `hesket config set name`, else your login's full name).")]
On = Annotated[str | None, typer.Option(
    "--on", metavar="DATE",
    help="The date it happened: YYYY-MM-DD, DD/MM/YYYY, today or yesterday (default: today).")]
Note = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="What happened, in your words.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (the contract in the README) and nothing else.")]
Since = Annotated[str | None, typer.Option(
    "--since", metavar="DATE",
    help="Only cases seen on or after this date: YYYY-MM-DD, DD/MM/YYYY, today or yesterday.")]


class WholeNumber(ParamType):
    """A whole number, 1 or more, said in plain words when it is not one (never Click's "not in the range
    x>=1" or "not a valid int range"): `what` is what it counts, e.g. "a whole number of megabytes"."""

    name = "integer"

    def __init__(self, what: str = "a whole number") -> None:
        self.what = what

    def convert(self, value: Any, param: Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        text = str(value).strip()
        if text.isascii() and text.isdigit() and int(text) >= 1:
            return int(text)
        name = (param.opts[0] if param.param_type_name == "option" else param.human_readable_name) if param else "it"
        raise UsageError(f"{name} must be {self.what}, 1 or more, not {value!r}", ctx)


def status_option(help_text: str) -> typer.models.OptionInfo:
    """`--status open|closed|all`, a choice checked before the command runs (any case)."""
    found: typer.models.OptionInfo = typer.Option("--status", case_sensitive=False, help=help_text,
                                                  show_default=False)
    return found


def typed_date(option: str, text: str | None, today: dt.date) -> dt.date | None:
    """A date typed by a person (`--on`, `--since`) in any accepted form; exit 3 naming the forms if not."""
    if text is None:
        return None
    from ..dates import NotADate, read_date

    try:
        return read_date(text, today)
    except NotADate as exc:
        raise InvalidInput(f"{option}: {exc}, e.g. {option} {today.isoformat()}") from None


def refuse_blank_path(option: str, path: str | None, example: str, otherwise: str = "") -> None:
    """A path option given as blank text ('') is a usage error naming the option (never read as the current
    folder, never left unwritten); `otherwise` says what leaving the option out does, if anything."""
    if path is not None and not path.strip():
        from ..errors import UsageError

        raise UsageError(f"{option}: the path is blank; give the file, e.g. {option} {example}"
                         f"{', or ' + otherwise if otherwise else ''}")


def workspace(ctx: click.Context, *, read_only: bool = False) -> Workspace:
    """The workspace this command works in (the policy in force and the cases folder); `read_only`: the
    command must write nothing anywhere (not even the cache's memory of checked policies)."""
    return workspace_of(settings(ctx), read_only=read_only)


def retention(ctx: click.Context) -> Retention:
    """The workspace's retention rule (its settings only are read), for a case's destroy-after date."""
    return workspace(ctx, read_only=True).retention()


def moment() -> Moment:
    """This run's moment: now (UTC) and today (local), read once."""
    from ..casework.common import Moment

    return Moment.current()
