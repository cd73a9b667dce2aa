"""cli/edge.py: what a failure looks like to the person: one `Error:` line and an exit code.

The one error edge: app.py's group and quick.py's reading commands both
hand every failure here. A HesketError is its message (with its problems
indented under it) and its documented exit code; an OSError naming a file
is a write or read the system refused (exit 3); anything else is one line
and exit 1, never a traceback (`--debug` shows it, never with local
variables, which may hold pupils' or parents' details). Kept apart from
Typer so that a command answered before Typer is loaded fails the same way.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

from ..errors import ExitCode, HesketError, HesketWarning
from ..safe import shown


def say(line: str) -> None:
    """One line on standard error, written at once."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def error(message: str) -> None:
    """One `Error:` line on standard error, any outside text in it made safe to show."""
    say(f"Error: {shown(message)}")


def failed(exc: Exception) -> int:
    """Show a failure as its one `Error:` line (and the problems under it); return its exit code."""
    if isinstance(exc, HesketError):
        error(exc.message)
        for line in exc.details if len(exc.details) > 1 else ():  # one Error line; each problem under it
            say(f"  {shown(line)}")
        return int(exc.exit_code)
    if isinstance(exc, OSError) and exc.filename:
        error(f"cannot use {exc.filename}: {exc.strerror or exc}; nothing was changed by the failed step")
        return int(ExitCode.INVALID)
    error(f"unexpected failure ({type(exc).__name__}); nothing was changed by the failed step. "
          "Run again with --debug to see the details")
    return int(ExitCode.UNEXPECTED)


def quiet_broken_pipe() -> int:
    """The reader of our output stopped early (`| head`): end quietly, as `git log | head` does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141 if os.name != "nt" else 0


def show_warnings() -> None:
    """From now on, each HesketWarning is one `Warning:` line on standard error; other warnings are not shown."""
    warnings.showwarning = _show_warning
    warnings.simplefilter("always", HesketWarning)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    if issubclass(category, HesketWarning):
        say(f"Warning: {shown(str(message))}")
