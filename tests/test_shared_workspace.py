"""A workspace shared by a group, tried with real, separate OS users (as root only; CI runs as root).

The users and the group are made for these tests and removed after them.
Each user runs hesket as a separate process, with its own home and cache,
so what one user writes must be readable and writable by the other through
the group alone, and by no one outside it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, NONET, snapshot

pytestmark = pytest.mark.skipif(
    os.name == "nt" or not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root on Linux and useradd on PATH (CI runs as root) to create OS users and a group for the test")


class Person:
    """An OS user made for the test, who runs hesket as themselves."""

    def __init__(self, name: str, home: Path, groups: list[int]) -> None:
        self.name = name
        self.home = home
        import pwd

        entry = pwd.getpwnam(name)
        self.uid, self.gid, self.groups = entry.pw_uid, entry.pw_gid, groups

    def hesket(self, workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.home), "HESKET_WORKSPACE": str(workspace),
               "HESKET_CACHE_DIR": str(self.home / "cache"), "HESKET_CONFIG": str(self.home / "config.toml"),
               "PYTHONPATH": str(NONET), "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1", "LANG": "C.UTF-8"}
        return subprocess.run([sys.executable, "-m", "hesket_cli", *args], env=env, capture_output=True, text=True,
                              user=self.uid, group=self.gid, extra_groups=self.groups, cwd=self.home, timeout=120)


@pytest.fixture(scope="module")
def people() -> Iterator[tuple[int, Person, Person, Person]]:
    """A group, two members of it and one outsider; the Python in use made reachable by them for the test."""
    tag = secrets.token_hex(3)
    group, names = f"hkt{tag}", [f"hka{tag}", f"hkb{tag}", f"hkc{tag}"]
    homes = Path(tempfile.mkdtemp(prefix="hesket-people-"))
    homes.chmod(0o755)
    opened = _open_the_way_to(Path(sys.executable).resolve())
    subprocess.run(["groupadd", group], check=True)
    try:
        import grp

        gid = grp.getgrnam(group).gr_gid
        made = []
        for index, name in enumerate(names):
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
            home = homes / name
            home.mkdir()
            import pwd

            os.chown(home, pwd.getpwnam(name).pw_uid, pwd.getpwnam(name).pw_gid)
            made.append(Person(name, home, [gid] if index < 2 else []))
        probe = made[0].hesket(homes, "version")
        if probe.returncode:
            pytest.skip(f"the test users cannot run this Python: {probe.stderr.strip()[-200:]}")
        yield gid, made[0], made[1], made[2]
    finally:
        for name in names:
            subprocess.run(["userdel", name], check=False, capture_output=True)
        subprocess.run(["groupdel", group], check=False, capture_output=True)
        shutil.rmtree(homes, ignore_errors=True)
        for path, mode in opened:
            path.chmod(mode)


def _open_the_way_to(path: Path) -> list[tuple[Path, int]]:
    """Let other users pass through (not list) each folder above `path`; returns what to restore."""
    changed = []
    for folder in path.parents:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if not mode & 0o001:
            folder.chmod(mode | 0o001)
            changed.append((folder, mode))
    return changed


@pytest.fixture
def shared(people: tuple[int, Person, Person, Person]) -> Iterator[Path]:
    """A workspace shared with the group, made by its first member."""
    gid, alice, _, _ = people
    import grp

    root = Path(tempfile.mkdtemp(prefix="hesket-shared-"))
    root.chmod(0o755)
    os.chown(root, alice.uid, alice.gid)
    made = alice.hesket(root / "ws", "init", str(root / "ws"), "--group", grp.getgrgid(gid).gr_name)
    assert 0 == made.returncode, made.stderr
    try:
        yield root / "ws"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _triage(person: Person, workspace: Path) -> str:
    answers = person.home / "answers.toml"
    shutil.copy(EXAMPLES / "complaint-wrong-channel.toml", answers)
    os.chmod(answers, 0o644)
    result = person.hesket(workspace, "triage", "--answers", str(answers), "--json")
    assert 0 == result.returncode, result.stderr
    return str(json.loads(result.stdout)["id"])


def test_a_case_triaged_by_one_member_is_listed_shown_and_recorded_on_by_another(people, shared):
    """Alice triages; Bob, in the group, lists it, shows it and records the discussion on it."""
    _, alice, bob, _ = people
    case_id = _triage(alice, shared)
    listed = bob.hesket(shared, "case", "list", "--json")
    shown = bob.hesket(shared, "case", "show", case_id)
    recorded = bob.hesket(shared, "case", "record", case_id, "discuss_and_request_removal", "--by", "Mr B Example")
    assert ([case_id], 0, 0) == ([d["id"] for d in json.loads(listed.stdout)], shown.returncode, recorded.returncode)
    folder = shared / "cases" / case_id
    assert (0o2770, 0o660, 0o660) == (stat.S_IMODE(folder.stat().st_mode),
                                      stat.S_IMODE((folder / "case.toml").stat().st_mode),
                                      stat.S_IMODE((folder / ".lock").stat().st_mode))


def test_every_file_and_folder_hesket_makes_in_a_shared_workspace_is_the_groups(people, shared):
    """Under a umask of 022, all hesket makes (its notes in cases/.hesket too: last-YYYY, staging) is 0660 or 2770."""
    _, alice, bob, _ = people
    before = os.umask(0o022)
    try:
        case_id = _triage(alice, shared)
        assert 0 == bob.hesket(shared, "case", "note", case_id, "Phoned.", "--by", "Mr B Example").returncode
    finally:
        os.umask(before)
    modes = {str(p.relative_to(shared)): stat.S_IMODE(p.stat().st_mode) for p in sorted(shared.rglob("*"))}
    expected = {name: 0o2770 if (shared / name).is_dir() else 0o660 for name in modes}
    notes = {name.split("/")[2].rstrip("0123456789") for name in modes if name.startswith("cases/.hesket/")}
    assert (expected, {"last-", "staging"}) == (modes, notes)


def test_a_user_outside_the_group_gets_one_clear_error_and_changes_nothing(people, shared):
    """Carol, outside the group, cannot read or write the workspace: one Error line, nothing changed."""
    _, alice, _, carol = people
    case_id = _triage(alice, shared)
    before = snapshot(shared)
    results = [carol.hesket(shared, "case", "list"), carol.hesket(shared, "case", "note", case_id, "Hello")]
    assert [True, True] == [r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1 for r in results]
    assert [True, True] == [r.stderr.startswith("Error: ") for r in results]
    assert before == snapshot(shared)


def test_a_user_outside_the_group_is_told_the_workspace_the_group_and_the_fix(people, shared):
    """Carol, outside the group, gets exit 3 and one line naming the workspace, its group and how to join it."""
    gid, _, _, carol = people
    import grp

    group = grp.getgrgid(gid).gr_name
    result = carol.hesket(shared, "case", "list")
    assert (3, 1) == (result.returncode, len(result.stderr.splitlines()))
    assert (True, True, True) == (f"{shared}: this workspace is not open to you" in result.stderr,
                                  f"shared with the group '{group}'" in result.stderr,
                                  f"sudo usermod -aG {group} {carol.name}" in result.stderr)


def test_a_user_who_cannot_enter_the_folder_above_the_workspace_is_told_whom_to_ask(people, shared):
    """With the folder above the workspace closed to her, Carol gets exit 3 naming that folder and its group."""
    gid, _, _, carol = people
    import grp

    os.chown(shared.parent, -1, gid)
    shared.parent.chmod(0o750)
    before = snapshot(shared)
    result = carol.hesket(shared, "status")
    assert (3, 1, before) == (result.returncode, len(result.stderr.splitlines()), snapshot(shared))
    assert (True, True) == (f"permission denied at {shared.parent}" in result.stderr,
                            f"sudo usermod -aG {grp.getgrgid(gid).gr_name} {carol.name}" in result.stderr)


def test_two_members_recording_at_once_on_one_case_both_land(people, shared):
    """Alice and Bob each add 25 notes to one case at the same time: exactly 50 land, none lost."""
    _, alice, bob, _ = people
    case_id = _triage(alice, shared)
    failures: list[str] = []

    def add(person: Person) -> None:
        for n in range(25):
            result = person.hesket(shared, "case", "note", case_id, f"{person.name} {n}")
            if result.returncode:
                failures.append(result.stderr)

    threads = [threading.Thread(target=add, args=(p,)) for p in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = json.loads(alice.hesket(shared, "case", "show", case_id, "--json").stdout)["events"]
    assert ([], 50) == (failures, sum(1 for e in events if e["event"] == "note"))
    assert {alice.name: 25, bob.name: 25} == {
        name: sum(1 for e in events if e["note"].startswith(name + " ")) for name in (alice.name, bob.name)}
