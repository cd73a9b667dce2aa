"""purge.py: deleting a case for good, and the purge log that says it was done, by whom and when.

UK GDPR keeps personal data no longer than needed, so a case past the
school's retention period is deleted whole: its folder, its evidence and
this user's index rows. Deleting is the one thing hesket does that cannot
be undone, so it is careful: the case is looked at again under its lock
(a case reopened a moment ago is kept); the folder is first renamed to a
staging folder (`.hesket/staging/`), which takes the case out of sight at
once; the log entry is written next; only then are the files removed. A
purge stopped half-way leaves a folder there, which `case verify` reports
and `case verify --repair` (or the next triage) removes, as it does a
triage's.

Nothing of a purged case is left in this user's index either (`forget`).
The log (`purge-log.jsonl` in the workspace, one JSON object a line) holds
ids, dates, the rule, who and when: no names, no summaries, nothing from
the case. It is written atomically, readable by the workspace's users only.
Nothing here decides what is due: the caller says, and re-checks under the
lock with `still_due`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .case import Case
from .errors import InvalidInput, WriteFailed
from .files import FileModes, NotARegularFile, TooLarge, atomic_write, fsync_dir, read_bounded
from .leftovers import make_staging_folder
from .store import CaseStore

LOG_FILE = "purge-log.jsonl"
LOG_LIMIT = 64 * 1024 * 1024
LOG_KEYS = ("id", "status", "closed_on", "destroy_after", "rule", "rule_set_by", "purged_at", "purged_by")


def take_out(store: CaseStore, case_id: str, still_due: Callable[[Case], bool]) -> Path | None:
    """Move a case's folder out of sight (a hidden staging folder) if `still_due` says so under its lock.

    Returns where it went, for `finish` to remove, or None when the case is
    no longer due (reopened, say) and was left as it is.
    """
    folder = store.folder_of(case_id)
    hidden = make_staging_folder(store.root, store.modes) / f"purged-{case_id}-{secrets.token_hex(4)}"
    moved = False
    with store.lock(case_id):
        if not still_due(store.load(case_id)):
            return None
        try:
            os.rename(folder, hidden)
            moved = True
        except PermissionError:
            if os.name != "nt":  # Windows will not rename a folder with the lock file open: done just after
                raise
    try:
        if not moved:
            os.rename(folder, hidden)
        fsync_dir(store.root)
    except OSError as exc:
        raise WriteFailed(f"cannot remove {folder}: {exc.strerror or exc}; the case was left as it is") from None
    return hidden


def put_back(store: CaseStore, hidden: Path, case_id: str) -> None:
    """Return a case taken out to its place (its purge could not be logged, so it is not purged)."""
    os.rename(hidden, store.root / case_id)
    fsync_dir(store.root)


def finish(hidden: Path) -> None:
    """Remove a case's folder taken out by `take_out` (evidence and all)."""
    shutil.rmtree(hidden, ignore_errors=True)


def forget(store: CaseStore, case_ids: Sequence[str]) -> None:
    """Remove purged cases from this user's index: everything derived from them, their post keys, their
    evidence hashes."""
    from .index import Index, index_path

    index = Index.open(index_path(store.root), lambda message: None)
    if not index:
        return
    try:
        index.forget(case_ids, [str(store.root / case_id) + os.sep for case_id in case_ids])
    finally:
        index.close()


def log_path(root: Path) -> Path:
    """The purge log of a workspace (or of a cases folder used without one)."""
    return root / LOG_FILE


def read_log(path: Path) -> list[dict[str, Any]]:
    """Every entry of the purge log, oldest first; an empty list when nothing was ever purged."""
    try:
        raw = read_bounded(path, LOG_LIMIT, follow_links=False)
    except FileNotFoundError:
        return []
    except (NotARegularFile, TooLarge, OSError) as exc:
        raise InvalidInput(f"{path}: cannot read the purge log: {exc.strerror or exc}") from None
    entries = []
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            entry = None
        if not isinstance(entry, dict):
            raise InvalidInput(f"{path}: line {number} is not an entry hesket wrote; the log was left as it is")
        entries.append(entry)
    return entries


def append_log(path: Path, entry: Mapping[str, Any], modes: FileModes) -> None:
    """Add one entry to the purge log, rewriting it atomically (a log is never left half-written)."""
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in read_log(path)]
    lines.append(json.dumps({key: entry.get(key) for key in LOG_KEYS}, ensure_ascii=False, separators=(",", ":")))
    try:
        atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"), modes)
    except OSError as exc:
        raise WriteFailed(f"cannot write the purge log {path}: {exc.strerror or exc}") from None
