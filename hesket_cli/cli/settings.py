"""cli/settings.py: the options given before a command, as plain values, and the workspace they name.

Kept apart from Typer (app.py) so that the reading commands answered before
Typer is loaded (quick.py) find the same workspace, the same way.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workspace import Workspace

ENV_POLICY = "HESKET_POLICY"


class Settings:
    """Options given before the command, shared by every command.

    A plain class, not a dataclass: generating a dataclass's methods costs
    milliseconds at every start, and this module is on every command's path.
    """

    def __init__(self, policy: str | None = None, debug: bool = False, no_color: bool = False,
                 no_pager: bool = False, workspace: str | None = None) -> None:
        self.policy = policy
        self.workspace = workspace
        self.debug = debug
        self.no_color = no_color or bool(os.environ.get("NO_COLOR"))
        self.no_pager = no_pager

    @classmethod
    def from_environment(cls) -> Settings:
        """The settings of a command given no option before it: HESKET_POLICY, as `--policy` reads it (an
        empty value is no value), and NO_COLOR."""
        return cls(policy=os.environ.get(ENV_POLICY) or None)


def workspace_of(given: Settings, *, read_only: bool = False) -> Workspace:
    """The workspace a command works in (the policy in force and the cases folder).

    `read_only`: the command must write nothing anywhere (not even the
    cache's memory of checked policies).
    """
    from ..workspace import find_workspace

    return find_workspace(given.workspace, given.policy, read_only=read_only)
