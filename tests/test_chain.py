"""The tamper-evident history: a case file edited by hand is caught, naming the event; an untouched one verifies."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from hesket_cli.chain import (
    CHAIN_KEY,
    CHAIN_START_NOTE,
    GENESIS,
    PREV_KEY,
    SEAL_KEY,
    canonical,
    chain_head,
    check_chain,
    check_head,
    extend,
    heads,
    link,
    seal,
)
from hesket_cli.errors import InvalidInput

from conftest import EXAMPLES
from strategies import free_text

UTC = dt.UTC


def _event(name: str, day: int, note: str | None = None, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"event": name, "at": dt.datetime(2026, 11, day, 16, 0, tzinfo=UTC),
                             "on": dt.date(2026, 11, day), "by": "Mrs A Example"}
    if note is not None:
        event["note"] = note
    event.update(extra)
    return event


EVENTS = [
    _event("discuss_and_request_removal", 20, "Met the parent after school; asked for the post to be taken down."),
    _event("refused", 23, "Parent said they will not remove it."),
    _event("evidence", 24, "The post, before it could be deleted",
           attachment={"file": "001-screenshot.png", "name": "screenshot.png", "size": 48213,
                       "sha256": "5891b5b522d5" + "0" * 52}),
    _event("written_warning", 25),
    _event("legal_advice", 26, override_reason="The headteacher asked for it at once.", reason="urgent"),
]


def _unsealed_case(events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A case as a file written before the chain holds it: no seal, no chain keys."""
    with open(EXAMPLES / "defamatory-post.toml", "rb") as handle:
        answers = tomllib.load(handle)
    data: dict[str, Any] = {
        "schema": 2, "id": "2026-0001", "created_at": dt.datetime(2026, 11, 19, 9, 30, tzinfo=UTC),
        "recorded_by": "Mrs A Example",
        "policy": {"title": "Policy on parental use", "last_reviewed": "2024-11", "sha256": "0" * 64},
    }
    data.update(answers)
    data["events"] = [dict(e) for e in (events or [])]
    return data


def _record(data: dict[str, Any], event: dict[str, Any]) -> None:
    """Append an event the way the store will: sealed with `extend`."""
    sealed = dict(event)
    sealed.update(extend(data, event))
    data["events"].append(sealed)


def _round_trip(data: dict[str, Any]) -> dict[str, Any]:
    """Through a TOML file and back, as the store writes and reads a case."""
    return tomllib.loads(tomli_w.dumps(data))


def _sealed_case(events: list[dict[str, Any]] = EVENTS) -> dict[str, Any]:
    data = _unsealed_case()
    data[SEAL_KEY] = seal(data)
    for event in events:
        _record(data, event)
    return _round_trip(data)


def _kinds(report) -> list[tuple[str, int | None, str | None]]:
    return [(p.kind, p.number, p.on) for p in report.problems]


def test_untouched_chain_verifies():
    """A sealed case read back from its file has no problems."""
    report = check_chain(_sealed_case())
    assert (True, [], 0) == (report.ok, _kinds(report), report.unsealed)


def test_rewording_a_note_is_reported_naming_the_event():
    """Changing a note's words is reported as that event changed, by its number and date."""
    data = _sealed_case()
    data["events"][1]["note"] = "Parent agreed to think about it."
    report = check_chain(data)
    assert ([("event_changed", 2, "2026-11-23")], True) == (
        _kinds(report), report.first.message.startswith("event 2 (2026-11-23, refused) was changed"))


def test_moving_an_events_date_is_reported_as_a_change():
    """Changing the date an event happened is reported on that event."""
    data = _sealed_case()
    data["events"][0]["on"] = dt.date(2026, 11, 19)
    assert [("event_changed", 1, "2026-11-19")] == _kinds(check_chain(data))


def test_changing_an_evidence_hash_is_reported_on_its_event():
    """The attachment's recorded hash is covered by the chain."""
    data = _sealed_case()
    data["events"][2]["attachment"]["sha256"] = "f" * 64
    assert [("event_changed", 3, "2026-11-24")] == _kinds(check_chain(data))


def test_later_keys_such_as_a_reason_are_covered_too():
    """Every key of an event but its chain is sealed, including keys added by later versions."""
    data = _sealed_case()
    data["events"][4]["reason"] = "not urgent"
    assert [("event_changed", 5, "2026-11-26")] == _kinds(check_chain(data))


def test_removing_an_event_is_reported_naming_the_event_after_it():
    """An event taken out of the middle is reported as removed, just before the next event."""
    data = _sealed_case()
    del data["events"][2]
    report = check_chain(data)
    expected = "an event recorded just before event 3 (2026-11-25, written_warning) was removed"
    assert ([("event_removed", 3, "2026-11-25")], expected) == (_kinds(report), report.first.message)


def test_removing_the_first_event_is_reported():
    """Taking out event 1 is reported on the event that now comes first."""
    data = _sealed_case()
    del data["events"][0]
    assert [("event_removed", 1, "2026-11-23")] == _kinds(check_chain(data))


def test_swapping_two_events_is_reported_as_reordered_naming_the_event():
    """Two events swapped: the first problem names the event now out of its place."""
    data = _sealed_case()
    data["events"][1], data["events"][2] = data["events"][2], data["events"][1]
    report = check_chain(data)
    assert (("events_reordered", 2, "2026-11-24"), {"events_reordered"}) == (
        _kinds(report)[0], {p.kind for p in report.problems})
    assert ("event 2 (2026-11-24, evidence) is out of order: it was recorded after event 3 (2026-11-23, refused), "
            "which now stands after it") == report.first.message


def test_an_event_copied_in_by_hand_is_reported():
    """A copy of an earlier event, hashes and all, is named as a copy."""
    data = _sealed_case()
    data["events"].append(copy.deepcopy(data["events"][1]))
    assert [("event_copied", 6, "2026-11-23")] == _kinds(check_chain(data))


def test_changing_an_answer_is_reported_as_answers_changed_after_triage():
    """Changing an answer in the file is reported against the triage, and no event is blamed."""
    data = _sealed_case()
    data["checklist"]["defamatory"] = False
    report = check_chain(data)
    assert ([("answers_changed", None, "2026-11-19")], True) == (
        _kinds(report), "answers given at triage (2026-11-19) were changed" in report.first.message)


def test_changing_the_summary_is_reported_as_answers_changed():
    """The incident's summary is part of the sealed answers."""
    data = _sealed_case()
    data["incident"]["summary"] = "A parent posted something."
    assert ["answers_changed"] == [p.kind for p in check_chain(data).problems]


def test_without_a_stored_seal_an_answer_change_still_shows_at_event_1():
    """If the seal itself was deleted, an answer change is still caught at the first event."""
    data = _sealed_case()
    del data[SEAL_KEY]
    data["incident"]["platform"] = "twitter"
    assert [("answers_changed", 1, "2026-11-20")] == _kinds(check_chain(data))


def test_an_event_added_by_hand_without_a_hash_is_reported():
    """An event slipped into the file with no chain keys, after the chain started, is a fault."""
    data = _sealed_case()
    data["events"].insert(2, _event("removed", 24, "Post gone."))
    assert ("unsealed_event", 3) == _kinds(check_chain(data))[0][:2]


def test_head_check_catches_removal_of_the_last_event():
    """The file alone cannot show the last event removed; the head written down earlier does."""
    data = _sealed_case()
    head = chain_head(data)
    del data["events"][-1]
    report = check_head(data, head)
    assert (True, ["head_mismatch"]) == (check_chain(data).ok, [p.kind for p in report.problems])


def test_head_written_down_earlier_still_matches_after_new_events():
    """Events recorded after the head was written down are fine, and counted."""
    data = _sealed_case(EVENTS[:3])
    head = chain_head(data)
    _record(data, EVENTS[3])
    report = check_head(_round_trip(data), head)
    assert (True, "the head written down matches event 3 (2026-11-24); 1 event recorded since then") == (
        report.ok, report.info[-1])


def test_head_of_a_case_with_no_events_is_its_seal():
    """A newly triaged case can be checked against its head too."""
    data = _sealed_case([])
    assert (data[SEAL_KEY], True) == (chain_head(data), check_head(data, data[SEAL_KEY].upper()).ok)


def test_a_head_that_is_not_a_hash_is_refused():
    """A mistyped head is refused with the form it should take."""
    with pytest.raises(InvalidInput) as caught:
        check_head(_sealed_case(), "abc123")
    assert "64 hexadecimal digits" in caught.value.message


def test_case_from_before_the_chain_is_information_not_a_fault():
    """An old case with no chain verifies, saying nothing is sealed yet."""
    report = check_chain(_unsealed_case(EVENTS[:2]))
    assert (True, 2, None) == (report.ok, report.unsealed, report.head)
    assert "events 1-2 were recorded before the chain" in report.info[0]


def test_old_case_with_the_chain_start_note_verifies():
    """The upgrade: add the seal and a note that the chain starts here; the case then verifies."""
    data = _unsealed_case(EVENTS[:2])
    data[SEAL_KEY] = seal(data)
    _record(data, _event("note", 27, CHAIN_START_NOTE))
    report = check_chain(_round_trip(data))
    assert (True, 2, "events 1-2 were recorded before the chain, which starts at event 3 (2026-11-27, note)") == (
        report.ok, report.unsealed, report.info[0].split(":")[0])


def test_one_event_from_before_the_chain_is_named_in_the_singular():
    """One old event: "event 1 was recorded before the chain", never "events 1-1 were"."""
    report = check_chain(_unsealed_case(EVENTS[:1]))
    assert "event 1 was recorded before the chain: nothing is sealed yet; the chain starts on this case's next " \
           "change" == report.info[0]


def test_one_event_before_a_chain_that_started_later_is_named_in_the_singular():
    """One old event, then the chain's start: "event 1 was recorded before the chain ... changes made to it"."""
    data = _unsealed_case(EVENTS[:1])
    data[SEAL_KEY] = seal(data)
    _record(data, _event("note", 27, CHAIN_START_NOTE))
    report = check_chain(_round_trip(data))
    assert ("event 1 was recorded before the chain, which starts at event 2 (2026-11-27, note): changes made to it "
            "before then cannot be detected") == report.info[0]


def test_old_events_are_covered_once_the_chain_has_started():
    """After the upgrade, rewording an event from before the chain is reported."""
    data = _unsealed_case(EVENTS[:2])
    data[SEAL_KEY] = seal(data)
    _record(data, _event("note", 27, CHAIN_START_NOTE))
    _record(data, EVENTS[2])
    data = _round_trip(data)
    data["events"][0]["note"] = "Nothing was said."
    assert [("event_removed", 3, "2026-11-27")] == _kinds(check_chain(data))


def test_extend_follows_the_last_stored_hash():
    """A new event's chain_prev is the head before it, and its chain is the link of the two."""
    data = _sealed_case(EVENTS[:2])
    keys = extend(data, EVENTS[2])
    assert (data["events"][-1][CHAIN_KEY], link(data["events"][-1][CHAIN_KEY], EVENTS[2])) == (
        keys[PREV_KEY], keys[CHAIN_KEY])


def test_heads_are_the_stored_hashes_of_an_untouched_case():
    """Recomputed heads equal what was stored."""
    data = _sealed_case()
    assert [e[CHAIN_KEY] for e in data["events"]] == heads(data)


def test_canonical_encoding_is_the_same_for_toml_dates_and_json_text():
    """A date read from TOML and the same date as JSON text encode alike; nulls are left out."""
    from_toml = {"on": dt.date(2026, 11, 20), "at": dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone(
        dt.timedelta(hours=1))), "note": None}
    from_json = {"at": "2026-11-20T16:00:00+00:00", "on": "2026-11-20"}
    assert (canonical(from_json), b'{"at":"2026-11-20T16:00:00+00:00","on":"2026-11-20"}') == (
        canonical(from_toml), canonical(from_json))


def test_seal_starts_from_genesis_and_covers_only_the_answers():
    """The seal ignores events, policy and schema, which may change without the answers changing."""
    data = _unsealed_case(EVENTS)
    other = copy.deepcopy(data)
    other["schema"] = 3
    other["policy"]["sha256"] = "1" * 64
    other["events"] = []
    assert (seal(data), 64, GENESIS) == (seal(other), len(seal(data)), "0" * 64)


event_strategy = st.fixed_dictionaries(
    {"event": st.sampled_from(["note", "refused", "written_warning", "evidence", "close_case"]),
     "at": st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1),
                        timezones=st.just(UTC)),
     "on": st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
     "by": free_text.filter(lambda s: s.strip() != "")},
    optional={"note": free_text, "override_reason": free_text, "ref": free_text},
)


@settings(max_examples=60, deadline=None)
@given(st.lists(event_strategy, max_size=8))
def test_any_untouched_chain_verifies_after_a_round_trip(events):
    """Whatever the events and their text, a sealed case written to TOML and read back verifies."""
    report = check_chain(_sealed_case(events))
    assert (True, []) == (report.ok, list(report.problems))


@settings(max_examples=60, deadline=None)
@given(st.lists(event_strategy, min_size=1, max_size=6), st.data())
def test_any_change_to_a_note_is_reported_on_that_event(events, data):
    """Changing any one event's note to anything else is reported as that event changed."""
    case = _sealed_case(events)
    index = data.draw(st.integers(0, len(events) - 1))
    new = data.draw(free_text.filter(lambda s: s != case["events"][index].get("note")))
    case["events"][index]["note"] = new
    assert [("event_changed", index + 1)] == [k[:2] for k in _kinds(check_chain(case))]


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(len(EVENTS))))
def test_any_reordering_is_reported_and_only_as_reordering(order):
    """Whatever the new order of a sealed history, a changed order is reported, and as nothing else."""
    case = _sealed_case()
    case["events"] = [case["events"][i] for i in order]
    kinds = {p.kind for p in check_chain(case).problems}
    assert (set() if list(order) == sorted(order) else {"events_reordered"}) == kinds


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(EVENTS) - 2))
def test_removing_any_event_but_the_last_is_reported_on_the_event_after_it(index):
    """Whichever event is taken out (but the last), the event now in its place is named."""
    case = _sealed_case()
    del case["events"][index]
    assert [("event_removed", index + 1)] == [k[:2] for k in _kinds(check_chain(case))]


def test_a_head_copied_from_print_in_groups_is_accepted():
    """The chronology prints the head in groups of 16; typed back with its spaces, it still matches."""
    data = _sealed_case()
    head = chain_head(data)
    grouped = " ".join(head[i:i + 16] for i in range(0, 64, 16))
    assert True is check_head(data, grouped).ok


def _case_with_a_later_post() -> dict[str, Any]:
    """A sealed case to which a second post was added, as `triage --case` adds it (its event says `post = 2`)."""
    data = _unsealed_case()
    data[SEAL_KEY] = seal(data)
    later = {"added_at": dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC), "added_by": "Mrs A Example",
             "incident": {**data["incident"], "summary": "A second post about the headteacher."},
             "considerations": data["considerations"], "checklist": data["checklist"]}
    data["posts"] = [later]
    _record(data, _event("post", 28, "A later post, seen 2026-11-28, added to the case", post=2))
    _record(data, _event("note", 29, "Phoned the parent."))
    return _round_trip(data)


def test_a_later_posts_answers_are_covered_by_the_event_that_added_it():
    """Changing the summary of a later post is reported on the event that added that post."""
    data = _case_with_a_later_post()
    assert True is check_chain(data).ok
    data["posts"][0]["incident"]["summary"] = "Nothing much."
    assert [("event_changed", 1, "2026-11-28")] == _kinds(check_chain(data))


def test_removing_a_later_post_is_reported_on_the_event_that_added_it():
    """A later post taken out of the file leaves its event unmatched."""
    data = _case_with_a_later_post()
    del data["posts"]
    assert [("event_changed", 1, "2026-11-28")] == _kinds(check_chain(data))
