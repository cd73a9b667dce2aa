"""A file a person names for a command to write is never put over one already there: letter, bundle, draft, page."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, snapshot

# Each command that writes a file a person names, with that file's name, as the option that names it.
WRITERS = {
    "letter --out": ("warning.docx", lambda case_id, target: ("letter", case_id, "written_warning", "--out", target)),
    "case export --bundle": ("bundle.zip", lambda case_id, target: ("case", "export", case_id, "--bundle", target,
                                                                    "--no-pdf")),
    "subject-access --out (HTML)": ("sar.html", lambda case_id, target: ("subject-access", "--case", case_id,
                                                                         "--out", target)),
    "subject-access --out (Word)": ("sar.docx", lambda case_id, target: ("subject-access", "--poster", "A.B.",
                                                                         "--out", target)),
    "review --summary --html": ("summary.html", lambda case_id, target: ("review", "--summary", "--html", target)),
}


def _case(run) -> str:
    """A case whose next step is the written warning (discussed, refused)."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    case_id = json.loads(result.stdout)["id"]
    for args in (("discuss_and_request_removal", "--on", "2026-11-20"), ("refused", "--on", "2026-11-23")):
        assert 0 == run("case", "record", case_id, *args, "--by", "Mrs A Example").exit_code
    return case_id


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_an_existing_file_is_refused_with_one_error_line_and_left_as_it_was(run, tmp_path, writer):
    """Over a file already there: exit 3, one `Error:` line naming it and what to do, nothing written anywhere."""
    name, command = WRITERS[writer]
    case_id = _case(run)
    target = tmp_path / name
    target.write_bytes(b"what was there: perhaps edited, signed or sent")
    option = writer.split(" (")[0].split()[-1]
    before = snapshot(tmp_path)
    result = run(*command(case_id, target))
    assert (3, 1, True, True, before) == (
        result.exit_code, len(result.stderr.splitlines()), result.stderr.startswith(
            f"Error: {option}: {target} already exists"),
        "; give another name or move it away; nothing was written" in result.stderr, snapshot(tmp_path))


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_new_file_is_written(run, tmp_path, writer):
    """Where nothing is yet, each command writes its file (exit 0)."""
    name, command = WRITERS[writer]
    case_id = _case(run)
    target = tmp_path / name
    result = run(*command(case_id, target))
    assert (0, True) == (result.exit_code, target.is_file()), result.stderr


def test_a_link_where_the_file_would_go_is_refused_too(run, tmp_path):
    """A link (even one to nowhere) where the bundle would go is refused: what it points at is never written."""
    case_id = _case(run)
    target = tmp_path / "bundle.zip"
    target.symlink_to(tmp_path / "elsewhere.zip")
    result = run("case", "export", case_id, "--bundle", target, "--no-pdf")
    assert (3, False) == (result.exit_code, (tmp_path / "elsewhere.zip").exists())

