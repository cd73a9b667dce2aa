"""The case store: ids checked before they become paths, owner-only files, atomic writes, unique ids."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from hesket_cli.answers import parse_answers
from hesket_cli.case import Case, PolicyRef
from hesket_cli.errors import InvalidCaseId
from hesket_cli.files import atomic_write
from hesket_cli.store import CaseStore, encode_case, validate_case_id

from conftest import EXAMPLES, case_folders, snapshot

WIDE = {"COLUMNS": "1000"}
BAD_IDS = ["..", "../x", "2026-0001/../../etc", "/etc/passwd", "a" * 300, "2026-1", "2026-0001 "]


def _year() -> int:
    return dt.date.today().year


def _answers(policy, name: str = "kind-post"):
    data = tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"))
    return parse_answers(data, policy, today=dt.date.today(), source=f"{name}.toml")


def _maker(policy, answers, by: str = "Mrs A Example"):
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256)
    created = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    return lambda case_id: Case(id=case_id, created_at=created, recorded_by=by, policy=ref, answers=answers)


def _entries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _triage(run, name: str = "kind-post") -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


# -- ids typed by users -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_case_show_refuses_a_malformed_id_before_touching_any_path(run, tmp_path, cases_dir, bad):
    """`case show` with a malformed id exits 3 with one Error line and creates nothing, not even the cases folder."""
    before = _entries(tmp_path)
    result = run("case", "show", bad)
    assert 3 == result.exit_code
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines)
    assert lines[0].startswith("Error: ")
    assert "not a case id" in lines[0]
    assert not cases_dir.exists()
    assert before == _entries(tmp_path)


@pytest.mark.parametrize("bad", [*BAD_IDS, "2026-0001\n", "\uff12\uff10\uff12\uff16-0001", ""], ids=repr)
def test_validate_case_id_raises_for_a_malformed_id(bad):
    """validate_case_id raises InvalidCaseId for anything that is not an id hesket gives out."""
    with pytest.raises(InvalidCaseId):
        validate_case_id(bad)


def test_validate_case_id_accepts_a_well_formed_id():
    """A well-formed id like 2026-0042 is returned unchanged."""
    assert "2026-0042" == validate_case_id("2026-0042")


def test_path_of_refuses_a_malformed_id(tmp_path):
    """The store never turns a malformed id into a path."""
    with pytest.raises(InvalidCaseId):
        CaseStore(tmp_path / "cases").path_of("../x")


# -- permissions and leftovers ----------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits do not apply on Windows")
def test_cases_folder_case_folder_and_case_file_are_owner_only(run, cases_dir):
    """Even with a permissive umask, the cases folder and case folder are 0700 and case.toml is 0600."""
    old = os.umask(0)
    try:
        case_id = _triage(run)
    finally:
        os.umask(old)
    assert 0o700 == stat.S_IMODE(cases_dir.stat().st_mode)
    assert 0o700 == stat.S_IMODE((cases_dir / case_id).stat().st_mode)
    assert 0o600 == stat.S_IMODE((cases_dir / case_id / "case.toml").stat().st_mode)
    assert [0o700, 0o600, 0o700] == [stat.S_IMODE(p.stat().st_mode) for p in (
        cases_dir / ".hesket", cases_dir / ".hesket" / f"last-{_year()}", cases_dir / ".hesket" / "staging")]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits do not apply on Windows")
def test_atomic_write_leaves_a_file_owner_only(tmp_path):
    """A file written by atomic_write is 0600, whatever the umask."""
    old = os.umask(0)
    try:
        atomic_write(tmp_path / "f.toml", b"x = 1\n")
    finally:
        os.umask(old)
    assert 0o600 == stat.S_IMODE((tmp_path / "f.toml").stat().st_mode)


def test_triage_leaves_no_temporary_files(run, cases_dir):
    """After two triages the cases folder holds the case folders, their files, and the numbering's two notes."""
    first, second = _triage(run), _triage(run, "threat-of-violence")
    assert sorted([first, f"{first}/.lock", f"{first}/case.toml", second, f"{second}/.lock", f"{second}/case.toml",
                   ".hesket", f".hesket/last-{_year()}", ".hesket/staging"]) == _entries(cases_dir)


# -- concurrent triages -------------------------------------------------------------------------


def test_triages_started_at_once_in_separate_processes_get_different_ids(cases_dir):
    """Eight hesket processes triaging at the same moment save eight cases with eight different ids."""
    n = 8
    command = [sys.executable, "-c", "from hesket_cli.cli import main; main()",
               "triage", "--answers", str(EXAMPLES / "kind-post.toml"), "--json"]
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir)}
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(n)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [0] * n == [p.returncode for p in processes], [err.decode() for _, err in outputs]
    ids = [json.loads(out)["id"] for out, _ in outputs]
    assert n == len(set(ids))
    assert sorted(ids) == case_folders(cases_dir)
    store = CaseStore(cases_dir)
    assert sorted(ids) == sorted(store.load(i).id for i in ids)
    assert [f"{_year()}-{k:04d}" for k in range(1, n + 1)] == sorted(ids)


def test_concurrent_creates_in_threads_get_different_ids(tmp_path, policy):
    """Threads that all pick the same next id at once each end up with a different id, and each case loads."""
    n = 8
    store = CaseStore(tmp_path / "cases")
    barrier = threading.Barrier(n, timeout=10)
    make = _maker(policy, _answers(policy))
    results: list[str] = []
    errors: list[BaseException] = []
    local = threading.local()

    def make_case(case_id: str) -> Case:
        if not getattr(local, "waited", False):  # every thread computes its first id, then all race
            local.waited = True
            barrier.wait()
        return make(case_id)

    def work() -> None:
        try:
            results.append(store.create(make_case, year=2026).id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [] == errors
    assert [f"2026-{k:04d}" for k in range(1, n + 1)] == sorted(results)
    assert sorted(results) == store.ids()
    assert sorted(results) == sorted(store.load(i).id for i in results)
    assert sorted(results) == case_folders(store.root)


# -- atomic writes --------------------------------------------------------------------------------


@pytest.mark.parametrize("failing, error", [("replace", OSError("disk full")), ("fsync", KeyboardInterrupt())],
                         ids=["replace fails", "interrupted while syncing"])
def test_failed_atomic_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, failing, error):
    """A write that fails part way leaves the old file byte for byte and no temporary file beside it."""
    path = tmp_path / "case.toml"
    old = b'schema = 1\nsummary = "the old text"\n'
    path.write_bytes(old)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(type(error)):
        atomic_write(path, b'schema = 1\nsummary = "the new text"\n')
    monkeypatch.undo()
    assert old == path.read_bytes()
    assert ["case.toml"] == _entries(tmp_path)


def test_atomic_write_replaces_the_whole_file(tmp_path):
    """A successful atomic_write leaves exactly the new bytes and no temporary file."""
    path = tmp_path / "case.toml"
    path.write_bytes(b"old and much longer content\n" * 10)
    atomic_write(path, b"new\n")
    assert b"new\n" == path.read_bytes()
    assert ["case.toml"] == _entries(tmp_path)


# -- case files that cannot be read ---------------------------------------------------------------


def _truncate(raw: bytes, case_id: str) -> bytes:
    return raw[: raw.index(b"summary = ") + 20]


def _replace(old: str, new: str):
    def change(raw: bytes, case_id: str) -> bytes:
        old_b, new_b = old.format(id=case_id).encode(), new.format(id=case_id, year=_year()).encode()
        assert old_b in raw
        return raw.replace(old_b, new_b, 1)
    return change


CORRUPT = [
    ("truncated", _truncate, ["not valid TOML"]),
    ("binary garbage", lambda raw, case_id: b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage", ["not UTF-8"]),
    ("text garbage", lambda raw, case_id: b"this is not a case file at all\n", ["not valid TOML"]),
    ("wrong id inside", _replace('id = "{id}"', 'id = "{year}-0002"'), ["holds case", "-0002"]),
    ("schema 99", _replace("schema = 3\n", "schema = 99\n"), ["schema 99", "upgrade hesket"]),
    ("summary not text", _replace("summary = ", "summary = 42 #"), ["incident.summary"]),
]


@pytest.mark.parametrize("spoil, fragments", [(s, f) for _, s, f in CORRUPT], ids=[n for n, _, _ in CORRUPT])
def test_unreadable_case_file_is_reported_and_left_as_it_is(run, cases_dir, spoil, fragments):
    """`case show` on a case file that cannot be read exits 3 naming the path and the problem, changing nothing."""
    case_id = _triage(run)
    path = cases_dir / case_id / "case.toml"
    path.write_bytes(spoil(path.read_bytes(), case_id))
    before = snapshot(cases_dir)
    result = run("case", "show", case_id)
    assert 3 == result.exit_code, (result.stdout, result.stderr)
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines)
    assert lines[0].startswith("Error: ")
    assert str(path) in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert before == snapshot(cases_dir)
    assert [case_id, f"{case_id}/.lock", f"{case_id}/case.toml"] == [e for e in _entries(cases_dir) if not e.startswith(".hesket")]


# -- ids in sequence --------------------------------------------------------------------------------


def test_ids_are_given_in_sequence_within_the_year(run):
    """Successive triages get <year>-0001, <year>-0002, <year>-0003."""
    year = _year()
    assert [f"{year}-0001", f"{year}-0002", f"{year}-0003"] == [_triage(run) for _ in range(3)]


def test_store_numbers_each_year_separately(tmp_path, policy):
    """The first case of another year is that year's 0001, whatever the other years hold."""
    store = CaseStore(tmp_path / "cases")
    make = _maker(policy, _answers(policy))
    assert ["2025-0001", "2025-0002", "2026-0001", "2025-0003"] == [
        store.create(make, year=y).id for y in (2025, 2025, 2026, 2025)]


def test_an_id_is_never_given_twice_even_after_the_newest_case_is_removed(run, cases_dir):
    """The year's last number is remembered: removing the newest case (a purge, say) does not free its id."""
    year = _year()
    _triage(run), _triage(run)
    import shutil

    shutil.rmtree(cases_dir / f"{year}-0002")
    assert f"{year}-0003" == _triage(run)


def test_a_case_placed_by_hand_is_counted_and_a_lost_hint_is_rebuilt_from_the_folder(run, cases_dir):
    """A case folder made by another program moves the numbering on; with no hint, the folder is listed."""
    year = _year()
    first = _triage(run)
    store = CaseStore(cases_dir)
    (cases_dir / f"{year}-0040").mkdir(mode=0o700)
    atomic_write(store.path_of(f"{year}-0040"), encode_case(store.load(first)._replace(id=f"{year}-0040")))
    assert f"{year}-0041" == _triage(run)
    (cases_dir / ".hesket" / f"last-{year}").write_text("not a number\n", encoding="utf-8")
    assert f"{year}-0042" == _triage(run)


def test_ten_thousandth_case_gets_a_five_digit_number_and_sorts_last(run, cases_dir):
    """After <year>-9999 comes <year>-10000, which case list shows newest first, before 9999."""
    year = _year()
    first = _triage(run)
    store = CaseStore(cases_dir)
    case = store.load(first)._replace(id=f"{year}-9999")
    (cases_dir / case.id).mkdir(mode=0o700)
    atomic_write(store.path_of(case.id), encode_case(case))
    assert f"{year}-10000" == _triage(run)
    assert [f"{year}-0001", f"{year}-9999", f"{year}-10000"] == store.ids()
    listed = run("case", "list", "--json")
    assert 0 == listed.exit_code, listed.stderr
    assert [f"{year}-10000", f"{year}-9999", f"{year}-0001"] == [d["id"] for d in json.loads(listed.stdout)]
    table = run("case", "list", env=WIDE)
    assert 0 == table.exit_code, table.stderr
    rows = [line.split()[0] for line in table.stdout.splitlines()[1:] if line.strip()]
    assert [f"{year}-10000", f"{year}-9999", f"{year}-0001"] == rows
    assert 0 == run("case", "show", f"{year}-10000").exit_code
