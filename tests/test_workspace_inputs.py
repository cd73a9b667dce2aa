"""What `init` and the global options are given: blank values refused; the school named at init is the school shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, snapshot


@pytest.mark.parametrize("args", [
    ("--workspace", "", "status"), ("--policy", "", "status"), ("init", "{ws}", "--group", ""),
    ("init", "{ws}", "--school", ""), ("init", "{ws}", "--school", "  "), ("init", "{ws}", "--policy", ""),
    ("init", "")], ids=lambda args: " ".join(a or '""' for a in args))
def test_a_blank_value_is_a_usage_error_and_makes_nothing(run, tmp_path, monkeypatch, args):
    """A blank --workspace, --policy, DIR, --group or --school: exit 2, one line, nothing made (nor in the data
    folder a blank DIR would once have fallen back to)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    result = run(*(a.format(ws=tmp_path / "ws") for a in args))
    assert (2, 1, {}, {}) == (result.exit_code, len(result.stderr.splitlines()), snapshot(tmp_path / "ws"),
                              snapshot(tmp_path / "home"))
    assert result.stderr.startswith("Error: ")


@pytest.fixture
def audit_primary(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace made with the built-in policy for a school named at init, with one case."""
    root = tmp_path / "ws"
    assert 0 == run("init", root, "--school", "Audit Primary").exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    assert 0 == run("triage", "--answers", EXAMPLES / "complaint-wrong-channel.toml").exit_code
    return root


def test_the_school_named_at_init_is_the_school_status_gives(run, audit_primary):
    """`init --school "Audit Primary"`: status names Audit Primary as the school, the policy's school apart."""
    shown = run("status").stdout
    assert ("Audit Primary", True) == (json.loads(run("status", "--json").stdout)["school"],
                                       "School: Audit Primary\n" in shown)


def test_the_school_named_at_init_heads_letters_and_the_governors_page(run, audit_primary, tmp_path):
    """A drafted letter and the governors' HTML page are headed with the workspace's school, not the policy's."""
    letter = run("letter", "2026-0001", "discussion_invitation", "--text")
    page = tmp_path / "summary.html"
    assert 0 == run("review", "--summary", "--html", page).exit_code
    assert ("Audit Primary", "High Hesket" in letter.stdout) == (letter.stdout.splitlines()[0], False)
    assert "<h1>Audit Primary: social media cases</h1>" in page.read_text(encoding="utf-8")


def test_init_prints_the_workspace_to_use_as_an_absolute_path(run, tmp_path, monkeypatch):
    """`init DIR` given a relative folder prints HESKET_WORKSPACE= with the absolute path, usable from anywhere."""
    monkeypatch.chdir(tmp_path)
    result = run("init", "rel-ws")
    assert f"set HESKET_WORKSPACE={tmp_path / 'rel-ws'}" in result.stdout


def test_status_without_a_workspace_says_there_is_none_and_how_to_make_one(run, cases_dir):
    """With no workspace, status says plainly there is none, which cases folder is used, and `hesket init DIR`."""
    first = run("status").stdout.splitlines()[0]
    assert (f"Workspace: none: the cases folder {cases_dir} (found by HESKET_CASES_DIR) is used with the built-in "
            "policy; make a workspace for your school with: hesket init DIR") == first


def test_a_void_case_says_it_is_void_not_closed(run, cases_dir):
    """`case void` shows the case's next step as none because it is void, never "the case is closed"."""
    assert 0 == run("triage", "--answers", EXAMPLES / "kind-post.toml").exit_code
    shown = run("case", "void", "2026-0001", "--reason", "Triaged by mistake").stdout
    assert (True, False) == ("Next step: none: the case is void" in shown, "the case is closed" in shown)
