"""policy_read_text.py: reads a school's published policy (.txt, .docx, .html) as plain text, in reading order.

Schools publish their policy as a Word document or a web page, and a school
office saves whatever it has, so `policy import` takes all three forms and
gives back the same thing: lines of text in the order a person reads them,
list items as lines starting "- ", so quotes can be taken from it word for
word. A .docx is read with python-docx (imported only when one is read); HTML
with the standard library's html.parser, keeping visible text only.

The file comes from outside, so reading is bounded (5 MB, and the parts of a
.docx 50 MB unpacked) and refuses anything but a regular file: a FIFO or a
device would block or never end. This module never writes and never uses the
network; every failure is an InvalidInput naming the file and what to do.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
_HIDDEN = {"script", "style", "noscript", "template", "title", "svg", "iframe", "object"}


def read_policy_text(path: str | os.PathLike[str]) -> str:
    """The text of a published policy file, by its suffix: .txt (UTF-8 or Windows-1252), .docx or .html."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx"):
        hint = " (save it from Word or your browser as .docx, .html or .txt)" if suffix in (".pdf", ".doc") else ""
        raise InvalidInput(f"{path}: cannot read {suffix or 'a file without a suffix'}{hint}; "
                           "give the policy as .txt, .docx or .html")
    data = _read_bounded(path)
    if suffix == ".docx":
        return docx_text(data, display=str(path))
    text = decode_text(data, display=str(path))
    return html_text(text) if suffix in HTML_SUFFIXES else normalise(text)


def _read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing a missing, special or oversized file."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file; check the path of the school's policy") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot open the policy file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InvalidInput(f"{path}: not a regular file; give the saved policy document itself")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB, too large for a policy; "
                           "save the policy's text alone as .txt")
    return data


def decode_text(data: bytes, *, display: str = "the policy") -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput(f"{display}: marked as UTF-16 but not readable as it; save it as UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput(f"{display}: neither UTF-8 nor Windows-1252 text; save it as UTF-8 text") from None


def normalise(text: str) -> str:
    """Line endings made \\n, trailing spaces dropped, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


# -- .docx --------------------------------------------------------------------


def docx_text(data: bytes, *, display: str = "the policy") -> str:
    """A Word document's paragraphs and table cells in reading order; list paragraphs start "- "."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InvalidInput(f"{display}: not a Word .docx file (an old .doc must be saved again as .docx)") from None
    if unpacked > MAX_UNPACKED:
        raise InvalidInput(f"{display}: unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB, too large for a "
                           "policy; save its text alone as .txt")
    try:
        import docx  # only needed for .docx; python-docx is a dependency of hesket
    except ImportError:
        raise InvalidInput(f"{display}: reading .docx needs python-docx (pip install python-docx), "
                           "or save the policy as .txt") from None
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_blocks(document, lines, {})
    except (PackageNotFoundError, ValueError, KeyError, OSError, SyntaxError, AttributeError, TypeError,
            zipfile.BadZipFile) as exc:
        # python-docx raises these (its PackageNotFoundError is an Exception; lxml's parse errors SyntaxErrors)
        raise InvalidInput(f"{display}: cannot read this .docx ({type(exc).__name__}); open and save it again in "
                           "Word, or save it as .txt") from None
    return normalise("\n".join(lines))


def _docx_blocks(container: Any, lines: list[str], seen: dict[int, Any]) -> None:
    """Append the text of every paragraph and table of `container` (the body or a cell), in order."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats across the cells it spans
                        continue
                    seen[id(cell._tc)] = cell._tc  # held, so no other element can reuse its id
                    _docx_blocks(cell, lines, seen)
            lines.append("")
        else:
            lines.append(_docx_paragraph(block))


def _docx_paragraph(paragraph: Any) -> str:
    text = " ".join(paragraph.text.split("\n")).strip()
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    properties = paragraph._p.pPr
    listed = style.lower().startswith("list") or (properties is not None and properties.numPr is not None)
    return f"- {text}" if listed and text else text


# -- HTML -----------------------------------------------------------------------


class _Visible(HTMLParser):
    """Collects the visible text of a page, a line per block element, list items as "- " lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0

    def _break(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = " ".join(text.split())
        if text == "-":  # a list item's marker waits for the item's first paragraph
            return
        if text.strip():
            self.lines.append(text)
        elif self.lines and self.lines[-1]:
            self.lines.append("")
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS and not self.hidden:
            self._break()
            if tag == "li":
                self.current.append("- ")
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.hidden:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS and not self.hidden:
            self._break()
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def html_text(page: str) -> str:
    """A web page's visible text: no script or style, block elements on their own lines."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    parser._break()
    return normalise("\n".join(parser.lines))
