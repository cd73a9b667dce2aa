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
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .describe import breaks_line, describe
from .errors import AnswersError
from .policy import Item, Policy
from .toml_read import DECODE_ERRORS
from .toml_read import loads as toml_loads

_INCIDENT_KEYS = ("observed_on", "platform", "location", "poster", "poster_ref", "summary")
_TOP_KEYS = ("incident", "considerations", "checklist", "judgement")


class Incident(NamedTuple):
    """What was seen, where, when and by whom it was posted."""

    observed_on: dt.date
    platform: str
    poster: str
    summary: str
    location: str | None = None
    poster_ref: str | None = None


class Answers(NamedTuple):
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


ANSWERS_FILE_LIMIT = 1024 * 1024
TEXT_LIMIT = 10_000
EARLIEST = dt.date(2000, 1, 1)


def read_answers_file(path: str) -> dict[str, Any]:
    """Read an answers file (TOML, or JSON of the same shape; `-` is standard input).

    The file must be a regular file of at most 1 MB (a FIFO or a device is
    refused at once, never read); any failure to parse it, however deep, is
    an AnswersError naming the file.
    """
    display = "standard input" if path == "-" else path
    raw = _read_source(path, display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError(f"{display}: not UTF-8 text; save the answers file as UTF-8") from None
    is_json = path.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        data = _parse_json(text, display) if is_json else toml_loads(text)
    except DECODE_ERRORS as exc:
        raise AnswersError(f"{display}: not valid TOML: {exc}") from None
    except RecursionError:
        raise AnswersError(f"{display}: nested too deeply to be an answers file") from None
    if not isinstance(data, dict):
        raise AnswersError(f"{display}: must hold the tables incident, considerations and checklist")
    return data


def _read_source(path: str, display: str) -> bytes:
    from .files import NotARegularFile, TooLarge, read_bounded

    if path == "-":
        data = sys.stdin.buffer.read(ANSWERS_FILE_LIMIT + 1)
        if len(data) > ANSWERS_FILE_LIMIT:
            raise AnswersError(f"{display}: over the 1 MB an answers file may have")
        return data
    try:
        return read_bounded(Path(path), ANSWERS_FILE_LIMIT)
    except FileNotFoundError:
        raise AnswersError(f"{display}: no such answers file; check the path, "
                           "or write one with `hesket triage --template`") from None
    except TooLarge as exc:
        raise AnswersError(f"{display}: {exc.size} bytes, over the 1 MB an answers file may have") from None
    except NotARegularFile as exc:
        what = "is a folder, not an answers file" if exc.strerror == "a folder" else f"is {exc.strerror}"
        raise AnswersError(f"{display}: {what}; give a file") from None
    except OSError as exc:
        raise AnswersError(f"{display}: cannot read the answers file: {exc.strerror}") from None


def _parse_json(text: str, display: str) -> Any:
    """JSON with a key given twice refused: the last value would silently win and change the verdict."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in items:
            if key in found:
                raise AnswersError(f"{display}: the key {key!r} is given twice; give each answer once")
            found[key] = value
        return found

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise AnswersError(f"{display}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if _has_surrogate(data):
        raise AnswersError(f"{display}: holds an invalid character (a lone surrogate \\ud800-\\udfff escape); "
                           "remove it")
    return data


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_answers(data: Mapping[str, Any], policy: Policy, *, today: dt.date, source: str) -> Answers:
    """Validate an answers mapping against the policy, refusing the first problem found.

    `today` is the local date: the policy deals with what has been posted, so a
    post cannot have been seen in the future.
    """
    reader = _AnswersReader(data, source)
    for key in data:
        if key not in _TOP_KEYS:
            raise reader.fail(key, f"unknown key; allowed tables: {', '.join(_TOP_KEYS)}")
    incident = _incident(reader, policy, today)
    checklist_data = dict(reader.table("checklist", True))
    other = checklist_data.pop("other", None) if policy.other is not None else None
    if other is not None:
        if not isinstance(other, str):
            raise reader.fail("checklist.other", "must be text in quotes describing what else is inappropriate, "
                                                 f"found {describe(other)}")
        reader.check_length("checklist.other", other)
    extra = ("other",) if policy.other is not None else ()
    return Answers(
        incident=incident,
        considerations=reader.flags("considerations", [i.id for i in policy.considerations],
                                    required=bool(policy.considerations)),
        checklist=reader.flags("checklist", [i.id for i in policy.checklist], required=True,
                               values=checklist_data, extra=extra),
        other=other,
        judgement=reader.flags("judgement", [i.id for i in policy.judgements], required=False),
    )


class _AnswersReader:
    """Reads the tables of one answers mapping, naming the source and key in every refusal."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def fail(self, key: str, message: str) -> AnswersError:
        return AnswersError(f"{self.source}: {key}: {message}")

    def table(self, key: str, required: bool) -> Mapping[str, Any]:
        if key not in self.data:
            if required:
                raise AnswersError(f"{self.source}: missing table [{key}]; see `hesket triage --template`")
            return {}
        value = self.data[key]
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, found {describe(value)}")
        return value

    def check_length(self, key: str, text: str) -> None:
        if len(text) > TEXT_LIMIT:
            raise self.fail(key, f"{len(text):,} characters, over the {TEXT_LIMIT:,} a free-text answer may have; "
                                 "shorten it (attach the full text as evidence)")

    def text(self, table: Mapping[str, Any], key: str, required: bool) -> str | None:
        if key not in table:
            if required:
                raise self.fail(f"incident.{key}", "missing; add it to the [incident] table")
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(f"incident.{key}", f"must be text in quotes, found {describe(value)}")
        self.check_length(f"incident.{key}", value)
        return value

    def flags(self, section: str, ids: list[str], *, required: bool, values: Mapping[str, Any] | None = None,
              extra: tuple[str, ...] = ()) -> dict[str, bool]:
        given = self.table(section, required) if values is None else values
        allowed = ", ".join([*ids, *extra]) or "none"
        for key in given:
            if key not in ids:
                raise self.fail(f"{section}.{key}", f"unknown key; allowed: {allowed}")
        result = {}
        for item_id in ids:
            if item_id not in given:
                if required:
                    raise self.fail(f"{section}.{item_id}", "missing; answer it with true or false")
                result[item_id] = False
                continue
            value = given[item_id]
            if not isinstance(value, bool):
                raise self.fail(f"{section}.{item_id}", f"must be true or false (no quotes), found {describe(value)}")
            result[item_id] = value
        return result


def _incident(reader: _AnswersReader, policy: Policy, today: dt.date) -> Incident:
    table = reader.table("incident", True)
    for key in table:
        if key not in _INCIDENT_KEYS:
            raise reader.fail(f"incident.{key}", f"unknown key; allowed: {', '.join(_INCIDENT_KEYS)}")
    observed_on = _date(table.get("observed_on"), today, reader)
    platform_name = reader.text(table, "platform", True) or ""
    platform = policy.platform(platform_name)
    if platform is None:
        allowed = ", ".join(c.id + "".join(f" (or {a})" for a in c.aliases) for c in policy.platforms)
        raise reader.fail("incident.platform", f"unknown platform {platform_name!r}; allowed: {allowed}")
    poster_name = reader.text(table, "poster", True) or ""
    poster = policy.poster(poster_name)
    if poster is None:
        raise reader.fail("incident.poster",
                          f"unknown poster {poster_name!r}; allowed: {', '.join(c.id for c in policy.posters)}")
    summary = reader.text(table, "summary", True) or ""
    if not summary.strip():
        raise reader.fail("incident.summary", "is blank; describe what was posted, in your own words")
    return Incident(observed_on=observed_on, platform=platform.id, poster=poster.id, summary=summary,
                    location=reader.text(table, "location", False),
                    poster_ref=_poster_ref(reader, reader.text(table, "poster_ref", False)))


def _poster_ref(reader: _AnswersReader, text: str | None) -> str | None:
    """The label the school uses for the person who posted: one line, its spaces tidied; blank means none."""
    if text and breaks_line(text):
        raise reader.fail("incident.poster_ref", "has a line break; a poster reference is one line, "
                                                 "like \"Parent of 4B pupil (J.S.)\": put it on one line")
    cleaned = " ".join(text.split()) if text else ""
    return cleaned or None


def answers_to_dict(answers: Answers) -> dict[str, Any]:
    """The answers in the answers file's own shape (missing optional values left out)."""
    incident: dict[str, Any] = {
        "observed_on": answers.incident.observed_on,
        "platform": answers.incident.platform,
    }
    if answers.incident.location is not None:
        incident["location"] = answers.incident.location
    incident["poster"] = answers.incident.poster
    if answers.incident.poster_ref is not None:
        incident["poster_ref"] = answers.incident.poster_ref
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


def _date(value: Any, today: dt.date, reader: _AnswersReader) -> dt.date:
    key = "incident.observed_on"
    if value is None:
        raise reader.fail(key, "missing; give the date the post was seen, as YYYY-MM-DD")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise reader.fail(key, f"must be a date written YYYY-MM-DD, found {describe(value)}") from None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise reader.fail(key, f"must be a date written YYYY-MM-DD, found {describe(value)}")
    if value > today:
        raise reader.fail(key, f"{value.isoformat()} is in the future (today is {today.isoformat()}); "
                               "give the date the post was seen")
    if value < EARLIEST:
        raise reader.fail(key, f"{value.isoformat()} is before {EARLIEST.isoformat()}; give the date the post was seen")
    return value


def template(policy: Policy, today: dt.date) -> str:
    """A commented answers file to fill in, listing the ids the policy in use allows."""

    def comment(text: str) -> str:
        return "\n".join(f"# {line}" for line in _wrap(text, 76))

    platforms = ", ".join(c.id + "".join(f" (or {a})" for a in c.aliases) for c in policy.platforms)
    example = policy.template_values
    lines = [
        "# An answers file for `hesket triage --answers FILE`.",
        "# Fill in each value; true means yes, false means no. Lines starting with # are ignored.",
        "",
        "[incident]",
        f"observed_on = {today.isoformat()}    # the date the post was seen, YYYY-MM-DD (not in the future)",
        f"platform = \"{example.platform}\"    # one of: {platforms}",
        "location = \"\"    # where exactly it was seen (optional)",
        f"poster = \"{example.poster}\"    # one of: {', '.join(c.id for c in policy.posters)}",
        "poster_ref = \"\"    # the school's label for the person, e.g. \"Parent of 4B pupil (J.S.)\" (optional; "
        "finds their cases again)",
        "summary = \"\"    # required: what was posted, in your own words",
        "",
    ]
    if policy.considerations:
        lines += ["[considerations]    # the policy's questions before posting; true flags a concern"]
        for item in policy.considerations:
            lines += [comment(_asked(item)), f"{item.id} = false", ""]
    lines += ["[checklist]    # the policy's examples of inappropriate use; any true makes the post inappropriate"]
    for item in policy.checklist:
        lines += [comment(_asked(item)), f"{item.id} = false", ""]
    if policy.other is not None:
        lines += [comment(policy.other.question), "# other = \"\"", ""]
    if policy.judgements:
        lines += ["[judgement]    # the school's own judgement (optional; each defaults to false)"]
        for item in policy.judgements:
            lines += [comment(item.question), f"{item.id} = false", ""]
    return "\n".join(lines).rstrip() + "\n"


def _asked(item: Item) -> str:
    """An item's question for the template; one asked the policy's way round, whose "no" flags it, says that
    true stands for that no."""
    if item.flagged_by == "no":
        return f"{item.question} (true here stands for no, the answer that flags the post)"
    return item.question


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
