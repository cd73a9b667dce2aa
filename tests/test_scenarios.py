"""Every named situation in tests/scenarios/ gets the verdict, steps and outcomes the policy gives it.

A scenario is data: answers as an answers file holds them, the events recorded
since, and what the engine must say. Adding a situation means adding a file.
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


def _events(scenario: dict) -> tuple[Event, ...]:
    return tuple(Event(event=e, at=AT, on=AT.date(), by="Test Recorder") for e in scenario["events"])


def _expected(scenario: dict) -> dict:
    wanted = scenario["expected"]
    return {
        "verdict": wanted["verdict"],
        "next_step": wanted["next_step"] or None,
        "permitted": list(wanted["permitted"]),
        "outcomes": list(wanted["outcomes"]),
        "status": wanted.get("status", "open"),
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
    result = assess(POLICY, _answers(scenario, path), _events(scenario))
    actual = {
        "verdict": result.verdict,
        "next_step": result.next_step.id if result.next_step else None,
        "permitted": [s.id for s in result.permitted],
        "outcomes": list(result.outcomes),
        "status": result.status,
    }
    assert _expected(scenario) == actual


def test_scenarios_use_only_known_events_and_say_what_they_are():
    """Every scenario names itself, describes itself, and records only events the policy knows."""
    known = set(POLICY.event_ids)
    problems = []
    for path in FILES:
        scenario = _load(path)
        if not scenario.get("name", "").strip() or not scenario.get("description", "").strip():
            problems.append(f"{path.name}: name or description missing")
        problems += [f"{path.name}: unknown event {e!r}" for e in scenario["events"] if e not in known]
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
