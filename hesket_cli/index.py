"""index.py: a cache of what commands derive from each case, so reviewing thousands is quick.

The index is one SQLite file in the user's cache folder, named for the
cases folder. It is only a cache, never trusted over the case files: what
was derived from a case is used only while the case file's bytes are what
they were (a digest of them is kept, re-read whenever the file's size,
modification time, change time or inode has moved) and the key (the
policy's hash, hesket's version) is the same. Anything else is recomputed
from the case file (derive.py). Deleting the index loses nothing; an index
that cannot be opened or used is simply not used.

It holds the same personal data as the case files, so hesket uses it only if
it is a regular file owned by the current user and closed to everyone else;
otherwise it is left alone with a warning and a private one is used instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .files import make_folder, set_mode

if TYPE_CHECKING:
    import sqlite3

    from .store import CaseStore

ENV_CACHE_DIR = "HESKET_CACHE_DIR"
FORMAT = 9  # the tables' layout: an index of another is made afresh

Warn = Callable[[str], None]
CHUNK_SIZE = 100  # cases whose records are compressed together: a changed case re-packs this many


def chunk_of(case_id: str) -> str:
    """The chunk a case's records are kept in: its year and its number's hundred (2026-0142 -> 2026-1)."""
    year, number = case_id.split("-")
    return f"{year}-{int(number) // CHUNK_SIZE}"


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
    """The SQLite cache; every failure inside means "no cache", never an error.

    Tables: `files` (each case file's fingerprint and the digest of its
    bytes), `chunks` (what one kind of command derives from up to
    CHUNK_SIZE cases, compressed together: cases repeat the policy's words,
    so together they take a fraction of the room; with a stamp, a digest of
    its members and their files' fingerprints when they were last found
    current), `hashes` (evidence files' SHA-256s); post_keys.py adds its own.
    """

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
            if connection.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                connection = _started_again(connection, path)
            return cls(connection)
        except (sqlite3.Error, OSError):
            return None

    def files(self) -> dict[str, tuple[str, str]]:
        """Each case file's last seen fingerprint and the digest of its bytes then: id -> (fingerprint, digest)."""
        import sqlite3

        try:
            return {row[0]: (row[1], row[2]) for row in self.connection.execute(
                "SELECT id, fingerprint, digest FROM files")}
        except sqlite3.Error:
            return {}

    def chunks(self, kind: str, key: str) -> dict[str, tuple[str, bytes, str]]:
        """Every chunk of `kind` computed under `key`: name -> (members, packed texts, stamp)."""
        import sqlite3

        try:
            rows = self.connection.execute("SELECT chunk, members, data, stamp FROM chunks WHERE kind = ? AND key = ?",
                                           (kind, key))
            return {row[0]: (row[1], row[2], row[3]) for row in rows}
        except sqlite3.Error:
            return {}

    def save(self, kind: str, key: str, chunks: Sequence[tuple[str, str, bytes, str]], gone: set[str],
             files: Sequence[tuple[str, str, str]], stamps: Sequence[tuple[str, str]] = ()) -> None:
        """Store fresh chunks (name, members, packed texts, stamp), forget chunks now empty, note files' digests,
        and give chunks found current a new stamp (name, stamp)."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error), self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT OR REPLACE INTO chunks (kind, chunk, key, members, data, stamp) VALUES (?, ?, ?, ?, ?, ?)",
                [(kind, name, key, members, data, stamp) for name, members, data, stamp in chunks])
            self.connection.executemany("DELETE FROM chunks WHERE kind = ? AND chunk = ?",
                                        [(kind, name) for name in gone])
            self.connection.executemany("UPDATE chunks SET stamp = ? WHERE kind = ? AND chunk = ? AND key = ?",
                                        [(stamp, kind, name, key) for name, stamp in stamps])
            self.connection.executemany("INSERT OR REPLACE INTO files (id, fingerprint, digest) VALUES (?, ?, ?)",
                                        files)

    def forget(self, case_ids: Sequence[str], folders: Sequence[str]) -> None:
        """Remove every row about these cases (and the chunks that held them, recomputed when next needed)
        and the hashes of evidence under `folders`: used when cases are purged."""
        import sqlite3

        ids = [(case_id,) for case_id in case_ids]
        with contextlib.suppress(sqlite3.Error), self.connection as db:
            db.execute("BEGIN")
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                if "id" in {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}:
                    db.executemany(f'DELETE FROM "{table}" WHERE id = ?', ids)
            db.executemany("DELETE FROM chunks WHERE chunk = ?", [(chunk_of(i),) for i in case_ids])
            for folder in folders:
                db.execute("DELETE FROM hashes WHERE substr(path, 1, ?) = ?", (len(folder), folder))

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


def _started_again(connection: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """An index of another format (an older hesket's) is emptied and made afresh: it is only a cache."""
    import sqlite3

    connection.close()
    with contextlib.suppress(OSError):
        os.unlink(path)  # where it cannot go (open elsewhere on Windows), its tables are emptied below
    connection = sqlite3.connect(path, timeout=2, isolation_level=None)
    set_mode(path, 0o600)
    with connection:
        connection.execute("BEGIN")
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            connection.execute(f'DROP TABLE IF EXISTS "{table}"')
        connection.execute("CREATE TABLE files (id TEXT PRIMARY KEY, fingerprint TEXT, digest TEXT)")
        connection.execute("CREATE TABLE chunks (kind TEXT, chunk TEXT, key TEXT, members TEXT, data BLOB, "
                           "stamp TEXT, PRIMARY KEY (kind, chunk))")
        connection.execute("CREATE TABLE hashes (path TEXT PRIMARY KEY, fingerprint TEXT, sha256 TEXT)")
        connection.execute(f"PRAGMA user_version = {FORMAT}")
    return connection


def pack(text: bytes, zdict: bytes = b"") -> bytes:
    """Cached records as stored: compressed, so the index stays smaller than the case files it derives from.

    `zdict` holds what every record repeats (the policy's titles and words).
    """
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict) if zdict else \
        zlib.compressobj(1)
    return packer.compress(text) + packer.flush()


def unpack(data: bytes | str, zdict: bytes = b"", size: int | None = None) -> bytes | None:
    """Cached records as read back (only their first `size` bytes, if given); None for data that is not what
    hesket stored (then it is simply a miss)."""
    import zlib

    if not isinstance(data, bytes):
        return None
    try:
        unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
        if size is not None:
            return unpacker.decompress(data, size)
        return unpacker.decompress(data) + unpacker.flush()
    except zlib.error:
        return None


def short_digest(text: str) -> str:
    """A key or fingerprint as stored: a short digest (the index keeps one per case and kind)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _user_tag() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else "private"


def hesket_version() -> str:
    from . import __version__

    return __version__


def _evidence_print(info: os.stat_result) -> str:
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_mode}"


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

        fingerprint = _evidence_print(os.lstat(path))
        hit = self.known.get(str(path))
        if hit is not None and hit[0] == fingerprint:
            return hit[1]
        _, digest = hash_file(path, follow_links=False)
        self.fresh.append((str(path), fingerprint, digest))
        return digest

    def unchanged(self, path: str, sha256: str) -> bool:
        """Whether the file at `path` (written as `str` writes its Path) is known to have the SHA-256 `sha256`
        and has not moved since: a quick look before `digest` (False says only "not known")."""
        hit = self.known.get(path)
        if hit is None or hit[1] != sha256:
            return False
        try:
            return hit[0] == _evidence_print(os.lstat(path))
        except OSError:
            return False

    def close(self) -> None:
        """Save what was hashed and close the index."""
        if self.index:
            if self.fresh:
                self.index.save_hashes(self.fresh)
            self.index.close()
