"""casework/search.py: find cases again by what they say, and notice a post that was recorded already.

Through the index (each case's searchable text, kept while its file is
unchanged), so a search of thousands of cases is quick: summaries, poster
references, notes and locations, case-insensitively. A triage of a post
that looks like one already recorded (the same date, platform and poster
reference, or the same summary) is warned about; the cases that may hold
it are found through the index's post keys, so a triage takes the same
time in a folder of 40 cases or of 100,000, and each is read and checked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from ..answers import Answers
from ..case import Case
from ..workspace import Workspace

if TYPE_CHECKING:
    from ..post_keys import PostKeys
    from ..store import CaseStore


class Match(NamedTuple):
    """A case that matched, with what is shown of it."""

    id: str
    status: str
    observed_on: str
    platform: str
    poster_refs: list[str]


class Found(NamedTuple):
    """The cases that matched, newest first, and warnings met on the way."""

    matches: list[Match]
    warnings: list[str]


_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what JSON writes escaped: such text is not looked for in the raw record
_TEXT_KEY = b'"text":"'  # where a raw record's text begins (a quotation mark in a text is written escaped)


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def search_record(case: Case) -> dict[str, Any]:
    """What a search needs from one case: kept in the index, so a search reads no case file."""
    answers = case.all_answers
    texts = [a.incident.summary for a in answers] + [a.incident.poster_ref or "" for a in answers]
    texts += [a.incident.location or "" for a in answers] + [e.note or "" for e in case.events]
    return {
        "id": case.id, "status": case.status, "observed_on": case.answers.incident.observed_on.isoformat(),
        "platform": case.answers.incident.platform,
        "poster_refs": [r for r in dict.fromkeys(a.incident.poster_ref for a in answers) if r],
        "posts": [[a.incident.observed_on.isoformat(), a.incident.platform, _fold(a.incident.poster_ref),
                   _fold(a.incident.summary)] for a in answers],
        "text": "\n".join(_fold(t) for t in texts if t),
    }


def _records(workspace: Workspace, warnings: list[str], *, containing: str = "") -> list[dict[str, Any]]:
    """Every case's search record (only those whose text may contain `containing`, when given), keeping the
    index's post keys up to date on the way: every case's the first time, then those made again."""
    import json

    from ..derive import derived
    from ..errors import CaseFileError
    from ..post_keys import post_keys

    store = workspace.store()
    with post_keys(store, warnings.append) as keys:
        complete = keys is not None and keys.complete()
        # The record's text is folded as `containing` is: a quick first look at the raw record, where it can be.
        needle = containing.encode("utf-8") if complete and containing and not _ESCAPED.search(containing) else b""
        found: list[dict[str, Any]] = []
        remade: list[dict[str, Any]] = []
        fresh: set[str] = set()
        for case_id, _tag, text in derived(store, "search", "search", lambda case: (case.status, search_record(case)),
                                           warnings.append, recomputed=fresh):
            if isinstance(text, CaseFileError):
                warnings.append(text.message)
                continue
            hit = text.find(needle, text.rfind(_TEXT_KEY) + len(_TEXT_KEY)) >= 0  # in its text, not its other keys
            if hit:
                found.append(json.loads(text.decode("utf-8")))
            if case_id in fresh:
                remade.append(found[-1] if hit else json.loads(text.decode("utf-8")))
        if keys is not None:
            if complete:
                keys.add({r["id"]: _words(r["posts"]) for r in remade})
            else:
                keys.sync({r["id"]: _words(r["posts"]) for r in found})
    return found


def searched(text: str, *, poster_only: bool = False) -> str:
    """The text to look for, folded; empty text (or only spaces) is a usage error, since it matches every case."""
    from ..errors import UsageError

    wanted = _fold(text)
    if wanted:
        return wanted
    if poster_only:
        raise UsageError("--poster: the text is empty, so it would match every case; give part of a poster "
                         "reference (--poster \"4B\"), or leave --poster out to list every case")
    raise UsageError("the text to find is empty, so it would match every case; give a word or two to look for "
                     "(hesket case find \"J.S.\"), or list every case with: hesket case list --status all")


def find_cases(workspace: Workspace, text: str, *, poster_only: bool = False,
               statuses: frozenset[str] = frozenset({"open", "closed", "void"})) -> Found:
    """Cases whose summaries, poster references, notes or locations contain `text` (any case), newest first.

    With `poster_only`, only poster references are searched. Empty text
    (or only spaces) would match every case, so it is a usage error.
    """
    wanted = searched(text, poster_only=poster_only)
    warnings: list[str] = []
    matches = []
    for record in _records(workspace, warnings, containing="" if poster_only else wanted):
        if record["status"] not in statuses:
            continue
        where = "\n".join(_fold(r) for r in record["poster_refs"]) if poster_only else record["text"]
        if wanted in where:
            matches.append(Match(record["id"], record["status"], record["observed_on"], record["platform"],
                                 record["poster_refs"]))
    matches.reverse()
    return Found(matches, warnings)


def _words(posts: list[list[str]]) -> list[str]:
    """The post keys of a case's posts (as search_record gives them): its summaries, and date-platform-poster."""
    from ..post_keys import digest

    words = []
    for on, platform, poster, summary in posts:
        words.append(digest(f"summary\n{summary}"))
        if poster:
            words += [digest(f"post\n{on}\n{platform}\n{poster}"), _poster_key(poster)]
    return words


def _poster_key(poster: str) -> str:
    """The post key of a (folded) poster reference: every case with a post by that person."""
    from ..post_keys import digest

    return digest(f"poster\n{poster}")


def _holds(record: dict[str, Any], post: list[str]) -> bool:
    """Whether a case (its search record) holds a post like `post`: same date, platform and poster, or summary."""
    return any((post[2] and other[:3] == post[:3]) or other[3] == post[3] for other in record["posts"])


def _post(answers: Answers) -> list[str]:
    """What identifies a post, as search_record keeps it: date, platform, poster reference, summary (folded)."""
    incident = answers.incident
    return [incident.observed_on.isoformat(), incident.platform, _fold(incident.poster_ref), _fold(incident.summary)]


def posts_like(case: Case, answers: Answers) -> list[int]:
    """The numbers of the posts already in `case` (1 is the first) like this one, by the same rule as
    related_cases: the same date, platform and non-blank poster reference, or the same summary."""
    post = _post(answers)
    return [n for n, given in enumerate(case.all_answers, start=1) if _holds({"posts": [_post(given)]}, post)]


class Related(NamedTuple):
    """The cases a new post is related to: those already holding a post like it, and the open cases of its poster."""

    duplicates: list[str]
    same_poster: list[str]


def related_cases(workspace: Workspace, answers: Answers, *, saved: Case | None = None,
                  but: str | None = None) -> Related:
    """Cases holding a post like this one (the same date, platform and poster reference, or the same summary),
    and the open cases with a post by the same poster reference (a person posting again belongs in their case).

    `saved` is the case the answers were just saved in (left out, and its
    keys kept for the next triage); `but` another case to leave out. Found
    through the index's post keys, so a triage takes the same time however
    many cases there are; every case named is read and checked.
    """
    post = _post(answers)
    others = [r for r in _candidates(workspace, post, saved) if r["id"] != (saved.id if saved else but)
              and r["status"] != "void"]
    duplicates = [r["id"] for r in others if _holds(r, post)]
    same_poster = [r["id"] for r in others if post[2] and r["status"] == "open" and r["id"] not in duplicates
                   and any(other[2] == post[2] for other in r["posts"])]
    return Related(duplicates, same_poster)


def _candidates(workspace: Workspace, post: list[str], saved: Case | None) -> list[dict[str, Any]]:
    """The search records of the cases sharing a post key with `post`, through the index's post keys where they
    are complete (else every case's, which completes them); `saved`'s keys are kept for the next triage."""
    from ..post_keys import post_keys

    store = workspace.store()
    with post_keys(store, lambda _: None) as keys:
        candidates = None
        if keys is not None and keys.complete():
            _catch_up(store, keys)
            candidates = keys.lookup(_words([post]))
        if candidates is None:
            records = _records(workspace, [])
        else:
            records = [search_record(case) for case in _loaded(store, candidates)]
        if saved is not None and keys is not None:
            keys.add({saved.id: _words(search_record(saved)["posts"])})
    return records


def _loaded(store: CaseStore, ids: set[str]) -> list[Case]:
    """The cases of `ids` that can be read, oldest first (one that cannot is left to `case verify`)."""
    from ..errors import CaseFileError, CaseNotFound

    cases = []
    for case_id in sorted(ids, key=lambda i: tuple(int(part) for part in i.split("-"))):
        try:
            cases.append(store.load(case_id))
        except (CaseFileError, CaseNotFound):
            continue
    return cases


def _catch_up(store: CaseStore, keys: PostKeys) -> None:
    """Add the keys of cases numbered after the newest the index holds (a colleague's triages, say)."""
    from ..errors import CaseFileError, CaseNotFound
    from ..numbering import format_case_id

    fresh: dict[str, list[str]] = {}
    this_year = dt.date.today().year
    for year in (this_year - 1, this_year):
        number, misses = keys.newest(year), 0
        while misses < 3:  # a purged case leaves a gap; a few are stepped over
            number += 1
            try:
                case = store.load(format_case_id(year, number))
            except CaseNotFound:
                misses += 1
                continue
            except CaseFileError:
                continue
            misses = 0
            fresh[case.id] = _words(search_record(case)["posts"])
    if fresh:
        keys.add(fresh)
