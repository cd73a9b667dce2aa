"""store.py: the cases folder: case ids, case files, their locks and their evidence.

Case files hold personal data about children and adults, so this module is
careful in one place: ids typed by users are checked against a strict
pattern before they become paths; every write is atomic (files.py); a new
case is built in a staging folder (under `.hesket/`) and renamed into
place, which also makes two triages at once get different ids; every
change holds the case's OS lock; every write seals the history
(sealing.py), so no writer can forget to. A case file that cannot be read is reported with its path and
never overwritten. Nothing here opens a socket, prints or knows the policy.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .case import Case, CaseDataError
from .case_data import case_from_dict, case_to_dict
from .errors import (
    CaseFileError,
    CaseLocked,
    CaseNotFound,
    CasesFolderError,
    FolderError,
    InvalidCaseId,
    StoreError,
    cases_folder_unusable,
    write_failed,
)
from .files import (
    PRIVATE,
    FileModes,
    NotARegularFile,
    TooLarge,
    atomic_write,
    fsync_dir,
    make_folder,
    read_bounded,
    set_mode,
    try_lock,
    unlock,
)
from .toml_read import DECODE_ERRORS
from .toml_read import loads as toml_loads

CASE_FILE = "case.toml"
LOCK_FILE = ".lock"
EVIDENCE_DIR = "evidence"
LOCK_WAIT_SECONDS = 15.0
CASE_FILE_LIMIT = 5 * 1024 * 1024
ENV_CASES_DIR = "HESKET_CASES_DIR"
_CASE_ID = re.compile(r"([0-9]{4})-([0-9]{4,6})", re.ASCII)
_MAX_ATTEMPTS = 10_000

Change = Callable[[Case], Case]


def validate_case_id(text: str) -> str:
    """Return `text` if it is a case id hesket gives out (like 2026-0042), else raise InvalidCaseId."""
    if isinstance(text, str) and _CASE_ID.fullmatch(text):
        return text
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise InvalidCaseId(f"{shown!r} is not a case id; case ids look like 2026-0042 (see `hesket case list`)")


def _sort_key(case_id: str) -> str:
    """A case id's sort key, year then number, as text (an id is YYYY-NNNN..., checked before it gets here)."""
    return case_id[:5] + case_id[5:].rjust(6, "0")


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

    def __init__(self, root: Path, modes: FileModes = PRIVATE, *, found_by: str | None = None) -> None:
        self.root = Path(root)
        self.modes = modes
        self.found_by = found_by  # what named the folder (HESKET_CASES_DIR, say), for the fix an error gives

    # -- reading --------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every case id in the folder, oldest first (hidden and stray entries ignored)."""
        try:
            names = [e.name for e in os.scandir(self.root) if _CASE_ID.fullmatch(e.name) and e.is_dir()]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise cases_folder_unusable(self.root, exc, self.found_by) from None
        if len(set(map(len, names))) > 1:  # numbers of 5 or 6 digits among them: sorted by the padded number
            names.sort(key=_sort_key)
        else:
            names.sort()  # ids of one length sort as text as they do by number
        return names

    def _root_problem(self) -> CasesFolderError | None:
        """Why the cases folder cannot be used, if it cannot (None if it can, or does not exist yet)."""
        try:
            with os.scandir(self.root):
                return None
        except FileNotFoundError:
            return None
        except OSError as exc:
            return cases_folder_unusable(self.root, exc, self.found_by)

    def count(self) -> int:
        """About how many cases the folder holds (for a progress bar): the entries named as cases are, unsorted."""
        try:
            return sum(map(bool, map(_CASE_ID.fullmatch, os.listdir(self.root))))
        except OSError:
            return 0

    def path_of(self, case_id: str) -> Path:
        """The case file of a validated id."""
        return self.root / validate_case_id(case_id) / CASE_FILE

    def load(self, case_id: str) -> Case:
        """Load one case; CaseNotFound if there is none, CaseFileError if it cannot be read.

        The case's folder and file are never followed if they are links, and
        a folder other users could change is refused: what hesket reads is
        what it wrote.
        """
        return self.load_with_bytes(case_id)[0]

    def load_with_bytes(self, case_id: str) -> tuple[Case, bytes]:
        """A case and the bytes of its file as they are (for a bundle, or the index), checked as `load` checks them."""
        raw = self.read_bytes(case_id)
        return _parse(raw, self.path_of(case_id), case_id), raw

    def read_bytes(self, case_id: str) -> bytes:
        """A case file's bytes, unparsed, read as `load` reads them (CaseNotFound, CaseFileError likewise)."""
        path = self.path_of(case_id)
        try:
            check_folder(self.root, self.modes, link_allowed=True)
            check_folder(path.parent, self.modes)
            raw = read_bounded(path, CASE_FILE_LIMIT, follow_links=False)
        except FolderError as exc:
            raise CaseFileError(exc.message) from None
        except FileNotFoundError:
            raise self._root_problem() or CaseNotFound(f"no case {case_id} in {self.root}; "
                                                       "see `hesket case list` for the cases there") from None
        except TooLarge as exc:
            raise CaseFileError(f"{path}: {exc.size} bytes, over the {CASE_FILE_LIMIT // (1024 * 1024)} MB a case "
                                "file may have; the file was left as it is") from None
        except NotARegularFile as exc:
            raise CaseFileError(f"{path}: {_not_a_case_file(exc.kind)}; the file was left as it is") from None
        except OSError as exc:
            raise self._root_problem() or CaseFileError(f"{path}: cannot read the case file: {exc.strerror}") from None
        return raw

    def entries(self) -> Iterator[tuple[str, Case | CaseFileError]]:
        """(id, case) for every case, oldest first; a case that cannot be read comes as its error."""
        for case_id in self.ids():
            try:
                yield case_id, self.load(case_id)
            except CaseFileError as exc:
                yield case_id, exc
            except CaseNotFound as exc:
                yield case_id, CaseFileError(exc.message)

    def folder_of(self, case_id: str) -> Path:
        """A case's folder, checked: not a link, not open to other users (FolderError otherwise)."""
        folder = self.root / validate_case_id(case_id)
        check_folder(folder, self.modes)
        return folder

    # -- writing --------------------------------------------------------------

    def create(self, make_case: Callable[[str], Case], year: int) -> Case:
        """Save a new case under the year's next free id and return it.

        The case is written into a folder of its own in the staging folder
        (`.hesket/staging/`, on the same disk) and renamed into place; a
        rename onto an id another triage took a moment earlier fails, and the
        next number is tried, so concurrent triages never share an id and no
        half-made case folder is ever visible. What killed triages left in
        the staging folder more than ten minutes ago is removed first.
        """
        from .leftovers import STAGING_GRACE_SECONDS, make_staging_folder, staging_folder, sweep_staging
        from .numbering import last_number

        self._ensure_root()
        number = last_number(self.root, year, lambda: self._listed_last_number(year))
        check_folder(staging_folder(self.root).parent, self.modes)
        place = make_staging_folder(self.root, self.modes)
        check_folder(place, self.modes)
        sweep_staging(self.root, older_than=STAGING_GRACE_SECONDS)
        try:
            import tempfile

            staging = Path(tempfile.mkdtemp(prefix="new-", dir=place))
            set_mode(staging, self.modes.folder)
        except OSError as exc:
            raise write_failed(place, exc, "make a new case in") from None
        try:
            return self._place(staging, make_case, year, number)
        except OSError as exc:
            raise write_failed(staging / CASE_FILE, exc) from None
        finally:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)

    def _place(self, staging: Path, make_case: Callable[[str], Case], year: int, number: int) -> Case:
        from .numbering import format_case_id, remember

        # The lock is made with the case, so no later change has to create a file before it can start.
        os.close(os.open(staging / LOCK_FILE, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0),
                         self.modes.file))
        set_mode(staging / LOCK_FILE, self.modes.file)  # the umask must not take the group's write away
        for _ in range(_MAX_ATTEMPTS):
            number += 1
            case = _sealed(None, make_case(format_case_id(year, number)))
            atomic_write(staging / CASE_FILE, encode_case(case), self.modes)
            try:
                os.rename(staging, self.root / case.id)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
                    continue
                raise
            fsync_dir(self.root)
            remember(self.root, year, number, self.modes)
            return case
        raise StoreError(f"{self.root}: could not find a free case id for {year}")

    def update(self, case_id: str, change: Change) -> Case:
        """Load a case, apply `change`, and write the result, all under the case's lock.

        `change` may raise (a refusal, say): then nothing is written. Two
        updates of one case at the same moment run one after the other, so
        both land, in order. The case returned is the one written, sealed.
        """
        path = self.path_of(case_id)
        with self.lock(case_id):
            from .leftovers import sweep_temporary

            sweep_temporary(path.parent, path.parent / EVIDENCE_DIR)
            before = self.load(case_id)
            return self.save(before, change(before))

    def save(self, before: Case, after: Case) -> Case:
        """Seal `after`'s new events onto `before`'s chain and write it; the caller holds the case's lock."""
        written = _sealed(before, after)
        self.write(self.path_of(after.id), encode_case(written))
        return written

    def write(self, path: Path, data: bytes) -> None:
        """Write a file of the cases folder atomically; a refusal by the system is WriteFailed naming it."""
        atomic_write(path, data, self.modes)

    @contextlib.contextmanager
    def lock(self, case_id: str) -> Iterator[None]:
        """Hold the case's lock: an OS lock on `<id>/.lock`, released by the OS if the process dies.

        Waits up to LOCK_WAIT_SECONDS for another hesket to finish with the
        case, then gives up with CaseLocked naming the lock file.
        """
        folder = self.path_of(case_id).parent
        if not folder.is_dir():
            raise self._root_problem() or CaseNotFound(f"no case {case_id} in {self.root}; "
                                                       "see `hesket case list` for the cases there")
        check_folder(self.root, self.modes, link_allowed=True)
        check_folder(folder, self.modes)
        lock_path = folder / LOCK_FILE
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), self.modes.file)
            _fix_lock_mode(fd, self.modes)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise FolderError(f"{lock_path}: is a link; hesket does not follow links in the cases folder; "
                                  "remove it and try again") from None
            raise write_failed(lock_path, exc, "open the case's lock file") from None
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

    def _listed_last_number(self, year: int) -> int:
        numbers = [int(i[5:]) for i in self.ids() if i[:4] == f"{year:04d}"]
        return max(numbers, default=0)

    def _ensure_root(self) -> None:
        try:
            make_folder(self.root, self.modes)
        except OSError as exc:
            raise write_failed(self.root, exc, "create the cases folder") from None
        check_folder(self.root, self.modes, link_allowed=True)

    def staging_leftovers(self) -> list[Path]:
        """Staging folders a triage (or purge) killed before its last step left behind (each holds a whole case)."""
        from .leftovers import staging_in

        return staging_in(self.root)


def _sealed(before: Case | None, after: Case) -> Case:
    """`after` with its history sealed (sealing.py), imported only by a command that writes."""
    from .sealing import sealed

    return sealed(before, after)


def _parse(raw: bytes, path: Path, case_id: str) -> Case:
    try:
        data = toml_loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text; the file was left as it is") from None
    except DECODE_ERRORS as exc:
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


def _not_a_case_file(kind: str) -> str:
    """Why a case file that is not a regular file is refused, and how to fix it."""
    if kind == "a link":
        return ("is a link, not a case file; hesket does not follow links in the cases folder; "
                "replace the link with the case file itself")
    return (f"is {kind}, not a regular file; a case file is a plain file: remove this one and put the case "
            "file back from a backup")


def _fix_lock_mode(fd: int, modes: FileModes) -> None:
    """Give a lock file we own the workspace's mode (the umask may have narrowed it when it was made)."""
    if not hasattr(os, "fchmod"):
        return
    info = os.fstat(fd)
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != modes.file:
        os.fchmod(fd, modes.file)


def check_folder(folder: Path, modes: FileModes, *, link_allowed: bool = False) -> None:
    """Refuse a folder of the cases folder that is a link, or that users it is not shared with may change.

    FolderError names the folder and the command that fixes it. A folder
    that does not exist passes (the caller decides what that means). The
    cases folder itself may be a link a school made on purpose.
    """
    try:
        info = os.lstat(folder)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        if not link_allowed:
            raise FolderError(f"{folder}: is a link; hesket does not follow links inside the cases folder; "
                              "replace it with the case's own folder")
        info = os.stat(folder)
    if os.name == "nt":
        return
    extra = stat.S_IMODE(info.st_mode) & 0o022 & ~modes.folder
    if extra:
        raise FolderError(f"{folder}: other users may change this folder (mode {stat.S_IMODE(info.st_mode):o}); "
                          f"fix with: chmod {'g-w,' if extra & 0o020 else ''}o-w {folder}")
