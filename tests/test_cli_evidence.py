"""hesket case attach and case verify: evidence copied into the case's folder, hashed, and checked later."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pytest

from conftest import EXAMPLES, snapshot

WIDE = {"COLUMNS": "1000"}
STORED_NAME = re.compile(r"[0-9]{3}-[A-Za-z0-9._-]+")
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="file modes and backslashes in names are POSIX matters")


def _triage(run, name: str = "kind-post") -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _file(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _attach(run, case_id: str, *args) -> dict:
    result = run("case", "attach", case_id, *args, "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _evidence(cases_dir: Path, case_id: str) -> Path:
    return cases_dir / case_id / "evidence"


def _without_lock(files: dict[str, bytes]) -> dict[str, bytes]:
    """A snapshot without the (empty) lock file hesket may create on its first update of a case."""
    return {k: v for k, v in files.items() if Path(k).name != ".lock"}


# -- case attach ---------------------------------------------------------------------------------------


def test_attach_copies_the_file_byte_for_byte_and_records_its_hash(run, cases_dir, tmp_path):
    """attach copies the file to evidence/001-<name> unchanged and records an evidence event with its name, size, SHA-256 and note."""
    case_id = _triage(run)
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    source = _file(tmp_path / "src", "screenshot.png", data)
    doc = _attach(run, case_id, source, "--note", "Taken before the post was deleted", "--by", "Mrs A Example")
    copy = _evidence(cases_dir, case_id) / "001-screenshot.png"
    assert data == copy.read_bytes()
    assert data == source.read_bytes()
    event = doc["events"][-1]
    assert "evidence" == event["event"]
    assert "Taken before the post was deleted" == event["note"]
    assert "Mrs A Example" == event["by"]
    assert {"file": "001-screenshot.png", "name": "screenshot.png", "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()} == event["attachment"]
    shown = run("case", "show", case_id, "--json")
    assert doc["events"] == json.loads(shown.stdout)["events"]


@POSIX_ONLY
def test_attached_copy_is_readable_by_its_owner_only(run, cases_dir, tmp_path):
    """The copy of an attached file is created 0600 and its evidence folder 0700, whatever the original's mode."""
    case_id = _triage(run)
    source = _file(tmp_path / "src", "post.pdf", b"%PDF-1.4 made-up")
    source.chmod(0o644)
    _attach(run, case_id, source)
    evidence = _evidence(cases_dir, case_id)
    assert 0o600 == stat.S_IMODE((evidence / "001-post.pdf").stat().st_mode)
    assert 0o700 == stat.S_IMODE(evidence.stat().st_mode)


def test_case_show_lists_the_evidence(run, tmp_path):
    """case show lists an attached file in its History and in an Evidence section, with its original name."""
    case_id = _triage(run)
    _attach(run, case_id, _file(tmp_path / "src", "comments.png", b"made-up screenshot"), "--note", "The comments")
    result = run("case", "show", case_id, env=WIDE)
    assert 0 == result.exit_code, result.stderr
    history, evidence = result.stdout.split("History", 1)[1].split("\nEvidence\n", 1)
    assert "evidence attached: comments.png" in history
    assert "The comments" in history
    assert "001-comments.png  (was comments.png, 18 bytes)" in evidence


def test_several_files_at_once_are_numbered_in_order_and_later_ones_continue(run, cases_dir, tmp_path):
    """Files attached together get 001-, 002-, one evidence event each; a later attach continues at 003-."""
    case_id = _triage(run)
    src = tmp_path / "src"
    first = _attach(run, case_id, _file(src, "a.png", b"first"), _file(src, "b.pdf", b"second"), "--note", "Both")
    assert [("001-a.png", "a.png"), ("002-b.pdf", "b.pdf")] == \
        [(e["attachment"]["file"], e["attachment"]["name"]) for e in first["events"]]
    assert ["Both", "Both"] == [e["note"] for e in first["events"]]
    later = _attach(run, case_id, _file(src, "a.png", b"third, same name"))
    assert ["001-a.png", "002-b.pdf", "003-a.png"] == [e["attachment"]["file"] for e in later["events"]]
    evidence = _evidence(cases_dir, case_id)
    assert [b"first", b"second", b"third, same name"] == \
        [(evidence / n).read_bytes() for n in ("001-a.png", "002-b.pdf", "003-a.png")]


def test_awkward_file_names_are_stored_under_safe_names_inside_the_case_folder(run, cases_dir, tmp_path):
    """Names with spaces, accents, symbols or a path through ../ are kept under safe names in evidence/, and nothing is written elsewhere."""
    case_id = _triage(run)
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    names = ["screen shot 1.png", "café – ünïcode ✓.png", ".hidden", "✓✓"]
    if os.name != "nt":
        names.append("..\\..\\escape.png")
    paths = [str(_file(src, name, name.encode("utf-8"))) for name in names]
    paths.append(str(src / "sub" / ".." / "via dotdot.png"))
    _file(src, "via dotdot.png", b"reached through ../")
    before = snapshot(tmp_path)
    doc = _attach(run, case_id, *paths)
    attachments = [e["attachment"] for e in doc["events"]]
    assert names + ["via dotdot.png"] == [a["name"] for a in attachments]
    stored = [a["file"] for a in attachments]
    assert all(STORED_NAME.fullmatch(f) for f in stored), stored
    assert [f"{n:03d}-" for n in range(1, len(paths) + 1)] == [f[:4] for f in stored]
    evidence = _evidence(cases_dir, case_id)
    assert sorted(stored) == sorted(p.name for p in evidence.iterdir())
    assert [Path(p).read_bytes() for p in paths] == [(evidence / f).read_bytes() for f in stored]
    inside = f"{Path('cases') / case_id}{os.sep}"
    outside = [{k: v for k, v in files.items() if not k.startswith(inside)} for files in (before, snapshot(tmp_path))]
    assert outside[0] == outside[1]


def _unreadable(tmp_path: Path) -> Path:
    path = _file(tmp_path / "src", "locked.png", b"cannot be read")
    path.chmod(0)
    return path


BAD_FILES = [
    pytest.param(lambda tmp_path: tmp_path / "src" / "no-such.png", id="missing"),
    pytest.param(lambda tmp_path: (tmp_path / "src" / "a-folder").mkdir(parents=True) or tmp_path / "src" / "a-folder",
                 id="folder"),
    pytest.param(_unreadable, id="unreadable", marks=pytest.mark.skipif(
        os.name == "nt" or os.geteuid() == 0, reason="root (and Windows) can read a file with mode 000")),
]


@pytest.mark.parametrize("make_bad", BAD_FILES)
def test_attach_with_a_bad_file_exits_3_naming_it_and_attaches_nothing(run, cases_dir, tmp_path, make_bad):
    """A missing, folder or unreadable file exits 3 with one Error line naming it; nothing is copied or recorded, even files listed before it."""
    case_id = _triage(run)
    good = _file(tmp_path / "src", "good.png", b"a valid screenshot")
    bad = make_bad(tmp_path)
    before = snapshot(cases_dir)
    result = run("case", "attach", case_id, good, bad)
    assert 3 == result.exit_code
    lines = result.stderr.splitlines()
    assert 1 == len(lines), result.stderr
    assert lines[0].startswith("Error: ")
    assert str(bad) in lines[0]
    assert "" == result.stdout
    assert _without_lock(before) == _without_lock(snapshot(cases_dir))
    assert not _evidence(cases_dir, case_id).exists()


def test_attach_on_a_closed_case_exits_5_and_copies_nothing(run, cases_dir, tmp_path):
    """attach on a closed case is refused with exit 5: no evidence file is copied and the case file is unchanged."""
    case_id = _triage(run)
    closed = run("case", "record", case_id, "close_case", "--reason", "Closed by the head")
    assert 0 == closed.exit_code, closed.stderr
    before = snapshot(cases_dir)
    result = run("case", "attach", case_id, _file(tmp_path / "src", "late.png", b"too late"))
    assert 5 == result.exit_code
    assert result.stderr.startswith("Error: ")
    assert "closed" in result.stderr
    assert _without_lock(before) == _without_lock(snapshot(cases_dir))


# -- case verify ---------------------------------------------------------------------------------------


def _case_with_evidence(run, tmp_path: Path) -> tuple[str, Path]:
    case_id = _triage(run)
    doc = _attach(run, case_id, _file(tmp_path / "src", "post.png", b"the post as it was"))
    return case_id, Path(doc["events"][-1]["attachment"]["file"])


def test_verify_with_everything_as_recorded_exits_0(run, cases_dir, tmp_path):
    """verify exits 0 and reports no problem when every case loads and every attachment has its hash."""
    _case_with_evidence(run, tmp_path)
    _triage(run, "threat-of-violence")
    before = snapshot(cases_dir)
    result = run("case", "verify")
    assert 0 == result.exit_code, result.stderr
    assert "Checked 2 cases and 1 attachment: all as recorded." == result.stdout.strip()
    assert "" == result.stderr
    assert before == snapshot(cases_dir)


def test_verify_reports_a_changed_attachment_by_its_path_and_exits_3(run, cases_dir, tmp_path):
    """An attachment whose bytes changed is reported as changed, with its path, and verify exits 3."""
    case_id, name = _case_with_evidence(run, tmp_path)
    copy = _evidence(cases_dir, case_id) / name
    copy.write_bytes(b"the post, edited afterwards")
    before = snapshot(cases_dir)
    result = run("case", "verify")
    assert 3 == result.exit_code
    problems = [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    assert 1 == len(problems), result.stdout
    assert problems[0].startswith(f"Problem: {copy}: changed")
    assert result.stderr.startswith("Error: ")
    assert before == snapshot(cases_dir)


def test_verify_reports_a_missing_attachment_by_its_path_and_exits_3(run, cases_dir, tmp_path):
    """An attachment that was deleted is reported as missing, with its path, and verify exits 3."""
    case_id, name = _case_with_evidence(run, tmp_path)
    copy = _evidence(cases_dir, case_id) / name
    copy.unlink()
    before = snapshot(cases_dir)
    result = run("case", "verify")
    assert 3 == result.exit_code
    problems = [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    assert 1 == len(problems), result.stdout
    assert problems[0].startswith(f"Problem: {copy}: missing")
    assert before == snapshot(cases_dir)


def test_verify_reports_a_corrupt_case_file_by_its_path_and_exits_3(run, cases_dir, tmp_path):
    """A case file that cannot be read is reported with its path, the other cases are still checked, and verify exits 3."""
    _case_with_evidence(run, tmp_path)
    broken = _triage(run, "threat-of-violence")
    path = cases_dir / broken / "case.toml"
    path.write_bytes(path.read_bytes()[:50])
    before = snapshot(cases_dir)
    result = run("case", "verify")
    assert 3 == result.exit_code
    problems = [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    assert 1 == len(problems), result.stdout
    assert problems[0].startswith(f"Problem: {path}: ")
    assert "Checked 2 cases and 1 attachment: 1 problem." == result.stdout.splitlines()[-1]
    alone = run("case", "verify", broken)
    assert 3 == alone.exit_code
    assert str(path) in (alone.stdout + alone.stderr)
    assert before == snapshot(cases_dir)


def test_verify_of_one_case_checks_only_that_case(run, cases_dir, tmp_path):
    """verify ID checks that case alone: a problem in another case does not count, and one in it does."""
    good, _ = _case_with_evidence(run, tmp_path)
    bad, name = _case_with_evidence(run, tmp_path)
    (_evidence(cases_dir, bad) / name).write_bytes(b"tampered")
    before = snapshot(cases_dir)
    result = run("case", "verify", good)
    assert 0 == result.exit_code, result.stdout + result.stderr
    assert "Checked 1 case and 1 attachment: all as recorded." == result.stdout.strip()
    result = run("case", "verify", bad)
    assert 3 == result.exit_code
    assert [f"Problem: {_evidence(cases_dir, bad) / name}: changed"] == \
        [line.split(" since", 1)[0] for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    assert before == snapshot(cases_dir)


def test_verify_json_lists_the_problems_and_an_ok_flag(run, cases_dir, tmp_path):
    """verify --json prints counts, a list of problems and ok: true when there are none, ok: false when there are."""
    case_id, name = _case_with_evidence(run, tmp_path)
    result = run("case", "verify", "--json")
    assert 0 == result.exit_code, result.stderr
    doc = json.loads(result.stdout)
    assert {"contract": 1, "cases": 1, "attachments": 1, "problems": [], "leftovers": [], "removed": [], "notes": [],
            "chain": [], "ok": True} == {k: v for k, v in doc.items() if k != "heads"}
    copy = _evidence(cases_dir, case_id) / name
    copy.unlink()
    before = snapshot(cases_dir)
    result = run("case", "verify", "--json")
    assert 3 == result.exit_code
    doc = json.loads(result.stdout)
    assert (1, 1, False) == (doc["cases"], doc["attachments"], doc["ok"])
    assert 1 == len(doc["problems"])
    assert doc["problems"][0].startswith(f"{copy}: missing")
    assert before == snapshot(cases_dir)
