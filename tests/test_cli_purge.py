"""Retention and purge: only cases past the school's period go, after confirmation, logged without names."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from hesket_cli.index import index_path
from hesket_cli.purge import LOG_KEYS

from conftest import EXAMPLES, snapshot

SUMMARY = "A fictional parent thanked the Year 2 team for the trip."


def _case(run, tmp_path: Path, seen: str, *, closed: str | None = None, voided: str | None = None) -> str:
    """A kind post seen on `seen`, closed (after no_action) or voided on the date given, or left open."""
    answers = (EXAMPLES / "kind-post.toml").read_text(encoding="utf-8")
    answers = "\n".join(f"observed_on = {seen}" if line.startswith("observed_on") else
                        f'summary = "{SUMMARY}"' if line.startswith("summary") else line
                        for line in answers.splitlines())
    path = tmp_path / f"post-{seen}.toml"
    path.write_text(answers + "\n", encoding="utf-8")
    result = run("triage", "--answers", path, "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    case_id = json.loads(result.stdout)["id"]
    steps = ([("record", case_id, "no_action", "--on", closed), ("record", case_id, "close_case", "--on", closed)]
             if closed else [("void", case_id, "--reason", "Triaged twice", "--on", voided)] if voided else [])
    for step in steps:
        done = run("case", *step, "--by", "Mrs A Example")
        assert 0 == done.exit_code, done.stderr
    return case_id


@pytest.fixture
def cases(run, tmp_path):
    """Four cases: closed in 2018 (due), closed in 2026 (kept), open since 2018 (never due), void in 2018 (due)."""
    return {"old": _case(run, tmp_path, "2018-01-05", closed="2018-01-10"),
            "recent": _case(run, tmp_path, "2026-11-02", closed="2026-11-03"),
            "open": _case(run, tmp_path, "2018-02-01"),
            "void": _case(run, tmp_path, "2018-03-01", voided="2018-03-02")}


def test_dry_run_lists_the_cases_past_their_date_by_id_and_dates_only(run, cases, tmp_path):
    """--dry-run names the old closed and the old void case with their dates, and no summary or person."""
    result = run("purge", "--dry-run")
    assert 0 == result.exit_code, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("20")]
    assert [f"{cases['old']}  closed 2018-01-10  destroy after 2024-01-10",
            f"{cases['void']}  void 2018-03-02  destroy after 2024-03-02"] == rows
    assert (False, False) == (SUMMARY in result.stdout, "Mrs A Example" in result.stdout)


def test_dry_run_changes_nothing_on_disk(run, cases, tmp_path):
    """--dry-run leaves every file in the test's folder (cases, cache, settings) exactly as it was."""
    before = snapshot(tmp_path)
    assert (0, before) == (run("purge", "--dry-run").exit_code, snapshot(tmp_path))


def test_yes_removes_exactly_the_cases_past_retention(run, cases, cases_dir):
    """purge --yes removes the old closed and old void case (folders and evidence) and keeps the others."""
    result = run("purge", "--yes", "--by", "Mr O Office")
    assert 0 == result.exit_code, result.stderr
    assert sorted([cases["recent"], cases["open"]]) == sorted(p.name for p in cases_dir.iterdir()
                                                              if p.is_dir() and not p.name.startswith("."))


def test_an_open_case_is_never_purged_however_old(run, cases, cases_dir):
    """A case seen in 2018 and never closed is not listed and not deleted."""
    listed = run("purge", "--dry-run", "--json")
    run("purge", "--yes")
    assert (False, True) == (cases["open"] in listed.stdout, (cases_dir / cases["open"] / "case.toml").exists())


def test_purge_removes_the_index_rows_of_the_cases_it_deletes(run, cases, cases_dir):
    """After list, review and search filled the index, a purge leaves no record, post key or hash about a
    purged case."""
    assert 0 == run("case", "list", "--status", "all").exit_code
    run("review", "--status", "all")
    run("case", "find", "Year 2")
    assert 0 == run("purge", "--yes").exit_code
    with sqlite3.connect(index_path(cases_dir)) as db:
        ids = {row[0] for table in ("files", "post_keys", "post_cases")
               for row in db.execute(f"SELECT id FROM {table}")}
        members = {line.split()[0] for (text,) in db.execute("SELECT members FROM chunks")
                   for line in text.split("\n")}
        paths = [row[0] for row in db.execute("SELECT path FROM hashes")]
    assert (set(), set(), []) == (ids & {cases["old"], cases["void"]}, members & {cases["old"], cases["void"]},
                                  [p for p in paths if cases["old"] in p or cases["void"] in p])


def test_the_purge_log_records_ids_dates_who_and_when_and_no_names(run, cases, cases_dir):
    """Each deleted case is one log entry of ids, dates, the rule, who and when; nothing from the case."""
    assert 0 == run("purge", "--yes", "--by", "Mr O Office").exit_code
    text = (cases_dir / "purge-log.jsonl").read_text(encoding="utf-8")
    entries = [json.loads(line) for line in text.splitlines()]
    assert [(cases["old"], "closed", "2018-01-10", "2024-01-10", "6 years", "default", "Mr O Office"),
            (cases["void"], "void", "2018-03-02", "2024-03-02", "6 years", "default", "Mr O Office")] == [
        (e["id"], e["status"], e["closed_on"], e["destroy_after"], e["rule"], e["rule_set_by"], e["purged_by"])
        for e in entries]
    assert ([list(LOG_KEYS)] * 2, False, False) == ([list(e) for e in entries], SUMMARY in text,
                                                    "Mrs A Example" in text)


def test_purge_log_shows_what_was_purged(run, cases):
    """`purge --log` lists each purged case; `--log --json` gives the entries with the contract."""
    run("purge", "--yes", "--by", "Mr O Office")
    shown, as_json = run("purge", "--log"), run("purge", "--log", "--json")
    assert (0, True, True) == (shown.exit_code, cases["old"] in shown.stdout, "by Mr O Office" in shown.stdout)
    assert [(1, cases["old"]), (1, cases["void"])] == [(e["contract"], e["id"]) for e in json.loads(as_json.stdout)]


def test_without_yes_and_not_at_a_terminal_nothing_is_deleted_and_yes_is_named(run, cases, tmp_path):
    """A purge from a script without --yes: exit 2, one Error line naming --yes, nothing changed."""
    before = snapshot(tmp_path)
    result = run("purge")
    assert (2, before) == (result.exit_code, snapshot(tmp_path))
    assert (True, 1) == ("--yes" in result.stderr, len(result.stderr.splitlines()))


def test_nothing_due_is_said_and_needs_no_confirmation(run, tmp_path):
    """With only a recent case, `purge` says nothing is due and exits 0, at a terminal or not."""
    _case(run, tmp_path, "2026-11-02", closed="2026-11-03")
    result = run("purge")
    assert (0, True) == (result.exit_code, "nothing to delete" in result.stdout)


def test_the_schools_own_rule_is_used_and_shown_as_its_setting(run, tmp_path, monkeypatch):
    """In a workspace whose hesket.toml keeps cases "1 month" after closing, a case closed in 2026-10 is due."""
    root = tmp_path / "school"
    assert 0 == run("init", root).exit_code
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[retention]\nafter_closing = "1 month"\n')
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    case_id = _case(run, tmp_path, "2026-09-01", closed="2026-09-02")
    result = run("purge", "--dry-run")
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    assert (f"{case_id}  closed 2026-09-02  destroy after 2026-10-02", True) == (
        result.stdout.splitlines()[1], "1 month after closing (the school's setting" in result.stdout.splitlines()[0])
    assert ("2026-10-02", {"after_closing": "1 month", "set_by": "school"}) == (doc["destroy_after"],
                                                                               doc["retention"])


def test_a_retention_rule_that_is_not_a_duration_is_refused(run, tmp_path, monkeypatch):
    """after_closing = "for ever": exit 3, one Error line naming the setting, nothing deleted."""
    root = tmp_path / "school"
    assert 0 == run("init", root).exit_code
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[retention]\nafter_closing = "for ever"\n')
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    before = snapshot(root)
    result = run("purge", "--yes")
    assert (3, before) == (result.exit_code, snapshot(root))
    assert result.stderr.startswith("Error: ") and "retention.after_closing" in result.stderr


def test_a_case_reopened_after_it_was_listed_is_kept(run, cases, cases_dir, monkeypatch):
    """A case that is no longer due when looked at again under its lock is kept and not logged."""
    from hesket_cli.casework.common import Moment
    from hesket_cli.casework.purging import purge_cases, purge_plan
    from hesket_cli.workspace import find_workspace

    place = find_workspace(None, None)
    now = Moment.current()
    plan = purge_plan(place, now.today)
    assert 0 == run("case", "record", cases["old"], "reopen_case", "--by", "Mrs A Example").exit_code
    done = purge_cases(place, plan, now, by="Mr O Office")
    assert ([cases["old"]], [cases["void"]], True) == (done.kept, [e["id"] for e in done.entries],
                                                       (cases_dir / cases["old"]).is_dir())


def test_case_show_gives_the_closing_and_destroy_after_dates(run, cases):
    """A closed case shows when it was closed and its destroy-after date, with the rule marked as the default."""
    shown = run("case", "show", cases["recent"]).stdout
    doc = json.loads(run("case", "show", cases["recent"], "--json").stdout)
    assert ("2026-11-03", "2032-11-03", "default") == (doc["closed_on"], doc["destroy_after"],
                                                       doc["retention"]["set_by"])
    assert ("Destroy after: 2032-11-03  (closed 2026-11-03; kept 6 years after closing)" in shown,
            "hesket's suggested default" in shown) == (True, True)


def test_an_open_case_has_no_destroy_after_date(run, cases):
    """An open case's JSON has closed_on and destroy_after null."""
    doc = json.loads(run("case", "show", cases["open"], "--json").stdout)
    assert (None, None) == (doc["closed_on"], doc["destroy_after"])


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pseudo-terminal")
@pytest.mark.parametrize(("typed", "deleted"), [("delete 2", True), ("yes", False), ("", False)])
def test_at_a_terminal_only_the_typed_confirmation_deletes(run, cases, cases_dir, tmp_path, typed, deleted):
    """At a terminal, hesket lists the cases and deletes them only when `delete 2` is typed."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "hesket_cli", "purge", "--by", "Mr O Office"], env=env,
                          encoding="utf-8", timeout=20, cwd=str(tmp_path))
    child.expect_exact("Type 'delete 2' to confirm, or press Enter to keep them")
    child.sendline(typed)
    child.expect(pexpect.EOF)
    child.close()
    assert (0, not deleted) == (child.exitstatus, (cases_dir / cases["old"]).exists())


def test_a_retention_rule_that_is_not_a_duration_names_its_setting_once(run, tmp_path, monkeypatch):
    """after_closing = "forever": the one Error line names the file and the setting once, then what is wrong."""
    root = tmp_path / "school"
    assert 0 == run("init", root).exit_code
    with (root / "hesket.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[retention]\nafter_closing = "forever"\n')
    monkeypatch.setenv("HESKET_WORKSPACE", str(root))
    result = run("purge", "--dry-run")
    assert (3, f"Error: {root / 'hesket.toml'}: retention.after_closing: 'forever' is not a retention period; "
               'write a whole number of years or months, for example "6 years" or "18 months"') \
        == (result.exit_code, result.stderr.strip())


def test_dry_run_of_one_case_says_its_date_in_the_singular(run, tmp_path):
    """One case due: "1 case past its destroy-after date ... To delete it", never "their" or "them"."""
    _case(run, tmp_path, "2018-01-05", closed="2018-01-10")
    result = run("purge", "--dry-run")
    assert ("1 case past its destroy-after date would be deleted; nothing was deleted (--dry-run). To delete it: "
            "hesket purge") == result.stdout.splitlines()[-1]


def test_dry_run_of_two_cases_says_their_dates_in_the_plural(run, cases):
    """Two cases due: "2 cases past their destroy-after date ... To delete them"."""
    result = run("purge", "--dry-run")
    assert ("2 cases past their destroy-after date would be deleted; nothing was deleted (--dry-run). To delete "
            "them: hesket purge") == result.stdout.splitlines()[-1]
