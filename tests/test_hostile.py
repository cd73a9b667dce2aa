"""Hostile input and faults: nothing leaks, nothing hangs, nothing is left behind.

Each test is the reproduction of one finding: escape sequences planted in
every free-text field, a foreign index, a killed triage's staging folder, a
file that would hang or crash a reader, a full disk, duplicate JSON keys,
links inside the cases folder, and a policy that misquotes its source.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from tmpfs import fill, mount_tmpfs

from hesket_cli.index import index_path

from conftest import EXAMPLES, POLICY_FILE, ROOT, snapshot

POSIX = pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices, modes and symlinks are POSIX behaviour")
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                               reason="needs root: to mount a small tmpfs or change a file's owner")

# An escape sequence of each kind: clear screen, window title (OSC 0), a link (OSC 8), a C1 control (CSI),
# a right-to-left override, and a newline that would forge a line of the history.
PLANTED = ("A\x1b[2JB \x1b]0;pwned\x07 \x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\ \x9b31m "
           "\u202eevil.exe \n  2026-11-24  close_case  by Mrs A Example")
RAW = ("\x1b", "\x9b", "\x07", "\u202e")
ONE_LINE = PLANTED.split(" \n")[0]  # for a one-line field (a name), which refuses a line break


def _answers(tmp_path: Path, **incident: str) -> Path:
    data = tomllib.loads((EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8"))
    data["incident"]["observed_on"] = dt.date.today().isoformat()
    data["incident"].update(incident)
    data["checklist"]["other"] = PLANTED
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _triage(run, name: str = "complaint-wrong-channel") -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _assert_neutralised(text: str) -> None:
    assert [] == [ch for ch in RAW if ch in text]
    assert "\u241b" in text  # ␛: the escape made visible
    assert "\n  2026-11-24  close_case" not in text  # the forged history line stayed inside its field


# -- 1. terminal injection ------------------------------------------------------------------


def test_planted_escapes_are_shown_neutralised_and_kept_exactly_in_json(run, tmp_path):
    """Escapes in the summary, location, other concern, note, --by, --reason and a file name never reach the
    terminal raw in triage, case record or case show, and --json keeps every character as typed."""
    triaged = run("triage", "--answers", _answers(tmp_path, summary=PLANTED, location=PLANTED), "--by", ONE_LINE)
    assert 0 == triaged.exit_code, triaged.stderr
    _assert_neutralised(triaged.stdout)
    case_id = triaged.stdout.split()[1]
    recorded = run("case", "record", case_id, "written_warning", "--override", "--reason", PLANTED,
                   "--note", PLANTED, "--by", ONE_LINE)
    assert 0 == recorded.exit_code, recorded.stderr
    assert [] == [ch for ch in RAW if ch in recorded.stdout + recorded.stderr], recorded.output
    evidence = tmp_path / "post\x1b]0;title\x07\n2026-11-24  close_case.png"
    evidence.write_bytes(b"png")
    attached = run("case", "attach", case_id, evidence)
    assert 0 == attached.exit_code, attached.stderr
    assert [] == [ch for ch in RAW if ch in attached.stdout]
    shown = run("case", "show", case_id).stdout
    _assert_neutralised(shown)
    history_rows = [line for line in shown.splitlines() if line[:2] == "  " and line[2:6].isdigit()]
    assert [] == [row for row in history_rows if "close_case" in row.split("by")[0].split("attached:")[0]]
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    assert [PLANTED] * 3 + [ONE_LINE] + [PLANTED] * 2 + [evidence.name] == [
        doc["incident"]["summary"], doc["incident"]["location"], doc["answers"]["checklist"]["other"],
        doc["recorded_by"], doc["events"][0]["override_reason"], doc["events"][0]["note"],
        doc["events"][1]["attachment"]["name"]]


def test_an_error_line_shows_outside_text_neutralised(run, tmp_path):
    """A file name full of escapes in an error line is shown with its controls visible, on one line."""
    case_id = _triage(run)
    result = run("case", "attach", case_id, str(tmp_path / "no\x1b[2Jsuch\nfile"))
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert "\x1b" not in result.stderr


# -- 2. the index is trusted only if it is ours ---------------------------------------------


@POSIX
def test_a_group_readable_index_is_ignored_with_a_warning(run, cases_dir):
    """An index other users could read or change is not used: one warning names it; output is unchanged."""
    _triage(run)
    expected = json.loads(run("case", "list", "--json").stdout)
    index = index_path(cases_dir)
    index.chmod(0o664)
    result = run("case", "list", "--json")
    assert (0, expected) == (result.exit_code, json.loads(result.stdout))
    assert [f"Warning: {index}: not using this index because other users may read or change it (mode 664); "
            "using a private one instead"] == result.stderr.splitlines()


@POSIX
@ROOT_ONLY
def test_an_index_owned_by_another_user_is_ignored_with_a_warning(run, cases_dir):
    """An index planted by another user, holding made-up rows, is never read."""
    case_id = _triage(run)
    run("case", "list", "--json")
    index = index_path(cases_dir)
    import sqlite3
    import zlib

    with sqlite3.connect(index) as db:
        db.execute("UPDATE chunks SET data = ?", (zlib.compress(b'{"id": "made-up"}'),))
    db.close()
    os.chown(index, 65534, 65534)
    result = run("case", "list", "--json")
    assert [case_id] == [d["id"] for d in json.loads(result.stdout)]
    assert "because it belongs to another user" in result.stderr


@POSIX
def test_every_folder_hesket_creates_is_owner_only_whatever_the_umask(run, tmp_path, monkeypatch):
    """With umask 000, the cases folder, the cache folder and their missing parents are still 0700."""
    monkeypatch.setenv("HESKET_CASES_DIR", str(tmp_path / "data" / "deeper" / "cases"))
    monkeypatch.setenv("HESKET_CACHE_DIR", str(tmp_path / "cachehome" / "hesket"))
    old = os.umask(0)
    try:
        _triage(run)
        run("case", "list")
    finally:
        os.umask(old)
    made = [tmp_path / "data", tmp_path / "data" / "deeper", tmp_path / "data" / "deeper" / "cases",
            tmp_path / "cachehome", tmp_path / "cachehome" / "hesket"]
    assert [0o700] * len(made) == [stat.S_IMODE(p.stat().st_mode) for p in made]


# -- 3. nothing left behind -----------------------------------------------------------------


def _staging(cases_dir: Path, age: float, name: str = "new-killed") -> Path:
    """A killed triage's staging folder in `.hesket/staging/`, `age` seconds old (`.new-*` at the top: an older
    version's)."""
    folder = cases_dir / name if name.startswith(".") else cases_dir / ".hesket" / "staging" / name
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.mkdir(mode=0o700)
    (folder / "case.toml").write_text('summary = "a whole case, with personal data"\n', encoding="utf-8")
    then = time.time() - age
    os.utime(folder, (then, then))
    return folder


def test_verify_reports_a_staging_folder_and_an_orphan_evidence_copy_and_repair_removes_them(run, cases_dir):
    """A killed triage's staging folder (in either place) and an evidence copy no event names are reported, then
    removed."""
    case_id = _triage(run)
    staging = _staging(cases_dir, age=0)
    older = _staging(cases_dir, age=0, name=".new-killed")
    orphan = cases_dir / case_id / "evidence" / "001-screenshot.png"
    orphan.parent.mkdir(mode=0o700)
    orphan.write_bytes(b"a copy no event names")
    found = run("case", "verify")
    assert 3 == found.exit_code
    assert [f"Leftover: {path} (left behind by a command that was stopped)" for path in (staging, older, orphan)] == [
        line for line in found.stdout.splitlines() if line.startswith("Leftover:")]
    repaired = run("case", "verify", "--repair")
    assert (0, False, False, False) == (repaired.exit_code, staging.exists(), older.exists(), orphan.exists())
    assert 0 == run("case", "verify").exit_code


def test_every_triage_removes_staging_left_more_than_ten_minutes_ago_only(run, cases_dir):
    """Each triage removes staging folders older than ten minutes, even just after another triage, and leaves a
    fresh one (a triage still running)."""
    _triage(run)
    old = _staging(cases_dir, age=20 * 60)
    fresh = _staging(cases_dir, age=60, name="new-running")
    _triage(run, "kind-post")
    assert (False, True) == (old.exists(), fresh.exists())


def test_a_new_case_is_staged_under_hesket_notes_not_beside_the_cases(run, cases_dir, monkeypatch):
    """A triage builds its case in `.hesket/staging/` (the cases folder itself is never listed to sweep it)."""
    from hesket_cli import store as store_module

    seen = []
    place = store_module.CaseStore._place
    monkeypatch.setattr(store_module.CaseStore, "_place",
                        lambda self, staging, *args: seen.append(staging.parent) or place(self, staging, *args))
    _triage(run)
    assert [cases_dir / ".hesket" / "staging"] == seen
    assert [] == [p.name for p in (cases_dir / ".hesket" / "staging").iterdir()]


@POSIX
def test_a_failed_attach_leaves_no_copy_and_says_nothing_was_changed(run, cases_dir, tmp_path):
    """When the case file cannot be written after the copy, the copy is removed and the line is true."""
    if os.geteuid() == 0:
        pytest.skip("root writes to a read-only file anyway; the full-disk test covers this as root")
    case_id = _triage(run)
    (cases_dir / case_id / "evidence").mkdir(mode=0o700)
    (cases_dir / case_id / "case.toml").chmod(0o400)
    (cases_dir / case_id).chmod(0o500)
    evidence = tmp_path / "post.png"
    evidence.write_bytes(b"png")
    try:
        before = snapshot(cases_dir)
        result = run("case", "attach", case_id, evidence)
    finally:
        (cases_dir / case_id).chmod(0o700)
    assert 3 == result.exit_code
    assert before == snapshot(cases_dir)


# -- 4 and 5. one bad file is one flag; every read is bounded and never blocks ---------------


def _nested(depth: int) -> str:
    return "x = " + "[" * depth + "]" * depth + "\n"


def test_one_bad_case_file_is_one_flag_while_review_list_and_verify_go_on(run, cases_dir, tmp_path):
    """A case file nested 5,000 deep, a FIFO in place of one and evidence linked to /dev/zero each give one flag,
    quickly, while review, case list and case verify still show the other cases."""
    good = _triage(run)
    deep, fifo, linked = _triage(run), _triage(run), _triage(run)
    (cases_dir / deep / "case.toml").write_text(_nested(5000), encoding="utf-8")
    if os.name != "nt":
        (cases_dir / fifo / "case.toml").unlink()
        os.mkfifo(cases_dir / fifo / "case.toml")
        evidence = tmp_path / "post.png"
        evidence.write_bytes(b"png")
        assert 0 == run("case", "attach", linked, evidence).exit_code
        copy = next((cases_dir / linked / "evidence").iterdir())
        copy.unlink()
        copy.symlink_to("/dev/zero")
    started = time.monotonic()
    review = run("review", "--json")
    listed = run("case", "list", "--json")
    verified = run("case", "verify")
    assert time.monotonic() - started < 20
    rows = {r["id"]: r for r in json.loads(review.stdout)}
    assert ("open", "unreadable", "unreadable") == (rows[good]["status"], rows[deep]["status"], rows[fifo]["status"])
    assert any("/dev/zero" in why or "link" in why for why in rows[linked]["why"])
    assert {good, linked} == {d["id"] for d in json.loads(listed.stdout)}
    assert (3, 3) == (verified.exit_code, sum(line.startswith("Problem:") for line in verified.stdout.splitlines()))


@POSIX
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_an_answers_file_that_is_not_a_regular_file_is_refused_at_once(run, tmp_path, kind):
    """/dev/zero, a FIFO or a folder as the answers file exits 3 at once, without reading it."""
    path = {"dev-zero": Path("/dev/zero"), "folder": tmp_path}.get(kind, tmp_path / "fifo")
    if kind == "fifo":
        os.mkfifo(path)
    started = time.monotonic()
    result = run("triage", "--answers", path)
    assert (3, True) == (result.exit_code, time.monotonic() - started < 5)
    assert result.stderr.startswith(f"Error: {path}: is ")


@POSIX
def test_a_fifo_as_an_attachment_and_as_the_policy_are_refused_at_once(run, tmp_path, monkeypatch):
    """A FIFO given to case attach, and HESKET_POLICY=/dev/zero, exit 3 at once."""
    case_id = _triage(run)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    attached = run("case", "attach", case_id, fifo)
    monkeypatch.setenv("HESKET_POLICY", "/dev/zero")
    policy = run("case", "list")
    assert (3, 3) == (attached.exit_code, policy.exit_code)
    assert "not a regular file" in attached.stderr and "not a regular file" in policy.stderr


def test_an_answers_file_over_one_megabyte_and_a_summary_over_ten_thousand_characters_are_refused(run, tmp_path):
    """A 1 MB answers file and a 10,001-character summary exit 3 naming the limit; nothing is saved."""
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    long = _answers(tmp_path, summary="y" * 10_001)
    results = [run("triage", "--answers", big), run("triage", "--answers", long)]
    assert [3, 3] == [r.exit_code for r in results]
    assert ["over the 1 MB", "over the 10,000"] == [
        m for m, r in zip(["over the 1 MB", "over the 10,000"], results, strict=True) if m in r.stderr]


def test_attaching_a_file_over_the_size_limit_is_refused_and_max_size_raises_it(run, tmp_path):
    """A file over --max-size is refused before anything is copied; a larger --max-size accepts it."""
    case_id = _triage(run)
    evidence = tmp_path / "video.mp4"
    with open(evidence, "wb") as handle:
        handle.truncate(2 * 1024 * 1024)
    refused = run("case", "attach", case_id, evidence, "--max-size", "1")
    accepted = run("case", "attach", case_id, evidence, "--max-size", "3")
    assert (3, 0) == (refused.exit_code, accepted.exit_code)
    assert "over the 1 MB limit for evidence; raise it with --max-size MB" in refused.stderr


@pytest.mark.parametrize("text", [_nested(5000), '{"incident": ' * 5000 + "1" + "}" * 5000,
                                  '{"incident": {"summary": "\\ud800"}}'], ids=["toml", "json", "surrogate"])
def test_deeply_nested_answers_and_a_lone_surrogate_exit_3(run, tmp_path, text):
    """Answers nested 5,000 deep (TOML or JSON) and a JSON lone surrogate are invalid input, not a crash."""
    path = tmp_path / ("answers.json" if text.startswith("{") else "answers.toml")
    path.write_text(text, encoding="utf-8")
    result = run("triage", "--answers", path)
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))


# -- 6. say what failed ---------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A cases folder on a tiny tmpfs, filled to the last block once a case is in it."""
    mount = tmp_path / "disk"
    mount_tmpfs(mount, "256k")
    monkeypatch.setenv("HESKET_CASES_DIR", str(mount / "cases"))
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("command", [("note", "The parent phoned back."), ("record", "discuss_and_request_removal"),
                                     ("attach", "EVIDENCE")], ids=["note", "record", "attach"])
def test_a_full_disk_is_one_clear_line_and_changes_nothing(run, full_disk, tmp_path, command):
    """ENOSPC during note, record or attach: exit 3, one line naming the path and the cause; folder identical."""
    case_id = _triage(run)
    evidence = tmp_path / "post.png"
    evidence.write_bytes(os.urandom(64 * 1024))
    fill(full_disk)
    before = snapshot(full_disk / "cases")
    args = [str(evidence) if a == "EVIDENCE" else a for a in command]
    result = run("case", args[0], case_id, *args[1:])
    assert (3, 1) == (result.exit_code, len(result.stderr.splitlines()))
    assert "No space left on device; nothing was changed" in result.stderr
    assert str(full_disk / "cases" / case_id) in result.stderr
    assert before == snapshot(full_disk / "cases")


# -- 7. validate what changes a verdict -----------------------------------------------------


def test_a_json_answers_file_with_a_key_given_twice_is_refused(run, tmp_path):
    """`"poster": "parent", "poster": "pupil"` exits 3 naming the key, rather than letting the last one win."""
    text = (EXAMPLES / "complaint-wrong-channel.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["incident"]["observed_on"] = data["incident"]["observed_on"].isoformat()
    raw = json.dumps(data).replace('"poster": "parent"', '"poster": "parent", "poster": "pupil"')
    path = tmp_path / "twice.json"
    path.write_text(raw, encoding="utf-8")
    result = run("triage", "--answers", path)
    assert (3, f"Error: {path}: the key 'poster' is given twice; give each answer once") == (
        result.exit_code, result.stderr.strip())


def test_a_post_seen_before_2000_is_refused(run, tmp_path):
    """observed_on = 0001-01-01 exits 3 (it would break the governors' summary)."""
    result = run("triage", "--answers", _answers(tmp_path, observed_on="0001-01-01"))
    assert 3 == result.exit_code
    assert "is before 2000-01-01" in result.stderr


def _hand_edit(cases_dir: Path, case_id: str, **event: object) -> None:
    import tomli_w

    path = cases_dir / case_id / "case.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["events"].append(event)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(("event", "flag"), [
    ({"event": "written_warning", "on": dt.date(2999, 1, 1)}, "in the future"),
    ({"event": "sue_them", "on": dt.date.today()}, "is not an event of the policy in use"),
    ({"event": "refused", "on": dt.date.today()}, "comes before the policy permits it"),
], ids=["future", "unknown", "out-of-order"])
def test_a_hand_edited_event_is_flagged_by_verify_and_review(run, cases_dir, event, flag):
    """A future-dated, unknown or premature event written into a case file by hand is flagged, not trusted."""
    case_id = _triage(run)
    _hand_edit(cases_dir, case_id, at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), by="Someone", **event)
    verified = run("case", "verify")
    rows = json.loads(run("review", "--json").stdout)
    assert 3 == verified.exit_code
    assert flag in verified.stdout
    assert [True] == [any(flag in why for why in r["why"]) for r in rows]


# -- 8. links and open folders inside the cases folder --------------------------------------


@POSIX
def test_a_case_folder_replaced_by_a_link_is_refused_and_never_written_through(run, cases_dir, tmp_path):
    """A case folder that is a link to a folder outside is refused by show and record; the outside is untouched."""
    case_id = _triage(run)
    outside = tmp_path / "outside"
    shutil.move(cases_dir / case_id, outside)
    (cases_dir / case_id).symlink_to(outside)
    before = snapshot(outside)
    shown = run("case", "show", case_id)
    recorded = run("case", "note", case_id, "A note")
    assert (3, 3) == (shown.exit_code, recorded.exit_code)
    assert "is a link" in recorded.stderr
    assert before == snapshot(outside)


@POSIX
def test_a_lock_replaced_by_a_link_is_refused_and_its_target_never_created(run, cases_dir, tmp_path):
    """A .lock that is a link is an error naming it; the file it points to is not created."""
    case_id = _triage(run)
    target = tmp_path / "created-through-the-link"
    (cases_dir / case_id / ".lock").unlink()
    (cases_dir / case_id / ".lock").symlink_to(target)
    result = run("case", "note", case_id, "A note")
    assert (3, False) == (result.exit_code, target.exists())
    assert f"{cases_dir / case_id / '.lock'}: is a link" in result.stderr


@POSIX
@pytest.mark.parametrize("which", ["cases", "case"])
def test_a_folder_other_users_may_change_is_refused_with_the_chmod_that_fixes_it(run, cases_dir, which):
    """A cases folder or case folder left 0777 is refused, naming the folder and the fix; nothing is written."""
    case_id = _triage(run)
    folder = cases_dir if which == "cases" else cases_dir / case_id
    folder.chmod(0o777)
    before = snapshot(cases_dir)
    result = run("case", "note", case_id, "A note")
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert f"{folder}: other users may change this folder (mode 777); fix with: chmod g-w,o-w {folder}" in result.stderr


# -- 9. a policy's quotes are checked whenever it is used ------------------------------------


def test_a_policy_with_a_made_up_quote_is_refused_by_triage(run, tmp_path, cases_dir):
    """`triage --policy COPY` with a quote not in its source exits 3 naming the place; no case is saved."""
    folder = tmp_path / "school"
    folder.mkdir()
    shutil.copy(ROOT / "policy.txt", folder / "policy.txt")
    copy = folder / "policy.toml"
    copy.write_text(POLICY_FILE.read_text(encoding="utf-8").replace(
        'policy_text = "Posting racist comments"', 'policy_text = "Posting comments the head dislikes"'),
        encoding="utf-8")
    result = run("--policy", copy, "triage", "--answers", EXAMPLES / "kind-post.toml")
    assert (3, False) == (result.exit_code, cases_dir.exists())
    assert f"Error: {copy}: checklist.racist.policy_text: not found in the source" in result.stderr


def test_a_checked_policy_is_remembered_so_later_runs_skip_the_check(run, tmp_path, monkeypatch):
    """Once a policy and its source passed, the pair is remembered in the cache by their SHA-256."""
    _triage(run, "kind-post")
    memory = Path(os.environ["HESKET_CACHE_DIR"]) / "quotes-checked.txt"
    assert 1 == len(memory.read_text(encoding="utf-8").splitlines())
    assert 0 == subprocess.run([sys.executable, "-m", "hesket_cli", "case", "list"], env=dict(os.environ),
                               capture_output=True).returncode


# -- text from outside, shown ---------------------------------------------------------------------


def test_the_quick_check_for_text_that_needs_care_agrees_with_the_character_by_character_rule():
    """Every code point of the basic plane that `shown` must change is found by its one-search check, no other."""
    from hesket_cli.safe import _CARE, _CARE_BUT_NEWLINE, _needs_care

    disagree = [hex(code) for code in range(0x10000)
                if 0xD800 > code or code > 0xDFFF
                if (_CARE.search(chr(code)) is not None) != _needs_care(chr(code))
                or (_CARE_BUT_NEWLINE.search(chr(code)) is not None) != (_needs_care(chr(code)) and code != 0x0A)]
    assert [] == disagree
