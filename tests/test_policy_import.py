"""policy import drafts a school's own policy.toml from its published text: real schools' variants load,
carry the school's own words, and leave only the decisions the report names."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest

from hesket_cli.errors import InvalidInput
from hesket_cli.policy_check import check_all
from hesket_cli.policy_draft import render_toml
from hesket_cli.policy_file import parse_policy
from hesket_cli.policy_import import ImportResult, draft_toml, import_policy
from hesket_cli.policy_import_report import report_lines
from hesket_cli.policy_import_rules import drop_stale_conditions
from hesket_cli.policy_read_text import read_policy_text
from hesket_cli.quote_match import SourceIndex

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
SCHOOLS = ("mount-pleasant-school", "stretton-handley", "ravensworth-terrace")
BASE: dict[str, Any] = tomllib.loads((ROOT / "policy.toml").read_text(encoding="utf-8"))
BASE_TEXT = (ROOT / "policy.txt").read_text(encoding="utf-8")


def their_text(school: str) -> str:
    """A fixture's published text (where it came from is in SOURCES.toml beside it)."""
    return (FIXTURES / f"{school}.txt").read_text(encoding="utf-8")


@functools.cache
def imported(school: str) -> ImportResult:
    """The import of one school's fixture against the shipped policy (made once; no test changes it)."""
    return import_policy(their_text(school), BASE, BASE_TEXT)


def quotes_of(draft: dict[str, Any]) -> dict[str, str]:
    """Every policy_text in a draft, by place."""
    found = {"policy": draft["policy"]["policy_text"]}
    for single in ("other", "raise_concerns"):
        if single in draft:
            found[single] = draft[single]["policy_text"]
    for section in ("considerations", "checklist", "judgement", "posters", "platforms", "steps", "outcomes",
                    "actions"):
        found |= {f"{section}.{k}": v["policy_text"] for k, v in draft.get(section, {}).items() if "policy_text" in v}
    return found


# -- the fixtures ---------------------------------------------------------------


def test_each_fixture_names_the_address_it_came_from_and_when() -> None:
    """Every published variant kept here has its source address and the date it was retrieved in SOURCES.toml."""
    sources = tomllib.loads((FIXTURES / "SOURCES.toml").read_text(encoding="utf-8"))
    kept = sorted(p.stem for p in FIXTURES.glob("*.txt"))
    assert (kept, [True] * len(kept)) == (sorted(sources), [
        sources[s]["address"].startswith("https://") and isinstance(sources[s]["retrieved"], dt.date) for s in kept])


# -- each school's draft ----------------------------------------------------------


@pytest.mark.parametrize("school", SCHOOLS)
def test_the_draft_loads_and_policy_check_names_only_the_decisions_reported(school: str) -> None:
    """draft -> parse_policy -> check_all with the school's text: exactly the problems the report lists."""
    result = imported(school)
    policy = parse_policy(tomllib.loads(draft_toml(result)))
    problems = check_all(policy, their_text(school))
    report = report_lines(result)
    assert [(p.place, p.message) for p in result.problems] == [(p.place, p.message) for p in problems]
    assert [] == [p.place for p in problems if f"  {p.severity} {p.place}: {p.message}" not in report]


@pytest.mark.parametrize("school", SCHOOLS)
def test_every_quote_is_the_schools_own_words_or_a_reported_decision(school: str) -> None:
    """No base wording is left silently: a quote not in the school's text belongs to an item kept and reported."""
    result = imported(school)
    index = SourceIndex(their_text(school))
    foreign = sorted(place for place, quote in quotes_of(result.draft).items()
                     if (found := index.find(quote)) is None or found.how != "exact")
    assert sorted(result.kept) == sorted(p for p in foreign if p in result.kept) == foreign


def test_a_new_checklist_line_is_drafted_for_a_person_to_confirm() -> None:
    """Mount Pleasant's "Direct contact of staff on school related matters" matches no base item: new, marked."""
    result = imported("mount-pleasant-school")
    assert [("checklist.direct_contact_staff_school", "Direct contact of staff on school related matters",
             14)] == [(n.place, n.quote, n.line) for n in result.new_items]
    text = draft_toml(result)
    assert "# CONFIRM: new, from line 14 of your policy: check its id, title, question or stage, and conditions\n" \
           "[checklist.direct_contact_staff_school]\n" in text


def test_a_new_action_paragraph_is_drafted_as_an_escalation_step() -> None:
    """Ravensworth Terrace's legal-proceedings paragraph becomes a new escalation step to confirm."""
    result = imported("ravensworth-terrace")
    assert ["steps.comments_deemed_defamatory_untrue"] == [n.place for n in result.new_items]
    assert "escalation" == result.draft["steps"]["comments_deemed_defamatory_untrue"]["stage"]


def test_items_the_school_does_not_have_are_removed_and_listed() -> None:
    """Mount Pleasant has no item about naming children: removed, and the report says so under its heading."""
    result = imported("mount-pleasant-school")
    report = report_lines(result)
    heading = report.index("Not found in your policy: removed in the draft:")
    listed = report[heading + 1:report.index("New in your policy, drafted for you to confirm (marked CONFIRM in "
                                            "policy.toml):")]
    assert "naming_children" not in result.draft["checklist"]
    assert ["  checklist.naming_children: \"Naming children or posting any comments about children who attend High "
            "Heskett CE School\""] == [line for line in listed if line.startswith("  checklist.naming_children")]


def test_matched_items_carry_the_schools_words() -> None:
    """Stretton Handley's own list items replace the base's, letter case and all."""
    checklist = imported("stretton-handley").draft["checklist"]
    assert "posting racist or homophobic comments" == checklist["racist"]["policy_text"]
    assert "making complaints about the school or school staff" == checklist["complaint"]["policy_text"]


def test_a_condition_naming_a_removed_item_is_dropped_and_reported() -> None:
    """Mount Pleasant has no defamation item: legal advice keeps only the school's own judgement."""
    result = imported("mount-pleasant-school")
    assert ["judgement.legal_warranted"] == result.draft["steps"]["legal_advice"]["when"]
    assert ["steps.legal_advice.when: dropped 'checklist.defamatory', which named a removed item",
            "notices.safeguarding.when: dropped 'checklist.naming_children', which named a removed item"] == [
        c for c in result.changes if "dropped" in c]
    assert "helpline: removed, because no step of complaining to the site (platform_report) is left" in result.changes


def test_school_title_and_dates_are_read_from_the_text_or_flagged() -> None:
    """What the text says is used, with its line; what it does not say is left for a person, never guessed."""
    mount = imported("mount-pleasant-school").draft["policy"]
    ravensworth = imported("ravensworth-terrace")
    assert ("Mount Pleasant School", "Social Media Expectations", "policy.txt") == (
        mount["school"], mount["title"], mount["source"])
    assert ("2018-05", ["2019-05"]) == (ravensworth.draft["policy"]["adopted"], ravensworth.draft["policy"]["reviewed"])
    assert "school: not found in your policy; type your school's name in [policy] school" in ravensworth.header_notes


def test_what_the_school_never_wrote_is_left_out_not_invented() -> None:
    """Mount Pleasant has no considerations, no "non-exhaustive" sentence and no date: none is in its draft."""
    draft = imported("mount-pleasant-school").draft
    assert (False, False, False, False) == (
        "considerations" in draft, "other" in draft, "adopted" in draft["policy"], "reviewed" in draft["policy"])


def test_posters_keep_their_place_but_not_the_bases_quote() -> None:
    """A school that never defines "parent" still has parents posting: the posters stay, without a quote."""
    result = imported("mount-pleasant-school")
    assert ([], True) == ([k for k, v in result.draft["posters"].items() if "policy_text" in v],
                          "posters.parent.policy_text" in result.removed)


def test_a_poster_left_to_a_removed_first_step_gets_the_remaining_one() -> None:
    """Without discuss_child_use, 'not poster.pupil' would leave a pupil's post with no first step: it is dropped."""
    result = imported("mount-pleasant-school")
    assert [] == result.draft["steps"]["discuss_and_request_removal"]["when"]
    assert ("steps.discuss_and_request_removal.when: emptied: 'not poster.pupil' left those posts to a step your "
            "policy does not have, so they had no first step; discuss_and_request_removal now applies to every "
            "post") in result.changes


def test_an_appropriate_step_in_the_schools_words_is_kept_when_its_condition_is_gone() -> None:
    """Stretton Handley asks no considerations, but has the words of signposting: kept, when emptied, reported."""
    result = imported("stretton-handley")
    assert ([], "steps.signpost_private_channel" in result.removed) == (
        result.draft["steps"]["signpost_private_channel"]["when"], False)
    assert any(c.startswith("steps.signpost_private_channel.when: every entry named a removed item; kept with when "
                            "emptied") for c in result.changes)


def test_mount_pleasants_draft_needs_no_decision() -> None:
    """The fullest published variant imports with nothing left for policy check to name."""
    assert () == imported("mount-pleasant-school").problems


def test_a_list_the_stored_text_lacks_is_kept_and_each_quote_is_a_decision() -> None:
    """Ravensworth Terrace's stored page lost its bulleted checklist: the base's items are kept, each a decision."""
    result = imported("ravensworth-terrace")
    checklist = sorted(f"checklist.{k}" for k in BASE["checklist"])
    assert (checklist, [f"{c}.policy_text" for c in checklist]) == (
        sorted(p for p in result.kept if p.startswith("checklist.")),
        [p.place for p in result.problems if p.place.startswith("checklist.")])


def test_the_shipped_policy_imported_onto_itself_matches_every_quote() -> None:
    """High Hesket's own text against its own policy: every quote word for word, nothing removed, no problem."""
    result = import_policy(BASE_TEXT, BASE, BASE_TEXT)
    assert ([], [], [], []) == ([m.place for m in result.matches if m.how != "exact"], list(result.removed),
                                list(result.new_items), list(result.problems))


def test_an_empty_text_is_refused() -> None:
    """Nothing to align against: an InvalidInput saying what to give."""
    with pytest.raises(InvalidInput, match="the school's policy text is empty"):
        import_policy(" \n", BASE, BASE_TEXT)


# -- the forms schools publish in -------------------------------------------------


def _as_docx(text: str, path: Path) -> Path:
    """The text as a Word document: a paragraph per line, bulleted lines in the List Bullet style."""
    docx = pytest.importorskip("docx", reason="python-docx is needed to build the .docx fixture")
    document = docx.Document()
    for line in text.split("\n"):
        bulleted = line.strip().startswith("•")
        document.add_paragraph(line.strip().lstrip("•").strip(), style="List Bullet" if bulleted else None)
    document.save(str(path))
    return path


def _as_html(text: str, path: Path) -> Path:
    """The text as a web page with a script and a style to skip, bulleted lines as a list."""
    body = []
    for line in text.split("\n"):
        stripped = line.strip()
        body.append(f"<ul><li>{stripped.lstrip('•').strip()}</li></ul>" if stripped.startswith("•")
                    else f"<p>{stripped}</p>" if stripped else "")
    page = ("<html><head><title>Policy</title><style>p {color: red}</style></head><body>"
            "<script>var x = 'Posting racist comments';</script>" + "\n".join(body) + "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["docx", "html"])
def test_the_docx_and_html_forms_give_the_same_quotes_as_the_text(form: str, tmp_path: Path) -> None:
    """Mount Pleasant's policy as Word or as a web page: read, imported, the same school's words."""
    text = their_text("mount-pleasant-school")
    path = (_as_docx if form == "docx" else _as_html)(text, tmp_path / f"policy.{form}")
    from_form = import_policy(read_policy_text(path), BASE, BASE_TEXT)
    from_text = imported("mount-pleasant-school")
    assert quotes_of(from_text.draft) == quotes_of(from_form.draft)


# -- the pieces -------------------------------------------------------------------


def test_a_not_condition_on_a_removed_item_empties_the_when() -> None:
    """'not checklist.x' always holds once x is gone, so the whole list holds: emptied, and said."""
    draft = {"steps": {"s": {"stage": "first", "when": ["not checklist.x", "poster.parent"]}}}
    changes = drop_stale_conditions(draft, ["checklist.x"], {})
    assert [] == draft["steps"]["s"]["when"]
    assert changes[0].startswith("steps.s.when: 'not checklist.x' named a removed item")


def test_a_step_whose_when_names_only_removed_items_is_removed_with_what_needed_it() -> None:
    """A step that could never be permitted goes; a step after it loses that need, and both are said."""
    draft = {"steps": {
        "a": {"stage": "first"},
        "b": {"stage": "escalation", "when": ["checklist.x"]},
        "c": {"stage": "escalation", "after": ["b"]},
    }}
    removed = ["checklist.x"]
    changes = drop_stale_conditions(draft, removed, {})
    assert (["a", "c"], ["checklist.x", "steps.b"]) == (sorted(draft["steps"]), removed)
    assert "after" not in draft["steps"]["c"]
    assert 2 == len(changes)


def test_render_toml_reads_back_to_the_same_data_with_comments() -> None:
    """Quotes, backslashes, unicode, lists, dates and numbers survive; notes are comments before their table."""
    data = {"format": 1, "policy": {"title": "A \"quoted\" \\ back’slash\u007f", "signed": dt.date(2024, 11, 20),
                                    "reviewed": ["2019-01"], "urgent": True},
            "checklist": {"x": {"title": "X", "policy_text": "Line\nbreak"}}}
    text = render_toml(data, {"checklist.x": ["CONFIRM: new"]}, ["A preface"])
    assert data == tomllib.loads(text)
    assert "# CONFIRM: new\n[checklist.x]\n" in text


def test_a_schools_words_for_raising_a_concern_are_drafted_for_a_person_to_confirm() -> None:
    """Words like "a private conversation with the Principal ..., or the Trust's complaints procedure" are found
    by their shape and marked CONFIRM; a text with none leaves [raise_concerns] out, never keeping the base's."""
    words = "a private conversation with the Principal or a Trustee, or the Trust's complaints procedure"
    text = (f"Social media policy\n\nOther channels, such as {words}, are better suited to this.\n"
            "The Academy considers the following to be inappropriate:\n- Posting racist comments\n")
    found = import_policy(text, BASE, BASE_TEXT)
    left_out = import_policy(text.replace(words, "talking to us"), BASE, BASE_TEXT)
    assert (words, True) == (found.draft["raise_concerns"]["policy_text"],
                             found.notes["raise_concerns"][0].startswith("CONFIRM: "))
    assert (False, True) == ("raise_concerns" in left_out.draft, "raise_concerns" in left_out.removed)


def test_a_fixtures_words_for_raising_a_concern_are_its_own() -> None:
    """Stretton Handley's policy words its private channel its own way; the draft quotes them, not High Hesket's."""
    assert "private and confidential discussion with the school, or using the school’s formal complaints process" \
        == imported("stretton-handley").draft["raise_concerns"]["policy_text"]


SHOUTED = """NORTHWOOD PRIMARY SCHOOL POLICY ON PARENTAL USE OF SOCIAL NETWORKING AND FACEBOOK

Parents of Northwood Primary School pupils use Facebook and other sites. The policy applies to all parents.
The School considers the following examples to be inappropriate:
- Posting racist comments
"""


def test_a_title_in_capitals_is_drafted_in_sentence_case_keeping_names_for_a_person_to_confirm() -> None:
    """The title shouted in capitals reads in sentence case; the school's name and a site's keep theirs; CONFIRM."""
    result = import_policy(SHOUTED, BASE, BASE_TEXT)
    title = "Northwood Primary School policy on parental use of social networking and Facebook"
    assert (title, True) == (result.draft["policy"]["title"],
                             any(n.startswith(f'title: "{title}" (line 1), CONFIRM: ') for n in result.notes["policy"]))
    comment = draft_toml(result).split("# title: ", 1)[1].split("\n[policy]\n", 1)[0]
    assert f'"{title}" (line 1), CONFIRM:' in " ".join(comment.replace("#", " ").split())


def test_a_title_not_in_capitals_is_kept_as_written_with_nothing_to_confirm() -> None:
    """A title the school wrote in mixed case is its own: kept letter for letter, and no note asks about it."""
    result = imported("mount-pleasant-school")
    assert ("Social Media Expectations", []) == (
        result.draft["policy"]["title"], [n for n in result.notes.get("policy", ()) if "title" in n])


def test_high_heskets_own_title_in_capitals_is_drafted_as_its_policy_toml_writes_it() -> None:
    """Imported from policy.txt, where the title is in capitals, the draft's title is the shipped one."""
    assert BASE["policy"]["title"] == import_policy(BASE_TEXT, BASE, BASE_TEXT).draft["policy"]["title"]
