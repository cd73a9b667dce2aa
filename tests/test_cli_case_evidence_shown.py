"""case show and a case's evidence: where each attachment is kept, and whether it is still as attached."""

from __future__ import annotations

import json

from conftest import EXAMPLES


def _triage(run, name: str) -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def test_case_show_says_where_each_attachment_is_kept(run, tmp_path, cases_dir):
    """case show gives each attachment's path, so it can be opened, and --json gives it too."""
    case_id = _triage(run, "threat-of-violence")
    evidence = tmp_path / "post.png"
    evidence.write_bytes(b"made-up screenshot")
    assert 0 == run("case", "attach", case_id, evidence).exit_code
    kept = cases_dir / case_id / "evidence" / "001-post.png"
    shown = run("case", "show", case_id, env={"COLUMNS": "300"}).stdout
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    assert (True, True, [{"file": "001-post.png", "path": str(kept), "problem": None}]) == (
        kept.exists(), f"  {kept}  (was post.png, 18 bytes)" in shown, doc["evidence"])


def test_case_show_flags_evidence_that_has_changed(run, tmp_path, cases_dir):
    """Evidence changed after it was attached is flagged at the top and beside it, and in --json."""
    case_id = _triage(run, "threat-of-violence")
    evidence = tmp_path / "post.png"
    evidence.write_bytes(b"made-up screenshot")
    assert 0 == run("case", "attach", case_id, evidence).exit_code
    kept = cases_dir / case_id / "evidence" / "001-post.png"
    kept.chmod(0o600)
    kept.write_bytes(b"something else")
    shown = run("case", "show", case_id, env={"COLUMNS": "300"}).stdout
    problem = json.loads(run("case", "show", case_id, "--json").stdout)["evidence"][0]["problem"]
    assert (True, True, True) == (
        "Evidence: 1 of 1 no longer as attached (changed or missing)" in shown,
        f"PROBLEM: {problem}" in shown, problem.startswith("changed since it was attached on"))


def test_case_show_flags_evidence_that_is_missing(run, tmp_path, cases_dir):
    """An attachment removed from the case's folder is flagged as missing."""
    case_id = _triage(run, "threat-of-violence")
    evidence = tmp_path / "post.png"
    evidence.write_bytes(b"made-up screenshot")
    assert 0 == run("case", "attach", case_id, evidence).exit_code
    (cases_dir / case_id / "evidence" / "001-post.png").unlink()
    problem = json.loads(run("case", "show", case_id, "--json").stdout)["evidence"][0]["problem"]
    assert problem.startswith("missing")
