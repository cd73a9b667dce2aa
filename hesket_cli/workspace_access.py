"""workspace_access.py: who may use a workspace: a place more open than it should be, a place not open to you.

A workspace's settings and policy decide every verdict, so a folder or file
of it that anyone outside the workspace could change is refused, naming it
and the `chmod` that fixes it. A user refused by the system (outside the
sharing group) is told which workspace, which group, and whom to ask,
instead of a bare "Permission denied". What `hesket status` says of who may
use a workspace is read from the modes found, never assumed.

This module changes no file's mode: fixing one is the school's decision.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import WorkspaceError
from .files import FileModes


def refuse_if_open(path: Path, modes: FileModes, *, folder: bool) -> None:
    """WorkspaceError if users the workspace is not shared with may change `path` (a link is followed).

    A missing path passes (the caller says what that means); on Windows,
    where permissions are not modes, nothing is checked.
    """
    if os.name == "nt":
        return
    try:
        found = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    extra = found & 0o022 & ~(modes.folder if folder else modes.file)
    if extra:
        kind = "folder" if folder else "file"
        who = "other users" if extra & 0o002 else "its group, which it is not shared with,"
        raise WorkspaceError(f"{path}: {who} may change this {kind} of the workspace (mode {found:04o}), and "
                             "what is in it decides every case's verdict; nothing was changed; fix with: chmod "
                             f"{'g-w,' if extra & 0o020 else ''}o-w {path}")


def mode_notes(places: list[tuple[Path, bool]], modes: FileModes) -> list[str]:
    """For each (path, is a folder) whose mode is not the one hesket gives it: what was found and the fix."""
    if os.name == "nt":
        return []
    notes = []
    for path, folder in places:
        try:
            found = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            continue
        wanted = modes.folder if folder else modes.file
        if found != wanted:
            notes.append(f"{path} is {found:04o}, not {wanted:04o} (fix with: chmod {wanted:o} {path})")
    return notes


def not_open_to_you(root: Path, exc: OSError) -> WorkspaceError:
    """The error for a workspace the system will not let this user into: which one, whose, and what to ask for."""
    blocked = _first_closed(root, Path(exc.filename) if exc.filename else root)
    group, owner = _owners(blocked)
    login = _login()
    if group is not None:
        ask = (f"it is shared with the group {group!r}, and you ({login}) are not in it: ask whoever manages the "
               f"computer to add you (sudo usermod -aG {group} {login}), then log out and in again")
    else:
        ask = f"ask its owner ({owner}) for access, or use a workspace of your own"
    where = "" if blocked == root.absolute() else f" at {blocked}"
    return WorkspaceError(f"{root}: this workspace is not open to you (permission denied{where}); {ask}; "
                          "nothing was changed")


def not_a_member(root: Path, group: str) -> WorkspaceError | None:
    """The error for a user outside a shared workspace's group (None if they are in it, or it cannot be told)."""
    try:
        import grp

        gid = grp.getgrnam(group).gr_gid
    except (ImportError, KeyError):
        return None
    if gid == os.getegid() or gid in os.getgroups() or os.geteuid() == 0:
        return None  # root may use any workspace, as the system lets it
    login = _login()
    return WorkspaceError(f"{root}: this workspace is shared with the group {group!r}, and you ({login}) are not in "
                          f"it: ask whoever manages the computer to add you (sudo usermod -aG {group} {login}), then "
                          "log out and in again; nothing was changed")


def _first_closed(root: Path, failed: Path) -> Path:
    """The first folder on the way to `failed` this user may not enter, else `failed` itself."""
    target = failed if failed.is_absolute() else Path.cwd() / failed
    for folder in reversed(target.parents):
        if not os.access(folder, os.X_OK):
            return folder
    return target


def _owners(path: Path) -> tuple[str | None, str]:
    """The group that may enter or read `path` (None if its group may not), and its owner's name."""
    try:
        info = os.stat(path)
    except OSError:
        return None, "the person who made it"
    try:
        import grp
        import pwd

        owner = pwd.getpwuid(info.st_uid).pw_name
        group = grp.getgrgid(info.st_gid).gr_name
    except (ImportError, KeyError):
        return None, str(info.st_uid)
    opens = 0o010 if stat.S_ISDIR(info.st_mode) else 0o040
    return (group if info.st_mode & opens and group != owner else None), owner


def _login() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return "$USER"
