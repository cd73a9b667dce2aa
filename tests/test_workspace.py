"""A school's workspace: its policy bound to its cases, versions kept, voids, dry runs, and sharing by a group."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, POLICY_FILE, ROOT, another_schools_policy, snapshot


@pytest.fixture
def school_b(tmp_path: Path) -> Path:
    """Another school's version of the policy: its own school name and title, quotes unchanged."""
    return another_schools_policy(tmp_path / "school-b", "Example Primary School", "Parents and social media")


@pytest.fixture
def workspace(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace made with hesket init (the built-in policy), in use through HESKET_WORKSPACE."""
    root = tmp_path / "ws"
    result = run("init", root)
    assert 0 == result.exit_code, result.output
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    return root


def _triage(run, *args: str, name: str = "complaint-wrong-channel") -> str:
    result = run(*args, "triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)["id"]


# -- init and finding the workspace -----------------------------------------------------------


def test_init_makes_settings_policy_cases_and_the_first_version(run, tmp_path):
    """`hesket init DIR` writes hesket.toml, the policy with its source, cases/ and the policy's first version."""
    root = tmp_path / "new"
    result = run("init", root, "--school", "Example Primary School")
    assert 0 == result.exit_code, result.output
    policy_sha = json.loads(run("--workspace", root, "policy", "show", "--json").stdout)["sha256"]
    assert {"hesket.toml", "policy.toml", "policy.txt", f"policies/{policy_sha}/policy.toml",
            f"policies/{policy_sha}/policy.txt"} == set(snapshot(root))
    assert (root / "cases").is_dir()
    assert 'school = "Example Primary School"' in (root / "hesket.toml").read_text(encoding="utf-8")
    assert f"Use it with: hesket --workspace {root} COMMAND" in result.stdout


def test_init_over_an_existing_workspace_is_refused_and_force_never_touches_cases(run, workspace):
    """A second init is refused, changing nothing; with --force the settings are rewritten and cases kept."""
    case_id = _triage(run)
    before = snapshot(workspace)
    again = run("init", workspace)
    assert (3, before) == (again.exit_code, snapshot(workspace))
    assert "is already a workspace; nothing was changed" in again.stderr
    forced = run("init", workspace, "--force", "--school", "Renamed School")
    cases = {k: v for k, v in snapshot(workspace).items() if k.startswith("cases/")}
    assert (0, {k: v for k, v in before.items() if k.startswith("cases/")}) == (forced.exit_code, cases)
    assert case_id in run("case", "list").stdout


@pytest.mark.parametrize("problem", ["missing", "a-file", "no-settings", "newer", "bad-key"])
def test_a_workspace_that_cannot_be_used_is_one_error_line(run, tmp_path, problem):
    """A missing folder, a file, a folder without settings, newer settings or an unknown key: exit 3, one line."""
    root = tmp_path / "ws"
    if problem == "a-file":
        root.write_text("not a folder", encoding="utf-8")
    elif problem != "missing":
        root.mkdir()
    if problem in ("newer", "bad-key"):
        text = 'format = 9\nschool = "X"\npolicy = "policy.toml"\n' if problem == "newer" else \
            'format = 1\nschool = "X"\npolicy = "policy.toml"\ncolour = "blue"\n'
        (root / "hesket.toml").write_text(text, encoding="utf-8")
    result = run("--workspace", root, "case", "list")
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))
    expected = {"missing": "no such workspace folder", "a-file": "is a file, not a workspace folder",
                "no-settings": "not a workspace (no hesket.toml)", "newer": "written by a newer hesket",
                "bad-key": "unknown key 'colour'"}[problem]
    assert expected in result.stderr


def test_workspace_wins_over_the_old_cases_folder_variable(run, workspace, tmp_path, monkeypatch):
    """With HESKET_WORKSPACE and HESKET_CASES_DIR both set, the workspace's cases folder is used."""
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "old-cases"))
    case_id = _triage(run)
    assert ((workspace / "cases" / case_id).is_dir(), False) == (True, (tmp_path / "old-cases").exists())


def test_status_says_which_workspace_policy_cases_and_who(run, workspace):
    """`hesket status --json` names the workspace, its policy, the cases by status, and who may use it."""
    _triage(run)
    doc = json.loads(run("status", "--json").stdout)
    assert (str(workspace), "High Hesket CE School", {"open": 1, "closed": 0, "void": 0, "unreadable": 0},
            "you only (folders 0700, files 0600)") == (
        doc["workspace"], doc["policy"]["school"], doc["cases"], doc["access"])


# -- the policy in force belongs to the workspace ---------------------------------------------------


def test_a_write_under_another_schools_policy_is_refused_naming_both(run, workspace, school_b):
    """A case triaged under school A's policy cannot be recorded on under school B's: exit 3, nothing written."""
    case_id = _triage(run)
    before = snapshot(workspace)
    result = run("--policy", school_b, "case", "record", case_id, "discuss_and_request_removal")
    assert (3, before) == (result.exit_code, snapshot(workspace))
    assert ("High Hesket CE School's \"Policy on parental use of social networking and internet sites\"" in result.stderr
            and "Example Primary School's \"Parents and social media\"" in result.stderr)


def test_triage_under_a_trial_policy_of_another_school_saves_nothing(run, workspace, school_b):
    """`--policy B triage` in school A's workspace is refused; `--dry-run` with it assesses and saves nothing."""
    before = snapshot(workspace)
    refused = run("--policy", school_b, "triage", "--answers", EXAMPLES / "kind-post.toml")
    tried = run("--policy", school_b, "triage", "--dry-run", "--answers", EXAMPLES / "kind-post.toml", "--json")
    assert (3, 0, before) == (refused.exit_code, tried.exit_code, snapshot(workspace))
    assert (None, False) == (json.loads(tried.stdout)["id"], json.loads(tried.stdout)["saved"])


def test_a_case_is_shown_under_another_policy_only_when_asked_and_says_so(run, workspace, school_b):
    """`case show` uses the workspace's policy; `--policy B case show` shows it under B, its first line saying so."""
    case_id = _triage(run)
    own = run("case", "show", case_id).stdout
    tried = run("--policy", school_b, "case", "show", case_id).stdout
    assert (True, True) == (own.startswith(f"Case {case_id}"), tried.startswith("Shown under the policy being tried"))


def test_a_case_from_another_schools_policy_is_flagged_in_the_first_line(run, tmp_path, cases_dir, school_b):
    """Without a workspace, a case brought from school B's folder says whose policy it was, and is not written to."""
    assert 0 == run("init", tmp_path / "ws-b", "--policy", school_b).exit_code
    case_id = _triage(run, "--workspace", tmp_path / "ws-b")
    shutil.copytree(tmp_path / "ws-b" / "cases" / case_id, cases_dir / case_id)
    shown = run("case", "show", case_id).stdout
    recorded = run("case", "record", case_id, "discuss_and_request_removal")
    assert shown.startswith("This case was triaged under Example Primary School's \"Parents and social media\"")
    assert (3, True) == (recorded.exit_code, "in a workspace whose policy is Example Primary School's" in recorded.stderr)


def test_adopting_a_policy_keeps_the_old_version_and_as_triaged_quotes_it(run, workspace, tmp_path):
    """`policy adopt` keeps the previous version by SHA-256, and `case show --as-triaged` shows its words."""
    case_id = _triage(run)
    old = "as a first step the school will usually discuss"
    new = "as a first step the school will normally discuss"
    folder = tmp_path / "reviewed"
    folder.mkdir()
    (folder / "policy.toml").write_text(POLICY_FILE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    published = " ".join((ROOT / "policy.txt").read_text(encoding="utf-8").split())
    (folder / "policy.txt").write_text(published.replace(old, new), encoding="utf-8")
    adopted = run("policy", "adopt", folder / "policy.toml")
    assert 0 == adopted.exit_code, adopted.output
    now = " ".join(run("case", "show", case_id).stdout.split())
    then = " ".join(run("case", "show", case_id, "--as-triaged").stdout.split())
    assert (True, True) == (new in now, old in then)
    assert 2 == len(list((workspace / "policies").iterdir()))


def test_policy_adopt_of_a_policy_that_fails_its_check_changes_nothing(run, workspace, tmp_path):
    """Adopting a broken policy exits 3 and leaves the workspace as it was."""
    broken = tmp_path / "broken.toml"
    broken.write_text("format = 1\n", encoding="utf-8")
    before = snapshot(workspace)
    result = run("policy", "adopt", broken)
    assert (3, before) == (result.exit_code, snapshot(workspace))


# -- void and dry run ----------------------------------------------------------------------------


def test_a_voided_case_is_out_of_review_check_list_and_the_summary(run, workspace):
    """A void case leaves review, --check (exit 0) and the counts; `case list --status all` shows it, void."""
    case_id = _triage(run, name="threat-of-violence")
    assert 6 == run("review", "--check").exit_code
    voided = run("case", "void", case_id, "--reason", "Triaged twice by mistake", "--json")
    assert (0, "void") == (voided.exit_code, json.loads(voided.stdout)["status"])
    listed = json.loads(run("case", "list", "--status", "all", "--json").stdout)
    assert ([], 0, 0, [("void", "Triaged twice by mistake")]) == (
        json.loads(run("review", "--json", "--status", "all").stdout), run("review", "--check").exit_code,
        json.loads(run("review", "--summary", "--json").stdout)["cases"],
        [(d["status"], d["events"][-1]["reason"]) for d in listed])
    assert [] == json.loads(run("case", "list", "--json").stdout)


def test_nothing_more_is_recorded_on_a_void_case(run, workspace):
    """A note or a step on a void case is refused (exit 5), and nothing is written."""
    case_id = _triage(run)
    run("case", "void", case_id, "--reason", "A mistake")
    before = snapshot(workspace)
    results = [run("case", "note", case_id, "After the void"), run("case", "record", case_id, "close_case")]
    assert ([5, 5], before) == ([r.exit_code for r in results], snapshot(workspace))


def test_a_dry_run_writes_nothing_anywhere(run, tmp_path, monkeypatch):
    """`triage --dry-run` (the Quick start's) leaves every folder it could touch exactly as it was."""
    monkeypatch.delenv("HESKET_CASES_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    before = snapshot(tmp_path)
    result = run("triage", "--dry-run", "--answers", EXAMPLES / "complaint-wrong-channel.toml")
    assert (0, before) == (result.exit_code, snapshot(tmp_path))
    assert result.stdout.startswith("Assessment only (--dry-run): nothing was saved")


# -- sharing by a group, with real users ------------------------------------------------------------


def _run_as_root_only() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("needs root (CI runs as root) to create OS users and a group for the test")


def test_a_group_that_does_not_exist_or_that_you_are_not_in_is_refused(run, tmp_path):
    """`init --group` with an unknown group, or one the user is not in, is one Error line; nothing is made."""
    unknown = run("init", tmp_path / "ws", "--group", "no-such-group-hesket")
    assert (3, False) == (unknown.exit_code, (tmp_path / "ws").exists())
    assert "there is no group named 'no-such-group-hesket'" in unknown.stderr
