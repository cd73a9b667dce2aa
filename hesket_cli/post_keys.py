"""post_keys.py: which cases may hold a post like a new one, without reading every case.

Each triage warns when its post looks already recorded. Reading every case
to find out would make each triage slower as the folder grows, so the
index also keeps each case's post keys (short digests of what identifies a
post, never its text) for a triage to look up. Like the rest of the index
it is a cache, and only a pointer: every case it names is read from its
file and checked before anything is said. It is brought up to date in full
by every search of all the cases, for each case a triage saves, and by
probing the ids numbered after the newest it holds, so a colleague's
triages in a shared workspace (whose index is their own) are seen too.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from .index import Index, Warn, index_path

if TYPE_CHECKING:
    from .store import CaseStore

SCHEME = "post-keys 2"  # changes when what makes a key changes: then every key is rebuilt


def digest(words: str) -> str:
    """A post key as stored: a digest, so the index holds no text of a post."""
    return hashlib.sha256(f"{SCHEME}\n{words}".encode()).hexdigest()[:20]


class PostKeys:
    """The post keys of every case the index has seen; a failure inside means "not known", never an error."""

    def __init__(self, index: Index) -> None:
        self.db = index.connection
        self.db.execute("CREATE TABLE IF NOT EXISTS post_keys (key TEXT, id TEXT, PRIMARY KEY (key, id))")
        self.db.execute("CREATE TABLE IF NOT EXISTS post_cases (id TEXT PRIMARY KEY, year INTEGER, number INTEGER)")
        self.db.execute("CREATE TABLE IF NOT EXISTS post_state (scheme TEXT PRIMARY KEY)")
        # A triage asks for a year's newest case and replaces one case's keys: without these, each of those
        # reads every row, milliseconds a time at a trust's 100,000 cases (a triage must not grow with them).
        self.db.execute("CREATE INDEX IF NOT EXISTS post_cases_by_year ON post_cases (year, number)")
        self.db.execute("CREATE INDEX IF NOT EXISTS post_keys_by_case ON post_keys (id)")

    def complete(self) -> bool:
        """Whether every case was seen once (by a search of all cases) under this scheme."""
        import sqlite3

        try:
            return self.db.execute("SELECT 1 FROM post_state WHERE scheme = ?", (SCHEME,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def lookup(self, keys: Iterable[str]) -> set[str] | None:
        """The ids of the cases holding any of `keys` (None if the index cannot say)."""
        import sqlite3

        wanted = list(keys)
        try:
            return {row[0] for row in self.db.execute(
                f"SELECT id FROM post_keys WHERE key IN ({','.join('?' * len(wanted))})", wanted)}
        except sqlite3.Error:
            return None

    def newest(self, year: int) -> int:
        """The highest case number of `year` seen (0 if none)."""
        import sqlite3

        try:
            row = self.db.execute("SELECT MAX(number) FROM post_cases WHERE year = ?", (year,)).fetchone()
        except sqlite3.Error:
            return 0
        return int(row[0] or 0)

    def add(self, cases: Mapping[str, Iterable[str]]) -> None:
        """Keep these cases' keys, in place of any they had."""
        import sqlite3

        with contextlib.suppress(sqlite3.Error), self.db:
            self.db.execute("BEGIN")
            self._put(cases)

    def sync(self, cases: Mapping[str, Iterable[str]]) -> None:
        """Make the keys exactly those of `cases` (every case there is), and mark them complete.

        Only what differs is written, so a search of an unchanged folder
        costs one read of the keys.
        """
        import sqlite3

        wanted = {case_id: set(keys) for case_id, keys in cases.items()}
        with contextlib.suppress(sqlite3.Error), self.db:
            held: dict[str, set[str]] = {case_id: set() for (case_id,) in self.db.execute("SELECT id FROM post_cases")}
            for key, case_id in self.db.execute("SELECT key, id FROM post_keys"):
                held.setdefault(case_id, set()).add(key)
            changed = {case_id: keys for case_id, keys in wanted.items() if held.get(case_id) != keys}
            gone = [(case_id,) for case_id in held if case_id not in wanted]
            if not changed and not gone and self.complete():
                return
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM post_keys WHERE id = ?", gone)
            self.db.executemany("DELETE FROM post_cases WHERE id = ?", gone)
            self._put(changed)
            self.db.execute("INSERT OR REPLACE INTO post_state (scheme) VALUES (?)", (SCHEME,))

    def _put(self, cases: Mapping[str, Iterable[str]]) -> None:
        self.db.executemany("DELETE FROM post_keys WHERE id = ?", [(case_id,) for case_id in cases])
        self.db.executemany("INSERT OR REPLACE INTO post_keys (key, id) VALUES (?, ?)",
                            [(key, case_id) for case_id, keys in cases.items() for key in set(keys)])
        self.db.executemany("INSERT OR REPLACE INTO post_cases (id, year, number) VALUES (?, ?, ?)",
                            [(case_id, *map(int, case_id.split("-"))) for case_id in cases])


@contextlib.contextmanager
def post_keys(store: CaseStore, warn: Warn) -> Iterator[PostKeys | None]:
    """The post keys of `store`'s index, or None where the index cannot be used."""
    import sqlite3

    index = Index.open(index_path(store.root), warn)
    if index is None:
        yield None
        return
    try:
        try:
            keys: PostKeys | None = PostKeys(index)
        except sqlite3.Error:
            keys = None
        yield keys
    finally:
        index.close()
