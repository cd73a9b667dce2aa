"""policy_file.py: finds, reads and validates `policy.toml`, refusing anything unexpected.

The price of keeping the policy as data is a strict loader: every unknown
key, missing key, duplicate id, reserved id or condition naming something
that does not exist is reported with its place in the file, all problems
at once (`steps.contact_police.when: unknown item 'racism' in
'checklist.racism'; did you mean 'checklist.racist'?`), one reader per
section. Standard library only; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from .describe import describe, place
from .errors import PolicyError
from .policy import (
    FORMAT,
    HARMS,
    LEADS_TO,
    REQUIRED_ACTIONS,
    RESERVED_IDS,
    STAGES,
    Action,
    Choice,
    Header,
    Item,
    Notice,
    Outcome,
    Policy,
    Step,
    Template,
    Timings,
)
from .policy_conditions import conditions as _conditions
from .policy_letters import read_one_line, read_raise_concerns, read_step_letters
from .policy_settings import read_helpline
from .strict import Problems, Table
from .toml_read import DECODE_ERRORS
from .toml_read import loads as toml_loads

POLICY_FILE_LIMIT = 1024 * 1024
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}", re.ASCII)
_WHEN = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", re.ASCII)

_ITEM_KEYS = ("title", "question", "help", "policy_text")
_CONSIDERATION_KEYS = (*_ITEM_KEYS, "flagged_by")
_CHECKLIST_KEYS = (*_CONSIDERATION_KEYS, "harm")
FLAGGED_BY = ("yes", "no")
_POSTER_KEYS = ("title", "in_letters", "policy_text")
_PLATFORM_KEYS = ("title", "aliases", "policy_text")
_STEP_KEYS = ("title", "stage", "when", "at_once_when", "after", "urgent", "urgent_when", "letters", "platform_report",
              "policy_text")
_OUTCOME_KEYS = ("title", "leads_to", "repeat_post", "policy_text")
_NOTICE_KEYS = ("title", "text", "when", "done_by", "ref")
_ACTION_KEYS = ("title", "policy_text")
_HEADER_KEYS = ("school", "title", "adopted", "reviewed", "signed", "signed_by", "policy_text", "source")
_TEMPLATE_KEYS = ("platform", "poster")
_TOP_KEYS = (
    "format", "policy", "considerations", "checklist", "other", "judgement",
    "posters", "platforms", "steps", "outcomes", "actions", "timings", "template", "notices", "helpline",
    "raise_concerns",
)
TIMING_DEFAULTS = {"discussion_days": 7, "outcome_days": 7, "reply_days": 14, "idle_days": 28, "late_days": 3}


# -- locating -----------------------------------------------------------------


def default_policy_path() -> Path:
    """The policy shipped with hesket: inside the package when installed from a
    wheel, at the top of the repository when run from a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "policy.toml"
    if packaged.is_file():
        return packaged
    return here.parent / "policy.toml"


def policy_path(explicit: str | os.PathLike[str] | None) -> Path:
    """The policy file in use: the one named (--policy or HESKET_POLICY), else the default."""
    if explicit:
        return Path(explicit)
    return default_policy_path()


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read and validate a policy file; PolicyError lists every problem with its place."""
    data, sha256 = read_policy_data(path)
    return parse_policy(data, display=str(path), sha256=sha256)


def read_policy_data(path: str | os.PathLike[str],
                     given_with: str = "with --policy or HESKET_POLICY") -> tuple[dict[str, Any], str]:
    """A policy file's TOML data, not yet validated, and its SHA-256; PolicyError if it cannot be read as TOML.
    `given_with` is what named the file, for a missing one's fix."""
    from .files import NotARegularFile, TooLarge, read_bounded

    path = Path(path)
    display = str(path)
    try:
        raw = read_bounded(path, POLICY_FILE_LIMIT)
    except FileNotFoundError:
        raise PolicyError(
            f"{display}: policy file not found; check the path given {given_with}"
        ) from None
    except TooLarge as exc:
        raise PolicyError(f"{display}: {exc.size} bytes, over the 1 MB a policy file may have") from None
    except NotARegularFile as exc:
        raise PolicyError(f"{display}: {exc.strerror}, not a policy file") from None
    except OSError as exc:
        raise PolicyError(f"{display}: cannot read the policy file: {exc.strerror}") from None
    return read_toml(raw, display), hashlib.sha256(raw).hexdigest()


def read_toml(raw: bytes, display: str) -> dict[str, Any]:
    """Parse a policy file's bytes as TOML; PolicyError naming the file otherwise."""
    try:
        return toml_loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"{display}: not UTF-8 text; save the file as UTF-8") from None
    except DECODE_ERRORS as exc:
        raise PolicyError(f"{display}: not valid TOML: {exc}") from None
    except RecursionError:
        raise PolicyError(f"{display}: nested too deeply to be a policy file") from None


# -- validating ---------------------------------------------------------------


class _Reader:
    """The state shared by the section readers: the problems found and every id seen so far."""

    def __init__(self, data: dict[str, Any], display: str) -> None:
        self.problems = Problems(display)
        self.top = Table(data, "", self.problems)
        self.seen: dict[str, str] = {}

    def entries(self, section: str, required: bool) -> list[tuple[str, Table]]:
        """Each `[section.<id>]` table with a valid, unique id, ready to be read."""
        found = []
        for item_id, body in self.top.table(section, required).items():
            if self.check_id(section, item_id):
                found.append((item_id, Table(body, place(section, item_id), self.problems)))
        if required and not found:
            self.problems.add(section, "needs at least one entry")
        return found

    def check_id(self, section: str, item_id: str) -> bool:
        where = place(section, item_id)
        if not _ID.fullmatch(item_id):
            self.problems.add(where, "an id must be lower-case letters, digits and _ (starting with a letter)")
            return False
        if item_id in RESERVED_IDS.get(section, ()):
            used = f"{section.rstrip('s')}.{item_id}"
            self.problems.add(where, f"'{item_id}' is reserved: conditions use '{used}' with a meaning of their own; "
                                     "choose another id")
            return False
        if section in ("posters", "platforms"):
            return True  # their ids live in their own namespaces (`poster.x`, `platform.x`)
        if item_id in self.seen:
            self.problems.add(where, f"duplicate id '{item_id}', already used at {self.seen[item_id]}")
            return False
        self.seen[item_id] = where
        return True


def parse_policy(data: dict[str, Any], *, display: str = "policy.toml", sha256: str = "") -> Policy:
    """Validate parsed TOML into a Policy, or raise PolicyError naming every problem."""
    policy, problems = validate_policy(data, display=display, sha256=sha256)
    if policy is not None:
        return policy
    lines = problems.lines
    headline = lines[0] if len(lines) == 1 else f"{display}: {len(lines)} problems; fix each and check again"
    raise PolicyError(headline, details=tuple(lines))


def validate_policy(data: dict[str, Any], *, display: str = "policy.toml",
                    sha256: str = "") -> tuple[Policy | None, Problems]:
    """Validate parsed TOML: the Policy (None if anything is wrong) and every problem, each with its place."""
    reader = _Reader(data, display)
    fmt = reader.top.get("format", True)
    if fmt is not None and fmt != FORMAT:
        reader.problems.add("format", f"this hesket reads policy format {FORMAT}, found {describe(fmt)}")
    header = _header(reader)
    considerations = _items(reader, "considerations", "consideration", required=False)
    checklist = _items(reader, "checklist", "checklist", required=True)
    judgements = _items(reader, "judgement", "judgement", required=False)
    other = _other(reader)
    posters = _choices(reader, "posters", _POSTER_KEYS)
    platforms = _choices(reader, "platforms", _PLATFORM_KEYS)
    known = {
        "checklist": {i.id for i in checklist} | {"any"} | ({"other"} if other else set()),
        "consideration": {i.id for i in considerations} | {"any"},
        "judgement": {i.id for i in judgements},
        "platform": {c.id for c in platforms},
        "poster": {c.id for c in posters},
    }
    steps = _steps(reader, known)
    outcomes = _outcomes(reader)
    actions = _actions(reader)
    timings = _timings(reader)
    template = _template(reader, platforms, posters)
    notices = _notices(reader, known)
    helpline = read_helpline(reader.top, reader.problems, steps, notices,
                             set(reader.seen) | {n.done_by for n in notices})
    raise_concerns = read_raise_concerns(reader.top)
    reader.top.finish(_TOP_KEYS)
    if reader.problems.found:
        return None, reader.problems
    return Policy(
        header=header, considerations=considerations, checklist=checklist, other=other,
        judgements=judgements, posters=posters, platforms=platforms, steps=steps,
        outcomes=outcomes, actions=actions, path=display, sha256=sha256, timings=timings, template=template,
        notices=notices, helpline=helpline, raise_concerns=raise_concerns,
    ), reader.problems


def _header(reader: _Reader) -> Header:
    t = Table(reader.top.table("policy"), "policy", reader.problems)
    adopted, reviewed = t.text("adopted", False), t.texts("reviewed")
    for key, when in (("adopted", adopted), *(("reviewed", r) for r in reviewed)):
        if when is not None and not _WHEN.fullmatch(when):
            reader.problems.add(f"policy.{key}", f"must be a date written YYYY, YYYY-MM or YYYY-MM-DD, found {when!r}")
    signed = t.get("signed", False)
    if signed is not None and not (isinstance(signed, dt.date) and not isinstance(signed, dt.datetime)):
        reader.problems.add("policy.signed", f"must be a date written YYYY-MM-DD (no quotes), found {describe(signed)}")
        signed = None
    header = Header(
        school=t.text("school") or "", title=t.text("title") or "", adopted=adopted,
        reviewed=reviewed, signed=signed, signed_by=t.text("signed_by", False) or "",
        policy_text=t.text("policy_text") or "", source=t.text("source", False),
    )
    t.finish(_HEADER_KEYS)
    return header


def _item(t: Table, item_id: str, kind: str) -> Item:
    harm = t.text("harm", False) if kind == "checklist" else None
    if harm is not None and harm not in HARMS:
        t.problems.add(place(t.place, "harm"), f"unknown kind of harm {harm!r}; allowed: {', '.join(HARMS)}")
        harm = None
    flagged_by = t.text("flagged_by", False) if kind in ("consideration", "checklist") else None
    if flagged_by is not None and flagged_by not in FLAGGED_BY:
        t.problems.add(place(t.place, "flagged_by"), f"must be \"yes\" or \"no\" (the answer that flags it), "
                                                    f"found {flagged_by!r}")
        flagged_by = None
    item = Item(id=item_id, kind=kind, title=t.text("title") or item_id, question=t.text("question") or "",
                help=t.text("help", False) or "", policy_text=t.text("policy_text") or "", harm=harm,
                flagged_by=flagged_by or "yes")
    t.finish({"checklist": _CHECKLIST_KEYS, "consideration": _CONSIDERATION_KEYS}.get(kind, _ITEM_KEYS))
    return item


def _items(reader: _Reader, section: str, kind: str, *, required: bool) -> tuple[Item, ...]:
    return tuple(_item(t, item_id, kind) for item_id, t in reader.entries(section, required))


def _other(reader: _Reader) -> Item | None:
    """`[other]`: present when the school's list is non-exhaustive (anything else may be described)."""
    if "other" not in reader.top.data:
        reader.top.used.add("other")
        return None
    return _item(Table(reader.top.table("other"), "other", reader.problems), "other", "other")


def _choices(reader: _Reader, section: str, keys: tuple[str, ...]) -> tuple[Choice, ...]:
    found = []
    names: dict[str, str] = {}
    for choice_id, t in reader.entries(section, True):
        aliases = t.texts("aliases") if "aliases" in keys else ()
        for name in (choice_id, *aliases):
            if name.lower() in names:
                reader.problems.add(t.place, f"duplicate name '{name}', already used at {names[name.lower()]}")
            names[name.lower()] = t.place
        found.append(Choice(choice_id, t.text("title") or choice_id, t.text("policy_text", False),
                            tuple(a.lower() for a in aliases),
                            read_one_line(t, "in_letters") if "in_letters" in keys else None))
        t.finish(keys)
    return tuple(found)


def _steps(reader: _Reader, known: dict[str, set[str]]) -> tuple[Step, ...]:
    bodies = reader.top.table("steps")
    steps: list[Step] = []
    for step_id, t in reader.entries("steps", True):
        stage = t.text("stage")
        if stage is not None and stage not in STAGES:
            reader.problems.add(place(t.place, "stage"), f"unknown stage {stage!r}; allowed: {', '.join(STAGES)}")
        after = t.texts("after")
        for needed in after:
            if needed not in bodies:
                reader.problems.add(place(t.place, "after"), f"unknown step '{needed}'")
        steps.append(Step(
            id=step_id, title=t.text("title") or step_id, stage=stage or "",
            when=_conditions(t, "when", known), at_once_when=_conditions(t, "at_once_when", known),
            after=after, policy_text=t.text("policy_text") or "",
            urgent=t.flag("urgent"), urgent_when=_conditions(t, "urgent_when", known),
            letters=read_step_letters(t, steps), platform_report=t.flag("platform_report"),
        ))
        t.finish(_STEP_KEYS)
    for stage in ("first", "escalation"):
        if steps and not any(s.stage == stage for s in steps):
            reader.problems.add("steps", f"needs at least one step with stage = \"{stage}\"")
    if sum(s.platform_report for s in steps) > 1:
        reader.problems.add("steps", "only one step may be the platform_report step (complaining to the site)")
    return tuple(steps)


def _outcomes(reader: _Reader) -> tuple[Outcome, ...]:
    outcomes = []
    for outcome_id, t in reader.entries("outcomes", True):
        leads_to = t.text("leads_to")
        if leads_to is not None and leads_to not in LEADS_TO:
            reader.problems.add(place(t.place, "leads_to"),
                                f"unknown value {leads_to!r}; allowed: {', '.join(LEADS_TO)}")
        outcomes.append(Outcome(outcome_id, t.text("title") or outcome_id, leads_to or "",
                                t.text("policy_text") or "", t.flag("repeat_post")))
        t.finish(_OUTCOME_KEYS)
    if sum(o.repeat_post for o in outcomes) > 1:
        reader.problems.add("outcomes", "only one outcome may be the repeat_post outcome")
    return tuple(outcomes)


def _notices(reader: _Reader, known: dict[str, set[str]]) -> tuple[Notice, ...]:
    """`[notices]`: the school's own settings: what staff must do when conditions hold, and what completes it."""
    found = []
    for notice_id, t in reader.entries("notices", False):
        done_by = t.text("done_by") or ""
        if done_by and not _ID.fullmatch(done_by):
            reader.problems.add(place(t.place, "done_by"), "an event id must be lower-case letters, digits and _")
        found.append(Notice(notice_id, t.text("title") or notice_id, t.text("text") or "",
                            _conditions(t, "when", known), done_by, t.text("ref", False)))
        t.finish(_NOTICE_KEYS)
    return tuple(found)


def _actions(reader: _Reader) -> tuple[Action, ...]:
    bodies = reader.top.table("actions")
    actions = []
    for action_id, body in bodies.items():
        where = place("actions", action_id)
        if action_id not in REQUIRED_ACTIONS:
            reader.problems.add(where, f"unknown action '{action_id}'; allowed: {', '.join(REQUIRED_ACTIONS)}")
            continue
        if not reader.check_id("actions", action_id):
            continue
        t = Table(body, where, reader.problems)
        actions.append(Action(action_id, t.text("title") or action_id, t.text("policy_text", False)))
        t.finish(_ACTION_KEYS)
    for action_id in REQUIRED_ACTIONS:
        if "actions" in reader.top.data and action_id not in bodies:
            reader.problems.add("actions", f"missing [actions.{action_id}]")
    return tuple(actions)


def _timings(reader: _Reader) -> Timings:
    t = Table(reader.top.table("timings", False), "timings", reader.problems)
    values = {}
    for key, default in TIMING_DEFAULTS.items():
        value = t.get(key, False)
        if value is None:
            value = default
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            reader.problems.add(place("timings", key),
                                f"must be a whole number of days (1 or more), found {describe(value)}")
            value = default
        values[key] = value
    t.finish(tuple(TIMING_DEFAULTS))
    return Timings(**values)


def _template(reader: _Reader, platforms: tuple[Choice, ...], posters: tuple[Choice, ...]) -> Template | None:
    """`[template]`: the example platform and poster `triage --template` fills in (optional)."""
    if "template" not in reader.top.data:
        reader.top.used.add("template")
        return None
    t = Table(reader.top.table("template"), "template", reader.problems)
    chosen = []
    for key, pool in (("platform", platforms), ("poster", posters)):
        value = t.text(key, False)
        ids = [c.id for c in pool]
        if value is not None and value not in ids:
            reader.problems.add(place("template", key), f"unknown {key} {value!r}; allowed: {', '.join(ids)}")
            value = None
        chosen.append(value or (ids[0] if ids else ""))
    t.finish(_TEMPLATE_KEYS)
    return Template(platform=chosen[0], poster=chosen[1])
