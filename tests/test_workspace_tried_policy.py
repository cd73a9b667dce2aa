"""A policy given with --policy or HESKET_POLICY is only tried: with or without a workspace, no case is saved
under another school's policy, and every view of cases under it says so first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, POLICY_FILE, another_schools_policy, snapshot


@pytest.fixture
def school_b(tmp_path: Path) -> Path:
    """Another school's version of the policy: its own school name, quotes unchanged."""
    return another_schools_policy(tmp_path / "school-b", "Other Primary School")


@pytest.fixture(params=["data folder", "HESKET_CASES_DIR"])
def no_workspace(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cases folder with no workspace: the data folder before init, or the old HESKET_CASES_DIR."""
    if request.param == "data folder":
        monkeypatch.delenv("HESKET_CASES_DIR")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
        return tmp_path / "home"
    return tmp_path / "cases"


def test_triage_under_another_schools_policy_without_a_workspace_is_refused(run, no_workspace, school_b,
                                                                             monkeypatch):
    """HESKET_POLICY=B with no workspace: triage is refused (exit 3) naming both policies, and saves nothing."""
    monkeypatch.setenv("HESKET_POLICY", str(school_b))
    result = run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml")
    assert (3, {}, 1) == (result.exit_code, snapshot(no_workspace), len(result.stderr.splitlines()))
    assert ("Other Primary School's" in result.stderr, "the built-in High Hesket CE School's" in result.stderr,
            "hesket init DIR --policy FILE" in result.stderr) == (True, True, True)


def test_a_dry_run_under_another_schools_policy_without_a_workspace_assesses_it(run, no_workspace, school_b,
                                                                                 monkeypatch):
    """HESKET_POLICY=B with no workspace: `triage --dry-run` still assesses the post under B, saving nothing."""
    monkeypatch.setenv("HESKET_POLICY", str(school_b))
    result = run("triage", "--dry-run", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--json")
    assert (0, False, {}) == (result.exit_code, json.loads(result.stdout)["saved"], snapshot(no_workspace))


def test_the_built_in_policy_named_explicitly_still_saves_a_case(run, cases_dir, monkeypatch):
    """HESKET_POLICY naming the built-in policy itself is no trial: triage saves the case as before."""
    monkeypatch.setenv("HESKET_POLICY", str(POLICY_FILE))
    result = run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml", "--json")
    assert (0, True) == (result.exit_code, (cases_dir / json.loads(result.stdout)["id"]).is_dir())


def test_a_write_refused_under_a_tried_policy_says_to_leave_it_out(run, tmp_path, school_b, monkeypatch):
    """In a workspace, `--policy B case note` on A's case is refused saying the tried policy is the cause."""
    assert 0 == run("init", tmp_path / "ws").exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(tmp_path / "ws"))
    case_id = json.loads(run("triage", "--answers", EXAMPLES / "kind-post.toml", "--json").stdout)["id"]
    result = run("--policy", school_b, "case", "note", case_id, "A note")
    assert (3, True) == (result.exit_code, "the policy being tried (--policy or HESKET_POLICY)" in result.stderr)


@pytest.fixture
def workspace_with_a_case(run, tmp_path, monkeypatch) -> Path:
    """High Hesket's workspace, in use through HESKET_WORKSPACE, holding one case."""
    assert 0 == run("init", tmp_path / "ws").exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(tmp_path / "ws"))
    assert 0 == run("triage", "--answers", EXAMPLES / "kind-post.toml").exit_code
    return tmp_path / "ws"


@pytest.mark.parametrize("view", [("review",), ("case", "list"), ("review", "--summary")], ids=" ".join)
def test_a_view_of_cases_under_a_tried_policy_says_so_on_its_first_line(run, workspace_with_a_case, school_b, view):
    """`--policy B review`, `case list` and `review --summary` open with the line saying the policy is tried."""
    result = run("--policy", school_b, *view)
    assert (0, f"Shown under the policy being tried, {school_b}; the workspace's own policy is not the one shown "
               "here.") == (result.exit_code, result.stdout.splitlines()[0])


@pytest.mark.parametrize("view", [("review", "--json"), ("case", "list", "--json"), ("review", "--summary", "--json"),
                                  ("review", "--csv")], ids=" ".join)
def test_json_or_csv_under_a_tried_policy_keeps_its_contract_and_warns_on_stderr(run, workspace_with_a_case,
                                                                                 school_b, view):
    """With --json or --csv, standard output is unchanged and one `Warning:` line on stderr says the policy is tried."""
    tried, own = run("--policy", school_b, *view), run(*view)
    assert (_shape(own.stdout, view), True) == (
        _shape(tried.stdout, view), tried.stderr.startswith("Warning: Shown under the policy being tried"))


def _shape(text: str, view: tuple[str, ...]) -> object:
    """What a script relies on: the CSV's header, or the JSON document's keys (each row's, for a list)."""
    if "--csv" in view:
        return text.splitlines()[0]
    doc = json.loads(text)
    return [sorted(row) for row in doc] if isinstance(doc, list) else sorted(doc)
