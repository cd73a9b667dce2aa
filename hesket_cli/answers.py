"""answers.py: the answers about one post, and the strict reading of an answers file.

An answers file is the contract for scripts (and what the interview produces),
so it is read strictly against the policy in use: every consideration and
checklist item must be answered true or false, and an unknown key, a wrong
type, an unknown platform or poster, a blank summary or a future date is
refused with one line naming the file, the key, the value found and what is
allowed. Nothing here touches the cases folder.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AnswersError
from .policy import Policy

_INCIDENT_KEYS = ("observed_on", "platform", "location", "poster", "summary")
_TOP_KEYS = ("incident", "considerations", "checklist", "judgement")


@dataclass(frozen=True)
class Incident:
    """What was seen, where, when and by whom it was posted."""

    observed_on: dt.date
    platform: str
    poster: str
    summary: str
    location: str | None = None


@dataclass(frozen=True)
class Answers:
    """Everything the school answered about a post; the engine's only input besides events."""

    incident: Incident
    considerations: Mapping[str, bool]
    checklist: Mapping[str, bool]
    other: str | None
    judgement: Mapping[str, bool]

    @property
    def other_given(self) -> bool:
        """Whether something else inappropriate was described (the list is non-exhaustive)."""
        return bool(self.other and self.other.strip())


def read_answers_file(path: str) -> dict:
    """Read an answers file (TOML, or JSON of the same shape; `-` is standard input)."""
    if path == "-":
        display, text = "standard input", sys.stdin.read()
    else:
        display = path
        try:
            text = Path(path).read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise AnswersError(f"{display}: no such answers file; check the path, or write one with `hesket triage --template`") from None
        except IsADirectoryError:
            raise AnswersError(f"{display}: is a folder, not an answers file") from None
        except UnicodeDecodeError:
            raise AnswersError(f"{display}: not UTF-8 text; save the answers file as UTF-8") from None
        except OSError as exc:
            raise AnswersError(f"{display}: cannot read the answers file: {exc.strerror}") from None
    if path.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswersError(f"{display}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise AnswersError(f"{display}: not valid TOML: {exc}") from None
    if not isinstance(data, dict):
        raise AnswersError(f"{display}: must hold the tables incident, considerations and checklist")
    return data


def parse_answers(data: Mapping[str, Any], policy: Policy, *, today: dt.date, source: str) -> Answers:
    """Validate an answers mapping against the policy, refusing the first problem found.

    `today` is the local date: the policy deals with what has been posted, so a
    post cannot have been seen in the future.
    """

    def fail(key: str, message: str) -> AnswersError:
        return AnswersError(f"{source}: {key}: {message}")

    def table(key: str, required: bool) -> Mapping[str, Any]:
        if key not in data:
            if required:
                raise AnswersError(f"{source}: missing table [{key}]; see `hesket triage --template`")
            return {}
        value = data[key]
        if not isinstance(value, dict):
            raise fail(key, f"must be a table, found {_describe(value)}")
        return value

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key; allowed tables: {', '.join(_TOP_KEYS)}")

    incident_data = table("incident", True)
    for key in incident_data:
        if key not in _INCIDENT_KEYS:
            raise fail(f"incident.{key}", f"unknown key; allowed: {', '.join(_INCIDENT_KEYS)}")

    def text(key: str, required: bool) -> str | None:
        if key not in incident_data:
            if required:
                raise fail(f"incident.{key}", "missing; add it to the [incident] table")
            return None
        value = incident_data[key]
        if not isinstance(value, str):
            raise fail(f"incident.{key}", f"must be text in quotes, found {_describe(value)}")
        return value

    observed_on = _date(incident_data.get("observed_on"), today, fail)
    platform_name = text("platform", True)
    platform = policy.platform(platform_name)
    if platform is None:
        allowed = ", ".join(c.id + "".join(f" (or {a})" for a in c.aliases) for c in policy.platforms)
        raise fail("incident.platform", f"unknown platform {platform_name!r}; allowed: {allowed}")
    poster_name = text("poster", True)
    poster = policy.poster(poster_name)
    if poster is None:
        raise fail("incident.poster", f"unknown poster {poster_name!r}; allowed: {', '.join(c.id for c in policy.posters)}")
    summary = text("summary", True)
    if not summary.strip():
        raise fail("incident.summary", "is blank; describe what was posted, in your own words")

    considerations = _flags(table("considerations", True), "considerations",
                            [i.id for i in policy.considerations], required=True, fail=fail)
    checklist_data = dict(table("checklist", True))
    other = checklist_data.pop("other", None)
    if other is not None and not isinstance(other, str):
        raise fail("checklist.other", f"must be text in quotes describing what else is inappropriate, found {_describe(other)}")
    checklist = _flags(checklist_data, "checklist", [i.id for i in policy.checklist], required=True, fail=fail,
                       extra=("other",))
    judgement = _flags(table("judgement", False), "judgement", [i.id for i in policy.judgements],
                       required=False, fail=fail)
    return Answers(
        incident=Incident(observed_on=observed_on, platform=platform.id, poster=poster.id,
                          summary=summary, location=text("location", False)),
        considerations=considerations, checklist=checklist, other=other, judgement=judgement,
    )


def answers_to_dict(answers: Answers) -> dict[str, Any]:
    """The answers in the answers file's own shape (missing optional values left out)."""
    incident: dict[str, Any] = {
        "observed_on": answers.incident.observed_on,
        "platform": answers.incident.platform,
    }
    if answers.incident.location is not None:
        incident["location"] = answers.incident.location
    incident["poster"] = answers.incident.poster
    incident["summary"] = answers.incident.summary
    checklist: dict[str, Any] = dict(answers.checklist)
    if answers.other is not None:
        checklist["other"] = answers.other
    return {
        "incident": incident,
        "considerations": dict(answers.considerations),
        "checklist": checklist,
        "judgement": dict(answers.judgement),
    }


def _flags(values: Mapping[str, Any], section: str, ids: list[str], *, required: bool, fail,
           extra: tuple[str, ...] = ()) -> dict[str, bool]:
    allowed = ", ".join([*ids, *extra])
    for key in values:
        if key not in ids:
            raise fail(f"{section}.{key}", f"unknown key; allowed: {allowed}")
    result = {}
    for item_id in ids:
        if item_id not in values:
            if required:
                raise fail(f"{section}.{item_id}", "missing; answer it with true or false")
            result[item_id] = False
            continue
        value = values[item_id]
        if not isinstance(value, bool):
            raise fail(f"{section}.{item_id}", f"must be true or false (no quotes), found {_describe(value)}")
        result[item_id] = value
    return result


def _date(value: Any, today: dt.date, fail) -> dt.date:
    if value is None:
        raise fail("incident.observed_on", "missing; give the date the post was seen, as YYYY-MM-DD")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise fail("incident.observed_on", f"must be a date written YYYY-MM-DD, found {value!r}") from None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise fail("incident.observed_on", f"must be a date written YYYY-MM-DD, found {_describe(value)}")
    if value > today:
        raise fail("incident.observed_on", f"{value.isoformat()} is in the future (today is {today.isoformat()}); give the date the post was seen")
    return value


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"{value.isoformat()} (a date and time)"
    return f"{value!r}" if not isinstance(value, dt.date) else value.isoformat()


def template(policy: Policy, today: dt.date) -> str:
    """A commented answers file to fill in, listing the ids the policy in use allows."""

    def comment(text: str) -> str:
        return "\n".join(f"# {line}" for line in _wrap(text, 76))

    platforms = ", ".join(c.id + "".join(f" (or {a})" for a in c.aliases) for c in policy.platforms)
    lines = [
        "# An answers file for `hesket triage --answers FILE`.",
        "# Fill in each value; true means yes, false means no. Lines starting with # are ignored.",
        "",
        "[incident]",
        f"observed_on = {today.isoformat()}    # the date the post was seen, YYYY-MM-DD (not in the future)",
        f"platform = \"other\"    # one of: {platforms}",
        "location = \"\"    # where exactly it was seen (optional)",
        f"poster = \"{policy.posters[0].id}\"    # one of: {', '.join(c.id for c in policy.posters)}",
        "summary = \"\"    # required: what was posted, in your own words",
        "",
        "[considerations]    # the policy's questions before posting; true flags a concern",
    ]
    for item in policy.considerations:
        lines += [comment(item.question), f"{item.id} = false", ""]
    lines += ["[checklist]    # the policy's examples of inappropriate use; any true makes the post inappropriate"]
    for item in policy.checklist:
        lines += [comment(item.question), f"{item.id} = false", ""]
    lines += [comment(policy.other.question), "# other = \"\"", ""]
    lines += ["[judgement]    # the school's own judgement (optional; each defaults to false)"]
    for item in policy.judgements:
        lines += [comment(item.question), f"{item.id} = false", ""]
    return "\n".join(lines).rstrip() + "\n"


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
