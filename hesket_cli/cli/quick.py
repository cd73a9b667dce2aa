"""cli/quick.py: the commonest reading commands, answered before Typer is loaded.

Building the command line (importing Typer and Click, inspecting each
command's signature) costs more than reading a case. A script that calls
`hesket case show ID --json` for each of its cases, and a person glancing
at `hesket case list`, meet that cost every time; so these exact forms are
recognised here and answered through the same bodies the Typer commands
use (reading.py) and the same error edge (edge.py):

    hesket case show ID [--json]
    hesket case list [--json]

Anything else (another option, `--help`, an option before the command, a
missing or extra word, a shell asking for completions) goes to the full
command line in app.py, which gives the same answer, only later.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from .edge import (
    collector_paused,
    failed,
    open_closed_streams,
    quiet_broken_pipe,
    say,
    show_warnings,
    unreadable_argument,
)
from .settings import Settings

Answer = Callable[[Settings], None]

COMPLETE_VAR = "_HESKET_COMPLETE"  # set by the scripts `hesket completion SHELL` prints


def answer(argv: Sequence[str]) -> int | None:
    """Answer `argv` (the words after `hesket`) if it is one of the forms above, and return the exit code;
    None, having done nothing, if it is not.

    Both ways in (cli/__init__.py, and app.py's group) call this first, so a
    word of any command that is not text is refused here, once, for all,
    and a standard stream the shell closed is given the null device.
    """
    open_closed_streams()
    unreadable = unreadable_argument(argv)
    if unreadable is not None:
        return unreadable
    found = recognised(argv)
    if found is None or os.environ.get(COMPLETE_VAR):
        return None
    show_warnings()
    try:
        with collector_paused():
            found(Settings.from_environment())
    except BrokenPipeError:
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        say("")
        return 130
    except Exception as exc:
        return failed(exc)
    return 0


def recognised(argv: Sequence[str]) -> Answer | None:
    """What to do for `argv`, if it is exactly one of the forms answered here."""
    words = list(argv)
    if words[:2] not in (["case", "show"], ["case", "list"]):
        return None
    rest = words[2:]
    as_json = "--json" in rest
    if as_json:
        rest.remove("--json")
    from . import reading

    if words[1] == "list":
        return None if rest else lambda given: reading.list_cases(given, "open", poster=None, as_json=as_json)
    if len(rest) != 1 or rest[0].startswith("-"):
        return None
    case_id = rest[0]
    return lambda given: reading.show_case(given, case_id, as_json=as_json)
