"""policy_check.py: every problem with a policy that loads, of every kind, in one run, sorted by place.

`hesket policy check` used to stop at the first kind of problem and to say only
"not found" of a quote. A school adapting its copy needs all of it at once:
the steps that can never be permitted (policy_logic.py) and the quotes that do
not match its published text, each with its place, the nearest passage of the
source, its line, the first character that differs with its code point, and
the fix. A quote that matches only once typography is folded (’ for ', – for -,
a no-break space, … for ...) is a warning, so the school can decide; a quote
differing in a word or in letter case is an error, because the policy's words
are quoted to parents and must be exact.

Pure: it reads no file (the caller passes the policy and its source text) and
never changes either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .policy import Policy
from .policy_logic import Problem, check_logic
from .quote_match import Found, SourceIndex, first_difference, fold, line_of

__all__ = ["Problem", "check_all", "check_document", "check_logic", "check_quote_pairs", "check_quotes",
           "loader_problems", "problems_document", "quotes_in_data", "sort_problems"]

# The sections whose entries carry a policy_text, in the file's order.
QUOTED_SECTIONS = ("considerations", "checklist", "judgement", "posters", "platforms", "steps", "outcomes", "actions")

_SHOW = 240
_ALIKE = 0.6
_ALIKE_WORDS = 0.4


def _shown(passage: str, focus: int) -> str:
    """The passage in full when short, else about _SHOW characters around `focus`, cut at spaces with "…"."""
    if len(passage) <= _SHOW:
        return passage
    start = max(0, min(focus - _SHOW // 3, len(passage) - _SHOW))
    end = min(len(passage), start + _SHOW)
    if start > 0:
        space = passage.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(passage):
        space = passage.rfind(" ", end - 30, end)
        end = space if space > 0 else end
    return ("…" if start > 0 else "") + passage[start:end] + ("…" if end < len(passage) else "")


def _quote_problem(index: SourceIndex, place: str, quote: str) -> Problem | None:
    """The problem with one quote, or None when it occurs word for word (whitespace folded)."""
    found = index.find(quote)
    if found is not None and found.how == "exact":
        return None
    where = f"{place}.policy_text"
    if found is not None:
        passage = index.passage(found)
        difference = first_difference(passage, quote)
        detail = difference.words() if difference else "only whitespace differs"
        line = line_of(index.source, found.start)
        if found.how == "folded":
            return Problem(where, f"found in the source (line {line}) only after folding typography: {detail}; the "
                                  "words match, so this may stay, or copy the source's characters to match exactly",
                           "warning")
        return Problem(where, f"differs from the source (line {line}) only in letter case: {detail}; letter case "
                              f"must be copied exactly: \"{passage}\"", "error")
    return Problem(where, _not_found(index, quote), "error")


def _not_found(index: SourceIndex, quote: str) -> str:
    """Why a quote is not in the source, with the nearest passage, its line, the first difference and the fix."""
    shown_quote = _shown(fold(quote, typography=False).text, 0)
    nearest: list[Found] = index.nearest(quote)
    if not nearest:
        return (f"not found in the source, which has no word of it: \"{shown_quote}\"; copy the words from the "
                "published policy, or remove this quote")
    best = nearest[0]
    passage = index.passage(best)
    line = line_of(index.source, best.start)
    difference = first_difference(passage, quote)
    focus = passage.find(difference.quote_before.lstrip("…")) if difference else 0
    shown = _shown(passage, max(0, focus))
    percent = int(best.ratio * 100)  # floor: a passage that differs is never "100%"
    if best.ratio < _ALIKE or best.word_ratio < _ALIKE_WORDS:
        return (f"not found in the source, and no passage is close (the nearest, {percent}% alike, at line {line}: "
                f"\"{shown}\"); check this quote belongs to this policy, or copy its words from the published "
                "policy")
    detail = difference.words() if difference else "they differ only in typography"
    case = " (a difference of letter case)" if difference and difference.is_case else ""
    return (f"not found in the source; the nearest passage ({percent}% alike) is at line {line}: \"{shown}\"; "
            f"first difference: {detail}{case}; fix: copy that passage into policy_text, or correct the words "
            "that differ")


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order a person fixes them: by place in the file, errors before warnings."""
    return sorted(problems, key=lambda p: (p.place, p.severity, p.message))


def check_quote_pairs(pairs: Iterable[tuple[str, str]], source_text: str) -> list[Problem]:
    """A problem for every (place, policy_text) that does not occur word for word in the text, sorted by place."""
    index = SourceIndex(source_text)
    problems = [_quote_problem(index, place, quote) for place, quote in pairs if quote.strip()]
    return sort_problems(p for p in problems if p is not None)


def check_quotes(policy: Policy, source_text: str) -> list[Problem]:
    """A problem for every policy_text that does not occur word for word in the published text, sorted by place."""
    return check_quote_pairs(policy.quotes(), source_text)


def check_all(policy: Policy, source_text: str | None = None) -> list[Problem]:
    """Every problem of every kind: the ladder's logic, and the quotes when the source text is given."""
    problems = check_logic(policy)
    if source_text is not None:
        problems += check_quotes(policy, source_text)
    return sort_problems(problems)


def quotes_in_data(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (place, policy_text) of a policy file's raw data, even one the loader refuses.

    So a file with a mistyped key still has its quotes checked in the same
    run: only text values are taken, and anything malformed is left to the
    loader to report.
    """
    def text_of(body: Any) -> str | None:
        value = body.get("policy_text") if isinstance(body, dict) else None
        return value if isinstance(value, str) else None

    found = [("policy", text_of(data.get("policy")))]
    for section in QUOTED_SECTIONS:
        table = data.get(section)
        if isinstance(table, dict):
            found += [(f"{section}.{key}", text_of(body)) for key, body in table.items()]
        if section == "judgement":  # [other] in the file's order: after the judgements
            found.append(("other", text_of(data.get("other"))))
    found.append(("raise_concerns", text_of(data.get("raise_concerns"))))
    return [(place, quote) for place, quote in found if quote and quote.strip()]


def loader_problems(found: Iterable[tuple[str, str]]) -> list[Problem]:
    """The loader's own problems (unknown keys, missing keys, bad conditions) as errors with their places."""
    return [Problem(place, message, "error") for place, message in found]


def problems_document(problems: list[Problem]) -> list[dict[str, Any]]:
    """The problems as plain data for `--json`: place, severity and message of each, in order."""
    return [{"place": p.place, "severity": p.severity, "message": p.message} for p in problems]


def check_document(file: str, source: str | None, problems: list[Problem], *, logic_checked: bool,
                   quotes_checked: bool) -> dict[str, Any]:
    """`policy check --json`: the file, whether it passed, and every problem in the order shown to a person."""
    errors = sum(1 for p in problems if p.severity == "error")
    return {
        "contract": 1,
        "file": file,
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(problems) - errors,
        "source": source,
        "logic_checked": logic_checked,
        "quotes_checked": quotes_checked,
        "problems": problems_document(problems),
    }
