"""The policy file as the case generator needs it: ids, conditions, and what may come next.

Its one job: let benchmarks/cases.py draw histories the engine would accept,
from the policy file itself (read with tomllib), so a school's renamed step
or a new checklist item is picked up without editing the benchmarks. It
mirrors the engine's order of steps (hesket_cli/engine.py `assess`) in a few
lines; `python benchmarks/cases.py N DIR --check` asks the real engine to
confirm every generated history, so a drift here shows at once. It never
imports hesket.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTCOME_LEADS_TO_ESCALATION = "escalation"


@dataclass(frozen=True)
class StepRule:
    """A step of the ladder: its stage and the conditions the engine checks."""

    id: str
    stage: str
    when: tuple[str, ...]
    at_once_when: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class PolicyFacts:
    """What the generator needs from a policy file."""

    title: str
    last_reviewed: str
    sha256: str
    considerations: tuple[str, ...]
    checklist: tuple[str, ...]
    judgements: tuple[str, ...]
    platforms: tuple[str, ...]
    posters: tuple[str, ...]
    steps: tuple[StepRule, ...]
    outcomes: tuple[tuple[str, str], ...]

    @property
    def step_ids(self) -> frozenset[str]:
        """Every step id."""
        return frozenset(s.id for s in self.steps)

    @property
    def first_steps(self) -> tuple[str, ...]:
        """The steps of the first stage (the discussion with the parent)."""
        return tuple(s.id for s in self.steps if s.stage == "first")

    @property
    def escalation_steps(self) -> tuple[str, ...]:
        """Escalation steps that apply to every post (no conditions, nothing needed before)."""
        return tuple(s.id for s in self.steps if s.stage == "escalation" and not s.when and not s.after)

    @property
    def escalating_outcome(self) -> str:
        """The first outcome after which the escalation steps are permitted (the parent refused)."""
        return next(o for o, leads_to in self.outcomes if leads_to == OUTCOME_LEADS_TO_ESCALATION)

    def facts(self, answers: Mapping[str, Any]) -> frozenset[str]:
        """Everything a condition can name that is true of these answers (engine.facts, on plain data)."""
        incident = answers["incident"]
        found = {f"platform.{incident['platform']}", f"poster.{incident['poster']}"}
        for section, prefix in (("considerations", "consideration"), ("checklist", "checklist")):
            for key, value in answers[section].items():
                if value is True:
                    found |= {f"{prefix}.{key}", f"{prefix}.any"}
        if str(answers["checklist"].get("other") or "").strip():
            found |= {"checklist.other", "checklist.any"}
        found |= {f"judgement.{key}" for key, value in answers["judgement"].items() if value}
        return frozenset(found)


def _holds(conditions: Sequence[str], known: frozenset[str]) -> bool:
    """A condition list holds when it is empty or any one entry holds."""
    if not conditions:
        return True
    return any((c[4:] not in known) if c.startswith("not ") else (c in known) for c in conditions)


class Progress:
    """Where a case stands after some events: the engine's status, next step and what it permits."""

    def __init__(self, policy: PolicyFacts, known: frozenset[str], names: Sequence[str]) -> None:
        self.status = "open"
        for name in reversed(names):
            if name in ("close_case", "reopen_case"):
                self.status = "closed" if name == "close_case" else "open"
                break
        self.next_step: str | None = None
        self.permitted: tuple[str, ...] = ()
        self.outcomes: tuple[str, ...] = ()
        if self.status == "open":
            taken = set(names)
            if "checklist.any" in known:
                self._inappropriate(policy, known, names, taken)
            else:
                self._appropriate(policy, known, taken)

    def _stage(self, policy: PolicyFacts, stage: str, known: frozenset[str], taken: set[str]) -> list[str]:
        """The steps of a stage whose conditions hold and whose `after` steps were taken."""
        return [s.id for s in policy.steps
                if s.stage == stage and _holds(s.when, known) and all(a in taken for a in s.after)]

    def _appropriate(self, policy: PolicyFacts, known: frozenset[str], taken: set[str]) -> None:
        permitted = self._stage(policy, "appropriate", known, taken)
        done = any(s.id in taken for s in policy.steps if s.stage == "appropriate")
        self.permitted = tuple(permitted)
        self.next_step = permitted[0] if permitted and not done else "close_case"

    def _inappropriate(self, policy: PolicyFacts, known: frozenset[str], names: Sequence[str],
                       taken: set[str]) -> None:
        discussed = any(s in taken for s in policy.first_steps)
        last = _last_outcome(policy, names)
        candidates, permitted, fallback = self._choices(policy, known, taken, discussed, last)
        if discussed or last is not None:
            self.outcomes = tuple(o for o, _ in policy.outcomes)
        order = [s.id for s in policy.steps]
        self.permitted = tuple(sorted(set(permitted), key=order.index))
        self.next_step = candidates[0] if candidates else fallback

    def _choices(self, policy: PolicyFacts, known: frozenset[str], taken: set[str], discussed: bool,
                 last: str | None) -> tuple[list[str], list[str], str]:
        """(the steps to suggest in order, the steps permitted, what to suggest when none is left)."""
        at_once = [s.id for s in policy.steps if s.at_once_when and _holds(s.at_once_when, known)
                   and all(a in taken for a in s.after)]
        if last is None and not discussed:
            first = self._stage(policy, "first", known, taken)
            return [s for s in at_once if s not in taken] + first, first + at_once, "close_case"
        if last != OUTCOME_LEADS_TO_ESCALATION:
            return [], at_once, "record_outcome" if last is None else "close_case"
        escalation = self._stage(policy, "escalation", known, taken)
        return [s for s in escalation if s not in taken], escalation + at_once, "record_outcome"


def _last_outcome(policy: PolicyFacts, names: Sequence[str]) -> str | None:
    """What the last outcome recorded leads to (None if no outcome yet)."""
    leads = dict(policy.outcomes)
    return next((leads[n] for n in reversed(names) if n in leads), None)


def load_policy_facts(path: Path) -> PolicyFacts:
    """Read a policy file (as `hesket policy path` names it) into what the generator needs."""
    raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    header = data["policy"]
    steps = tuple(
        StepRule(key, value["stage"], tuple(value.get("when", ())), tuple(value.get("at_once_when", ())),
                 tuple(value.get("after", ())))
        for key, value in data["steps"].items()
    )
    return PolicyFacts(
        title=header["title"],
        last_reviewed=max(header.get("reviewed", ()), default=header.get("adopted", "")),
        sha256=hashlib.sha256(raw).hexdigest(),
        considerations=tuple(data["considerations"]),
        checklist=tuple(data["checklist"]),
        judgements=tuple(data.get("judgement", {})),
        platforms=tuple(data["platforms"]),
        posters=tuple(data["posters"]),
        steps=steps,
        outcomes=tuple((key, value["leads_to"]) for key, value in data["outcomes"].items()),
    )
