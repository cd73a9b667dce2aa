"""hesket letter: each sentence is true for the case it is drafted from, and for any school's policy."""

from __future__ import annotations

from pathlib import Path

from test_cli_letter import _case, _docx_text, _ok


def test_the_access_restricted_letter_gives_the_date_the_restriction_was_recorded_as_happening(run, tmp_path,
                                                                                                   monkeypatch):
    """Recorded with --on 2026-11-22, the letter says access was restricted from 22 November, not from today."""
    monkeypatch.chdir(tmp_path)
    case_id = _case(run, tmp_path, platform="school_forum")
    _ok(run("case", "record", case_id, "restrict_access", "--on", "2026-11-22"))
    _ok(run("letter", case_id, "access_restricted"))
    text = _docx_text(Path(f"{case_id}-access_restricted.docx"))
    assert "to the school's own online forum from 22 November 2026." in text


def test_the_access_restricted_letter_drafted_before_the_step_leaves_its_date_to_fill_in(run, tmp_path):
    """Drafted before the restriction is recorded, the letter has a marked placeholder for its date, not today's."""
    case_id = _case(run, tmp_path, platform="school_forum")
    result = run("letter", case_id, "access_restricted", "--text")
    _ok(result)
    assert "to the school's own online forum from [the date the step was taken]." in " ".join(result.stdout.split())
