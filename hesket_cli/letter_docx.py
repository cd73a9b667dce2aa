"""letter_docx.py: a drafted letter as a Word document (.docx), the format a head edits and signs.

Word is what school offices use, and python-docx writes it with no system
libraries (it runs on Windows office PCs as it is). python-docx is imported
inside `letter_docx` only, so commands that never write a letter do not pay
for loading it. This module only lays out what `letters.render_letter`
drafted: it never adds, drops or rewords anything, so the post stays quoted
exactly. It writes nothing to disk; the caller saves the bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .letters import Block, Letter

FONT = "Arial"
# Characters XML (and so Word) cannot hold. A post pasted from elsewhere may
# carry one; it is shown as [U+000B] rather than dropped, so nothing is lost.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def letter_docx(letter: Letter) -> bytes:
    """The letter as the bytes of a .docx file: A4, letterhead and date at the top, then its blocks."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(22))
    _styles(document)
    _letterhead(document, letter)
    for block in letter.blocks:
        _WRITERS[block.kind](document, block)
    _properties(document, letter)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


def _styles(document: Any) -> None:
    """One plain font everywhere, black headings, an indented italic quotation: a letter, not a report."""
    from docx.shared import Mm, Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Normal", "Heading 1", "Quote", "List Bullet"):
        _plain_font(document.styles[name])
    heading = document.styles["Heading 1"]
    heading.font.size = Pt(12)
    heading.font.bold, heading.font.italic = True, False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
    quote = document.styles["Quote"]
    quote.font.italic = True
    quote.font.color.rgb = RGBColor(0, 0, 0)
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Mm(12)


def _plain_font(style: Any) -> None:
    """Set the font outright: the default template's theme fonts would otherwise win over it in Word."""
    from docx.oxml.ns import qn

    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _letterhead(document: Any, letter: Letter) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head.paragraph_format.space_after = Pt(0)
    name = head.add_run(_safe(letter.school))
    name.bold, name.font.size = True, Pt(14)
    address = document.add_paragraph()
    address.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _lines(address, letter.address)
    document.add_paragraph(_safe(letter.dated))


def _lines(paragraph: Any, lines: tuple[str, ...], italic: bool = False) -> None:
    """Each line as a run, with a line break (not a new paragraph) between them, as the template laid them out."""
    for index, line in enumerate(lines):
        run = paragraph.add_run(_safe(line))
        run.italic = italic or None
        if index < len(lines) - 1:
            run.add_break()


def _heading(document: Any, block: Block) -> None:
    document.add_heading(_safe(block.lines[0]), level=1)


def _paragraph(document: Any, block: Block) -> None:
    _lines(document.add_paragraph(), block.lines)


def _quote(document: Any, block: Block) -> None:
    _lines(document.add_paragraph(style="Quote"), block.lines, italic=True)


def _list(document: Any, block: Block) -> None:
    for item in block.lines:
        paragraph = document.add_paragraph(style="List Bullet")
        run = paragraph.add_run(_safe(item))
        run.italic = block.quoted or None


def _signature(document: Any, block: Block) -> None:
    """Room for a handwritten signature, then the signatory's name and role."""
    from docx.shared import Pt

    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True  # "Yours sincerely" stays with the name
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(30)
    paragraph.paragraph_format.keep_together = True
    _lines(paragraph, block.lines)


_WRITERS = {"heading": _heading, "paragraph": _paragraph, "quote": _quote, "list": _list, "signature": _signature}


def _properties(document: Any, letter: Letter) -> None:
    """The file's own properties name the school, not the software that drafted it."""
    props = document.core_properties
    props.title = f"{letter.title} ({letter.case_id})"
    props.author = props.last_modified_by = letter.school
    props.comments = props.keywords = props.subject = ""
    props.created = props.modified = dt.datetime.combine(letter.date, dt.time(), tzinfo=dt.UTC)
    props.revision = 1
