"""Letters drafted from a case: each kind renders, quotes the post exactly, keeps children and notes out, opens in Word."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import docx
import pytest

from hesket_cli.errors import InvalidInput, UsageError
from hesket_cli.letter_docx import letter_docx
from hesket_cli.letter_template import BLOCK_NAMES
from hesket_cli.letters import (
    FORBIDDEN,
    KINDS,
    NOT_CAPTURED,
    RAISE_CONCERNS,
    Block,
    LetterFacts,
    forbidden_wording,
    letter_text,
    render_letter,
)

TEMPLATES = Path(str(resources.files("hesket_cli").joinpath("templates", "letters")))
EXACT = "Does anyone else think Mr Example shouldn't be teaching Year 4? Ask yourselves why the head won't answer?"
CHILD = "Jamie Plantedchild"
NOTE = "Staff note: the parent's neighbour says she is upset"


def _facts(policy, kind: str = "written_warning", **changes) -> LetterFacts:
    step = policy.letter_step(kind)
    facts = LetterFacts(
        case_id="2026-0001", school=policy.header.school, today=dt.date(2026, 11, 25), platform="Facebook",
        observed_on=dt.date(2026, 11, 18), step_title=step.title, step_policy_text=step.policy_text,
        policy_title=policy.header.title, exact_words=EXACT, discussion_on=dt.date(2026, 11, 20), post="your post",
        post_url="https://www.facebook.com/groups/example/posts/1", account="Pat Example",
        posted_at=dt.datetime(2026, 11, 17, 21, 4), addressee="Mr P Example", signatory="Mrs A Example\nHeadteacher",
        concerns=(policy.checklist[1].policy_text,), further_steps=(policy.step("contact_provider").policy_text,),
        chronology=((dt.date(2026, 11, 20), "Discussed with the parent"),),
        evidence=(("screenshot.png", 49_357, "5891b5b5" * 8),),
        steps_taken=((dt.date(2026, 11, 20), "Discuss the matter with the parent"),),
        steps_declined=((dt.date(2026, 11, 23), "Contact the police", "no crime considered"),),
        summary=f"A parent criticised a teacher; {CHILD} was mentioned by staff.", notes=(f"{NOTE} about {CHILD}.",),
    )
    return dataclasses.replace(facts, **changes)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_renders_from_the_shipped_template(policy, kind):
    """Every kind of letter drafts from hesket's own template and ends with a signature block."""
    letter = render_letter(kind, _facts(policy, kind))
    assert (kind, KINDS[kind], "signature") == (letter.kind, letter.title, letter.blocks[-1].kind)
    assert str(TEMPLATES / f"{kind}.txt") == letter.template


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_letter_opens_in_word_with_the_school_the_policy_words_and_the_exact_post(policy, kind):
    """The .docx opens with python-docx and holds the school's name, the step's policy words and the post verbatim."""
    facts = _facts(policy, kind)
    text = _docx_text(letter_docx(render_letter(kind, facts)))
    assert (True, True, True) == (facts.school in text, facts.step_policy_text in text, EXACT in text)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_plain_text_letter_quotes_the_post_with_its_question_mark(policy, kind):
    """The post's words appear exactly, trailing question mark and all (a dropped "?" caused a public backlash)."""
    assert [f"    {EXACT}"] == [line for line in letter_text(render_letter(kind, _facts(policy, kind))).splitlines()
                                if EXACT in line]


def test_a_post_over_several_lines_keeps_its_line_breaks(policy):
    """A post typed over several lines is quoted line for line, in text and in Word."""
    words = "First line!\n\nThird line, after a blank one?"
    letter = render_letter("written_warning", _facts(policy, exact_words=words))
    quote = next(b for b in letter.blocks if b.kind == "quote")
    assert ("First line!", "", "Third line, after a blank one?") == quote.lines
    assert words in _docx_text(letter_docx(letter))


def test_placeholders_inside_the_post_are_never_filled_in(policy):
    """Braces and a "# " in the post are the parent's words, not template language."""
    words = "# Not a heading {school} {{ }"
    letter = render_letter("written_warning", _facts(policy, exact_words=words))
    assert (words,) == next(b for b in letter.blocks if b.kind == "quote").lines


def test_without_captured_words_the_letter_says_so_and_never_uses_the_summary(policy):
    """No exact words captured: a placeholder that says so stands where the post would be; the summary never does."""
    letter = render_letter("written_warning", _facts(policy, exact_words=None, include_summary=True))
    assert (NOT_CAPTURED,) == next(b for b in letter.blocks if b.kind == "quote").lines
    assert False is (CHILD in letter_text(letter))


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_child_named_in_the_summary_or_notes_stays_out_unless_asked(policy, kind):
    """A child's name planted in the staff summary and notes is in neither the text nor the Word letter."""
    letter = render_letter(kind, _facts(policy, kind))
    assert (False, False) == (CHILD in letter_text(letter), CHILD in _docx_text(letter_docx(letter)))


def test_the_legal_brief_shows_summary_and_notes_only_when_asked(policy):
    """The brief has sections for the summary and the notes, each shown only when asked for."""
    def shown(**asked) -> tuple[bool, bool]:
        text = letter_text(render_letter("legal_advice_brief", _facts(policy, "legal_advice_brief", **asked)))
        return ("A parent criticised a teacher" in text, NOTE in text)

    assert [(False, False), (True, False), (False, True)] == [
        shown(), shown(include_summary=True), shown(include_notes=True)]


def test_the_heading_of_a_section_not_asked_for_is_left_out(policy):
    """Without the summary, its heading is left out too, rather than heading an empty section."""
    headings = [b.lines[0] for b in render_letter("legal_advice_brief", _facts(policy, "legal_advice_brief")).blocks
                if b.kind == "heading"]
    assert ["Steps the school decided not to take", "What the school would like advice on"] == headings[-2:]


def test_the_legal_brief_lists_evidence_with_full_hashes_and_declined_steps_with_reasons(policy):
    """Evidence carries its size and whole SHA-256; a declined step carries its reason."""
    lists = [b.lines for b in render_letter("legal_advice_brief", _facts(policy, "legal_advice_brief")).blocks
             if b.kind == "list"]
    assert (f"screenshot.png (48.2 KB), SHA-256 {'5891b5b5' * 8}",) in lists
    assert ("23 November 2026: Contact the police (reason: no crime considered)",) in lists


def test_settings_not_set_become_clearly_marked_placeholders(policy):
    """No address, signatory or addressee: the letter shows bracketed placeholders to fill in, never a guess."""
    letter = render_letter("written_warning", _facts(policy, school_address=None, signatory=None, addressee=None))
    text = letter_text(letter)
    assert ("[school address]",) == letter.address
    assert (True, True) == ("[name and role of the person signing]" in text, "Dear [parent's name]," in text)


def test_the_date_is_written_as_a_uk_letter_writes_it(policy):
    """Dates read 25 November 2026 whatever the computer's language."""
    assert "25 November 2026" == render_letter("written_warning", _facts(policy)).dated


def test_the_schools_own_website_reads_naturally_inside_a_sentence(policy):
    """The platform title "The school's own website" is lower-cased mid-sentence; a name like Facebook is not."""
    text = letter_text(render_letter("access_restricted", _facts(policy, "access_restricted",
                                                                  platform="The school's own website")))
    assert "RE: Access to the school's own website" in text


def test_no_shipped_template_asserts_defamation_an_offence_or_a_threat_to_sue():
    """Every shipped template is free of the forbidden assertions outside quotation lines."""
    found = {path.name: forbidden_wording(path.read_text(encoding="utf-8")) for path in TEMPLATES.glob("*.txt")}
    assert (set(KINDS), {}) == ({p.stem for p in TEMPLATES.glob("*.txt")}, {k: v for k, v in found.items() if v})


def test_the_forbidden_list_holds_every_phrase_the_issue_names():
    """The scan looks for at least the assertions named in the issue, and the like."""
    named = {"is defamatory", "you have committed", "committed an offence", "we will sue",
             "legal proceedings against you", "will sue", "defamed", "libel"}
    assert set() == named - set(FORBIDDEN)


def test_forbidden_wording_is_found_outside_quotations_but_allowed_inside():
    """A quotation of the policy may use its own words; a sentence of the letter may not."""
    text = "> where the information posted is defamatory\nWe think this post is defamatory.\nWe Will Sue."
    assert [(2, "is defamatory"), (3, "we will sue"), (3, "will sue")] == forbidden_wording(text)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_drafted_letter_asserts_nothing_forbidden_outside_quotations(policy, kind):
    """Rendered with the legal advice step's words (which say "is defamatory"), only quotations carry them."""
    facts = _facts(policy, kind, step_policy_text=policy.step("legal_advice").policy_text,
                   further_steps=tuple(s.policy_text for s in policy.steps if s.stage == "escalation"))
    unquoted = [line for block in render_letter(kind, facts).blocks
                if block.kind != "quote" and not block.quoted for line in block.lines]
    assert [] == forbidden_wording("\n".join(unquoted))


def test_an_unknown_placeholder_names_the_file_the_line_and_the_placeholder(policy, tmp_path):
    """A misspelt placeholder in a school's template is refused with its file, line number and the known names."""
    lines = ["Dear {addressee},", "", "", "", "", "", "We write from {schol}."]
    (tmp_path / "written_warning.txt").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    expected = f"{tmp_path / 'written_warning.txt'}, line 7: unknown placeholder {{schol}}; known: {{case_id}}, {{school}}"
    assert expected == caught.value.message[:len(expected)]


def test_a_list_placeholder_inside_a_sentence_is_refused(policy, tmp_path):
    """{chronology} becomes several lines, so it must stand alone on its line."""
    (tmp_path / "written_warning.txt").write_text("See {chronology} below.\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    expected = (f"{tmp_path / 'written_warning.txt'}, line 1: {{chronology}} becomes several lines, "
                "so it must stand alone on its own line")
    assert expected == caught.value.message


def test_a_lone_brace_is_refused_and_doubled_braces_are_literal(policy, tmp_path):
    """`{{` writes a brace; a single unmatched one is an error pointing at its line."""
    (tmp_path / "written_warning.txt").write_text("Use {{braces}} like this.\n", encoding="utf-8")
    letter = render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    (tmp_path / "written_warning.txt").write_text("ok\nA } alone.\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    assert (Block("paragraph", ("Use {braces} like this.",)),) == letter.blocks
    assert f"{tmp_path / 'written_warning.txt'}, line 2: a lone '}}'" == caught.value.message.split(" that")[0]


def test_a_schools_own_template_wins_and_the_others_stay_hesket_s(policy, tmp_path):
    """A template in the workspace folder replaces hesket's for that kind only."""
    (tmp_path / "written_warning.txt").write_text("# Our own heading\nOur own words, {addressee}.\n",
                                                  encoding="utf-8")
    own = render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    other = render_letter("discussion_invitation", _facts(policy, "discussion_invitation"), template_dir=tmp_path)
    assert (Block("heading", ("Our own heading",)), Block("paragraph", ("Our own words, Mr P Example.",))) == own.blocks
    assert str(TEMPLATES / "discussion_invitation.txt") == other.template


def test_a_template_that_is_not_utf8_is_refused_with_its_path(policy, tmp_path):
    """A template saved in another encoding is named, with how to save it as UTF-8."""
    (tmp_path / "written_warning.txt").write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(InvalidInput) as caught:
        render_letter("written_warning", _facts(policy), template_dir=tmp_path)
    assert f"{tmp_path / 'written_warning.txt'}: not UTF-8 text" == caught.value.message.split(";")[0]


def test_an_unknown_kind_is_a_usage_error_listing_the_kinds(policy):
    """A kind hesket does not know is wrong usage (exit 2), with the list of kinds."""
    with pytest.raises(UsageError) as caught:
        render_letter("apology", _facts(policy))
    assert f"unknown letter kind 'apology'; known: {', '.join(KINDS)}" == caught.value.message


def test_each_letter_belongs_to_a_step_of_the_shipped_policy(policy):
    """Every kind of letter is called for by one step of the shipped policy (its data), so it can be offered."""
    assert ({kind: kind for kind in KINDS}, set(KINDS)) == (
        {kind: kind for kind in KINDS if policy.letter_step(kind) is not None}, set(policy.letters))


def test_a_control_character_in_the_post_is_shown_not_lost_in_word(policy):
    """A character Word cannot hold (a vertical tab pasted in) is shown as [U+000B] rather than breaking the file."""
    text = _docx_text(letter_docx(render_letter("written_warning", _facts(policy, exact_words="a\x0bb?"))))
    assert True is ("a[U+000B]b?" in text)


def test_the_word_file_is_a4_and_names_the_school_not_the_software(policy):
    """Page size is A4 and the document's author is the school."""
    document = docx.Document(io.BytesIO(letter_docx(render_letter("written_warning", _facts(policy)))))
    section = document.sections[0]
    assert (210, 297, policy.header.school) == (
        round(section.page_width.mm), round(section.page_height.mm), document.core_properties.author)


def test_libreoffice_renders_the_letter_to_a_pdf_that_shows_its_text(policy, tmp_path):
    """The .docx converts headless to PDF in LibreOffice, and the PDF's text has the school and the letter's words."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer to run this test")
    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx(render_letter("written_warning", _facts(policy))))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=True)
    pdf = (tmp_path / "letter.pdf").read_bytes()
    assert b"%PDF" == pdf[:4]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; the PDF was made but its text is not checked")
    shown = subprocess.run(["pdftotext", str(tmp_path / "letter.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert (True, True) == (policy.header.school in shown, "RE: Your post on Facebook" in shown)


def test_importing_letters_does_not_load_python_docx():
    """Word support loads only when a .docx is written, so every other command starts as fast as before."""
    code = "import sys, hesket_cli.letters; print('docx' in sys.modules, 'lxml' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False False" == result.stdout.strip()


def test_every_placeholder_is_documented_in_the_module_docstring(policy):
    """The template language's documentation lists every placeholder a template may use, and no other."""
    from hesket_cli import letters

    values = letters._text_values(_facts(policy))
    documented = set(re.findall(r"^  \{(\w+)\}", letters.__doc__ or "", re.MULTILINE))
    assert (set(values) | set(BLOCK_NAMES), set(BLOCK_NAMES)) == (documented, set(letters._BLOCK_VALUES))


ANOTHER_SCHOOLS_WORDS = "a private conversation with the Principal or a Trustee, or the Trust's complaints procedure"


def test_no_shipped_template_holds_a_schools_own_roles_or_complaints_wording():
    """Who a school's people are and how it hears concerns come from its policy, never from hesket's templates."""
    words = ("headteacher", "governing body", "governor", "principal", "trustee", "high hesket", "formal complaints")
    found = {path.name: [w for w in words if w in path.read_text(encoding="utf-8").lower()]
             for path in TEMPLATES.glob("*.txt")}
    assert {} == {name: hits for name, hits in found.items() if hits}


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "legal_advice_brief"])
def test_each_letter_to_a_parent_gives_the_policys_own_words_for_raising_a_concern(policy, kind):
    """Another school's words, from its policy, are what the letter offers; High Hesket's roles appear nowhere."""
    text = " ".join(letter_text(render_letter(kind, _facts(policy, kind, raise_concerns=ANOTHER_SCHOOLS_WORDS)))
                    .split())
    assert (True, False) == (f"the best way to raise them is {ANOTHER_SCHOOLS_WORDS}" in text, "Governing Body" in text)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "legal_advice_brief"])
def test_without_the_policys_words_a_letter_uses_neutral_ones(policy, kind):
    """A policy with no [raise_concerns]: neutral words that name no one's role."""
    text = " ".join(letter_text(render_letter(kind, _facts(policy, kind, raise_concerns=None))).split())
    assert (True, False) == (f"the best way to raise them is {RAISE_CONCERNS}" in text, "Governing Body" in text)
