"""hesket case capture: a post's address, account, posting time, exact words and files, kept as one event."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, snapshot

WIDE = {"COLUMNS": "1000"}
URL = "https://www.facebook.com/groups/example/posts/1"
EXACT = "Does anyone else think Mr Example shouldn't be teaching Year 4?\n\nAsk yourselves why!"


def _triage(run, name: str = "defamatory-post") -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _file(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _capture(run, case_id: str, *args: object) -> dict:
    result = run("case", "capture", case_id, *args, "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _without_lock(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if Path(k).name != ".lock"}


def test_a_capture_round_trips_through_case_show_json(run, tmp_path):
    """URL, account, posting time, capture time and person, the exact words and each file's hash come back as given."""
    case_id = _triage(run)
    data = b"\x89PNG made-up screenshot"
    shot = _file(tmp_path / "src", "screenshot.png", data)
    _capture(run, case_id, "--url", URL, "--account", "Pat Example", "--posted-at", "2026-11-17T21:04",
             "--text", EXACT, "--by", "Mrs A Example", shot)
    event = json.loads(run("case", "show", case_id, "--json").stdout)["events"][-1]
    capture = event["capture"]
    assert ("capture", "Mrs A Example", None) == (event["event"], event["by"], event["attachment"])
    assert (URL, "Pat Example", "2026-11-17T21:04", "Mrs A Example", EXACT) == (
        capture["url"], capture["account"], capture["posted_at"], capture["captured_by"], capture["text"])
    assert event["at"] == capture["captured_at"]
    assert [{"file": "001-screenshot.png", "name": "screenshot.png", "size": len(data),
             "sha256": hashlib.sha256(data).hexdigest()}] == capture["files"]


def test_a_capture_with_only_an_address_keeps_every_key_null(run):
    """What was not captured is null in the JSON, never missing: scripts can rely on the keys."""
    case_id = _triage(run)
    capture = _capture(run, case_id, "--url", URL)["events"][-1]["capture"]
    assert ["url", "account", "posted_at", "captured_at", "captured_by", "text", "files"] == list(capture)
    assert (None, None, None, []) == (capture["account"], capture["posted_at"], capture["text"], capture["files"])


def test_a_posting_date_without_a_time_is_kept_as_a_date(run):
    """--posted-at 2026-11-17 is a date; the site showed no time."""
    case_id = _triage(run)
    assert "2026-11-17" == _capture(run, case_id, "--url", URL, "--posted-at", "2026-11-17")["events"][-1][
        "capture"]["posted_at"]


def test_case_show_lists_the_capture_with_its_exact_words_and_files(run, tmp_path):
    """The history shows the address, the account, the posting time, the exact words line by line, and the file."""
    case_id = _triage(run)
    _capture(run, case_id, "--url", URL, "--account", "Pat Example", "--posted-at", "2026-11-17T21:04",
             "--text", EXACT, _file(tmp_path / "src", "post.png", b"made-up"))
    result = run("case", "show", case_id, env=WIDE)
    assert 0 == result.exit_code, result.stderr
    history, evidence = result.stdout.split("History", 1)[1].split("\nEvidence\n", 1)
    lines = [line.strip() for line in history.splitlines()]
    assert True is any(line.startswith("2026-") and f"post captured: {URL}" in line for line in lines)
    assert ["Account: Pat Example", "Posted (as shown): 2026-11-17T21:04", "Exact words:",
            "Does anyone else think Mr Example shouldn't be teaching Year 4?", "", "Ask yourselves why!"] == \
        lines[lines.index("Account: Pat Example"):lines.index("Ask yourselves why!") + 1]
    assert "001-post.png  (was post.png, 7 bytes)" in evidence


def test_files_attached_after_a_capture_continue_its_numbering(run, cases_dir, tmp_path):
    """A capture's files and later attachments share one numbering, so no copy ever replaces another."""
    case_id = _triage(run)
    src = tmp_path / "src"
    _capture(run, case_id, "--url", URL, _file(src, "a.png", b"first"), _file(src, "b.png", b"second"))
    result = run("case", "attach", case_id, _file(src, "a.png", b"third"), "--json")
    assert 0 == result.exit_code, result.stderr
    folder = cases_dir / case_id / "evidence"
    assert {"001-a.png": b"first", "002-b.png": b"second", "003-a.png": b"third"} == {
        p.name: p.read_bytes() for p in folder.iterdir()}


def test_verify_checks_a_captured_file_and_does_not_call_it_a_stray(run, cases_dir, tmp_path):
    """case verify counts a capture's file, finds it unchanged, and then finds it changed."""
    case_id = _triage(run)
    _capture(run, case_id, "--url", URL, _file(tmp_path / "src", "post.png", b"as captured"))
    first = run("case", "verify")
    (cases_dir / case_id / "evidence" / "001-post.png").write_bytes(b"edited later")
    second = run("case", "verify")
    assert (0, "Checked 1 case and 1 attachment: all as recorded.") == (first.exit_code, first.stdout.strip())
    assert (3, True) == (second.exit_code, "001-post.png: changed since it was attached" in second.stdout)


@pytest.mark.parametrize("url", ["ftp://example.com/post", "www.facebook.com/post", "javascript:alert(1)",
                                 "https://", "https://exa mple.com/", "https://example.com/\x1b[2J", "file:///etc"])
def test_an_address_that_is_not_a_web_address_exits_3_and_writes_nothing(run, cases_dir, tmp_path, url):
    """Only http and https addresses with a host are kept; anything else is refused with one Error line."""
    case_id = _triage(run)
    before = snapshot(cases_dir)
    result = run("case", "capture", case_id, "--url", url, _file(tmp_path / "src", "post.png", b"x"))
    assert (3, 1, True) == (result.exit_code, len(result.stderr.splitlines()), result.stderr.startswith("Error: --url:"))
    assert _without_lock(before) == _without_lock(snapshot(cases_dir))


@pytest.mark.parametrize(("when", "problem"), [
    ("2099-01-01", "is in the future"), ("2099-01-01T09:00", "is in the future"),
    ("2026-02-30", "no such day"), ("17/11/2026 21:04", "is not a date or time"), ("2026-11-17T25:00", "no such"),
])
def test_a_posting_time_in_the_future_or_unreadable_exits_3_and_writes_nothing(run, cases_dir, when, problem):
    """--posted-at must be YYYY-MM-DD or YYYY-MM-DDTHH:MM, a real time, not after now."""
    case_id = _triage(run)
    before = snapshot(cases_dir)
    result = run("case", "capture", case_id, "--url", URL, "--posted-at", when)
    assert (3, True, True) == (result.exit_code, result.stderr.startswith("Error: --posted-at:"),
                               problem in result.stderr)
    assert _without_lock(before) == _without_lock(snapshot(cases_dir))


def test_a_capture_without_an_address_is_wrong_usage(run):
    """--url is required: exit 2 naming it."""
    case_id = _triage(run)
    result = run("case", "capture", case_id, "--text", "words")
    assert (2, True) == (result.exit_code, "--url" in result.stderr)


def test_a_capture_on_a_closed_case_is_refused_and_copies_nothing(run, cases_dir, tmp_path):
    """A closed case takes no evidence: exit 5, no file copied, the case file unchanged."""
    case_id = _triage(run)
    assert 0 == run("case", "record", case_id, "close_case", "--reason", "Closed by the head").exit_code
    before = snapshot(cases_dir)
    result = run("case", "capture", case_id, "--url", URL, _file(tmp_path / "src", "late.png", b"late"))
    assert (5, True) == (result.exit_code, "closed" in result.stderr)
    assert _without_lock(before) == _without_lock(snapshot(cases_dir))


def test_a_bundle_holds_a_captured_file_and_verifies(run, tmp_path):
    """case export bundles a capture's screenshot, and bundle verify checks it against the case file."""
    case_id = _triage(run)
    _capture(run, case_id, "--url", URL, "--text", EXACT, _file(tmp_path / "src", "post.png", b"as captured"))
    target = tmp_path / "bundle.zip"
    exported = run("case", "export", case_id, "--bundle", target, "--no-pdf")
    checked = run("bundle", "verify", target)
    assert (0, 0, True) == (exported.exit_code, checked.exit_code, "evidence/001-post.png" in checked.stdout)


def test_a_subject_access_draft_holds_the_capture_for_review(run, tmp_path):
    """The draft lists the captured post (its exact words highlighted for review) and the capture's file."""
    case_id = _triage(run)
    _capture(run, case_id, "--url", URL, "--account", "Pat Example", "--text", EXACT,
             _file(tmp_path / "src", "post.png", b"as captured"))
    target = tmp_path / "sar.html"
    result = run("subject-access", "--case", case_id, "--out", target)
    page = target.read_text(encoding="utf-8")
    assert (0, True, True, True) == (result.exit_code, "Capture 1" in page, "Pat Example" in page,
                                     "post.png" in page)
