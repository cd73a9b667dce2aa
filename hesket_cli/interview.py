"""interview.py: the interactive triage, one question at a time, driven by the policy.

The people who triage a post are often upset, in a hurry and rarely at ease in
a terminal, so every question with an honest default has one (today; No; the
policy's first kind of poster), while the summary and the platform must be
given; `?` explains, `b` goes back (from the review screen too), `q` leaves
(asking first once anything has been answered), and a wrong entry is asked
again with a one-line hint. Each question keeps its number and the total
stays the same throughout: the school's judgement questions that turn out not
to matter for this post are skipped, never renumbered. The questions come
from policy.toml, so a school that adds a checklist item gets its question
with no code change.

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

from .answers import EARLIEST, Answers, Incident
from .dates import NotADate, read_date
from .describe import plural
from .engine import judgement_effect, judgement_matters
from .policy import Item, Policy, words_list

YES = {"y", "yes"}
NO = {"n", "no"}
BACK = {"b", "back"}
QUIT = {"q", "quit"}
NOTHING = {"n", "no", "none", "nothing"}
HELP = {"?", "h", "help"}
SAVE = {"s", "save", "y", "yes"}
REVIEW_PROMPT = "Type a number to change that answer, or press Enter to save [save]: "


class Quit(Exception):
    """The user left the interview (q, Ctrl-D); nothing is saved."""


class Screen(Protocol):
    """What the interview needs from the terminal (render.InterviewScreen provides it)."""

    def question(self, progress: str, text: str, policy_text: str | None, choices: list[str],
                 why: str, footer: str) -> None: ...
    def help(self, policy_text: str | None, example: str, effects: list[tuple[str, str | None]]) -> None: ...
    def kept(self, text: str) -> None: ...
    def hint(self, text: str) -> None: ...
    def review(self, rows: list[tuple[int, str, str]], recorder: str, note: str) -> None: ...
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
    flagged_by_no: bool = False  # a yes/no question asked the policy's way round, whose "no" flags it


def questions(policy: Policy, today: dt.date) -> list[Question]:
    """Every question the policy asks, in order (judgement questions last; see `applicable`)."""
    found = [
        Question("incident.observed_on", "Date seen", "On what date was the post seen?", "date",
                 example="Type a date as YYYY-MM-DD or DD/MM/YYYY, or 'today' or 'yesterday'.", default=today),
        Question("incident.platform", "Platform", "Where was it posted?", "choice",
                 example="Type the number, or the name (for example 'facebook' or 'x').",
                 choices=[(p.id, p.title, p.aliases) for p in policy.platforms]),
        Question("incident.location", "Where exactly", "Where exactly was it seen? (optional)", "text",
                 example="For example: Year 4 parents' WhatsApp group. Press Enter to leave it blank.", default=""),
        Question("incident.poster", "Posted by", "Who posted it?", "choice",
                 policy_text=policy.posters[0].policy_text,
                 example="Type the number or the name.",
                 choices=[(p.id, p.title, ()) for p in policy.posters], default=policy.posters[0].id),
        Question("incident.poster_ref", "Poster reference",
                 "How does the school refer to the person who posted it? (optional)", "text",
                 example="For example: Parent of 4B pupil (J.S.). It finds their cases again "
                         "(hesket case find). Press Enter to leave it blank.", default=""),
        Question("incident.summary", "Summary", "What was posted? Describe it in your own words.", "required",
                 example="For example: A parent wrote that the Year 4 teacher 'should be sacked' and named her."),
    ]
    for section, items in (("considerations", policy.considerations), ("checklist", policy.checklist)):
        found += [Question(f"{section}.{item.id}", item.title, item.question, "yesno", policy_text=item.policy_text,
                           example=item.help, default=False, flagged_by_no=item.flagged_by == "no")
                  for item in items]
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


def needs_answer(question: Question) -> bool:
    """Whether Enter alone is no answer: the summary, and a choice with no honest default (the platform)."""
    return question.kind == "required" or (question.kind == "choice" and question.default is None)


def _needs_answer_hint(question: Question) -> str:
    if question.kind == "choice":
        return f"This one needs an answer: type a number from 1 to {len(question.choices)}, or a name listed."
    return "This one needs an answer: describe what was posted."


def read_answer(question: Question, raw: str, today: dt.date) -> Any:
    """Turn what was typed into an answer, or raise ValueError with a one-line hint."""
    text = raw.strip()
    if not text:
        if needs_answer(question):
            raise ValueError(_needs_answer_hint(question))
        return question.default
    if question.kind == "yesno":
        if text.lower() in YES | NO:
            return (text.lower() in YES) != question.flagged_by_no  # the answer kept is whether it flags the post
        raise ValueError("Please answer y (yes) or n (no); ? shows the policy's words.")
    if question.kind == "date":
        try:
            when = read_date(text, today)
        except NotADate:
            raise ValueError("That is not a date: type it as YYYY-MM-DD or DD/MM/YYYY, or 'today'.") from None
        if when > today:
            raise ValueError(f"That date is in the future (today is {today.isoformat()}).")
        if when < EARLIEST:  # refused here, not after the last question, where the answers are checked again
            raise ValueError(f"That date is before {EARLIEST.isoformat()}: type the date the post was seen.")
        return when
    if question.kind == "choice":
        wanted = text.lower()
        for number, (ident, title, aliases) in enumerate(question.choices, start=1):
            if wanted in (str(number), ident, title.lower(), *aliases):
                return ident
        raise ValueError(f"Type a number from 1 to {len(question.choices)}, or one of the names listed.")
    if question.kind == "text" and text.lower() in NOTHING:
        return ""  # after a run of y/N questions, "n" here means "nothing", not the text "n"
    return raw if raw.strip() else question.default


def _footer(question: Question) -> str:
    """How to answer a question, under it."""
    footer = ("This one needs an answer." if needs_answer(question)
              else "Enter accepts the answer in [brackets].") + " ? help, b back, q quit."
    return footer + (" n, no, none or nothing leaves it blank." if question.kind == "text" else "")


def _choices(question: Question) -> list[str]:
    """The numbered choices, numbers right-aligned so the names line up (` 9. ...` over `10. ...`)."""
    width = len(str(len(question.choices)))
    return [f"{n:>{width}}. {title}" for n, (_, title, _) in enumerate(question.choices, start=1)]


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
        self._review()
        while True:
            raw = self.screen.ask(REVIEW_PROMPT).strip().lower()
            if raw in QUIT:
                self._quit()
            elif not raw or raw in SAVE:
                return self._result()
            elif raw in BACK:
                self._ask_from(len(self._current()) - 1)
                self._review()
            elif raw.isdigit() and int(raw) in self._numbers():
                self._ask_one(self.all[int(raw) - 1], no_back=None)
                self._ask_missing()
                self._review()
            else:
                numbers = self._numbers()
                self.screen.hint(f"Type a number from {numbers[0]} to {numbers[-1]} to change that answer, "
                                 "press Enter to save, b to go back, or q to quit without saving.")

    def _current(self) -> list[Question]:
        return [q for q in self.all if applicable(self.policy, q, self.values)]

    def _numbers(self) -> list[int]:
        """The number of each question that applies: its place among all the policy's questions."""
        return [self.all.index(q) + 1 for q in self._current()]

    def _review(self) -> None:
        """Every answer, numbered as its question was, and which questions were not needed."""
        rows = [(self.all.index(q) + 1, q.label, show_value(q, self.values[q.key])) for q in self._current()]
        skipped = [str(n) for n, q in enumerate(self.all, start=1) if not applicable(self.policy, q, self.values)]
        note = (f"{'Questions' if len(skipped) > 1 else 'Question'} {words_list(skipped, 'and')} "
                f"{'were' if len(skipped) > 1 else 'was'} not needed: the answer could not change what the "
                "policy permits for this post.") if skipped else ""
        self.screen.review(rows, self.recorder, note)

    def _quit(self) -> None:
        """q: leave at once when nothing has been answered; otherwise only once the person says so."""
        if self.values:
            answer = self.screen.ask(f"Quit without saving? The {plural(len(self.values), 'answer')} given "
                                     "will be lost. Quit? [y/N]: ")
            if answer.strip().lower() not in YES:
                self.screen.hint("Not quitting: nothing was lost. Carry on where you were.")
                return
        raise Quit()

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
            no_back = "This is the first question: there is nothing to go back to." if position == 0 else None
            went_back = self._ask_one(current[position], no_back=no_back)
            key = keys[position - 1] if went_back else self._next_key(key)

    def _next_key(self, key: str) -> str | None:
        """The first applicable question after `key`, in the policy's order."""
        order = [q.key for q in self.all]
        later = set(order[order.index(key) + 1:])
        return next((q.key for q in self._current() if q.key in later), None)

    def _ask_missing(self) -> None:
        """After a change on the review screen, ask any question that has become relevant."""
        while True:
            missing = [q for q in self._current() if q.key not in self.values]
            if not missing:
                return
            self._ask_one(missing[0], no_back="This question applies now because of the answer you changed: "
                                               "answer it to go back to the review.")

    def _ask_one(self, question: Question, *, no_back: str | None) -> bool:
        """Ask until a valid answer is given; True if the user went back instead (`b`), which `no_back`,
        when given, refuses with that hint. Asked from the review screen, `b` keeps the answer as it was."""
        self.screen.question(f"Question {self.all.index(question) + 1} of {len(self.all)}", question.text,
                             question.policy_text, _choices(question), self._why(question), _footer(question))
        kept = self.values.get(question.key)
        if question.kind in ("text", "required") and kept:
            self.screen.kept(str(kept))  # asked again: what Enter keeps
        while True:
            current = self.values.get(question.key, question.default)
            raw = self.screen.ask(self._prompt(question, current))
            word = raw.strip().lower()
            if word in QUIT:
                self._quit()
            elif word in HELP:
                self._help(question)
            elif word in BACK and no_back is None:
                return True
            elif word in BACK:
                self.screen.hint(no_back or "")
            else:
                try:
                    self.values[question.key] = self._value(question, raw, current)
                except ValueError as exc:
                    self.screen.hint(str(exc))
                    continue
                return False

    def _value(self, question: Question, raw: str, current: Any) -> Any:
        """The answer typed, or the one in [brackets] for Enter; ValueError with a hint if there is none."""
        if not raw.strip():
            if current is None or (question.kind == "required" and not current):
                raise ValueError(_needs_answer_hint(question))
            return current
        if question.kind == "text" and raw.strip() == "-":
            return ""
        return read_answer(question, raw, self.today)

    @staticmethod
    def _why(question: Question) -> str:
        """Under a judgement question, why it is asked (its `help` in policy.toml)."""
        return question.example if question.key.startswith("judgement.") else ""

    def _help(self, question: Question) -> None:
        """`?`: the policy's words and an example; for a judgement question (whose panel already says why
        it is asked), what a yes would let the school do, in the policy's words."""
        if not question.key.startswith("judgement."):
            self.screen.help(question.policy_text, question.example, [])
            return
        steps = judgement_effect(self.policy, _answers(self.policy, self.values), question.key.split(".", 1)[1])
        effects: list[tuple[str, str | None]] = [
            ("What a yes changes: if the parent refuses to remove the post, the policy would also let the "
             "school:" if steps else "What a yes changes: which further steps the policy permits for this post.",
             None)]
        effects += [(f"{step.title} ({step.id})", step.policy_text) for step in steps]
        self.screen.help(None, "", effects)

    def _prompt(self, question: Question, current: Any) -> str:
        if question.kind == "yesno":
            return "Answer [Y/n]: " if bool(current) != question.flagged_by_no else "Answer [y/N]: "
        if question.kind == "required":
            if current:
                return "Answer (Enter keeps what you typed before): "
            return "Answer: "
        if question.kind == "choice":
            number = next((n for n, (ident, _, _) in enumerate(question.choices, start=1) if ident == current), None)
            return "Answer: " if number is None else f"Answer [{number}]: "
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
