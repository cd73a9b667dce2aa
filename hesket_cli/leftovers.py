"""leftovers.py: what a command killed half-way left in the cases folder, found and removed.

A triage builds its case in a staging folder of its own under
`.hesket/staging/` (on the cases folder's own disk, so the rename into
place is atomic), and every write goes through a temporary file beside its
target (files.py); a command killed at the wrong moment leaves one behind,
holding personal data. Each triage lists that small folder and removes
what is old enough not to be another triage's work in progress; the next
change of a case removes the temporary files in its folder (under its
lock, so none is another's); `case verify` lists whatever is left, in that
folder and as hidden `.new-*` folders at the top of the cases folder (where
earlier versions staged), and `--repair` removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from .files import FileModes, make_folder
from .numbering import NOTES_FOLDER

STAGING_FOLDER = "staging"  # under NOTES_FOLDER: where a triage (or a purge) builds what it then renames
STAGING_PREFIX = ".new-"  # a staging folder at the top of the cases folder, as earlier versions made them
STAGING_GRACE_SECONDS = 600  # a triage still writing its staging folder is never disturbed


def staging_folder(root: Path) -> Path:
    """The folder of the cases folder `root` where new cases are built before they are renamed into place."""
    return root / NOTES_FOLDER / STAGING_FOLDER


def make_staging_folder(root: Path, modes: FileModes) -> Path:
    """The staging folder, made if missing with the cases folder's modes (WriteFailed if it cannot be)."""
    folder = staging_folder(root)
    if not folder.is_dir():
        make_folder(folder, modes)
    return folder


def staging_in(root: Path) -> list[Path]:
    """Every staging folder left in the cases folder, whatever its age: in the staging folder, and old-style."""
    return sorted(_entries(staging_folder(root), "") + _entries(root, STAGING_PREFIX))


def _entries(folder: Path, prefix: str) -> list[Path]:
    """The folders (not links) in `folder` whose names start with `prefix`."""
    try:
        return [Path(e.path) for e in os.scandir(folder)
                if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def sweep_staging(root: Path, *, older_than: float) -> list[Path]:
    """Remove what is in the staging folder and older than `older_than` seconds (a triage still running is
    left alone). Only that small folder is listed, so every triage can afford to look."""
    removed = []
    now = time.time()
    for path in _entries(staging_folder(root), ""):
        try:
            if now - os.stat(path, follow_symlinks=False).st_mtime >= older_than:
                shutil.rmtree(path)
                removed.append(path)
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
