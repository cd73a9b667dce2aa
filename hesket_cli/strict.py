"""strict.py: a strict reader of TOML tables, which names the place of every problem it finds.

hesket's files (the policy, a workspace's settings, the platform routes)
are edited by hand by a school's IT support, so each is read strictly: an
unknown key, a missing key or a value of the wrong type is reported with
its place in the file (`steps.legal_advice.when`), and every problem is
collected so all can be fixed in one go. Standard library only.
"""

from __future__ import annotations

from typing import Any

from .describe import describe, place


class Problems:
    """Collects problems with their places, so all are reported together."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: list[str] = []
        self.found: list[tuple[str, str]] = []

    def add(self, where: str, message: str) -> None:
        """Note one problem at `where` (a dotted place, or "" for the file as a whole)."""
        self.found.append((where, message))
        self.lines.append(f"{self.display}: {where}: {message}" if where else f"{self.display}: {message}")


class Table:
    """A TOML table being read: remembers which keys were used, to report the rest."""

    def __init__(self, data: Any, where: str, problems: Problems) -> None:
        self.place = where
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(where, f"must be a table, found {describe(data)}")
            data = {}
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def get(self, key: str, required: bool) -> Any:
        """The raw value of `key` (None if absent; a problem if it was required)."""
        self.used.add(key)
        if key not in self.data:
            if required:
                self.problems.add(self.place, f"missing key '{key}'")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True) -> str | None:
        """Non-blank text, or None (with a problem if it is of another type)."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems.add(place(self.place, key), f"must be non-blank text, found {describe(value)}")
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of text (empty if absent)."""
        value = self.get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.add(place(self.place, key), f"must be a list of text, found {describe(value)}")
            return ()
        return tuple(value)

    def flag(self, key: str) -> bool:
        """true or false (false if absent)."""
        value = self.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problems.add(place(self.place, key), f"must be true or false, found {describe(value)}")
            return False
        return value

    def table(self, key: str, required: bool = True) -> dict[str, Any]:
        """A sub-table (empty if absent)."""
        value = self.get(key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.add(place(self.place, key), f"must be a table, found {describe(value)}")
            return {}
        return value

    def finish(self, allowed: tuple[str, ...]) -> None:
        """Report every key that was never asked for, with the keys allowed."""
        for key in self.data:
            if key not in self.used:
                self.problems.add(place(self.place, key), f"unknown key '{key}'; allowed: {', '.join(allowed)}")
