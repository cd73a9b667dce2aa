"""Platform report packs: a sourced, dated route for every platform, a summary from structured facts only, fair warnings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

from hesket_cli.errors import InvalidInput
from hesket_cli.platform_report import (
    HARMS,
    ReportFacts,
    harms_for_checklist,
    load_routes,
    report_document,
    report_pack,
    report_text,
)
from hesket_cli.platform_routes import shipped_path

CHILD = "Jamie Plantedchild"
STAFF_NOTE = "Staff note: spoke to the office about it"
EXACT = "Is the head really fit to run this school?"


@pytest.fixture(scope="module")
def routes():
    """hesket's own routes file."""
    return load_routes()


def _facts(platform: str = "facebook", title: str = "Facebook", **changes) -> ReportFacts:
    facts = ReportFacts(
        case_id="2026-0001", platform=platform, platform_title=title, observed_on=dt.date(2026, 11, 18),
        harms=frozenset({"harassment"}), post_url="https://example.invalid/post/1", account="@pat_example",
        posted_at=dt.datetime(2026, 11, 17, 21, 4), exact_words=EXACT,
    )
    return dataclasses.replace(facts, **changes)


def _platforms(policy) -> list[tuple[str, str]]:
    return [(p.id, p.title) for p in policy.platforms]


def test_every_platform_of_the_shipped_policy_has_an_entry(policy, routes):
    """The routes file covers exactly the platforms the policy names."""
    assert [p.id for p in policy.platforms] == [p.id for p in routes.platforms]


@pytest.mark.parametrize("harm", HARMS)
def test_every_platform_yields_a_route_with_its_source_and_checked_date_for_every_harm(policy, routes, harm):
    """Whatever the harm, each platform's pack names a route that was found, with its source and last-checked date."""
    for platform, title in _platforms(policy):
        pack = report_pack(_facts(platform, title, harms=frozenset({harm})), routes)
        found = [c.route for c in pack.routes if c.route.found]
        text = report_text(pack)
        assert (platform, True) == (platform, bool(found))
        assert (platform, []) == (platform, [r.id for r in found if not r.source or r.checked == dt.date.min])
        assert (platform, True, True) == (platform, f"Route 1: {pack.routes[0].route.name}" in text,
                                          f"Checked: {found[0].checked.isoformat()}" in text)


def test_every_route_and_helpline_in_the_file_keeps_its_sources_and_a_checked_date(routes):
    """Each entry cites web pages (unless marked not found) and the date it was last checked."""
    undated = [r.id for p in routes.platforms for r in p.routes if not isinstance(r.checked, dt.date)]
    unsourced = [f"{p.id}.{r.id}" for p in routes.platforms for r in p.routes if r.found and not r.source]
    helplines = [(h.id, bool(h.source), h.checked > dt.date(2026, 1, 1)) for h in routes.helplines]
    assert ([], [], [("posh", True, True), ("report_harmful_content", True, True)]) == (undated, unsourced, helplines)


@pytest.mark.parametrize("as_json", [False, True])
def test_a_child_named_in_the_staff_summary_or_notes_never_reaches_the_pack(policy, routes, as_json):
    """Built from a case whose summary and notes name a child, the pack holds neither (only structured fields go in)."""
    case = {"summary": f"{CHILD} was upset by the post", "notes": [STAFF_NOTE], "platform": "youtube",
            "post_url": "https://www.youtube.com/watch?v=example", "account": "@pat_example", "exact_words": EXACT}
    facts = _facts(case["platform"], "YouTube", harms=frozenset(HARMS),
                   **{k: case[k] for k in ("post_url", "account", "exact_words")})
    pack = report_pack(facts, routes)
    shown = json.dumps(report_document(pack)) if as_json else report_text(pack)
    assert (False, False, True) == (CHILD in shown, STAFF_NOTE in shown, EXACT in shown)


def test_report_facts_have_no_field_for_a_summary_notes_or_a_child():
    """The facts a pack is drafted from are the post's structured fields and counts of the names taken out of its
    words: nothing free-typed by staff can leak in."""
    assert ["case_id", "platform", "platform_title", "observed_on", "harms", "post_url", "account", "posted_at",
            "exact_words", "safeguarding", "names_recorded", "names_removed"] == [
        f.name for f in dataclasses.fields(ReportFacts)]


def test_the_summary_quotes_the_post_exactly_and_says_where_and_when(routes):
    """The paste-ready summary gives the address, the account, the posting time as shown and the exact words."""
    pack = report_pack(_facts(), routes)
    assert ("This report is about a post on Facebook at https://example.invalid/post/1, posted by the account "
            f"@pat_example, shown on the site as posted 2026-11-17 21:04. Its exact words are:\n\n{EXACT}") == pack.summary


def test_without_captured_words_the_summary_says_to_copy_them(routes):
    """No exact words: the summary says they were not captured, and never makes any up."""
    pack = report_pack(_facts(exact_words=None, post_url=None, account=None, posted_at=None), routes)
    assert ("This report is about a post on Facebook. [The exact words were not captured: copy them from the post "
            "exactly, before it can be deleted.]") == pack.summary


def test_a_youtube_defamation_pack_warns_the_uploader_is_told_and_lumen_may_publish(routes):
    """YouTube tells the uploader and may send the complaint to the Lumen Database: the pack says both."""
    pack = report_pack(_facts("youtube", "YouTube", harms=frozenset({"defamation"})), routes)
    warnings = " ".join(pack.before_sending)
    assert ("defamation_form", True, True) == (pack.routes[0].route.id, "The uploader is told" in warnings,
                                               "Lumen Database" in warnings)


def test_an_x_legal_pack_warns_the_account_holder_may_be_told(routes):
    """X may notify the account holder of a legal request: the pack says so, though the form's address was not found."""
    pack = report_pack(_facts("twitter", "Twitter / X", harms=frozenset({"defamation"})), routes)
    legal = next(c.route for c in pack.routes if c.route.id == "legal_request")
    assert (False, True) == (legal.found, any("X may notify the account holder" in w for w in pack.before_sending))


def test_a_harm_without_a_found_route_falls_back_to_the_general_report(routes):
    """WhatsApp has no legal route: the pack says none was found and offers the report from inside the chat."""
    pack = report_pack(_facts("whatsapp", "WhatsApp", harms=frozenset({"defamation"})), routes)
    assert (True, ["legal_complaint", "report_in_chat"]) == (pack.general_only, [c.route.id for c in pack.routes])
    assert "No route for these kinds of harm was found for this platform" in report_text(pack)


def test_the_schools_own_website_has_no_outside_route_and_no_helpline(routes):
    """The school runs its own website: it acts itself, and there is no one outside to report to."""
    pack = report_pack(_facts("school_website", "The school's own website"), routes)
    assert ("school", ("school_acts",), (), None) == (
        pack.operator, tuple(c.route.id for c in pack.routes), pack.helplines, pack.helpline_timing)


def test_the_helpline_waits_48_hours_unless_there_is_a_safeguarding_concern(routes):
    """POSH advises waiting about 48 hours after reporting to the platform, but contacting it at once for safeguarding."""
    wait = report_pack(_facts(), routes).helpline_timing
    now = report_pack(_facts(safeguarding=True), routes).helpline_timing
    assert ("Report to the platform first, then wait about 48 hours for its response before contacting the "
            "Professionals Online Safety Helpline (POSH).") == wait
    assert ("There is a safeguarding concern: once the post is reported to the platform, contact the Professionals "
            "Online Safety Helpline (POSH) at once, without waiting for the platform's response.") == now


def test_posh_contact_details_are_the_published_ones(routes):
    """Phone, email, hours and the 48-hour wait, as the helpline publishes them."""
    posh = routes.helpline("posh")
    assert ("0344 381 4772", "helpline@saferinternet.org.uk", "Monday to Friday, 10:00 to 16:00", 48) == (
        posh.phone, posh.email, posh.hours, posh.wait_hours)


def test_the_json_document_is_stable_and_versioned(routes):
    """`report --json` carries a schema number and the same routes, summary and warnings as the text."""
    document = json.loads(json.dumps(report_document(report_pack(_facts(), routes))))
    assert (1, "facebook", ["harassment"], "report_content", "2026-11-25") == (
        document["schema"], document["platform"]["id"], document["harms"], document["routes"][0]["id"],
        document["routes"][0]["checked"])


def test_no_harm_given_counts_as_other(routes):
    """A case with no checklist item mapped still gets the general report."""
    assert ("other",) == report_pack(_facts(harms=frozenset()), routes).harms


def test_an_unknown_harm_is_refused_naming_the_known_ones(routes):
    """A kind of harm outside the vocabulary is an error, not silently dropped."""
    with pytest.raises(InvalidInput) as caught:
        report_pack(_facts(harms=frozenset({"rudeness"})), routes)
    assert f"case 2026-0001: unknown kind of harm 'rudeness'; known: {', '.join(HARMS)}" == caught.value.message


def test_a_platform_missing_from_the_routes_file_is_refused_naming_the_file(routes):
    """A school's policy may add a platform its routes file lacks: the error names the file and what to add."""
    with pytest.raises(InvalidInput) as caught:
        report_pack(_facts("mastodon", "Mastodon"), routes)
    assert (f"{routes.path}: no entry for platform 'mastodon'; add a [platforms.mastodon] table with its routes, "
            "sources and checked dates") == caught.value.message


def test_every_checklist_item_of_the_shipped_policy_names_a_kind_of_harm(policy):
    """Each checklist item of the shipped policy says, as data, which kind of harm it amounts to."""
    assert ([], set()) == ([i.id for i in policy.checklist if i.harm is None],
                           {i.harm for i in policy.checklist} - set(HARMS))


def test_harms_for_checklist_maps_ticked_items_and_falls_back_to_other(policy):
    """Racist and threat items map to hate and threat; an item naming no harm, or nothing, maps to other."""
    harm = {i.id: i.harm for i in policy.checklist}
    assert (frozenset({"hate", "threat"}), frozenset({"other"}), frozenset({"other", "defamation"})) == (
        harms_for_checklist([harm["racist"], harm["threat_of_violence"]]), harms_for_checklist([]),
        harms_for_checklist([harm["defamatory"], None]))


# -- the loader ---------------------------------------------------------------------------------------


def _shipped() -> dict:
    return tomllib.loads(Path(shipped_path()).read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "platforms.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_a_workspace_copy_of_the_routes_file_is_read_in_place_of_hesket_s(tmp_path):
    """A school's newer copy is used when its path is given."""
    data = _shipped()
    data["platforms"]["facebook"]["routes"][0]["name"] = "Our own name for it"
    assert "Our own name for it" == load_routes(_write(tmp_path, data)).platform("facebook").routes[0].name


def test_an_unknown_key_is_refused_naming_its_place(tmp_path):
    """A misspelt key in a route names the file, the route and the keys allowed."""
    data = _shipped()
    data["platforms"]["facebook"]["routes"][0]["hw"] = "typo"
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert (f"{path} [platforms.facebook.routes][0] (report_content): unknown key 'hw'; allowed: id, name, harms, "
            "found, how, asks, who_is_told, published, source, checked, note") == caught.value.message


@pytest.mark.parametrize("key", ["source", "checked"])
def test_a_route_without_its_source_or_checked_date_is_refused(tmp_path, key):
    """Every route must keep where it came from and when it was last checked."""
    data = _shipped()
    del data["platforms"]["youtube"]["routes"][1][key]
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert f"{path} [platforms.youtube.routes][1] (defamation_form): missing key '{key}'" == caught.value.message


def test_a_found_route_with_no_source_is_refused(tmp_path):
    """An empty source list is only allowed for a route marked not found."""
    data = _shipped()
    data["platforms"]["snapchat"]["routes"][0]["source"] = []
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert (f"{path} [platforms.snapchat.routes][0] (report_in_app): source is empty; give the page(s) the route was "
            "taken from, or set found = false") == caught.value.message


def test_a_source_that_is_not_a_web_address_is_refused(tmp_path):
    """Sources are web addresses a person can open to re-check the route."""
    data = _shipped()
    data["platforms"]["tiktok"]["routes"][0]["source"] = ["the TikTok app"]
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert (f"{path} [platforms.tiktok.routes][0] (report_content): source 'the TikTok app' is not a web address "
            "(http:// or https://)") == caught.value.message


def test_an_unknown_kind_of_harm_in_the_file_is_refused(tmp_path):
    """A route's harms must come from hesket's vocabulary, so packs can pick it."""
    data = _shipped()
    data["platforms"]["instagram"]["routes"][0]["harms"] = ["bullying"]
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert (f"{path} [platforms.instagram.routes][0] (report_content): unknown kind of harm 'bullying'; allowed: "
            f"{', '.join(HARMS)}") == caught.value.message


def test_every_problem_is_reported_at_once(tmp_path):
    """A school fixing its copy sees all the problems, the first as the message."""
    data = _shipped()
    del data["format"]
    data["helplines"]["posh"]["phone"] = 3443814772
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert (f"{path} [helplines.posh]: phone must be text, not int", f"{path}: missing key 'format'") == tuple(
        sorted(caught.value.details))


def test_a_newer_format_is_refused(tmp_path):
    """A file written for a newer hesket says which format this one reads."""
    data = {**_shipped(), "format": 2}
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as caught:
        load_routes(path)
    assert f"{path}: format 2 is not one this hesket reads (it reads format 1)" == caught.value.message


def test_a_file_that_is_not_toml_or_not_there_is_refused_with_its_path(tmp_path):
    """Broken TOML and a missing file each name the path."""
    broken = tmp_path / "broken.toml"
    broken.write_text("format = \n", encoding="utf-8")
    messages = []
    for path in (broken, tmp_path / "absent.toml"):
        with pytest.raises(InvalidInput) as caught:
            load_routes(path)
        messages.append(caught.value.message.split(":")[:2])
    assert [[str(broken), " not valid TOML"], [str(tmp_path / "absent.toml"), " no such routes file; check the path"]] \
        == messages
