"""The subject-access draft: everything that may identify someone else is highlighted, in HTML and in Word."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from hypothesis import given, settings

from hesket_cli.subject_access import build_draft, subject_access_docx, subject_access_html

from conftest import EXAMPLES
from strategies import free_text

CHILD = "Tilly Examplechild"
STAFF = "Mr B Sample"


@pytest.fixture
def documents(run, tmp_path):
    """Two cases about one parent, as `case show --json` gives them, with a child and a staff member named."""
    answers = (EXAMPLES / "defamatory-post.toml").read_text(encoding="utf-8").replace(
        "taking money from the school fund for holidays.", f"picking on {CHILD} in Year 4.")
    path = tmp_path / "answers.toml"
    path.write_text(answers, encoding="utf-8")
    assert 0 == run("triage", "--answers", path, "--by", "Mrs A Example").exit_code
    run("case", "record", "2026-0001", "discuss_and_request_removal", "--by", STAFF, "--on", "2026-11-21",
        "--note", f"Parent said {CHILD}'s mother started it.")
    shot = tmp_path / f"{CHILD} post.png"
    shot.write_bytes(b"png")
    run("case", "attach", "2026-0001", shot)
    assert 0 == run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--by", STAFF).exit_code
    docs = [json.loads(run("case", "show", case_id, "--json").stdout) for case_id in ("2026-0001", "2026-0002")]
    docs[0]["poster_ref"] = "Mrs P Parent"
    docs[0]["posts"] = [docs[0]["posts"][0], {"posted_on": "2026-11-18", "exact_words": f"{CHILD} should be "
                                              "expelled", "captured_by": STAFF}]
    return docs


def _outside_marks(page: str) -> str:
    """The page with every highlighted field taken out."""
    return re.sub(r'<mark class="review".*?</mark>', "", page, flags=re.DOTALL)


def _docx_runs(data: bytes) -> list[tuple[str, bool]]:
    """Every run of the Word document: its text, and whether it is highlighted yellow."""
    word = Document(io.BytesIO(data))
    return [(r.text, r.font.highlight_color == WD_COLOR_INDEX.YELLOW) for p in word.paragraphs for r in p.runs]


def test_html_highlights_a_planted_child_and_staff_name(documents):
    """The child's name and the staff name each appear inside a review highlight."""
    page = subject_access_html(documents, matched_posters=["Mrs P Parent"], subject="Mrs P Parent")
    marked = "".join(re.findall(r'<mark class="review".*?</mark>', page, flags=re.DOTALL))
    assert (True, True) == (CHILD in marked, STAFF in marked)


def test_html_shows_those_names_nowhere_else(documents):
    """Outside the highlights, neither name appears: nothing identifying slips through unmarked."""
    page = subject_access_html(documents, matched_posters=["Mrs P Parent"], subject="Mrs P Parent")
    rest = _outside_marks(page)
    assert (False, False) == (CHILD in rest, STAFF in rest)


def test_word_highlights_a_planted_child_and_staff_name(documents):
    """In the Word document, every run with either name is highlighted yellow."""
    runs = _docx_runs(subject_access_docx(documents, matched_posters=["Mrs P Parent"], subject="Mrs P Parent"))
    named = [(CHILD in text or STAFF in text, marked) for text, marked in runs if CHILD in text or STAFF in text]
    assert (True, [True]) == (len(named) >= 5, sorted({marked for _, marked in named}))


def test_places_to_review_are_listed_before_the_cases(documents):
    """The numbered list of places comes first, naming the case and field, before any case."""
    page = subject_access_html(documents, matched_posters=["Mrs P Parent"])
    assert (True, True) == (page.index("Places to review before disclosure") < page.index("<h2>Case 2026-0001"),
                            '">Case 2026-0001, Summary</a>: free text that may name' in page)


def test_every_place_listed_is_a_highlight_in_the_page(documents):
    """The list and the highlights agree one for one."""
    page = subject_access_html(documents)
    listed = re.findall(r'href="#r(\d+)"', page)
    marked = re.findall(r'<mark class="review" id="r(\d+)"', page)
    assert listed == marked


def test_matched_poster_references_are_listed_at_the_start(documents):
    """The poster references that matched the search are listed before the cases."""
    page = subject_access_html(documents, matched_posters=["Mrs P Parent", "P Parent"])
    assert True is (page.index("<li>P Parent</li>") < page.index("Places to review"))


def test_staff_who_recorded_and_every_note_are_highlighted(documents):
    """Triaged by, each event's by, each note and a later post's words and recorder are places to review."""
    draft = build_draft(documents)
    wheres = {(case_id, where) for _, case_id, where, _ in draft.places}
    assert {("2026-0001", "Triaged by"), ("2026-0001", "event 1, by"), ("2026-0001", "event 1, note"),
            ("2026-0002", "Triaged by"), ("2026-0001", "post 2, exact words"),
            ("2026-0001", "post 2, captured by")} <= wheres


def test_evidence_file_names_are_highlighted_with_their_hashes_shown(documents):
    """An evidence file's name may name someone; its hash is shown plainly."""
    page = subject_access_html(documents)
    digest = next(e["attachment"]["sha256"] for e in documents[0]["events"] if e["attachment"])
    assert (True, True) == (digest in _outside_marks(page), "evidence of event 2, file name" in page)


def test_the_page_is_self_contained_and_escaped():
    """No scripts or fetched resources, and markup in a summary is shown as text."""
    doc = {"id": "2026-0003", "incident": {"summary": "<script>alert(1)</script>"}, "events": []}
    page = subject_access_html([doc]).lower()
    assert ([], True) == ([bad for bad in ("<script", " src=", "<link", "url(") if bad in page],
                          "&lt;script&gt;alert(1)&lt;/script&gt;" in page)


def test_a_request_with_no_cases_still_makes_a_document():
    """With no cases, both forms say so rather than fail."""
    runs = _docx_runs(subject_access_docx([], prepared_on=dt.date(2026, 11, 25)))
    assert (True, True) == ("No case was found." in subject_access_html([]), ("No case was found.", False) in runs)


@settings(max_examples=40, deadline=None)
@given(free_text)
def test_any_text_in_a_summary_or_note_makes_a_word_document(text):
    """Control characters, surrogate-free Unicode, anything typed: the Word export never fails."""
    doc = {"id": "2026-0004", "incident": {"summary": text},
           "events": [{"event": "note", "on": "2026-11-25", "by": text, "note": text}]}
    assert b"PK" == subject_access_docx([doc])[:2]
