"""policy.py: loads `policy.toml` into frozen dataclasses, refusing anything unexpected.

The policy and its rules live in data, not in Python, so a school using the
same template can change a quote or add a checklist item without code. The
price of that freedom is a strict loader: every unknown key, missing key,
duplicate id or condition naming something that does not exist is reported
with its place in the file (`policy.toml: steps.contact_police.when: unknown
checklist item 'racism'`), all problems at once. This module uses only the
standard library and never writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PolicyError

FORMAT = 1
STAGES = ("appropriate", "first", "escalation")
LEADS_TO = ("resolved", "escalation")
REQUIRED_ACTIONS = ("record_outcome", "close_case", "reopen_case")
CONDITION_KINDS = ("checklist", "consideration", "judgement", "platform", "poster")

_ID = re.compile(r"[a-z][a-z0-9_]{0,39}", re.ASCII)
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)


@dataclass(frozen=True)
class Header:
    """Who the policy belongs to and when it was adopted and last reviewed."""

    school: str
    title: str
    adopted: str
    reviewed: tuple[str, ...]
    signed: dt.date | None
    signed_by: str
    policy_text: str
    source: str | None

    @property
    def last_reviewed(self) -> str:
        """The latest review month (or the adoption month if never reviewed)."""
        return max(self.reviewed, default=self.adopted)


@dataclass(frozen=True)
class Item:
    """A question the policy asks of a post: a consideration, checklist item or judgement."""

    id: str
    kind: str
    title: str
    question: str
    help: str
    policy_text: str


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of answers (a platform or a kind of poster)."""

    id: str
    title: str
    policy_text: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One entry of a step's condition list, such as `not poster.pupil`."""

    kind: str
    id: str
    negated: bool

    def __str__(self) -> str:
        return f"{'not ' if self.negated else ''}{self.kind}.{self.id}"


@dataclass(frozen=True)
class Step:
    """A step of the policy's procedure, with the conditions that permit it."""

    id: str
    title: str
    stage: str
    when: tuple[Condition, ...]
    at_once_when: tuple[Condition, ...]
    after: tuple[str, ...]
    policy_text: str


@dataclass(frozen=True)
class Outcome:
    """What may be recorded after the discussion, and where it leads."""

    id: str
    title: str
    leads_to: str
    policy_text: str


@dataclass(frozen=True)
class Action:
    """Something hesket may suggest that is not a step of the policy's ladder."""

    id: str
    title: str
    policy_text: str | None


@dataclass(frozen=True)
class Timings:
    """When a case counts as overdue: the school's own settings (the policy gives no numbers)."""

    discussion_days: int = 7
    outcome_days: int = 7
    reply_days: int = 14
    idle_days: int = 28


@dataclass(frozen=True)
class Policy:
    """The whole policy as hesket reads it, and the file it came from."""

    header: Header
    considerations: tuple[Item, ...]
    checklist: tuple[Item, ...]
    other: Item
    judgements: tuple[Item, ...]
    posters: tuple[Choice, ...]
    platforms: tuple[Choice, ...]
    steps: tuple[Step, ...]
    outcomes: tuple[Outcome, ...]
    actions: tuple[Action, ...]
    path: str
    sha256: str
    timings: Timings = None  # type: ignore[assignment]

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if there is none)."""
        return _by_id(self.steps, step_id)

    def action(self, action_id: str) -> Action:
        """The non-ladder action with this id (KeyError if there is none)."""
        return _by_id(self.actions, action_id)

    def platform(self, name: str) -> Choice | None:
        """The platform a user means by `name` (an id or an alias, any case)."""
        wanted = name.strip().lower()
        for choice in self.platforms:
            if wanted == choice.id or wanted in choice.aliases:
                return choice
        return None

    def poster(self, name: str) -> Choice | None:
        """The kind of poster with this id (any case), or None."""
        wanted = name.strip().lower()
        return next((c for c in self.posters if c.id == wanted), None)

    @property
    def event_ids(self) -> tuple[str, ...]:
        """Every event that may be recorded on a case: steps, outcomes, actions."""
        return (
            tuple(s.id for s in self.steps)
            + tuple(o.id for o in self.outcomes)
            + tuple(a.id for a in self.actions if a.id != "record_outcome")
        )

    def quotes(self) -> list[tuple[str, str]]:
        """Every (place, policy_text) pair, for checking them against the source text."""
        found = [("policy", self.header.policy_text)]
        for section, items in (
            ("considerations", self.considerations),
            ("checklist", self.checklist),
            ("judgement", self.judgements),
            ("posters", self.posters),
            ("platforms", self.platforms),
            ("steps", self.steps),
            ("outcomes", self.outcomes),
            ("actions", self.actions),
        ):
            found += [(f"{section}.{x.id}", x.policy_text) for x in items if x.policy_text]
        found.append(("other", self.other.policy_text))
        return found


def _by_id(items, wanted):
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(wanted)


def fold_whitespace(text: str) -> str:
    """Collapse runs of whitespace, so a quote matches across the source's line breaks."""
    return " ".join(text.split())


def unquoted(policy: Policy, source_text: str) -> list[str]:
    """Places whose policy_text is not found word for word in the published policy."""
    folded = fold_whitespace(source_text)
    return [
        f"{place}.policy_text: not found in the policy text: {quote[:60]!r}"
        for place, quote in policy.quotes()
        if fold_whitespace(quote) not in folded
    ]


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
    path = Path(path)
    display = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError(
            f"{display}: policy file not found; check the path given with --policy or HESKET_POLICY"
        ) from None
    except OSError as exc:
        raise PolicyError(f"{display}: cannot read the policy file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"{display}: not UTF-8 text; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{display}: not valid TOML: {exc}") from None
    return parse_policy(data, display=display, sha256=hashlib.sha256(raw).hexdigest())


# -- validating ---------------------------------------------------------------


class _Problems:
    """Collects problems with their places, so all are reported together."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.lines.append(f"{self.display}: {place}: {message}" if place else f"{self.display}: {message}")


class _Table:
    """A TOML table being read: remembers which keys were used to report the rest."""

    def __init__(self, data: Any, place: str, problems: _Problems) -> None:
        self.place = place
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(place, f"must be a table, found {_describe(data)}")
            data = {}
        self.data = data
        self.used: set[str] = set()

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.problems.add(self.place, f"missing key '{key}'")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems.add(f"{self.place}.{key}", f"must be non-blank text, found {_describe(value)}")
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.add(f"{self.place}.{key}", f"must be a list of text, found {_describe(value)}")
            return ()
        return tuple(value)

    def table(self, key: str, required: bool = True) -> dict:
        value = self._get(key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.add(f"{self.place}.{key}" if self.place else key, f"must be a table, found {_describe(value)}")
            return {}
        return value

    def finish(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in self.used:
                where = f"{self.place}.{key}" if self.place else key
                self.problems.add(where, f"unknown key '{key}'; allowed: {', '.join(allowed)}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f"{value!r}" if value.strip() else "blank text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"{value!r} ({type(value).__name__})"


_ITEM_KEYS = ("title", "question", "help", "policy_text")
_CHOICE_KEYS = ("title", "policy_text")
_PLATFORM_KEYS = ("title", "aliases", "policy_text")
_STEP_KEYS = ("title", "stage", "when", "at_once_when", "after", "policy_text")
_OUTCOME_KEYS = ("title", "leads_to", "policy_text")
_ACTION_KEYS = ("title", "policy_text")
_HEADER_KEYS = ("school", "title", "adopted", "reviewed", "signed", "signed_by", "policy_text", "source")
_TOP_KEYS = (
    "format", "policy", "considerations", "checklist", "other", "judgement",
    "posters", "platforms", "steps", "outcomes", "actions", "timings",
)
TIMING_DEFAULTS = {"discussion_days": 7, "outcome_days": 7, "reply_days": 14, "idle_days": 28}


def parse_policy(data: dict, *, display: str = "policy.toml", sha256: str = "") -> Policy:
    """Validate parsed TOML into a Policy, or raise PolicyError naming every problem."""
    problems = _Problems(display)
    top = _Table(data, "", problems)
    fmt = top._get("format", True)
    if fmt is not None and fmt != FORMAT:
        problems.add("format", f"this hesket reads policy format {FORMAT}, found {_describe(fmt)}")

    header = _header(top.table("policy"), problems)
    seen: dict[str, str] = {}

    def check_id(section: str, item_id: str) -> bool:
        place = f"{section}.{item_id}"
        if not _ID.fullmatch(item_id):
            problems.add(place, "an id must be lower-case letters, digits and _ (starting with a letter)")
            return False
        if item_id in seen:
            problems.add(place, f"duplicate id '{item_id}', already used at {seen[item_id]}")
            return False
        seen[item_id] = place
        return True

    def items(section: str, kind: str, required: bool = True) -> tuple[Item, ...]:
        found = []
        for item_id, body in top.table(section, required).items():
            place = f"{section}.{item_id}"
            if not check_id(section, item_id):
                continue
            t = _Table(body, place, problems)
            item = Item(
                id=item_id, kind=kind, title=t.text("title") or item_id,
                question=t.text("question") or "", help=t.text("help", False) or "",
                policy_text=t.text("policy_text") or "",
            )
            t.finish(_ITEM_KEYS)
            found.append(item)
        if required and not found:
            problems.add(section, "needs at least one entry")
        return tuple(found)

    considerations = items("considerations", "consideration")
    checklist = items("checklist", "checklist")
    judgements = items("judgement", "judgement", required=False)

    other_table = _Table(top.table("other"), "other", problems)
    other = Item(
        id="other", kind="other", title=other_table.text("title") or "other",
        question=other_table.text("question") or "", help=other_table.text("help", False) or "",
        policy_text=other_table.text("policy_text") or "",
    )
    other_table.finish(_ITEM_KEYS)

    def choices(section: str, keys: tuple[str, ...]) -> tuple[Choice, ...]:
        found = []
        local: dict[str, str] = {}
        for choice_id, body in top.table(section).items():
            place = f"{section}.{choice_id}"
            if not _ID.fullmatch(choice_id):
                problems.add(place, "an id must be lower-case letters, digits and _ (starting with a letter)")
                continue
            t = _Table(body, place, problems)
            aliases = t.texts("aliases") if "aliases" in keys else ()
            for name in (choice_id, *aliases):
                if name.lower() in local:
                    problems.add(place, f"duplicate name '{name}', already used at {local[name.lower()]}")
                local[name.lower()] = place
            found.append(Choice(choice_id, t.text("title") or choice_id, t.text("policy_text") or "",
                                tuple(a.lower() for a in aliases)))
            t.finish(keys)
        if not found:
            problems.add(section, "needs at least one entry")
        return tuple(found)

    posters = choices("posters", _CHOICE_KEYS)
    platforms = choices("platforms", _PLATFORM_KEYS)

    known = {
        "checklist": {i.id for i in checklist} | {"any", "other"},
        "consideration": {i.id for i in considerations} | {"any"},
        "judgement": {i.id for i in judgements},
        "platform": {c.id for c in platforms},
        "poster": {c.id for c in posters},
    }

    def conditions(t: _Table, key: str) -> tuple[Condition, ...]:
        found = []
        for entry in t.texts(key):
            cond = _condition(entry, known, f"{t.place}.{key}", problems)
            if cond is not None:
                found.append(cond)
        return tuple(found)

    steps = []
    step_bodies = top.table("steps")
    for step_id, body in step_bodies.items():
        place = f"steps.{step_id}"
        if not check_id("steps", step_id):
            continue
        t = _Table(body, place, problems)
        stage = t.text("stage")
        if stage is not None and stage not in STAGES:
            problems.add(f"{place}.stage", f"unknown stage {stage!r}; allowed: {', '.join(STAGES)}")
        after = t.texts("after")
        for needed in after:
            if needed not in step_bodies:
                problems.add(f"{place}.after", f"unknown step '{needed}'")
        steps.append(Step(
            id=step_id, title=t.text("title") or step_id, stage=stage or "",
            when=conditions(t, "when"), at_once_when=conditions(t, "at_once_when"),
            after=after, policy_text=t.text("policy_text") or "",
        ))
        t.finish(_STEP_KEYS)
    for stage in ("first", "escalation"):
        if steps and not any(s.stage == stage for s in steps):
            problems.add("steps", f"needs at least one step with stage = \"{stage}\"")

    outcomes = []
    for outcome_id, body in top.table("outcomes").items():
        place = f"outcomes.{outcome_id}"
        if not check_id("outcomes", outcome_id):
            continue
        t = _Table(body, place, problems)
        leads_to = t.text("leads_to")
        if leads_to is not None and leads_to not in LEADS_TO:
            problems.add(f"{place}.leads_to", f"unknown value {leads_to!r}; allowed: {', '.join(LEADS_TO)}")
        outcomes.append(Outcome(outcome_id, t.text("title") or outcome_id, leads_to or "", t.text("policy_text") or ""))
        t.finish(_OUTCOME_KEYS)
    if not outcomes:
        problems.add("outcomes", "needs at least one entry")

    actions = []
    action_bodies = top.table("actions")
    for action_id, body in action_bodies.items():
        place = f"actions.{action_id}"
        if action_id not in REQUIRED_ACTIONS:
            problems.add(place, f"unknown action '{action_id}'; allowed: {', '.join(REQUIRED_ACTIONS)}")
            continue
        if not check_id("actions", action_id):
            continue
        t = _Table(body, place, problems)
        actions.append(Action(action_id, t.text("title") or action_id, t.text("policy_text", False)))
        t.finish(_ACTION_KEYS)
    for action_id in REQUIRED_ACTIONS:
        if action_bodies is not None and action_id not in action_bodies:
            problems.add("actions", f"missing [actions.{action_id}]")

    timings_table = _Table(top.table("timings", False), "timings", problems)
    timing_values = {}
    for key, default in TIMING_DEFAULTS.items():
        value = timings_table._get(key, False)
        if value is None:
            value = default
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.add(f"timings.{key}", f"must be a whole number of days (1 or more), found {_describe(value)}")
            value = default
        timing_values[key] = value
    timings_table.finish(tuple(TIMING_DEFAULTS))
    top.finish(_TOP_KEYS)
    if problems.lines:
        count = len(problems.lines)
        raise PolicyError(
            problems.lines[0] if count == 1 else f"{display}: {count} problems; fix each and check again",
            details=tuple(problems.lines),
        )
    return Policy(
        header=header, considerations=considerations, checklist=checklist, other=other,
        judgements=judgements, posters=posters, platforms=platforms, steps=tuple(steps),
        outcomes=tuple(outcomes), actions=tuple(actions), path=display, sha256=sha256,
        timings=Timings(**timing_values),
    )


def _condition(entry: str, known: dict[str, set[str]], place: str, problems: _Problems) -> Condition | None:
    words = entry.split()
    negated = len(words) == 2 and words[0] == "not"
    ref = words[-1] if words else ""
    if not words or len(words) > 2 or (len(words) == 2 and not negated) or "." not in ref:
        problems.add(place, f"cannot read condition {entry!r}; write it as 'kind.id' or 'not kind.id', "
                            f"where kind is one of {', '.join(CONDITION_KINDS)}")
        return None
    kind, _, item_id = ref.partition(".")
    if kind not in known:
        problems.add(place, f"unknown kind '{kind}' in {entry!r}; allowed: {', '.join(CONDITION_KINDS)}")
        return None
    if item_id not in known[kind]:
        import difflib  # only needed to suggest a fix

        close = difflib.get_close_matches(item_id, sorted(known[kind]), n=1)
        hint = f"did you mean '{kind}.{close[0]}'?" if close else f"known: {', '.join(sorted(known[kind]))}"
        problems.add(place, f"unknown item '{item_id}' in {entry!r}; {hint}")
        return None
    return Condition(kind, item_id, negated)


def _header(body: dict, problems: _Problems) -> Header:
    t = _Table(body, "policy", problems)
    adopted = t.text("adopted") or ""
    if adopted and not _MONTH.fullmatch(adopted):
        problems.add("policy.adopted", f"must be a month written YYYY-MM, found {adopted!r}")
    reviewed = t.texts("reviewed")
    for month in reviewed:
        if not _MONTH.fullmatch(month):
            problems.add("policy.reviewed", f"each review must be a month written YYYY-MM, found {month!r}")
    signed = t._get("signed", False)
    if signed is not None and not (isinstance(signed, dt.date) and not isinstance(signed, dt.datetime)):
        problems.add("policy.signed", f"must be a date written YYYY-MM-DD (no quotes), found {_describe(signed)}")
        signed = None
    header = Header(
        school=t.text("school") or "", title=t.text("title") or "", adopted=adopted,
        reviewed=reviewed, signed=signed, signed_by=t.text("signed_by", False) or "",
        policy_text=t.text("policy_text") or "", source=t.text("source", False),
    )
    t.finish(_HEADER_KEYS)
    return header
