"""policy_import.py: drafts a school's own policy.toml from its published text, with the base policy as template.

Adapting the template by hand meant copying 23–43 quotes exactly, hours of a
school's IT support's time. Here each quote of the base policy is aligned
against the school's text with the standard library's difflib (through
quote_match.py: anchored on rare words, so a whole policy aligns in well under
a second; no fuzzy-matching package is needed for texts this size) and replaced
by the school's own words where a passage matches. What has no counterpart is
removed from the draft (kept, and flagged, only where today's format cannot do
without it), lines of the school's lists that match nothing are drafted as new
items for a person to confirm, and conditions naming removed items are
narrowed or dropped, each change reported. The draft is then checked with
policy_check, and every problem it names is reported as a decision for a
person: nothing is silently guessed.

Pure: it takes text and data and returns data; it reads and writes no file.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InvalidInput, PolicyError
from .policy_check import Problem, check_all, quotes_in_data
from .policy_draft import render_toml
from .policy_file import parse_policy
from .policy_import_rules import apply_removals, drop_stale_conditions, widen_first_steps
from .policy_layout import (
    Header,
    Line,
    concerns_passage,
    header_of,
    is_lead_in,
    item_words,
    kind_of_list,
    lines_of,
    lists_of,
    sentence_case,
    slug,
)
from .quote_match import Found, SourceIndex, fold

__all__ = ["ImportResult", "Match", "NewItem", "draft_toml", "import_policy"]

CLOSE = 0.85
LOOSE = 0.6
LOOSE_WORDS = 0.4
SHARED_QUOTES = ("posters", "platforms")
RAISE = "raise_concerns"
FIT = {"": "check the title and question fit your words",
       RAISE: "letters say \"the best way to raise them is\" these words: check they read well there"}


@dataclass(frozen=True)
class Match:
    """One quote of the base policy and the school's words found for it (None when not found)."""

    place: str
    base_quote: str
    quote: str | None
    ratio: float
    how: str  # "exact" | "folded" | "case" | "near" | "alike" (a platform given the others' words) | "missing"
    line: int | None


@dataclass(frozen=True)
class NewItem:
    """A line of the school's lists that matches no base item, drafted for a person to confirm."""

    place: str
    quote: str
    line: int


@dataclass(frozen=True)
class ImportResult:
    """The draft policy (TOML data), the school's text for policy.txt, and everything a person must know."""

    draft: dict[str, Any]
    source_text: str
    matches: tuple[Match, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]
    new_items: tuple[NewItem, ...]
    changes: tuple[str, ...]
    header_notes: tuple[str, ...]
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


class _Aligner:
    """Finds the school's passage for each base quote, one passage per quote within a section."""

    def __init__(self, their_text: str, base_source: str) -> None:
        self.text = their_text
        self.index = SourceIndex(their_text)
        self.lines = lines_of(their_text)
        self.base_lines = {fold(item_words(line)).text for line in lines_of(base_source)}

    def candidates(self, quote: str) -> list[Found]:
        """Passages that may be the school's words for `quote`, each with how alike it is.

        A base quote that is a whole line (a list item, a paragraph) is compared
        with the school's whole lines first; part of a line stands for it only
        when it is close, so "Take other legal action" is not matched to a few
        words inside a different paragraph.
        """
        exact = self.index.find(quote)
        if exact is not None:
            return [self.snap(exact, quote)]
        whole_line = fold(quote).text in self.base_lines
        if whole_line:
            lines = self.line_candidates(quote)
            if lines:
                return lines
        least = CLOSE if whole_line else LOOSE
        return [self.snap(f, quote) for f in self.index.nearest(quote, 3)
                if f.ratio >= least and f.word_ratio >= LOOSE_WORDS]

    def line_candidates(self, quote: str) -> list[Found]:
        """The school's lines most like a whole-line quote, best first."""
        target = fold(quote, case=True).text
        target_words = target.split()
        chars = difflib.SequenceMatcher(None, autojunk=False)
        chars.set_seq2(target)
        words = difflib.SequenceMatcher(None, autojunk=False)
        words.set_seq2(target_words)
        found = []
        for line in self.lines:
            text = fold(item_words(line), case=True).text
            chars.set_seq1(text)
            if chars.real_quick_ratio() < LOOSE or chars.quick_ratio() < LOOSE:
                continue
            ratio = chars.ratio()
            words.set_seq1(text.split())
            if ratio >= LOOSE and words.ratio() >= LOOSE_WORDS:
                found.append(self.snap(Found("near", line.start, line.end, ratio, words.ratio()), quote))
        return sorted(found, key=lambda f: -f.ratio)[:3]

    def snap(self, found: Found, quote: str) -> Found:
        """Widen a passage to its whole line where the base quote is a whole line; keep end punctuation alike."""
        line = next((ln for ln in self.lines if ln.start <= found.start < ln.end), None)
        if line is not None and fold(quote).text in self.base_lines and found.end <= line.end + 1:
            covered = (min(found.end, line.end) - found.start) / max(1, line.end - line.start)
            if covered >= 0.5:
                words = item_words(line)
                if quote[-1:].isalnum() and words[-1:] in (".", "?", "!"):
                    words = words[:-1]
                return replace(found, start=line.start, end=line.start + len(words))
        end = found.end
        while end < len(self.text) and not quote[-1:].isalnum() and self.text[end] in ".?!)’”\"'" \
                and end - found.end < 2:
            end += 1
        return replace(found, end=end)

    def words(self, found: Found) -> str:
        return fold(self.text[found.start:found.end], typography=False).text

    def align(self, quotes: list[tuple[str, str]]) -> list[Match]:
        options = [(place, quote, f) for place, quote in quotes for f in self.candidates(quote)]
        options.sort(key=lambda o: -o[2].ratio)
        chosen: dict[str, Found] = {}
        for place, quote, found in options:
            if place in chosen or self._clashes(place, quote, found, chosen, dict(quotes)):
                continue
            chosen[place] = found
        matches = []
        for place, quote in quotes:
            picked = chosen.get(place)
            if picked is None:
                matches.append(Match(place, quote, None, 0.0, "missing", None))
            else:
                matches.append(Match(place, quote, self.words(picked), picked.ratio, picked.how,
                                     self.text.count("\n", 0, picked.start) + 1))
        return matches

    @staticmethod
    def _clashes(place: str, quote: str, found: Found, chosen: dict[str, Found], quotes: dict[str, str]) -> bool:
        section = place.split(".")[0]
        if section in SHARED_QUOTES:
            return False
        return any(other.split(".")[0] == section and quotes[other] != quote
                   and found.start < span.end and span.start < found.end for other, span in chosen.items())


def _new_items(aligner: _Aligner, matches: list[Match], draft: dict[str, Any]) -> list[NewItem]:
    """Lines of the school's checklist and action lists that no base quote matched, drafted as new items."""
    used = [(m.line or 0, m.quote or "") for m in matches if m.quote]
    taken = {key for section in draft.values() if isinstance(section, dict) for key in section}
    found = []
    for lead_in, items in lists_of(aligner.lines):
        kind = kind_of_list(lead_in)
        if not kind:
            continue
        for line in items:
            words = item_words(line)
            if is_lead_in(line) or any(_overlaps(line, number, quote) for number, quote in used):
                continue
            new_id = slug(words, taken)
            taken.add(new_id)
            section = "checklist" if kind == "checklist" else "steps"
            draft.setdefault(section, {})[new_id] = _new_body(section, words)
            found.append(NewItem(f"{section}.{new_id}", fold(words, typography=False).text, line.number))
    return found


def _overlaps(line: Line, number: int, quote: str) -> bool:
    return number == line.number or fold(quote).text in fold(line.text).text


def _new_body(section: str, words: str) -> dict[str, Any]:
    quote = fold(words, typography=False).text
    title = quote if len(quote) <= 70 else quote[:70].rsplit(" ", 1)[0] + "…"
    if section == "checklist":
        return {"title": title[:1].upper() + title[1:], "question": f"Does the post do this: \"{quote}\"?",
                "policy_text": quote}
    return {"title": title[:1].upper() + title[1:], "stage": "escalation", "policy_text": quote}


def _header(aligner: _Aligner, draft: dict[str, Any], matches: list[Match]) -> list[str]:
    """Fill [policy] from the school's text where it says; say what was found and what a person must type."""
    header = header_of(aligner.lines)
    policy = draft["policy"]
    notes = []
    policy.pop("signed", None)
    policy.pop("signed_by", None)
    policy["source"] = "policy.txt"
    notes.append(_title(header, policy, aligner.text))
    if header.school is not None:
        policy["school"] = header.school[0]
        notes.append(f"school: \"{header.school[0]}\" (line {header.school[1]})")
    else:
        policy["school"] = "Your school's name"
        notes.append("school: not found in your policy; type your school's name in [policy] school")
    policy.pop("adopted", None)
    policy.pop("reviewed", None)
    if header.adopted is not None:
        policy["adopted"] = header.adopted[0]
        notes.append(f"adopted: {header.adopted[0]} (line {header.adopted[1]})")
    else:
        notes.append("adopted: not found in your policy; left out (add adopted = \"YYYY\", \"YYYY-MM\" or "
                     "\"YYYY-MM-DD\" to [policy] if you know it)")
    if header.reviewed:
        policy["reviewed"] = [month for month, _ in header.reviewed]
        notes.append("reviewed: " + ", ".join(f"{month} (line {line})" for month, line in header.reviewed))
    if header.signed_by is not None:
        policy["signed_by"] = header.signed_by[0]
        notes.append(f"signed_by: \"{header.signed_by[0]}\" (line {header.signed_by[1]}); add signed = YYYY-MM-DD")
    own = next((m for m in matches if m.place == "policy"), None)
    if own is None or own.quote is None:
        line = header.title or (aligner.lines[0] if aligner.lines else None)
        if line is None:
            raise InvalidInput("the school's policy text is empty; give the text of its published policy")
        policy["policy_text"] = fold(line.text, typography=False).text
        notes.append(f"policy_text: the line that opens your policy (line {line.number})")
    return notes


def _title(header: Header, policy: dict[str, Any], text: str) -> str:
    """[policy] title from the school's text, in sentence case where the text shouts it in capitals; a note."""
    if header.title is None:
        return f"title: not found in your policy; the draft keeps \"{policy['title']}\": type your own"
    cased = sentence_case(header.title.text, text, (header.school[0],) if header.school else ())
    policy["title"] = cased or header.title.text
    if cased is None:
        return f"title: \"{header.title.text}\" (line {header.title.number})"
    return (f"title: \"{cased}\" (line {header.title.number}), CONFIRM: your policy writes it in capitals; drafted "
            "in sentence case, keeping the capitals of names it knows: check them")


def import_policy(their_text: str, base_toml: dict[str, Any], base_source_text: str) -> ImportResult:
    """Draft a school's policy from its published text, the base policy's data and the base's published text."""
    if not their_text.strip():
        raise InvalidInput("the school's policy text is empty; give the text of its published policy")
    aligner = _Aligner(their_text, base_source_text)
    matches = [_by_words(m, aligner) if m.place == RAISE and m.quote is None else m
               for m in aligner.align(quotes_in_data(base_toml))]
    draft = copy.deepcopy(base_toml)
    for match in matches:
        if match.quote is not None:
            _set_quote(draft, match.place, match.quote)
    header_notes = _header(aligner, draft, matches)
    matches = _platforms_alike(matches, draft)
    missing = [m.place for m in matches if m.quote is None and m.place != "policy"]
    new_items = _new_items(aligner, matches, draft)  # first: a new item can stand in for a removed one
    removed, kept, notes = apply_removals(draft, missing)
    changes = drop_stale_conditions(draft, removed, notes)
    changes += widen_first_steps(draft, base_toml.get("steps", {}), removed, notes)
    _confirm(matches, new_items, notes)
    for note in (n for n in header_notes if "CONFIRM:" in n):
        notes.setdefault("policy", []).append(note)
    result = ImportResult(draft, their_text, tuple(matches), tuple(removed), tuple(kept), tuple(new_items),
                          tuple(changes), tuple(header_notes), {k: tuple(v) for k, v in notes.items()})
    return replace(result, problems=tuple(_check_draft(result)))


def _by_words(match: Match, aligner: _Aligner) -> Match:
    """[raise_concerns] where no passage aligned: the school's words found by their shape, for a person to confirm."""
    found = concerns_passage(aligner.lines)
    if found is None:
        return match
    ratio = difflib.SequenceMatcher(None, match.base_quote, found[0], autojunk=False).ratio()
    return replace(match, quote=found[0], ratio=ratio, how="near", line=found[1])


def _confirm(matches: list[Match], new_items: list[NewItem], notes: dict[str, list[str]]) -> None:
    """A CONFIRM note for each guess: a platform given the others' words, a loose match, a new item."""
    for match in matches:
        if match.how == "alike":
            notes.setdefault(match.place, []).append(
                "CONFIRM: your policy does not name this platform; it has your policy's words for the other sites")
        if match.quote is not None and match.how == "near":
            alike = f"{int(match.ratio * 100)}% alike"
            note = (f"CONFIRM: matched loosely ({alike}) to the base's \"{match.base_quote}\"; "
                    f"{FIT.get(match.place, FIT[''])}" if match.ratio < CLOSE else
                    f"matched ({alike}) to the base's quote")
            notes.setdefault(match.place, []).append(note)
    for item in new_items:
        notes.setdefault(item.place, []).append(f"CONFIRM: new, from line {item.line} of your policy: check its id, "
                                                "title, question or stage, and conditions")


def _platforms_alike(matches: list[Match], draft: dict[str, Any]) -> list[Match]:
    """A platform not named in the school's text gets the words the school uses for the other sites.

    Posts happen on every platform whether or not a policy names it; the
    school's own words for "such sites" cover them better than the base's.
    """
    words = [m.quote for m in matches if m.place.startswith("platforms.") and m.quote]
    if not words:
        return matches
    common = max(set(words), key=words.count)
    changed = []
    for match in matches:
        if match.place.startswith("platforms.") and match.quote is None:
            _set_quote(draft, match.place, common)
            match = replace(match, quote=common, how="alike", ratio=0.0,
                            line=next(m.line for m in matches if m.quote == common))
        changed.append(match)
    return changed


def _set_quote(draft: dict[str, Any], place: str, quote: str) -> None:
    section, _, item = place.partition(".")
    (draft[section][item] if item else draft[section])["policy_text"] = quote


def _check_draft(result: ImportResult) -> list[Problem]:
    """policy check on the draft as written, against the school's text: each problem is a decision."""
    try:
        policy = parse_policy(tomllib.loads(draft_toml(result)), display="the draft policy.toml")
    except PolicyError as exc:  # a bug here, not the school's: say so plainly
        raise InvalidInput(f"the draft could not be made loadable ({exc.message}); please report this",
                           details=exc.details) from None
    return check_all(policy, result.source_text)


def draft_toml(result: ImportResult) -> str:
    """The draft as TOML text with CONFIRM and DECIDE comments; it loads with parse_policy after tomllib."""
    preface = [
        ("Draft made by `hesket policy import` from the school's published policy (policy.txt beside this "
        "file), with the base policy as template. Every policy_text is the school's own words where a passage "
        "matched. Lines marked CONFIRM or DECIDE need a person; `hesket policy check policy.toml` lists what is "
        "left to decide."),
    ]
    if result.removed:
        preface.append("Not found in the school's policy, so removed: " + ", ".join(result.removed) + ".")
    return render_toml(result.draft, result.notes, preface)
