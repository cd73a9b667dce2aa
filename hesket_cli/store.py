"""store.py: the cases folder: case ids, case files, their locks and their evidence.

Case files hold personal data about children and adults, so this module is
careful in one place: ids typed by users are checked against a strict
pattern before they become paths; every write is atomic (files.py); a new
case is built in a hidden staging folder and renamed into place, which also
makes two triages at once get different ids; every change holds the case's
OS lock. A case file that cannot be read is reported with its path and
never overwritten. Nothing here opens a socket, prints or knows the policy.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from .case import Attachment, Case, CaseDataError, case_from_dict, case_to_dict, evidence_file_name
from .errors import CaseFileError, CaseLocked, CaseNotFound, EvidenceError, InvalidCaseId, StoreError
from .files import (
    PRIVATE,
    FileModes,
    NotARegularFile,
    TooLarge,
    atomic_write,
    copy_atomically,
    fsync_dir,
    hash_file,
    make_folder,
    read_bounded,
    set_mode,
    try_lock,
    unlock,
)

CASE_FILE = "case.toml"
LOCK_FILE = ".lock"
EVIDENCE_DIR = "evidence"
STAGING_PREFIX = ".new-"
LOCK_WAIT_SECONDS = 15.0
CASE_FILE_LIMIT = 5 * 1024 * 1024
ENV_CASES_DIR = "HESKET_CASES_DIR"
_CASE_ID = re.compile(r"([0-9]{4})-([0-9]{4,6})", re.ASCII)
_MAX_ATTEMPTS = 10_000

Change = Callable[[Case], Case]
Record = Callable[[Case, list[Attachment]], Case]


def validate_case_id(text: str) -> str:
    """Return `text` if it is a case id hesket gives out (like 2026-0042), else raise InvalidCaseId."""
    if isinstance(text, str) and _CASE_ID.fullmatch(text):
        return text
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise InvalidCaseId(f"{shown!r} is not a case id; case ids look like 2026-0042 (see `hesket case list`)")


def _id_key(case_id: str) -> tuple[int, int]:
    match = _CASE_ID.fullmatch(case_id)
    assert match is not None
    return int(match.group(1)), int(match.group(2))


def format_case_id(year: int, number: int) -> str:
    """The id of a year's n-th case: short, sortable, easy to read out on the phone."""
    return f"{year:04d}-{number:04d}"


def default_cases_dir() -> Path:
    """HESKET_CASES_DIR if set, else the platform's per-user data folder."""
    configured = os.environ.get(ENV_CASES_DIR)
    if configured:
        return Path(configured)
    import platformdirs  # imported here: only needed when no folder is configured

    return platformdirs.user_data_path("hesket", appauthor=False) / "cases"


def encode_case(case: Case) -> bytes:
    """The bytes of a case file."""
    import tomli_w  # imported here: reading cases, the common path, never needs it

    return tomli_w.dumps(case_to_dict(case)).encode("utf-8")


class CaseStore:
    """The cases folder: one `<id>/case.toml` per case, with its evidence beside it."""

    def __init__(self, root: Path, modes: FileModes = PRIVATE) -> None:
        self.root = Path(root)
        self.modes = modes

    # -- reading --------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every case id in the folder, oldest first (hidden and stray entries ignored)."""
        try:
            names = [e.name for e in os.scandir(self.root) if _CASE_ID.fullmatch(e.name) and e.is_dir()]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot read the cases folder: {exc.strerror}") from None
        return sorted(names, key=_id_key)

    def path_of(self, case_id: str) -> Path:
        """The case file of a validated id."""
        return self.root / validate_case_id(case_id) / CASE_FILE

    def load(self, case_id: str) -> Case:
        """Load one case; CaseNotFound if there is none, CaseFileError if it cannot be read."""
        path = self.path_of(case_id)
        try:
            raw = read_bounded(path, CASE_FILE_LIMIT)
        except FileNotFoundError:
            raise CaseNotFound(f"no case {case_id} in {self.root}; "
                               "see `hesket case list` for the cases there") from None
        except TooLarge as exc:
            raise CaseFileError(f"{path}: {exc.size} bytes, over the {CASE_FILE_LIMIT // (1024 * 1024)} MB a case "
                                "file may have; the file was left as it is") from None
        except NotARegularFile as exc:
            raise CaseFileError(f"{path}: {exc.strerror}, not a case file; the file was left as it is") from None
        except OSError as exc:
            raise CaseFileError(f"{path}: cannot read the case file: {exc.strerror}") from None
        return _parse(raw, path, case_id)

    def entries(self) -> Iterator[tuple[str, Case | CaseFileError]]:
        """(id, case) for every case, oldest first; a case that cannot be read comes as its error."""
        for case_id in self.ids():
            try:
                yield case_id, self.load(case_id)
            except CaseFileError as exc:
                yield case_id, exc
            except CaseNotFound as exc:
                yield case_id, CaseFileError(exc.message)

    def fingerprints(self) -> list[tuple[str, str | None]]:
        """(id, fingerprint) of every case file: what tells a cache that a file has changed."""
        root = str(self.root)
        found: list[tuple[str, str | None]] = []
        for case_id in self.ids():
            try:
                st = os.stat(os.path.join(root, case_id, CASE_FILE))
                found.append((case_id, f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"))
            except OSError:
                found.append((case_id, None))
        return found

    def evidence_path(self, case_id: str, attachment: Attachment) -> Path:
        """Where a case's piece of evidence is kept."""
        return self.path_of(case_id).parent / EVIDENCE_DIR / attachment.file

    def evidence_problems(self, case: Case) -> list[str]:
        """Each attachment of the case that is missing, unreadable or no longer has its recorded hash."""
        problems = []
        for event in case.events:
            if event.attachment is None:
                continue
            where = self.evidence_path(case.id, event.attachment)
            try:
                _, digest = hash_file(where)
            except FileNotFoundError:
                problems.append(f"{where}: missing (evidence {event.attachment.name!r} of case {case.id})")
                continue
            except OSError as exc:
                problems.append(f"{where}: cannot read it ({exc.strerror})")
                continue
            if digest != event.attachment.sha256:
                problems.append(f"{where}: changed since it was attached on {event.on.isoformat()} "
                                f"(SHA-256 was {event.attachment.sha256[:12]}..., now {digest[:12]}...)")
        return problems

    # -- writing --------------------------------------------------------------

    def create(self, make_case: Callable[[str], Case], year: int) -> Case:
        """Save a new case under the year's next free id and return it.

        The case is written into a hidden folder and renamed into place; a
        rename onto an id another triage took a moment earlier fails, and the
        next number is tried, so concurrent triages never share an id and no
        half-made case folder is ever visible.
        """
        self._ensure_root()
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
            set_mode(staging, self.modes.folder)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot write to the cases folder: {exc.strerror}") from None
        try:
            return self._place(staging, make_case, year)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot save the case: {exc.strerror or exc}; nothing was saved") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _place(self, staging: Path, make_case: Callable[[str], Case], year: int) -> Case:
        number = self._last_number(year)
        for _ in range(_MAX_ATTEMPTS):
            number += 1
            case = make_case(format_case_id(year, number))
            atomic_write(staging / CASE_FILE, encode_case(case), self.modes)
            try:
                os.rename(staging, self.root / case.id)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
                    continue
                raise
            fsync_dir(self.root)
            return case
        raise StoreError(f"{self.root}: could not find a free case id for {year}")

    def update(self, case_id: str, change: Change) -> Case:
        """Load a case, apply `change`, and write the result, all under the case's lock.

        `change` may raise (a refusal, say): then nothing is written. Two
        updates of one case at the same moment run one after the other, so
        both land, in order.
        """
        path = self.path_of(case_id)
        with self.lock(case_id):
            _sweep_temporary(path.parent)
            changed = change(self.load(case_id))
            atomic_write(path, encode_case(changed), self.modes)
        return changed

    def attach(self, case_id: str, files: Sequence[Path], record: Record,
               check: Callable[[Case], None] = lambda case: None) -> Case:
        """Copy evidence files into the case's folder, then record them with `record`, under the lock.

        Every file is opened before anything is copied, so a missing or
        unreadable file changes nothing. Each copy is written atomically; the
        case file is written last, so a case never names evidence that is
        not there.
        """
        handles: list[tuple[Path, BinaryIO]] = []
        try:
            for file in files:
                handles.append((Path(file), _open_evidence(Path(file))))
            path = self.path_of(case_id)
            with self.lock(case_id):
                _sweep_temporary(path.parent)
                case = self.load(case_id)
                check(case)  # may refuse: then nothing has been copied
                folder = path.parent / EVIDENCE_DIR
                make_folder(folder, self.modes)
                used = len([e for e in case.events if e.attachment is not None])
                attachments = []
                for number, (source, handle) in enumerate(handles, start=used + 1):
                    name = evidence_file_name(number, source.name)
                    size, digest = copy_atomically(handle, folder / name, self.modes)
                    attachments.append(Attachment(file=name, name=source.name, size=size, sha256=digest))
                changed = record(case, attachments)
                atomic_write(path, encode_case(changed), self.modes)
            return changed
        finally:
            for _, handle in handles:
                handle.close()

    @contextlib.contextmanager
    def lock(self, case_id: str) -> Iterator[None]:
        """Hold the case's lock: an OS lock on `<id>/.lock`, released by the OS if the process dies.

        Waits up to LOCK_WAIT_SECONDS for another hesket to finish with the
        case, then gives up with CaseLocked naming the lock file.
        """
        folder = self.path_of(case_id).parent
        if not folder.is_dir():
            raise CaseNotFound(f"no case {case_id} in {self.root}; see `hesket case list` for the cases there")
        lock_path = folder / LOCK_FILE
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, self.modes.file)
        except OSError as exc:
            raise StoreError(f"{lock_path}: cannot open the case's lock file: {exc.strerror}") from None
        try:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while not try_lock(fd):
                if time.monotonic() > deadline:
                    raise CaseLocked(
                        f"case {case_id} is being changed by another hesket (lock {lock_path}); "
                        "try again in a moment. If no other hesket is running, restart the computer "
                        "or delete that lock file"
                    )
                time.sleep(0.01)
            try:
                yield
            finally:
                unlock(fd)
        finally:
            os.close(fd)

    def _last_number(self, year: int) -> int:
        numbers = [_id_key(i)[1] for i in self.ids() if _id_key(i)[0] == year]
        return max(numbers, default=0)

    def _ensure_root(self) -> None:
        try:
            make_folder(self.root, self.modes)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the cases folder: {exc.strerror}") from None


def _open_evidence(file: Path) -> BinaryIO:
    """Open a file to attach; anything that cannot be attached is refused before anything is copied."""
    from .files import open_regular

    try:
        return open_regular(file)
    except FileNotFoundError:
        raise EvidenceError(f"{file}: no such file; nothing was attached") from None
    except NotARegularFile as exc:
        kind = "is a folder, not a file" if exc.strerror == "a folder" else f"is {exc.strerror}"
        raise EvidenceError(f"{file}: {kind}; nothing was attached") from None
    except IsADirectoryError:
        raise EvidenceError(f"{file}: is a folder, not a file; nothing was attached") from None
    except OSError as exc:
        raise EvidenceError(f"{file}: cannot read it ({exc.strerror}); nothing was attached") from None


def _parse(raw: bytes, path: Path, case_id: str) -> Case:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text; the file was left as it is") from None
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{path}: not valid TOML ({exc}); the file was left as it is") from None
    except RecursionError:
        raise CaseFileError(f"{path}: nested too deeply to be a case file; the file was left as it is") from None
    try:
        case = case_from_dict(data)
    except CaseDataError as exc:
        raise CaseFileError(f"{path}: {exc}; the file was left as it is") from None
    if case.id != case_id:
        raise CaseFileError(f"{path}: holds case {case.id!r}, not {case_id}; the file was left as it is")
    return case


def _sweep_temporary(folder: Path) -> None:
    """Remove temporary files a killed hesket left in a case's folder.

    Called under the case's lock: only the lock holder writes temporary files
    there, so any found now belong to a process that died mid-write. They
    may hold personal data, so they are not left lying about.
    """
    for place in (folder, folder / EVIDENCE_DIR):
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
