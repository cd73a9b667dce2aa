"""The sealed case bundle: written atomically, verified without a workspace, and any change names its file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from hesket_cli.bundle import MANIFEST, verify_bundle, write_bundle
from hesket_cli.chain import SEAL_KEY, chain_head, extend, seal
from hesket_cli.chronology import chronology_pdf, find_converter
from hesket_cli.errors import EvidenceError, InvalidInput

from conftest import EXAMPLES

UTC = dt.UTC
MADE = dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVIDENCE_BYTES = random.Random(16).randbytes(16384)  # deflate stores random bytes as they are


def _case_data() -> dict[str, Any]:
    """A sealed case, as its case file holds it, with one piece of evidence."""
    with open(EXAMPLES / "defamatory-post.toml", "rb") as handle:
        data: dict[str, Any] = {"schema": 2, "id": "2026-0001", "created_at": MADE, "recorded_by": "Mrs A Example",
                                "policy": {"title": "Policy", "last_reviewed": "2024-11", "sha256": "0" * 64}}
        data.update(tomllib.load(handle))
    data["events"] = []
    data[SEAL_KEY] = seal(data)
    for event in (
        {"event": "discuss_and_request_removal", "at": MADE, "on": dt.date(2026, 11, 20), "by": "Mrs A Example",
         "note": "Met the parent."},
        {"event": "evidence", "at": MADE, "on": dt.date(2026, 11, 21), "by": "Mrs A Example",
         "attachment": {"file": "001-screenshot.png", "name": "screenshot.png", "size": len(EVIDENCE_BYTES),
                        "sha256": hashlib.sha256(EVIDENCE_BYTES).hexdigest()}},
    ):
        event.update(extend(data, event))
        data["events"].append(event)
    return data


@pytest.fixture
def made(tmp_path: Path) -> Path:
    """A bundle written from a sealed case with one piece of evidence."""
    evidence = tmp_path / "001-screenshot.png"
    evidence.write_bytes(EVIDENCE_BYTES)
    data = _case_data()
    return write_bundle(tmp_path / "bundle.zip", case_id="2026-0001", case_file=tomli_w.dumps(data).encode("utf-8"),
                        evidence=[("001-screenshot.png", evidence)], chronology_html="<p>chronology</p>",
                        chain_head=chain_head(data), pdf=b"%PDF-1.4 test", created_at=MADE)


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> Path:
    """Copy a bundle, replacing (or, with None, leaving out) some members and adding others."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change.get(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def test_a_bundle_verifies_and_lists_every_file(made):
    """A fresh bundle is intact, and its manifest lists every file but itself."""
    report = verify_bundle(made)
    assert (True, "2026-0001", ["case.toml", "evidence/001-screenshot.png", "chronology.html", "chronology.pdf"]) == (
        report.ok, report.case_id, [f.name for f in report.files])


def test_the_manifest_carries_the_chain_head_and_format(made):
    """The manifest names the format, the case, when it was made and the chain head."""
    with zipfile.ZipFile(made) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert ("hesket-case-bundle", 1, "2026-11-25T10:00:00Z", chain_head(_case_data())) == (
        manifest["format"], manifest["version"], manifest["created_at"], manifest["chain_head"])


@pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")
def test_a_bundle_is_readable_by_its_owner_only(made):
    """The bundle holds personal data, so it is written 0600."""
    assert 0o600 == made.stat().st_mode & 0o777


def test_one_changed_byte_of_evidence_fails_naming_the_file(made, tmp_path):
    """Evidence changed by one byte inside the zip is reported by its name."""
    changed = bytearray(EVIDENCE_BYTES)
    changed[100] ^= 1
    report = verify_bundle(_rewrite(made, tmp_path / "changed.zip", {"evidence/001-screenshot.png": bytes(changed)}))
    assert (False, True) == (report.ok, report.problems[0].startswith("evidence/001-screenshot.png: changed"))


def test_one_flipped_byte_in_the_zip_itself_fails_naming_the_file(made, tmp_path):
    """A byte flipped in the archive's stored evidence data is caught and the file named."""
    raw = bytearray(made.read_bytes())
    at = raw.find(EVIDENCE_BYTES[1000:1040])
    assert -1 != at
    raw[at + 5] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    assert ["evidence/001-screenshot.png"] == [p.split(":")[0] for p in verify_bundle(damaged).problems]


def test_a_file_missing_from_the_zip_is_reported(made, tmp_path):
    """A listed file taken out of the zip is reported as missing."""
    report = verify_bundle(_rewrite(made, tmp_path / "missing.zip", {"chronology.pdf": None}))
    assert ["chronology.pdf: listed in the manifest but missing from the zip"] == list(report.problems)


def test_a_file_not_in_the_manifest_is_reported(made, tmp_path):
    """A file slipped into the zip is reported as extra."""
    report = verify_bundle(_rewrite(made, tmp_path / "extra.zip", {}, {"evidence/002-more.png": b"x"}))
    assert ["evidence/002-more.png: in the zip but not listed in the manifest"] == list(report.problems)


def test_a_name_that_climbs_out_is_refused_and_never_read(made, tmp_path):
    """A member named with '..' or an absolute path is reported as unsafe."""
    report = verify_bundle(_rewrite(made, tmp_path / "evil.zip", {}, {"../evil.txt": b"x", "/etc/evil": b"y"}))
    assert 2 == sum("an unsafe name" in p for p in report.problems)


def test_a_member_larger_than_declared_is_not_read(made, tmp_path):
    """A zip bomb in place of a listed file is caught from its header, before any of it is inflated."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "chronology.html":
                new.writestr(info.filename, old.read(info))
        with new.open("chronology.html", "w") as out:
            for _ in range(64):
                out.write(bytes(1 << 20))
    assert ["chronology.html: 67108864 bytes, but the manifest says 17: changed"] == list(verify_bundle(bomb).problems)


def test_a_manifest_that_is_not_json_is_reported(made, tmp_path):
    """A manifest edited into nonsense is reported, naming it."""
    report = verify_bundle(_rewrite(made, tmp_path / "bad.zip", {MANIFEST: b"{not json"}))
    assert (False, True) == (report.ok, report.problems[0].startswith("manifest.json: not valid JSON"))


def test_a_bundle_without_a_manifest_is_reported(made, tmp_path):
    """Without its manifest nothing can be checked, and the report says so."""
    report = verify_bundle(_rewrite(made, tmp_path / "none.zip", {MANIFEST: None}))
    assert ["manifest.json: missing, so nothing in the bundle can be checked"] == list(report.problems)


def test_a_hand_edited_case_file_with_a_matching_manifest_is_still_caught(made, tmp_path):
    """Even with the manifest's hashes redone, the case file's own chain shows the edit."""
    with zipfile.ZipFile(made) as archive:
        data = tomllib.loads(archive.read("case.toml").decode("utf-8"))
        manifest = json.loads(archive.read(MANIFEST))
    data["events"][0]["note"] = "Never met the parent."
    case_file = tomli_w.dumps(data).encode("utf-8")
    entry = next(f for f in manifest["files"] if f["name"] == "case.toml")
    entry.update(size=len(case_file), sha256=hashlib.sha256(case_file).hexdigest())
    redone = _rewrite(made, tmp_path / "redone.zip", {"case.toml": case_file, MANIFEST: json.dumps(manifest).encode()})
    assert ["case.toml: event 1 (2026-11-20, discuss_and_request_removal) was changed"] == [
        p.split(" after")[0] for p in verify_bundle(redone).problems]


def test_something_that_is_not_a_zip_is_reported(tmp_path):
    """A file that is not a zip at all comes back as a problem, not a crash."""
    path = tmp_path / "not.zip"
    path.write_bytes(b"hello")
    assert (False, True) == (verify_bundle(path).ok, "not a zip file" in verify_bundle(path).problems[0])


def test_a_missing_bundle_is_refused(tmp_path):
    """Verifying a path with no file raises InvalidInput naming it."""
    with pytest.raises(InvalidInput) as caught:
        verify_bundle(tmp_path / "nowhere.zip")
    assert caught.value.message.startswith(f"{tmp_path / 'nowhere.zip'}: no such bundle")


@pytest.mark.parametrize("name", ["../up.png", "a/b.png", "", ".", "C:evil", "..", "dir\\x.png"])
def test_evidence_names_that_could_escape_are_refused(tmp_path, name):
    """Evidence names must be plain file names; anything else is refused before writing."""
    evidence = tmp_path / "e.png"
    evidence.write_bytes(b"x")
    with pytest.raises(InvalidInput):
        write_bundle(tmp_path / "b.zip", case_id="2026-0001", case_file=b"", evidence=[(name, evidence)],
                     chronology_html="", chain_head=None, pdf=None)
    assert [] == list(tmp_path.glob("*.zip"))


def test_unreadable_evidence_leaves_nothing_behind_and_keeps_an_old_bundle(tmp_path):
    """A failed write raises EvidenceError and leaves the previous bundle and no temporary file."""
    target = tmp_path / "b.zip"
    target.write_bytes(b"old bundle")
    with pytest.raises(EvidenceError):
        write_bundle(target, case_id="2026-0001", case_file=b"", evidence=[("001-gone.png", tmp_path / "gone.png")],
                     chronology_html="", chain_head=None, pdf=None)
    assert (b"old bundle", ["b.zip"]) == (target.read_bytes(), sorted(p.name for p in tmp_path.iterdir()))


def test_a_bundle_into_a_missing_folder_is_refused(tmp_path):
    """The folder for the bundle must exist; the message names it."""
    with pytest.raises(InvalidInput) as caught:
        write_bundle(tmp_path / "no" / "b.zip", case_id="2026-0001", case_file=b"", evidence=[],
                     chronology_html="", chain_head=None, pdf=None)
    assert caught.value.message.startswith(f"{tmp_path / 'no'}: no such folder")


def test_without_a_converter_there_is_no_pdf(tmp_path, monkeypatch):
    """With no LibreOffice on PATH, chronology_pdf returns None and the bundle goes without."""
    monkeypatch.setenv("PATH", str(tmp_path))
    page = tmp_path / "c.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    assert None is chronology_pdf(page)


@pytest.mark.skipif(find_converter() is None, reason="LibreOffice (soffice) is not installed")
def test_with_libreoffice_the_chronology_becomes_a_pdf(tmp_path):
    """Where LibreOffice is installed, the page converts to a PDF."""
    page = tmp_path / "c.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Case 2026-0001</h1></body></html>", encoding="utf-8")
    assert b"%PDF" == (chronology_pdf(page) or b"")[:4]


def test_reading_a_bundle_needs_no_workspace(made, monkeypatch, tmp_path):
    """Verification works with no cases folder or configuration at all."""
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "does-not-exist"))
    assert True is verify_bundle(made).ok


def test_the_bundle_can_be_read_by_any_zip_tool(made):
    """The standard library's own zip test passes: it is an ordinary zip."""
    with zipfile.ZipFile(io.BytesIO(made.read_bytes())) as archive:
        assert None is archive.testzip()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_place_of_evidence_is_refused_without_blocking(tmp_path):
    """Evidence that is a FIFO is refused at once, never waited on."""
    fifo = tmp_path / "001-shot.png"
    os.mkfifo(fifo)
    with pytest.raises(EvidenceError):
        write_bundle(tmp_path / "b.zip", case_id="2026-0001", case_file=b"", evidence=[("001-shot.png", fifo)],
                     chronology_html="", chain_head=None, pdf=None)
    assert [] == list(tmp_path.glob("*.zip"))
