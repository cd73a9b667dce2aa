"""hesket report: the platform report pack for a case, from its structured facts, with sourced and dated routes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hesket_cli.platform_routes import load_routes

from conftest import EXAMPLES, POLICY_FILE

EXACT = "Is the head really fit to run this school?"
CHILD = "Jamie Plantedchild"
NOTE = "Staff note: the office spoke to the parent's neighbour"
PLATFORMS = [p.id for p in load_routes().platforms]


def _ok(result) -> None:
    assert 0 == result.exit_code, result.stderr


def _case(run, tmp_path: Path, platform: str = "facebook", *, escalated: bool = False) -> str:
    """A defamatory post on `platform` whose staff summary and note name a child; captured with its exact words."""
    answers = (EXAMPLES / "defamatory-post.toml").read_text(encoding="utf-8")
    answers = answers.replace('platform = "facebook"', f'platform = "{platform}"')
    answers = answers.replace('summary = "A parent', f'summary = "{CHILD} was upset. A parent')
    path = tmp_path / "answers.toml"
    path.write_text(answers, encoding="utf-8")
    result = run("triage", "--answers", path, "--json")
    _ok(result)
    case_id = json.loads(result.stdout)["id"]
    _ok(run("case", "capture", case_id, "--url", "https://example.invalid/post/1", "--account", "@pat_example",
            "--posted-at", "2026-11-18T21:04", "--text", EXACT))
    _ok(run("case", "note", case_id, f"{NOTE} about {CHILD}"))
    if escalated:
        _ok(run("case", "record", case_id, "discuss_and_request_removal"))
        _ok(run("case", "record", case_id, "refused"))
    return case_id


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_pack_for_each_platform_names_its_route_source_and_checked_date(run, tmp_path, platform):
    """For every platform of the routes file: a route, its source and last-checked date; no child, no staff note."""
    result = run("report", _case(run, tmp_path, platform))
    _ok(result)
    route = next(r for r in load_routes().platform(platform).routes if r.found)
    text = result.stdout
    assert (True, True, True) == ("Route 1: " in text, f"Source: {route.source[0]}" in text,
                                  f"Checked: {route.checked.isoformat()}" in text)
    assert (False, False, True) == (CHILD in text, NOTE in text, EXACT in text)


def test_the_json_pack_carries_the_contract_and_the_captured_facts(run, tmp_path):
    """--json: contract 1, the routes for the case's kinds of harm (as the policy's data maps them), the summary."""
    result = run("report", _case(run, tmp_path, "youtube"), "--json")
    _ok(result)
    doc = json.loads(result.stdout)
    fields = {f["label"]: f["value"] for f in doc["summary"]["fields"]}
    assert (1, "youtube", ["harassment", "defamation"]) == (doc["contract"], doc["platform"]["id"], doc["harms"])
    assert ("https://example.invalid/post/1", "@pat_example", "2026-11-18 21:04") == (
        fields["Address of the post (URL)"], fields["Account that posted it"], fields["Posted (as shown on the site)"])
    assert (True, False) == (doc["summary"]["text"].endswith(EXACT), CHILD in result.stdout)


def test_the_kind_of_harm_comes_from_the_policys_data(run, tmp_path):
    """A policy mapping the defamatory item to impersonation picks the impersonation route: the map is data."""
    case_id = _case(run, tmp_path)
    edited = POLICY_FILE.read_text(encoding="utf-8").replace('harm = "defamation"', 'harm = "impersonation"')
    (tmp_path / "policy.toml").write_text(edited, encoding="utf-8")
    (tmp_path / "policy.txt").write_text((POLICY_FILE.parent / "policy.txt").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    doc = json.loads(run("--policy", tmp_path / "policy.toml", "report", case_id, "--json").stdout)
    assert (["harassment", "impersonation"], ["report_content", "impersonation"]) == (
        doc["harms"], [r["id"] for r in doc["routes"]])


def test_the_pack_says_when_the_policy_does_not_permit_the_step_yet(run, tmp_path):
    """Before the discussion, the pack says contacting the provider is not permitted yet; after a refusal it does not."""
    early = json.loads(run("report", _case(run, tmp_path), "--json").stdout)["policy_note"]
    later = json.loads(run("report", _case(run, tmp_path, escalated=True), "--json").stdout)["policy_note"]
    assert (True, None) == (early.startswith("contact_provider is not permitted yet for case 2026-0001: the policy "
                                             "begins with its first step: Discuss"), later)


def test_the_pack_tells_how_to_record_the_platforms_reference(run, tmp_path):
    """The pack says to keep the platform's reference with the step; case record keeps it with --ref."""
    case_id = _case(run, tmp_path, escalated=True)
    text = run("report", case_id).stdout
    _ok(run("case", "record", case_id, "contact_provider", "--ref", "FB-123456"))
    event = json.loads(run("case", "show", case_id, "--json").stdout)["events"][-1]
    assert f"record it: hesket case record {case_id} contact_provider --ref REF." in text
    assert ("contact_provider", "FB-123456") == (event["event"], event["ref"])


def test_a_workspace_copy_of_the_routes_file_is_used(run, tmp_path, monkeypatch):
    """platforms.toml in the workspace replaces hesket's own routes, and the pack names it."""
    root = tmp_path / "ws"
    _ok(run("init", root))
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    shipped = Path(load_routes().path).read_text(encoding="utf-8")
    (root / "platforms.toml").write_text(shipped.replace("Report the post, comment or profile to Facebook",
                                                         "Our school's own name for the Facebook report"),
                                         encoding="utf-8")
    result = run("report", _case(run, tmp_path))
    _ok(result)
    assert (True, True) == ("Route 1: Our school's own name for the Facebook report" in result.stdout,
                            f"Routes from {root / 'platforms.toml'}." in result.stdout)


def test_a_broken_workspace_routes_file_is_exit_3_naming_it(run, tmp_path, monkeypatch):
    """A school's routes file that is not valid is one Error line naming the file."""
    root = tmp_path / "ws"
    _ok(run("init", root))
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    (root / "platforms.toml").write_text("format = \n", encoding="utf-8")
    result = run("report", _case(run, tmp_path))
    assert (3, True) == (result.exit_code, result.stderr.startswith(f"Error: {root / 'platforms.toml'}: not valid TOML"))


def test_a_case_that_does_not_exist_is_exit_4(run):
    """No such case: exit 4."""
    assert 4 == run("report", "2026-0099").exit_code
