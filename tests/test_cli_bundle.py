"""case export --bundle and bundle verify: a case handed over in one sealed file, checked anywhere."""

from __future__ import annotations

import html
import json
import os
import stat
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import tomli_w

from hesket_cli.chronology import find_converter

from conftest import EXAMPLES, snapshot

EVIDENCE = bytes(range(256)) * 8


@pytest.fixture
def case_id(run, tmp_path) -> str:
    """A case with a discussion, a refusal and one piece of evidence."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    found = json.loads(result.stdout)["id"]
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(EVIDENCE)
    for args in (("record", found, "discuss_and_request_removal", "--on", "2026-11-20"),
                 ("record", found, "refused", "--on", "2026-11-23"), ("attach", found, shot)):
        assert 0 == run("case", *args, "--by", "Mrs A Example").exit_code
    return found


def _export(run, case_id: str, target: Path, *more: str):
    return run("case", "export", case_id, "--bundle", target, "--no-pdf", *more)


def _rewrite(source: Path, target: Path, name: str, change) -> Path:
    """A copy of a bundle with one member's bytes changed by `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == name else data)
    return target


def test_an_exported_bundle_holds_the_case_evidence_chronology_and_manifest(run, case_id, tmp_path):
    """The zip holds case.toml, the evidence, chronology.html and manifest.json, which names the chain head."""
    target = tmp_path / "bundle.zip"
    result = _export(run, case_id, target, "--json")
    assert 0 == result.exit_code, result.stderr
    head = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert (["case.toml", "chronology.html", "evidence/001-screenshot.png", "manifest.json"], head, True) == (
        names, manifest["chain_head"], json.loads(result.stdout)["ok"])


def test_a_bundle_verifies_with_no_workspace_at_all(run, case_id, tmp_path, monkeypatch):
    """`bundle verify` needs no cases folder and no workspace: exit 0, every file as listed."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("HESKET_WORKSPACE", str(tmp_path / "no-workspace"))
    result = run("bundle", "verify", target)
    assert (0, True) == (result.exit_code, "All 3 files are as the manifest lists them." in result.stdout)


def test_one_changed_byte_of_evidence_fails_naming_the_file(run, case_id, tmp_path):
    """A bundle whose evidence has one byte changed: exit 3, naming evidence/001-screenshot.png."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code
    changed = _rewrite(target, tmp_path / "changed.zip", "evidence/001-screenshot.png",
                       lambda data: bytes([data[0] ^ 1]) + data[1:])
    result = run("bundle", "verify", changed)
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert "Problem: evidence/001-screenshot.png: changed since the bundle was made" in result.stdout


def test_an_altered_manifest_fails(run, case_id, tmp_path):
    """A manifest edited to list another hash: exit 3, naming the file it lists."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code

    def forged(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["files"][0]["sha256"] = "0" * 64
        return json.dumps(manifest).encode("utf-8")

    result = run("bundle", "verify", _rewrite(target, tmp_path / "forged.zip", "manifest.json", forged))
    assert (3, True) == (result.exit_code, "Problem: case.toml: changed since the bundle was made" in result.stdout)


def test_bundle_verify_json_lists_the_files_and_problems(run, case_id, tmp_path):
    """`bundle verify --json` has the contract, the case, each file and `ok`."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code
    doc = json.loads(run("bundle", "verify", target, "--json").stdout)
    assert (1, case_id, 3, [], True) == (doc["contract"], doc["case_id"], len(doc["files"]), doc["problems"],
                                         doc["ok"])


def test_a_missing_bundle_is_one_error_line(run, tmp_path):
    """`bundle verify` of a file that is not there: exit 3, one Error line naming it."""
    result = run("bundle", "verify", tmp_path / "none.zip")
    assert (3, True, 1) == (result.exit_code, "none.zip: no such bundle" in result.stderr,
                            len(result.stderr.splitlines()))


def test_a_case_changed_by_hand_is_not_bundled(run, case_id, cases_dir, tmp_path):
    """Exporting a case whose history no longer matches: exit 3, naming the event, and no bundle written."""
    path = cases_dir / case_id / "case.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["events"][1]["note"] = "Agreed to remove it."
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    result = _export(run, case_id, tmp_path / "bundle.zip")
    assert (3, False) == (result.exit_code, (tmp_path / "bundle.zip").exists())
    assert f"Error: case {case_id}: event 2 (2026-11-23, refused) was changed" in result.stderr


def test_a_case_whose_evidence_changed_is_not_bundled(run, case_id, cases_dir, tmp_path):
    """Evidence changed on disk since it was attached: exit 3, nothing written."""
    (cases_dir / case_id / "evidence" / "001-screenshot.png").write_bytes(b"something else")
    before = snapshot(tmp_path)
    result = _export(run, case_id, tmp_path / "bundle.zip")
    assert (3, before) == (result.exit_code, snapshot(tmp_path))


def test_a_bundle_must_be_a_zip(run, case_id, tmp_path):
    """--bundle case.tar: exit 2, saying to name it FILE.zip."""
    result = _export(run, case_id, tmp_path / "case.tar")
    assert (2, True) == (result.exit_code, "FILE.zip" in result.stderr)


def test_the_chronology_quotes_the_policy_for_each_step(run, case_id, tmp_path, policy):
    """chronology.html carries the policy's words for the discussion and the refusal, and the chain head."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code
    with zipfile.ZipFile(target) as archive:
        page = archive.read("chronology.html").decode("utf-8")
    words = policy.step("discuss_and_request_removal").policy_text
    head = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    assert (True, True) == (html.escape(words, quote=True) in page, head[:16] in page)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_bundle_is_readable_by_its_owner_only(run, case_id, tmp_path):
    """The bundle holds personal data: 0600."""
    target = tmp_path / "bundle.zip"
    assert 0 == _export(run, case_id, target).exit_code
    assert 0o600 == stat.S_IMODE(os.stat(target).st_mode)


@pytest.mark.skipif(find_converter() is None, reason="LibreOffice (soffice) is not installed")
def test_with_libreoffice_the_bundle_carries_a_pdf_chronology(run, case_id, tmp_path):
    """Without --no-pdf, where LibreOffice is installed, chronology.pdf is in the bundle and listed."""
    target = tmp_path / "bundle.zip"
    result = run("case", "export", case_id, "--bundle", target)
    assert 0 == result.exit_code, result.stderr
    with zipfile.ZipFile(target) as archive:
        assert b"%PDF" == archive.read("chronology.pdf")[:4]
