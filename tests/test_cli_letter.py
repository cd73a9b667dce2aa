"""hesket letter: a letter drafted from a case, offered only when its step is, quoting the captured post exactly."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES, snapshot

EXACT = "Ask yourselves where the school fund money went?\nThe head knows!"
CHILD = "Jamie Plantedchild"
NOTE = "Staff note: the parent's neighbour phoned"
LETTER_STEPS = {"discussion_invitation": "discuss_and_request_removal", "discussion_record":
                "discuss_and_request_removal", "written_warning": "written_warning",
                "access_restricted": "restrict_access", "legal_advice_brief": "legal_advice"}


def _ok(result) -> None:
    assert 0 == result.exit_code, result.stderr


def _case(run, tmp_path: Path, *, platform: str = "facebook", escalated: bool = True, capture: bool = True) -> str:
    """A defamatory post (staff summary naming a child), captured, discussed and refused if `escalated`."""
    answers = (EXAMPLES / "defamatory-post.toml").read_text(encoding="utf-8")
    answers = answers.replace('platform = "facebook"', f'platform = "{platform}"')
    answers = answers.replace('summary = "A parent', f'summary = "{CHILD} was mentioned. A parent')
    path = tmp_path / "answers.toml"
    path.write_text(answers, encoding="utf-8")
    result = run("triage", "--answers", path, "--json")
    _ok(result)
    case_id = json.loads(result.stdout)["id"]
    if capture:
        _ok(run("case", "capture", case_id, "--url", "https://www.facebook.com/groups/example/posts/1",
                "--account", "Pat Example", "--posted-at", "2026-11-18T21:04", "--text", EXACT))
    _ok(run("case", "note", case_id, f"{NOTE} about {CHILD}"))
    if escalated:
        _ok(run("case", "record", case_id, "discuss_and_request_removal", "--on", "2026-11-20"))
        _ok(run("case", "record", case_id, "refused", "--on", "2026-11-21"))
    return case_id


def _docx_text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("kind", list(LETTER_STEPS))
def test_each_letter_opens_in_word_with_the_school_the_policy_words_and_the_exact_post(run, policy, tmp_path,
                                                                                          monkeypatch, kind):
    """Each letter is a .docx python-docx opens, with the school's name, its step's own words and the captured post."""
    monkeypatch.chdir(tmp_path)
    platform = "school_forum" if kind == "access_restricted" else "facebook"
    case_id = _case(run, tmp_path, platform=platform, escalated=kind not in ("discussion_invitation",
                                                                              "discussion_record"))
    result = run("letter", case_id, kind)
    _ok(result)
    text = _docx_text(tmp_path / f"{case_id}-{kind}.docx")
    assert (True, True, True) == (policy.header.school in text, policy.step(LETTER_STEPS[kind]).policy_text in text,
                                  EXACT in text)
    assert (False, False) == (CHILD in text, NOTE in text)


def test_a_letter_for_a_step_not_yet_permitted_is_refused_in_the_policys_words(run, tmp_path, monkeypatch):
    """Before the discussion, a written warning is refused (exit 5), naming the step's words and what is offered."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path, escalated=False)
    before = snapshot(tmp_path)
    result = run("letter", case_id, "written_warning")
    assert (5, "") == (result.exit_code, result.stdout)
    assert (f"Error: the letter written_warning is not permitted yet for case {case_id}: it belongs to the step "
            "written_warning (\u201cSet out the school's concerns to the parent in writing, giving them a warning and "
            "requesting that the material in question is removed\u201d), and the policy begins with its first step: "
            "Discuss the matter with the parent and ask for the post to be removed. Letters offered now: "
            "discussion_invitation, discussion_record.") == result.stderr.strip()
    assert before == snapshot(tmp_path)


def test_a_letter_for_a_step_already_taken_is_offered_on_a_closed_case(run, tmp_path, monkeypatch):
    """A copy of a warning already sent can be drafted after the case closed; its step was taken."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path)
    _ok(run("case", "record", case_id, "written_warning"))
    _ok(run("case", "record", case_id, "close_case", "--reason", "Parent moved away"))
    result = run("letter", case_id, "written_warning", "--text")
    _ok(result)
    assert "This letter is therefore a written warning." in result.stdout


def test_a_letter_the_policy_does_not_call_for_is_wrong_usage_with_the_list(run, tmp_path):
    """An unknown kind exits 2 naming the letters the policy's steps call for."""
    case_id = _case(run, tmp_path, escalated=False)
    result = run("letter", case_id, "apology")
    assert (2, "Error: unknown letter 'apology'; letters the policy calls for: discussion_invitation, "
               "discussion_record, written_warning, access_restricted, legal_advice_brief") == (
        result.exit_code, result.stderr.strip())


def test_the_text_letter_quotes_the_captured_words_never_the_summary(run, tmp_path):
    """--text prints the letter: the post quoted line by line as captured; the summary and notes stay out."""
    case_id = _case(run, tmp_path)
    result = run("letter", case_id, "written_warning", "--text", "--to", "Mr P Example")
    _ok(result)
    lines = result.stdout.splitlines()
    assert ["    Ask yourselves where the school fund money went?", "    The head knows!"] == \
        lines[lines.index("    Ask yourselves where the school fund money went?"):][:2]
    assert (True, False, False) == ("Dear Mr P Example," in lines, CHILD in result.stdout, "school fund for" in
                                    result.stdout)


def test_without_a_capture_the_letter_says_no_words_were_captured(run, tmp_path):
    """No capture: a placeholder stands where the post would be, and the staff summary is never used instead."""
    case_id = _case(run, tmp_path, capture=False)
    result = run("letter", case_id, "written_warning", "--text")
    _ok(result)
    assert (True, False) == ("[No exact words were captured for this post." in result.stdout,
                             "taking money from the school fund" in result.stdout)


def test_the_legal_brief_shows_the_summary_and_notes_only_when_asked(run, tmp_path):
    """--with-summary and --with-notes add the staff's own words to the brief; without them neither appears."""
    case_id = _case(run, tmp_path)
    plain = run("letter", case_id, "legal_advice_brief", "--text")
    asked = run("letter", case_id, "legal_advice_brief", "--text", "--with-summary", "--with-notes")
    assert (False, False, True, True) == (CHILD in plain.stdout, NOTE in plain.stdout, CHILD in asked.stdout,
                                          NOTE in asked.stdout)


def test_keep_stores_the_letter_as_drafted_as_evidence_with_its_hash(run, cases_dir, tmp_path, monkeypatch):
    """--keep copies the very bytes written into the case's evidence, recorded with their SHA-256."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path)
    result = run("letter", case_id, "written_warning", "--out", "warning.docx", "--keep")
    _ok(result)
    data = (tmp_path / "warning.docx").read_bytes()
    event = json.loads(run("case", "show", case_id, "--json").stdout)["events"][-1]
    assert ("evidence", f"{case_id}-written_warning.docx", hashlib.sha256(data).hexdigest()) == (
        event["event"], event["attachment"]["name"], event["attachment"]["sha256"])
    assert data == (cases_dir / case_id / "evidence" / event["attachment"]["file"]).read_bytes()


def test_keep_on_a_closed_case_is_refused_and_writes_no_letter(run, tmp_path, monkeypatch):
    """A closed case takes no evidence: --keep is refused before the letter is written."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path)
    _ok(run("case", "record", case_id, "written_warning"))
    _ok(run("case", "record", case_id, "close_case", "--reason", "Parent moved away"))
    before = snapshot(tmp_path)
    result = run("letter", case_id, "written_warning", "--keep")
    assert (5, True) == (result.exit_code, result.stderr.startswith("Error: --keep: "))
    assert before == snapshot(tmp_path)


@pytest.mark.parametrize("where", ["no-such-folder/letter.docx", "taken.docx", "letter.pdf"])
def test_out_to_a_place_it_cannot_write_changes_nothing(run, tmp_path, monkeypatch, where):
    """A missing folder or an existing file is exit 3, a name that is not .docx exit 2; nothing is written."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path)
    (tmp_path / "taken.docx").write_bytes(b"a letter the head already edited")
    before = snapshot(tmp_path)
    result = run("letter", case_id, "written_warning", "--out", where, "--keep")
    assert (3 if where.endswith(".docx") else 2, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert before == snapshot(tmp_path)


# -- in a school's workspace ------------------------------------------------------------------------


@pytest.fixture
def school(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with the school's address and signatory set, in use through HESKET_WORKSPACE."""
    root = tmp_path / "ws"
    _ok(run("init", root))
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[letters]\naddress = "1 Example Lane\\nHigh Hesket CA4 0XX"\n'
                       'signatory = "Mrs A Example\\nHeadteacher"\n')
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    return root


def test_the_workspace_address_and_signatory_fill_the_letter(run, school, tmp_path):
    """The settings' address heads the letter and the signatory signs it; no placeholder is left for them."""
    result = run("letter", _case(run, tmp_path), "written_warning", "--text")
    _ok(result)
    assert (["High Hesket CE School", "1 Example Lane", "High Hesket CA4 0XX"], True, False) == (
        result.stdout.splitlines()[:3], "Mrs A Example\nHeadteacher" in result.stdout, "[school address]" in
        result.stdout)


def test_a_workspace_template_wins_over_hesket_s(run, school, tmp_path):
    """templates/KIND.txt in the workspace is used instead of hesket's, with the same placeholders."""
    (school / "templates").mkdir()
    (school / "templates" / "written_warning.txt").write_text("Our own words about {platform}.\n\n{signature}\n",
                                                               encoding="utf-8")
    result = run("letter", _case(run, tmp_path), "written_warning", "--text")
    _ok(result)
    assert "Our own words about Facebook." in result.stdout


def test_a_template_with_an_unknown_placeholder_is_exit_3_naming_file_line_and_placeholder(run, school, tmp_path,
                                                                                              monkeypatch):
    """A misspelt placeholder in the school's template: one Error line with the file, the line and the name."""
    monkeypatch.chdir(tmp_path)
    (school / "templates").mkdir()
    template = school / "templates" / "written_warning.txt"
    template.write_text("Dear {addressee},\n\nFrom {schol}.\n", encoding="utf-8")
    case_id = _case(run, tmp_path)
    before = snapshot(tmp_path / "ws" / "cases")
    result = run("letter", case_id, "written_warning")
    assert 3 == result.exit_code
    assert result.stderr.startswith(f"Error: {template}, line 3: unknown placeholder {{schol}}; known: ")
    assert (False, before) == ((tmp_path / f"{case_id}-written_warning.docx").exists(),
                               snapshot(tmp_path / "ws" / "cases"))


def test_the_legal_brief_lists_every_kept_file_with_its_whole_hash(run, tmp_path):
    """A captured screenshot and an attached file are both in the brief's evidence, each with its full SHA-256."""
    case_id = _case(run, tmp_path)
    shot, page = tmp_path / "shot.png", tmp_path / "page.pdf"
    shot.write_bytes(b"made-up screenshot")
    page.write_bytes(b"made-up saved page")
    _ok(run("case", "capture", case_id, "--url", "https://example.invalid/post/1", "--text", EXACT, shot))
    _ok(run("case", "attach", case_id, page))
    text = run("letter", case_id, "legal_advice_brief", "--text").stdout
    assert (True, True) == (f"shot.png (18 bytes), SHA-256 {hashlib.sha256(b'made-up screenshot').hexdigest()}" in text,
                            f"page.pdf (18 bytes), SHA-256 {hashlib.sha256(b'made-up saved page').hexdigest()}" in text)


def test_a_drafted_letter_renders_in_libreoffice_with_the_post_and_the_policys_words(run, policy, tmp_path,
                                                                                     monkeypatch):
    """The Word letter hesket letter saves converts headless to PDF, whose text has the school, the post and the step."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer to run this test")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; apt-get install poppler-utils to run this test")
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path)
    _ok(run("letter", case_id, "written_warning", "--out", "warning.docx"))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "warning.docx")],
                   capture_output=True, timeout=180, check=True)
    shown = " ".join(subprocess.run(["pdftotext", str(tmp_path / "warning.pdf"), "-"], capture_output=True,
                                    text=True, check=True).stdout.split())
    assert (True, True, True) == (policy.header.school in shown, " ".join(EXACT.split()) in shown,
                                  " ".join(policy.step("written_warning").policy_text.split()) in shown)


@pytest.mark.parametrize("to, problem", [("   ", "the name is blank"),
                                         ("Mr A\nDear Sir, pay £500", "the name has a line break")])
def test_a_blank_or_two_line_addressee_is_refused_and_nothing_written(run, tmp_path, monkeypatch, to, problem):
    """`--to` is one line in the address block and the greeting: blank, or with a line break, it is refused (exit 3)."""
    case_id = _case(run, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run("letter", case_id, "discussion_invitation", "--to", to)
    assert (3, f"Error: --to: {problem}") == (result.exit_code, result.stderr.split(";")[0])
    assert before == snapshot(tmp_path)
