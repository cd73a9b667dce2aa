"""errors.py: every failure hesket expects, and the exit code each one means.

Errors are raised deep (in the policy loader, the answers parser, the store)
and caught once, at the edge of the command line, which prints one `Error:`
line and exits with the code named here. Scripts depend on these numbers, so
they never change meaning.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every hesket command."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    INVALID = 3
    NOT_FOUND = 4
    REFUSED = 5
    ATTENTION = 6


class HesketError(Exception):
    """A failure the user can act on: its message is shown as one `Error:` line."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(HesketError):
    """Input or data that cannot be used: an answers file, a policy file, a case file."""

    exit_code = ExitCode.INVALID


class PolicyError(InvalidInput):
    """The policy file is unreadable or breaks the rules of its format.

    `details` holds every problem found, each with its place in the file, so a
    school editing its copy can fix them all in one go.
    """


class AnswersError(InvalidInput):
    """An answers file (or interview answers) that cannot be triaged."""


class CaseFileError(InvalidInput):
    """A case file that cannot be read; it is reported and never overwritten."""


class InvalidCaseId(InvalidInput):
    """A case id typed by a user that is not of the form hesket gives out."""


class CaseNotFound(HesketError):
    """No case with that id in the cases folder."""

    exit_code = ExitCode.NOT_FOUND


class StoreError(HesketError):
    """The cases folder cannot be created, read or written."""

    exit_code = ExitCode.UNEXPECTED


class CasesFolderError(InvalidInput):
    """A cases folder that cannot be used: a file where it should be, or a folder not open to you."""


class CaseLocked(HesketError):
    """Another hesket is still changing this case after waiting for it."""

    exit_code = ExitCode.UNEXPECTED


class Refused(HesketError):
    """The policy does not permit this now (and no override with a reason was given)."""

    exit_code = ExitCode.REFUSED


class UsageError(HesketError):
    """The command was used wrongly: an unknown event, an option missing its partner."""

    exit_code = ExitCode.USAGE


class EvidenceError(InvalidInput):
    """An evidence file to attach that is missing or cannot be read."""


class WorkspaceError(InvalidInput):
    """A workspace that cannot be used: missing, not a workspace, from a newer hesket, bad settings."""


class FolderError(InvalidInput):
    """A folder of the cases folder that is a link, or that other users could change: refused, never used."""


class WriteFailed(InvalidInput, OSError):
    """A write the system refused (disk full, no permission, read-only): nothing was changed.

    Its message names the path and the system's cause. It is an OSError too,
    carrying that errno, cause and path, so code that lets an optional write
    fail (a cache, a hint) still does, and code that adds context to a
    failed write still finds the cause in `strerror`.
    """

    def __init__(self, message: str, *, path: object = None, cause: OSError | None = None) -> None:
        super().__init__(message)
        if cause is not None:
            self.errno, self.strerror = cause.errno, cause.strerror
        if path is not None:
            self.filename = str(path)


def write_failed(path: object, cause: OSError, what: str = "write") -> WriteFailed:
    """The WriteFailed for `cause` while writing `path`: `cannot write PATH: CAUSE; nothing was changed`."""
    if isinstance(cause, WriteFailed):
        return cause
    return WriteFailed(f"cannot {what} {path}: {cause.strerror or cause}; nothing was changed", path=path, cause=cause)


def cases_folder_unusable(root: object, cause: OSError, found_by: str | None) -> CasesFolderError:
    """Why the cases folder `root` cannot be used (`cause`), and the fix; `found_by` is what named it
    (HESKET_CASES_DIR, --workspace, HESKET_WORKSPACE; "default" or None for the user's data folder)."""
    check = f"check {found_by}" if found_by and found_by != "default" else ""
    if cause.errno == errno.ENOTDIR:
        if found_by == "HESKET_CASES_DIR":
            return CasesFolderError(f"HESKET_CASES_DIR names a file, not a folder: {root}; set it to the cases "
                                    "folder's path (the first triage makes a new one)")
        return CasesFolderError(f"{root}: the cases folder is a file, not a folder; move the file away"
                                f"{', or ' + check if check else ' (the first triage makes the folder)'}")
    if isinstance(cause, PermissionError):
        return CasesFolderError(f"{root}: cannot read the cases folder: no permission; ask IT to give you access"
                                f"{', or ' + check if check else ''}")
    return CasesFolderError(f"{root}: cannot read the cases folder: {cause.strerror or cause}"
                            f"{'; ' + check if check else ''}")


class HesketWarning(UserWarning):
    """Something the user should know that does not stop the command (a settings file ignored, say).

    Raised with `warnings.warn` wherever it is found; the command line shows
    each as one `Warning:` line on standard error.
    """
