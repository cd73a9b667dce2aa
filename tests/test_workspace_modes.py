"""A workspace's folder, settings and policy more open than hesket makes them: refused with the fix; status truthful."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, snapshot

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows permissions are not modes; hesket checks none there")


@pytest.fixture
def workspace(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private workspace (the built-in policy) with one case, in use through HESKET_WORKSPACE."""
    root = tmp_path / "ws"
    assert 0 == run("init", root).exit_code
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    assert 0 == run("triage", "--answers", EXAMPLES / "kind-post.toml").exit_code
    return root


def _kept_version(root: Path) -> Path:
    return next((root / "policies").iterdir()) / "policy.toml"


@pytest.mark.parametrize(("place", "mode", "fix"), [
    ("", 0o777, "chmod g-w,o-w"), ("hesket.toml", 0o666, "chmod g-w,o-w"), ("policy.toml", 0o666, "chmod g-w,o-w"),
    ("policy.txt", 0o602, "chmod o-w"), ("policies", 0o757, "chmod o-w")])
def test_a_workspace_file_or_folder_others_may_change_is_refused_naming_it_and_the_fix(run, workspace, place, mode,
                                                                                       fix):
    """The workspace folder, hesket.toml, its policy or the kept versions writable by others: exit 3, one line."""
    path = workspace / place if place else workspace
    path.chmod(mode)
    before = snapshot(workspace)
    command = ("case", "show", "2026-0001", "--as-triaged") if place == "policies" else ("review",)
    result = run(*command)
    path.chmod(0o700 if path.is_dir() else 0o600)
    assert (3, 1, before) == (result.exit_code, len(result.stderr.splitlines()), snapshot(workspace))
    assert f"Error: {path}: other users may change this" in result.stderr
    assert f"{fix} {path}" in result.stderr


def test_a_kept_version_others_may_change_is_refused(run, workspace):
    """A kept version of the policy writable by others is refused when a case is shown as triaged."""
    kept = _kept_version(workspace)
    kept.chmod(0o666)
    result = run("case", "show", "2026-0001", "--as-triaged")
    assert (3, True) == (result.exit_code, f"{kept}: other users may change this file" in result.stderr)


def test_status_reports_the_modes_it_finds_not_the_ones_hesket_meant(run, workspace):
    """With the workspace folder at 0755, `status` no longer says "you only": it names the mode and the fix."""
    workspace.chmod(0o755)
    shown = run("status").stdout
    doc = json.loads(run("status", "--json").stdout)
    assert ("Who may use it: you only (folders 0700, files 0600)\n" in shown,
            f"  {workspace} is 0755, not 0700 (fix with: chmod 700 {workspace})" in shown) == (False, True)
    assert [f"{workspace} is 0755, not 0700 (fix with: chmod 700 {workspace})"] == doc["modes_differ"]


def test_status_of_a_workspace_as_hesket_made_it_says_you_only(run, workspace):
    """A workspace as `init` made it: status says it is for you only, and no mode differs."""
    doc = json.loads(run("status", "--json").stdout)
    assert ("you only (folders 0700, files 0600)", []) == (doc["access"], doc["modes_differ"])
