"""casework/search.py: find cases again by what they say, and notice a post that was recorded already.

Through the index (each case's searchable text, kept while its file is
unchanged), so a search of thousands of cases is quick: summaries, poster
references, notes and locations, case-insensitively. A triage of a post
that looks like one already recorded (the same date, platform and poster
reference, or the same summary) is warned about before it is saved.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..answers import Answers
from ..case import Case
from ..workspace import Workspace


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


def _records(workspace: Workspace, warnings: list[str]) -> list[dict[str, Any]]:
    import json

    from ..errors import CaseFileError
    from ..index import derived

    found = []
    for _, tag, text in derived(workspace.store(), "search", "search", lambda case: (case.status,
                                                                                   search_record(case)),
                                warnings.append):
        if tag is None:
            assert isinstance(text, CaseFileError)
            warnings.append(text.message)
        else:
            found.append(json.loads(str(text)))
    return found


def find_cases(workspace: Workspace, text: str, *, poster_only: bool = False,
               statuses: frozenset[str] = frozenset({"open", "closed", "void"})) -> Found:
    """Cases whose summaries, poster references, notes or locations contain `text` (any case), newest first.

    With `poster_only`, only poster references are searched.
    """
    wanted = _fold(text)
    warnings: list[str] = []
    matches = []
    for record in _records(workspace, warnings):
        if record["status"] not in statuses:
            continue
        where = "\n".join(_fold(r) for r in record["poster_refs"]) if poster_only else record["text"]
        if wanted in where:
            matches.append(Match(record["id"], record["status"], record["observed_on"], record["platform"],
                                 record["poster_refs"]))
    matches.reverse()
    return Found(matches, warnings)


def likely_duplicates(workspace: Workspace, answers: Answers, *, but: str | None = None) -> list[str]:
    """Cases holding a post like this one: the same date, platform and poster reference, or the same summary."""
    incident = answers.incident
    key = [incident.observed_on.isoformat(), incident.platform, _fold(incident.poster_ref)]
    summary = _fold(incident.summary)
    found = []
    for record in _records(workspace, []):
        if record["id"] == but or record["status"] == "void":
            continue
        for post in record["posts"]:
            if (key[2] and post[:3] == key) or post[3] == summary:
                found.append(record["id"])
                break
    return found
