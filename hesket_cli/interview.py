"""interview.py: the interactive triage, one question at a time, driven by the policy.

The people who triage a post are often upset, in a hurry and rarely at ease in
a terminal, so every question but the summary has a default, `?` shows the
policy's words, `b` goes back, `q` leaves, and a wrong entry is asked again
with a one-line hint. The questions come from policy.toml, so a school that
adds a checklist item gets its question with no code change.

The interview only collects answers: it returns a mapping in the answers
file's shape, which the caller validates, saves and assesses exactly as it
would an `--answers` file. It saves nothing itself. Screen output goes
through a `screen` object (render.InterviewScreen), so this module has no
Rich in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from .answers import Answers, Incident
from .dates import NotADate, read_date
from .engine import judgement_matters
from .policy import Item, Policy

YES = {"y", "yes"}
NO = {"n", "no"}
BACK = {"b", "back"}
QUIT = {"q", "quit"}
NOTHING = {"n", "no", "none", "nothing"}
HELP = {"?", "h", "help"}


class Quit(Exception):
    """The user left the interview (q, Ctrl-D); nothing is saved."""


class Screen(Protocol):
    """What the interview needs from the terminal (render.InterviewScreen provides it)."""

    def question(self, progress: str, text: str, policy_text: str | None, choices: list[str],
                 why: str, footer: str) -> None: ...
    def help(self, policy_text: str | None, example: str) -> None: ...
    def hint(self, text: str) -> None: ...
    def review(self, rows: list[tuple[int, str, str]], recorder: str) -> None: ...
    def ask(self, prompt: str) -> str: ...


@dataclass
class Question:
    """One question: where its answer goes, how to read it, and what the policy says."""

    key: str
    label: str
    text: str
    kind: str  # date, choice, text, required, yesno
    policy_text: str | None = None
    example: str = ""
    choices: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (id, title, aliases)
    default: Any = None


def questions(policy: Policy, today: dt.date) -> list[Question]:
    """Every question the policy asks, in order (judgement questions last; see `applicable`)."""
    found = [
        Question("incident.observed_on", "Date seen", "On what date was the post seen?", "date",
                 example="Type a date as YYYY-MM-DD or DD/MM/YYYY, or 'today' or 'yesterday'.", default=today),
        Question("incident.platform", "Platform", "Where was it posted?", "choice",
                 example="Type the number, or the name (for example 'facebook' or 'x').",
                 choices=[(p.id, p.title, p.aliases) for p in policy.platforms],
                 default=policy.platforms[-1].id),
        Question("incident.location", "Where exactly", "Where exactly was it seen? (optional)", "text",
                 example="For example: Year 4 parents' WhatsApp group. Press Enter to leave it blank.", default=""),
        Question("incident.poster", "Posted by", "Who posted it?", "choice",
                 policy_text=policy.posters[0].policy_text,
                 example="Type the number or the name.",
                 choices=[(p.id, p.title, ()) for p in policy.posters], default=policy.posters[0].id),
        Question("incident.summary", "Summary", "What was posted? Describe it in your own words.", "required",
                 example="For example: A parent wrote that the Year 4 teacher 'should be sacked' and named her."),
    ]
    for item in policy.considerations:
        found.append(Question(f"considerations.{item.id}", item.title, item.question, "yesno",
                              policy_text=item.policy_text, example=item.help, default=False))
    for item in policy.checklist:
        found.append(Question(f"checklist.{item.id}", item.title, item.question, "yesno",
                              policy_text=item.policy_text, example=item.help, default=False))
    if policy.other is not None:
        found.append(Question("checklist.other", policy.other.title, policy.other.question, "text",
                              policy_text=policy.other.policy_text, example=policy.other.help, default=""))
    for item in policy.judgements:
        found.append(Question(f"judgement.{item.id}", item.title, item.question, "yesno",
                              policy_text=item.policy_text, example=item.help, default=False))
    return found


def applicable(policy: Policy, question: Question, values: dict[str, Any]) -> bool:
    """Judgement questions are asked only when the answer could change what the policy permits (the engine's rule)."""
    if not question.key.startswith("judgement."):
        return True
    return judgement_matters(policy, _answers(policy, values), question.key.split(".", 1)[1])


def _answers(policy: Policy, values: dict[str, Any]) -> Answers:
    """The answers given so far, with anything not yet answered left as no."""
    def flags(section: str, items: tuple[Item, ...]) -> dict[str, bool]:
        return {i.id: bool(values.get(f"{section}.{i.id}", False)) for i in items}

    return Answers(
        incident=Incident(observed_on=values.get("incident.observed_on", dt.date(2000, 1, 1)),
                          platform=values.get("incident.platform", policy.platforms[0].id),
                          poster=values.get("incident.poster", policy.posters[0].id), summary="-"),
        considerations=flags("considerations", policy.considerations),
        checklist=flags("checklist", policy.checklist), other=values.get("checklist.other") or None,
        judgement=flags("judgement", policy.judgements),
    )


def read_answer(question: Question, raw: str, today: dt.date) -> Any:
    """Turn what was typed into an answer, or raise ValueError with a one-line hint."""
    text = raw.strip()
    if not text:
        if question.kind == "required":
            raise ValueError("This one needs an answer: describe what was posted.")
        return question.default
    if question.kind == "yesno":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError("Please answer y (yes) or n (no); ? shows the policy's words.")
    if question.kind == "date":
        try:
            when = read_date(text, today)
        except NotADate:
            raise ValueError("That is not a date: type it as YYYY-MM-DD or DD/MM/YYYY, or 'today'.") from None
        if when > today:
            raise ValueError(f"That date is in the future (today is {today.isoformat()}).")
        return when
    if question.kind == "choice":
        wanted = text.lower()
        for number, (ident, title, aliases) in enumerate(question.choices, start=1):
            if wanted in (str(number), ident, title.lower(), *aliases):
                return ident
        raise ValueError(f"Type a number from 1 to {len(question.choices)}, or one of the names listed.")
    if text.lower() in NOTHING:
        return ""  # after a run of y/N questions, "n" here means "nothing", not the text "n"
    return raw if raw.strip() else question.default


def _footer(question: Question) -> str:
    """How to answer a question, under it."""
    footer = ("This one needs an answer." if question.kind == "required"
              else "Enter accepts the answer in [brackets].") + " ? help, b back, q quit."
    return footer + (" n, no or none leaves it blank." if question.kind == "text" else "")


def show_value(question: Question, value: Any) -> str:
    """An answer as shown on the review screen."""
    if question.kind == "yesno":
        return "Yes" if value else "No"
    if question.kind == "choice":
        return next((title for ident, title, _ in question.choices if ident == value), str(value))
    if question.kind == "date":
        return str(value.isoformat())
    return str(value) if value else "(blank: nothing else)" if question.key == "checklist.other" else "(blank)"


class Interview:
    """Asks the policy's questions on a screen and returns answers in the answers file's shape."""

    def __init__(self, policy: Policy, screen: Screen, *, today: dt.date, recorder: str) -> None:
        self.policy = policy
        self.screen = screen
        self.today = today
        self.recorder = recorder
        self.all = questions(policy, today)
        self.values: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        """The whole interview: each question, then the review screen until the user saves."""
        self._ask_from(0)
        while True:
            rows = [(n, q.label, show_value(q, self.values[q.key])) for n, q in enumerate(self._current(), start=1)]
            self.screen.review(rows, self.recorder)
            raw = self.screen.ask("Type a number to change that answer, or press Enter to save [save]: ").strip()
            if raw.lower() in QUIT:
                raise Quit()
            if not raw or raw.lower() in {"s", "save", "y", "yes"}:
                return self._result()
            if raw.isdigit() and 1 <= int(raw) <= len(rows):
                question = self._current()[int(raw) - 1]
                self._ask_one(question, int(raw), len(rows), allow_back=False)
                self._ask_missing()
                continue
            self.screen.hint(f"Type a number from 1 to {len(rows)}, press Enter to save, or q to quit without saving.")

    def _current(self) -> list[Question]:
        return [q for q in self.all if applicable(self.policy, q, self.values)]

    def _ask_from(self, index: int) -> None:
        """Ask each applicable question in turn; `b` steps back. Which questions apply may change
        with each answer (a judgement question), so the next one is found afresh every time."""
        key = self._current()[index].key if index < len(self._current()) else None
        while key is not None:
            current = self._current()
            keys = [q.key for q in current]
            if key not in keys:
                key = self._next_key(key)
                continue
            position = keys.index(key)
            went_back = self._ask_one(current[position], position + 1, len(current), allow_back=position > 0)
            key = keys[position - 1] if went_back else self._next_key(key)

    def _next_key(self, key: str) -> str | None:
        """The first applicable question after `key`, in the policy's order."""
        order = [q.key for q in self.all]
        later = set(order[order.index(key) + 1:])
        return next((q.key for q in self._current() if q.key in later), None)

    def _ask_missing(self) -> None:
        """After a change on the review screen, ask any question that has become relevant."""
        while True:
            current = self._current()
            missing = [n for n, q in enumerate(current) if q.key not in self.values]
            if not missing:
                return
            self._ask_one(current[missing[0]], missing[0] + 1, len(current), allow_back=False)

    def _ask_one(self, question: Question, number: int, total: int, *, allow_back: bool) -> bool:
        """Ask until a valid answer is given; True if the user went back instead."""
        choices = [f"{n}. {title}" for n, (_, title, _) in enumerate(question.choices, start=1)]
        why = question.example if question.key.startswith("judgement.") else ""
        footer = _footer(question)
        self.screen.question(f"Question {number} of {total}", question.text, question.policy_text, choices,
                             why, footer)
        while True:
            current = self.values.get(question.key, question.default)
            raw = self.screen.ask(self._prompt(question, current))
            word = raw.strip().lower()
            if word in QUIT:
                raise Quit()
            if word in HELP:
                self.screen.help(question.policy_text, question.example)
                continue
            if word in BACK:
                if allow_back:
                    return True
                self.screen.hint("This is the first question: there is nothing to go back to.")
                continue
            if not raw.strip() and not (question.kind == "required" and not current):
                value = current
            elif question.kind == "text" and raw.strip() == "-":
                value = ""
            else:
                try:
                    value = read_answer(question, raw, self.today)
                except ValueError as exc:
                    self.screen.hint(str(exc))
                    continue
            self.values[question.key] = value
            return False

    def _prompt(self, question: Question, current: Any) -> str:
        if question.kind == "yesno":
            return "Answer [Y/n]: " if current else "Answer [y/N]: "
        if question.kind == "required":
            if current:
                return "Answer (Enter keeps what you typed before): "
            return "Answer: "
        if question.kind == "choice":
            number = next((n for n, (ident, _, _) in enumerate(question.choices, start=1) if ident == current), "")
            return f"Answer [{number}]: "
        if question.kind == "date":
            return f"Answer [{current.isoformat()}]: "
        return "Answer (Enter to leave blank): " if not current else "Answer (Enter keeps it, - clears it): "

    def _result(self) -> dict[str, Any]:
        """The answers in the answers file's shape."""
        result: dict[str, dict[str, Any]] = {"incident": {}, "considerations": {}, "checklist": {}, "judgement": {}}
        for question in self.all:
            section, key = question.key.split(".", 1)
            value = self.values.get(question.key, question.default) if applicable(self.policy, question, self.values) \
                else question.default
            if question.kind == "text" and not value:
                continue
            result[section][key] = value
        return result
