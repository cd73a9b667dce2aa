"""`policy adopt` of another school's policy: refused unless the school is named; what is refused after says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, another_schools_policy, snapshot


@pytest.fixture
def other_school(tmp_path: Path) -> Path:
    """Other Primary School's version of the policy (its name only differs)."""
    return another_schools_policy(tmp_path / "other", "Other Primary School")


@pytest.fixture
def workspace(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """High Hesket's workspace (the built-in policy), with a school setting of its own, and one case."""
    root = tmp_path / "ws"
    assert 0 == run("init", root).exit_code
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write("# our review timings\n[timings]\ndiscussion_days = 5\n")
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    assert 0 == run("triage", "--answers", EXAMPLES / "kind-post.toml").exit_code
    return root


def test_adopting_another_schools_policy_is_refused_unless_the_school_is_named(run, workspace, other_school):
    """Another school's policy without --school: exit 3, one line saying both schools and the option; no change."""
    before = snapshot(workspace)
    result = run("policy", "adopt", other_school)
    assert (3, 1, before) == (result.exit_code, len(result.stderr.splitlines()), snapshot(workspace))
    assert (True, True) == ("is Other Primary School's policy, but this workspace is High Hesket CE School's"
                            in result.stderr, '--school "Other Primary School"' in result.stderr)


def test_adopting_another_schools_policy_with_its_name_renames_the_workspace_keeping_its_settings(
        run, workspace, other_school):
    """With --school, the policy is adopted, hesket.toml names the school, and its other settings stay."""
    result = run("policy", "adopt", other_school, "--school", "Other Primary School")
    settings = (workspace / "hesket.toml").read_text(encoding="utf-8")
    assert (0, True, True, True) == (result.exit_code, 'school = "Other Primary School"' in settings,
                                     "# our review timings\n[timings]\ndiscussion_days = 5\n" in settings,
                                     "can still be shown" in result.stdout)
    assert "Other Primary School" == json.loads(run("status", "--json").stdout)["policy"]["school"]


def test_a_blank_school_given_to_adopt_is_a_usage_error(run, workspace, other_school):
    """`policy adopt FILE --school ""` exits 2 with one line, and changes nothing."""
    before = snapshot(workspace)
    result = run("policy", "adopt", other_school, "--school", "")
    assert (2, 1, before) == (result.exit_code, len(result.stderr.splitlines()), snapshot(workspace))


def test_a_write_refused_after_an_adopt_says_the_policy_was_adopted_not_tried(run, workspace, other_school):
    """After adopting another school's policy, a note on an older case is refused naming the adopt, not --policy."""
    assert 0 == run("policy", "adopt", other_school, "--school", "Other Primary School").exit_code
    result = run("case", "note", "2026-0001", "A note")
    assert (3, True, False) == (result.exit_code, "this workspace has since adopted Other Primary School's"
                                in result.stderr, "--policy" in result.stderr)
