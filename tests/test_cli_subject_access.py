"""hesket subject-access: every case about one person as a draft to review, and the ICO's deadline."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from conftest import EXAMPLES, snapshot

CHILD = "Tilly Examplechild"
STAFF = "Mr B Sample"


def _case(run, tmp_path, poster_ref: str, summary: str) -> str:
    text = (EXAMPLES / "defamatory-post.toml").read_text(encoding="utf-8")
    text = re.sub(r'^poster_ref = .*$', f'poster_ref = "{poster_ref}"', text, flags=re.M)
    text = re.sub(r'^summary = .*$', f'summary = "{summary}"', text, flags=re.M)
    path = tmp_path / f"post-{len(list(tmp_path.glob('post-*.toml')))}.toml"
    path.write_text(text, encoding="utf-8")
    result = run("triage", "--answers", path, "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


@pytest.fixture
def cases(run, tmp_path):
    """Two cases about the parent "J.S." (one naming a child, one recorded on by a member of staff), one not."""
    first = _case(run, tmp_path, "Parent of 4B pupil (J.S.)", f"The parent wrote that {CHILD} is a bully.")
    assert 0 == run("case", "record", first, "discuss_and_request_removal", "--by", STAFF, "--on", "2026-11-20",
                    "--note", "Met the parent after school.").exit_code
    second = _case(run, tmp_path, "parent of 4b pupil (j.s.)", "A second post about the headteacher.")
    other = _case(run, tmp_path, "Grandparent of a Year 1 pupil (K.L.)", "A post about the car park.")
    return {"first": first, "second": second, "other": other}


@pytest.mark.parametrize(("received", "deadline"), [
    ("31/01/2025", "2025-02-28"),   # no 31 February: the last day of the month
    ("31/01/2024", "2024-02-29"),   # a leap year
    ("31/01/2026", "2026-03-02"),   # 28 February 2026 is a Saturday: the next working day, Monday 2 March
    ("31/07/2026", "2026-09-01"),   # 31 August 2026 is the summer bank holiday
])
def test_the_deadline_follows_the_icos_rule(run, received, deadline):
    """--received gives the ICO's one-month deadline, moved past weekends and bank holidays."""
    result = run("subject-access", "--received", received, "--json")
    assert (0, deadline) == (result.exit_code, json.loads(result.stdout)["deadline"])


def test_the_deadline_is_shown_with_its_working(run):
    """For 31 January 2026 the person reads the deadline, the date it moved from and why."""
    result = run("subject-access", "--received", "31/01/2026")
    assert ["Received: Saturday 31 January 2026", "Deadline: Monday 2 March 2026"] == [
        line.split(" (")[0] for line in result.stdout.splitlines()[:2]]
    assert "One month on is Saturday 28 February 2026; moved past what is not a working day: Saturday, Sunday" \
        in result.stdout


def test_a_schools_own_closure_moves_the_deadline(run, tmp_path, monkeypatch):
    """A workspace closure on Monday 2 March 2026 moves the deadline of 31 January to Tuesday 3 March."""
    root = tmp_path / "school"
    assert 0 == run("init", root).exit_code
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n[subject_access]\nclosures = [2026-03-02]\n")
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    result = run("subject-access", "--received", "31/01/2026", "--json")
    assert (0, "2026-03-03", "a day the school is closed") == (
        result.exit_code, json.loads(result.stdout)["deadline"], json.loads(result.stdout)["skipped"][-1]["why"])


@pytest.mark.parametrize("bad", ["31/02/2026", "last week"])
def test_a_received_date_that_is_not_a_date_is_refused(run, bad):
    """A date that does not exist or is not a date: exit 3, one Error line naming --received."""
    result = run("subject-access", "--received", bad)
    assert (3, 1, True) == (result.exit_code, len(result.stderr.splitlines()),
                            result.stderr.startswith("Error: --received: "))


def test_a_received_date_in_the_future_is_refused(run):
    """A request cannot have been received tomorrow: exit 3."""
    result = run("subject-access", "--received", "2099-01-01")
    assert (3, True) == (result.exit_code, "is in the future" in result.stderr)


def test_a_request_naming_no_case_and_no_poster_is_refused_and_writes_nothing(run, cases, tmp_path):
    """--out without --poster or --case: exit 2, one Error line, no file written."""
    before = snapshot(tmp_path)
    result = run("subject-access", "--out", tmp_path / "sar.html")
    assert (2, 1, before) == (result.exit_code, len(result.stderr.splitlines()), snapshot(tmp_path))


def test_nothing_asked_is_a_usage_error(run):
    """`hesket subject-access` with no option says what it can do (exit 2)."""
    result = run("subject-access")
    assert (2, True) == (result.exit_code, "--received DATE" in result.stderr)


def test_the_poster_gathers_every_case_about_them_whatever_the_case(run, cases, tmp_path):
    """--poster "j.s." finds both cases about "J.S." (any letter case) and not the other; both are listed."""
    result = run("subject-access", "--poster", "j.s.", "--out", tmp_path / "sar.html", "--json")
    doc = json.loads(result.stdout)
    assert (0, sorted([cases["first"], cases["second"]]), ["Parent of 4B pupil (J.S.)",
                                                           "parent of 4b pupil (j.s.)"]) == (
        result.exit_code, doc["cases"], doc["matched_posters"])


def test_the_html_draft_flags_a_planted_child_and_staff_name(run, cases, tmp_path):
    """The child named in a summary and the member of staff who recorded a step are marked for review."""
    out = tmp_path / "sar.html"
    assert 0 == run("subject-access", "--poster", "J.S.", "--out", out).exit_code
    page = out.read_text(encoding="utf-8")
    marked = " ".join(re.findall(r'<mark class="review".*?</mark>', page, flags=re.S))
    unmarked = re.sub(r'<mark class="review".*?</mark>', "", page, flags=re.S)
    assert (True, True, False, False) == (CHILD in marked, STAFF in marked, CHILD in unmarked, STAFF in unmarked)


def test_the_word_draft_highlights_a_planted_child_and_staff_name(run, cases, tmp_path):
    """In the .docx, the runs holding the child's and the staff member's names are highlighted."""
    out = tmp_path / "sar.docx"
    assert 0 == run("subject-access", "--poster", "J.S.", "--out", out).exit_code
    word = Document(io.BytesIO(out.read_bytes()))
    runs = [(r.text, r.font.highlight_color == WD_COLOR_INDEX.YELLOW) for p in word.paragraphs for r in p.runs]
    assert (True, True) == (any(CHILD in text and lit for text, lit in runs),
                            any(STAFF in text and lit for text, lit in runs))


def test_cases_named_by_id_are_added_and_the_deadline_goes_in_the_draft(run, cases, tmp_path):
    """--case adds a case the poster text does not match; --received puts the reply date in the draft."""
    out = tmp_path / "sar.html"
    result = run("subject-access", "--poster", "J.S.", "--case", cases["other"], "--received", "31/07/2026",
                 "--out", out, "--json")
    assert (3, "2026-09-01") == (len(json.loads(result.stdout)["cases"]), json.loads(result.stdout)["deadline"])
    assert "Reply due by 2026-09-01" in out.read_text(encoding="utf-8")


def test_an_unknown_case_is_refused_and_nothing_written(run, cases, tmp_path):
    """--case naming no case: exit 4, no draft written."""
    result = run("subject-access", "--case", "2026-0099", "--out", tmp_path / "sar.html")
    assert (4, False) == (result.exit_code, (tmp_path / "sar.html").exists())


def test_a_poster_no_case_matches_is_refused_and_no_empty_draft_written(run, cases, tmp_path):
    """--poster zzz, which no case's poster reference contains: exit 4, one Error line naming it, nothing written."""
    result = run("subject-access", "--poster", "zzz", "--out", tmp_path / "z.html")
    assert (4, 1, True, False) == (result.exit_code, len(result.stderr.splitlines()), result.stderr.startswith(
        "Error: --poster 'zzz': no case's poster reference contains it"), (tmp_path / "z.html").exists())


def test_a_poster_no_case_matches_is_refused_even_beside_a_case_named_by_id(run, cases, tmp_path):
    """--poster zzz --case ID: still exit 4 (a misspelt name would leave that person's cases out of the draft)."""
    result = run("subject-access", "--poster", "zzz", "--case", cases["other"], "--out", tmp_path / "z.html")
    assert (4, False) == (result.exit_code, (tmp_path / "z.html").exists())


def test_a_draft_must_be_word_or_html(run, cases, tmp_path):
    """--out sar.pdf: exit 2, naming the two formats."""
    result = run("subject-access", "--poster", "J.S.", "--out", tmp_path / "sar.pdf")
    assert (2, True, False) == (result.exit_code, ".docx nor .html" in result.stderr,
                                (tmp_path / "sar.pdf").exists())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_draft_is_readable_by_its_owner_only(run, cases, tmp_path):
    """The draft holds personal data: written 0600."""
    out = tmp_path / "sar.docx"
    assert 0 == run("subject-access", "--poster", "J.S.", "--out", out).exit_code
    assert 0o600 == stat.S_IMODE(os.stat(out).st_mode)
