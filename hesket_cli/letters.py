"""letters.py: drafts a letter from a case's facts, from a plain-text template a school can edit.

A letter is drafted for a person to read, edit and sign; it never goes out by
itself. Its wording lives in template files (`templates/letters/<kind>.txt`,
shipped with hesket), so a school can change a letter in Notepad without
Python: a file of the same name in the `template_dir` passed in wins.

This module never reads a case, the clock or the environment: everything a
letter may say arrives in one `LetterFacts`, filled by the caller. It must
never put words in a letter that the facts do not hold: the post is quoted
exactly as captured but for the names the school recorded to be kept out (the
caller takes them out: redaction.py), or a placeholder says that no words
were captured (never the staff member's summary), and the summary and staff
notes appear only when `include_summary` / `include_notes` ask for them. The shipped templates keep to
the policy's own mild language (concerns, a warning, a request to remove,
"legal advice"); `forbidden_wording` finds the assertions they must never make.

The template language
---------------------
- Each line of the file is a line of the letter; a blank line starts a new
  paragraph.
- `# Heading` (a line starting with "# ") is a heading. A heading whose
  section ends up empty (an optional section not asked for) is left out.
- `> text` (a line starting with ">") is a quotation, shown indented and in
  italics. Consecutive quotation lines make one quotation.
- `{name}` is replaced by a fact from the case (the list below). `{{` and `}}`
  give a literal brace. A placeholder hesket does not know is an error naming
  the file, the line and the placeholder.
- A block placeholder (`{chronology}`, `{evidence}`, `{steps_taken}`,
  `{steps_declined}`, `{concerns}`, `{further_steps}`, `{summary}`, `{notes}`,
  `{signature}`) stands alone on its line and becomes several lines: a list, a
  paragraph, or the signature block.

Placeholders (text)
  {case_id}          the case id, e.g. 2026-0001
  {school}           the school's name, from the policy
  {school_address}   the school's address, or "[school address]"
  {signatory}        who signs, or "[name and role of the person signing]"
  {today}            the date of the letter, e.g. 25 November 2026
  {addressee}        the parent's name, or "[parent's name]"; never a child
  {platform}         where the post was made, e.g. Facebook
  {observed_on}      the date the school saw the post
  {post_url}         the post's address (URL) as captured, or a placeholder
  {account}          the account that posted it as captured, or a placeholder
  {posted_at}        when it was posted, as shown on the site, or a placeholder
  {exact_words}      the post's exact words as captured, each name recorded to be
                     kept out (case redact) shown as [child's name removed]; or a
                     placeholder saying that none were captured
  {step_title}       hesket's plain title of the step this letter belongs to
  {step_policy_text} the policy's own words for that step
  {policy_title}     the policy's title
  {discussion_on}    the date of the discussion with the parent, or a placeholder
  {post}             how the letter names the post, mid-sentence: "your post",
                     "your child's post" (the poster's `in_letters` in the
                     policy), or "the post"
  {Post}             the same, starting with a capital (for a heading)
  {outcome}          what the school recorded after the discussion (the title of
                     the latest outcome that led to escalation), or a placeholder
  {raise_concerns}   the policy's own words for the private ways to raise a concern
                     (`[raise_concerns]`), else the neutral RAISE_CONCERNS; read
                     after "the best way to raise them is"
  {step_on}          the date the letter's own step was recorded as happening (its
                     `on`, as corrected), or "[the date the step was taken]"
Placeholders (blocks, alone on a line)
  {concerns}         the policy's own words for each reason the post was judged
                     inappropriate, one quoted item each
  {further_steps}    the policy's own words for the further steps the school may take
  {chronology}       the case's history, one dated item each
  {evidence}         each evidence file: name, size and SHA-256
  {steps_taken}      each step taken, dated
  {steps_declined}   each step the school decided not to take, dated, with its reason
  {summary}          the staff member's summary: only with include_summary
  {notes}            the staff notes, one paragraph each: only with include_notes
  {signature}        room to sign, then the signatory
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .letter_template import FORBIDDEN, Line, forbidden_wording, parse_template, template_source
from .policy import LETTERS

__all__ = [
    "FORBIDDEN",
    "KINDS",
    "RAISE_CONCERNS",
    "Block",
    "Letter",
    "LetterFacts",
    "StepRow",
    "forbidden_wording",
    "letter_text",
    "render_letter",
    "template_source",
]

# Each kind of letter and its title. Which step of the policy each belongs to
# is the policy's data (a step's `letters`); the caller offers a letter only
# when the policy permits that step, or it was already recorded.
KINDS: Mapping[str, str] = LETTERS

StepRow = tuple[dt.date, str] | tuple[dt.date, str, str]


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter may say, filled by the caller from the case, the policy and the settings."""

    case_id: str
    school: str
    today: dt.date
    platform: str
    observed_on: dt.date
    step_title: str
    step_policy_text: str
    policy_title: str
    school_address: str | None = None
    signatory: str | None = None
    addressee: str | None = None
    post_url: str | None = None
    account: str | None = None
    posted_at: dt.datetime | dt.date | str | None = None
    exact_words: str | None = None
    discussion_on: dt.date | None = None
    step_on: dt.date | None = None
    post: str | None = None
    outcome: str | None = None
    raise_concerns: str | None = None
    concerns: tuple[str, ...] = ()
    further_steps: tuple[str, ...] = ()
    chronology: tuple[tuple[dt.date, str], ...] = ()
    evidence: tuple[tuple[str, int, str], ...] = ()
    steps_taken: tuple[StepRow, ...] = ()
    steps_declined: tuple[StepRow, ...] = ()
    include_summary: bool = False
    summary: str | None = None
    include_notes: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One part of a letter: a heading, paragraph, quotation, list or signature, as lines.

    `quoted` marks a list whose items are quotations (the policy's own words).
    """

    kind: str
    lines: tuple[str, ...]
    quoted: bool = False


@dataclass(frozen=True)
class Letter:
    """A drafted letter: the letterhead, then its blocks, ready for text or Word."""

    kind: str
    title: str
    case_id: str
    school: str
    address: tuple[str, ...]
    date: dt.date
    dated: str
    blocks: tuple[Block, ...]
    template: str


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# When the policy gives no words of its own for raising a concern: true of every school, naming no one's roles.
RAISE_CONCERNS = "a private discussion with the school, or through the school's complaints procedure"
NOT_CAPTURED = ("[No exact words were captured for this post. Type them here exactly as posted, "
                "with every word and punctuation mark, or capture them with the case's evidence first.]")


def render_letter(kind: str, facts: LetterFacts, template_dir: Path | None = None) -> Letter:
    """The letter of this kind drafted from the facts.

    UsageError for an unknown kind, InvalidInput for a bad template.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown letter kind {kind!r}; known: {', '.join(KINDS)}")
    where, text = template_source(kind, template_dir)
    values = _text_values(facts)
    blocks = _drop_empty_sections(_blocks(parse_template(text, where, values), facts))
    return Letter(
        kind=kind, title=KINDS[kind], case_id=facts.case_id, school=facts.school,
        address=tuple((facts.school_address or "[school address]").splitlines()),
        date=facts.today, dated=_date(facts.today), blocks=tuple(blocks), template=where,
    )


def letter_text(letter: Letter) -> str:
    """The letter as plain text: letterhead, date, then each block; quotations indented by four spaces."""
    out = [letter.school, *letter.address, "", letter.dated]
    for block in letter.blocks:
        out.append("")
        out += _TEXT_BLOCKS[block.kind](block)
    return "\n".join(out) + "\n"


# -- the template -----------------------------------------------------------------------------------


def _blocks(lines: list[Line], facts: LetterFacts) -> list[Block]:
    blocks: list[Block] = []
    current: tuple[str, list[str]] | None = None
    for line in lines:
        if current and (line.kind != current[0] or line.kind == "heading"):
            blocks.append(_joined(*current))
            current = None
        if line.kind == "block":
            blocks += _BLOCK_VALUES[line.text](facts)
        elif line.kind != "blank":
            current = current or (line.kind, [])
            current[1].append(line.text)
    if current:
        blocks.append(_joined(*current))
    return blocks


def _joined(kind: str, texts: list[str]) -> Block:
    if kind == "heading":
        return Block("heading", (" ".join(" ".join(texts).split()),))
    lines = tuple(part for text in texts for part in text.split("\n"))
    return Block("quote" if kind == "quote" else "paragraph", lines)


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """A heading directly followed by another heading (or the end) heads an empty section: leave it out."""
    kept = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "heading" and (following is None or following.kind == "heading"):
            continue
        kept.append(block)
    return kept


# -- the facts ---------------------------------------------------------------------------------------


def _text_values(f: LetterFacts) -> dict[str, str]:
    """Every text placeholder's value; anything the case does not hold is a clearly marked placeholder."""
    exact = f.exact_words if f.exact_words is not None and f.exact_words.strip() else NOT_CAPTURED
    post = f.post or "the post"
    return {
        "case_id": f.case_id,
        "school": f.school,
        "school_address": ", ".join((f.school_address or "[school address]").splitlines()),
        "signatory": f.signatory or "[name and role of the person signing]",
        "today": _date(f.today),
        "addressee": f.addressee or "[parent's name]",
        "platform": _mid_sentence(f.platform),
        "observed_on": _date(f.observed_on),
        "post_url": f.post_url or "[the post's address was not captured]",
        "account": f.account or "[the account was not captured]",
        "posted_at": _when(f.posted_at) if f.posted_at else "[the time of posting was not captured]",
        "exact_words": exact.replace("\r\n", "\n"),
        "step_title": f.step_title,
        "step_policy_text": f.step_policy_text,
        "policy_title": f.policy_title,
        "discussion_on": _date(f.discussion_on) if f.discussion_on else "[date of the discussion]",
        "post": post,
        "Post": post[:1].upper() + post[1:],
        "outcome": _mid_sentence(f.outcome) if f.outcome else "[what happened after the discussion]",
        "raise_concerns": " ".join((f.raise_concerns or RAISE_CONCERNS).split()),
        "step_on": _date(f.step_on) if f.step_on else "[the date the step was taken]",
    }


def _list(items: tuple[str, ...], empty: str, quoted: bool = False) -> list[Block]:
    return [Block("list", items, quoted=quoted)] if items else [Block("paragraph", (empty,))]


def _steps(rows: tuple[StepRow, ...]) -> tuple[str, ...]:
    return tuple(f"{_date(row[0])}: {row[1]}" + (f" (reason: {row[2]})" if len(row) > 2 else "") for row in rows)


def _size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


_BLOCK_VALUES: dict[str, Callable[[LetterFacts], list[Block]]] = {
    "concerns": lambda f: _list(f.concerns, "[Set out the school's concerns here.]", quoted=True),
    "further_steps": lambda f: _list(f.further_steps, "[Set out the further steps the school may take.]", quoted=True),
    "chronology": lambda f: _list(tuple(f"{_date(d)}: {text}" for d, text in f.chronology), "None recorded."),
    "evidence": lambda f: _list(
        tuple(f"{name} ({_size(size)}), SHA-256 {sha}" for name, size, sha in f.evidence),
        "No evidence files are kept with this case."),
    "steps_taken": lambda f: _list(_steps(f.steps_taken), "None recorded."),
    "steps_declined": lambda f: _list(_steps(f.steps_declined), "None recorded."),
    "summary": lambda f: (
        [Block("paragraph", tuple(f.summary.splitlines()))] if f.include_summary and f.summary else []),
    "notes": lambda f: [Block("paragraph", tuple(n.splitlines())) for n in f.notes] if f.include_notes else [],
    "signature": lambda f: [Block("signature", tuple(
        (f.signatory or "[name and role of the person signing]").splitlines()))],
}


def _date(day: dt.date) -> str:
    """A date as a UK letter writes it (25 November 2026), whatever the computer's language."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _when(value: dt.datetime | dt.date | str) -> str:
    if isinstance(value, dt.datetime):
        return f"{_date(value.date())} at {value:%H:%M}"
    if isinstance(value, dt.date):
        return _date(value)
    return value


def _mid_sentence(title: str) -> str:
    """"The school's own website" reads "the school's own website" inside a sentence; names keep their capitals."""
    return "the" + title[3:] if title.startswith("The ") and title[4:5].islower() else title


# -- plain text --------------------------------------------------------------------------------------


def _text_heading(block: Block) -> list[str]:
    return [block.lines[0]]


def _text_list(block: Block) -> list[str]:
    return [f"  - {item}" if not block.quoted else f"  - \u201c{item}\u201d" for item in block.lines]


_TEXT_BLOCKS: dict[str, Callable[[Block], list[str]]] = {
    "heading": _text_heading,
    "paragraph": lambda b: list(b.lines),
    "quote": lambda b: [f"    {line}" if line else "" for line in b.lines],
    "list": _text_list,
    "signature": lambda b: ["", "", *b.lines],
}
