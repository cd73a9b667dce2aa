"""numbering.py: the year's next case number, found without reading every case id.

A trust's folder holds tens of thousands of cases; listing and sorting them
all on every triage would make triage slower each year a school uses
hesket. So the last number given out is remembered in a small file per year
(`.hesket/last-2026` in the cases folder) with the cases folder's
modification time just after that case was placed. While the folder's time
is the same, nothing was added or removed since, and the hint is exact;
otherwise (a case copied in by hand, a purge) the folder is listed once and
the larger of the two taken. Either way the next triage probes upward while
the ids exist, and the rename into place is what really claims an id, so
two triages at once still differ. Because the hint is kept even after the
newest case is purged, an id is never given out twice.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .files import FileModes, atomic_write, make_folder

NOTES_FOLDER = ".hesket"  # hesket's own notes on the cases folder
LAST_NUMBER = 999_999  # the largest number an id can hold (ids are YYYY-NNNN to YYYY-NNNNNN)


class Hint(NamedTuple):
    """The year's last number given out, and the cases folder's modification time just after."""

    number: int
    folder_time: int


def format_case_id(year: int, number: int) -> str:
    """The id of a year's n-th case: short, sortable, easy to read out on the phone."""
    return f"{year:04d}-{number:04d}"


def last_number(root: Path, year: int, listed: Callable[[], int]) -> int:
    """The year's last case number: the hint while the folder is unchanged, else the listing, probed upward.

    Call it before changing the cases folder (a staging folder made in it
    changes its time).
    """
    hint = _read_hint(root / NOTES_FOLDER / f"last-{year:04d}")
    if hint is None:
        number = listed()
    elif hint.folder_time != _folder_time(root):
        number = max(hint.number, listed())
    else:
        number = hint.number
    while number < LAST_NUMBER and os.path.lexists(root / format_case_id(year, number + 1)):
        number += 1
    return number


def remember(root: Path, year: int, number: int, modes: FileModes) -> None:
    """Keep `number` as the year's last, just after its case was placed (a failure is ignored: it is a hint)."""
    with contextlib.suppress(OSError):
        folder = _notes_folder(root, modes)
        atomic_write(folder / f"last-{year:04d}", f"{number} {_folder_time(root)}\n".encode("ascii"), modes)


def _notes_folder(root: Path, modes: FileModes) -> Path:
    folder = root / NOTES_FOLDER
    if not folder.is_dir():
        make_folder(folder, modes)
    return folder


def _folder_time(root: Path) -> int:
    try:
        return os.stat(root).st_mtime_ns
    except OSError:
        return -1


def _read_hint(path: Path) -> Hint | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        parts = os.read(fd, 64).split()
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > LAST_NUMBER:
        return None
    return Hint(int(parts[0]), int(parts[1]))
