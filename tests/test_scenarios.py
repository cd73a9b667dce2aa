"""Every named situation in tests/scenarios/ gets the verdict, steps and outcomes the policy gives it.

A scenario is data: answers as an answers file holds them, the events recorded
since, and what the engine must say; `today` (optional) is the date it is
assessed on, for the school's helpline setting, the one date-dependent rule.
Adding a situation means adding a file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from hesket_cli.answers import Answers, parse_answers
from hesket_cli.case import Event
from hesket_cli.engine import assess
from hesket_cli.policy_file import load_policy
from hesket_cli.refusals import correction_problem, date_problem

from conftest import ROOT

SCENARIOS = ROOT / "tests" / "scenarios"
FILES = sorted(SCENARIOS.glob("*.toml"))
POLICY = load_policy(ROOT / "policy.toml")
TODAY = dt.date(2026, 11, 24)
AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _answers(scenario: dict, path: Path) -> Answers:
    return parse_answers(scenario["answers"], POLICY, today=TODAY, source=path.name)


def _event(entry: str | dict) -> Event:
    """An event as a scenario writes it: a bare event id, or a table with `event` and its own keys."""
    if isinstance(entry, str):
        return Event(event=entry, at=AT, on=AT.date(), by="Test Recorder")
    return Event(at=AT, by="Test Recorder", **{"on": AT.date(), **entry})


def _events(scenario: dict) -> tuple[Event, ...]:
    return tuple(_event(e) for e in scenario["events"])


def _later(scenario: dict, path: Path) -> tuple[Answers, ...]:
    """The answers of later posts by the same person (`[[posts]]`), each as an answers file holds them."""
    return tuple(parse_answers(post, POLICY, today=TODAY, source=path.name) for post in scenario.get("posts", []))


def _expected(scenario: dict) -> dict:
    wanted = scenario["expected"]
    return {
        "verdict": wanted["verdict"],
        "next_step": wanted["next_step"] or None,
        "permitted": list(wanted["permitted"]),
        "outcomes": list(wanted["outcomes"]),
        "status": wanted.get("status", "open"),
        **{key: list(wanted[key]) for key in ("urgent", "declined", "notices", "notices_done") if key in wanted},
    }


def _holds(kind: str, item: str, answers: Answers) -> bool:
    """Whether one condition entry is true of the answers (read directly, not through the engine)."""
    if kind == "checklist":
        return bool(answers.checklist.get(item))
    if kind == "judgement":
        return bool(answers.judgement.get(item))
    if kind == "consideration":
        return bool(answers.considerations.get(item))
    if kind == "platform":
        return answers.incident.platform == item
    if kind == "poster":
        return answers.incident.poster == item
    raise AssertionError(f"unexpected condition kind {kind}")


def test_scenario_folder_is_not_empty():
    """There are scenarios to run, so the parametrised test cannot pass by running nothing."""
    assert [] != FILES


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path):
    """The engine's verdict, next step, permitted steps, outcomes and status match the scenario."""
    scenario = _load(path)
    result = assess(POLICY, _answers(scenario, path), _events(scenario), later=_later(scenario, path),
                    today=scenario.get("today"))
    expected = _expected(scenario)
    actual = {
        "verdict": result.verdict,
        "next_step": result.next_step.id if result.next_step else None,
        "permitted": [s.id for s in result.permitted],
        "outcomes": list(result.outcomes),
        "status": result.status,
        "urgent": list(result.urgent),
        "declined": list(result.declined),
        "notices": [n.id for n in result.notices],
        "notices_done": [n.id for n in result.notices if n.done],
    }
    assert expected == {key: actual[key] for key in expected}


DATED = [p for p in FILES if "dated" in _load(p)]


@pytest.mark.parametrize("path", DATED, ids=[p.stem for p in DATED])
def test_scenario_date_rule(path: Path):
    """An event dated before what it follows in the policy (or before the post was seen) is refused; at or after
    it, it is accepted. A correction (`corrects = N`) is held to the same rules over the corrected history."""
    scenario = _load(path)
    dated = scenario["dated"]
    answers = _answers(scenario, path)
    seen, events = answers.incident.observed_on, _events(scenario)
    problem = correction_problem(POLICY, seen, events, dated["corrects"], dated["on"]) if "corrects" in dated else \
        date_problem(POLICY, seen, events, dated["event"], dated["on"])
    assert (dated["refused"], dated.get("names", "")) == (problem is not None,
                                                           dated.get("names", "") if problem is None or
                                                           dated.get("names", "") in problem else problem)


def test_scenarios_use_only_known_events_and_say_what_they_are():
    """Every scenario names itself, describes itself, and records only events the policy knows."""
    known = set(POLICY.event_ids)
    problems = []
    for path in FILES:
        scenario = _load(path)
        if not scenario.get("name", "").strip() or not scenario.get("description", "").strip():
            problems.append(f"{path.name}: name or description missing")
        own = {"decline", "correct", "note", "evidence", "post", "void"}
        problems += [f"{path.name}: unknown event {e!r}" for e in (_event(x).event for x in scenario["events"])
                     if e not in known | own]
    assert [] == problems


def test_every_step_of_the_ladder_is_permitted_in_some_scenario():
    """Each step in policy.toml appears in at least one scenario's expected permitted list."""
    seen = {step for path in FILES for step in _load(path)["expected"]["permitted"]}
    assert [] == [s.id for s in POLICY.steps if s.id not in seen]


def test_every_escalation_condition_alone_permits_its_step_in_some_scenario():
    """For each condition of each escalation step, some scenario has only that condition hold and the step permitted."""
    missing = []
    for step in POLICY.steps:
        if step.stage != "escalation":
            continue
        for condition in step.when:
            covered = False
            for path in FILES:
                scenario = _load(path)
                answers = _answers(scenario, path)
                holding = [c for c in step.when if _holds(c.kind, c.id, answers) != c.negated]
                if holding == [condition] and step.id in scenario["expected"]["permitted"]:
                    covered = True
                    break
            if not covered:
                missing.append(f"{step.id}: {condition}")
    assert [] == missing


def test_every_conditional_escalation_step_is_absent_in_some_escalated_scenario():
    """Each escalation step with a condition or prerequisite is shown missing where it does not hold."""
    always = [s.id for s in POLICY.steps if s.stage == "escalation" and not s.when and not s.after]
    missing = []
    for step in POLICY.steps:
        if step.stage != "escalation" or (not step.when and not step.after):
            continue
        found = False
        for path in FILES:
            permitted = _load(path)["expected"]["permitted"]
            if all(a in permitted for a in always) and step.id not in permitted:
                found = True
                break
        if not found:
            missing.append(step.id)
    assert [] == missing
