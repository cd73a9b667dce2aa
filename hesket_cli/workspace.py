"""workspace.py: where a school's hesket keeps its things: the policy in force and the cases folder.

Every command finds them the same way, so a case is always read and written
under the same policy and in the same folder. Reading the policy and
opening the cases folder are lazy: `--help`, a template or a policy check
touch neither.
"""

from __future__ import annotations

from pathlib import Path

from .files import PRIVATE, FileModes
from .policy import Policy
from .store import CaseStore, default_cases_dir


class Workspace:
    """The policy file in use and the cases folder, with the policy loaded once when first asked for."""

    def __init__(self, policy_path: Path, cases_dir: Path, modes: FileModes = PRIVATE) -> None:
        self.policy_path = policy_path
        self.cases_dir = cases_dir
        self.modes = modes
        self._policy: Policy | None = None

    def policy(self) -> Policy:
        """The policy in force, read and validated on first use, its quotes checked against its source."""
        if self._policy is None:
            from .policy_file import load_policy

            policy = load_policy(self.policy_path)
            check_quotes_once(policy, self.policy_path)
            self._policy = policy
        return self._policy

    def store(self) -> CaseStore:
        """The cases folder."""
        return CaseStore(self.cases_dir, self.modes)


def find_workspace(policy_file: str | None) -> Workspace:
    """The workspace every command uses: the policy named (--policy, HESKET_POLICY) or the built-in one,
    and the cases folder (HESKET_CASES_DIR, else the user's data folder)."""
    from .policy_file import policy_path

    return Workspace(policy_path=policy_path(policy_file), cases_dir=default_cases_dir())


SOURCE_LIMIT = 5 * 1024 * 1024


def check_quotes_once(policy: Policy, path: Path) -> None:
    """Refuse a policy whose quotes are not in its published text, checking each pair of files only once.

    A policy that names its `source` must quote it word for word, or invented
    words would be printed as the policy's. Checking costs little but is
    remembered all the same (the SHA-256 of the policy file and of its
    source, in the user's cache), so start-up stays quick.
    """
    import hashlib

    from .errors import PolicyError
    from .files import read_bounded
    from .policy import unquoted

    if not policy.header.source:
        return
    source = path.parent / policy.header.source
    try:
        raw = read_bounded(source, SOURCE_LIMIT)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"{path}: policy.source: cannot read {source}; put the published policy text there "
                          "or remove `source`") from None
    key = f"{policy.sha256} {hashlib.sha256(raw).hexdigest()}"
    memory = _quotes_memory()
    if memory is not None and key in _remembered(memory):
        return
    problems = [f"{path}: {line}" for line in unquoted(policy, text)]
    if problems:
        headline = problems[0] if len(problems) == 1 else f"{path}: {len(problems)} quotes not found in {source}"
        raise PolicyError(headline + "; check it with: hesket policy check " + str(path), details=tuple(problems))
    if memory is not None:
        _remember(memory, key)


def _quotes_memory() -> Path | None:
    from .index import cache_folder

    return cache_folder() / "quotes-checked.txt"


def _remembered(memory: Path) -> set[str]:
    from .config import untrusted
    from .files import read_bounded

    if untrusted(memory) is not None:
        return set()
    try:
        return set(read_bounded(memory, 1024 * 1024).decode("utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return set()


def _remember(memory: Path, key: str) -> None:
    """Add a checked pair to the memory (best effort: a cache that cannot be written is no error)."""
    import contextlib

    from .files import atomic_write, make_folder

    with contextlib.suppress(OSError):
        make_folder(memory.parent)
        kept = sorted(_remembered(memory))[-200:]
        atomic_write(memory, ("\n".join([*kept, key]) + "\n").encode("utf-8"))
