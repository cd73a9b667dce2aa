"""casework/workspaces.py: make a school's workspace, say what is in use, adopt a new version of the policy.

A workspace binds a school's cases to its own policy: the policy file lives
in the workspace, every version it has used is kept (by SHA-256) so a case
can be shown as it was triaged, and a sharing group makes everything hesket
writes there readable and writable by the school's staff and no one else.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..describe import breaks_line
from ..errors import WorkspaceError, WriteFailed
from ..files import PRIVATE, FileModes, atomic_write, make_folder, read_bounded, set_mode
from ..policy import Policy
from ..workspace import CASES, SETTINGS_FILE, SETTINGS_FORMAT, SHARED, VERSIONS, Workspace, default_root
from .policies import check_policy


class Made(NamedTuple):
    """What `init` made: the folder, its settings, the policy and the paths written."""

    root: Path
    school: str
    policy: Policy
    group: str | None
    written: list[Path]


class Status(NamedTuple):
    """Which workspace and policy are in use, how many cases of each status, and who may use them."""

    workspace: Workspace
    policy: Policy
    own_policy: Policy | None
    counts: dict[str, int]
    access: str
    modes_differ: tuple[str, ...] = ()


def init_workspace(folder: str | None, policy_file: str | None, school: str | None, group: str | None, *,
                   force: bool = False) -> Made:
    """Make a workspace in `folder` (default: the user's data folder) with the policy, checked first.

    An existing workspace is refused unless `force`, and even then its cases
    are never touched: only its settings and policy are written again.
    """
    root = Path(folder) if folder else default_root()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root}: is a file; give a folder for the workspace")
    if (root / SETTINGS_FILE).exists() and not force:
        raise WorkspaceError(f"{root}: is already a workspace; nothing was changed (to write its settings and "
                             "policy again, never its cases, add --force)")
    from ..policy_file import default_policy_path

    source = Path(policy_file) if policy_file else default_policy_path()
    checked = check_policy(str(source), "with --policy")
    name = " ".join((school or checked.policy.header.school).split())
    if not name or breaks_line(school or ""):
        raise WorkspaceError(f"--school: the school's name is {'blank' if not name else 'more than one line'}; "
                             "give it on one line, e.g. --school \"Example Primary\"; nothing was made")
    gid = _group_id(group) if group else None
    modes = SHARED if group else PRIVATE
    written = _make_folders(root, modes, gid)
    written += _copy_policy(source, checked.policy, root, modes)
    written.append(_write_settings(root, name, group, modes))
    return Made(root, name, checked.policy, group, written)


def _group_id(group: str) -> int:
    """The id of a group that exists and that the user is in; WorkspaceError saying what to do otherwise."""
    try:
        import grp
    except ImportError:
        raise WorkspaceError("--group: on Windows a workspace is shared through the shared folder's permissions "
                             "for a security group, not by hesket; leave --group out (see the README)") from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise WorkspaceError(f"--group: there is no group named {group!r} on this computer; make it first "
                             f"(sudo groupadd {group}) and add the staff who share the workspace") from None
    if gid != os.getgid() and gid not in os.getgroups():
        raise WorkspaceError(f"--group: you are not in the group {group!r}; add yourself (sudo usermod -aG "
                             f"{group} $USER), log out and in again, then run hesket init again")
    return gid


def _make_folders(root: Path, modes: FileModes, gid: int | None) -> list[Path]:
    made = [p for p in (root, root / CASES, root / VERSIONS) if not p.exists()]
    try:
        make_folder(root, modes)
        if gid is not None:
            os.chown(root, -1, gid)
            set_mode(root, modes.folder)  # setgid: everything made inside keeps the group
        make_folder(root / CASES, modes)
        make_folder(root / VERSIONS, modes)
    except OSError as exc:
        raise WorkspaceError(f"cannot make the workspace {root}: {exc.strerror}; nothing else was changed") from None
    return made


def _copy_policy(source: Path, policy: Policy, root: Path, modes: FileModes) -> list[Path]:
    """Copy the policy (and the published text it quotes) into the workspace, and keep it as a version."""
    files = {"policy.toml": read_bounded(source, 1024 * 1024)}
    quoted = policy.header.source
    if quoted:
        if Path(quoted).name != quoted:
            raise WorkspaceError(f"{source}: policy.source {quoted!r} must be a file beside the policy (a name, "
                                 "not a path) to be copied into a workspace")
        files[quoted] = read_bounded(source.parent / quoted, 5 * 1024 * 1024)
    written = []
    for folder in (root, root / VERSIONS / policy.sha256):
        make_folder(folder, modes)
        for name, data in files.items():
            atomic_write(folder / name, data, modes)
            written.append(folder / name)
    return written


def _write_settings(root: Path, school: str, group: str | None, modes: FileModes) -> Path:
    import tomli_w

    settings: dict[str, Any] = {"format": SETTINGS_FORMAT, "school": school, "policy": "policy.toml"}
    if group:
        settings["group"] = group
    text = ("# hesket's settings for this school's workspace: the school's own choices, not the policy's words.\n"
            "# See the README (\"A school's workspace\") for what may go here.\n" + tomli_w.dumps(settings))
    path = root / SETTINGS_FILE
    atomic_write(path, text.encode("utf-8"), modes)
    return path


class Adopted(NamedTuple):
    """What `policy adopt` did: the previous policy, the one adopted, and the school's name it changed (if any)."""

    previous: Policy
    adopted: Policy
    school_was: str | None = None


def adopt_policy(workspace: Workspace, file: str, school: str | None = None) -> Adopted:
    """Make `file` the workspace's policy, after checking it; the previous version stays kept by SHA-256.

    Another school's policy is refused unless `school` names the school the
    workspace is now for: adopting it leaves every case triaged so far
    readable but no longer writable, so it must never happen by mistake.
    """
    if workspace.root is None or workspace.settings is None:
        raise WorkspaceError("policy adopt needs a workspace of the school's own: make one with hesket init, "
                             "or name it with --workspace")
    previous = workspace.own_policy()
    checked = check_policy(file, "to `hesket policy adopt`")
    ours = workspace.settings.school
    theirs = checked.policy.header.school
    if school is None and theirs not in (ours, previous.header.school):
        raise WorkspaceError(
            f"{file}: is {theirs}'s policy, but this workspace is {ours}'s; nothing was changed. Cases triaged "
            f"here could then be shown but not written to. If the workspace is now {theirs}'s, say so: hesket "
            f"policy adopt {file} --school \"{theirs}\"")
    renamed = school is not None and school != ours
    names = {"policy.toml", *(p.header.source for p in (previous, checked.policy) if p.header.source),
             *((SETTINGS_FILE,) if renamed else ())}
    undo = _undo(workspace.root, names, [workspace.root / VERSIONS / p.sha256 for p in (previous, checked.policy)],
                 workspace.modes)
    try:
        keep_version(workspace, previous, workspace.own_policy_path)
        _copy_policy(Path(file), checked.policy, workspace.root, workspace.modes)
        if renamed:
            assert school is not None
            _rename_school(workspace.root / SETTINGS_FILE, school, workspace.modes)
    except WriteFailed:
        undo()  # a disk that filled half-way: the workspace goes back to how it was
        raise
    return Adopted(previous, checked.policy, ours if renamed else None)


def _rename_school(path: Path, school: str, modes: FileModes) -> None:
    """Set `school` in the settings file, every other line (the school's comments and settings) as it was."""
    import re

    import tomli_w

    line = tomli_w.dumps({"school": school})
    text = read_bounded(path, 64 * 1024).decode("utf-8")
    found = re.search(r"^school\s*=.*\n?", text, re.M)
    table = re.search(r"^\s*\[", text, re.M)
    if found is not None and (table is None or found.start() < table.start()):
        text = text[:found.start()] + line + text[found.end():]
    else:
        at = table.start() if table is not None else len(text)
        text = text[:at] + line + text[at:]
    atomic_write(path, text.encode("utf-8"), modes)


def _undo(root: Path, names: set[str], folders: list[Path], modes: FileModes) -> Callable[[], None]:
    """What puts back the files `names` of `root` as they are now, and removes those of `folders` not yet made."""
    import shutil

    old = {name: read_bounded(root / name, 5 << 20) if (root / name).is_file() else None for name in names}
    new_folders = [folder for folder in folders if not folder.exists()]

    def undo() -> None:
        for name, data in old.items():
            with contextlib.suppress(OSError):
                if data is None:
                    (root / name).unlink(missing_ok=True)
                elif not (root / name).is_file() or read_bounded(root / name, 5 << 20) != data:
                    atomic_write(root / name, data, modes)
        for folder in new_folders:
            shutil.rmtree(folder, ignore_errors=True)

    return undo


def keep_version(workspace: Workspace, policy: Policy, path: Path) -> None:
    """Keep a copy of a policy the workspace uses, by its SHA-256, so cases can be shown as triaged."""
    if workspace.root is None or (workspace.root / VERSIONS / policy.sha256 / "policy.toml").exists():
        return
    folder = workspace.root / VERSIONS / policy.sha256
    make_folder(folder, workspace.modes)
    atomic_write(folder / "policy.toml", read_bounded(path, 1024 * 1024), workspace.modes)
    if policy.header.source:
        atomic_write(folder / policy.header.source, read_bounded(path.parent / policy.header.source, 5 << 20),
                     workspace.modes)


def workspace_status(workspace: Workspace) -> Status:
    """Which workspace and policy are in use, how many cases of each status, and who may use them."""
    from ..derive import derived

    policy = workspace.policy()
    own = workspace.own_policy() if workspace.trial_policy else None
    counts = {"open": 0, "closed": 0, "void": 0, "unreadable": 0}
    warnings: list[str] = []
    for _, tag, _found in derived(workspace.store(), "status", "status", lambda case: (case.status, None),
                                  warnings.append):
        counts[tag or "unreadable"] += 1
    differ = _modes_found(workspace)
    return Status(workspace, policy, own, counts, _access(workspace, bool(differ)), differ)


def _access(workspace: Workspace, differ: bool) -> str:
    """Who may use the workspace, as its modes say: what hesket makes it, unless other modes were found."""
    if workspace.settings is not None and workspace.settings.group:
        who = (f"the members of the group {workspace.settings.group!r} (folders 2770, files 0660); "
               "each person's index stays private")
    else:
        who = "you only (folders 0700, files 0600)"
    return f"meant for {who}, but these modes differ:" if differ else who


def _modes_found(workspace: Workspace) -> tuple[str, ...]:
    """Each place of the workspace whose mode is not the one hesket gives it, with the fix."""
    from ..workspace_access import mode_notes

    places = [(workspace.cases_dir, True)]
    if workspace.root is not None:
        places = [(workspace.root, True), *places, (workspace.root / SETTINGS_FILE, False),
                  (workspace.own_policy_path, False)]
    return tuple(mode_notes(places, workspace.modes))
