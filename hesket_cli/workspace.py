"""workspace.py: a school's hesket in one folder: its settings, its policy, its cases, its policy versions.

Every command finds the workspace the same way (`--workspace DIR`, else
HESKET_WORKSPACE, else the user's data folder, which works without `init`
and with the built-in policy), so a school's cases are always read and
written under its own policy. A workspace may be shared by a group: then
everything hesket writes in it is readable and writable by that group and
no one else. Reading the policy and opening the cases folder are lazy:
`--help` or a policy check touch neither.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import InvalidInput, UsageError, WorkspaceError
from .files import PRIVATE, FileModes
from .policy import Policy, Timings
from .store import CaseStore

if TYPE_CHECKING:
    from .retention import Retention

SETTINGS_FILE = "hesket.toml"
SETTINGS_FORMAT = 1
CASES = "cases"
VERSIONS = "policies"
ENV_WORKSPACE = "HESKET_WORKSPACE"
SHARED = FileModes(file=0o660, folder=0o2770)


class Settings(NamedTuple):
    """A workspace's settings file (`hesket.toml`): the school's own choices, not the policy's words."""

    school: str
    policy: str
    group: str | None = None
    timings: Timings | None = None
    address: str | None = None
    signatory: str | None = None
    retention: str | None = None
    evidence_mb: int | None = None
    closures: tuple[dt.date, ...] = ()


class Workspace:
    """Where a school's hesket keeps its things, and the policy in force there (loaded once, when asked for)."""

    def __init__(self, policy_path: Path, cases_dir: Path, modes: FileModes = PRIVATE, *,
                 root: Path | None = None, settings: Settings | None = None, found_by: str = "default",
                 trial_policy: Path | None = None, read_only: bool = False) -> None:
        self.policy_path = trial_policy or policy_path
        self.own_policy_path = policy_path
        self.trial_policy = trial_policy
        self.cases_dir = cases_dir
        self.modes = modes
        self.root = root
        self.settings = settings
        self.found_by = found_by
        self.read_only = read_only
        self._policy: Policy | None = None

    def policy(self) -> Policy:
        """The policy in use (the one being tried, if any), read and validated on first use, quotes checked."""
        if self._policy is None:
            from .policy_file import load_policy
            from .quotes import check_quotes_once

            if self.trial_policy is None:
                self._refuse_if_open(self.policy_path)
            policy = load_policy(self.policy_path)
            if self.trial_policy is None and policy.header.source:
                self._refuse_if_open(self.policy_path.parent / policy.header.source)
            check_quotes_once(policy, self.policy_path, remember=not self.read_only)
            if self.settings is not None and self.settings.timings is not None:
                policy = policy._replace(timings=self.settings.timings)
            self._policy = policy
        return self._policy

    def tries_another_policy(self) -> bool:
        """Whether a policy is being tried that is not the workspace's own byte for byte (a copy of the
        policy in force, with the same SHA-256, is that policy); True if either file cannot be read,
        as using it will say."""
        from .files import read_bounded

        if self.trial_policy is None:
            return False
        try:
            return (os.stat(self.trial_policy).st_size != os.stat(self.own_policy_path).st_size
                    or read_bounded(self.trial_policy, 1 << 20) != read_bounded(self.own_policy_path, 1 << 20))
        except OSError:
            return True

    def own_policy(self) -> Policy:
        """The workspace's own policy, even while another is being tried."""
        if self.trial_policy is None:
            return self.policy()
        from .policy_file import load_policy

        self._refuse_if_open(self.own_policy_path)
        return load_policy(self.own_policy_path)

    def _refuse_if_open(self, path: Path) -> None:
        """Refuse a file of the workspace's policy that those it is not shared with could change."""
        if self.root is not None:
            from .workspace_access import refuse_if_open

            refuse_if_open(path, self.modes, folder=False)

    @property
    def school(self) -> str:
        """The school's name: the workspace's own (`hesket init --school`), else its policy's school."""
        if self.settings is not None and self.settings.school:
            return self.settings.school
        return self.own_policy().header.school

    def retention(self) -> Retention:
        """How long a case is kept after it ends: the school's setting, else hesket's suggested default."""
        from .retention import retention_in_force

        return retention_in_force(self.settings.retention if self.settings is not None else None)

    def store(self) -> CaseStore:
        """The cases folder."""
        return CaseStore(self.cases_dir, self.modes, found_by=self.found_by)

    def no_cases_folder(self) -> str | None:
        """If the cases folder does not exist yet, a sentence saying so and where it is (so a mistyped
        HESKET_CASES_DIR shows, rather than looking like an empty folder); None if it exists."""
        if os.path.lexists(self.cases_dir):
            return None
        check = f"; if you expected cases, check {self.found_by}" if self.found_by != "default" else ""
        return f"the cases folder {self.cases_dir} does not exist yet (the first triage makes it{check})"

    @property
    def initialised(self) -> bool:
        """Whether this workspace was made with `hesket init` (it has a settings file)."""
        return self.settings is not None

    def version_path(self, sha256: str) -> Path | None:
        """Where a version of the policy this workspace has used is kept (None outside an initialised one);
        WorkspaceError if those it is not shared with could change it."""
        if self.root is None or not sha256.isalnum():
            return None
        from .workspace_access import refuse_if_open

        path = self.root / VERSIONS / sha256 / "policy.toml"
        for folder in (self.root / VERSIONS, path.parent):
            refuse_if_open(folder, self.modes, folder=True)
        if path.parent.is_dir():
            for kept in path.parent.iterdir():  # the policy and the text it quotes
                refuse_if_open(kept, self.modes, folder=False)
        return path


def default_root() -> Path:
    """The platform's per-user data folder: the workspace used when none is named."""
    import platformdirs

    return platformdirs.user_data_path("hesket", appauthor=False)


def find_workspace(explicit: str | None, policy_file: str | None, *, policy_explicit: bool = False,
                   read_only: bool = False) -> Workspace:
    """The workspace every command uses: `--workspace`, else HESKET_WORKSPACE, else the user's data folder.

    HESKET_CASES_DIR (from before workspaces) still names a cases folder
    when no workspace is named. `policy_file` (--policy, HESKET_POLICY) is a
    policy to try; in a workspace made with `init` the policy in force is
    the workspace's own.
    """
    from .policy_file import default_policy_path
    from .store import ENV_CASES_DIR

    for option, given in (("--workspace", explicit), ("--policy", policy_file)):
        if given is not None and not given.strip():
            raise UsageError(f"{option}: the path is blank; give the {option[2:]} to use, or leave {option} out")
    named = explicit or os.environ.get(ENV_WORKSPACE)
    trial = Path(policy_file) if policy_file else None
    if named:
        root = Path(named)
        settings = read_settings(root, required=True)
        assert settings is not None
        return _initialised(root, settings, "--workspace" if explicit else ENV_WORKSPACE, trial, read_only)
    legacy = os.environ.get(ENV_CASES_DIR)
    if legacy:
        return Workspace(default_policy_path(), Path(legacy), found_by=ENV_CASES_DIR, read_only=read_only,
                         trial_policy=_tried(trial, default_policy_path()))
    root = default_root()
    settings = read_settings(root, required=False)
    if settings is not None:
        return _initialised(root, settings, "default", trial, read_only)
    return Workspace(default_policy_path(), root / CASES, root=None, found_by="default", read_only=read_only,
                     trial_policy=_tried(trial, default_policy_path()))


def _tried(trial: Path | None, own: Path) -> Path | None:
    """The policy given to try, unless it is the folder's own policy file.

    A cases folder with no workspace (the data folder before `init`, or
    HESKET_CASES_DIR) has the built-in policy as its own, so a policy named
    with --policy or HESKET_POLICY there is tried, exactly as in a
    workspace: it never writes a case of another school's.
    """
    return trial if trial and trial.resolve() != own.resolve() else None


def _initialised(root: Path, settings: Settings, found_by: str, trial: Path | None, read_only: bool) -> Workspace:
    modes = SHARED if settings.group else PRIVATE
    policy = root / settings.policy
    return Workspace(policy, root / CASES, modes, root=root, settings=settings, found_by=found_by,
                     trial_policy=_tried(trial, policy), read_only=read_only)


def read_settings(root: Path, *, required: bool) -> Settings | None:
    """A workspace's settings, strictly read; None where there are none and none are required."""
    from .files import NotARegularFile, read_bounded
    from .workspace_access import not_a_member, not_open_to_you, refuse_if_open

    path = root / SETTINGS_FILE
    try:
        if not root.exists():
            if required:
                raise WorkspaceError(f"{root}: no such workspace folder; make one with: hesket init {root}")
            return None
        if not root.is_dir():
            raise WorkspaceError(f"{root}: is a file, not a workspace folder; name the folder made by hesket init")
        raw = read_bounded(path, 64 * 1024, follow_links=False)
    except PermissionError as exc:
        raise not_open_to_you(root, exc) from None
    except FileNotFoundError:
        if required:
            raise WorkspaceError(f"{root}: not a workspace (no {SETTINGS_FILE}); make one with: hesket init {root}"
                                 ) from None
        return None
    except (NotARegularFile, OSError) as exc:
        raise WorkspaceError(f"{path}: cannot read the workspace's settings: {exc.strerror}") from None
    settings = parse_settings(raw, path)
    if settings.group and (outside := not_a_member(root, settings.group)) is not None:
        raise outside
    modes = SHARED if settings.group else PRIVATE
    refuse_if_open(root, modes, folder=True)
    refuse_if_open(path, modes, folder=False)
    return settings


def parse_settings(raw: bytes, path: Path) -> Settings:
    """The settings file's bytes as Settings; WorkspaceError naming every problem with its place."""
    from .strict import Problems, Table
    from .toml_read import PARSE_ERRORS
    from .toml_read import loads as toml_loads

    try:
        data = toml_loads(raw.decode("utf-8"))
    except PARSE_ERRORS as exc:
        raise WorkspaceError(f"{path}: not a valid settings file ({exc}); fix it or run hesket init again") from None
    problems = Problems(str(path))
    top = Table(data, "", problems)
    fmt = top.get("format", True)
    if isinstance(fmt, int) and fmt > SETTINGS_FORMAT:
        raise WorkspaceError(f"{path}: written by a newer hesket (settings format {fmt}; this hesket reads "
                             f"{SETTINGS_FORMAT}); upgrade hesket")
    settings = Settings(
        school=top.text("school") or "", policy=top.text("policy") or "policy.toml",
        group=top.text("group", False), timings=_timings(top, problems), **_letters(top, problems),
        retention=_retention(top, problems), evidence_mb=_evidence_mb(top, problems),
        closures=_closures(top, problems))
    top.finish(("format", "school", "policy", "group", "timings", "letters", "retention", "evidence",
                "subject_access"))
    if problems.lines:
        raise WorkspaceError(problems.lines[0], details=tuple(problems.lines))
    return settings


def _timings(top: Any, problems: Any) -> Timings | None:
    from .policy_file import TIMING_DEFAULTS
    from .strict import Table

    if "timings" not in top.data:
        top.used.add("timings")
        return None
    table = Table(top.table("timings"), "timings", problems)
    values = {}
    for key, default in TIMING_DEFAULTS.items():
        value = table.get(key, False)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            problems.add(f"timings.{key}", f"must be a whole number of days (1 or more), found {value!r}")
            value = None
        values[key] = default if value is None else value
    table.finish(tuple(TIMING_DEFAULTS))
    return Timings(**values)


def _letters(top: Any, problems: Any) -> dict[str, str | None]:
    from .strict import Table

    table = Table(top.table("letters", False), "letters", problems)
    found = {"address": table.text("address", False), "signatory": table.text("signatory", False)}
    table.finish(("address", "signatory"))
    return found


def _retention(top: Any, problems: Any) -> str | None:
    from .strict import Table

    table = Table(top.table("retention", False), "retention", problems)
    rule = table.text("after_closing", False)
    table.finish(("after_closing",))
    if rule is not None:
        from .retention import parse_retention

        try:
            parse_retention(rule, setting=None)
        except InvalidInput as exc:
            problems.add("retention.after_closing", exc.message)  # (which names the place once)
    return rule


def _closures(top: Any, problems: Any) -> tuple[dt.date, ...]:
    """[subject_access] closures: the school's own closure days, skipped like bank holidays in a deadline."""
    from .strict import Table

    table = Table(top.table("subject_access", False), "subject_access", problems)
    value = table.get("closures", False)
    table.finish(("closures",))
    if value is None:
        return ()
    if not isinstance(value, list) or not all(type(day) is dt.date for day in value):
        from .describe import describe

        problems.add("subject_access.closures", "must be a list of dates, for example [2026-12-21, 2026-12-22]; "
                                                f"found {describe(value)}")
        return ()
    return tuple(value)


def _evidence_mb(top: Any, problems: Any) -> int | None:
    from .strict import Table

    table = Table(top.table("evidence", False), "evidence", problems)
    value = table.get("max_mb", False)
    table.finish(("max_mb",))
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        problems.add("evidence.max_mb", f"must be a whole number of megabytes (1 or more), found {value!r}")
        return None
    return value if isinstance(value, int) else None
