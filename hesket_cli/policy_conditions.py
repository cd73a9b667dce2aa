"""policy_conditions.py: the condition language of policy.toml (`checklist.racist`, `not poster.pupil`) read
and checked against what the policy names, with the nearest name suggested for a slip.

A condition list (`when`, `at_once_when`, `urgent_when` on a step, `when` on a
notice) holds when any entry holds; this module only reads the entries,
reporting each problem with its place through the loader's Problems. Standard
library only; it never reads a file.
"""

from __future__ import annotations

from collections.abc import Callable

from .describe import place
from .policy import CONDITION_KINDS, Condition
from .strict import Table


def conditions(t: Table, key: str, known: dict[str, set[str]]) -> tuple[Condition, ...]:
    """The condition list at `key` of a table, each entry read; the entries that cannot be read are reported."""
    found = []
    for entry in t.texts(key):
        read = condition(entry, known, place(t.place, key), t.problems.add)
        if read is not None:
            found.append(read)
    return tuple(found)


def condition(entry: str, known: dict[str, set[str]], where: str,
              report: Callable[[str, str], None]) -> Condition | None:
    """One entry (`kind.id` or `not kind.id`) read against the ids the policy has; None, reported, if it fails."""
    words = entry.split()
    negated = len(words) == 2 and words[0] == "not"
    ref = words[-1] if words else ""
    if not words or len(words) > 2 or (len(words) == 2 and not negated) or "." not in ref:
        report(where, f"cannot read condition {entry!r}; write it as 'kind.id' or 'not kind.id', "
                      f"where kind is one of {', '.join(CONDITION_KINDS)}")
        return None
    kind, _, item_id = ref.partition(".")
    if kind not in known:
        report(where, f"unknown kind '{kind}' in {entry!r}; allowed: {', '.join(CONDITION_KINDS)}")
        return None
    if item_id not in known[kind]:
        import difflib  # only needed to suggest a fix

        close = difflib.get_close_matches(item_id, sorted(known[kind]), n=1)
        hint = f"did you mean '{kind}.{close[0]}'?" if close else f"known: {', '.join(sorted(known[kind]))}"
        report(where, f"unknown item '{item_id}' in {entry!r}; {hint}")
        return None
    return Condition(kind, item_id, negated)
