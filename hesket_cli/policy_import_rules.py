"""policy_import_rules.py: what `policy import` removes from a draft, what it must keep, and how conditions follow.

An item of the base policy with no counterpart in a school's text is removed
from the draft, because a tool that quotes the school's policy must not ask
about what the school never wrote: considerations, `[other]`, judgements,
checklist items and steps alike. Posters and platforms stay (posts are made by
someone, somewhere, whatever a policy names) and lose only the base's quote,
which the format does not require. The format cannot do without a checklist
item, an outcome, and a first and an escalation step, so where removal would
leave none, the items are kept and flagged as a decision instead.

Removing an item changes what conditions mean, and that is never done
silently: a `when` is a list where any entry may hold, so an entry naming a
removed item can no longer hold and is dropped; if nothing is left, the step
can never be permitted and is removed too; a `not` entry naming a removed item
always holds, so that whole list holds always and is emptied. Each change is
returned in words. Pure: it edits the draft data it is given, nothing else.
"""

from __future__ import annotations

from typing import Any

UNQUOTED = ("posters", "platforms", "actions")  # kept without their quote when it is not found
NEEDS_ONE = ("checklist", "outcomes")
SINGLE_TABLES = ("other", "raise_concerns")  # one quoted table, not a section of items: removed whole
CONDITION_KIND = {"considerations": "consideration", "checklist": "checklist", "judgement": "judgement"}
KEPT = ("DECIDE: not found in your policy, but kept because the format needs at least one; its policy_text is "
        "still the base policy's words: replace them with your policy's own, or write the item your policy has")


def apply_removals(draft: dict[str, Any], missing: list[str]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Remove the missing items the format can do without; return (removed, kept, notes by place)."""
    removed: list[str] = []
    kept: list[str] = []
    notes: dict[str, list[str]] = {}
    by_section: dict[str, list[str]] = {}
    for place in missing:
        section, _, item = place.partition(".")
        by_section.setdefault(section, []).append(item)
    for section, items in by_section.items():
        table = draft.get(section)
        if not isinstance(table, dict):
            continue
        if section in SINGLE_TABLES:
            del draft[section]
            removed.append(section)
            continue
        for item in _keep(section, table, items):
            kept.append(f"{section}.{item}")
            notes.setdefault(f"{section}.{item}", []).append(KEPT)
        for item in [i for i in items if f"{section}.{i}" not in kept]:
            if section in UNQUOTED:
                table[item].pop("policy_text", None)
                removed.append(f"{section}.{item}.policy_text")
                notes.setdefault(f"{section}.{item}", []).append("its quote was not found in your policy: left out")
            else:
                del table[item]
                removed.append(f"{section}.{item}")
        if not table and section not in NEEDS_ONE:
            del draft[section]  # a policy with no considerations (or judgements) asks none
    return removed, kept, notes


def _keep(section: str, table: dict[str, Any], missing: list[str]) -> list[str]:
    """The missing items of a section that must stay for the draft to load and work."""
    remaining = {k: v for k, v in table.items() if k not in missing}
    if section in NEEDS_ONE and not remaining:
        return missing
    needed = (("leads_to", "escalation"),) if section == "outcomes" else (
        (("stage", "first"), ("stage", "escalation")) if section == "steps" else ())
    kept = []
    for key, value in needed:
        if not any(v.get(key) == value for v in remaining.values()):
            kept += [k for k in missing if table[k].get(key) == value]
    return kept


def _refs(draft: dict[str, Any], removed: list[str]) -> set[str]:
    """The condition entries ('checklist.racist') that name a removed item, or can no longer hold."""
    found = set()
    for place in removed:
        section, _, item = place.partition(".")
        if section in CONDITION_KIND and item and "." not in item:
            found.add(f"{CONDITION_KIND[section]}.{item}")
    if "other" in removed:
        found.add("checklist.other")  # without [other], nothing else can be described
    if not draft.get("considerations"):
        found.add("consideration.any")  # no consideration left to flag
    return found


def drop_stale_conditions(draft: dict[str, Any], removed: list[str], notes: dict[str, list[str]]) -> list[str]:
    """Narrow, empty or drop conditions that name removed items, removing steps left unreachable; say each."""
    changes: list[str] = []
    steps: dict[str, Any] = draft.get("steps", {})
    again = True
    while again:
        again = False
        gone = _refs(draft, removed)
        gone_steps = {p.split(".")[1] for p in removed if p.startswith("steps.")}
        for step_id in list(steps):
            body = steps[step_id]
            said, unreachable = _fix_step(step_id, body, gone, gone_steps)
            if unreachable and _last_of_stage(steps, step_id):
                body["when"] = []
                said[-1] = (f"steps.{step_id}.when: every entry named a removed item; kept with when emptied, as the "
                            f"last {body.get('stage')} step the format needs: decide its conditions")
                unreachable = False
            elif unreachable and body.get("stage") == "appropriate":
                body["when"] = []  # your policy has its words; for a post judged appropriate, offering it is harmless
                said[-1] = (f"steps.{step_id}.when: every entry named a removed item; kept with when emptied, so it "
                            "is offered for every post judged appropriate: decide its conditions")
                unreachable = False
            for change in said:
                notes.setdefault(f"steps.{step_id}", []).append(f"CONFIRM: {change}")
            changes += said
            if unreachable:
                del steps[step_id]
                removed.append(f"steps.{step_id}")
                notes.pop(f"steps.{step_id}", None)
                again = True
    changes += _fix_notices(draft, _refs(draft, removed), notes)
    return changes + _fix_helpline(draft)


def _fix_notices(draft: dict[str, Any], gone: set[str], notes: dict[str, list[str]]) -> list[str]:
    """A school's notice keeps only conditions naming items still in the draft; with none left it goes."""
    changes: list[str] = []
    notices: dict[str, Any] = draft.get("notices", {})
    for notice_id in list(notices):
        place = f"notices.{notice_id}"
        when = list(notices[notice_id].get("when", []))
        stale = [e for e in when if e.split()[-1] in gone]
        if not stale:
            continue
        if len(stale) == len(when):
            del notices[notice_id]
            changes.append(f"{place}: removed, because every entry of its when ({_listed(stale)}) named a removed "
                           "item")
            continue
        notices[notice_id]["when"] = [e for e in when if e not in stale]
        said = f"{place}.when: dropped {_listed(stale)}, which named a removed item"
        notes.setdefault(place, []).append(f"CONFIRM: {said}")
        changes.append(said)
    return changes


def _fix_helpline(draft: dict[str, Any]) -> list[str]:
    """The school's helpline setting follows the step of complaining to the site and names notices: without
    that step it goes; a notice no longer in the draft leaves its `at_once_with`."""
    helpline = draft.get("helpline")
    if not isinstance(helpline, dict):
        return []
    if not any(isinstance(s, dict) and s.get("platform_report") for s in draft.get("steps", {}).values()):
        del draft["helpline"]
        return ["helpline: removed, because no step of complaining to the site (platform_report) is left"]
    notices = set(draft.get("notices", {}))
    stale = [n for n in helpline.get("at_once_with", []) if n not in notices]
    if not stale:
        return []
    helpline["at_once_with"] = [n for n in helpline["at_once_with"] if n not in stale]
    return [f"helpline.at_once_with: dropped {_listed(stale)}, a notice no longer in the draft"]


def _fix_step(step_id: str, body: dict[str, Any], gone: set[str], gone_steps: set[str]) -> tuple[list[str], bool]:
    """The changes made to one step's conditions, and whether it can no longer ever be permitted."""
    place = f"steps.{step_id}"
    changes, unreachable = _fix_when(place, body, gone)
    if unreachable:
        return changes, True
    changes += _fix_at_once(place, body, gone)
    stale = [a for a in body.get("after", []) if a in gone_steps]
    if stale:
        body["after"] = [a for a in body["after"] if a not in stale]
        if not body["after"]:
            body.pop("after")
        changes.append(f"{place}.after: dropped {_listed(stale)}, a removed step: decide whether {step_id} still "
                       "needs another step first")
    return changes, False


def _fix_when(place: str, body: dict[str, Any], gone: set[str]) -> tuple[list[str], bool]:
    when = list(body.get("when", []))
    stale = [e for e in when if e.split()[-1] in gone]
    if not stale:
        return [], False
    if any(e.startswith("not ") for e in stale):
        body["when"] = []
        return [(f"{place}.when: {_listed(stale)} named a removed item, and a 'not' entry on one always holds, so "
                "when was emptied: the step now applies to every post at its stage")], False
    if len(stale) == len(when):
        return [(f"{place}: removed, because every entry of its when ({_listed(stale)}) named a removed item, so it "
                "could never be permitted")], True
    body["when"] = [e for e in when if e not in stale]
    return [f"{place}.when: dropped {_listed(stale)}, which named a removed item"], False


def _fix_at_once(place: str, body: dict[str, Any], gone: set[str]) -> list[str]:
    at_once = list(body.get("at_once_when", []))
    stale = [e for e in at_once if e.split()[-1] in gone]
    if not stale:
        return []
    if any(e.startswith("not ") for e in stale):
        body["at_once_when"] = ["checklist.any"]
        return [(f"{place}.at_once_when: {_listed(stale)} named a removed item and a 'not' entry always holds, so it "
                "became ['checklist.any']")]
    rest = [e for e in at_once if e not in stale]
    if rest:
        body["at_once_when"] = rest
    else:
        body.pop("at_once_when")
    return [f"{place}.at_once_when: dropped {_listed(stale)}, which named a removed item"]


def _last_of_stage(steps: dict[str, Any], step_id: str) -> bool:
    stage = steps[step_id].get("stage")
    return stage in ("first", "escalation") and not any(
        other != step_id and body.get("stage") == stage for other, body in steps.items())


def _listed(entries: list[str]) -> str:
    return ", ".join(f"'{e}'" for e in entries)


def widen_first_steps(draft: dict[str, Any], base_steps: dict[str, Any], removed: list[str],
                      notes: dict[str, list[str]]) -> list[str]:
    """A first step that left some posters or platforms to a first step now removed takes them on; say each.

    In the base, `discuss_and_request_removal` has `when = ["not poster.pupil"]`
    because `discuss_child_use` covers pupils. A school whose policy has no
    such step would otherwise leave a pupil's post with no first step at all
    (a case stuck at triage): the exclusion existed only to hand those posts
    to the removed step, so it is dropped, and the step applies to every post.
    """
    handed = _handed_to_removed(base_steps, removed)
    steps: dict[str, Any] = draft.get("steps", {})
    first = {k: v for k, v in steps.items() if v.get("stage") == "first"}
    named = {e for body in first.values() for e in body.get("when", []) if not e.startswith("not ")}
    changes = []
    for step_id, body in first.items():
        orphaned = [e for e in body.get("when", []) if e.startswith("not ") and e[4:] in handed - named]
        if orphaned:
            body["when"] = []
            change = (f"steps.{step_id}.when: emptied: {_listed(orphaned)} left those posts to a step your policy "
                      f"does not have, so they had no first step; {step_id} now applies to every post")
            notes.setdefault(f"steps.{step_id}", []).append(f"CONFIRM: {change}")
            changes.append(change)
    return changes


def _handed_to_removed(base_steps: dict[str, Any], removed: list[str]) -> set[str]:
    """The posters and platforms ('poster.pupil') that a removed first step of the base was there for."""
    found = set()
    for place in removed:
        section, _, step_id = place.partition(".")
        body = base_steps.get(step_id) if section == "steps" and "." not in step_id else None
        if isinstance(body, dict) and body.get("stage") == "first":
            found |= {e for e in body.get("when", []) if e.split(".")[0] in ("poster", "platform")}
    return found
