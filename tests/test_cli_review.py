"""hesket review: the order of cases, --json and --csv, --check, unreadable cases, flags and the governors' summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
from pathlib import Path

from conftest import POLICY_FILE, ROOT, snapshot

WIDE = {"COLUMNS": "1000"}
TODAY = dt.date.today()  # the CLI reads the real clock, so dates here are counted back from today
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")
COLUMNS = ["id", "attention", "status", "verdict", "stage", "observed_on", "platform", "poster", "poster_ref", "next_step",
           "next_step_title", "next_step_policy_text", "why"]
NAME = "Zebedee Quillfeather"
_numbers = itertools.count(1)


# -- helpers -------------------------------------------------------------------------------------------


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _triage(run, tmp_path: Path, *, ticked=(), flagged=(), observed: str | None = None, platform="facebook",
            poster="parent", summary="A made-up parent, Mr C Example, posted about the school.", location=None,
            other=None, by="Mrs A Example", policy: Path | None = None) -> str:
    """Triage a post from a JSON answers file; return the new case's id."""
    incident = {"observed_on": observed or TODAY.isoformat(), "platform": platform, "poster": poster,
                "summary": summary}
    if location is not None:
        incident["location"] = location
    checklist = {c: c in ticked for c in CHECKLIST}
    if other is not None:
        checklist["other"] = other
    data = {"incident": incident, "considerations": {c: c in flagged for c in CONSIDERATIONS}, "checklist": checklist}
    path = tmp_path / f"answers-{next(_numbers)}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run(*(["--policy", policy] if policy else []), "triage", "--answers", path, "--json", "--by", by)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _record(run, case_id: str, event: str, *args: str) -> None:
    result = run("case", "record", case_id, event, "--json", *args)
    assert 0 == result.exit_code, result.stderr


def _review(run, *args: str, env=None):
    return run("review", *args, env={**WIDE, **(env or {})})


def _review_json(run, *args: str) -> list[dict]:
    result = _review(run, *args, "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _rows_without_contract(rows: list[dict]) -> list[dict]:
    """JSON rows as CSV has them: every key but the contract version, which CSV leaves out."""
    return [{k: v for k, v in row.items() if k != "contract"} for row in rows]


def _review_csv(run, *args: str) -> tuple[list[str], list[dict]]:
    result = _review(run, *args, "--csv")
    assert 0 == result.exit_code, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    return list(reader.fieldnames), list(reader)


def _ids_in_table(stdout: str) -> list[str]:
    """The case ids heading each row of the human review, in the order printed."""
    return re.findall(r"^([0-9]{4}-[0-9]{4,6})\s", stdout, flags=re.MULTILINE)


def _mixed_set(run, tmp_path: Path) -> dict[str, str]:
    """Cases of every kind, triaged in an order unlike the review's; returns {name: id}."""
    ids = {}
    ids["fresh_complaint"] = _triage(run, tmp_path, ticked=("complaint",))
    ids["kind_done"] = _triage(run, tmp_path)
    _record(run, ids["kind_done"], "no_action")
    ids["undiscussed"] = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(30))
    ids["overridden"] = _triage(run, tmp_path, ticked=("complaint",))
    _record(run, ids["overridden"], "written_warning", "--override", "--reason", "Second post the same day")
    ids["threat"] = _triage(run, tmp_path, ticked=("threat_of_violence",))
    ids["no_outcome"] = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(10))
    _record(run, ids["no_outcome"], "discuss_and_request_removal", "--on", _ago(9))
    ids["closed"] = _triage(run, tmp_path)
    _record(run, ids["closed"], "no_action")
    _record(run, ids["closed"], "close_case", "--reason", "Closed by the head")
    ids["old_threat"] = _triage(run, tmp_path, ticked=("threat_of_violence",), observed=_ago(20))
    return ids


def _expected_order(ids: dict[str, str], *, closed: bool = False) -> list[tuple[str, str]]:
    order = [("threat", "urgent"), ("old_threat", "urgent"), ("undiscussed", "overdue"), ("no_outcome", "overdue"),
             ("overridden", "flagged"), ("fresh_complaint", "open"), ("kind_done", "open")]
    if closed:
        order.append(("closed", "closed"))
    return [(ids[name], attention) for name, attention in order]


def _csv_value(value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


def _policy_copy(tmp_path: Path, old: str, new: str, folder: str = "school") -> Path:
    """A copy of policy.toml (policy.txt beside it) with `old` replaced by `new` exactly once."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert 1 == text.count(old)
    where = tmp_path / folder
    where.mkdir()
    published = " ".join((ROOT / "policy.txt").read_text(encoding="utf-8").split())
    (where / "policy.txt").write_text(published.replace(old, new), encoding="utf-8")  # a reworded quote, reworded
    path = where / "policy.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# -- order ---------------------------------------------------------------------------------------------


def test_review_lists_urgent_then_overdue_then_flagged_then_the_rest_oldest_first(run, tmp_path):
    """review --json orders the open cases urgent, overdue, flagged, then open; oldest id first in each group."""
    ids = _mixed_set(run, tmp_path)
    rows = _review_json(run)
    assert _expected_order(ids) == [(r["id"], r["attention"]) for r in rows]


def test_review_status_all_puts_closed_cases_last(run, tmp_path):
    """review --status all adds the closed case at the end."""
    ids = _mixed_set(run, tmp_path)
    rows = _review_json(run, "--status", "all")
    assert _expected_order(ids, closed=True) == [(r["id"], r["attention"]) for r in rows]


def test_review_status_closed_lists_only_closed_cases(run, tmp_path):
    """review --status closed lists the closed case only."""
    ids = _mixed_set(run, tmp_path)
    assert [(ids["closed"], "closed")] == [(r["id"], r["attention"]) for r in _review_json(run, "--status", "closed")]


def test_the_table_lists_the_same_cases_in_the_same_order_as_json(run, tmp_path):
    """The human review heads each case with its id and group, in the order --json gives."""
    _mixed_set(run, tmp_path)
    rows = _review_json(run, "--status", "all")
    result = _review(run, "--status", "all")
    assert 0 == result.exit_code, result.stderr
    headers = [line for line in result.stdout.splitlines() if re.match(r"[0-9]{4}-[0-9]{4}\s", line)]
    assert [(r["id"], r["attention"].upper()) for r in rows] == [(h.split()[0], h.split()[1]) for h in headers]


def test_the_table_shows_why_each_case_needs_attention_and_a_count_per_group(run, tmp_path):
    """The human review shows each reason and ends with the count of cases in each group."""
    ids = _mixed_set(run, tmp_path)
    result = _review(run)
    expected_why = [f"overridden: written_warning on {TODAY.isoformat()} (the reason is in case show)",
                    "not yet discussed with the parent, 30 days after the post was seen (school's setting: 7 days)",
                    "no outcome recorded 9 days after the discussion (school's setting: 7 days)",
                    "contact_police is permitted at once and not yet taken"]
    assert ([True] * 4, "2 urgent, 2 overdue, 1 flagged, 2 open", False) == (
        [w in result.stdout for w in expected_why], result.stdout.strip().splitlines()[-1], ids["closed"] in result.stdout)


def test_review_of_no_cases_says_so(run):
    """With no cases, review says there is nothing to review, --json prints [] and --csv only the header."""
    table, as_json, as_csv = _review(run), _review(run, "--json"), _review(run, "--csv")
    assert ((0, "No cases to review."), (0, []), (0, ",".join(COLUMNS))) == (
        (table.exit_code, table.stdout.strip()), (as_json.exit_code, json.loads(as_json.stdout)),
        (as_csv.exit_code, as_csv.stdout.strip()))


# -- --json and --csv ----------------------------------------------------------------------------------


def test_json_rows_have_the_documented_keys_in_order(run, tmp_path):
    """Each --json row has exactly the keys id ... why, in that order."""
    _mixed_set(run, tmp_path)
    assert [["contract", *COLUMNS]] * 8 == [list(r) for r in _review_json(run, "--status", "all")]


def test_csv_rows_equal_json_rows(run, tmp_path):
    """--csv has the same columns, ids, order and values as --json (why joined with "; ", null as empty)."""
    _mixed_set(run, tmp_path)
    rows = _review_json(run, "--status", "all")
    header, csv_rows = _review_csv(run, "--status", "all")
    assert (COLUMNS, [{k: _csv_value(v) for k, v in r.items()} for r in _rows_without_contract(rows)]) == (
        header, csv_rows)


def test_csv_joins_several_reasons_with_a_semicolon(run, tmp_path):
    """A case with two reasons (overdue and an override) has both in its CSV why, joined by "; "."""
    case_id = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(12))
    _record(run, case_id, "written_warning", "--override", "--reason", "Made-up reason", "--on", _ago(11))
    _, rows = _review_csv(run)
    expected = ("not yet discussed with the parent, 12 days after the post was seen (school's setting: 7 days); "
                f"overridden: written_warning on {_ago(11)} (the reason is in case show)")
    assert [(case_id, "overdue", expected)] == [(r["id"], r["attention"], r["why"]) for r in rows]


def test_csv_and_json_agree_with_an_unreadable_case(run, tmp_path, cases_dir):
    """An unreadable case is the same row in --json and --csv (empty fields for what cannot be known)."""
    _mixed_set(run, tmp_path)
    (cases_dir / "2026-0002" / "case.toml").write_bytes(b"schema = [not toml")
    rows = _review_json(run, "--status", "all")
    _, csv_rows = _review_csv(run, "--status", "all")
    assert [{k: _csv_value(v) for k, v in r.items()} for r in _rows_without_contract(rows)] == csv_rows


def test_since_keeps_only_posts_seen_on_or_after_the_date(run, tmp_path):
    """review --since DATE leaves out cases whose post was seen before DATE."""
    old = _triage(run, tmp_path, observed=_ago(40))
    new = _triage(run, tmp_path, observed=_ago(5))
    assert ([new], [old, new]) == ([r["id"] for r in _review_json(run, "--since", _ago(5))],
                                   [r["id"] for r in _review_json(run)])


def test_json_and_csv_together_is_a_usage_error(run):
    """--json with --csv exits 2 with one error line."""
    result = _review(run, "--json", "--csv")
    assert (2, "") == (result.exit_code, result.stdout)


def test_a_bad_since_date_is_invalid_input(run):
    """--since with something that is not a date exits 3 naming the option."""
    result = _review(run, "--since", "last week")
    assert (3, True) == (result.exit_code, result.stderr.startswith("Error: --since:"))


# -- unreadable case files -----------------------------------------------------------------------------


def test_an_unreadable_case_is_reported_with_its_path_and_the_others_are_reviewed(run, tmp_path, cases_dir):
    """A corrupt case file is a flagged row, status unreadable, naming its path; every other case is still reviewed."""
    ids = _mixed_set(run, tmp_path)
    broken = cases_dir / ids["kind_done"] / "case.toml"
    spoilt = b"schema = 2\nid = \"2026-0002\nthis is not TOML"
    broken.write_bytes(spoilt)
    rows = _review_json(run)
    row = next(r for r in rows if r["id"] == ids["kind_done"])
    order = [(i, a) for i, a in _expected_order(ids) if i != ids["kind_done"]]
    order.insert(4, (ids["kind_done"], "flagged"))  # before the other flagged case (a newer id)
    assert (order, "unreadable", "flagged", 1, True) == (
        [(r["id"], r["attention"]) for r in rows], row["status"], row["attention"], len(row["why"]),
        str(broken) in row["why"][0])
    assert spoilt == broken.read_bytes()


def test_review_exits_0_with_an_unreadable_case_and_check_exits_6(run, tmp_path, cases_dir):
    """review (table, --json, --csv) exits 0 with an unreadable case; review --check exits 6."""
    case_id = _triage(run, tmp_path)
    (cases_dir / case_id / "case.toml").write_bytes(b"\xff\xfe not utf-8")
    codes = [_review(run, *args).exit_code for args in ((), ("--json",), ("--csv",), ("--check",))]
    assert [0, 0, 0, 6] == codes


def test_an_unreadable_case_is_shown_in_the_table_with_its_path(run, tmp_path, cases_dir):
    """The human review shows the unreadable case's id, FLAGGED and the path of its file."""
    case_id = _triage(run, tmp_path)
    path = cases_dir / case_id / "case.toml"
    path.write_bytes(b"[[[")
    result = _review(run)
    assert (0, [case_id], True, True) == (result.exit_code, _ids_in_table(result.stdout), "FLAGGED" in result.stdout,
                                          str(path) in result.stdout)


def test_a_case_file_holding_another_case_is_unreadable(run, tmp_path, cases_dir):
    """A case file copied into another case's folder is reported, not reviewed as the other case."""
    first = _triage(run, tmp_path)
    (cases_dir / "2026-0099").mkdir()
    shutil.copyfile(cases_dir / first / "case.toml", cases_dir / "2026-0099" / "case.toml")
    rows = _review_json(run)
    assert [("2026-0099", "flagged", "unreadable"), (first, "open", "open")] == [
        (r["id"], r["attention"], r["status"]) for r in rows]


# -- --check -------------------------------------------------------------------------------------------


def test_check_exits_0_with_no_cases(run):
    """review --check with no cases exits 0."""
    assert 0 == _review(run, "--check").exit_code


def test_check_exits_0_when_only_a_closed_case_exists(run, tmp_path):
    """A closed case (even one closed by overriding the policy, seen long ago) needs no attention: exit 0."""
    case_id = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(90))
    _record(run, case_id, "close_case", "--override", "--reason", "Duplicate of another case")
    assert (0, 0) == (_review(run, "--check").exit_code, _review(run, "--check", "--status", "all").exit_code)


def test_check_exits_0_for_a_fresh_kind_post_with_no_action_recorded(run, tmp_path):
    """A kind post triaged today with no_action recorded needs no attention: exit 0."""
    case_id = _triage(run, tmp_path)
    _record(run, case_id, "no_action")
    result = _review(run, "--check")
    assert (0, [case_id], "OPEN") == (result.exit_code, _ids_in_table(result.stdout), result.stdout.split()[1])


def test_check_exits_0_for_fresh_cases_on_day_0(run, tmp_path):
    """A kind post, a post needing a signpost and a complaint, all seen today, are not overdue: exit 0."""
    _triage(run, tmp_path)
    _triage(run, tmp_path, flagged=("wrong_channel",))
    _triage(run, tmp_path, ticked=("complaint",))
    assert (0, ["open"] * 3) == (_review(run, "--check").exit_code, [r["attention"] for r in _review_json(run)])


def test_check_exits_6_for_an_overdue_case(run, tmp_path):
    """A complaint seen 8 days ago and not discussed is overdue: exit 6."""
    _triage(run, tmp_path, ticked=("complaint",), observed=_ago(8))
    assert (6, ["overdue"]) == (_review(run, "--check").exit_code, [r["attention"] for r in _review_json(run)])


def test_check_exits_0_for_a_complaint_seen_7_days_ago(run, tmp_path):
    """A complaint seen 7 days ago (the school's setting) is not yet overdue: exit 0."""
    _triage(run, tmp_path, ticked=("complaint",), observed=_ago(7))
    assert 0 == _review(run, "--check").exit_code


def test_check_exits_6_for_an_urgent_case(run, tmp_path):
    """A threat of violence seen today is urgent: exit 6; once the police are contacted, exit 0."""
    case_id = _triage(run, tmp_path, ticked=("threat_of_violence",))
    first = _review(run, "--check").exit_code
    _record(run, case_id, "contact_police")
    assert (6, 0) == (first, _review(run, "--check").exit_code)


def test_check_exits_6_for_a_flagged_case(run, tmp_path):
    """A case with an overridden step is flagged: exit 6 (also with --json, which still prints the rows)."""
    case_id = _triage(run, tmp_path, ticked=("complaint",))
    _record(run, case_id, "written_warning", "--override", "--reason", "Made-up reason")
    result = _review(run, "--check", "--json")
    assert (6, [(case_id, "flagged")]) == (result.exit_code,
                                           [(r["id"], r["attention"]) for r in json.loads(result.stdout)])


def test_check_exits_6_for_the_mixed_set_and_0_once_only_the_closed_case_is_left(run, tmp_path, cases_dir):
    """The mixed set needs attention (6); with every open case removed, only the closed one is left (0)."""
    ids = _mixed_set(run, tmp_path)
    first = _review(run, "--check").exit_code
    for name, case_id in ids.items():
        if name != "closed":
            shutil.rmtree(cases_dir / case_id)
    assert (6, 0) == (first, _review(run, "--check", "--status", "all").exit_code)


def test_review_changes_nothing_in_the_cases_folder(run, tmp_path, cases_dir):
    """review, in every form, writes nothing into the cases folder."""
    _mixed_set(run, tmp_path)
    before = snapshot(cases_dir)
    for args in ((), ("--json",), ("--csv",), ("--check",), ("--status", "all"), ("--summary",)):
        _review(run, *args)
    assert before == snapshot(cases_dir)


# -- flags ---------------------------------------------------------------------------------------------


def test_an_override_is_flagged_with_the_step_and_date_but_not_the_free_text_reason(run, tmp_path):
    """A step recorded with --override --reason flags the case, naming the step and its date (the reason, free text, stays in case show)."""
    case_id = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(3))
    _record(run, case_id, "written_warning", "--override", "--reason", "The head decided at once", "--on", _ago(2))
    assert [(case_id, "flagged", [f"overridden: written_warning on {_ago(2)} (the reason is in case show)"])] == [
        (r["id"], r["attention"], r["why"]) for r in _review_json(run)]


def test_a_changed_evidence_file_is_flagged(run, tmp_path, cases_dir):
    """Evidence changed after it was attached flags the case (it was not flagged before the change)."""
    case_id = _triage(run, tmp_path)
    source = tmp_path / "screenshot.png"
    source.write_bytes(b"made-up screenshot bytes")
    assert 0 == run("case", "attach", case_id, source).exit_code
    before = _review_json(run)
    stored = cases_dir / case_id / "evidence" / "001-screenshot.png"
    stored.write_bytes(b"made-up screenshot bytes, edited")
    after = _review_json(run)
    assert ([], "open") == (before[0]["why"], before[0]["attention"])
    assert ("flagged", 1, True, True) == (after[0]["attention"], len(after[0]["why"]),
                                          after[0]["why"][0].startswith(f"evidence: {stored}"),
                                          "changed since it was attached" in after[0]["why"][0])
    assert 6 == _review(run, "--check").exit_code


def test_evidence_edited_in_place_keeping_its_size_and_time_is_flagged_after_its_hash_was_remembered(
        run, tmp_path, cases_dir):
    """A review remembers each file's hash; one rewritten later with the same size and modification time is
    still found changed by the next review."""
    import os

    case_id = _triage(run, tmp_path)
    source = tmp_path / "screenshot.png"
    source.write_bytes(b"made-up screenshot bytes")
    assert 0 == run("case", "attach", case_id, source).exit_code
    before = [_review_json(run)[0]["why"] for _ in range(2)]
    stored = cases_dir / case_id / "evidence" / "001-screenshot.png"
    st = stored.stat()
    stored.write_bytes(b"MADE-UP screenshot bytes")
    os.utime(stored, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = _review_json(run)[0]["why"]
    assert ([[], []], 1, True) == (before, len(after), "changed since it was attached" in after[0])


def test_a_missing_evidence_file_is_flagged(run, tmp_path, cases_dir):
    """Evidence deleted from the case's folder flags the case as missing."""
    case_id = _triage(run, tmp_path)
    source = tmp_path / "post.pdf"
    source.write_bytes(b"%PDF made up")
    assert 0 == run("case", "attach", case_id, source).exit_code
    _review_json(run)
    (cases_dir / case_id / "evidence" / "001-post.pdf").unlink()
    row = _review_json(run)[0]
    assert ("flagged", True) == (row["attention"], "missing" in row["why"][0])


def test_a_case_triaged_under_a_reworded_policy_copy_is_not_flagged(run, tmp_path):
    """A copy that only changes a quote gives the same next step: the case is not flagged under policy.toml."""
    copy = _policy_copy(tmp_path, "as a first step the school will usually discuss",
                        "as a first step the school will normally discuss")
    case_id = _triage(run, tmp_path, ticked=("complaint",), policy=copy)
    rows = _review_json(run)
    assert [(case_id, "open", [], "discuss_and_request_removal")] == [
        (r["id"], r["attention"], r["why"], r["next_step"]) for r in rows]
    assert rows[0]["next_step_policy_text"].startswith("as a first step the school will usually discuss")


def test_a_case_whose_next_step_changed_with_the_policy_is_flagged(run, tmp_path):
    """A copy that lets the police be contacted at once for a racist post moves the next step: flagged under policy.toml."""
    copy = _policy_copy(tmp_path, 'at_once_when = ["checklist.threat_of_violence"]',
                        'at_once_when = ["checklist.threat_of_violence", "checklist.racist"]')
    case_id = _triage(run, tmp_path, ticked=("racist",), policy=copy)
    under_copy = json.loads(run("--policy", copy, "review", "--json").stdout)
    rows = _review_json(run)
    assert ("urgent", "contact_police") == (under_copy[0]["attention"], under_copy[0]["next_step"])
    assert [(case_id, "flagged", "discuss_and_request_removal")] == [
        (r["id"], r["attention"], r["next_step"]) for r in rows]
    why = rows[0]["why"]
    assert (1, True, True, True) == (len(why), why[0].startswith("policy changed: "), "contact_police" in why[0],
                                     "discuss_and_request_removal" in why[0])


def test_recording_under_the_policy_in_use_clears_the_policy_change_flag(run, tmp_path):
    """Once something is recorded under policy.toml the case is assessed under it, and the flag goes."""
    copy = _policy_copy(tmp_path, 'at_once_when = ["checklist.threat_of_violence"]',
                        'at_once_when = ["checklist.threat_of_violence", "checklist.racist"]')
    case_id = _triage(run, tmp_path, ticked=("racist",), policy=copy)
    flagged = _review_json(run)[0]["attention"]
    _record(run, case_id, "discuss_and_request_removal")
    assert ("flagged", "open") == (flagged, _review_json(run)[0]["attention"])


# -- the governors' summary ----------------------------------------------------------------------------


def _three_cases(run, tmp_path: Path) -> list[str]:
    """A complaint escalated, a kind post closed, a defamatory post removed after an overridden legal_advice."""
    a = _triage(run, tmp_path, ticked=("complaint",), flagged=("wrong_channel",), platform="whatsapp",
                observed="2026-09-03")
    _record(run, a, "discuss_and_request_removal", "--on", "2026-09-04")
    _record(run, a, "refused", "--on", "2026-09-08")
    _record(run, a, "written_warning", "--on", "2026-09-09")
    b = _triage(run, tmp_path, observed="2026-10-05")
    _record(run, b, "no_action", "--on", "2026-10-05")
    _record(run, b, "close_case", "--on", "2026-10-06", "--reason", "Closed by the head")
    c = _triage(run, tmp_path, ticked=("staff_allegation", "defamatory"), other="Also a made-up other concern",
                platform="facebook", poster="relative", observed="2026-10-20")
    _record(run, c, "discuss_and_request_removal", "--on", "2026-10-21")
    _record(run, c, "legal_advice", "--on", "2026-10-22", "--override", "--reason", "The head asked for advice")
    _record(run, c, "removed", "--on", "2026-10-23")
    return [a, b, c]


def _to_this_month(counts: dict[str, int]) -> dict[str, int]:
    """The months counted, then every month after the last up to this one, as 0 (the summary runs to today)."""
    found = dict(counts)
    year, month = (int(x) for x in max(counts).split("-"))
    today = dt.date.today()
    while (year, month) < (today.year, today.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        found[f"{year:04d}-{month:02d}"] = 0
    return found


THREE = {
    "contract": 1,
    "since": None,
    "cases": 3,
    "overrides": 1,
    "closed_with_steps_untaken": 0,
    "declined": {},
    "checklist": {"staff_allegation": 1, "complaint": 1, "defamatory": 1, "other": 1},
    "platform": {"facebook": 2, "whatsapp": 1},
    "poster": {"parent": 2, "relative": 1},
    "verdict": {"inappropriate": 2, "appropriate": 1},
    "outcome": {"removed": 1, "refused": 1},
    "step": {"no_action": 1, "discuss_and_request_removal": 2, "written_warning": 1, "legal_advice": 1},
    "month": _to_this_month({"2026-09": 1, "2026-10": 2}),
}


def test_summary_counts_a_small_known_set_of_every_status(run, tmp_path):
    """review --summary --status all --json counts three known cases exactly."""
    _three_cases(run, tmp_path)
    result = _review(run, "--summary", "--status", "all", "--json")
    assert (0, THREE) == (result.exit_code, json.loads(result.stdout))


def test_summary_says_none_under_a_heading_with_nothing_to_count(run, tmp_path):
    """With no step declined, the summary's "Steps considered and not taken" says none, not a row "(none) 0"."""
    _three_cases(run, tmp_path)
    lines = _review(run, "--summary").stdout.splitlines()
    heading = lines.index("Steps considered and not taken")
    assert ["  none", ""] == [line.rstrip() for line in lines[heading + 1:heading + 3]]


def test_summary_counts_closed_cases_by_default(run, tmp_path):
    """The governors' summary counts every case, closed ones too, without --status."""
    _three_cases(run, tmp_path)
    result = _review(run, "--summary", "--json")
    assert (0, THREE) == (result.exit_code, json.loads(result.stdout))


def test_summary_since_counts_only_posts_seen_since_the_date(run, tmp_path):
    """review --summary --since 2026-10-01 counts the two October cases only."""
    _three_cases(run, tmp_path)
    data = json.loads(_review(run, "--summary", "--status", "all", "--since", "2026-10-01", "--json").stdout)
    assert ("2026-10-01", 2, _to_this_month({"2026-10": 2}), {"inappropriate": 1, "appropriate": 1}) == (
        data["since"], data["cases"], data["month"], data["verdict"])


def test_summary_table_shows_the_counts_under_policy_titles(run, tmp_path):
    """The text summary heads with the totals and names each item by its policy title."""
    _three_cases(run, tmp_path)
    result = _review(run, "--summary", "--status", "all")
    lines = [" ".join(line.split()).lower() for line in result.stdout.splitlines()]
    assert (0, "3 cases; 1 overridden step; 0 closed with steps untaken") == (result.exit_code, lines[0])
    assert {"september 2026 1", "october 2026 2", "inappropriate 2", "whatsapp 1", "parent 2", "the parent refused to remove the post 1"} <= set(lines)


def test_summary_since_a_month_with_no_cases_lists_it_as_0(run, tmp_path):
    """`review --summary --since 2026-09-01` with cases only from October still shows September, as 0."""
    _three_cases(run, tmp_path)
    data = json.loads(_review(run, "--summary", "--since", "2026-10-01", "--json").stdout)
    early = json.loads(_review(run, "--summary", "--since", "2026-08-01", "--json").stdout)
    assert ({"2026-10": 2}, {"2026-08": 0, "2026-09": 1, "2026-10": 2}) == (
        {k: v for k, v in data["month"].items() if k <= "2026-10"},
        {k: v for k, v in early["month"].items() if k <= "2026-10"})


def test_summary_with_an_unreadable_case_warns_and_counts_the_rest(run, tmp_path, cases_dir):
    """An unreadable case is named in a warning on stderr; the summary counts the others and exits 0."""
    ids = _three_cases(run, tmp_path)
    path = cases_dir / ids[0] / "case.toml"
    path.write_bytes(b"not toml [")
    result = _review(run, "--summary", "--status", "all", "--json")
    assert (0, 2, True) == (result.exit_code, json.loads(result.stdout)["cases"],
                            result.stderr.startswith(f"Warning: {path}"))


def test_html_needs_summary(run, tmp_path):
    """--html without --summary is a usage error (exit 2) and writes nothing."""
    target = tmp_path / "summary.html"
    result = _review(run, "--html", target)
    assert (2, False) == (result.exit_code, target.exists())


def test_summary_html_is_written_with_the_counts(run, tmp_path):
    """review --summary --html FILE writes the page, says so, and the page holds the school name and counts."""
    _three_cases(run, tmp_path)
    target = tmp_path / "summary.html"
    result = _review(run, "--summary", "--status", "all", "--html", target)
    page = target.read_text(encoding="utf-8")
    assert (0, f"Wrote {target}") == (result.exit_code, result.stdout.strip().splitlines()[-1])
    assert ("High Hesket CE School" in page, "<strong>3</strong> cases" in page, "October 2026: 2 cases" in page) == (
        True, True, True)


def _named_everywhere(run, tmp_path: Path) -> None:
    """A case with NAME in every free-text field, and every event, note, reason and name recorder carrying it."""
    case_id = _triage(run, tmp_path, ticked=("complaint",), observed=_ago(20), summary=f"{NAME} posted a complaint",
                      location=f"{NAME}'s WhatsApp group", other=f"{NAME} also named a pupil", by=NAME)
    _record(run, case_id, "discuss_and_request_removal", "--on", _ago(19), "--by", NAME, "--note", f"Phoned {NAME}")
    _record(run, case_id, "refused", "--on", _ago(18), "--by", NAME, "--note", f"{NAME} refused")
    _record(run, case_id, "legal_advice", "--on", _ago(17), "--by", NAME, "--note", f"Advice about {NAME}",
            "--override", "--reason", f"{NAME} threatened to sue")
    assert 0 == run("case", "note", case_id, f"{NAME} rang again", "--by", NAME).exit_code
    source = tmp_path / "screenshot.png"
    source.write_bytes(b"made-up screenshot")
    assert 0 == run("case", "attach", case_id, source, "--note", f"{NAME}'s post", "--by", NAME).exit_code
    closed = _triage(run, tmp_path, summary=f"{NAME} said thank you", location=f"{NAME}'s page", by=NAME)
    _record(run, closed, "no_action", "--by", NAME, "--note", f"{NAME} was kind")
    _record(run, closed, "close_case", "--by", NAME, "--reason", "Closed by the head")
    assert 0 == run("config", "set", "name", NAME).exit_code


def test_the_summary_never_holds_a_name_from_any_free_text_field(run, tmp_path):
    """A name put in every free-text field appears in no form of the summary: --json, text, or the HTML page."""
    _named_everywhere(run, tmp_path)
    target = tmp_path / "summary.html"
    outputs = {
        "json": _review(run, "--summary", "--status", "all", "--json").stdout,
        "text": _review(run, "--summary", "--status", "all").stdout,
        "text, open only": _review(run, "--summary", "--html", target).stdout,
        "html": target.read_text(encoding="utf-8"),
    }
    assert 2 == json.loads(outputs["json"])["cases"]
    assert dict.fromkeys(outputs, False) == {k: ("Quillfeather" in v or "Zebedee" in v) for k, v in outputs.items()}


def test_the_review_csv_holds_no_name_from_any_free_text_field(run, tmp_path):
    """Review rows carry no free text: a name in every free-text field is not in review --csv."""
    _named_everywhere(run, tmp_path)
    result = _review(run, "--status", "all", "--csv")
    assert (0, False, False) == (result.exit_code, "Quillfeather" in result.stdout, "Zebedee" in result.stdout)


def test_csv_and_excel_together_are_a_usage_error(run):
    """review --csv --excel asks for two forms of one thing: refused (exit 2) rather than one silently winning."""
    result = _review(run, "--csv", "--excel")
    assert (2, "Error: --csv and --excel cannot be used together; choose one (--excel is CSV for Excel)") == (
        result.exit_code, result.stderr.splitlines()[0])
