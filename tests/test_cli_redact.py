"""hesket case redact and capture --redact: children's names kept out of letters and report packs, never the case."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import docx
import pytest

from hesket_cli.redaction import MARKER

from conftest import EXAMPLES, snapshot

URL = "https://www.facebook.com/groups/example/posts/1"
EXACT = "Keep your kids away from Tommy Smith and Ellie Jones in 2B.\nTommy's mum knows (ask her)."
REDACTED = f"Keep your kids away from {MARKER} and {MARKER} in 2B.\n{MARKER}'s mum knows (ask her)."
NAMES = ("Tommy Smith", "Ellie Jones", "Tommy")


def _ok(result) -> None:
    assert 0 == result.exit_code, result.stderr


def _case(run, tmp_path: Path, *redact: str, escalated: bool = False) -> str:
    """A defamatory post whose captured words name two children; each name in `redact` given at capture."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json")
    _ok(result)
    case_id = json.loads(result.stdout)["id"]
    _ok(run("case", "capture", case_id, "--url", URL, "--account", "Pat Example", "--text", EXACT,
            *(part for name in redact for part in ("--redact", name))))
    if escalated:
        _ok(run("case", "record", case_id, "discuss_and_request_removal", "--on", "2026-11-20"))
        _ok(run("case", "record", case_id, "refused", "--on", "2026-11-21"))
    return case_id


def _events(run, case_id: str) -> list[dict]:
    return json.loads(run("case", "show", case_id, "--json").stdout)["events"]


def _warning(case_id: str, what: str) -> str:
    return (f"Warning: the {what} quotes the post's words exactly as captured, and no name is recorded to be left "
            "out of them; letters and report packs must never name a child: record each child's name in the post "
            f"with: hesket case redact {case_id} NAME")


def test_names_given_at_capture_are_kept_on_the_capture_and_the_words_stay_as_posted(run, tmp_path):
    """--redact records each name on the capture event; the capture's text is the post's exact words."""
    case_id = _case(run, tmp_path, "Tommy Smith", "Ellie Jones")
    event = _events(run, case_id)[-1]
    assert ("capture", ["Tommy Smith", "Ellie Jones"], EXACT) == (event["event"], event["redact"],
                                                                  event["capture"]["text"])


def test_case_redact_adds_one_sealed_event_and_the_case_still_verifies(run, cases_dir, tmp_path):
    """`case redact` is one event in the history, sealed like every other: verify finds nothing wrong."""
    case_id = _case(run, tmp_path)
    result = run("case", "redact", case_id, "Tommy Smith", "Ellie Jones", "--by", "Mrs A Example")
    _ok(result)
    event = _events(run, case_id)[-1]
    assert ("redact", "Mrs A Example", ["Tommy Smith", "Ellie Jones"], True) == (
        event["event"], event["by"], event["redact"], bool(event["chain"]))
    assert (0, 4) == (run("case", "verify", case_id).exit_code,
                      tomllib.loads((cases_dir / case_id / "case.toml").read_text(encoding="utf-8"))["schema"])


def test_a_name_changed_in_the_case_file_by_hand_shows_in_verify(run, cases_dir, tmp_path):
    """The names are covered by the chain: taking one out of the file by hand is reported (exit 3)."""
    case_id = _case(run, tmp_path)
    _ok(run("case", "redact", case_id, "Tommy Smith", "Ellie Jones"))
    path = cases_dir / case_id / "case.toml"
    text = path.read_text(encoding="utf-8")
    assert '    "Tommy Smith",\n' in text
    path.write_text(text.replace('    "Tommy Smith",\n', ""), encoding="utf-8")
    assert 3 == run("case", "verify", case_id).exit_code


def test_case_show_lists_the_names_under_the_event_and_the_words_as_captured(run, tmp_path):
    """The history shows the capture as it is, with the names kept out listed under each event that recorded them."""
    case_id = _case(run, tmp_path, "Tommy Smith")
    _ok(run("case", "redact", case_id, "Ellie Jones"))
    result = run("case", "show", case_id, env={"COLUMNS": "1000"})
    _ok(result)
    history = result.stdout.split("History", 1)[1]
    assert (True, True, True, True) == (
        "Keep your kids away from Tommy Smith and Ellie Jones in 2B." in history,
        "Kept out of letters and report packs: \u201cTommy Smith\u201d" in history,
        "names kept out of letters and report packs" in history,
        "Kept out of letters and report packs: \u201cEllie Jones\u201d" in history)


def test_the_word_letter_leaves_out_each_name_and_quotes_the_rest_exactly(run, tmp_path, monkeypatch):
    """Opened with python-docx, the letter has no recorded name and every other word of the post, in order."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path, "Tommy Smith", escalated=True)
    _ok(run("case", "redact", case_id, "Ellie Jones", "Tommy"))
    result = run("letter", case_id, "written_warning")
    _ok(result)
    document = docx.Document(io.BytesIO((tmp_path / f"{case_id}-written_warning.docx").read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (False, False, False, True) == ("Tommy" in text, "Ellie" in text, "Jones" in text, REDACTED in text)
    assert "" == result.stderr.replace(f"Drafted written warning for case {case_id}: {case_id}-written_warning.docx",
                                       "").strip()


def test_a_text_letter_without_recorded_names_warns_once_on_stderr_and_still_drafts(run, tmp_path):
    """No name recorded: the letter quotes the words as captured, and one Warning: line, outside it, says what to do."""
    case_id = _case(run, tmp_path, escalated=True)
    result = run("letter", case_id, "written_warning", "--text")
    _ok(result)
    assert ([_warning(case_id, "letter")], True, False) == (
        result.stderr.splitlines(), "    Keep your kids away from Tommy Smith and Ellie Jones in 2B." in result.stdout,
        "Warning" in result.stdout)


def test_a_letter_without_captured_words_gives_no_warning(run, tmp_path):
    """Nothing quoted, nothing to warn about: a capture with only an address drafts quietly."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json")
    case_id = json.loads(result.stdout)["id"]
    _ok(run("case", "capture", case_id, "--url", URL))
    result = run("letter", case_id, "discussion_invitation", "--text")
    _ok(result)
    assert "" == result.stderr


def test_the_legal_brief_leaves_the_names_out_of_the_summary_and_notes_too(run, tmp_path):
    """--with-summary and --with-notes bring staff words into the brief: the recorded names stay out of them."""
    case_id = _case(run, tmp_path, escalated=True)
    _ok(run("case", "note", case_id, "Ellie Jones's dad phoned"))
    _ok(run("case", "redact", case_id, *NAMES))
    _ok(run("case", "record", case_id, "written_warning"))
    result = run("letter", case_id, "legal_advice_brief", "--text", "--with-notes")
    _ok(result)
    assert (False, True) == ("Ellie" in result.stdout, f"{MARKER}'s dad phoned" in result.stdout)


def test_the_report_pack_pastes_the_words_without_the_names_and_keeps_its_advice(run, tmp_path):
    """"To paste into the form" holds the redacted words; the advice to leave names out stays; no warning."""
    case_id = _case(run, tmp_path, *NAMES)
    result = run("report", case_id)
    _ok(result)
    paste = result.stdout.split("To paste into the form:\n", 1)[1].split("\n\nBefore you send", 1)[0]
    assert (f"  This report is about a post on Facebook at {URL}, posted by the account Pat Example. Its exact words "
            f"are:\n  \n  {REDACTED.splitlines()[0]}\n  {REDACTED.splitlines()[1]}", "") == (paste, result.stderr)
    assert (True, True, False) == (
        "leave out children's names and anything else that identifies a child" in result.stdout,
        f"shown as {MARKER} (3 times)" in result.stdout, "Ellie" in result.stdout)


def test_the_json_report_carries_the_redacted_words_and_the_counts(run, tmp_path):
    """--json: the summary's text without the names, and `redactions` with how many were recorded and taken out."""
    case_id = _case(run, tmp_path, *NAMES)
    doc = json.loads(run("report", case_id, "--json").stdout)
    assert (True, {"recorded": 3, "removed": 3, "marker": MARKER}) == (
        doc["summary"]["text"].endswith(REDACTED), doc["redactions"])


def test_a_report_without_recorded_names_warns_once_and_counts_none(run, tmp_path):
    """No name recorded: the pack is printed, with one Warning: line on stderr; --json counts nothing removed."""
    case_id = _case(run, tmp_path)
    result = run("report", case_id, "--json")
    _ok(result)
    assert ([_warning(case_id, "report pack")], {"recorded": 0, "removed": 0, "marker": MARKER}) == (
        result.stderr.splitlines(), json.loads(result.stdout)["redactions"])


def test_a_name_recorded_already_writes_nothing(run, cases_dir, tmp_path):
    """Names recorded already (in any case or spacing) are not repeated; when none is new, nothing is written."""
    case_id = _case(run, tmp_path, "Tommy Smith")
    before = snapshot(cases_dir / case_id)
    result = run("case", "redact", case_id, "tommy  SMITH")
    _ok(result)
    assert (True, before) == (result.stdout.startswith(f"The name was recorded already for case {case_id}; "
                                                       "nothing was written."), snapshot(cases_dir / case_id))


def test_a_name_no_capture_holds_is_kept_with_a_note_to_check_its_spelling(run, tmp_path):
    """A likely typo is not refused (a later capture may hold it), but a note says it is not in the words."""
    case_id = _case(run, tmp_path)
    result = run("case", "redact", case_id, "Tomy Smith", "Ellie Jones")
    _ok(result)
    assert ([f"Note: \u201cTomy Smith\u201d is not in the words of any capture of case {case_id}; check the spelling "
             f"against the post (hesket case show {case_id}). Kept all the same, for a later capture."],
            ["Tomy Smith", "Ellie Jones"]) == (result.stderr.splitlines(), _events(run, case_id)[-1]["redact"])


def test_a_closed_case_accepts_names_and_a_void_one_refuses_them(run, cases_dir, tmp_path):
    """A copy of a letter may be drafted on a closed case, so it takes names; a void case takes nothing (exit 5)."""
    closed, void = _case(run, tmp_path), _case(run, tmp_path)
    _ok(run("case", "record", closed, "close_case", "--reason", "Post removed"))
    _ok(run("case", "void", void, "--reason", "Triaged twice by mistake"))
    before = snapshot(cases_dir / void)
    refused = run("case", "redact", void, "Tommy Smith")
    assert (0, 5, before) == (run("case", "redact", closed, "Tommy Smith").exit_code, refused.exit_code,
                              snapshot(cases_dir / void))
    assert refused.stderr.startswith(f"Error: redact is not permitted for case {void}: the case was voided")


@pytest.mark.parametrize(("args", "code", "start"), [
    (("", ), 3, "Error: NAME: the name is blank;"),
    (("Tommy\nSmith",), 3, "Error: NAME: the name has a line break;"),
    (("Tommy", "..."), 3, "Error: NAME: the 2nd name has no letter or digit"),
    ((), 2, "Error: Missing argument 'NAME...'"),
])
def test_a_bad_name_is_one_error_line_and_changes_nothing(run, cases_dir, tmp_path, args, code, start):
    """A blank name, one with a line break, one of punctuation only, or none: one Error: line, nothing written."""
    case_id = _case(run, tmp_path)
    before = snapshot(cases_dir)
    result = run("case", "redact", case_id, *args)
    assert (code, True, 1, before) == (result.exit_code, result.stderr.startswith(start),
                                       len([line for line in result.stderr.splitlines() if line.startswith("Error:")]),
                                       snapshot(cases_dir))


def test_a_bad_case_id_is_one_error_line_and_changes_nothing(run, cases_dir, tmp_path):
    """An id like ../x is refused (exit 3) before anything is read or written."""
    _case(run, tmp_path)
    before = snapshot(cases_dir)
    result = run("case", "redact", "../x", "Tommy Smith")
    assert (3, ["Error: '../x' is not a case id; case ids look like 2026-0042 (see `hesket case list`)"], before) == (
        result.exit_code, result.stderr.splitlines(), snapshot(cases_dir))


def test_a_bad_name_at_capture_writes_no_capture(run, cases_dir, tmp_path):
    """capture --redact with a name that has a line break: exit 3, the capture is not recorded at all."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json")
    case_id = json.loads(result.stdout)["id"]
    before = snapshot(cases_dir)
    result = run("case", "capture", case_id, "--url", URL, "--text", EXACT, "--redact", "Tommy", "--redact",
                 "Ellie\nJones")
    assert (3, ["Error: --redact: the 2nd name has a line break; give each name on one line, as it is written in the "
                "post, e.g. \"Tommy Smith\"; nothing was written"], before) == (
        result.exit_code, result.stderr.splitlines(), snapshot(cases_dir))
