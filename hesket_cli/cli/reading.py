"""cli/reading.py: what `case show` and `case list` do, as plain functions of the settings and what was typed.

The Typer commands in case.py call these, and so does quick.py, which
answers the commonest forms of these commands before Typer is loaded:
a script calling `hesket case show ID --json` for every case, or a person
glancing at `hesket case list`, should not wait for the whole command line
to be built. One body for both, so they cannot drift apart.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING

from . import output
from .settings import Settings, workspace_of

if TYPE_CHECKING:
    from rich.console import Console


def show_case(given: Settings, case_id: str, *, as_json: bool, as_triaged: bool = False) -> None:
    """`hesket case show ID`: a case's assessment under the policy in force, its history and its checks."""
    from ..casework.common import Moment
    from ..casework.lookup import check_chain, check_evidence
    from ..casework.lookup import show_case as find_case

    place = workspace_of(given)  # (it may remember, in the user's cache, that the policy's quotes were checked)
    result = find_case(place, case_id, as_triaged=as_triaged, today=Moment.current().today)
    from ..views import case_document, chain_document, evidence_document

    doc = {**case_document(result.case, result.assessment, result.policy, result.helpline,
                           retention=place.retention()),
           **chain_document(check_chain(result.case)),
           "evidence": evidence_document(check_evidence(place, result.case))}
    if as_json:
        output.write_json(doc)
        return
    from ..render import said
    from ..render.case import show_case as draw_case

    def draw(console: Console) -> None:
        if result.message:
            console.print(said(result.message, "warning"))
        draw_case(console, doc, result.policy)

    output.show(given, draw, page=True)


def list_cases(given: Settings, status: str, *, poster: str | None, as_json: bool) -> None:
    """`hesket case list`: the cases of one status, newest first, as JSON documents or as a table."""
    from ..casework.common import Moment
    from ..casework.lookup import list_cases as listed

    place = workspace_of(given)
    output.announce_trial(place, machine=as_json)
    today = Moment.current().today
    if as_json:
        from ..views import case_record, json_array

        rule = place.retention()
        listing = listed(place, status.lower(), partial(case_record, retention=rule), today=today,
                         poster=poster, key=f"{rule.rule}:{rule.set_by}")
        output.warnings(listing.warnings)
        output.write_bytes(json_array(listing.texts), form="json")
        return
    from ..render.case import show_case_list
    from ..views import list_row

    listing = listed(place, status.lower(), list_row, today=today, poster=poster, kind="rows")
    output.warnings(listing.warnings)
    rows = [json.loads(text.decode("utf-8")) for text in listing.texts]
    policy = place.policy()
    why_none = None if rows else place.no_cases_folder()
    output.show(given, lambda console: show_case_list(console, rows, policy, why_none), page=True)
