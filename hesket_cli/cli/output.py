"""cli/output.py: how a result reaches the person or the script: JSON, CSV, or a Rich view, paged.

Data goes to standard output and messages to standard error. A Rich view is
drawn into text first and written in one go; on a terminal, long views go
through a pager as `git` does (PAGER, default `less -FRX`, which stays out
of the way when the text fits on one screen; never when the output is not a
terminal; never with --no-pager).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from ..safe import shown
from .edge import say

if TYPE_CHECKING:
    from rich.console import Console

    from ..workspace import Workspace
    from .settings import Settings


def write_json(document: Any) -> None:
    """Print a JSON document (the contract in the README) and nothing else."""
    from ..views import to_json

    write_bytes(to_json(document).encode("utf-8"), form="json")


def write_bytes(data: bytes | Iterable[bytes], *, form: Literal["json", "csv"] | None = None) -> None:
    """Write bytes (or pieces of bytes, one after another) to standard output as they are.

    A script (a pipe, a file) gets the exact bytes. JSON or CSV (`form`)
    written to a terminal may hold outside text with escape sequences in it,
    so there it is made harmless: JSON escapes every control and
    bidirectional character (`\\u009b`: still the same data when read back),
    CSV shows them as every human view does (`␛`, `<U+202E>`).
    """
    out = sys.stdout.buffer
    neutral = _for_terminal(form) if form is not None and at_terminal() else None
    for piece in [data] if isinstance(data, bytes) else data:
        out.write(piece if neutral is None else neutral(piece))
    sys.stdout.flush()


def at_terminal() -> bool:
    """Whether standard output is a terminal (a person reading), not a pipe or a file (a script)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _for_terminal(form: str) -> Callable[[bytes], bytes]:
    from ..safe import json_shown

    if form == "json":
        return lambda piece: json_shown(piece.decode("utf-8")).encode("utf-8")
    return lambda piece: shown(piece.decode("utf-8"), one_line=False).encode("utf-8")


def message(text: str, *, err: bool = False) -> None:
    """Plain lines (to standard error with `err`), any outside text in them made safe to show."""
    if err:
        say(shown(text, one_line=False))
        return
    sys.stdout.write(shown(text, one_line=False) + "\n")
    sys.stdout.flush()


def warnings(lines: list[str]) -> None:
    """Each warning as one `Warning:` line on standard error."""
    for line in lines:
        say(f"Warning: {shown(line)}")


def announce_trial(place: Workspace, *, machine: bool) -> None:
    """A view of cases under a policy being tried says so first: its first line for a person, or a `Warning:`
    line on standard error beside JSON or CSV (whose contract it must not change)."""
    from ..casework.lookup import trial_notice

    notice = trial_notice(place)
    if notice is None:
        return
    place.policy()  # a broken policy is its one Error line, with nothing printed before it
    if machine:
        warnings([notice])
    else:
        message(notice)


def console(given: Settings, *, plain: bool = False, stderr: bool = False) -> Console:
    """A console with hesket's theme; colour off with --no-color, NO_COLOR or --plain."""
    from ..render import make_console

    return make_console(no_color=given.no_color or plain, stderr=stderr)


def show(given: Settings, draw: Callable[[Console], str | None], *, page: bool = False,
         plain: bool = False) -> None:
    """Draw a Rich view and write it in one go; through the pager when `page` and on a terminal.

    A view may return the text to write, drawn itself (a long one, quicker
    than through Rich); else what it printed is written.
    """
    out = console(given, plain=plain)
    with out.capture() as captured:
        drawn = draw(out)
    text = drawn if drawn is not None else _TRAILING.sub(r"\1", captured.get())  # a view's own lines have none
    pager = pager_command() if page and not given.no_pager and sys.stdout.isatty() else None
    if pager is None or not _through_pager(pager, text):
        sys.stdout.write(text)
        sys.stdout.flush()


# Spaces at the end of a line (before any closing colour codes): Rich pads table cells to the width,
# which leaves trailing spaces in a file or a pipe.
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.M)


def pager_command() -> list[str] | None:
    """The pager to use: PAGER (empty or `cat`: none), else `less -FRX` where there is one."""
    import shlex
    import shutil

    configured = os.environ.get("PAGER")
    if configured is not None:
        words = shlex.split(configured, posix=os.name != "nt")
        return None if not words or words == ["cat"] else words
    return ["less", "-FRX"] if shutil.which("less") else None


def _through_pager(command: list[str], text: str) -> bool:
    """Send text through the pager; False if it could not be started (then the caller prints it)."""
    import signal
    import subprocess

    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:
            pass  # the person left the pager before the end: nothing more to show
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
