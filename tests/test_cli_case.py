"""hesket case show and case list: finding a case again, as a person reads it and as JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import pytest

from hesket_cli.case import Event
from hesket_cli.files import atomic_write
from hesket_cli.store import CaseStore, encode_case

from conftest import EXAMPLES, POLICY_FILE, snapshot

WIDE = {"COLUMNS": "1000"}
POLICY_DATA = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))


def _year() -> int:
    return dt.date.today().year


def _example(name: str) -> dict:
    return tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"))


def _triage(run, name: str) -> dict:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


def _close(cases_dir, case_id: str) -> None:
    """Record a close_case event on a case, as `case close` would."""
    store = CaseStore(cases_dir)
    case = store.load(case_id)
    at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    closed = case._replace(events=(Event("close_case", at, at.date(), "Mrs A Example", note="Resolved."),))
    atomic_write(store.path_of(case_id), encode_case(closed))


def _rows(stdout: str) -> list[list[str]]:
    """The table's data rows (header left out), each split on runs of two or more spaces."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    return [re.split(r"\s{2,}", line.strip()) for line in lines[1:]]


# -- case show --------------------------------------------------------------------------------------


def test_case_show_prints_what_was_seen_the_assessment_and_the_history(run):
    """case show prints the summary, the platform's title, the verdict, the next step's quote and History."""
    doc = _triage(run, "threat-of-violence")
    result = run("case", "show", doc["id"], env=WIDE)
    assert 0 == result.exit_code, result.stderr
    out = result.stdout
    assert f"Case {doc['id']} (open)" in out
    assert _example("threat-of-violence")["incident"]["summary"] in out
    assert "Twitter / X" in out
    assert "Verdict: INAPPROPRIATE" in out
    assert f"\u201c{POLICY_DATA['steps']['contact_police']['policy_text']}\u201d" in out
    assert "History" in out
    assert f"{doc['incident']['observed_on']}  post seen; triaged {doc['created_at'][:10]} by {doc['recorded_by']}" in out
    assert "" == result.stderr


def test_case_show_lists_recorded_events_in_the_history(run, cases_dir):
    """A recorded event appears under History with its date, name, recorder and note."""
    doc = _triage(run, "kind-post")
    _close(cases_dir, doc["id"])
    result = run("case", "show", doc["id"], env=WIDE)
    assert 0 == result.exit_code, result.stderr
    history = result.stdout.split("History", 1)[1]
    assert "2026-11-24  close_case  by Mrs A Example" in history
    assert "Resolved." in history
    assert f"Case {doc['id']} (closed)" in result.stdout


@pytest.mark.parametrize("name", ["kind-post", "complaint-wrong-channel", "threat-of-violence", "defamatory-post"])
def test_case_show_json_is_the_same_document_triage_printed(run, name):
    """case show --json gives exactly the document triage --json printed for that case, and its evidence
    and its chain's check as they are now (none yet; intact)."""
    doc = _triage(run, name)
    result = run("case", "show", doc["id"], "--json")
    assert 0 == result.exit_code, result.stderr
    assert {**doc, "evidence": [], "chain_ok": True, "chain_problem": None, "chain_head_stored": doc["chain_head"]} \
        == json.loads(result.stdout)


def test_case_show_does_not_change_the_case_file(run, cases_dir):
    """Showing a case writes nothing."""
    doc = _triage(run, "defamatory-post")
    before = snapshot(cases_dir)
    assert 0 == run("case", "show", doc["id"]).exit_code
    assert 0 == run("case", "show", doc["id"], "--json").exit_code
    assert before == snapshot(cases_dir)


@pytest.mark.parametrize("with_other_cases", [False, True], ids=["no cases", "other cases"])
def test_case_show_of_an_unknown_id_exits_4_naming_it(run, cases_dir, with_other_cases):
    """A well-formed id with no case exits 4 with one Error line naming the id."""
    if with_other_cases:
        _triage(run, "kind-post")
    missing = f"{_year()}-0042"
    before = snapshot(cases_dir)
    result = run("case", "show", missing)
    assert 4 == result.exit_code
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines)
    assert lines[0].startswith("Error: ")
    assert missing in lines[0]
    assert before == snapshot(cases_dir)


# -- case list ----------------------------------------------------------------------------------------


def test_case_list_shows_each_case_as_a_row_newest_first(run):
    """case list has one row per case: id, date seen, platform, poster (its reference where the school recorded
    one), verdict, next step, status; newest first."""
    kind = _triage(run, "kind-post")
    threat = _triage(run, "threat-of-violence")
    defamatory = _triage(run, "defamatory-post")
    result = run("case", "list", env=WIDE)
    assert 0 == result.exit_code, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert ["ID", "Seen", "Platform", "Poster", "Verdict", "Next", "step", "Status"] == header
    assert [
        [defamatory["id"], "2026-11-19", "Facebook", "Parent of a Year 5 pupil (A.B.)", "inappropriate",
         "discuss_and_request_removal", "open"],
        [threat["id"], "2026-11-20", "Twitter / X", "Relative", "inappropriate", "contact_police", "open"],
        [kind["id"], "2026-11-16", "Facebook", "Parent", "appropriate", "no_action", "open"],
    ] == _rows(result.stdout)


def test_case_list_json_is_the_case_documents_newest_first(run):
    """case list --json is a list of the case documents (as case show --json), newest first."""
    docs = [_triage(run, name) for name in ("kind-post", "complaint-wrong-channel", "threat-of-violence")]
    result = run("case", "list", "--json")
    assert 0 == result.exit_code, result.stderr
    assert list(reversed(docs)) == json.loads(result.stdout)


def test_case_list_json_is_only_json(run):
    """case list --json prints nothing but the JSON list."""
    _triage(run, "kind-post")
    result = run("case", "list", "--json")
    assert result.stdout.lstrip().startswith("[")
    assert result.stdout.rstrip().endswith("]")
    assert "" == result.stderr


@pytest.mark.parametrize("args, wanted", [
    ((), ["open"]),
    (("--status", "open"), ["open"]),
    (("--status", "closed"), ["closed"]),
    (("--status", "all"), ["open", "closed"]),
    (("--status", "ALL"), ["open", "closed"]),
], ids=["default", "open", "closed", "all", "ALL"])
def test_case_list_status_filters_open_and_closed_cases(run, cases_dir, args, wanted):
    """--status open (the default), closed or all lists just those cases, in JSON and in the table."""
    closed = _triage(run, "kind-post")["id"]
    open_ = _triage(run, "complaint-wrong-channel")["id"]
    _close(cases_dir, closed)
    expected = [i for i, s in ((open_, "open"), (closed, "closed")) if s in wanted]
    result = run("case", "list", *args, "--json")
    assert 0 == result.exit_code, result.stderr
    docs = json.loads(result.stdout)
    assert expected == [d["id"] for d in docs]
    assert [s for s in ("open", "closed") if s in wanted] == [d["status"] for d in docs]
    table = run("case", "list", *args, env=WIDE)
    assert 0 == table.exit_code, table.stderr
    assert expected == [row[0] for row in _rows(table.stdout)]


def test_closed_case_in_the_list_has_no_next_step(run, cases_dir):
    """A closed case is listed with status closed and no next step."""
    case_id = _triage(run, "kind-post")["id"]
    _close(cases_dir, case_id)
    docs = json.loads(run("case", "list", "--status", "closed", "--json").stdout)
    assert [(case_id, "closed", None, [])] == [(d["id"], d["status"], d["next_step"], d["permitted"]) for d in docs]


def test_case_list_with_an_unknown_status_is_a_usage_error(run):
    """--status bogus exits 2 and names the allowed values."""
    _triage(run, "kind-post")
    result = run("case", "list", "--status", "bogus")
    assert 2 == result.exit_code
    assert "" == result.stdout
    assert "'open', 'closed', 'all'" in result.stderr


@pytest.mark.parametrize("create_folder", [True, False], ids=["empty folder", "no folder"])
def test_case_list_with_no_cases_says_so(run, cases_dir, create_folder):
    """With no cases, case list prints "No cases." (and why, if the folder does not exist yet) and --json []."""
    if create_folder:
        cases_dir.mkdir()
    result = run("case", "list")
    assert 0 == result.exit_code, result.stderr
    assert "No cases." == result.stdout.strip() if create_folder else result.stdout.startswith("No cases: ")
    as_json = run("case", "list", "--json")
    assert 0 == as_json.exit_code, as_json.stderr
    assert [] == json.loads(as_json.stdout)
    assert create_folder == cases_dir.exists()


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_case_list_skips_a_corrupt_case_with_a_warning(run, cases_dir, as_json):
    """A case file that cannot be read is named in a Warning line; the other cases are still listed."""
    first = _triage(run, "kind-post")["id"]
    broken = _triage(run, "threat-of-violence")["id"]
    last = _triage(run, "defamatory-post")["id"]
    path = cases_dir / broken / "case.toml"
    path.write_bytes(b"schema = 1\nid = \n")
    before = snapshot(cases_dir)
    result = run("case", "list", *(["--json"] if as_json else []), env=WIDE)
    assert 0 == result.exit_code, result.stderr
    listed = [d["id"] for d in json.loads(result.stdout)] if as_json else [row[0] for row in _rows(result.stdout)]
    assert [last, first] == listed
    warnings = result.stderr.splitlines()
    assert 1 == len(warnings)
    assert warnings[0].startswith("Warning: ")
    assert str(path) in warnings[0]
    assert before == snapshot(cases_dir)
