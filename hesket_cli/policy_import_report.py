"""policy_import_report.py: what `policy import` tells a person: what matched, what was removed, kept or new,
and what they must decide, as lines to read or as the `--json` document.

Kept apart from the drafting itself (policy_import.py), which it only reads.
Pure: it returns lines and data and never writes.
"""

from __future__ import annotations

from typing import Any

from .policy_check import problems_document
from .policy_import import ImportResult, Match

__all__ = ["import_document", "report_lines"]


def report_lines(result: ImportResult) -> list[str]:
    """What matched, what was removed, what is new and what a person must decide, as lines to print."""
    found = [m for m in result.matches if m.quote is not None]
    by_place = {m.place: m for m in result.matches}
    lines = [f"Matched {len(found)} of {len(result.matches)} quotes of the base policy in your policy:"]
    lines += [f"  {m.place}: {_how(m)} (line {m.line}): \"{_short(m.quote or '')}\"" for m in found]
    sections = (
        ("Not found in your policy: removed in the draft:", [_removed(place, by_place) for place in result.removed]),
        ("Not found in your policy, but kept because the format needs at least one (its quote is still the "
         "base's):",
         [f"  {place}" for place in result.kept]),
        ("New in your policy, drafted for you to confirm (marked CONFIRM in policy.toml):",
         [f"  {item.place} (line {item.line}): \"{_short(item.quote)}\"" for item in result.new_items]),
        ("Conditions changed because of what was removed:", [f"  {change}" for change in result.changes]),
        ("Read from your policy's text:", [f"  {note}" for note in result.header_notes]),
    )
    for heading, entries in sections:
        if entries:
            lines += [heading, *entries]
    if not result.problems:
        return [*lines, "policy check finds no problem in the draft."]
    lines.append(f"A person must decide ({len(result.problems)}; `hesket policy check` names the same):")
    return lines + [f"  {p.severity} {p.place}: {p.message}" for p in result.problems]


def _removed(place: str, by_place: dict[str, Match]) -> str:
    match = by_place.get(place.removesuffix(".policy_text"))
    return f"  {place}: \"{_short(match.base_quote)}\"" if match else f"  {place}"


def _how(match: Match) -> str:
    if match.how in ("exact", "folded", "case"):
        return "word for word"
    if match.how == "alike":
        return "not named: your words for the other sites"
    return f"{int(match.ratio * 100)}% alike"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def import_document(result: ImportResult, written: list[str], base: str) -> dict[str, Any]:
    """`policy import --json`: what matched, was removed, kept, new or changed, and what a person must decide."""
    return {
        "contract": 1,
        "base": base,
        "written": written,
        "matched": [{"place": m.place, "how": m.how, "ratio": round(m.ratio, 3), "line": m.line, "quote": m.quote}
                    for m in result.matches if m.quote is not None],
        "removed": list(result.removed),
        "kept": list(result.kept),
        "new": [{"place": n.place, "line": n.line, "quote": n.quote} for n in result.new_items],
        "changes": list(result.changes),
        "read_from_text": list(result.header_notes),
        "decisions": problems_document(list(result.problems)),
    }
