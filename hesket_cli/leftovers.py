"""leftovers.py: what a command killed half-way left in the cases folder, found and removed.

A triage builds its case in a hidden staging folder, and every write goes
through a temporary file beside its target (files.py); a command killed
at the wrong moment leaves one behind, holding personal data. The next
triage removes staging folders old enough not to be another triage's
work in progress (looking at most once in that time, since looking lists
the whole folder); the next change of a case removes the temporary files
in its folder (under its lock, so none is another's); `case verify` lists
whatever is left and `--repair` removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from .files import FileModes, make_folder
from .numbering import NOTES_FOLDER

STAGING_PREFIX = ".new-"
STAGING_GRACE_SECONDS = 600  # a triage still writing its staging folder is never disturbed
SWEEP_MARKER = "swept"


def staging_in(root: Path) -> list[Path]:
    """The staging folders in the cases folder, whatever their age."""
    try:
        return sorted(Path(e.path) for e in os.scandir(root)
                      if e.name.startswith(STAGING_PREFIX) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def sweep_staging(root: Path, *, older_than: float) -> list[Path]:
    """Remove staging folders older than `older_than` seconds (a triage still running is left alone)."""
    removed = []
    now = time.time()
    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(STAGING_PREFIX)]
    except OSError:
        return []
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime >= older_than:
                shutil.rmtree(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def sweep_temporary(*places: Path) -> None:
    """Remove temporary files a killed hesket left in a case's folder and its evidence folder (`places`).

    Called under the case's lock: only the lock holder writes temporary files
    there, so any found now belong to a process that died mid-write. They
    may hold personal data, so they are not left lying about.
    """
    for place in places:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def sweep_due(root: Path, every: float, modes: FileModes) -> bool:
    """Whether it is time to look for a killed triage's leftovers again (at most once every `every` seconds).

    Looking means listing the whole folder; a leftover younger than `every`
    could not be removed anyway, so looking more often would only slow each
    triage in a large folder.
    """
    marker = root / NOTES_FOLDER / SWEEP_MARKER
    try:
        if time.time() - os.stat(marker, follow_symlinks=False).st_mtime < every:
            return False
    except OSError:
        pass
    with contextlib.suppress(OSError):
        if not (root / NOTES_FOLDER).is_dir():
            make_folder(root / NOTES_FOLDER, modes)
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), modes.file))
        os.utime(marker)  # not a link: the open above refuses one
    return True
