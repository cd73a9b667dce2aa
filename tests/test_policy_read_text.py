"""A school's published policy is read as plain text from .txt, .docx or .html, bounded and refusing odd files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hesket_cli import policy_read_text
from hesket_cli.errors import InvalidInput
from hesket_cli.policy_read_text import html_text, read_policy_text


def test_utf8_text_is_read_with_its_byte_order_mark_dropped(tmp_path: Path) -> None:
    """Notepad's UTF-8 with a BOM reads the same as without; line endings become \\n."""
    path = tmp_path / "policy.txt"
    path.write_bytes("\ufeffThe School’s policy\r\n\r\n\r\n- Posting racist comments\r\n".encode())
    assert "The School’s policy\n\n- Posting racist comments\n" == read_policy_text(path)


def test_windows_1252_text_falls_back_when_not_utf8(tmp_path: Path) -> None:
    """An older office PC's ’ (0x92 in Windows-1252) is read as ’."""
    path = tmp_path / "policy.txt"
    path.write_bytes("The School’s policy – café".encode("cp1252"))
    assert "The School’s policy – café\n" == read_policy_text(path)


def test_a_pdf_is_refused_with_what_to_save_instead(tmp_path: Path) -> None:
    """PDF text is not read: the message says which forms to save."""
    path = tmp_path / "policy.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InvalidInput) as caught:
        read_policy_text(path)
    assert f"{path}: cannot read .pdf (save it from Word or your browser as .docx, .html or .txt); give the policy " \
           "as .txt, .docx or .html" == caught.value.message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    """No such file: one message naming it."""
    with pytest.raises(InvalidInput, match="no such file"):
        read_policy_text(tmp_path / "absent.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A named pipe would block a read for ever: refused as not a regular file."""
    path = tmp_path / "policy.txt"
    os.mkfifo(path)
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_policy_text(path)


def test_a_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stops just past the limit: a policy is never megabytes of text."""
    monkeypatch.setattr(policy_read_text, "MAX_BYTES", 10)
    path = tmp_path / "policy.txt"
    path.write_text("x" * 11, encoding="utf-8")
    with pytest.raises(InvalidInput, match="too large for a policy"):
        read_policy_text(path)


def test_a_damaged_docx_is_refused_with_the_fix(tmp_path: Path) -> None:
    """Not a zip at all: an InvalidInput, never a traceback."""
    path = tmp_path / "policy.docx"
    path.write_bytes(b"not a word document")
    with pytest.raises(InvalidInput, match="not a Word .docx file"):
        read_policy_text(path)


def test_docx_paragraphs_lists_and_table_cells_come_in_reading_order(tmp_path: Path) -> None:
    """Paragraphs, then each table cell once (a merged cell too), then what follows; list items start "- "."""
    docx = pytest.importorskip("docx", reason="python-docx reads .docx")
    document = docx.Document()
    document.add_paragraph("Policy on parental use of social networking")
    document.add_paragraph("Posting racist comments", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Adopted"
    table.cell(0, 1).text = "May 2018"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Signed by the Chair of Governors"
    document.add_paragraph("The School’s concerns – in writing")
    path = tmp_path / "policy.docx"
    document.save(str(path))
    expected = ("Policy on parental use of social networking\n- Posting racist comments\nAdopted\nMay 2018\n"
                "Signed by the Chair of Governors\n\nThe School’s concerns – in writing\n")
    assert expected == read_policy_text(path)


def test_html_keeps_visible_text_with_blocks_on_their_own_lines() -> None:
    """Scripts, styles and the title are skipped; entities decoded; list items become "- " lines."""
    page = ("<html><head><title>Home</title><style>p {}</style></head><body><h1>Social media</h1>"
            "<p>The School&rsquo;s   list:<br>see below</p><ul><li>Posting racist comments;</li>"
            "<li><p>Making complaints</p></li></ul><script>var a = 1;</script><div>End</div></body></html>")
    expected = ("Social media\n\nThe School’s list:\nsee below\n\n- Posting racist comments;\n\n- Making complaints\n\n"
                "End\n")
    assert expected == html_text(page)
