"""A write the system refuses: one `Error:` line naming the path and the cause, exit 3, nothing changed.

Each reproduction runs as root on a small tmpfs: mounted read-only (root
may write anywhere a mode forbids, but not there), or filled to its last
block. Elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmpfs import fill, mount_tmpfs

from conftest import EXAMPLES, POLICY_FILE, ROOT


def tree(folder: Path) -> list[tuple[str, int, bytes | None]]:
    """Every path under `folder`, folders included, with its mode and (for a file) its bytes."""
    if not folder.exists():
        return []
    return [(str(p.relative_to(folder)), stat.S_IMODE(p.lstat().st_mode), p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))]


def _remount_read_only(at: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(at)], capture_output=True)
    if done.returncode:
        pytest.skip(f"this machine cannot remount a tmpfs read-only: {done.stderr.decode().strip()}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs, unmounted after the test."""
    mount = tmp_path / "disk"
    mount_tmpfs(mount, "4m")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _triage(run) -> str:
    result = run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _cases_on(disk: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HESKET_CASES_DIR", str(disk / "cases"))
    return disk / "cases"


def _workspace_on(disk: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert 0 == run("init", disk / "ws").exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(disk / "ws"))
    return disk / "ws"


def _new_policy(tmp_path: Path) -> Path:
    folder = tmp_path / "reviewed"
    folder.mkdir()
    old, new = "as a first step the school will usually discuss", "as a first step the school will normally discuss"
    (folder / "policy.toml").write_text(POLICY_FILE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    published = " ".join((ROOT / "policy.txt").read_text(encoding="utf-8").split())
    (folder / "policy.txt").write_text(published.replace(old, new), encoding="utf-8")
    return folder / "policy.toml"


# Each command that writes: how to set it up so that its write lands on the read-only disk, and its arguments.
# The setup returns the words to run ({case} is the case's id, {disk} the read-only disk).
COMMANDS = {
    "case note": lambda run, disk, tmp, mp: (_cases_on(disk, mp), ["case", "note", "{case}", "The parent rang."]),
    "case record": lambda run, disk, tmp, mp: (_cases_on(disk, mp),
                                               ["case", "record", "{case}", "discuss_and_request_removal"]),
    "case attach": lambda run, disk, tmp, mp: (_cases_on(disk, mp), ["case", "attach", "{case}", str(EXAMPLES /
                                                                                                     "kind-post.toml")]),
    "case void": lambda run, disk, tmp, mp: (_cases_on(disk, mp), ["case", "void", "{case}", "--reason", "A slip."]),
    "triage": lambda run, disk, tmp, mp: (_cases_on(disk, mp), ["triage", "--answers",
                                                                 str(EXAMPLES / "kind-post.toml")]),
    "policy adopt": lambda run, disk, tmp, mp: (_workspace_on(disk, run, mp), ["policy", "adopt",
                                                                                str(_new_policy(tmp))]),
    "case export": lambda run, disk, tmp, mp: (disk, ["case", "export", "{case}", "--bundle", "{disk}/b.zip"]),
    "config set": lambda run, disk, tmp, mp: (mp.setenv("HESKET_CONFIG", str(disk / "config" / "config.toml")),
                                              ["config", "set", "name", "Mrs A Example"]),
    "letter": lambda run, disk, tmp, mp: (disk, ["letter", "{case}", "discussion_invitation", "--out",
                                                 "{disk}/letter.docx"]),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_write_to_a_read_only_disk_is_exit_3_one_line_naming_the_path_and_nothing_changes(
        run, disk, tmp_path, monkeypatch, command):
    """EROFS while any command writes: exit 3, one `Error:` line naming the path and the cause, no traceback."""
    (disk / "config").mkdir()
    _, words = COMMANDS[command](run, disk, tmp_path, monkeypatch)
    case_id = _triage(run)
    _remount_read_only(disk)
    cases = Path(os.environ["HESKET_CASES_DIR"])
    before = (tree(disk), tree(cases))
    result = run(*[w.format(case=case_id, disk=disk) for w in words])
    lines = result.stderr.splitlines()
    assert (3, 1) == (result.exit_code, len(lines)), result.stderr
    assert lines[0].startswith("Error: ") and lines[0].endswith("Read-only file system; nothing was changed") or (
        lines[0].endswith("Read-only file system; nothing was written")), lines[0]
    assert str(disk) in lines[0]
    assert "Traceback" not in result.output
    assert before == (tree(disk), tree(cases))


def test_a_full_disk_during_attach_leaves_no_evidence_folder_behind(run, tmp_path, monkeypatch):
    """The evidence folder made for a copy that did not fit is removed again: the cases folder is as it was."""
    mount = tmp_path / "full"
    mount_tmpfs(mount, "256k")
    try:
        cases = _cases_on(mount, monkeypatch)
        case_id = _triage(run)
        evidence = tmp_path / "post.png"
        evidence.write_bytes(os.urandom(64 * 1024))
        fill(mount)
        before = tree(cases)
        result = run("case", "attach", case_id, evidence)
        assert (3, False) == (result.exit_code, (cases / case_id / "evidence").exists())
        assert "No space left on device; nothing was changed" in result.stderr
        assert before == tree(cases)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_stray_os_error_naming_a_file_is_exit_3_naming_it(run, monkeypatch, cases_dir):
    """An OSError no command turned into its own error still gives one line naming the path and the cause."""
    case_id = _triage(run)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(cases_dir / case_id / "case.toml"))

    monkeypatch.setattr("hesket_cli.store.CaseStore.update", refuse)
    result = run("case", "note", case_id, "The parent rang.")
    assert (3, [f"Error: cannot use {cases_dir / case_id / 'case.toml'}: Permission denied; nothing was changed "
                "by the failed step"]) == (result.exit_code, result.stderr.splitlines())


def test_a_failed_policy_adopt_puts_the_workspace_back(run, tmp_path, monkeypatch):
    """A disk that fills half-way through `policy adopt` leaves the workspace's files and folders as they were."""
    root = tmp_path / "ws"
    assert 0 == run("init", root).exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    from hesket_cli import files

    write, calls = files.atomic_write, []

    def fill_on_third(path, data, modes=files.PRIVATE):
        calls.append(path)
        if len(calls) == 3:
            raise files.write_failed(path, OSError(28, "No space left on device"))
        write(path, data, modes)

    monkeypatch.setattr("hesket_cli.casework.workspaces.atomic_write", fill_on_third)
    before = tree(root)
    result = run("policy", "adopt", _new_policy(tmp_path))
    assert (3, before) == (result.exit_code, tree(root))
