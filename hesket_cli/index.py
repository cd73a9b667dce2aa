"""index.py: a cache of what commands derive from each case, so reviewing thousands is quick.

The index is one SQLite file in the user's cache folder, named for the
cases folder. It is only a cache, never trusted over the case files: a row
is used only while the case file's size, modification time, change time and
inode are what they were when the row was computed, and the key (the
policy's hash, hesket's version) is the same. Anything else is recomputed
from the case file. Deleting the index loses nothing; an index that cannot
be opened or used is simply not used.

It holds the same personal data as the case files, so hesket uses it only if
it is a regular file owned by the current user and closed to everyone else;
otherwise it is left alone with a warning and a private one is used instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import make_folder, set_mode

if TYPE_CHECKING:
    import sqlite3

    from .case import Case
    from .errors import CaseFileError
    from .store import CaseStore

ENV_CACHE_DIR = "HESKET_CACHE_DIR"
FORMAT = 6

Warn = Callable[[str], None]
Compute = Callable[["Case"], tuple[str, Any]]
Derived = tuple[str, str, str] | tuple[str, None, "CaseFileError"]


def cache_folder() -> Path:
    """HESKET_CACHE_DIR if set, else the platform's per-user cache folder."""
    configured = os.environ.get(ENV_CACHE_DIR)
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_cache_path("hesket", appauthor=False)


def index_path(cases_root: Path) -> Path:
    """The index of one cases folder: a file in the cache folder named for the folder's real path."""
    name = hashlib.sha256(str(cases_root.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_folder() / f"index-{name}.sqlite3"


def _trusted(path: Path) -> str | None:
    """Why an existing index file may not be used (None if it may, or does not exist)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None  # absent, or its folder cannot be reached: opening it will fail quietly
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if os.name != "nt":
        if info.st_uid != os.getuid():
            return "it belongs to another user"
        if info.st_mode & 0o077:
            return f"other users may read or change it (mode {stat.S_IMODE(info.st_mode):o})"
    return None


class Index:
    """The SQLite cache; every failure inside means "no cache", never an error."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls, path: Path, warn: Warn) -> Index | None:
        """Open (creating if needed, owner only) the index at `path`; None if it cannot or may not be used."""
        import sqlite3

        problem = _trusted(path)
        if problem is not None:
            warn(f"{path}: not using this index because {problem}; using a private one instead")
            path = path.with_name(f"{path.stem}-{_user_tag()}{path.suffix}")
            problem = _trusted(path)
            if problem is not None:
                warn(f"{path}: not using this index either because {problem}; working without one")
                return None
        try:
            make_folder(path.parent)
            existed = path.exists()
            connection = sqlite3.connect(path, timeout=2, isolation_level=None)
            if not existed:
                set_mode(path, 0o600)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS derived (kind TEXT, id TEXT, key TEXT, fingerprint TEXT, tag TEXT, "
                "data TEXT, PRIMARY KEY (kind, id))"
            )
            connection.execute("CREATE TABLE IF NOT EXISTS listings (kind TEXT PRIMARY KEY, digest TEXT, data BLOB)")
            connection.execute("CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, fingerprint TEXT, "
                               "sha256 TEXT)")
            return cls(connection)
        except (sqlite3.Error, OSError):
            return None

    def fetch(self, kind: str, key: str) -> dict[str, tuple[str, str, bytes]]:
        """Every cached row of `kind` computed under `key`: id -> (fingerprint, tag, data)."""
        import sqlite3

        try:
            rows = self.connection.execute(
                "SELECT id, fingerprint, tag, data FROM derived WHERE kind = ? AND key = ?", (kind, key))
            return {row[0]: (row[1], row[2], row[3]) for row in rows}
        except sqlite3.Error:
            return {}

    def save(self, kind: str, key: str, rows: Sequence[tuple[str, str, str, bytes]], gone: set[str]) -> None:
        """Store fresh rows (id, fingerprint, tag, data) and forget cases that are gone."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT OR REPLACE INTO derived (kind, id, key, fingerprint, tag, data) VALUES (?, ?, ?, ?, ?, ?)",
                [(kind, case_id, key, fingerprint, tag, data) for case_id, fingerprint, tag, data in rows])
            self.connection.executemany("DELETE FROM derived WHERE kind = ? AND id = ?",
                                        [(kind, case_id) for case_id in gone])

    def fetch_blob(self, kind: str, digest: str) -> bytes | None:
        """A whole answer cached under `digest` (None if absent or stale)."""
        import sqlite3

        try:
            row = self.connection.execute(
                "SELECT data FROM listings WHERE kind = ? AND digest = ?", (kind, digest)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], bytes) else None

    def save_blob(self, kind: str, digest: str, data: bytes) -> None:
        """Cache a whole answer under `digest`, replacing the previous one of that kind."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error):
            self.connection.execute(
                "INSERT OR REPLACE INTO listings (kind, digest, data) VALUES (?, ?, ?)", (kind, digest, data))

    def hashes(self) -> dict[str, tuple[str, str]]:
        """Every evidence file's remembered hash: path -> (fingerprint, sha256)."""
        import sqlite3

        try:
            return {row[0]: (row[1], row[2]) for row in self.connection.execute(
                "SELECT path, fingerprint, sha256 FROM hashes")}
        except sqlite3.Error:
            return {}

    def save_hashes(self, rows: list[tuple[str, str, str]]) -> None:
        """Remember evidence hashes (path, fingerprint, sha256)."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany("INSERT OR REPLACE INTO hashes (path, fingerprint, sha256) VALUES (?, ?, ?)",
                                        rows)

    def close(self) -> None:
        """Close the connection (errors ignored: it is only a cache)."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error):
            self.connection.close()


def _pack(text: str, zdict: bytes = b"") -> bytes:
    """A cached text as stored: compressed, so the index stays smaller than the case files it derives from.

    `zdict` holds what every row repeats (the policy's titles and words), so
    each row stores only what is its own.
    """
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict) if zdict else \
        zlib.compressobj(1)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def _unpack(data: bytes | str, zdict: bytes = b"") -> str | None:
    """A cached text as read back; None for a row that is not what hesket stored (then it is simply a miss)."""
    import zlib

    if not isinstance(data, bytes):
        return None
    try:
        unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
        return (unpacker.decompress(data) + unpacker.flush()).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None


def _short(text: str) -> str:
    """A key or fingerprint as stored: a short digest (the index keeps one per case and kind)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _user_tag() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else "private"


def _version() -> str:
    from . import __version__

    return __version__


def derived(store: CaseStore, kind: str, key: str, compute: Compute, warn: Warn, *,
            zdict: bytes = b"") -> Iterator[Derived]:
    """(id, tag, JSON text) of `compute(case)` for every case, oldest first, through the index.

    A case that cannot be read comes as (id, None, its error), and is never
    cached.
    """
    index = Index.open(index_path(store.root), warn)
    try:
        yield from _derived(store, kind, key, compute, store.fingerprints(), index, zdict)
    finally:
        if index:
            index.close()


def listing(store: CaseStore, kind: str, key: str, compute: Compute, tags: set[str],
            warn: Warn, *, zdict: bytes = b"") -> tuple[list[str], list[CaseFileError]]:
    """The JSON texts of `compute(case)`, newest first, for each case whose tag is in `tags`.

    The whole list is cached too, under a digest of every case's id and
    fingerprint and of `key`, so a large folder that has not changed is
    answered without touching a row per case; any change anywhere makes a
    new digest and the list is rebuilt from the rows. Cases that cannot be
    read are returned as errors, and then nothing whole is cached.
    """
    prints = store.fingerprints()
    digest = hashlib.sha256("\n".join(
        [f"{FORMAT}:{_version()}:{key}:{kind}:{','.join(sorted(tags))}"]
        + [f"{case_id} {fingerprint}" for case_id, fingerprint in prints]).encode("utf-8")).hexdigest()
    index = Index.open(index_path(store.root), warn)
    try:
        whole = index.fetch_blob(kind, digest) if index else None
        if whole is not None:
            text = _unpack(whole, zdict)
            if text is not None:
                return (text.split("\n") if text else []), []
        texts: list[str] = []
        errors: list[CaseFileError] = []
        for _, tag, found in _derived(store, kind, key, compute, prints, index, zdict):
            if tag is None:
                errors.append(found)  # type: ignore[arg-type]
            elif tag in tags:
                texts.append(found)  # type: ignore[arg-type]
        texts.reverse()
        if index and not errors and all(fingerprint for _, fingerprint in prints):
            index.save_blob(kind, digest, _pack("\n".join(texts), zdict))
        return texts, errors
    finally:
        if index:
            index.close()


def _derived(store: CaseStore, kind: str, key: str, compute: Compute,
             prints: list[tuple[str, str | None]], index: Index | None, zdict: bytes) -> Iterator[Derived]:
    from .errors import CaseFileError

    full_key = _short(f"{FORMAT}:{_version()}:{key}")
    cached = index.fetch(kind, full_key) if index else {}
    fresh: list[tuple[str, str, str, bytes]] = []
    hits: dict[str, tuple[str, str]] = {}
    for case_id, fingerprint in prints:
        hit = cached.get(case_id)
        if hit is not None and fingerprint is not None and hit[0] == _short(fingerprint):
            text = _unpack(hit[2], zdict)
            if text is not None:
                hits[case_id] = (hit[1], text)
    misses = [case_id for case_id, _ in prints if case_id not in hits]
    computed = dict(compute_all(store, compute, misses))
    for case_id, fingerprint in prints:
        if case_id in hits:
            yield case_id, *hits[case_id]
            continue
        tag, found = computed[case_id]
        if tag is None:
            yield case_id, None, CaseFileError(found)
            continue
        if fingerprint is not None:
            fresh.append((case_id, _short(fingerprint), tag, _pack(found, zdict)))
        yield case_id, tag, found
    if index:
        index.save(kind, full_key, fresh, gone=set(cached) - {case_id for case_id, _ in prints})


PARALLEL_FROM = 1000  # below this, starting a second process costs more than it saves

Computed = tuple[str, tuple[str | None, str]]
_WORK: tuple[CaseStore, Compute] | None = None


def compute_all(store: CaseStore, compute: Compute, ids: list[str]) -> list[Computed]:
    """(id, (tag, JSON text)) for each case, or (id, (None, the error's message)) where it cannot be read.

    Reading and parsing thousands of case files is most of a cold run's
    time, so above PARALLEL_FROM cases the work is shared with a second
    process on machines that can fork (the first run after the index is
    lost, or `review` on a new folder); elsewhere it is done here.
    """
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(ids) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [(case_id, _compute_one(store, compute, case_id)) for case_id in ids]
    global _WORK
    _WORK = (store, compute)
    try:
        workers = min(cores, 4)
        chunks = [ids[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_compute_chunk, chunks)
    finally:
        _WORK = None
    return [item for part in parts for item in part]


def _compute_chunk(ids: list[str]) -> list[Computed]:
    assert _WORK is not None
    store, compute = _WORK
    return [(case_id, _compute_one(store, compute, case_id)) for case_id in ids]


def _compute_one(store: CaseStore, compute: Compute, case_id: str) -> tuple[str | None, str]:
    import json

    from .errors import CaseFileError, CaseNotFound

    try:
        case = store.load(case_id)
    except (CaseFileError, CaseNotFound) as exc:
        return None, exc.message
    tag, value = compute(case)
    return tag, json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class EvidenceHashes:
    """Evidence hashes remembered against each file's size, modification time, change time and inode.

    `review` checks every attachment on every run; re-reading unchanged
    files would cost more than everything else. A file whose fingerprint has
    not changed keeps its remembered hash; `case verify` always re-reads.
    """

    def __init__(self, store: CaseStore, warn: Warn) -> None:
        self.index = Index.open(index_path(store.root), warn)
        self.known = self.index.hashes() if self.index else {}
        self.fresh: list[tuple[str, str, str]] = []

    def digest(self, path: Path) -> str:
        """The SHA-256 of an evidence file (OSError, NotARegularFile as `hash_file` raises them)."""
        from .files import hash_file

        info = os.lstat(path)
        fingerprint = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_mode}"
        hit = self.known.get(str(path))
        if hit is not None and hit[0] == fingerprint:
            return hit[1]
        _, digest = hash_file(path, follow_links=False)
        self.fresh.append((str(path), fingerprint, digest))
        return digest

    def close(self) -> None:
        """Save what was hashed and close the index."""
        if self.index:
            if self.fresh:
                self.index.save_hashes(self.fresh)
            self.index.close()
