"""evidence.py: the files kept with a case: copying them in, checking them, finding strays.

Evidence is personal data and may be wanted by a solicitor or the police,
so it is copied in whole or not at all: every file is opened (and checked
to be a regular file within the size limit) before anything is copied, each
copy is written atomically, the case file is written last, and if anything
fails after a copy was made the copy is removed again. A copy that no event
names (left by a process killed between the two writes) is found by
`case verify` and removed by `case verify --repair`. Links are never
followed inside a case's folder.

The same copying serves every kind of evidence: files attached as they are
(`case attach`), a post's capture with its screenshots (`case capture`), and
a letter hesket drafted and was asked to keep (`letter --keep`), which
arrives as bytes rather than a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from .case import Attachment, Case, evidence_file_name, kept_files
from .errors import EvidenceError
from .files import NotARegularFile, copy_atomically, hash_file, make_folder, open_regular
from .leftovers import sweep_temporary
from .store import EVIDENCE_DIR, CaseStore

DEFAULT_LIMIT = 100 * 1024 * 1024

Record = Callable[[Case, list[Attachment]], Case]


def evidence_path(store: CaseStore, case_id: str, attachment: Attachment) -> Path:
    """Where a case's piece of evidence is kept."""
    return store.path_of(case_id).parent / EVIDENCE_DIR / attachment.file


def _open(file: Path, limit: int) -> BinaryIO:
    """Open a file to attach; anything that cannot be attached is refused before anything is copied."""
    try:
        handle = open_regular(file)
    except FileNotFoundError:
        raise EvidenceError(f"{file}: no such file; nothing was attached") from None
    except NotARegularFile as exc:
        kind = "is a folder, not a file" if exc.strerror == "a folder" else f"is {exc.strerror}"
        raise EvidenceError(f"{file}: {kind}; nothing was attached") from None
    except IsADirectoryError:
        raise EvidenceError(f"{file}: is a folder, not a file; nothing was attached") from None
    except OSError as exc:
        raise EvidenceError(f"{file}: cannot read it ({exc.strerror}); nothing was attached") from None
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        handle.close()
        raise EvidenceError(f"{file}: {size / 1024 / 1024:.1f} MB, over the {limit / 1024 / 1024:.0f} MB limit for "
                            "evidence; raise it with --max-size MB if this file must be kept; nothing was attached")
    return handle


def attach(store: CaseStore, case_id: str, files: Sequence[Path], record: Record, *,
           check: Callable[[Case], None] = lambda case: None, limit: int = DEFAULT_LIMIT,
           drafted: Sequence[tuple[str, bytes]] = ()) -> Case:
    """Copy evidence files (and `drafted` (name, bytes) pairs) into the case's folder, then record them with
    `record`, under the case's lock. With nothing to copy, `record` is still called, with no attachments."""
    handles: list[tuple[Path, BinaryIO]] = []
    made: list[Path] = []
    made_folder: list[Path] = []
    try:
        for file in files:
            handles.append((Path(file), _open(Path(file), limit)))
        handles += [(Path(name), io.BytesIO(data)) for name, data in drafted]
        path = store.path_of(case_id)
        with store.lock(case_id):
            sweep_temporary(path.parent, path.parent / EVIDENCE_DIR)
            case = store.load(case_id)
            check(case)  # may refuse: then nothing has been copied
            folder = path.parent / EVIDENCE_DIR
            used = len(kept_files(case))
            attachments = []
            try:
                if handles and not os.path.lexists(folder):
                    make_folder(folder, store.modes)
                    made_folder.append(folder)  # made for these copies: removed again if they are not recorded
                for number, (source, handle) in enumerate(handles, start=used + 1):
                    target = folder / evidence_file_name(number, source.name)
                    size, digest = copy_atomically(handle, target, store.modes)
                    made.append(target)
                    attachments.append(Attachment(file=target.name, name=source.name, size=size, sha256=digest))
            except OSError as exc:
                where = Path(exc.filename) if exc.filename else folder
                raise EvidenceError(f"cannot write {where}: {exc.strerror or exc}; nothing was changed") from None
            changed = store.save(case, record(case, attachments))
            made.clear()  # recorded: the copies (and their folder) now belong to the case
            made_folder.clear()
        return changed
    finally:
        for copy in made:
            with contextlib.suppress(OSError):
                os.unlink(copy)
        for empty in made_folder:
            with contextlib.suppress(OSError):
                os.rmdir(empty)
        for _, handle in handles:
            handle.close()


def _read_hash(path: Path) -> str:
    return hash_file(path, follow_links=False)[1]


def attachment_problem(store: CaseStore, case_id: str, attachment: Attachment, kept_on: dt.date,
                       digest_of: Callable[[Path], str] = _read_hash) -> str | None:
    """What is wrong with one file kept with a case at `evidence_path` (missing, unreadable, a link,
    changed since it was kept on `kept_on`); None if it still has its recorded hash."""
    try:
        digest = digest_of(evidence_path(store, case_id, attachment))
    except FileNotFoundError:
        return f"missing (evidence {attachment.name!r} of case {case_id})"
    except NotARegularFile as exc:
        why = "; hesket does not follow links" if exc.kind == "a link" else ""
        return f"is {exc.kind}, not the file that was attached{why}"
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    if digest != attachment.sha256:
        return (f"changed since it was attached on {kept_on.isoformat()} "
                f"(SHA-256 was {attachment.sha256[:12]}..., now {digest[:12]}...)")
    return None


def evidence_problems(store: CaseStore, case: Case, digest_of: Callable[[Path], str] = _read_hash) -> list[str]:
    """Each file kept with the case that is missing, unreadable, a link, or no longer has its recorded hash."""
    return check_files(store, case.id, kept_files(case), digest_of)


def check_files(store: CaseStore, case_id: str, files: Sequence[tuple[Attachment, dt.date]],
                digest_of: Callable[[Path], str] = _read_hash) -> list[str]:
    """Each of these files that is missing, unreadable, a link, or no longer has its recorded hash, each
    line naming its path.

    `digest_of` gives a file's SHA-256: by default by reading it; `review`
    passes one that remembers the hashes of files that have not changed.
    """
    found = []
    for attachment, kept_on in files:
        problem = attachment_problem(store, case_id, attachment, kept_on, digest_of)
        if problem is not None:
            found.append(f"{evidence_path(store, case_id, attachment)}: {problem}")
    return found


def stray_evidence(store: CaseStore, case: Case) -> list[Path]:
    """Files in the case's evidence folder that no event names (a copy left by a killed attach)."""
    folder = store.path_of(case.id).parent / EVIDENCE_DIR
    named = {a.file for a, _ in kept_files(case)}
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.name not in named)
    except OSError:
        return []
