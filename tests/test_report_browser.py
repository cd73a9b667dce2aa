"""The governors' summary page: self-contained, well-formed HTML that opens in a real (headless) browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hesket_cli.answers import Answers, Incident
from hesket_cli.case import Case, Event, PolicyRef
from hesket_cli.policy_file import load_policy
from hesket_cli.report import summary_html
from hesket_cli.review import summary, summary_record

from conftest import POLICY_FILE, ROOT

TODAY = dt.date(2026, 11, 24)  # a fixed date for the pure tests
UTC = dt.UTC
SCHOOL = "High Hesket CE School"
SVG_NS = "http://www.w3.org/2000/svg"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")


def _summary(policy, cases, since=None):
    """The governors' counts of these cases, as `hesket review --summary` computes them."""
    return summary(policy, [summary_record(policy, case) for case in cases], since=since)


# -- helpers -------------------------------------------------------------------------------------------


class _StrictParser(HTMLParser):
    """html.parser that records every problem: an end tag that closes nothing open, a tag left open, a bad declaration."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.problems.append(f"declaration {decl!r}")

    def unknown_decl(self, data):
        self.problems.append(f"unknown declaration {data!r}")


def _parse(page: str) -> _StrictParser:
    parser = _StrictParser()
    parser.feed(page)
    parser.close()
    if parser.stack:
        parser.problems.append(f"left open: {parser.stack}")
    return parser


def _case(case_id: str, observed: dt.date, *, ticked=(), platform="facebook", poster="parent", events=()) -> Case:
    answers = Answers(
        incident=Incident(observed_on=observed, platform=platform, poster=poster,
                          summary="A made-up parent, Mr C Example, posted about the school."),
        considerations=dict.fromkeys(CONSIDERATIONS, False),
        checklist={c: c in ticked for c in CHECKLIST}, other=None, judgement={})
    return Case(id=case_id, created_at=dt.datetime(observed.year, observed.month, observed.day, 9, tzinfo=UTC),
                recorded_by="Mrs A Example", policy=PolicyRef("t", "2024-11", "0" * 64), answers=answers,
                events=tuple(Event(e, dt.datetime(on.year, on.month, on.day, 10, tzinfo=UTC), on, "Mrs A Example")
                             for e, on in events))


def _cases() -> list[Case]:
    return [
        _case("2026-0001", dt.date(2026, 7, 3), ticked=("complaint",), platform="whatsapp",
              events=[("discuss_and_request_removal", dt.date(2026, 7, 4)), ("refused", dt.date(2026, 7, 9))]),
        _case("2026-0002", dt.date(2026, 9, 5)),
        _case("2026-0003", dt.date(2026, 11, 20), ticked=("threat_of_violence",), poster="relative",
              events=[("contact_police", dt.date(2026, 11, 20))]),
    ]


def _page(policy, cases=None) -> str:
    return summary_html(_summary(policy, _cases() if cases is None else cases), policy, TODAY)


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless browser installed; CI installs chromium")


def _browser_args(browser: str, profile: Path) -> list[str]:
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}"]


def _summary_file(run, tmp_path: Path) -> Path:
    """The page `hesket review --summary --html` writes for three made-up cases."""
    for name in ("complaint-wrong-channel", "threat-of-violence", "kind-post"):
        result = run("triage", "--answers", ROOT / "examples" / f"{name}.toml", "--json", "--by", "Mrs A Example")
        assert 0 == result.exit_code, result.stderr
    target = tmp_path / "summary.html"
    result = run("review", "--summary", "--status", "all", "--html", target)
    assert 0 == result.exit_code, result.stderr
    return target


# -- the page itself (pure) ----------------------------------------------------------------------------


def test_the_page_has_no_script(policy):
    """The summary page holds no <script> (any case)."""
    assert "<script" not in _page(policy).lower()


def test_the_page_links_to_nothing_but_the_svg_namespace(policy):
    """The only http(s) address in the page is the SVG namespace, which is a name, not a fetch."""
    page = _page(policy)
    assert [SVG_NS] == re.findall(r"https?://[^\s\"'<>)]*", page, flags=re.IGNORECASE)


def test_the_page_fetches_no_external_resource(policy):
    """No stylesheet link, image, frame, src attribute, CSS url() or @import: it opens offline."""
    page = _page(policy).lower()
    assert dict.fromkeys(("<link", "<img", "<iframe", "<object", "src=", "url(", "@import", "href="), False) == {
        k: k in page for k in ("<link", "<img", "<iframe", "<object", "src=", "url(", "@import", "href=")}


def test_the_page_is_well_formed(policy):
    """html.parser finds every tag closed in order and nothing left open; it has a table and an svg."""
    parser = _parse(_page(policy))
    assert ([], True, True, True) == (parser.problems, "table" in parser.tags, "svg" in parser.tags,
                                      parser.tags[:2] == ["html", "head"])


def test_the_page_of_no_cases_is_well_formed_and_says_none(policy):
    """With no cases the page is still well-formed, with no chart and 'None.' for the empty sections."""
    page = _page(policy, cases=[])
    parser = _parse(page)
    assert ([], False, True, "<strong>0</strong> cases" in page) == (
        parser.problems, "svg" in parser.tags, "<p>None.</p>" in page, True)


def test_the_page_shows_the_counts_and_a_bar_per_month(policy):
    """The page has the total, one bar per month from the first case to the last (empty months too),
    each named as governors read it ("September 2026: 1 case")."""
    page = _page(policy)
    bars = re.findall(r"<title>(\w+ [0-9]{4}): ([0-9]+ cases?)</title>", page)
    assert ("<strong>3</strong> cases" in page,
            [("July 2026", "1 case"), ("August 2026", "0 cases"), ("September 2026", "1 case"),
             ("October 2026", "0 cases"), ("November 2026", "1 case")]) == (True, bars)


def test_the_chart_labels_months_by_name(policy):
    """The chart's labels under the bars are short month names (`Jul 2026`), never `2026-07`."""
    page = _page(policy)
    labels = re.findall(r'text-anchor="middle">([^<]*[0-9]{4})</text>', page)
    assert (["Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"], False) == (
        labels, bool(re.search(r">2026-[0-9]{2}<", page)))


def test_the_page_says_one_case_not_one_cases(policy):
    """With one case the headline reads "1 case", not "1 cases"."""
    page = _page(policy, cases=_cases()[:1])
    assert (True, False) == ("<strong>1</strong> case;" in page, "<strong>1</strong> cases" in page)


def test_the_page_escapes_text_from_the_policy(tmp_path):
    """A school name with <, > and & in a policy copy is escaped, and the page stays well-formed."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    old = 'school = "High Hesket CE School"'
    assert 1 == text.count(old)
    copy = tmp_path / "policy.toml"
    copy.write_text(text.replace(old, 'school = "High <Hesket> & Co <script>alert(1)</script>"'), encoding="utf-8")
    page = _page(load_policy(copy))
    assert ([], False, True) == (_parse(page).problems, "<script" in page.lower(),
                                 "High &lt;Hesket&gt; &amp; Co &lt;script&gt;" in page)


# -- in a real browser ---------------------------------------------------------------------------------


def test_the_page_opens_in_a_headless_browser(run, tmp_path):
    """Chromium loads the page from disk and its DOM holds the school's name, a table and the SVG chart."""
    browser = _browser()
    page = _summary_file(run, tmp_path)
    done = subprocess.run([*_browser_args(browser, tmp_path / "profile"), "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=60)
    assert 0 == done.returncode, done.stderr[-2000:]
    dom = done.stdout
    assert (True, True, True, False) == (SCHOOL in dom, "<table" in dom, "<svg" in dom, "<script" in dom.lower())


def test_the_page_renders_to_a_screenshot_in_a_headless_browser(run, tmp_path):
    """Chromium renders the page to a PNG of the window's size, and the PNG is not trivially small."""
    browser = _browser()
    page = _summary_file(run, tmp_path)
    shot = tmp_path / "summary.png"
    done = subprocess.run([*_browser_args(browser, tmp_path / "profile"), f"--screenshot={shot}",
                           "--window-size=900,1400", page.as_uri()], capture_output=True, text=True, timeout=60)
    assert 0 == done.returncode, done.stderr[-2000:]
    data = shot.read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    assert (b"\x89PNG\r\n\x1a\n", (900, 1400), True) == (data[:8], (width, height), len(data) > 10_000)
