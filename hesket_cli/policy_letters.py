"""policy_letters.py: reads what policy.toml gives hesket's letters: the letters each step calls for, how a
letter names a post by each kind of poster, and the policy's words for raising a concern privately.

No school's own wording may be fixed in hesket's letter templates: who the
school's people are (a Headteacher and a Governing Body, a Principal and
Trustees) and how the school asks to hear concerns are the policy's words, so
they are data here, read as strictly as the rest of the file. Standard
library only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from .describe import place
from .policy import LETTERS, Step
from .strict import Table

RAISE_CONCERNS_KEYS = ("policy_text",)


def read_step_letters(t: Table, earlier: Sequence[Step]) -> tuple[str, ...]:
    """A step's `letters`: kinds hesket drafts, each belonging to one step only."""
    found: list[str] = []
    for kind in t.texts("letters"):
        owner = next((s.id for s in earlier if kind in s.letters), None)
        if kind not in LETTERS:
            t.problems.add(place(t.place, "letters"), f"unknown letter {kind!r}; allowed: {', '.join(LETTERS)}")
        elif owner is not None or kind in found:
            t.problems.add(place(t.place, "letters"),
                           f"letter {kind!r} already belongs to steps.{owner or t.place.split('.')[-1]}; "
                           "a letter belongs to one step")
        else:
            found.append(kind)
    return tuple(found)


def read_one_line(t: Table, key: str) -> str | None:
    """An optional text a letter puts inside one of its sentences: non-blank, on one line."""
    value = t.text(key, False)
    if value is not None and ("\n" in value or "\r" in value):
        t.problems.add(place(t.place, key), "must be one line: a letter puts it inside one of its sentences")
        return None
    return value


def read_raise_concerns(top: Table) -> str | None:
    """`[raise_concerns]`: the policy's own words for the private ways to raise a concern (None without it).

    Every letter that invites a parent to raise concerns says "the best way to
    raise them is <these words>", so they are quoted from the policy like any
    policy_text, never written into a template.
    """
    if "raise_concerns" not in top.data:
        top.used.add("raise_concerns")
        return None
    t = Table(top.table("raise_concerns"), "raise_concerns", top.problems)
    words = t.text("policy_text")
    t.finish(RAISE_CONCERNS_KEYS)
    return words
