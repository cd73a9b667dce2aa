"""store.py: the only code that touches the cases folder.

Case files hold personal data about children and adults, so this module is
careful in one place: ids typed by users are checked against a strict pattern
before they become paths; folders are created 0700 and files 0600 (owner
only); every write goes to a temporary file in the same folder, is fsynced
and then swapped in with `os.replace`, so a case is never half-written; a new
case is built in a hidden folder and renamed into place, which also makes two
triages at once get different ids. A case file that cannot be read is
reported with its path and never overwritten. Nothing here opens a socket.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .case import Attachment, Case, CaseDataError, case_from_dict, case_to_dict, evidence_file_name
from .errors import CaseFileError, CaseLocked, CaseNotFound, EvidenceError, InvalidCaseId, StoreError

CASE_FILE = "case.toml"
LOCK_FILE = ".lock"
EVIDENCE_DIR = "evidence"
LOCK_WAIT_SECONDS = 15.0
ENV_CACHE_DIR = "HESKET_CACHE_DIR"
INDEX_FORMAT = 2
ENV_CASES_DIR = "HESKET_CASES_DIR"
_CASE_ID = re.compile(r"([0-9]{4})-([0-9]{4,6})", re.ASCII)
_MAX_ATTEMPTS = 10_000


def validate_case_id(text: str) -> str:
    """Return `text` if it is a case id hesket gives out (like 2026-0042), else raise InvalidCaseId."""
    if isinstance(text, str) and _CASE_ID.fullmatch(text):
        return text
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise InvalidCaseId(f"{shown!r} is not a case id; case ids look like 2026-0042 (see `hesket case list`)")


def _id_key(case_id: str) -> tuple[int, int]:
    year, number = _CASE_ID.fullmatch(case_id).groups()
    return int(year), int(number)


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


class CaseStore:
    """The cases folder: one `<id>/case.toml` per case, with room for evidence beside it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- reading --------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every case id in the folder, oldest first (hidden and stray entries ignored)."""
        try:
            names = [e.name for e in os.scandir(self.root) if e.is_dir() and _CASE_ID.fullmatch(e.name)]
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
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CaseNotFound(f"no case {case_id} in {self.root}; see `hesket case list` for the cases there") from None
        except OSError as exc:
            raise CaseFileError(f"{path}: cannot read the case file: {exc.strerror}") from None
        return _parse(raw, path, case_id)

    def load_all(self) -> Iterator[Case | CaseFileError]:
        """Every case, oldest first; a case that cannot be read is yielded as its error."""
        for _, loaded in self.entries():
            yield loaded

    def entries(self) -> Iterator[tuple[str, Case | CaseFileError]]:
        """(id, case) for every case, oldest first; a case that cannot be read comes as its error."""
        for case_id in self.ids():
            try:
                yield case_id, self.load(case_id)
            except (CaseFileError, CaseNotFound) as exc:
                yield case_id, exc if isinstance(exc, CaseFileError) else CaseFileError(exc.message)

    def derived(self, kind: str, key: str, compute: Callable[[Case], tuple[str, Any]]
                ) -> Iterator[tuple[str, str, str] | tuple[str, None, CaseFileError]]:
        """(id, tag, JSON text) of `compute(case)` for every case, oldest first, through the index.

        The index (one SQLite file in the user's cache folder, named for the
        cases folder: see index_path) is only a cache: a row is used only
        while the case file's size, modification time and inode are what they
        were when it was computed, and `key` (the policy's hash) is the same.
        Anything else is recomputed from the case file. Deleting the index
        loses nothing; an index that cannot be opened is simply not used. A
        case that cannot be read comes as (id, None, its error), and is never
        cached.
        """
        index = _Index.open(self.index_path())
        try:
            yield from self._derived(kind, key, compute, self._fingerprints(), index)
        finally:
            if index:
                index.close()

    def listing(self, kind: str, key: str, compute: Callable[[Case], tuple[str, Any]], tags: set[str]
                ) -> tuple[bytes, list[CaseFileError]]:
        """A JSON array (UTF-8), newest first, of `compute(case)` for each case whose tag is in `tags`.

        The whole array is cached too, under a digest of every case's id and
        fingerprint and of `key`, so a large folder that has not changed is
        answered without touching a row per case; any change anywhere makes a
        new digest and the array is rebuilt from the rows. Cases that cannot
        be read are returned as errors, and then nothing whole is cached.
        """
        prints = self._fingerprints()
        digest = hashlib.sha256("\n".join(
            [f"{INDEX_FORMAT}:{_version()}:{key}:{kind}:{','.join(sorted(tags))}"]
            + [f"{case_id} {fingerprint}" for case_id, fingerprint in prints]).encode("utf-8")).hexdigest()
        index = _Index.open(self.index_path())
        try:
            whole = index.fetch_listing(kind, digest) if index else None
            if whole is not None:
                return whole, []
            texts, errors = [], []
            for _, tag, found in self._derived(kind, key, compute, prints, index):
                if tag is None:
                    errors.append(found)
                elif tag in tags:
                    texts.append(found)
            texts.reverse()
            whole = ("[" + ",\n".join(texts) + "]\n").encode("utf-8")
            if index and not errors and all(fingerprint for _, fingerprint in prints):
                index.save_listing(kind, digest, whole)
            return whole, errors
        finally:
            if index:
                index.close()

    def _fingerprints(self) -> list[tuple[str, str | None]]:
        """(id, fingerprint) of every case file: what tells the index a file has changed."""
        root = str(self.root)
        found = []
        for case_id in self.ids():
            try:
                st = os.stat(os.path.join(root, case_id, CASE_FILE))
                found.append((case_id, f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"))
            except OSError:
                found.append((case_id, None))
        return found

    def _derived(self, kind, key, compute, prints, index):
        import json

        full_key = f"{INDEX_FORMAT}:{_version()}:{key}"
        cached = index.fetch(kind, full_key) if index else {}
        fresh = []
        for case_id, fingerprint in prints:
            hit = cached.get(case_id)
            if hit is not None and fingerprint is not None and hit[0] == fingerprint:
                yield case_id, hit[1], hit[2]
                continue
            try:
                case = self.load(case_id)
            except (CaseFileError, CaseNotFound) as exc:
                yield case_id, None, exc if isinstance(exc, CaseFileError) else CaseFileError(exc.message)
                continue
            tag, value = compute(case)
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            if fingerprint is not None:
                fresh.append((case_id, fingerprint, tag, text))
            yield case_id, tag, text
        if index:
            index.save(kind, full_key, fresh, gone=set(cached) - {case_id for case_id, _ in prints})

    def index_path(self) -> Path:
        """The index of this cases folder: HESKET_CACHE_DIR, else the platform's user cache folder."""
        configured = os.environ.get(ENV_CACHE_DIR)
        if configured:
            folder = Path(configured)
        else:
            import platformdirs

            folder = platformdirs.user_cache_path("hesket", appauthor=False)
        name = hashlib.sha256(str(self.root.resolve()).encode("utf-8")).hexdigest()[:16]
        return folder / f"index-{name}.sqlite3"

    def evidence_problems(self, case: Case) -> list[str]:
        """Each attachment of the case that is missing, unreadable or no longer has its recorded hash."""
        problems = []
        for event in case.events:
            if event.attachment is None:
                continue
            where = self.evidence_path(case.id, event.attachment)
            try:
                _, digest = _hash_file(where)
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
            staging = Path(tempfile.mkdtemp(prefix=".new-", dir=self.root))
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot write to the cases folder: {exc.strerror}") from None
        try:
            number = self._last_number(year)
            for _ in range(_MAX_ATTEMPTS):
                number += 1
                case = make_case(format_case_id(year, number))
                atomic_write(staging / CASE_FILE, encode_case(case))
                try:
                    os.rename(staging, self.root / case.id)
                except OSError as exc:
                    if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
                        continue
                    raise
                _fsync_dir(self.root)
                return case
            raise StoreError(f"{self.root}: could not find a free case id for {year}")
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot save the case: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def update(self, case_id: str, change: Callable[[Case], Case]) -> Case:
        """Load a case, apply `change`, and write the result, all under the case's lock.

        `change` may raise (a refusal, say): then nothing is written. Two
        updates of one case at the same moment run one after the other, so
        both land, in order.
        """
        path = self.path_of(case_id)
        with self.lock(case_id):
            _sweep_temporary(path.parent)
            case = self.load(case_id)
            changed = change(case)
            atomic_write(path, encode_case(changed))
        return changed

    def attach(self, case_id: str, files: Sequence[Path], record: Callable[[Case, list[Attachment]], Case],
               check: Callable[[Case], None] = lambda case: None) -> Case:
        """Copy evidence files into the case's folder, then record them with `record`, under the lock.

        Every file is opened before anything is copied, so a missing or
        unreadable file changes nothing. Each copy is written atomically and
        created 0600; the case file is written last, so a case never names
        evidence that is not there.
        """
        handles = []
        try:
            for file in files:
                try:
                    handles.append((Path(file), open(file, "rb")))
                except FileNotFoundError:
                    raise EvidenceError(f"{file}: no such file; nothing was attached") from None
                except IsADirectoryError:
                    raise EvidenceError(f"{file}: is a folder, not a file; nothing was attached") from None
                except OSError as exc:
                    raise EvidenceError(f"{file}: cannot read it ({exc.strerror}); nothing was attached") from None
            path = self.path_of(case_id)
            with self.lock(case_id):
                _sweep_temporary(path.parent)
                case = self.load(case_id)
                check(case)  # may refuse: then nothing has been copied
                folder = path.parent / EVIDENCE_DIR
                folder.mkdir(mode=0o700, exist_ok=True)
                used = len([e for e in case.events if e.attachment is not None])
                attachments = []
                for number, (source, handle) in enumerate(handles, start=used + 1):
                    name = evidence_file_name(number, source.name)
                    size, digest = _copy_atomically(handle, folder / name)
                    attachments.append(Attachment(file=name, name=source.name, size=size, sha256=digest))
                changed = record(case, attachments)
                atomic_write(path, encode_case(changed))
            return changed
        finally:
            for _, handle in handles:
                handle.close()

    def evidence_path(self, case_id: str, attachment: Attachment) -> Path:
        """Where a case's piece of evidence is kept."""
        return self.path_of(case_id).parent / EVIDENCE_DIR / attachment.file

    def verify(self, case_ids: Sequence[str] | None = None) -> tuple[int, int, list[str]]:
        """Check that each case loads and each attachment still has its hash.

        Returns (cases checked, attachments checked, problems), each problem a
        line naming the path and what is wrong.
        """
        problems: list[str] = []
        cases = attachments = 0
        for case_id in self.ids() if case_ids is None else case_ids:
            cases += 1
            try:
                case = self.load(case_id)
            except CaseFileError as exc:
                problems.append(exc.message)
                continue
            attachments += sum(1 for e in case.events if e.attachment is not None)
            problems += self.evidence_problems(case)
        return cases, attachments, problems

    @contextlib.contextmanager
    def lock(self, case_id: str):
        """Hold the case's lock: an OS lock on `<id>/.lock`, released by the OS if the process dies.

        Waits up to LOCK_WAIT_SECONDS for another hesket to finish with the
        case, then gives up with CaseLocked naming the lock file.
        """
        folder = self.path_of(case_id).parent
        if not folder.is_dir():
            raise CaseNotFound(f"no case {case_id} in {self.root}; see `hesket case list` for the cases there")
        lock_path = folder / LOCK_FILE
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{lock_path}: cannot open the case's lock file: {exc.strerror}") from None
        try:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while not _try_lock(fd):
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
                _unlock(fd)
        finally:
            os.close(fd)

    def _last_number(self, year: int) -> int:
        numbers = [_id_key(i)[1] for i in self.ids() if _id_key(i)[0] == year]
        return max(numbers, default=0)

    def _ensure_root(self) -> None:
        try:
            existed = self.root.is_dir()
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not existed:
                _chmod(self.root, 0o700)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the cases folder: {exc.strerror}") from None


def encode_case(case: Case) -> bytes:
    """The bytes of a case file."""
    import tomli_w  # imported here: reading cases, the common path, never needs it

    return tomli_w.dumps(case_to_dict(case)).encode("utf-8")


def _parse(raw: bytes, path: Path, case_id: str) -> Case:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: not UTF-8 text; the file was left as it is") from None
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{path}: not valid TOML ({exc}); the file was left as it is") from None
    try:
        case = case_from_dict(data)
    except CaseDataError as exc:
        raise CaseFileError(f"{path}: {exc}; the file was left as it is") from None
    if case.id != case_id:
        raise CaseFileError(f"{path}: holds case {case.id!r}, not {case_id}; the file was left as it is")
    return case


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new, never a mix."""
    _write_atomically(path, lambda handle: handle.write(data))


def _write_atomically(path: Path, write: Callable[[Any], Any]) -> None:
    """Call `write(handle)` on a temporary file beside `path`, then swap it in.

    The temporary file (created 0600) is fsynced and swapped in with
    `os.replace`; on any failure, even Ctrl-C, it is removed.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        _chmod(Path(tmp), 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


class _Index:
    """The SQLite cache behind CaseStore.derived; every failure means "no cache", never an error."""

    def __init__(self, connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls, path: Path) -> "_Index | None":
        import sqlite3

        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            existed = path.exists()
            connection = sqlite3.connect(path, timeout=2, isolation_level=None)
            if not existed:
                _chmod(path, 0o600)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS derived (kind TEXT, id TEXT, key TEXT, fingerprint TEXT, tag TEXT, "
                "data TEXT, PRIMARY KEY (kind, id))"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS listings (kind TEXT PRIMARY KEY, digest TEXT, data TEXT)")
            return cls(connection)
        except (sqlite3.Error, OSError):
            return None

    def fetch(self, kind: str, key: str) -> dict[str, tuple[str, str, str]]:
        import sqlite3

        try:
            rows = self.connection.execute(
                "SELECT id, fingerprint, tag, data FROM derived WHERE kind = ? AND key = ?", (kind, key))
            return {row[0]: (row[1], row[2], row[3]) for row in rows}
        except sqlite3.Error:
            return {}

    def save(self, kind: str, key: str, rows: list[tuple[str, str, str, str]], gone: set[str]) -> None:
        import sqlite3

        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany(
                    "INSERT OR REPLACE INTO derived (kind, id, key, fingerprint, tag, data) VALUES (?, ?, ?, ?, ?, ?)",
                    [(kind, case_id, key, fingerprint, tag, data) for case_id, fingerprint, tag, data in rows])
                self.connection.executemany("DELETE FROM derived WHERE kind = ? AND id = ?",
                                            [(kind, case_id) for case_id in gone])
        except sqlite3.Error:
            pass

    def fetch_listing(self, kind: str, digest: str) -> bytes | None:
        import sqlite3

        try:
            row = self.connection.execute(
                "SELECT data FROM listings WHERE kind = ? AND digest = ?", (kind, digest)).fetchone()
            return row[0] if row and isinstance(row[0], bytes) else None
        except sqlite3.Error:
            return None

    def save_listing(self, kind: str, digest: str, data: bytes) -> None:
        import sqlite3

        try:
            self.connection.execute(
                "INSERT OR REPLACE INTO listings (kind, digest, data) VALUES (?, ?, ?)", (kind, digest, data))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        import sqlite3

        with contextlib.suppress(sqlite3.Error):
            self.connection.close()


def _version() -> str:
    from . import __version__

    return __version__


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


def _copy_atomically(source, target: Path) -> tuple[int, str]:
    """Copy an open file to `target` atomically (0600); return its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0

    def copy(out) -> None:
        nonlocal size
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)

    _write_atomically(target, copy)
    return size, digest.hexdigest()


def _hash_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _chmod(path: Path, mode: int) -> None:
    """Set owner-only permissions; on Windows, where modes mean little, this is best effort."""
    try:
        os.chmod(path, mode)
    except OSError:
        if os.name != "nt":
            raise


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder, and needs no such step."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
