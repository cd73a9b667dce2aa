"""cli/edge.py: what a failure looks like to the person: one `Error:` line and an exit code.

The one error edge: app.py's group and quick.py's reading commands both
hand every failure here. A HesketError is its message (with its problems
indented under it) and its documented exit code; an OSError naming a file
is a write or read the system refused (exit 3); anything else is one line
and exit 1, never a traceback (`--debug` shows it, never with local
variables, which may hold pupils' or parents' details). Kept apart from
Typer so that a command answered before Typer is loaded fails the same way.

What both ways in do once, around every command, is here too: refuse a
word of the command line that is not text, give a closed standard stream
the null device, show warnings as one line, and pause the cycle collector.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from ..describe import cut
from ..errors import ExitCode, HesketError, HesketWarning
from ..safe import shown

_SURROGATE = re.compile("[\ud800-\udfff]")


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


def unreadable_argument(argv: Sequence[str]) -> int | None:
    """Refuse, as one `Error:` line and exit 3, a word of the command line that is not UTF-8 text (a file name
    from an old USB stick, say); None if every word is text.

    The system hands Python such bytes as lone surrogates, which no file, JSON
    document or terminal can take; so they are caught here, before any
    command runs, with the word shown (its bad bytes as U+FFFD) and the fix.
    """
    for number, word in enumerate(argv):
        if not _is_text(word):
            option, given, value = word.partition("=") if word.startswith("--") else ("", "", word)
            which = (f"the value of {option}" if given else
                     f"the word after {cut(argv[number - 1])}" if number else "the first word after hesket")
            error(f"{which}, {cut(_readable(value))!r}, is not text: it holds bytes that are not UTF-8 (shown as "
                  "\ufffd); type it again, or if it names a file, rename the file (in a file manager, say) and "
                  "give its new name")
            return int(ExitCode.INVALID)
    return None


def _is_text(word: str) -> bool:
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _readable(word: str) -> str:
    """`word` with each byte that is not UTF-8 (a lone surrogate, as the system decodes it) shown as U+FFFD."""
    return _SURROGATE.sub("\ufffd", word)


def open_closed_streams() -> None:
    """Give standard input, output or error that the shell closed (`hesket case list >&-`) the null device.

    As git does (its sanitize_stdfds): the command still does its work and
    what it prints goes nowhere. Python would otherwise leave sys.stdout as
    None, so the first line printed fails; and a file hesket opens next (a
    case file) could be given descriptor 1 and take in what is printed.
    """
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            stream = open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False,  # noqa: SIM115
                          errors="backslashreplace" if fd == 2 else "strict")
        except OSError:
            continue
        setattr(sys, name, stream)


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run a command with Python's cyclic garbage collector paused, and switch it back as it was.

    What a command makes is freed as it goes, by reference counting: its
    records are plain data, with no cycles to find. The collector's passes
    over every live object, repeated as a review or a list of a trust's
    100,000 cases grows, found nothing and cost a sixth of the Rich review
    there (0.3 s), with the same peak memory.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
