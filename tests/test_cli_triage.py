"""hesket triage --answers: the examples, the JSON contract, and every bad answers file refused with one line."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

from hesket_cli.case import SCHEMA

from conftest import EXAMPLES, POLICY_FILE, case_folders, snapshot

# Wide enough that Rich never wraps a policy quote across lines.
WIDE = {"COLUMNS": "1000"}
POLICY_DATA = tomllib.loads(POLICY_FILE.read_text(encoding="utf-8"))
SECTION = {"consideration": "considerations", "checklist": "checklist", "judgement": "judgement"}

# What each example must show: verdict, reasons (kind, id) in order, next step.
EXAMPLE_EXPECTATIONS = {
    "kind-post": ("appropriate", [], "no_action"),
    "complaint-wrong-channel": (
        "inappropriate",
        [("consideration", "wrong_channel"), ("consideration", "private_discussion_better"),
         ("checklist", "complaint")],
        "discuss_and_request_removal",
    ),
    "threat-of-violence": (
        "inappropriate",
        [("consideration", "wrong_channel"), ("consideration", "private_discussion_better"),
         ("consideration", "unjustified_harm"), ("consideration", "reputational_impact"),
         ("checklist", "offensive"), ("checklist", "threat_of_violence"), ("judgement", "harassment")],
        "contact_police",
    ),
    "defamatory-post": (
        "inappropriate",
        [("consideration", "wrong_channel"), ("consideration", "private_discussion_better"),
         ("consideration", "unjustified_harm"), ("consideration", "reputational_impact"),
         ("checklist", "staff_allegation"), ("checklist", "defamatory")],
        "discuss_and_request_removal",
    ),
}

CONTRACT_KEYS = {"id", "schema", "status", "verdict", "next_step", "permitted", "outcomes", "reasons",
                 "incident", "answers", "events", "recorded_by", "created_at"}


def _year() -> int:
    return dt.date.today().year


def _example(name: str) -> Path:
    return EXAMPLES / f"{name}.toml"


def _valid_answers() -> dict:
    """A complete, valid answers mapping (the kind post), ready to be spoiled by one change."""
    return tomllib.loads(_example("kind-post").read_text(encoding="utf-8"))


def _tree(folder: Path) -> tuple[bool, list[str], dict[str, bytes]]:
    """Whether the folder exists, every entry under it (folders too), and every file's bytes."""
    if not folder.exists():
        return False, [], {}
    return True, sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".hesket" not in p.parts), snapshot(folder)


def _triage_json(run, *args, **kwargs) -> dict:
    result = run("triage", *args, "--json", **kwargs)
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTATIONS))
def test_each_example_triages_and_is_saved_as_the_years_first_case(run, cases_dir, name):
    """Each example triages with exit 0 and is saved as exactly one case folder <year>-0001 with case.toml."""
    result = run("triage", "--answers", _example(name), env=WIDE)
    assert 0 == result.exit_code, result.stderr
    case_id = f"{_year()}-0001"
    assert [case_id] == case_folders(cases_dir)
    assert [".lock", "case.toml"] == sorted(p.name for p in (cases_dir / case_id).iterdir())
    assert case_id == tomllib.loads((cases_dir / case_id / "case.toml").read_text(encoding="utf-8"))["id"]
    assert f"Saved as case {case_id}" in result.stdout


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTATIONS))
def test_each_example_shows_verdict_reasons_and_next_step_in_the_policys_words(run, name):
    """The verdict, every reason's policy quote and the next step's quote are printed as policy.toml has them."""
    verdict, reasons, next_step = EXAMPLE_EXPECTATIONS[name]
    result = run("triage", "--answers", _example(name), env=WIDE)
    assert 0 == result.exit_code, result.stderr
    assert f"Verdict: {verdict.upper()}" in result.stdout
    for kind, item in reasons:
        quote = POLICY_DATA[SECTION[kind]][item]["policy_text"]
        assert f"\u201c{quote}\u201d" in result.stdout, (kind, item)
    step = POLICY_DATA["steps"][next_step]
    assert f"Next step: {step['title']}  ({next_step})" in result.stdout
    assert f"\u201c{step['policy_text']}\u201d" in result.stdout


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTATIONS))
def test_json_output_is_only_the_contract_document(run, name):
    """--json prints one JSON document with the contract's keys and the example's assessment."""
    verdict, reasons, next_step = EXAMPLE_EXPECTATIONS[name]
    result = run("triage", "--answers", _example(name), "--json")
    assert 0 == result.exit_code, result.stderr
    doc = json.loads(result.stdout)
    assert set() == CONTRACT_KEYS - set(doc)
    assert f"{_year()}-0001" == doc["id"]
    assert SCHEMA == doc["schema"]
    assert "open" == doc["status"]
    assert verdict == doc["verdict"]
    step = POLICY_DATA["steps"][next_step]
    assert {"id": next_step, "title": step["title"], "policy_text": step["policy_text"], "setting": None} == \
        doc["next_step"]
    assert all({"id", "title", "policy_text", "setting"} == set(s) for s in doc["permitted"])
    assert next_step in [s["id"] for s in doc["permitted"]]
    assert [] == doc["outcomes"]
    assert reasons == [(r["kind"], r["id"]) for r in doc["reasons"]]
    assert [POLICY_DATA[SECTION[kind]][item]["policy_text"] for kind, item in reasons] == [
        r["policy_text"] for r in doc["reasons"]]
    given = tomllib.loads(_example(name).read_text(encoding="utf-8"))
    assert given["incident"]["summary"] == doc["incident"]["summary"]
    assert given["incident"]["observed_on"].isoformat() == doc["incident"]["observed_on"]
    assert given["considerations"] == doc["answers"]["considerations"]
    assert [] == doc["events"]
    assert "" != doc["recorded_by"].strip()
    created = dt.datetime.fromisoformat(doc["created_at"])
    assert created.tzinfo is not None


def test_json_output_has_nothing_but_json_on_stdout(run):
    """The whole of stdout is the JSON document: no banner, no 'Saved as' line."""
    result = run("triage", "--answers", _example("threat-of-violence"), "--json")
    assert 0 == result.exit_code, result.stderr
    assert result.stdout.lstrip().startswith("{")
    assert result.stdout.rstrip().endswith("}")
    assert "Saved as" not in result.stdout
    json.loads(result.stdout)


def test_by_name_is_recorded_in_the_output_and_the_case_file(run, cases_dir):
    """--by "Mrs A Example" is the case's recorded_by, in the JSON and in case.toml."""
    doc = _triage_json(run, "--answers", _example("kind-post"), "--by", "Mrs A Example")
    assert "Mrs A Example" == doc["recorded_by"]
    saved = tomllib.loads((cases_dir / doc["id"] / "case.toml").read_text(encoding="utf-8"))
    assert "Mrs A Example" == saved["recorded_by"]


def test_without_by_someone_is_still_recorded(run, cases_dir):
    """Without --by the case still records a non-blank name of who triaged it."""
    doc = _triage_json(run, "--answers", _example("kind-post"))
    assert "" != doc["recorded_by"].strip()
    saved = tomllib.loads((cases_dir / doc["id"] / "case.toml").read_text(encoding="utf-8"))
    assert doc["recorded_by"] == saved["recorded_by"]


ASSESSMENT_KEYS = ("status", "verdict", "next_step", "permitted", "outcomes", "reasons", "incident", "answers", "events")


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTATIONS))
def test_json_answers_file_gives_the_same_assessment_as_toml(run, tmp_path, name):
    """A JSON answers file of the same shape gives the same assessment as the TOML file."""
    data = tomllib.loads(_example(name).read_text(encoding="utf-8"))
    data["incident"]["observed_on"] = data["incident"]["observed_on"].isoformat()
    json_file = tmp_path / f"{name}.json"
    json_file.write_text(json.dumps(data), encoding="utf-8")
    from_toml = _triage_json(run, "--answers", _example(name))
    from_json = _triage_json(run, "--answers", json_file)
    assert {k: from_toml[k] for k in ASSESSMENT_KEYS} == {k: from_json[k] for k in ASSESSMENT_KEYS}


def test_answers_dash_reads_standard_input(run, cases_dir):
    """--answers - reads the answers from standard input."""
    text = _example("defamatory-post").read_text(encoding="utf-8")
    from_stdin = _triage_json(run, "--answers", "-", input=text)
    from_file = _triage_json(run, "--answers", _example("defamatory-post"))
    assert {k: from_file[k] for k in ASSESSMENT_KEYS} == {k: from_stdin[k] for k in ASSESSMENT_KEYS}
    assert 2 == len(case_folders(cases_dir))


@pytest.mark.parametrize("typed", ["twitter", "x"])
def test_twitter_and_x_are_both_stored_as_twitter(run, tmp_path, cases_dir, typed):
    """The platform may be typed as twitter or its alias x; either is stored as twitter."""
    data = _valid_answers()
    data["incident"]["platform"] = typed
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(data), encoding="utf-8")
    doc = _triage_json(run, "--answers", answers)
    assert "twitter" == doc["incident"]["platform"]
    saved = tomllib.loads((cases_dir / doc["id"] / "case.toml").read_text(encoding="utf-8"))
    assert "twitter" == saved["incident"]["platform"]


def test_triage_without_answers_is_a_usage_error(run, cases_dir):
    """`hesket triage` with no --answers exits 2, mentions --answers and saves nothing."""
    result = run("triage")
    assert 2 == result.exit_code
    assert "--answers" in result.stderr
    assert "" == result.stdout
    assert not cases_dir.exists()


# -- bad answers files ---------------------------------------------------------------------------


def _spoil(change):
    def make(tmp_path: Path) -> Path:
        data = _valid_answers()
        change(data)
        path = tmp_path / "answers.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path
    return make


def _raw(name: str, content: bytes):
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path
    return make


def _set(section: str, key: str, value):
    def change(data):
        data[section][key] = value
    return change


def _drop(section: str, key: str | None = None):
    def change(data):
        if key is None:
            del data[section]
        else:
            del data[section][key]
    return change


def _missing_file(tmp_path: Path) -> Path:
    return tmp_path / "no-such-answers.toml"


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "answers-folder"
    path.mkdir()
    return path


def _tomorrow() -> dt.date:
    return dt.date.today() + dt.timedelta(days=1)


ALL_PLATFORMS = list(POLICY_DATA["platforms"])
ALL_POSTERS = list(POLICY_DATA["posters"])

# (case name, how to make the file, fragments the one Error line must contain besides the file name;
# a callable fragment is worked out when the test runs)
BAD_ANSWERS = [
    ("unknown top-level key", _spoil(lambda d: d.__setitem__("verdict", "fine")), ["verdict", "unknown"]),
    ("unknown incident key", _spoil(_set("incident", "colour", "red")), ["incident.colour", "unknown"]),
    ("unknown checklist key", _spoil(_set("checklist", "spam", True)), ["checklist.spam", "unknown"]),
    ("missing considerations table", _spoil(_drop("considerations")), ["considerations", "missing"]),
    ("missing consideration", _spoil(_drop("considerations", "unjustified_harm")),
     ["considerations.unjustified_harm", "missing"]),
    ("missing checklist item", _spoil(_drop("checklist", "racist")), ["checklist.racist", "missing"]),
    ("wrong type", _spoil(_set("considerations", "wrong_channel", "yes")),
     ["considerations.wrong_channel", "'yes'", "true or false"]),
    ("unknown platform", _spoil(_set("incident", "platform", "myspace")),
     ["incident.platform", "'myspace'", *ALL_PLATFORMS]),
    ("unknown poster", _spoil(_set("incident", "poster", "headteacher")),
     ["incident.poster", "'headteacher'", *ALL_POSTERS]),
    ("blank summary", _spoil(_set("incident", "summary", "")), ["incident.summary", "blank"]),
    ("whitespace-only summary", _spoil(_set("incident", "summary", "  \n\t ")), ["incident.summary", "blank"]),
    ("missing summary", _spoil(_drop("incident", "summary")), ["incident.summary", "missing"]),
    ("future date", _spoil(lambda d: d["incident"].__setitem__("observed_on", _tomorrow())),
     ["incident.observed_on", "future", lambda: _tomorrow().isoformat()]),
    ("datetime instead of date", _spoil(_set("incident", "observed_on", dt.datetime(2026, 11, 20, 9, 30))),
     ["incident.observed_on", "2026-11-20T09:30:00"]),
    ("observed_on not a date", _spoil(_set("incident", "observed_on", "last Tuesday")),
     ["incident.observed_on", "'last Tuesday'"]),
    ("observed_on a number", _spoil(_set("incident", "observed_on", 20261120)),
     ["incident.observed_on", "20261120"]),
    ("invalid TOML", _raw("answers.toml", b"[incident\nobserved_on = 2026-11-20\n"), ["not valid TOML"]),
    ("invalid JSON", _raw("answers.json", b'{"incident": {"observed_on": "2026-11-20",}'), ["not valid JSON"]),
    ("file does not exist", _missing_file, ["no such answers file"]),
    ("a folder", _folder, ["folder"]),
    ("not UTF-8", _raw("answers.toml", "[incident]\nsummary = \"caf\u00e9\"\n".encode("latin-1")), ["UTF-8"]),
]


def _check_refused(result, path: Path, fragments: list[str]) -> None:
    assert 3 == result.exit_code, (result.stdout, result.stderr)
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines), lines
    line = lines[0]
    assert line.startswith("Error: ")
    assert str(path) in line
    for fragment in fragments:
        fragment = fragment() if callable(fragment) else fragment
        assert fragment in line, (fragment, line)


@pytest.mark.parametrize("make, fragments", [(m, f) for _, m, f in BAD_ANSWERS], ids=[n for n, _, _ in BAD_ANSWERS])
def test_bad_answers_file_is_refused_with_one_line_and_nothing_saved(run, tmp_path, cases_dir, make, fragments):
    """A bad answers file exits 3 with one Error line naming the file and the key; no cases folder appears."""
    path = make(tmp_path)
    before = _tree(cases_dir)
    result = run("triage", "--answers", path)
    _check_refused(result, path, fragments)
    assert before == _tree(cases_dir)
    assert not cases_dir.exists()


@pytest.mark.parametrize("make, fragments", [(m, f) for _, m, f in BAD_ANSWERS], ids=[n for n, _, _ in BAD_ANSWERS])
def test_bad_answers_file_leaves_an_existing_case_folder_unchanged(run, tmp_path, cases_dir, make, fragments):
    """With one case already saved, a bad answers file changes nothing in the cases folder."""
    assert 0 == run("triage", "--answers", _example("kind-post")).exit_code
    path = make(tmp_path)
    before = _tree(cases_dir)
    result = run("triage", "--answers", path)
    _check_refused(result, path, fragments)
    assert before == _tree(cases_dir)
    case_id = f"{_year()}-0001"
    assert [case_id, f"{case_id}/.lock", f"{case_id}/case.toml"] == before[1]


def test_bad_answers_on_standard_input_is_refused_naming_the_key(run, cases_dir):
    """Answers piped to --answers - are checked just as strictly, and nothing is saved."""
    data = _valid_answers()
    data["incident"]["platform"] = "myspace"
    result = run("triage", "--answers", "-", input=tomli_w.dumps(data))
    assert 3 == result.exit_code
    assert "" == result.stdout
    lines = result.stderr.splitlines()
    assert 1 == len(lines)
    assert lines[0].startswith("Error: ")
    assert "incident.platform" in lines[0]
    assert not cases_dir.exists()
