"""The printable chronology: a real case document becomes one self-contained, escaped page."""

from __future__ import annotations

import json

import pytest

from hesket_cli.chronology import chronology_html

from conftest import EXAMPLES

SCHOOL = "Example CE Primary School"


@pytest.fixture
def document(run, tmp_path):
    """`case show --json` of a defamatory-post case with a discussion, a refusal, a note and evidence."""
    assert 0 == run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--by", "Mrs A Example").exit_code
    run("case", "record", "2026-0001", "discuss_and_request_removal", "--on", "2026-11-21", "--by", "Mr B Sample",
        "--note", "Met the parent <b>after</b> school & asked for removal.")
    run("case", "record", "2026-0001", "refused", "--on", "2026-11-22", "--note", "Parent will not remove it.")
    run("case", "note", "2026-0001", "Parent phoned before the meeting.", "--on", "2026-11-20")
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG not really")
    run("case", "attach", "2026-0001", shot, "--note", "The post")
    shown = run("case", "show", "2026-0001", "--json")
    doc = json.loads(shown.stdout)
    doc["chain_head"] = "ab" * 32
    return doc


@pytest.fixture
def quotes(policy):
    """The policy's words for each step and outcome, by id."""
    found = {s.id: s.policy_text for s in policy.steps}
    found.update({o.id: o.policy_text for o in policy.outcomes})
    return found


def test_each_step_is_shown_with_the_policys_words(document, quotes):
    """The discussion step carries the policy's own words for it."""
    page = chronology_html(document, quotes, SCHOOL)
    assert True is (quotes["discuss_and_request_removal"] in page)


def test_text_from_the_case_is_escaped(document, quotes):
    """A note containing markup is shown as text, never as markup."""
    page = chronology_html(document, quotes, SCHOOL)
    assert (True, False) == ("Met the parent &lt;b&gt;after&lt;/b&gt; school &amp; asked" in page, "<b>after" in page)


def test_the_page_has_no_scripts_and_fetches_nothing(document, quotes):
    """Self-contained: no script, no external style, image or font."""
    page = chronology_html(document, quotes, SCHOOL).lower()
    assert [] == [bad for bad in ("<script", " src=", "<link", "@import", "url(") if bad in page]


def test_events_are_in_date_order_keeping_their_history_numbers(document, quotes):
    """A note dated before the discussion is listed first, still numbered 3."""
    page = chronology_html(document, quotes, SCHOOL)
    assert True is (page.index("<td>3</td><td>2026-11-20<") < page.index("<td>1</td><td>2026-11-21<"))


def _grouped(digest: str) -> str:
    return " ".join(digest[i:i + 16] for i in range(0, 64, 16))


def test_who_did_each_step_and_the_evidence_hash_are_shown(document, quotes):
    """The person recording, the evidence's name and its full SHA-256 (in groups, to wrap) are on the page."""
    page = chronology_html(document, quotes, SCHOOL)
    digest = next(e["attachment"]["sha256"] for e in document["events"] if e["attachment"])
    assert (True, True, True) == ("Mr B Sample" in page, "screenshot.png" in page, _grouped(digest) in page)


def test_the_chain_head_and_school_are_shown(document, quotes):
    """The head to check against, and the school, head and close the page."""
    page = chronology_html(document, quotes, SCHOOL)
    assert (True, True) == (_grouped("ab" * 32) in page, SCHOOL in page)


def test_a_document_with_keys_missing_or_unknown_still_renders():
    """An older or newer document (missing keys, extra keys, odd types) never breaks the page."""
    page = chronology_html({"id": "2026-0009", "events": [{"event": "capture", "ref": 3}, "junk"], "posts": {}},
                           {}, "School")
    assert (True, True) == ("Case 2026-0009: chronology" in page, "Capture" in page)


def test_an_outcome_is_titled_in_the_policys_own_words(document, quotes):
    """A school that words its outcomes differently sees its own title in the chronology, not hesket's."""
    page = chronology_html(document, quotes, SCHOOL, {"refused": "Parent declined to take the post down"})
    assert (True, False) == ("Parent declined to take the post down" in page, "refused to remove it" in page)


def test_the_chronology_uses_corrected_dates_and_keeps_decisions_reasons(run, tmp_path):
    """A bundle's chronology lists events by the date they happened as corrected, says what was corrected, and
    keeps the reason of a decision not to act and of closing a live case."""
    assert 0 == run("triage", "--answers", EXAMPLES / "defamatory-post.toml").exit_code
    run("case", "record", "2026-0001", "discuss_and_request_removal", "--on", "2026-11-20")
    run("case", "record", "2026-0001", "refused", "--on", "2026-11-23")
    run("case", "correct", "2026-0001", "2", "--on", "2026-11-21", "--reason", "The parent refused on the phone")
    run("case", "decline", "2026-0001", "legal_advice", "--on", "2026-11-22", "--reason", "Governors' decision")
    page = chronology_html(json.loads(run("case", "show", "2026-0001", "--json").stdout), {}, SCHOOL)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    assert ["2026-11-20", "2026-11-21", "2026-11-22"] == [row.split("<td>")[2][:10] for row in rows][:3]
    assert (True, True, True) == ("Date corrected: first recorded as 2026-11-23." in rows[1],
                                  "Step considered and not taken: legal_advice" in rows[2],
                                  "Reason: Governors&#x27; decision" in rows[2])
