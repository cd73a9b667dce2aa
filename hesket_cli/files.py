"""files.py: the file primitives every writer of hesket shares.

Case files, evidence, settings and reports all hold personal data, so the
rules for touching a file live in one place: a write goes to a temporary
file in the same folder, is fsynced and swapped in with `os.replace`, so a
reader sees the old file or the new, never a mix; what hesket creates is
readable by its owner only (a shared workspace widens that to its group,
through `FileModes`); a lock is an OS lock, released by the OS if the
process dies. Reading a file that came from outside is bounded and never
blocks on a FIFO or a device.

A write the system refuses is WriteFailed (errors.py) naming the file and
the cause. This module knows nothing of cases, policies or the command line.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from .errors import write_failed

CHUNK = 1 << 20


class FileModes(NamedTuple):
    """The permission bits hesket gives what it creates: owner only, unless a workspace is shared."""

    file: int = 0o600
    folder: int = 0o700


PRIVATE = FileModes()


class NotARegularFile(OSError):
    """A path that is a FIFO, a device, a folder or a link where a plain file was expected.

    `kind` says which ("a link", "a folder", "a FIFO", "a device", "a socket").
    """

    def __init__(self, path: Path, kind: str) -> None:
        what = {"a link": "is a link", "a folder": "a folder"}.get(kind, f"{kind}, not a regular file")
        super().__init__(errno.ELOOP if kind == "a link" else errno.EINVAL, what, str(path))
        self.kind = kind


def _kind(mode: int) -> str:
    """What a file of this mode is, in words (for one that is not a regular file)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


class TooLarge(OSError):
    """A file over the size hesket accepts for it."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size} bytes, over the limit of {limit}")
        self.path = path
        self.size = size
        self.limit = limit


def atomic_write(path: Path, data: bytes, modes: FileModes = PRIVATE) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new, never a mix."""
    write_atomically(path, lambda handle: handle.write(data), modes)


def write_atomically(path: Path, write: Callable[[BinaryIO], object], modes: FileModes = PRIVATE) -> None:
    """Call `write(handle)` on a temporary file beside `path`, then swap it in.

    The temporary file (created with the owner-only mode, then given
    `modes.file`) is fsynced and swapped in with `os.replace`; on any
    failure, even Ctrl-C, it is removed, so nothing half-written is left.
    A write the system refuses (disk full, no permission, read-only) is
    WriteFailed naming `path` and the cause; an error of `write`'s own (a
    source it reads, say) comes out as it was raised.
    """
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise write_failed(path, exc) from None
    try:
        with _Target(io.FileIO(fd, "wb"), path) as handle:
            write(handle)
            handle.flush()
            _writing(path, os.fsync, handle.fileno())
        _writing(path, set_mode, Path(tmp), modes.file)
        _writing(path, os.replace, tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _writing(path: Path, step: Callable[..., object], *args: object) -> None:
    """Run one step of writing `path`; a refusal by the system is WriteFailed naming `path`."""
    try:
        step(*args)
    except OSError as exc:
        raise write_failed(path, exc) from None


class _Target(io.BufferedWriter):
    """The temporary file a write goes to: a refusal by the system names the file it is for."""

    def __init__(self, raw: io.FileIO, target: Path) -> None:
        super().__init__(raw)
        self.target = target

    def write(self, data: Any, /) -> int:  # Any: the buffer types are typeshed's own
        try:
            return super().write(data)
        except OSError as exc:
            raise write_failed(self.target, exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise write_failed(self.target, exc) from None


def copy_atomically(source: BinaryIO, target: Path, modes: FileModes = PRIVATE) -> tuple[int, str]:
    """Copy an open file to `target` atomically; return its size and SHA-256."""
    import hashlib

    digest = hashlib.sha256()
    size = 0

    def copy(out: BinaryIO) -> None:
        nonlocal size
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)

    write_atomically(target, copy, modes)
    return size, digest.hexdigest()


def hash_file(path: Path, *, follow_links: bool = True) -> tuple[int, str]:
    """The size and SHA-256 of a regular file (a FIFO or device is refused, never read)."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    with open_regular(path, follow_links=follow_links) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def open_regular(path: Path, *, follow_links: bool = True) -> BinaryIO:
    """Open a file for reading only if it is a regular file, without ever blocking.

    A FIFO opened for reading blocks until a writer comes, so the file is
    opened non-blocking and checked with fstat before a byte is read. With
    `follow_links=False` a symbolic link is refused (where the system can
    tell: O_NOFOLLOW on POSIX, a check before opening elsewhere).
    """
    fd, _ = _open_regular_fd(path, follow_links)
    try:
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_regular_fd(path: Path, follow_links: bool) -> tuple[int, os.stat_result]:
    """The descriptor of a regular file, opened as `open_regular` explains, and its fstat."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        if hasattr(os, "O_NOFOLLOW"):
            flags |= os.O_NOFOLLOW
        elif os.path.islink(path):
            raise NotARegularFile(path, "a link")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            raise NotARegularFile(path, "a link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, _kind(info.st_mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return fd, info
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (TooLarge otherwise; never blocks).

    Read straight from the descriptor, as many bytes as the file has: hesket
    reads every case file this way, thousands on a cold run.
    """
    fd, info = _open_regular_fd(path, follow_links)
    try:
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        parts: list[bytes] = []
        left = limit + 1
        while left > 0:  # a file that grows while read is still bounded
            part = os.read(fd, min(left, info.st_size + 1 if not parts else 1 << 16))
            if not part:
                break
            parts.append(part)
            left -= len(part)
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > limit:
        raise TooLarge(path, len(data), limit)
    return data


def make_folder(path: Path, modes: FileModes = PRIVATE) -> None:
    """Create a folder and any missing parents, each with `modes.folder` whatever the umask.

    If the system refuses (no permission, read-only, disk full), the
    folders this call made are removed again and WriteFailed names the
    folder and the cause.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=modes.folder)
                made.append(folder)
                set_mode(folder, modes.folder)
    except OSError as exc:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise write_failed(path, exc, "make the folder") from None


def set_mode(path: Path, mode: int) -> None:
    """Set permission bits; on Windows, where modes mean little, this is best effort."""
    try:
        os.chmod(path, mode)
    except OSError:
        if os.name != "nt":
            raise


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder, and needs no such step."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def holding(fd: int) -> Iterator[None]:
    """Hold an OS lock already taken on `fd` until the block ends."""
    try:
        yield
    finally:
        unlock(fd)


if sys.platform == "win32":
    import msvcrt

    def try_lock(fd: int) -> bool:
        """Take the lock on `fd` if free (False if another process holds it)."""
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def unlock(fd: int) -> None:
        """Release the lock on `fd`."""
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock(fd: int) -> bool:
        """Take the lock on `fd` if free (False if another process holds it)."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def unlock(fd: int) -> None:
        """Release the lock on `fd`."""
        fcntl.flock(fd, fcntl.LOCK_UN)
