"""platform_routes.py: reads the data file of platforms' reporting routes and helplines, refusing anything unexpected.

Platforms change their forms, so the routes live in data (`data/platforms.toml`,
shipped; a school may keep its own newer copy), each with the public pages it
came from and the date it was last checked. The loader is strict, like the
policy's: an unknown key, a missing key, a route without a source or a checked
date, or a kind of harm hesket does not know is refused with its place in the
file, every problem at once. Standard library only; it never writes and never
fetches a source (hesket never uses the network).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InvalidInput
from .policy import HARMS
from .toml_read import DECODE_ERRORS, loads

# hesket's own copy, beside this module (a package installed as files, as pip and pipx install it):
# `case show` reads it whenever the helpline may be turned to, and importlib.resources costs more to
# import than the file takes to read.
SHIPPED = Path(__file__).parent / "data" / "platforms.toml"

FORMAT = 1
# The kinds of harm a route is for (HARMS, from policy.py): a checklist item of
# the policy names the kind it amounts to (`harm`), see harms_for_checklist.
OPERATORS = ("platform", "school", "unknown")

_ROUTE_KEYS = {"id": str, "name": str, "harms": list, "found": bool, "how": str, "asks": list,
               "who_is_told": str, "published": str, "source": list, "checked": dt.date}
_ROUTE_OPTIONAL = {"note": str}
_PLATFORM_KEYS = {"title": str, "operator": str, "routes": list}
_HELPLINE_KEYS = {"name": str, "when": str, "advice": list, "source": list, "checked": dt.date}
_HELPLINE_OPTIONAL = {"phone": str, "email": str, "hours": str, "website": str, "wait_hours": int}


class Route(NamedTuple):
    """One way to report a post to a platform, for some kinds of harm, with its sources."""

    id: str
    name: str
    harms: tuple[str, ...]
    found: bool
    how: str
    asks: tuple[str, ...]
    who_is_told: str
    published: str
    source: tuple[str, ...]
    checked: dt.date
    note: str | None = None


class PlatformRoutes(NamedTuple):
    """A platform's reporting routes, and who runs it (a company, the school itself, or not known)."""

    id: str
    title: str
    operator: str
    routes: tuple[Route, ...]


class Helpline(NamedTuple):
    """Help for the school when a platform does not act, with when to turn to it."""

    id: str
    name: str
    when: str
    advice: tuple[str, ...]
    source: tuple[str, ...]
    checked: dt.date
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    website: str | None = None
    wait_hours: int | None = None


class Routes(NamedTuple):
    """The whole data file: every platform's routes and the helplines, and where it was read from."""

    path: str
    platforms: tuple[PlatformRoutes, ...]
    helplines: tuple[Helpline, ...]

    def platform(self, platform_id: str) -> PlatformRoutes | None:
        """The routes for this platform id (None when the file has no entry for it)."""
        return next((p for p in self.platforms if p.id == platform_id), None)

    def helpline(self, helpline_id: str) -> Helpline | None:
        """The helpline with this id (`posh`, `report_harmful_content`), or None."""
        return next((h for h in self.helplines if h.id == helpline_id), None)


def shipped_path() -> str:
    """Where hesket's own copy of the routes file is."""
    return str(SHIPPED)


def load_routes(path: Path | None = None) -> Routes:
    """Read and check a routes file (None: hesket's own); InvalidInput naming every problem and its place."""
    where = str(path) if path is not None else shipped_path()
    try:
        raw = (path or SHIPPED).read_bytes()
        data = loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        raise InvalidInput(f"{where}: no such routes file; check the path") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{where}: not UTF-8 text; save the routes file as UTF-8") from None
    except DECODE_ERRORS as exc:
        raise InvalidInput(f"{where}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise InvalidInput(f"{where}: cannot read the routes file: {exc.strerror}") from None
    return routes_from_data(data, where)


def routes_from_data(data: Mapping[str, Any], where: str) -> Routes:
    """Check already-parsed routes data; every problem is reported at once, the first as the message."""
    problems: list[str] = []
    _keys(data, where, {"format": int, "platforms": dict, "helplines": dict}, {}, problems)
    if data.get("format") not in (None, FORMAT) and isinstance(data.get("format"), int):
        problems.append(f"{where}: format {data['format']} is not one this hesket reads (it reads format {FORMAT})")
    platforms = tuple(_platform(pid, table, where, problems) for pid, table in _tables(data, "platforms"))
    helplines = tuple(_helpline(hid, table, where, problems) for hid, table in _tables(data, "helplines"))
    if problems:
        raise InvalidInput(problems[0], details=tuple(problems))
    return Routes(path=where, platforms=platforms, helplines=helplines)


def _tables(data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
    value = data.get(key)
    if not isinstance(value, dict):
        return []
    return [(k, v if isinstance(v, dict) else {}) for k, v in value.items()]


def _keys(table: Mapping[str, Any], place: str, required: Mapping[str, type], optional: Mapping[str, type],
          problems: list[str]) -> bool:
    """Check a table's keys and their types; report each problem with its place. True when all is well."""
    before = len(problems)
    allowed = {**required, **optional}
    for key, value in table.items():
        if key not in allowed:
            problems.append(f"{place}: unknown key {key!r}; allowed: {', '.join(allowed)}")
        elif not _is(value, allowed[key]):
            problems.append(f"{place}: {key} must be {_KIND_NAMES[allowed[key]]}, not {type(value).__name__}")
    problems += [f"{place}: missing key {key!r}" for key in required if key not in table]
    return len(problems) == before


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table",
               dt.date: "a date such as 2026-11-25"}


def _is(value: Any, kind: type) -> bool:
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _texts(value: Any, place: str, key: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{place}: {key} must be a list of texts")
        return ()
    return tuple(value)


def _sources(value: Any, place: str, found: bool, problems: list[str]) -> tuple[str, ...]:
    """Every route keeps its sources: web addresses, at least one unless the route was not found."""
    sources = _texts(value, place, "source", problems)
    bad = [s for s in sources if not s.startswith(("https://", "http://"))]
    if bad:
        problems.append(f"{place}: source {bad[0]!r} is not a web address (http:// or https://)")
    if found and not sources and isinstance(value, list):
        problems.append(f"{place}: source is empty; give the page(s) the route was taken from, or set found = false")
    return sources


def _platform(pid: str, table: Mapping[str, Any], where: str, problems: list[str]) -> PlatformRoutes:
    place = f"{where} [platforms.{pid}]"
    _keys(table, place, _PLATFORM_KEYS, {}, problems)
    operator = table.get("operator", "")
    if isinstance(operator, str) and "operator" in table and operator not in OPERATORS:
        problems.append(f"{place}: unknown operator {operator!r}; allowed: {', '.join(OPERATORS)}")
    routes = _routes(table.get("routes"), place, f"{where} [platforms.{pid}.routes]", problems)
    return PlatformRoutes(id=pid, title=str(table.get("title", pid)), operator=str(operator), routes=routes)


def _routes(value: Any, place: str, prefix: str, problems: list[str]) -> tuple[Route, ...]:
    if not isinstance(value, list):
        return ()
    routes = tuple(_route(r if isinstance(r, dict) else {}, f"{prefix}[{i}]", problems) for i, r in enumerate(value))
    ids = [r.id for r in routes]
    problems += [f"{place}: route id {i!r} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if not routes:
        problems.append(f"{place}: no routes; give at least one (for a route not found, set found = false)")
    return routes


def _route(table: Mapping[str, Any], place: str, problems: list[str]) -> Route:
    if "id" in table and isinstance(table["id"], str):
        place = f"{place} ({table['id']})"
    ok = _keys(table, place, _ROUTE_KEYS, _ROUTE_OPTIONAL, problems)
    harms = _texts(table.get("harms", []), place, "harms", problems)
    unknown = [h for h in harms if h not in HARMS]
    if unknown:
        problems.append(f"{place}: unknown kind of harm {unknown[0]!r}; allowed: {', '.join(HARMS)}")
    found = bool(table.get("found", True))
    return Route(
        id=str(table.get("id", "")), name=str(table.get("name", "")), harms=harms, found=found,
        how=str(table.get("how", "")), asks=_texts(table.get("asks", []), place, "asks", problems),
        who_is_told=str(table.get("who_is_told", "")), published=str(table.get("published", "")),
        source=_sources(table.get("source", []), place, found, problems),
        checked=table["checked"] if ok else dt.date.min, note=table.get("note") if ok else None,
    )


def _helpline(hid: str, table: Mapping[str, Any], where: str, problems: list[str]) -> Helpline:
    place = f"{where} [helplines.{hid}]"
    ok = _keys(table, place, _HELPLINE_KEYS, _HELPLINE_OPTIONAL, problems)
    return Helpline(
        id=hid, name=str(table.get("name", hid)), when=str(table.get("when", "")),
        advice=_texts(table.get("advice", []), place, "advice", problems),
        source=_sources(table.get("source", []), place, True, problems),
        checked=table["checked"] if ok else dt.date.min,
        **({k: table.get(k) for k in _HELPLINE_OPTIONAL} if ok else {}),
    )
