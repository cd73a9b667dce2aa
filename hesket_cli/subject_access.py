"""subject_access.py: every case about one person, as one document for a person to review before disclosure.

A parent may ask for all the personal data the school holds about them, and
every case about their posts is that. But a case also holds other people's
data: children named in a summary or in the words posted, the staff who
recorded each step, notes written by others. The ICO says a school need not
disclose information identifying someone else without their consent or
where it is reasonable, and that people can be identified from context. So
hesket never produces something to send: it produces a draft in which every
field that may identify someone else is highlighted "review before
disclosure", with a numbered list of those places at the start, for a person
to redact or keep.

hesket cannot know a child's name when it sees one, so it highlights whole
free-text fields (summaries, posts' words, notes, locations, file names) and
every staff name (`by`, `recorded_by`, `captured_by`), and treats text it does
not recognise as needing review. Pure: builds HTML text or Word bytes from
case documents (the JSON contract; later keys such as `poster_ref`, `posts`
and `captures` are read with care); never reads a file or the network.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

ICO_OTHER_PEOPLE = ("https://cy.ico.org.uk/for-organisations/guide-to-data-protection/guide-to-the-general-data-"
                    "protection-regulation-gdpr/right-of-access/information-about-other-individuals/")
REVIEW = "review before disclosure"

CHILDREN = "free text that may name or describe children or other people"
STAFF = "a member of staff's name"
NOTE = "a note written by staff, which may name or describe other people"
PLACE = "a place or group that may identify other people"
FILE_NAME = "a file name, which may name other people"
POSTER_REF = "the school's label for the person, which may name or describe their child"
UNKNOWN = "text hesket does not recognise, which may identify other people"
# Keys of a post or capture that hold no one's identity: dates, sizes, hashes, ids.
_PLAIN_KEYS = frozenset({"platform", "posted_on", "observed_on", "captured_at", "at", "on", "size", "sha256", "id",
                         "number", "kind", "mime", "status"})
_STAFF_KEYS = frozenset({"by", "captured_by", "recorded_by"})

Kind = Literal["title", "heading", "subheading", "para", "bullet", "number"]


@dataclass(frozen=True)
class Run:
    """A piece of text; `why` is set when it must be reviewed before disclosure, `ref` is its place number."""

    text: str
    why: str | None = None
    ref: int | None = None


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item, made of runs."""

    kind: Kind
    runs: tuple[Run, ...]


@dataclass
class _Builder:
    """Collects blocks and numbers every place to review as it is added."""

    blocks: list[Block] = field(default_factory=list)
    places: list[tuple[int, str, str, str]] = field(default_factory=list)  # (ref, case id, where, why)

    def add(self, kind: Kind, *runs: Run) -> None:
        self.blocks.append(Block(kind, tuple(runs)))

    def review(self, case_id: str, where: str, text: Any, why: str) -> Run:
        ref = len(self.places) + 1
        self.places.append((ref, case_id, where, why))
        return Run(_clean(text), why, ref)

    def line(self, kind: Kind, case_id: str, label: str, text: Any, why: str | None) -> None:
        """`label: text`, the text highlighted when `why` is given; nothing for an empty value."""
        if text is None or _clean(text) == "":
            return
        value = self.review(case_id, label, text, why) if why else Run(_clean(text))
        self.add(kind, Run(f"{label}: "), value)


@dataclass(frozen=True)
class SubjectAccessDraft:
    """The document before rendering: its places to review, and its blocks, both renderers read it."""

    title: str
    preface: tuple[Block, ...]
    places: tuple[tuple[int, str, str, str], ...]
    blocks: tuple[Block, ...]


def build_draft(documents: Sequence[Mapping[str, Any]], *, matched_posters: Sequence[str] = (), subject: str = "",
                school: str = "", prepared_on: dt.date | None = None, deadline: dt.date | None = None
                ) -> SubjectAccessDraft:
    """The draft: a preface, the numbered places to review, then each case with its history and evidence."""
    who = subject.strip() or "the person asking"
    title = f"Subject access: personal data held about {who}"
    preface = [Block("para", (Run(f"{school}. " if school else ""), Run(
        f"Prepared on {prepared_on.isoformat()}. " if prepared_on else ""), Run(
        f"Reply due by {deadline.isoformat()} (the ICO's one-month limit). " if deadline else "")))]
    preface.append(Block("para", (Run(
        "A draft for review, not for sending as it is. Every highlighted field may identify someone other than "
        "the person asking (a child, another parent, a member of staff). Check each one against the list below, "
        "and remove or keep it under the ICO's guidance on information about other people, remembering that "
        "people can be identified from context: " + ICO_OTHER_PEOPLE + ". Evidence files are listed, not "
        "included: review each one before copying it."),)))
    preface.append(Block("heading", (Run("Poster references matched"),)))
    refs = [p for p in matched_posters if p.strip()]
    preface += [Block("bullet", (Run(_clean(p)),)) for p in refs] or [Block("para", (Run(
        "None: the cases were chosen by their ids."),))]
    builder = _Builder()
    for doc in documents:
        _case(builder, doc)
    if not documents:
        builder.add("para", Run("No case was found."))
    return SubjectAccessDraft(title, tuple(preface), tuple(builder.places), tuple(builder.blocks))


def subject_access_html(documents: Sequence[Mapping[str, Any]], *, matched_posters: Sequence[str] = (),
                        subject: str = "", school: str = "", prepared_on: dt.date | None = None,
                        deadline: dt.date | None = None) -> str:
    """The draft as one self-contained HTML page (no scripts; highlights as `<mark class="review">`)."""
    draft = build_draft(documents, matched_posters=matched_posters, subject=subject, school=school,
                        prepared_on=prepared_on, deadline=deadline)
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           f"<title>{_e(draft.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{_e(draft.title)}</h1>"]
    out += [_html_block(b) for b in draft.preface]
    out.append(f"<h2>Places to review before disclosure ({len(draft.places)})</h2>")
    out.append("<ol>" + "".join(f'<li><a href="#r{ref}">Case {_e(case_id)}, {_e(where)}</a>: {_e(why)}</li>'
                                for ref, case_id, where, why in draft.places) + "</ol>" if draft.places
               else "<p>None.</p>")
    out += [_html_block(b) for b in draft.blocks]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def subject_access_docx(documents: Sequence[Mapping[str, Any]], *, matched_posters: Sequence[str] = (),
                        subject: str = "", school: str = "", prepared_on: dt.date | None = None,
                        deadline: dt.date | None = None) -> bytes:
    """The draft as a Word document (bytes), with every place to review as a yellow-highlighted run."""
    from docx import Document  # python-docx: imported here, only the Word export needs it
    from docx.enum.text import WD_COLOR_INDEX

    draft = build_draft(documents, matched_posters=matched_posters, subject=subject, school=school,
                        prepared_on=prepared_on, deadline=deadline)
    word = Document()
    word.core_properties.title = draft.title
    word.add_heading(draft.title, level=0)
    headings = {"title": 0, "heading": 1, "subheading": 2}
    styles = {"para": "Normal", "bullet": "List Bullet", "number": "List Number"}

    def add(block: Block) -> None:
        if block.kind in headings:
            paragraph = word.add_heading("", level=headings[block.kind])
        else:
            paragraph = word.add_paragraph(style=styles[block.kind])
        for run in block.runs:
            if not run.text:
                continue
            piece = paragraph.add_run(run.text)
            if run.why:
                piece.font.highlight_color = WD_COLOR_INDEX.YELLOW
                marker = paragraph.add_run(f" [{run.ref}]")
                marker.font.superscript = True

    for block in draft.preface:
        add(block)
    add(Block("heading", (Run(f"Places to review before disclosure ({len(draft.places)})"),)))
    for ref, case_id, where, why in draft.places:
        add(Block("para", (Run(f"[{ref}] Case {case_id}, {where}: {why}"),)))
    for block in draft.blocks:
        add(block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# -- building ----------------------------------------------------------------


def _case(b: _Builder, doc: Mapping[str, Any]) -> None:
    case_id = _clean(doc.get("id")) or "unknown"
    incident = _map(doc.get("incident"))
    answers = _map(doc.get("answers"))
    b.add("heading", Run(f"Case {case_id}"))
    b.line("para", case_id, "Status", doc.get("status"), None)
    b.line("para", case_id, "Verdict under the school's policy", doc.get("verdict"), None)
    b.line("para", case_id, "Poster reference", incident.get("poster_ref") or doc.get("poster_ref"), POSTER_REF)
    b.line("para", case_id, "Date seen", incident.get("observed_on"), None)
    b.line("para", case_id, "Platform", incident.get("platform"), None)
    b.line("para", case_id, "Posted by", incident.get("poster"), None)
    b.line("para", case_id, "Where", incident.get("location"), PLACE)
    b.line("para", case_id, "Summary", incident.get("summary"), CHILDREN)
    b.line("para", case_id, "Other concern", _map(answers.get("checklist")).get("other"), CHILDREN)
    b.line("para", case_id, "Triaged on", _s(doc.get("created_at"))[:10], None)
    b.line("para", case_id, "Triaged by", doc.get("recorded_by"), STAFF)
    reasons = [r for r in _list(doc.get("reasons")) if isinstance(r, Mapping)]
    if reasons:
        b.add("subheading", Run("Why, under the school's policy"))
        for reason in reasons:
            b.add("bullet", Run(f"{_clean(reason.get('title'))}: \u201c{_clean(reason.get('policy_text'))}\u201d"))
    _items(b, case_id, "Later posts", _list(doc.get("posts"))[1:], "post", start=2)
    captures = [e["capture"] for e in _list(doc.get("events")) if isinstance(e, Mapping)
                and isinstance(e.get("capture"), Mapping)]
    _items(b, case_id, "Captures", captures or doc.get("captures"), "capture")
    _history(b, case_id, _list(doc.get("events")))


def _history(b: _Builder, case_id: str, events: list[Any]) -> None:
    b.add("subheading", Run("History"))
    evidence: list[tuple[int, Mapping[str, Any]]] = []
    for number, event in enumerate(events, start=1):
        if not isinstance(event, Mapping):
            continue
        where = f"event {number}"
        runs = [Run(f"Event {number}, {_s(event.get('on'))[:10]}: {_clean(event.get('event'))}")]
        if event.get("by"):
            runs += [Run(", by "), b.review(case_id, f"{where}, by", event.get("by"), STAFF)]
        for key, label in (("note", "note"), ("override_reason", "reason for overriding the policy")):
            if event.get(key):
                runs += [Run(f"; {label}: "), b.review(case_id, f"{where}, {label}", event.get(key), NOTE)]
        b.add("number", *runs)
        capture = event.get("capture")
        files = [event.get("attachment"), *(_list(capture.get("files")) if isinstance(capture, Mapping) else [])]
        evidence += [(number, kept) for kept in files if isinstance(kept, Mapping)]
    if not evidence:
        return
    b.add("subheading", Run("Evidence kept with the case (files not included)"))
    for number, attachment in evidence:
        b.add("bullet", Run(f"Event {number}: "), b.review(case_id, f"evidence of event {number}, file name",
                                                           attachment.get("name"), FILE_NAME),
              Run(f", {_s(attachment.get('size'))} bytes, SHA-256 {_s(attachment.get('sha256'))}"))


def _items(b: _Builder, case_id: str, heading: str, items: Any, noun: str, start: int = 1) -> None:
    """Posts or captures: every field shown, everything but dates, sizes, hashes and ids highlighted."""
    rows = [item for item in _list(items) if isinstance(item, Mapping)]
    if not rows:
        return
    b.add("subheading", Run(heading))
    for number, item in enumerate(rows, start=start):
        runs = [Run(f"{noun.capitalize()} {number}")]
        for key, value in item.items():
            if value is None or isinstance(value, (Mapping, list)):
                continue
            label = str(key).replace("_", " ")
            if key in _PLAIN_KEYS:
                runs.append(Run(f"; {label}: {_clean(value)}"))
            else:
                why = STAFF if key in _STAFF_KEYS else (CHILDREN if key in {"text", "words", "exact_words", "summary"}
                                                        else UNKNOWN)
                runs += [Run(f"; {label}: "), b.review(case_id, f"{noun} {number}, {label}", value, why)]
        b.add("bullet", *runs)


# -- rendering and text ------------------------------------------------------

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; }
mark.review { background: #ffeb3b; color: #000; padding: 0 0.1em; }
mark.review sup { font-size: 0.7em; } h2 { border-bottom: 1px solid #999; margin-top: 1.6em; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""
_TAGS = {"title": "h1", "heading": "h2", "subheading": "h3", "para": "p", "bullet": "li", "number": "li"}


def _html_block(block: Block) -> str:
    inner = "".join(_html_run(r) for r in block.runs)
    tag = _TAGS[block.kind]
    if block.kind == "bullet":
        return f"<ul><{tag}>{inner}</{tag}></ul>"
    if block.kind == "number":
        return f"<ul class=\"events\"><{tag}>{inner}</{tag}></ul>"
    return f"<{tag}>{inner}</{tag}>" if inner else ""


def _html_run(run: Run) -> str:
    text = "<br>".join(_e(line) for line in run.text.split("\n"))
    if run.why is None:
        return text
    # The inline span repeats the highlight for programs that ignore <mark> and
    # style sheets (Word, LibreOffice opening the page); browsers show both alike.
    return (f'<mark class="review" id="r{run.ref}" title="{_e(REVIEW)}: {_e(run.why)}">'
            f'<span style="background: #ffeb3b">{text}</span><sup>[{run.ref}]</sup></mark>')


def _clean(value: Any) -> str:
    """Text as it may go into HTML or Word: CR LF made LF, control characters (which Word rejects) removed."""
    text = _s(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or not _unwritable(ord(c)))


def _unwritable(code: int) -> bool:
    """Control characters, lone surrogates and the two non-characters that XML (and so Word) cannot hold."""
    return code < 32 or 127 <= code < 160 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []
