"""Several hesket processes on one case: every update lands, a killed writer breaks nothing, locks are released."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import hesket_cli.store as store_module
from hesket_cli.case import Event
from hesket_cli.errors import CaseLocked
from hesket_cli.files import atomic_write
from hesket_cli.store import CaseStore

from conftest import EXAMPLES, ROOT

NO_SIGKILL = pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                reason="SIGKILL does not exist on Windows; a process cannot be killed mid-write there")

# A child that appends `count` notes, one update each, once `start` exists (so two children race).
NOTES_CHILD = textwrap.dedent("""
    import dataclasses, datetime as dt, os, sys, time
    from pathlib import Path
    from hesket_cli.case import Event
    from hesket_cli.store import CaseStore

    root, case_id, worker, ready, start, count = sys.argv[1:7]
    store = CaseStore(Path(root))
    Path(ready).touch()
    deadline = time.monotonic() + 30
    while not os.path.exists(start):
        if time.monotonic() > deadline:
            sys.exit("start file never appeared")
        time.sleep(0.001)
    for i in range(int(count)):
        at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        event = Event(event="note", at=at, on=at.date(), by=worker, note=f"{worker}-{i}")
        store.update(case_id, lambda case: case._replace(events=case.events + (event,)))
""")

# A child that appends notes of 200 KB forever, so that a kill often lands in the middle of a write.
ENDLESS_CHILD = textwrap.dedent("""
    import dataclasses, datetime as dt, sys
    from pathlib import Path
    from hesket_cli.case import Event
    from hesket_cli.store import CaseStore

    store = CaseStore(Path(sys.argv[1]))
    case_id = sys.argv[2]
    padding = "x" * 200_000
    print("ready", flush=True)
    i = 0
    while True:
        at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        event = Event(event="note", at=at, on=at.date(), by="Kill Test", note=f"{i}:{padding}")
        store.update(case_id, lambda case: case._replace(events=case.events + (event,)))
        i += 1
""")

# A child that takes the case's lock, says so, keeps it for a while, and may add a note while holding it.
LOCK_CHILD = textwrap.dedent("""
    import dataclasses, datetime as dt, sys, time
    from pathlib import Path
    from hesket_cli.case import Event
    from hesket_cli.files import atomic_write
    from hesket_cli.store import CaseStore, encode_case

    store = CaseStore(Path(sys.argv[1]))
    case_id, seconds, note = sys.argv[2], float(sys.argv[3]), sys.argv[4]
    with store.lock(case_id):
        print("locked", flush=True)
        time.sleep(seconds)
        if note:
            case = store.load(case_id)
            at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            event = Event(event="note", at=at, on=at.date(), by="Lock Holder", note=note)
            atomic_write(store.path_of(case_id), encode_case(case._replace(events=case.events + (event,))))
""")


def _triage(run) -> str:
    result = run("triage", "--answers", EXAMPLES / "kind-post.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _python(script: str, *args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *[str(a) for a in args]], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


@contextlib.contextmanager
def _lock_held(cases_dir: Path, case_id: str, seconds: float = 60, note: str = ""):
    """A separate process holding the case's lock (for `seconds`), yielded once it has it."""
    child = _python(LOCK_CHILD, cases_dir, case_id, seconds, note)
    try:
        assert "locked\n" == child.stdout.readline(), child.stderr.read()
        yield child
    finally:
        _stop(child)


def _note(at: dt.datetime, text: str) -> Event:
    return Event(event="note", at=at, on=at.date(), by="Mrs A Example", note=text)


def _add_note(text: str):
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return lambda case: case._replace(events=case.events + (_note(at, text),))


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- concurrent updates -------------------------------------------------------------------------------


def test_two_processes_adding_fifty_notes_each_at_once_leave_all_hundred(run, cases_dir, tmp_path):
    """Two processes each recording 50 notes on one case at the same moment leave exactly 100 events, each in order."""
    case_id = _triage(run)
    start = tmp_path / "start"
    workers = ["alpha", "beta"]
    children = [_python(NOTES_CHILD, cases_dir, case_id, w, tmp_path / f"ready-{w}", start, 50) for w in workers]
    try:
        deadline = time.monotonic() + 20
        while not all((tmp_path / f"ready-{w}").exists() for w in workers):
            assert time.monotonic() < deadline, "the children never got ready"
            time.sleep(0.005)
        start.touch()
        outputs = [c.communicate(timeout=60) for c in children]
    finally:
        for c in children:
            _stop(c)
    assert [0, 0] == [c.returncode for c in children], [err for _, err in outputs]
    events = CaseStore(cases_dir).load(case_id).events
    assert 100 == len(events)
    for w in workers:
        assert [f"{w}-{i}" for i in range(50)] == [e.note for e in events if e.by == w]
    assert {"note"} == {e.event for e in events}


def test_two_hesket_processes_adding_ten_notes_each_at_once_leave_all_twenty(run, cases_dir):
    """Two workers each running `hesket case note` ten times at the same moment leave exactly 20 notes, each in order."""
    case_id = _triage(run)
    barrier = threading.Barrier(2, timeout=10)
    failures: list[str] = []

    def work(worker: str) -> None:
        barrier.wait()
        for i in range(10):
            done = subprocess.run([sys.executable, "-m", "hesket_cli", "case", "note", case_id, f"{worker}-{i}",
                                   "--by", worker], cwd=ROOT, capture_output=True, text=True, timeout=30)
            if done.returncode != 0:
                failures.append(f"{worker}-{i}: exit {done.returncode}: {done.stderr}")

    threads = [threading.Thread(target=work, args=(w,)) for w in ("Mr One Example", "Ms Two Example")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [] == failures
    events = CaseStore(cases_dir).load(case_id).events
    assert 20 == len(events)
    for w in ("Mr One Example", "Ms Two Example"):
        assert [f"{w}-{i}" for i in range(10)] == [e.note for e in events if e.by == w]


# -- a writer killed mid-write --------------------------------------------------------------------------


@NO_SIGKILL
def test_writer_killed_at_random_moments_leaves_the_old_or_the_new_case(run, cases_dir, monkeypatch):
    """A process killed (SIGKILL) at random moments while writing leaves a case that loads, keeps its old events and takes new ones."""
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 3.0)  # a stale lock fails the update, not the test run
    case_id = _triage(run)
    store = CaseStore(cases_dir)
    path = store.path_of(case_id)
    pristine = path.read_bytes()
    rng = random.Random(20261124)
    written = 0
    before = store.load(case_id).events
    for iteration in range(25):
        if path.stat().st_size > 400_000:  # start again from the triaged case, to keep each write quick
            atomic_write(path, pristine)
            before = ()
        child = _python(ENDLESS_CHILD, cases_dir, case_id)
        try:
            assert "ready\n" == child.stdout.readline(), child.stderr.read()
            time.sleep(rng.uniform(0.01, 0.3))
            child.send_signal(signal.SIGKILL)
        finally:
            _stop(child)
        assert -signal.SIGKILL == child.returncode, child.stderr
        after = store.load(case_id).events
        assert before == after[: len(before)], f"iteration {iteration}: old events changed"
        added = after[len(before):]
        assert [f"{i}:" for i in range(len(added))] == [e.note[: e.note.index(":") + 1] for e in added]
        assert all(len(e.note) > 200_000 for e in added)
        written += len(added)
        started = time.monotonic()
        updated = store.update(case_id, _add_note(f"after kill {iteration}"))
        assert time.monotonic() - started < 1.0
        assert after == updated.events[:-1]
        before = updated.events
    assert written > 0, "the child never managed a write, so no kill could land mid-write"


# -- locks ------------------------------------------------------------------------------------------------


@NO_SIGKILL
def test_lock_of_a_process_that_dies_is_released(run, cases_dir, monkeypatch):
    """A lock held by a process that is killed is released: the next update completes within a second."""
    case_id = _triage(run)
    store = CaseStore(cases_dir)
    with _lock_held(cases_dir, case_id) as holder:
        monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.2)
        with pytest.raises(CaseLocked):  # the child really holds it
            store.update(case_id, _add_note("too early"))
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 1.0)
    started = time.monotonic()
    store.update(case_id, _add_note("after the holder died"))
    assert time.monotonic() - started < 1.0
    assert ["after the holder died"] == [e.note for e in store.load(case_id).events]


def test_update_waits_for_another_process_holding_the_lock(run, cases_dir):
    """An update while another process holds the lock waits for it, then applies on top of that process's change."""
    case_id = _triage(run)
    store = CaseStore(cases_dir)
    with _lock_held(cases_dir, case_id, seconds=0.5, note="written while holding the lock") as holder:
        started = time.monotonic()
        store.update(case_id, _add_note("written after waiting"))
        waited = time.monotonic() - started
        holder.wait(timeout=10)
    assert waited >= 0.3
    assert ["written while holding the lock", "written after waiting"] == [e.note for e in store.load(case_id).events]


def test_update_gives_up_on_a_held_lock_naming_the_lock_file(run, cases_dir, monkeypatch):
    """With the wait cut to 0.3 s, an update of a case locked by another process raises CaseLocked naming the lock file."""
    case_id = _triage(run)
    store = CaseStore(cases_dir)
    before = store.path_of(case_id).read_bytes()
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.3)
    with _lock_held(cases_dir, case_id):
        started = time.monotonic()
        with pytest.raises(CaseLocked) as raised:
            store.update(case_id, _add_note("never written"))
        waited = time.monotonic() - started
    assert str(cases_dir / case_id / ".lock") in raised.value.message
    assert 0.3 <= waited < 3
    assert before == store.path_of(case_id).read_bytes()


def test_case_note_on_a_locked_case_exits_1_naming_the_lock_file(run, cases_dir, monkeypatch):
    """`case note` on a case another process has locked exits 1 with one Error line naming the lock file, case unchanged."""
    case_id = _triage(run)
    path = CaseStore(cases_dir).path_of(case_id)
    before = path.read_bytes()
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", 0.3)
    with _lock_held(cases_dir, case_id):
        result = run("case", "note", case_id, "Parent phoned back")
    assert 1 == result.exit_code
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert lines[0].startswith("Error: ")
    assert str(cases_dir / case_id / ".lock") in lines[0]
    assert "" == result.stdout
    assert before == path.read_bytes()


# -- Ctrl-C ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("interrupted", ["fsync", "replace"])
def test_ctrl_c_during_an_update_leaves_the_case_as_it_was_and_no_temporary_file(run, cases_dir, monkeypatch, interrupted):
    """Ctrl-C while the new case file is being swapped in leaves the old file byte for byte and no temporary file."""
    case_id = _triage(run)
    store = CaseStore(cases_dir)
    path = store.path_of(case_id)
    before = path.read_bytes()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, interrupted, interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.update(case_id, _add_note("interrupted"))
    monkeypatch.undo()
    assert before == path.read_bytes()
    assert [".lock", "case.toml"] == _entries(path.parent)
    store.update(case_id, _add_note("after the interruption"))  # the lock was let go
    assert ["after the interruption"] == [e.note for e in store.load(case_id).events]


@pytest.mark.parametrize("interrupted", ["fsync", "replace"])
def test_ctrl_c_during_case_note_leaves_the_case_as_it_was_and_no_temporary_file(run, cases_dir, monkeypatch, interrupted):
    """Ctrl-C while `case note` writes the case leaves the old file byte for byte and no temporary file, and exits non-zero."""
    case_id = _triage(run)
    path = CaseStore(cases_dir).path_of(case_id)
    before = path.read_bytes()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, interrupted, interrupt)
    result = run("case", "note", case_id, "Parent phoned back")
    monkeypatch.undo()
    assert 0 != result.exit_code
    assert before == path.read_bytes()
    assert [".lock", "case.toml"] == _entries(path.parent)
    assert [] == [p.name for p in cases_dir.rglob("*.tmp")]


# A child that triages and attaches evidence forever, so that a kill lands inside a triage's staging folder
# or between an evidence copy and the case file that names it.
MAKER_CHILD = textwrap.dedent("""
    import dataclasses, datetime as dt, sys, tomllib
    from pathlib import Path
    from hesket_cli.answers import parse_answers
    from hesket_cli.case import Case, Event, PolicyRef
    from hesket_cli.evidence import attach
    from hesket_cli.policy_file import default_policy_path, load_policy
    from hesket_cli.store import CaseStore

    root, answers_file, evidence = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store = CaseStore(root)
    policy = load_policy(default_policy_path())
    today = dt.date.today()
    answers = parse_answers(tomllib.loads(Path(answers_file).read_text()), policy, today=today, source="a")
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256)
    print("ready", flush=True)
    while True:
        at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        case = store.create(lambda i: Case(i, at, "Kill Test", ref, answers), year=today.year)
        def record(case, attachments):
            added = tuple(Event("evidence", at, today, "Kill Test", attachment=a) for a in attachments)
            return case._replace(events=case.events + added)
        attach(store, case.id, [evidence], record)
""")


@NO_SIGKILL
def test_no_staging_folder_or_orphan_evidence_survives_verify_repair_after_kills(run, cases_dir, tmp_path):
    """Triages and attaches killed (SIGKILL) at random moments leave nothing that case verify --repair misses."""
    evidence = tmp_path / "screenshot.png"
    evidence.write_bytes(b"\x89PNG" + bytes(range(256)) * 2000)
    rng = random.Random(20261125)
    for _ in range(12):
        child = _python(MAKER_CHILD, cases_dir, EXAMPLES / "kind-post.toml", evidence)
        try:
            assert "ready\n" == child.stdout.readline(), child.stderr.read()
            time.sleep(rng.uniform(0.02, 0.4))
            child.send_signal(signal.SIGKILL)
        finally:
            _stop(child)
    repaired = run("case", "verify", "--repair")
    assert 0 == repaired.exit_code, repaired.stdout + repaired.stderr
    store = CaseStore(cases_dir)
    assert [] == store.staging_leftovers()
    from hesket_cli.evidence import stray_evidence

    assert [] == [path for case_id in store.ids() for path in stray_evidence(store, store.load(case_id))]
    assert (0, "all as recorded") == (run("case", "verify").exit_code,
                                      run("case", "verify").stdout.strip().rsplit(": ", 1)[1].rstrip("."))
