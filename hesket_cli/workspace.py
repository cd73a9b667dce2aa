"""workspace.py: where a school's hesket keeps its things: the policy in force and the cases folder.

Every command finds them the same way, so a case is always read and written
under the same policy and in the same folder. Reading the policy and
opening the cases folder are lazy: `--help`, a template or a policy check
touch neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .files import PRIVATE, FileModes
from .policy import Policy
from .store import CaseStore, default_cases_dir


@dataclass
class Workspace:
    """The policy file in use and the cases folder, with the policy loaded once when first asked for."""

    policy_path: Path
    cases_dir: Path
    modes: FileModes = PRIVATE
    _policy: Policy | None = field(default=None, repr=False)

    def policy(self) -> Policy:
        """The policy in force, read and validated on first use."""
        if self._policy is None:
            from .policy_file import load_policy

            self._policy = load_policy(self.policy_path)
        return self._policy

    def store(self) -> CaseStore:
        """The cases folder."""
        return CaseStore(self.cases_dir, self.modes)


def find_workspace(policy_file: str | None) -> Workspace:
    """The workspace every command uses: the policy named (--policy, HESKET_POLICY) or the built-in one,
    and the cases folder (HESKET_CASES_DIR, else the user's data folder)."""
    from .policy_file import policy_path

    return Workspace(policy_path=policy_path(policy_file), cases_dir=default_cases_dir())
