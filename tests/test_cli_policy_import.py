"""`hesket policy import`: a school's published text becomes a draft policy that `policy check` accepts,
or whose every remaining problem the import's report names as a decision."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
SCHOOLS = ("mount-pleasant-school", "stretton-handley", "ravensworth-terrace")


def _import(run, school: str, out: Path, *extra: str):
    result = run("policy", "import", FIXTURES / f"{school}.txt", "--out", out, *extra)
    assert 0 == result.exit_code, result.output
    return result


def _decisions(report: str) -> list[str]:
    """The places the import's report lists under "A person must decide", as `severity place`."""
    lines = report.splitlines()
    heading = next((n for n, line in enumerate(lines) if line.startswith("A person must decide (")), None)
    if heading is None:
        return []
    found = []
    for line in lines[heading + 1:]:
        if not line.startswith("  "):
            break
        severity, place = line.split()[:2]
        found.append(f"{severity} {place.rstrip(':')}")
    return found


def _checked(check_output: str, path: Path) -> list[str]:
    """The problems `policy check` printed, as `severity place`."""
    found = []
    for line in check_output.splitlines():
        rest = line.removeprefix(f"{path}: ")
        if rest == line or rest.startswith("OK"):
            continue
        place, severity = rest.split(": ")[:2]
        found.append(f"{severity} {place}")
    return found


def test_import_writes_the_draft_and_the_schools_text_in_a_new_private_folder(run, tmp_path):
    """DIR is made (owner only), holding policy.toml and the school's own text as policy.txt; the report is shown."""
    out = tmp_path / "drafts" / "ours"
    result = _import(run, "mount-pleasant-school", out)
    text = (FIXTURES / "mount-pleasant-school.txt").read_text(encoding="utf-8")
    assert (["policy.toml", "policy.txt"], text.rstrip("\n") + "\n") == (
        sorted(p.name for p in out.iterdir()), (out / "policy.txt").read_text(encoding="utf-8"))
    if os.name == "posix":
        assert 0o700 == out.stat().st_mode & 0o777
    assert result.stdout.startswith("Matched 26 of 48 quotes of the base policy in your policy:\n")
    assert (f"Wrote {out / 'policy.toml'} and {out / 'policy.txt'}. Next: read the lines marked CONFIRM or DECIDE, "
            f"then: hesket policy check {out / 'policy.toml'}\n") == result.stdout.splitlines(keepends=True)[-1]


@pytest.mark.parametrize("school", SCHOOLS)
def test_policy_check_on_the_draft_names_only_the_decisions_the_report_lists(run, tmp_path, school):
    """Whatever `policy check` finds in a fresh draft, the import's report listed as a decision, in the same order."""
    out = tmp_path / school
    report = _import(run, school, out).stdout
    check = run("policy", "check", out / "policy.toml")
    assert _decisions(report) == _checked(check.stdout, out / "policy.toml")
    assert (3 if any(d.startswith("error") for d in _decisions(report)) else 0) == check.exit_code


def test_mount_pleasants_draft_passes_the_check_and_triages_a_post(run, tmp_path):
    """The fullest published variant needs no decision: the check passes and a first triage works under it."""
    out = tmp_path / "ours"
    report = _import(run, "mount-pleasant-school", out).stdout
    assert report.endswith("policy check finds no problem in the draft.\n" + report.splitlines(keepends=True)[-1])
    check = run("policy", "check", out / "policy.toml")
    assert (0, "") == (check.exit_code, check.stderr), check.output
    triage = run("--policy", out / "policy.toml", "triage", "--dry-run", "--json", "--answers",
                 EXAMPLES / "imported-policy-post.toml")
    assert 0 == triage.exit_code, triage.output
    doc = json.loads(triage.stdout)
    assert ("inappropriate", "discuss_and_request_removal",
            "Making complaints about the School/staff at the School") == (
        doc["verdict"], doc["next_step"]["id"], doc["reasons"][0]["policy_text"])


def test_existing_files_are_not_replaced_without_force(run, tmp_path):
    """A second import into the same folder is refused (exit 3) and changes nothing; --force replaces both files."""
    out = tmp_path / "ours"
    _import(run, "mount-pleasant-school", out)
    before = snapshot(out)
    result = run("policy", "import", FIXTURES / "stretton-handley.txt", "--out", out)
    expected = (f"Error: {out / 'policy.toml'} and {out / 'policy.txt'} already exist; nothing was written (give "
                "another --out folder, or add --force to replace them)\n")
    assert (3, "", expected, before) == (result.exit_code, result.stdout, result.stderr, snapshot(out))
    _import(run, "stretton-handley", out, "--force")
    assert "Safeguarding and social media" == (out / "policy.txt").read_text(encoding="utf-8").splitlines()[0]


def test_an_out_that_is_a_file_is_refused(run, tmp_path):
    """--out naming a file: exit 3, one Error line, nothing written."""
    out = tmp_path / "a-file"
    out.write_text("x", encoding="utf-8")
    result = run("policy", "import", FIXTURES / "stretton-handley.txt", "--out", out)
    assert (3, f"Error: --out {out}: is a file; give a folder for the draft's policy.toml and policy.txt\n") == (
        result.exit_code, result.stderr)


def test_a_missing_or_unreadable_text_writes_nothing(run, tmp_path):
    """A text that is not there, or a PDF, is refused (exit 3) before any folder is made."""
    out = tmp_path / "ours"
    missing = run("policy", "import", tmp_path / "nowhere.txt", "--out", out)
    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    refused = run("policy", "import", pdf, "--out", out)
    assert (3, 3, False) == (missing.exit_code, refused.exit_code, out.exists())
    assert f"Error: {tmp_path / 'nowhere.txt'}: no such file; check the path of the school's policy\n" == \
        missing.stderr
    assert refused.stderr.startswith(f"Error: {pdf}: cannot read .pdf (save it from Word or your browser as .docx, ")


def test_another_base_policy_may_be_given(run, tmp_path):
    """--base names the policy to start from: a copy of the shipped one gives the same draft."""
    base = tmp_path / "base"
    base.mkdir()
    for name in ("policy.toml", "policy.txt"):
        shutil.copyfile(ROOT / name, base / name)
    _import(run, "ravensworth-terrace", tmp_path / "a")
    _import(run, "ravensworth-terrace", tmp_path / "b", "--base", base / "policy.toml")
    assert (tmp_path / "a" / "policy.toml").read_bytes() == (tmp_path / "b" / "policy.toml").read_bytes()


def test_a_broken_base_policy_is_refused_with_its_problems(run, tmp_path):
    """--base with a problem: exit 3 naming its place, nothing written."""
    base = tmp_path / "base"
    base.mkdir()
    shutil.copyfile(ROOT / "policy.txt", base / "policy.txt")
    (base / "policy.toml").write_text((ROOT / "policy.toml").read_text(encoding="utf-8").replace(
        'after = ["legal_advice"]', 'after = ["legal_action"]'), encoding="utf-8")
    result = run("policy", "import", FIXTURES / "stretton-handley.txt", "--base", base / "policy.toml", "--out",
                 tmp_path / "ours")
    assert (3, False) == (result.exit_code, (tmp_path / "ours").exists())
    assert result.stderr.startswith(f"Error: --base {base / 'policy.toml'}: not a policy the draft can start from "
                                    f"({base / 'policy.toml'}: steps.legal_action.after: error: legal_action "
                                    "can never be permitted")


def test_a_base_policy_with_many_problems_is_one_error_line_with_the_problems_under_it(run, tmp_path):
    """--base naming a file with many problems: one Error line naming --base, the file and the fix; each problem
    indented under it; nothing written."""
    broken = tmp_path / "broken.toml"
    broken.write_text('format = 1\n[policy]\nschool = "X"\n[steps.a]\nwehn = 1\n', encoding="utf-8")
    result = run("policy", "import", FIXTURES / "stretton-handley.txt", "--base", broken, "--out", tmp_path / "ours")
    lines = result.stderr.splitlines()
    assert (3, False, 1) == (result.exit_code, (tmp_path / "ours").exists(),
                             sum(line.startswith("Error:") for line in lines))
    assert lines[0].startswith(f"Error: --base {broken}: not a policy the draft can start from (17 problems, "
                               f"listed below); fix it (hesket policy check {broken}), or leave --base out")
    assert [True] * 17 == [line.startswith(f"  {broken}: ") for line in lines[1:]]


def test_an_empty_out_folder_is_a_usage_error_and_writes_nothing(run, tmp_path, monkeypatch):
    """`policy import T --out ""` exits 2 with one line and writes no policy.toml into the current folder."""
    monkeypatch.chdir(tmp_path)
    result = run("policy", "import", FIXTURES / "stretton-handley.txt", "--out", "")
    assert (2, 1, []) == (result.exit_code, len(result.stderr.splitlines()), sorted(p.name for p in tmp_path.iterdir()))


def test_json_gives_the_report_as_data(run, tmp_path):
    """--json: the contract, the files written, what matched, was removed or is new, and the decisions."""
    out = tmp_path / "ours"
    result = _import(run, "ravensworth-terrace", out, "--json")
    doc = json.loads(result.stdout)
    assert (1, [str(out / "policy.toml"), str(out / "policy.txt")], ["steps.comments_deemed_defamatory_untrue"]) == (
        doc["contract"], doc["written"], [n["place"] for n in doc["new"]])
    assert [f"{d['severity']} {d['place']}" for d in doc["decisions"]] == _checked(
        run("policy", "check", out / "policy.toml").stdout, out / "policy.toml")


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")
def test_the_draft_files_are_private(run, tmp_path):
    """policy.toml and policy.txt are written owner-only, as every file hesket writes."""
    out = tmp_path / "ours"
    _import(run, "stretton-handley", out)
    assert [0o600, 0o600] == [(out / name).stat().st_mode & 0o777 for name in ("policy.toml", "policy.txt")]


def test_a_web_page_is_read_as_its_visible_text(run, tmp_path):
    """A school's policy saved from its web page (.html) imports as its text does; policy.txt is the visible text."""
    text = (FIXTURES / "mount-pleasant-school.txt").read_text(encoding="utf-8")
    body = "".join(f"<li>{line.strip().lstrip('•').strip()}</li>" if line.strip().startswith("•")
                   else f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    page = tmp_path / "social-media.html"
    page.write_text(f"<html><head><script>var x = 1;</script></head><body>{body}</body></html>", encoding="utf-8")
    result = run("policy", "import", page, "--out", tmp_path / "ours")
    assert 0 == result.exit_code, result.output
    written = (tmp_path / "ours" / "policy.txt").read_text(encoding="utf-8")
    assert ("var x" in written, "- Direct contact of staff on school related matters" in written) == (False, True)
    assert 0 == run("policy", "check", tmp_path / "ours" / "policy.toml").exit_code
