"""chronology.py: a case's history as one printable page, for a bundle handed to a solicitor or the police.

The reader is someone outside the school who must follow what happened, when,
who did it and what the school's policy said about each step, from paper. So
the page is self-contained (no scripts, no fonts or images fetched, styles
inline), every piece of text from the case is escaped, and it prints as it
looks. It is built from the case document (the JSON contract of `case show
--json`), read defensively: a key a later hesket adds or an older one lacks
never breaks it.

chronology_pdf turns the page into PDF with LibreOffice where it is installed
(run locally, headless, with a throwaway profile); hesket ships no PDF engine
of its own, so without it there is simply no PDF. Nothing here opens a socket.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; color: #111; margin: 2em auto; max-width: 60em;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; border-bottom: 1px solid #999;
       margin-top: 1.6em; }
.school { font-variant: small-caps; letter-spacing: 0.05em; margin: 0; }
dl { display: grid; grid-template-columns: 11em 1fr; gap: 0.3em 1em; } dt { font-weight: bold; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
blockquote { margin: 0.3em 0 0.3em 0.8em; padding-left: 0.6em; border-left: 3px solid #999; font-style: italic; }
code { font-family: 'Courier New', monospace; font-size: 0.85em; word-break: break-all; }
.override { font-weight: bold; } .quote { color: #333; } .muted { color: #555; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""

# Table layout as attributes as well as CSS: LibreOffice, which makes the PDF,
# reads the attributes and ignores most CSS.
_TABLE = '<table border="1" cellspacing="0" cellpadding="5" width="100%">'
# hesket's own events; a step's, outcome's or action's title is the policy's (`titles`).
_EVENT_TITLES = {"note": "Note", "evidence": "Evidence attached", "close_case": "Case closed",
                 "reopen_case": "Case reopened", "decline": "Decision not to take a step",
                 "correct": "Date corrected", "post": "A later post added to the case",
                 "void": "Case voided (made by mistake)"}


def chronology_html(doc: Mapping[str, Any], step_quotes: Mapping[str, str], school: str,
                    titles: Mapping[str, str] | None = None) -> str:
    """The case's chronology as one self-contained HTML page.

    `doc` is the case document (JSON contract); `step_quotes` maps each step
    or outcome id to the policy's words for it; `titles` each step's, outcome's
    and action's title in the policy (else the ones the document carries);
    `school` heads the page.
    Events are listed by the date they happened (`on`), each keeping its
    number in the history, as `case show` and `case verify` name it.
    """
    case_id = _s(doc.get("id")) or "unknown"
    titles = {**_step_titles(doc), **(titles or {})}
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        f"<title>Case {_e(case_id)}: chronology</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f'<p class="school">{_e(school)}</p>', f"<h1>Case {_e(case_id)}: chronology</h1>",
        _summary(doc), _incident(doc), _reasons(doc), _history(doc, step_quotes, titles), _evidence(doc),
        _integrity(doc), "</body>", "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def find_converter() -> str | None:
    """LibreOffice's `soffice` (or `libreoffice`) if installed: on PATH, or where Windows installs it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            candidate = Path(base or "C:\\Program Files") / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def chronology_pdf(html_path: Path, *, timeout: float = 180.0) -> bytes | None:
    """The chronology page as PDF through LibreOffice, or None when it is not installed or fails.

    A bundle is complete without the PDF (the HTML prints the same), so a
    missing or failing converter is not an error. LibreOffice runs headless
    with a throwaway profile, so an office copy already open is not disturbed.
    """
    converter = find_converter()
    if converter is None:
        return None
    with tempfile.TemporaryDirectory(prefix="hesket-pdf-") as work:
        out = Path(work)
        # The page is imported as a Writer document ("HTML (StarWriter)"), not
        # opened in Writer/Web, whose PDF export drops the first paragraphs.
        command = [converter, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--norestore",
                   "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
                   str(Path(html_path).resolve())]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            return None
        made = out / (Path(html_path).stem + ".pdf")
        return made.read_bytes() if made.is_file() else None


# -- sections ----------------------------------------------------------------


def _summary(doc: Mapping[str, Any]) -> str:
    policy = _map(doc.get("policy"))
    rows = [("Status", _s(doc.get("status"))), ("Verdict", _s(doc.get("verdict"))),
            ("Triaged", f"{_date(doc.get('created_at'))} by {_s(doc.get('recorded_by')) or 'unknown'}"),
            ("Policy", f"{_s(policy.get('title'))} (last reviewed {_s(policy.get('last_reviewed'))})"
             if policy.get("title") else ""),
            ("Destroy after", _s(doc.get("destroy_after")))]
    return _dl(rows)


def _incident(doc: Mapping[str, Any]) -> str:
    incident = _map(doc.get("incident"))
    rows = [("Date seen", _s(incident.get("observed_on"))), ("Platform", _s(incident.get("platform"))),
            ("Where", _s(incident.get("location"))), ("Posted by", _s(incident.get("poster"))),
            ("Poster reference", _s(incident.get("poster_ref") or doc.get("poster_ref"))),
            ("What was seen", _s(incident.get("summary")))]
    later = [p for p in _list(doc.get("posts"))[1:] if isinstance(p, Mapping)]
    posts = "".join(f"<h3>Post {n}: seen {_e(_s(p.get('observed_on')))} on {_e(_s(p.get('platform')))}</h3>\n"
                    + _dl([("What was seen", _s(p.get("summary")))]) for n, p in enumerate(later, start=2))
    return "<h2>What was seen</h2>\n" + _dl(rows) + ("\n" + posts if posts else "")


def _reasons(doc: Mapping[str, Any]) -> str:
    reasons = [r for r in _list(doc.get("reasons")) if isinstance(r, Mapping)]
    if not reasons:
        return ""
    items = [f"<li>{_e(_s(r.get('title')) or _s(r.get('id')))} <span class=\"muted\">[{_e(_s(r.get('kind')))}]"
             f"</span>{_quote(r.get('policy_text'))}</li>" for r in reasons]
    return "<h2>Why, in the policy's words</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _history(doc: Mapping[str, Any], quotes: Mapping[str, str], titles: Mapping[str, str]) -> str:
    events = [(n, e) for n, e in enumerate(_list(doc.get("events")), start=1) if isinstance(e, Mapping)]
    events.sort(key=lambda pair: (_happened(pair[1]), pair[0]))
    rows = [f"<tr valign=\"top\"><td>{n}</td>"
            f"<td>{_e(_happened(e))}{_recorded(e.get('at'))}</td>"
            f"<td>{_what(e, quotes, titles)}</td><td>{_e(_s(e.get('by')))}</td><td>{_details(e)}</td></tr>"
            for n, e in events]
    head = "".join(f'<th width="{w}%">{label}</th>' for w, label in (
        (5, "No."), (13, "Date"), (40, "What happened, and the policy's words"), (14, "Who"),
        (28, "Notes and evidence")))
    body = "\n".join(rows) or '<tr><td colspan="5">Nothing recorded since triage.</td></tr>'
    return ("<h2>Chronology</h2>\n<p class=\"muted\">By the date each thing happened; No. is the event's number in "
            f"the case's history.</p>\n{_TABLE}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")


def _happened(event: Mapping[str, Any]) -> str:
    """The date an event happened, as corrected (`on_in_effect`) where the document has it."""
    return _date(event.get("on_in_effect")) or _date(event.get("on")) or _date(event.get("at"))


def _recorded(at: Any) -> str:
    text = _s(at)
    if not text:
        return ""
    return f'<br><small class="muted">recorded {_e(text[:16].replace("T", " "))} UTC</small>'


def _what(event: Mapping[str, Any], quotes: Mapping[str, str], titles: Mapping[str, str]) -> str:
    kind = _s(event.get("event"))
    title = titles.get(kind) or _EVENT_TITLES.get(kind) or kind.replace("_", " ").capitalize()
    text = f"{_e(title)} <span class=\"muted\">({_e(kind)})</span>"
    quote = quotes.get(kind)
    return text + (f'<br><i class="quote">“{_e(quote)}”</i>' if quote else "")


def _details(event: Mapping[str, Any]) -> str:
    parts = []
    if _date(event.get("on_in_effect")) and _date(event.get("on")) != _date(event.get("on_in_effect")):
        parts.append(f"<p>Date corrected: first recorded as {_e(_date(event.get('on')))}.</p>")
    if event.get("corrects"):
        parts.append(f"<p>Corrects the date of event {_e(_s(event.get('corrects')))}: it happened on "
                     f"{_e(_date(event.get('corrected_on')))}.</p>")
    if event.get("step"):
        parts.append(f"<p>Step considered and not taken: {_e(_s(event.get('step')))}</p>")
    if event.get("reason"):
        parts.append(f"<p>Reason: {_e(_s(event.get('reason')))}</p>")
    if event.get("ref"):
        parts.append(f"<p>Reference: {_e(_s(event.get('ref')))}</p>")
    if event.get("note"):
        parts.append(_para(_s(event.get("note"))))
    if event.get("override_reason"):
        parts.append(f'<p class="override">Done although the policy did not yet permit it. Reason: '
                     f"{_e(_s(event.get('override_reason')))}</p>")
    attachment = event.get("attachment")
    if isinstance(attachment, Mapping):
        parts.append(f"<p>Evidence: {_e(_s(attachment.get('name')))} ({_e(_s(attachment.get('size')))} bytes)<br>"
                     f"SHA-256 <code>{_hash(attachment.get('sha256'))}</code></p>")
    return "".join(parts)


def _evidence(doc: Mapping[str, Any]) -> str:
    rows = []
    for n, event in enumerate(_list(doc.get("events")), start=1):
        attachment = event.get("attachment") if isinstance(event, Mapping) else None
        if isinstance(attachment, Mapping):
            rows.append(f"<tr valign=\"top\"><td>{n}</td><td>{_e(_s(attachment.get('name')))}</td>"
                        f"<td>evidence/{_e(_s(attachment.get('file')))}</td><td>{_e(_s(attachment.get('size')))}</td>"
                        f"<td><code>{_hash(attachment.get('sha256'))}</code></td></tr>")
    if not rows:
        return ""
    head = "".join(f'<th width="{w}%">{label}</th>' for w, label in (
        (5, "No."), (22, "Name"), (27, "In the bundle"), (10, "Bytes"), (36, "SHA-256")))
    return (f"<h2>Evidence</h2>\n{_TABLE}\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>")


def _integrity(doc: Mapping[str, Any]) -> str:
    head = _s(doc.get("chain_head"))
    shown = f"<code>{_hash(head)}</code>" if head else "not sealed (a case from before hesket sealed its histories)"
    return ("<h2>Integrity</h2>\n"
            f"<p>Chain head: {shown}. Each event in the case file carries the SHA-256 of the history up to it; "
            "the head is the last of them. A head written down earlier can be checked with "
            f"<code>hesket case verify {_e(_s(doc.get('id')))} --head HASH</code>, and this bundle with "
            "<code>hesket bundle verify FILE.zip</code>, which needs no copy of hesket's case folder.</p>")


# -- small helpers -----------------------------------------------------------


def _step_titles(doc: Mapping[str, Any]) -> dict[str, str]:
    """Step titles the document itself carries (its next step and permitted steps)."""
    steps: list[Any] = [doc.get("next_step"), *_list(doc.get("permitted"))]
    return {_s(s.get("id")): _s(s.get("title")) for s in steps if isinstance(s, Mapping) and s.get("title")}


def _dl(rows: Sequence[tuple[str, str]]) -> str:
    items = [f"<dt>{_e(label)}</dt><dd>{_para_inline(value)}</dd>" for label, value in rows if value]
    return "<dl>\n" + "\n".join(items) + "\n</dl>" if items else ""


def _quote(text: Any) -> str:
    return f"<blockquote>{_e(_s(text))}</blockquote>" if text else ""


def _para(text: str) -> str:
    return f"<p>{_para_inline(text)}</p>"


def _para_inline(text: str) -> str:
    return "<br>".join(_e(line) for line in text.splitlines()) if text else ""


def _hash(value: Any) -> str:
    """A SHA-256 in four groups of 16, so it wraps on paper; `--head` accepts it with the spaces."""
    text = _s(value)
    return _e(" ".join(text[i:i + 16] for i in range(0, len(text), 16)))


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _date(value: Any) -> str:
    return _s(value)[:10]


def _s(value: Any) -> str:
    if value is None:
        return ""
    return str(value) if not isinstance(value, bool) else ("yes" if value else "no")


def _e(text: str) -> str:
    """Escaped for HTML, with characters no page should carry (NUL, other controls) dropped."""
    cleaned = "".join(c for c in text if c in "\t\n" or not (ord(c) < 32 or 127 <= ord(c) < 160))
    return html.escape(cleaned, quote=True)
