"""parallel.py: share per-case work with a second process, where the machine has a core to spare.

Reading and parsing every case file is most of what a cold run of
`review` or `case list` and every `case verify` cost; a trust's folder has
tens of thousands. Where the machine has more than one core and can fork
(Linux; the work is then inherited, never pickled), the ids are shared out
and each process works on its share; elsewhere (Windows, macOS's default)
and below PARALLEL_FROM cases, where starting a process costs more than it
saves, the work is done here. Standard library only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

PARALLEL_FROM = 1000
SHARE = 250  # cases a process works on before handing their results back

_T = TypeVar("_T")
_WORK: Callable[[str], Any] | None = None


def per_case(work: Callable[[str], _T], ids: list[str]) -> dict[str, _T]:
    """`work(id)` for every id (its results must pickle), in as many processes as pay."""
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(ids) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {case_id: work(case_id) for case_id in ids}
    global _WORK
    _WORK = work
    found: dict[str, _T] = {}
    try:
        # Small shares, their results taken as each is done: a process never holds (or sends back as one
        # piece) half of a trust's records, which would double the memory a cold run needs.
        shares = [ids[i:i + SHARE] for i in range(0, len(ids), SHARE)]
        with multiprocessing.get_context("fork").Pool(min(cores, 4)) as pool:
            for part in pool.imap_unordered(_share, shares):
                found.update(part)
    finally:
        _WORK = None
    return found


def _share(ids: list[str]) -> list[tuple[str, Any]]:
    assert _WORK is not None
    return [(case_id, _WORK(case_id)) for case_id in ids]
