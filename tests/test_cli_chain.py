"""The sealed history through the commands: every write seals, `case verify` names what was changed by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from hesket_cli.chain import CHAIN_START_NOTE

from conftest import EXAMPLES, ROOT, snapshot

SCHEMA1_FIXTURE = ROOT / "tests" / "fixtures" / "schema1-case.toml"


def _triage_with_history(run) -> str:
    """A case with three events: the discussion (20 Nov), the refusal (23 Nov) and a note (24 Nov)."""
    result = run("triage", "--answers", EXAMPLES / "defamatory-post.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    case_id = json.loads(result.stdout)["id"]
    for args in (("record", case_id, "discuss_and_request_removal", "--on", "2026-11-20", "--note", "Met them."),
                 ("record", case_id, "refused", "--on", "2026-11-23", "--note", "They will not remove it."),
                 ("note", case_id, "Phoned the chair of governors.", "--on", "2026-11-24")):
        done = run("case", *args, "--by", "Mrs A Example")
        assert 0 == done.exit_code, done.stderr
    return case_id


def _file(cases_dir: Path, case_id: str) -> Path:
    return cases_dir / case_id / "case.toml"


def _edit(cases_dir: Path, case_id: str, change) -> None:
    """Change a case file by hand, as someone with a text editor could."""
    path = _file(cases_dir, case_id)
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def _problem(run, case_id: str) -> tuple[int, str]:
    result = run("case", "verify", case_id)
    problems = [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    return result.exit_code, problems[0] if problems else ""


def test_an_untouched_case_verifies_and_every_event_is_sealed(run, cases_dir):
    """After triage and three events, the case verifies, and each event carries its hash and the one before."""
    case_id = _triage_with_history(run)
    data = tomllib.loads(_file(cases_dir, case_id).read_text(encoding="utf-8"))
    assert (0, True, [True] * 3) == (run("case", "verify", case_id).exit_code, len(data["seal"]) == 64,
                                     [len(e["chain"]) == 64 and len(e["chain_prev"]) == 64 for e in data["events"]])


def test_rewording_a_note_is_reported_naming_the_case_event_number_and_date(run, cases_dir):
    """A note reworded by hand: exit 3, naming the case, event 2 and the date it happened."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="They agreed to remove it."))
    code, line = _problem(run, case_id)
    assert (3, True) == (code, line.startswith(
        f"Problem: case {case_id}: event 2 (2026-11-23, refused) was changed after it was recorded"))


def test_removing_an_event_is_reported_naming_the_event_after_it(run, cases_dir):
    """The refusal deleted from the file: the note after it is named, with its number and date."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"].pop(1))
    assert (3, f"Problem: case {case_id}: an event recorded just before event 2 (2026-11-24, note) was removed") \
        == _problem(run, case_id)


def test_swapping_two_events_is_reported_as_out_of_order(run, cases_dir):
    """The discussion and the refusal swapped: reported as events out of order, naming the event."""
    case_id = _triage_with_history(run)

    def swap(data: dict[str, Any]) -> None:
        data["events"][0], data["events"][1] = data["events"][1], data["events"][0]

    _edit(cases_dir, case_id, swap)
    code, line = _problem(run, case_id)
    assert (3, True) == (code, bool(re.match(
        rf"Problem: case {case_id}: event 1 \(2026-11-23, refused\) is out of order", line)))


def test_changing_an_answer_is_reported_as_answers_changed_after_triage(run, cases_dir):
    """The summary given at triage reworded by hand: the answers no longer match their seal."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["incident"].update(summary="A parent praised the school."))
    code, line = _problem(run, case_id)
    assert (3, True) == (code, line.startswith(f"Problem: case {case_id}: the answers given at triage ("))


def test_case_show_numbers_events_as_verify_names_them(run, cases_dir):
    """The event verify names as "event 2 (2026-11-23, refused)" is the line case show marks [2]."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="Changed."))
    named = re.search(r"event (\d+) \((\S+), (\w+)\)", _problem(run, case_id)[1])
    assert named is not None
    shown = [line.strip() for line in run("case", "show", case_id).stdout.splitlines()
             if line.strip().endswith(f"[{named.group(1)}]")]
    assert [f"{named.group(2)}  {named.group(3)}  by Mrs A Example  [{named.group(1)}]"] == shown


def test_nothing_is_written_onto_a_history_changed_by_hand(run, cases_dir):
    """A note added to a case whose history no longer matches is refused (exit 3) and the file is left as it is."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"][0].update(on=dt.date(2026, 11, 21)))
    before = snapshot(cases_dir)
    result = run("case", "note", case_id, "One more note")
    assert (3, before) == (result.exit_code, snapshot(cases_dir))
    assert result.stderr.startswith(f"Error: case {case_id}: event 1 (2026-11-21, discuss_and_request_removal) was "
                                    "changed after it was recorded")


def test_show_gives_the_chain_head_and_json_carries_it(run, cases_dir):
    """`case show` prints the head, the JSON's `chain_head` is the same, and it is the last event's hash."""
    case_id = _triage_with_history(run)
    data = tomllib.loads(_file(cases_dir, case_id).read_text(encoding="utf-8"))
    head = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    assert (data["events"][-1]["chain"], True) == (head, f"Chain head: {head}" in run("case", "show", case_id).stdout)


def test_a_head_written_down_catches_the_last_event_removed(run, cases_dir):
    """Removing the last event leaves the file consistent; the head written down before shows it (exit 3)."""
    case_id = _triage_with_history(run)
    head = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    assert 0 == run("case", "verify", case_id, "--head", head).exit_code
    _edit(cases_dir, case_id, lambda d: d["events"].pop())
    alone, against = run("case", "verify", case_id), run("case", "verify", case_id, "--head", head)
    assert (0, 3) == (alone.exit_code, against.exit_code)
    assert f"Problem: case {case_id}: the head written down ({head[:12]}...) matches no point" in against.stdout


def test_a_head_from_before_later_events_still_verifies_and_says_so(run, cases_dir):
    """A head written down at event 2 still matches after event 3 is recorded, and verify says how many since."""
    case_id = _triage_with_history(run)
    data = tomllib.loads(_file(cases_dir, case_id).read_text(encoding="utf-8"))
    result = run("case", "verify", case_id, "--head", data["events"][1]["chain"])
    assert (0, True) == (result.exit_code, "matches event 2 (2026-11-23); 1 event recorded since" in result.stdout)


def test_head_without_a_case_is_a_usage_error(run):
    """`case verify --head HASH` with no ID: exit 2, saying the head checks one case."""
    result = run("case", "verify", "--head", "0" * 64)
    assert (2, True) == (result.exit_code, "hesket case verify ID --head HASH" in result.stderr)


def test_a_head_that_is_not_a_hash_is_refused(run, cases_dir):
    """A head that is not 64 hexadecimal digits: exit 3, one Error line."""
    case_id = _triage_with_history(run)
    result = run("case", "verify", case_id, "--head", "not-a-hash")
    assert (3, 1, True) == (result.exit_code, len(result.stderr.splitlines()),
                            "is not a chain head" in result.stderr)


def test_a_case_from_before_the_chain_is_upgraded_with_its_note_and_then_verifies(run, cases_dir):
    """An old case verifies (noting nothing is sealed); its next write adds the chain_start note; it verifies after."""
    (cases_dir / "2025-0007").mkdir(parents=True, mode=0o700)
    shutil.copyfile(SCHEMA1_FIXTURE, _file(cases_dir, "2025-0007"))
    before = run("case", "verify", "2025-0007")
    assert (0, True) == (before.exit_code, "were recorded before the chain" in before.stdout)
    assert 0 == run("case", "note", "2025-0007", "Checked the file.", "--by", "Mrs A Example").exit_code
    doc = json.loads(run("case", "show", "2025-0007", "--json").stdout)
    after = run("case", "verify", "2025-0007")
    assert (["discuss_and_request_removal", "refused", "chain_start", "note"], CHAIN_START_NOTE, 0) == (
        [e["event"] for e in doc["events"]], doc["events"][2]["note"], after.exit_code)
    assert doc["chain_head"] == doc["events"][-1]["chain"]


def test_an_upgraded_old_case_still_shows_a_change_to_its_old_events(run, cases_dir):
    """Once the chain has started, rewording an event from before it is reported."""
    (cases_dir / "2025-0007").mkdir(parents=True, mode=0o700)
    shutil.copyfile(SCHEMA1_FIXTURE, _file(cases_dir, "2025-0007"))
    assert 0 == run("case", "note", "2025-0007", "Checked the file.", "--by", "Mrs A Example").exit_code
    _edit(cases_dir, "2025-0007", lambda d: d["events"][0].update(note="Nothing was said."))
    assert 3 == run("case", "verify", "2025-0007").exit_code


def test_evidence_is_sealed_with_its_hash(run, cases_dir, tmp_path):
    """An attachment is an event of the chain: changing its recorded hash in the file is reported on it."""
    case_id = _triage_with_history(run)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"a screenshot")
    assert 0 == run("case", "attach", case_id, shot, "--by", "Mrs A Example").exit_code
    _edit(cases_dir, case_id, lambda d: d["events"][3]["attachment"].update(sha256="0" * 64))
    code, line = _problem(run, case_id)
    assert (3, True) == (code, line.startswith(f"Problem: case {case_id}: event 4 ("))


def test_verify_json_lists_every_fault_and_each_head(run, cases_dir):
    """`case verify --json` carries the head of each case and each fault with its kind, number and date."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="Changed."))
    doc = json.loads(run("case", "verify", case_id, "--json").stdout)
    assert ([("event_changed", 2, "2026-11-23")], False, 64) == (
        [(f["kind"], f["number"], f["on"]) for f in doc["chain"]], doc["ok"], len(doc["heads"][case_id]))


def test_case_show_warns_of_a_reworded_note_naming_the_event_and_pointing_to_verify(run, cases_dir):
    """A note reworded by hand: `case show` says so first, naming event 2 and its date, and `case verify ID`."""
    case_id = _triage_with_history(run)
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="They agreed to remove it."))
    shown = " ".join(run("case", "show", case_id).stdout.split())
    assert (True, True) == (
        shown.startswith("WARNING: this case's history no longer matches its hashes: event 2 (2026-11-23, refused) "
                         "was changed after it was recorded"),
        f"restored from a backup; see `hesket case verify {case_id}`" in shown)


def test_case_show_gives_the_recomputed_head_not_the_stored_one_of_a_changed_history(run, cases_dir):
    """After a hand edit, the head shown no longer matches the one written down before; the stored one is labelled."""
    case_id = _triage_with_history(run)
    written_down = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="They agreed to remove it."))
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    shown = run("case", "show", case_id).stdout
    assert (False, False, True, written_down, False, True) == (
        doc["chain_ok"], doc["chain_head"] == written_down,
        doc["chain_problem"].startswith("event 2 (2026-11-23, refused) was changed"),
        doc["chain_head_stored"], f"Chain head: {written_down}" in shown, f"Chain head: {doc['chain_head']}" in shown)


def test_case_show_suggests_no_record_command_on_a_changed_history(run, cases_dir):
    """No "Record it with:" line for a case whose history was changed by hand: the write would be refused."""
    case_id = _triage_with_history(run)
    assert "Record it with:" in run("case", "show", case_id).stdout
    _edit(cases_dir, case_id, lambda d: d["events"][1].update(note="They agreed to remove it."))
    assert (False, 3) == ("Record it with:" in run("case", "show", case_id).stdout,
                          run("case", "record", case_id, "written_warning").exit_code)


def test_case_show_of_an_intact_case_says_the_chain_holds(run, cases_dir):
    """An untouched case: `chain_ok` true, no problem, the recomputed head equal to the one stored, no warning."""
    case_id = _triage_with_history(run)
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    assert (True, None, doc["chain_head_stored"], False) == (
        doc["chain_ok"], doc["chain_problem"], doc["chain_head"], "WARNING" in run("case", "show", case_id).stdout)


def test_case_show_of_a_changed_answer_gives_a_head_that_no_longer_matches(run, cases_dir):
    """The summary reworded by hand: the seal no longer matches, so neither does the head shown."""
    case_id = _triage_with_history(run)
    written_down = json.loads(run("case", "show", case_id, "--json").stdout)["chain_head"]
    _edit(cases_dir, case_id, lambda d: d["incident"].update(summary="A parent praised the school."))
    doc = json.loads(run("case", "show", case_id, "--json").stdout)
    assert (False, False) == (doc["chain_ok"], doc["chain_head"] == written_down)


def test_case_verify_names_one_event_from_before_the_chain_in_the_singular(run, cases_dir):
    """An old case with one event: verify says "event 1 was recorded before the chain", never "events 1-1 were"."""
    (cases_dir / "2025-0007").mkdir(parents=True, mode=0o700)
    shutil.copyfile(SCHEMA1_FIXTURE, _file(cases_dir, "2025-0007"))
    _edit(cases_dir, "2025-0007", lambda d: d["events"].pop())
    result = run("case", "verify", "2025-0007")
    assert (0, True, False) == (result.exit_code, "case 2025-0007: event 1 was recorded before the chain: nothing "
                                "is sealed yet" in result.stdout, "events 1-1" in result.stdout)
