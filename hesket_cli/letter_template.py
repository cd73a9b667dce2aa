"""letter_template.py: reads the letter template language (documented in letters.py) into classified, filled lines.

Kept apart from the letters themselves so the language has one small home:
where a template comes from (a school's own copy wins over hesket's), how each
line is classified, how placeholders are filled, and what wording a template
must never use. It never sees a case: values arrive already formatted, and
they are never read as template language themselves (a post containing
"{school}" or "# " stays the parent's words).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InvalidInput

# What a school's letter must never assert (whether a school can sue in
# defamation is unsettled; whether an offence was committed is for the
# police), allowed only inside a quotation of the policy's own words.
FORBIDDEN = (
    "is defamatory", "are defamatory", "defamed", "libel", "slander", "you have committed",
    "committed an offence", "committed a crime", "we will sue", "will sue", "sue you",
    "legal proceedings against you", "is unlawful", "is illegal", "is harassment",
)

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_ALONE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")


def template_source(kind: str, template_dir: Path | None = None) -> tuple[str, str]:
    """(where, text) of the template for this kind: the school's copy in template_dir if there is one, else hesket's."""
    name = f"{kind}.txt"
    if template_dir is not None and (template_dir / name).is_file():
        path = template_dir / name
        try:
            return str(path), path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(f"{path}: not UTF-8 text; save the template as UTF-8 "
                               "(in Notepad: Save as, Encoding UTF-8)") from None
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot read the template: {exc.strerror}") from None
    shipped = resources.files(__package__ or "hesket_cli").joinpath("templates", "letters", name)
    return str(shipped), shipped.read_text(encoding="utf-8")


def forbidden_wording(text: str) -> list[tuple[int, str]]:
    """Each (line number, phrase) of FORBIDDEN found outside quotation lines (`> `) of a template or letter text."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(">"):
            continue
        lowered = line.lower()
        found += [(number, phrase) for phrase in FORBIDDEN if phrase in lowered]
    return found


@dataclass(frozen=True)
class Line:
    """One line of a template, classified, with its text placeholders already filled in."""

    number: int
    kind: str  # blank, heading, quote, text, block
    text: str


# Placeholders that stand alone on their line and become several lines.
BLOCK_NAMES = ("concerns", "further_steps", "chronology", "evidence", "steps_taken", "steps_declined",
               "summary", "notes", "signature")


def parse_template(text: str, where: str, values: Mapping[str, str]) -> list[Line]:
    """Every line of the template classified and filled; InvalidInput naming file, line and problem (all of them)."""
    lines, problems = [], []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        alone = _ALONE.fullmatch(line)
        if alone and alone.group(1) in BLOCK_NAMES:
            lines.append(Line(number, "block", alone.group(1)))
            continue
        kind, body = _classify(line)
        filled, problem = _fill(body, values)
        if problem:
            problems.append(f"{where}, line {number}: {problem}")
        lines.append(Line(number, kind, filled))
    if problems:
        raise InvalidInput(problems[0], details=tuple(problems))
    return lines


def _classify(line: str) -> tuple[str, str]:
    if not line:
        return "blank", ""
    if line == "#" or line.startswith("# "):
        return "heading", line[1:].strip()
    if line.startswith(">"):
        return "quote", line[2:] if line.startswith("> ") else line[1:]
    return "text", line


def _fill(body: str, values: Mapping[str, str]) -> tuple[str, str | None]:
    """The line with each {placeholder} filled; or the first problem found in it."""
    out, at = [], 0
    for match in _TOKEN.finditer(body):
        out.append(body[at:match.start()])
        at = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
        elif token in ("{", "}"):
            return body, f"a lone {token!r} that is not part of a placeholder; write {token}{token} for a literal brace"
        else:
            name = (match.group(1) or "").strip()
            if name in BLOCK_NAMES:
                return body, f"{{{name}}} becomes several lines, so it must stand alone on its own line"
            if name not in values:
                known = ", ".join(f"{{{n}}}" for n in (*values, *BLOCK_NAMES))
                return body, f"unknown placeholder {{{name}}}; known: {known}"
            out.append(values[name])
    out.append(body[at:])
    return "".join(out), None
