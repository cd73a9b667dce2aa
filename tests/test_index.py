"""The store's index (SQLite in HESKET_CACHE_DIR) is only a cache: the case files always win."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from hesket_cli.index import index_path

from conftest import POLICY_FILE, ROOT, snapshot

TODAY = dt.date.today()  # the CLI reads the real clock
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")
SCHEMA1_FIXTURE = ROOT / "tests" / "fixtures" / "schema1-case.toml"
SUMMARY = "A made-up parent, Mr C Example, posted about the school."
_numbers = itertools.count(1)
_cold = itertools.count(1)


def _triage(run, tmp_path: Path, ticked=(), observed: dt.date = TODAY) -> str:
    data = {"incident": {"observed_on": observed.isoformat(), "platform": "facebook", "poster": "parent",
                         "summary": SUMMARY},
            "considerations": dict.fromkeys(CONSIDERATIONS, False),
            "checklist": {c: c in ticked for c in CHECKLIST}}
    path = tmp_path / f"answers-{next(_numbers)}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("triage", "--answers", path, "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _outputs(run, env=None) -> dict[str, str]:
    """What `review --json` and `case list --json` print (every status), each asserted to succeed quietly."""
    found = {}
    for name, args in (("review", ("review", "--status", "all", "--json")),
                       ("list", ("case", "list", "--status", "all", "--json"))):
        result = run(*args, env=env)
        assert (0, "") == (result.exit_code, result.stderr), result.stderr
        found[name] = result.stdout
    return found


def _cold_outputs(run, tmp_path: Path) -> dict[str, str]:
    """The same outputs computed from the case files alone, with a new, empty cache folder."""
    return _outputs(run, env={"HESKET_CACHE_DIR": str(tmp_path / f"cold-cache-{next(_cold)}")})


def _index(cases_dir: Path) -> Path:
    return index_path(cases_dir)


def _indexed_ids(cases_dir: Path, kind: str) -> list[str]:
    """The ids whose records of `kind` the index holds (the first word of each line of its chunks' members)."""
    with sqlite3.connect(_index(cases_dir)) as db:
        return sorted(line.split()[0] for (members,) in db.execute("SELECT members FROM chunks WHERE kind = ?",
                                                                    (kind,)) for line in members.split("\n"))


def _three(run, tmp_path: Path) -> list[str]:
    """A kind post, a complaint awaiting its discussion and a threat of violence."""
    return [_triage(run, tmp_path), _triage(run, tmp_path, ("complaint",)),
            _triage(run, tmp_path, ("threat_of_violence",))]


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Edit the case file as a text editor might, keeping its inode, size and modification time."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert 1 == text.count(old) and len(old.encode()) == len(new.encode())
    with open(path, "r+b") as handle:
        handle.write(text.replace(old, new).encode("utf-8"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (st.st_ino, st.st_size, st.st_mtime_ns) == (after.st_ino, after.st_size, after.st_mtime_ns)


def _add_event_by_hand(path: Path, event: str) -> None:
    """Add an [[events]] table to a case file with no events yet, as a person editing the TOML would."""
    text = path.read_text(encoding="utf-8")
    assert 1 == text.count("\nevents = []\n")
    text = text.replace("\nevents = []\n", "\n") + (
        f'\n[[events]]\nevent = "{event}"\nat = {TODAY.isoformat()}T10:00:00Z\non = {TODAY.isoformat()}\n'
        'by = "Mrs A Example"\n')
    path.write_text(text, encoding="utf-8")


# -- the index is filled, and lives outside the cases folder -------------------------------------------


def test_a_first_review_and_case_list_fill_the_index_in_the_cache_folder(run, tmp_path, cases_dir):
    """After review and case list the index (in HESKET_CACHE_DIR) holds a record per case for each."""
    ids = _three(run, tmp_path)
    _outputs(run)
    assert (True, tmp_path / "cache", sorted(ids), sorted(ids)) == (
        _index(cases_dir).is_file(), _index(cases_dir).parent, _indexed_ids(cases_dir, "review"),
        _indexed_ids(cases_dir, "list"))


def test_the_index_is_kept_out_of_the_cases_folder(run, tmp_path, cases_dir):
    """review and case list write nothing into the cases folder."""
    _three(run, tmp_path)
    before = snapshot(cases_dir)
    _outputs(run)
    _outputs(run)
    assert before == snapshot(cases_dir)


def test_the_index_is_owner_only(run, tmp_path, cases_dir):
    """The index file (derived from personal data) is readable by its owner only."""
    if os.name == "nt":
        pytest.skip("file modes are a POSIX matter")
    _three(run, tmp_path)
    _outputs(run)
    assert 0o600 == _index(cases_dir).stat().st_mode & 0o777


def test_a_warm_index_gives_the_same_output_as_the_case_files_alone(run, tmp_path):
    """A second review with the index filled prints exactly what a review with no index prints."""
    _three(run, tmp_path)
    first = _outputs(run)
    assert (first, first) == (_outputs(run), _cold_outputs(run, tmp_path))


# -- the case files win --------------------------------------------------------------------------------


def test_a_hand_edited_summary_shows_in_the_next_case_list(run, tmp_path, cases_dir):
    """A summary changed by editing case.toml (same size, same modification time) shows in case list --json."""
    ids = _three(run, tmp_path)
    _outputs(run)
    new = SUMMARY.replace("Mr C Example", "Mr D Example")
    _edit_in_place(cases_dir / ids[1] / "case.toml", SUMMARY, new)
    listed = {d["id"]: d["incident"]["summary"] for d in json.loads(_outputs(run)["list"])}
    assert {ids[0]: SUMMARY, ids[1]: new, ids[2]: SUMMARY} == listed
    assert _cold_outputs(run, tmp_path) == _outputs(run)


def test_an_event_added_by_hand_shows_in_the_next_review_and_case_list(run, tmp_path, cases_dir):
    """A discussion appended to case.toml by hand moves the case to awaiting its outcome in both outputs."""
    ids = _three(run, tmp_path)
    before = _outputs(run)
    _add_event_by_hand(cases_dir / ids[1] / "case.toml", "discuss_and_request_removal")
    after = _outputs(run)
    row = {r["id"]: r for r in json.loads(after["review"])}[ids[1]]
    doc = {d["id"]: d for d in json.loads(after["list"])}[ids[1]]
    old_row = {r["id"]: r for r in json.loads(before["review"])}[ids[1]]
    assert ("discuss_and_request_removal", "first") == (old_row["next_step"], old_row["stage"])
    assert (("record_outcome", "awaiting_outcome"), ("record_outcome", ["discuss_and_request_removal"])) == (
        (row["next_step"], row["stage"]), (doc["next_step"]["id"], [e["event"] for e in doc["events"]]))
    assert _cold_outputs(run, tmp_path) == after


def test_a_case_closed_by_hand_leaves_the_open_lists(run, tmp_path, cases_dir):
    """close_case appended by hand: the case leaves review and case list of open cases and joins the closed ones."""
    ids = _three(run, tmp_path)
    run("review", "--json")
    run("case", "list", "--json")
    _add_event_by_hand(cases_dir / ids[0] / "case.toml", "close_case")
    open_review = [r["id"] for r in json.loads(run("review", "--json").stdout)]
    open_list = [d["id"] for d in json.loads(run("case", "list", "--json").stdout)]
    closed = [r["id"] for r in json.loads(run("review", "--status", "closed", "--json").stdout)]
    assert ({ids[1], ids[2]}, {ids[1], ids[2]}, [ids[0]]) == (set(open_review), set(open_list), closed)


def test_a_chunk_read_only_for_its_open_cases_is_kept_whole_when_one_of_them_changes(run, tmp_path, cases_dir):
    """The lists of open cases leave the closed cases' records packed; when an open case then changes and its
    chunk is packed again, the closed cases' records are kept whole: every list, each status, is as from the
    case files alone."""
    ids = _three(run, tmp_path)
    _add_event_by_hand(cases_dir / ids[0] / "case.toml", "close_case")
    _outputs(run)
    for _ in range(2):
        run("review", "--json")
        run("case", "list", "--json")
    _add_event_by_hand(cases_dir / ids[1] / "case.toml", "close_case")
    run("review", "--json")
    run("case", "list", "--json")
    assert _cold_outputs(run, tmp_path) == _outputs(run)
    closed = [d["id"] for d in json.loads(run("case", "list", "--status", "closed", "--json").stdout)]
    assert [ids[1], ids[0]] == closed


def test_an_added_case_folder_shows_in_the_next_review_and_case_list(run, tmp_path, cases_dir):
    """A case folder copied in (a schema 1 case restored from a backup) shows up after a first run filled the index."""
    ids = _three(run, tmp_path)
    _outputs(run)
    (cases_dir / "2025-0007").mkdir(mode=0o700)
    shutil.copyfile(SCHEMA1_FIXTURE, cases_dir / "2025-0007" / "case.toml")
    after = _outputs(run)
    reviewed = [r["id"] for r in json.loads(after["review"])]
    listed = [d["id"] for d in json.loads(after["list"])]
    assert ([ids[2], "2025-0007", ids[0], ids[1]], [*reversed(ids), "2025-0007"]) == (reviewed, listed)
    assert _cold_outputs(run, tmp_path) == after


def test_a_removed_case_folder_leaves_the_next_review_case_list_and_index(run, tmp_path, cases_dir):
    """A case folder deleted after a first run is gone from review, case list and the index."""
    ids = _three(run, tmp_path)
    _outputs(run)
    shutil.rmtree(cases_dir / ids[1])
    after = _outputs(run)
    assert ({ids[0], ids[2]}, [ids[2], ids[0]], sorted([ids[0], ids[2]]), sorted([ids[0], ids[2]])) == (
        {r["id"] for r in json.loads(after["review"])}, [d["id"] for d in json.loads(after["list"])],
        _indexed_ids(cases_dir, "review"), _indexed_ids(cases_dir, "list"))
    assert _cold_outputs(run, tmp_path) == after


def test_a_case_file_replaced_by_another_version_shows_the_new_one(run, tmp_path, cases_dir):
    """A case file swapped for a copy of another case (then fixed to its own id) is read afresh."""
    ids = _three(run, tmp_path)
    _outputs(run)
    text = (cases_dir / ids[2] / "case.toml").read_text(encoding="utf-8").replace(f'id = "{ids[2]}"',
                                                                                  f'id = "{ids[0]}"')
    (cases_dir / ids[0] / "case.toml").write_text(text, encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(_outputs(run)["review"])}
    assert ("urgent", "contact_police") == (rows[ids[0]]["attention"], rows[ids[0]]["next_step"])


def test_a_case_that_became_unreadable_is_reported_not_served_from_the_index(run, tmp_path, cases_dir):
    """A case file spoilt after a first run is reported as unreadable; the index does not hide it."""
    ids = _three(run, tmp_path)
    _outputs(run)
    path = cases_dir / ids[0] / "case.toml"
    path.write_bytes(b"this is not TOML [")
    review = run("review", "--json")
    listed = run("case", "list", "--json")
    row = {r["id"]: r for r in json.loads(review.stdout)}[ids[0]]
    assert (0, "unreadable", True) == (review.exit_code, row["status"], str(path) in row["why"][0])
    assert (0, [ids[2], ids[1]], True) == (listed.exit_code, [d["id"] for d in json.loads(listed.stdout)],
                                           str(path) in listed.stderr)


def test_a_review_under_another_policy_does_not_use_rows_made_under_this_one(run, tmp_path):
    """The index is keyed by the policy: a copy with a reworded quote shows its own words at once."""
    ids = _three(run, tmp_path)
    _outputs(run)
    folder = tmp_path / "school"
    folder.mkdir()
    old = "as a first step the school will usually discuss"
    published = " ".join((ROOT / "policy.txt").read_text(encoding="utf-8").split())
    (folder / "policy.txt").write_text(published.replace(old, "as a first step the school will normally discuss"),
                                       encoding="utf-8")
    copy = folder / "policy.toml"
    copy.write_text(POLICY_FILE.read_text(encoding="utf-8").replace(old, "as a first step the school will normally discuss"),
                    encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(run("--policy", copy, "review", "--json").stdout)}
    again = {r["id"]: r for r in json.loads(run("review", "--json").stdout)}
    assert (True, True) == (rows[ids[1]]["next_step_policy_text"].startswith("as a first step the school will normally"),
                            again[ids[1]]["next_step_policy_text"].startswith(old))


# -- losing or spoiling the index changes nothing ------------------------------------------------------


def test_deleting_the_index_changes_nothing_in_the_output(run, tmp_path, cases_dir):
    """With the index deleted, review and case list print exactly what they printed before; the index comes back."""
    _three(run, tmp_path)
    before = _outputs(run)
    _index(cases_dir).unlink()
    assert (before, True) == (_outputs(run), _index(cases_dir).is_file())


def test_deleting_the_whole_cache_folder_changes_nothing(run, tmp_path, cases_dir):
    """With the cache folder gone, review and case list print the same."""
    _three(run, tmp_path)
    before = _outputs(run)
    shutil.rmtree(tmp_path / "cache")
    assert before == _outputs(run)


@pytest.mark.parametrize("garbage", [b"this is not a database\n" * 50, b"", b"SQLite format 3\x00" + b"\xff" * 4000],
                         ids=["text", "empty", "bad-pages"])
def test_a_corrupt_index_is_ignored(run, tmp_path, cases_dir, garbage):
    """An index file full of garbage is not used: same output, exit 0, nothing on stderr (checked in _outputs)."""
    _three(run, tmp_path)
    before = _outputs(run)
    _index(cases_dir).write_bytes(garbage)
    assert (before, before) == (_outputs(run), _outputs(run))


def test_a_corrupt_index_does_not_stop_check_or_summary(run, tmp_path, cases_dir):
    """With a garbage index review --check still exits 6 for an urgent case, and the summary still counts."""
    _three(run, tmp_path)
    _outputs(run)
    _index(cases_dir).write_bytes(b"garbage" * 100)
    check = run("review", "--check")
    summary = run("review", "--summary", "--status", "all", "--json")
    assert (6, 0, 3) == (check.exit_code, summary.exit_code, json.loads(summary.stdout)["cases"])


def test_an_index_with_rows_of_another_shape_is_ignored(run, tmp_path, cases_dir):
    """A readable SQLite file of this format whose tables are not the index's is not used and causes no error."""
    from hesket_cli.index import FORMAT

    _three(run, tmp_path)
    before = _outputs(run)
    index = _index(cases_dir)
    index.unlink()
    with sqlite3.connect(index) as db:
        db.execute(f"PRAGMA user_version = {FORMAT}")
        for table in ("files", "chunks", "hashes"):
            db.execute(f"CREATE TABLE {table} (something TEXT)")
            db.execute(f"INSERT INTO {table} VALUES ('nonsense')")
    db.close()
    index.chmod(0o600)
    assert before == _outputs(run)


def test_an_index_of_an_older_format_is_made_afresh(run, tmp_path, cases_dir):
    """An index an older hesket left (another layout) is replaced by one of this layout, output unchanged."""
    _three(run, tmp_path)
    before = _outputs(run)
    index = _index(cases_dir)
    index.unlink()
    with sqlite3.connect(index) as db:
        db.execute("CREATE TABLE derived (kind TEXT, id TEXT, data TEXT)")
        db.execute("INSERT INTO derived VALUES ('review', 'x', 'a row of personal data')")
    db.close()
    index.chmod(0o600)
    assert before == _outputs(run)
    with sqlite3.connect(index) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "derived" not in tables and {"files", "chunks"} <= tables


def test_a_record_planted_in_the_index_is_not_served(run, tmp_path, cases_dir):
    """A chunk whose record claims other bytes than the case file has now is recomputed from the file."""
    import zlib

    _three(run, tmp_path)
    before = _outputs(run)
    with sqlite3.connect(_index(cases_dir)) as db:
        for kind, members in db.execute("SELECT kind, members FROM chunks").fetchall():
            planted = "\n".join(f"{line.split()[0]} {'0' * 24} {line.split()[2]}" for line in members.split("\n"))
            texts = "\n".join(json.dumps({"planted": True}) for _ in members.split("\n"))
            db.execute("UPDATE chunks SET members = ?, data = ? WHERE kind = ?",
                       (planted, zlib.compress(texts.encode()), kind))
    db.close()
    assert before == _outputs(run)


def test_a_touched_case_file_is_read_again_not_parsed_and_an_edited_one_is_recomputed(run, tmp_path, cases_dir,
                                                                                      monkeypatch):
    """A case file whose time moved but whose bytes did not keeps its records; one whose bytes changed does not."""
    from hesket_cli.store import CaseStore

    ids = _three(run, tmp_path)
    _outputs(run)
    os.utime(cases_dir / ids[0] / "case.toml", (1, 1))
    path = cases_dir / ids[1] / "case.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('summary = "', 'summary = "EDITED '), encoding="utf-8")
    parsed = []
    load = CaseStore.load_with_bytes
    monkeypatch.setattr(CaseStore, "load_with_bytes", lambda self, case_id: parsed.append(case_id) or load(self, case_id))
    listed = json.loads(run("case", "list", "--json", "--status", "all").stdout)
    assert [False, True, False] == [d["incident"]["summary"].startswith("EDITED") for d in reversed(listed)]
    assert [ids[1]] == parsed


def test_when_nothing_changed_no_case_file_is_read_and_no_case_is_looked_up_one_by_one(run, tmp_path, cases_dir,
                                                                                      monkeypatch):
    """A second review and list of unchanged cases take every record from chunks whose stamp still holds."""
    from hesket_cli.index import Index
    from hesket_cli.store import CaseStore

    _three(run, tmp_path)
    before = _outputs(run)
    read, looked_up = [], []
    read_bytes, files = CaseStore.read_bytes, Index.files
    monkeypatch.setattr(CaseStore, "read_bytes", lambda self, case_id: read.append(case_id) or read_bytes(self, case_id))
    monkeypatch.setattr(Index, "files", lambda self: looked_up.append(1) or files(self))
    assert (before, [], []) == (_outputs(run), read, looked_up)


def test_an_edited_case_among_unchanged_ones_is_seen_and_only_it_is_read(run, tmp_path, cases_dir, monkeypatch):
    """With each case in a chunk of its own, a case edited in place (same size, inode and time) is recomputed
    while the others come from their chunks unread."""
    from hesket_cli import index
    from hesket_cli.store import CaseStore

    monkeypatch.setattr(index, "CHUNK_SIZE", 1)
    ids = _three(run, tmp_path)
    _outputs(run)
    _edit_in_place(cases_dir / ids[1] / "case.toml", 'summary = "A made-up', 'summary = "A MADE-UP')
    read = []
    read_bytes = CaseStore.read_bytes
    monkeypatch.setattr(CaseStore, "read_bytes", lambda self, case_id: read.append(case_id) or read_bytes(self, case_id))
    listed = json.loads(run("case", "list", "--json", "--status", "all").stdout)
    assert [False, True, False] == [d["incident"]["summary"].startswith("A MADE-UP") for d in reversed(listed)]
    assert {ids[1]} == set(read)
    assert _cold_outputs(run, tmp_path) == _outputs(run)


def test_an_unwritable_cache_folder_changes_nothing(run, tmp_path, cases_dir):
    """A cache folder that cannot be created (a file is in the way) is not an error: same output."""
    _three(run, tmp_path)
    before = _outputs(run)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    assert before == _outputs(run, env={"HESKET_CACHE_DIR": str(blocked / "cache")})


def test_work_shared_with_other_processes_gives_what_one_process_gives(run, tmp_path, cases_dir, monkeypatch):
    """With the work shared out (as for a trust's folder), a cold review and list, and verify, say the same,
    an unreadable case file included."""
    from hesket_cli import parallel

    _three(run, tmp_path)
    run("case", "note", f"{dt.date.today().year}-0002", "Phoned the parent.")
    (cases_dir / f"{dt.date.today().year}-0003" / "case.toml").write_text("not a case", encoding="utf-8")
    caches = itertools.count()

    def everything() -> list[tuple[int, str, str]]:
        env = {"HESKET_CACHE_DIR": str(tmp_path / f"shared-{next(caches)}")}
        return [(r.exit_code, r.stdout, r.stderr) for r in (
            run("review", "--status", "all", "--json", env=env), run("case", "list", "--status", "all", "--json", env=env),
            run("case", "find", "parent", "--json", env=env), run("case", "verify", "--json", env=env))]

    alone = everything()
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "SHARE", 1)  # each case a share of its own, handed back as it is done
    shared = everything()
    assert alone == shared
    assert (2, 3) == (len(json.loads(shared[1][1])), json.loads(shared[3][1])["cases"])
