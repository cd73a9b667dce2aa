"""derive.py: what a command derives from every case, through the index, so a large folder is quick.

`review`, `case list`, `case find` and the governors' summary each derive
a small JSON record from every case. Computing them means parsing every
case file, which is most of the time a trust's folder takes; the index
keeps them, and a record is reused only while its case file's bytes are
the ones it came from (index.py). The records are kept in chunks of up to
CHUNK_SIZE cases compressed together (numbered cases of one year, so a
chunk's members never move); a changed case re-packs its chunk only.

When nothing has changed (each chunk's stamp, a digest of its members and
of their files' fingerprints, still holds) the records are used as they
are, with no look at each case's digest. A case file whose fingerprint
moved but whose bytes did not (copied back from a backup, touched) costs a
read, never a parse. A record that holds
only until a day (a wait in the school's settings ends) carries that day
in its tag (`open|2026-12-01`); from that day it is computed again. On a cold run (no
index, or a new policy), the parsing is shared with a second process where
the machine has cores to spare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .index import Index, Warn, chunk_of, hesket_version, index_path, pack, short_digest, unpack

if TYPE_CHECKING:
    from .case import Case
    from .errors import CaseFileError
    from .store import CaseStore

Compute = Callable[["Case"], tuple[str, Any]]
Derived = tuple[str, str, bytes] | tuple[str, None, "CaseFileError"]
Prints = list[tuple[str, "str | None"]]
Computed = tuple[str, tuple["str | None", bytes, "str | None"]]  # id, (tag, JSON text or error, digest)


def derived(store: CaseStore, kind: str, key: str, compute: Compute, warn: Warn, *, zdict: bytes = b"",
            today: str = "", recomputed: set[str] | None = None, wanted: set[str] | None = None) -> Iterator[Derived]:
    """(id, tag, JSON text as UTF-8) of `compute(case)` for every case, oldest first, through the index.

    A case that cannot be read comes as (id, None, its error), and is never
    cached. `compute` may give a tag `TAG|DAY` (ISO 8601): the record holds
    until that day; it is yielded with the tag alone, and computed again once
    `today` (ISO 8601) has reached that day. `recomputed`, if given, receives
    the ids of the records computed afresh (before the first is yielded).
    `wanted`, if given, names the only tags whose texts the caller reads: a
    record with another may come with an empty text (it is left packed).
    """
    prints = fingerprints(store)
    index = Index.open(index_path(store.root), warn)
    try:
        yield from _Run(store, kind, key, compute, index, zdict, today, recomputed, wanted).derive(prints)
    finally:
        if index:
            index.close()


def fingerprints(store: CaseStore) -> Prints:
    """(id, fingerprint) of every case file: what tells the index that a file has changed."""
    import os

    from .store import CASE_FILE

    before, after = str(store.root) + os.sep, os.sep + CASE_FILE  # joined by hand: a trust has 100,000
    found: Prints = []
    for case_id in store.ids():
        try:
            st = os.stat(before + case_id + after)
            found.append((case_id, f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"))
        except OSError:
            found.append((case_id, None))
    return found


def listing(store: CaseStore, kind: str, key: str, compute: Compute, tags: set[str],
            warn: Warn, *, zdict: bytes = b"", today: str = "") -> tuple[list[bytes], list[CaseFileError]]:
    """The JSON texts of `compute(case)`, newest first, for each case whose tag is in `tags`, and the errors
    of cases that cannot be read."""
    texts: list[bytes] = []
    errors: list[CaseFileError] = []
    for _, tag, found in derived(store, kind, key, compute, warn, zdict=zdict, today=today, wanted=tags):
        if tag is None:
            errors.append(found)  # type: ignore[arg-type]
        elif tag in tags:
            texts.append(found)  # type: ignore[arg-type]
    texts.reverse()
    return texts, errors


Row = tuple[str, str, str, bytes]  # a case's record as a chunk keeps it: id, digest of its file, tag, JSON text
FIRST = "open"  # the tag packed first in each chunk: most commands want open cases only, and read no further


class _Run:
    """One pass over every case for one kind of record: reuse what is current, compute the rest, save.

    A chunk whose stamp is a digest of its members and of the fingerprints its cases' files have now was
    found current when they last had them: its records are used without a look at each case's digest (the
    quick path, when nothing has changed). Any other chunk is checked case by case against the digests of
    the files as they are (a touched file is read again), and stamped afresh if all of it still holds.
    """

    def __init__(self, store: CaseStore, kind: str, key: str, compute: Compute, index: Index | None,
                 zdict: bytes, today: str, recomputed: set[str] | None = None, wanted: set[str] | None = None) -> None:
        self.store, self.kind, self.compute, self.index, self.zdict = store, kind, compute, index, zdict
        self.today, self.recomputed, self.wanted = today, recomputed, wanted
        self.unread: dict[str, bytes] = {}  # the packed texts of chunks read only as far as the wanted tags
        self.key = short_digest(f"{hesket_version()}:{key}")
        self.chunks = index.chunks(kind, self.key) if index else {}
        self.fresh_files: list[tuple[str, str, str]] = []
        self.current: set[str] = set()  # chunks taken whole by the quick path

    def derive(self, prints: Prints) -> Iterator[Derived]:
        from .errors import CaseFileError

        groups = _grouped_prints(prints)
        hits = self._current(groups)
        if len(hits) < len(prints):
            hits.update(self._hits(self._digests([p for p in prints if p[0] not in hits])))
        computed = dict(compute_all(self.store, self.compute, [i for i, _ in prints if i not in hits]))
        if self.recomputed is not None:
            self.recomputed.update(computed)
        for case_id, fingerprint in prints:
            row = hits.get(case_id)
            if row is None:
                tag, found, digest = computed[case_id]
                if tag is None or digest is None:
                    yield case_id, None, CaseFileError(found.decode("utf-8"))
                    continue
                row = (case_id, digest, tag, found)
                if fingerprint is not None:
                    self.fresh_files.append((case_id, fingerprint, digest))
                    hits[case_id] = row  # kept for the chunk
            tag = row[2]
            yield case_id, tag.split("|", 1)[0] if "|" in tag else tag, row[3]  # the tag without its day
        self._save(prints, hits, {chunk_of(case_id) for case_id in computed}, groups)

    def _current(self, groups: dict[str, str]) -> dict[str, Row]:
        """The rows of each chunk whose stamp says nothing in it has changed, and no record of which has
        come to its day (the quick path)."""
        hits: dict[str, Row] = {}
        for name, (members, data, stamp) in self.chunks.items():
            if not stamp or name not in groups or stamp != _stamp(members, groups[name]) or self._expires(members):
                continue
            rows = self._unpacked(name, members, data, self.wanted)
            if rows is not None:
                self.current.add(name)
                hits.update((row[0], row) for row in rows)
        return hits

    def _expires(self, members: str) -> bool:
        """Whether a record among a chunk's members holds only until a day that has come."""
        return "|" in members and any(self._expired(row[2]) for line in members.split("\n")
                                      if len(row := line.split(" ")) > 2)

    def _unpacked(self, name: str, members: str, data: bytes, wanted: set[str] | None = None) -> list[Row] | None:
        """A chunk's rows as kept (None if it is not what hesket wrote); its packed form is let go. With
        `wanted` tags, only the texts up to the last record of one are unpacked, the rest left empty."""
        rows = [line.split(" ") for line in members.split("\n")]
        self.chunks[name] = (members, b"", self.chunks[name][2])  # kept as rows now: at a trust's size, megabytes
        if any(len(row) != 4 or not row[3].isdigit() for row in rows):
            return None
        texts = self._texts(rows, data, wanted)
        if texts is None:
            return None
        if len(texts) < len(rows):
            self.unread[name] = data
            texts += [b""] * (len(rows) - len(texts))
        return [(case_id, digest, tag, found) for (case_id, digest, tag, _), found in zip(rows, texts, strict=True)]

    def _texts(self, rows: list[list[str]], data: bytes, wanted: set[str] | None) -> list[bytes] | None:
        """The texts of a chunk's rows (`id digest tag length`), up to the last of a `wanted` tag if given."""
        upto = len(rows)
        if wanted is not None:
            upto = next((n + 1 for n in range(len(rows) - 1, -1, -1) if rows[n][2].split("|", 1)[0] in wanted), 0)
        if not upto:
            return []
        size = sum(int(row[3]) for row in rows[:upto]) + upto - 1
        text = unpack(data, self.zdict, size if upto < len(rows) else None)
        if text is None or len(text) != size:
            return None
        texts = text.split(b"\n")
        return texts if len(texts) == upto else None

    def _filled(self, name: str, chunk: list[Row]) -> list[Row] | None:
        """A chunk's rows with the texts left packed unpacked now (to re-pack it); None if they cannot be."""
        if all(text for *_, text in chunk):
            return chunk
        members = self.chunks[name][0]
        kept = {row[0]: row[3] for row in self._unpacked(name, members, self.unread.get(name, b"")) or ()}
        filled = [(case_id, digest, tag, text or kept.get(case_id, b"")) for case_id, digest, tag, text in chunk]
        return filled if all(text for *_, text in filled) else None

    def _digests(self, prints: Prints) -> dict[str, str | None]:
        """Each case file's digest where it can be known without parsing (None: to be computed)."""
        files = self.index.files() if self.index else {}
        members = {line.split(" ", 1)[0] for name, (members, _, _) in self.chunks.items() if name not in self.current
                   for line in members.split("\n")}
        digests: dict[str, str | None] = {}
        for case_id, fingerprint in prints:
            known = files.get(case_id)
            if known is not None and fingerprint is not None and known[0] == fingerprint:
                digests[case_id] = known[1]
            elif fingerprint is not None and case_id in members:
                digests[case_id] = self._read_digest(case_id, fingerprint)  # touched: perhaps unchanged
            else:
                digests[case_id] = None
        return digests

    def _read_digest(self, case_id: str, fingerprint: str) -> str | None:
        from .errors import CaseFileError, CaseNotFound

        try:
            digest = content_digest(self.store.read_bytes(case_id))
        except (CaseFileError, CaseNotFound):
            return None
        self.fresh_files.append((case_id, fingerprint, digest))
        return digest

    def _hits(self, digests: dict[str, str | None]) -> dict[str, Row]:
        """The row of each case whose chunk holds a record computed from the bytes its file has now."""
        hits: dict[str, Row] = {}
        for name, (members, data, _) in self.chunks.items():
            if name in self.current:
                continue
            rows = [line.split(" ") for line in members.split("\n")]
            if not any(len(row) > 1 and digests.get(row[0]) == row[1] for row in rows):
                continue  # nothing in it current: recomputed
            for case_id, digest, tag, found in self._unpacked(name, members, data, self.wanted) or ():
                if digests.get(case_id) == digest and not self._expired(tag):
                    hits[case_id] = (case_id, digest, tag, found)
        return hits

    def _expired(self, tag: str) -> bool:
        """Whether a record's tag says it held only until a day that has come."""
        _, _, until = tag.partition("|")
        return bool(until) and until <= self.today

    def _save(self, prints: Prints, rows: dict[str, Row], stale: set[str], groups: dict[str, str]) -> None:
        """Re-pack each chunk that gained, lost or changed a case (`stale`, and any whose member is gone);
        forget chunks with no case left; stamp afresh each other chunk found current case by case."""
        if self.index is None:
            return
        stamps = self._stamps(rows, stale, groups)
        grouped = {name: self._filled(name, chunk) for name, chunk in _grouped(prints, rows, stale).items()} \
            if stale else {}
        fresh = [self._packed(name, chunk, groups.get(name, "")) for name, chunk in grouped.items() if chunk]
        gone = {name for name, chunk in grouped.items() if not chunk}  # no case left, or one not to be had
        if fresh or gone or self.fresh_files or stamps:
            self.index.save(self.kind, self.key, fresh, gone, self.fresh_files, stamps)

    def _stamps(self, rows: dict[str, Row], stale: set[str], groups: dict[str, str]) -> list[tuple[str, str]]:
        """The new stamp of each chunk checked case by case and found current; any such chunk whose member is
        gone is added to `stale`."""
        checked = {name: members for name, (members, _, _) in self.chunks.items() if name not in self.current}
        stale |= {name for name, members in checked.items()
                  if any(line.split(" ", 1)[0] not in rows for line in members.split("\n"))}
        return [(name, _stamp(members, groups[name])) for name, members in checked.items()
                if name not in stale and name in groups]

    def _packed(self, name: str, chunk: list[Row], prints: str) -> tuple[str, str, bytes, str]:
        """A chunk as stored: its name, members, packed texts and stamp; records tagged FIRST first."""
        chunk = sorted(chunk, key=lambda row: row[2].split("|", 1)[0] != FIRST)
        members = _members(chunk)
        return name, members, pack(b"\n".join(text for *_, text in chunk), self.zdict), _stamp(members, prints)


def _grouped_prints(prints: Prints) -> dict[str, str]:
    """Each chunk's cases and their files' fingerprints as they are now, as one text (what a stamp is of)."""
    names: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    for case_id, fingerprint in prints:
        prefix = case_id[:-2]  # the same number's hundred: the same chunk
        name = names.get(prefix)
        if name is None:
            name = names[prefix] = chunk_of(case_id)
            lines.setdefault(name, [])
        lines[name].append(f"{case_id} {fingerprint}")
    return {name: "\n".join(found) for name, found in lines.items()}


def _stamp(members: str, prints: str) -> str:
    """A chunk's stamp: a digest of its member list and of its cases' fingerprints."""
    import hashlib

    return hashlib.sha256(f"{members}\0{prints}".encode()).hexdigest()[:24]


def _grouped(prints: Prints, rows: dict[str, Row], chunks: set[str]) -> dict[str, list[Row]]:
    """The rows of each of `chunks`, in id order (a chunk with none left is empty)."""
    grouped: dict[str, list[Row]] = {name: [] for name in chunks}
    for case_id, _ in prints:
        row = rows.get(case_id)
        if row is not None:
            chunk = grouped.get(chunk_of(case_id))
            if chunk is not None:
                chunk.append(row)
    return grouped


def _members(chunk: list[Row]) -> str:
    """A chunk's member list as stored: one `id digest tag length` line per case, in the order of its texts."""
    return "\n".join(f"{case_id} {digest} {tag} {len(text)}" for case_id, digest, tag, text in chunk)


def compute_all(store: CaseStore, compute: Compute, ids: list[str]) -> list[Computed]:
    """(id, (tag, JSON text, digest)) for each case, or (id, (None, the error's message, None)), as UTF-8;
    on a cold run shared with a second process where the machine has a core to spare (parallel.py)."""
    from .parallel import per_case

    found = per_case(lambda case_id: _compute_one(store, compute, case_id), ids)
    return [(case_id, found[case_id]) for case_id in ids]


def _compute_one(store: CaseStore, compute: Compute, case_id: str) -> tuple[str | None, bytes, str | None]:
    from .errors import CaseFileError, CaseNotFound

    try:
        case, raw = store.load_with_bytes(case_id)
    except (CaseFileError, CaseNotFound) as exc:
        return None, exc.message.encode("utf-8"), None
    tag, value = compute(case)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_iso).encode("utf-8")
    return tag, text, content_digest(raw)


def content_digest(raw: bytes) -> str:
    """A short digest of a case file's bytes: the same bytes, the same digest."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()[:24]


def _iso(value: object) -> str:
    """Dates and times in a record as ISO 8601 text (the JSON encoder asks only for what it cannot write)."""
    isoformat = getattr(value, "isoformat", None)
    if isoformat is None:
        raise TypeError(f"{type(value).__name__} is not JSON")
    return str(isoformat())
