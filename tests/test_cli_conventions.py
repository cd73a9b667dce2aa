"""What git and gh users expect of every command: dates, JSON, errors, pipes, the pager, help and version."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import EXAMPLES, POLICY_FILE, ROOT


def _triage(run, name: str = "complaint-wrong-channel") -> str:
    result = run("triage", "--answers", EXAMPLES / f"{name}.toml", "--json", "--by", "Mrs A Example")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _uk(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_on_accepts_a_uk_date_and_records_it_as_iso(run):
    """`--on 20/11/2026` (day first, as typed in a UK office) is recorded as 2026-11-20."""
    case_id = _triage(run)
    seen = dt.date.fromisoformat(json.loads(run("case", "show", case_id, "--json").stdout)["incident"]["observed_on"])
    result = run("case", "record", case_id, "discuss_and_request_removal", "--on", _uk(seen), "--json")
    assert 0 == result.exit_code, result.stderr
    assert seen.isoformat() == json.loads(result.stdout)["events"][-1]["on"]


@pytest.mark.parametrize("word", ["today", "yesterday"])
def test_on_accepts_today_and_yesterday(run, word):
    """`--on today` and `--on yesterday` are read against the local date."""
    case_id = _triage(run, "kind-post")
    expected = dt.date.today() - dt.timedelta(days=word == "yesterday")
    result = run("case", "note", case_id, "Phoned back", "--on", word, "--json")
    assert (0, expected.isoformat()) == (result.exit_code, json.loads(result.stdout)["events"][-1]["on"])


def test_since_accepts_a_uk_date(run):
    """`review --since 1/1/2000` is the same as --since 2000-01-01."""
    _triage(run)
    uk = run("review", "--status", "all", "--since", "1/1/2000", "--json")
    iso = run("review", "--status", "all", "--since", "2000-01-01", "--json")
    assert (0, json.loads(iso.stdout)) == (uk.exit_code, json.loads(uk.stdout))


@pytest.mark.parametrize("bad", ["31/02/2026", "2026-02-30", "next tuesday"])
def test_an_impossible_or_unreadable_date_is_refused_with_the_accepted_forms(run, bad):
    """A date that does not exist, or is not a date, exits 3 naming the option and the accepted forms."""
    case_id = _triage(run)
    result = run("case", "note", case_id, "A note", "--on", bad)
    assert (3, "") == (result.exit_code, result.stdout)
    assert result.stderr.startswith("Error: --on: ")
    assert "YYYY-MM-DD, DD/MM/YYYY, 'today' or 'yesterday'" in result.stderr


def test_times_shown_to_a_person_are_local_with_the_zone(run, monkeypatch):
    """`case show` gives the time a case was saved in local time with its zone; JSON keeps UTC ISO 8601."""
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        case_id = _triage(run)
        doc = json.loads(run("case", "show", case_id, "--json").stdout)
        saved = dt.datetime.fromisoformat(doc["created_at"])
        shown = run("case", "show", case_id).stdout
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "+00:00" == doc["created_at"][-6:]
    local = saved.astimezone(dt.timezone(dt.timedelta(hours=1 if saved.month in range(4, 11) else 0)))
    assert f"Recorded by: Mrs A Example, {local.day} {local.strftime('%b %Y %H:%M')}" in shown


def test_every_json_output_carries_the_contract_version(run, tmp_path):
    """Each JSON object hesket prints, and each element of a JSON list, has "contract": 1."""
    case_id = _triage(run)
    evidence = tmp_path / "post.png"
    evidence.write_bytes(b"png")
    objects = [
        run("case", "show", case_id, "--json"),
        run("case", "note", case_id, "A note", "--json"),
        run("case", "record", case_id, "discuss_and_request_removal", "--json"),
        run("case", "attach", case_id, evidence, "--json"),
        run("review", "--summary", "--json"),
        run("policy", "show", "--json"),
        run("case", "verify", "--json"),
        run("triage", "--answers", EXAMPLES / "kind-post.toml", "--json"),
    ]
    lists = [run("case", "list", "--json"), run("review", "--json", "--status", "all")]
    found = [json.loads(r.stdout)["contract"] for r in objects]
    found += [element["contract"] for r in lists for element in json.loads(r.stdout)]
    assert [1] * (len(objects) + 2 + 2) == found  # two cases: listed once, reviewed once


def test_a_usage_error_is_one_error_line_and_one_hint(run):
    """A missing argument gives `Error: ...` and one line naming the --help to read, nothing more."""
    case_id = _triage(run)
    result = run("case", "note", case_id)
    assert (2, "") == (result.exit_code, result.stdout)
    assert ["Error: Missing argument 'TEXT'", "See: hesket case note --help"] == result.stderr.splitlines()


def test_a_global_option_after_the_command_says_where_it_goes(run):
    """`hesket review --no-color` says --no-color goes before the command, rather than only "No such option"."""
    result = run("review", "--no-color")
    assert 2 == result.exit_code
    assert "Error: --no-color goes before the command: hesket --no-color review ..." == result.stderr.splitlines()[0]


@pytest.mark.parametrize("option", ["-w", "--workspace", "--policy"])
def test_a_global_option_with_a_value_after_the_command_says_where_it_goes_with_its_value(run, option):
    """`hesket case list -w DIR` says -w DIR goes before the command, naming what it takes."""
    result = run("case", "list", option, "somewhere")
    value = "FILE" if option == "--policy" else "DIR"
    expected = f"Error: {option} goes before the command: hesket {option} {value} case list ..."
    assert (2, expected) == (result.exit_code, result.stderr.splitlines()[0])


def _every_help() -> list[list[str]]:
    sys.path.insert(0, str(ROOT / "docs"))
    import readme

    groups = sorted({words[0] for words in readme.commands() if len(words) > 1})
    return [[], *[[group] for group in groups], *readme.commands()]


@pytest.mark.parametrize("words", _every_help(), ids=lambda words: " ".join(words) or "hesket")
def test_every_help_fits_80_columns_and_names_arguments_without_braces(run, words):
    """Each --help, at 80 columns, has no line wider than 80 (examples included) and no `{ID}` in its usage."""
    result = run(*words, "--help", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert (0, [], False) == (result.exit_code, [line for line in lines if len(line) > 80],
                              "{" in lines[0])


@pytest.mark.parametrize("group", ["case", "policy", "config"])
def test_group_help_gives_each_command_its_whole_description(run, group):
    """`hesket case --help` lists each command with its whole first paragraph, never cut short with "..."."""
    listing = run(group, "--help", env={"COLUMNS": "80"}).stdout.split("Commands:", 1)[1].split("Examples:")[0]
    assert ([], True) == ([line for line in listing.splitlines() if line.endswith("...")],
                          listing.strip().endswith("."))


def test_the_policy_option_names_its_environment_variable_once(run):
    """`hesket --help` names HESKET_POLICY once, in the [env var: ...] Typer adds."""
    assert 1 == run("--help", env={"COLUMNS": "200"}).stdout.count("HESKET_POLICY")


def test_help_and_version_work_as_git_users_expect(run):
    """`hesket help case record` is that command's help; `hesket version` and `--version` print the version."""
    from hesket_cli import __version__

    assert run("case", "record", "--help").stdout == run("help", "case", "record").stdout
    assert [f"hesket {__version__}"] * 2 == [run("version").stdout.strip(), run("--version").stdout.strip()]


def test_help_for_an_unknown_command_is_a_usage_error(run):
    """`hesket help nonsense` exits 2 with one Error line and no second hint."""
    result = run("help", "nonsense")
    assert (2, ["Error: No such command 'nonsense'; see: hesket help"]) == (result.exit_code,
                                                                             result.stderr.splitlines())


def _hesket_into_head(args: list[str], cases_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `hesket ARGS | head -1` in a real shell, reporting hesket's own exit status."""
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "COLUMNS": "80"}
    script = f'"{sys.executable}" -m hesket_cli {" ".join(args)} | head -1; echo "status=${{PIPESTATUS[0]}}" >&2'
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("args", [["review", "--status", "all"], ["case", "list", "--status", "all"],
                                  ["policy", "show"], ["review", "--json", "--status", "all"]])
def test_output_piped_into_a_reader_that_stops_early_ends_quietly(run, cases_dir, args):
    """`hesket review | head -1` prints its first line and ends with no error line and status 0 or 141."""
    for _ in range(30):
        _triage(run)
    result = _hesket_into_head(args, cases_dir)
    status = result.stderr.strip().splitlines()[-1]
    assert (1, True, []) == (len(result.stdout.splitlines()), status in ("status=0", "status=141"),
                             result.stderr.strip().splitlines()[:-1])


def test_case_show_in_a_terminal_goes_through_the_pager(run, tmp_path, cases_dir):
    """At a terminal, `case show` is sent through PAGER; with --no-pager it is printed directly."""
    case_id = _triage(run)
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "PAGER": "sed s/^/PAGED:/", "COLUMNS": "100",
           "NO_COLOR": "1"}
    paged = pexpect.run(f"{sys.executable} -m hesket_cli case show {case_id}", env=env, encoding="utf-8",
                        timeout=30)
    direct = pexpect.run(f"{sys.executable} -m hesket_cli --no-pager case show {case_id}", env=env,
                         encoding="utf-8", timeout=30)
    assert (True, False, True) == (paged.startswith("PAGED:"), "PAGED:" in direct, f"{case_id}" in direct)


def test_output_to_a_file_is_never_paged(run, cases_dir):
    """Not at a terminal, PAGER is ignored: the output is the view itself."""
    case_id = _triage(run)
    env = {**os.environ, "HESKET_CASES_DIR": str(cases_dir), "PAGER": "sed s/^/PAGED:/"}
    result = subprocess.run([sys.executable, "-m", "hesket_cli", "case", "show", case_id], env=env,
                            capture_output=True, text=True)
    assert (0, False) == (result.returncode, "PAGED:" in result.stdout)


def test_a_renamed_police_step_stays_urgent_in_both_ways(run, tmp_path):
    """A school that calls its police step `police` keeps both urgent flags: a threat at once, and permitted."""
    text = POLICY_FILE.read_text(encoding="utf-8").replace("contact_police", "police")
    copy = tmp_path / "policy.toml"
    copy.write_text(text, encoding="utf-8")
    (tmp_path / "policy.txt").write_text((ROOT / "policy.txt").read_text(encoding="utf-8"), encoding="utf-8")
    threat = json.loads(run("--policy", copy, "triage", "--answers", EXAMPLES / "threat-of-violence.toml",
                            "--json").stdout)["id"]
    racist = tmp_path / "racist.json"
    data = {"incident": {"observed_on": dt.date.today().isoformat(), "platform": "facebook", "poster": "parent",
                         "summary": "A racist comment about a teaching assistant."},
            "considerations": dict.fromkeys(("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact"), False),
            "checklist": {k: k == "racist" for k in ("naming_children", "staff_allegation", "cyberbullying",
                                                    "complaint", "defamatory", "offensive", "racist",
                                                    "threat_of_violence")}}
    racist.write_text(json.dumps(data), encoding="utf-8")
    refused = json.loads(run("--policy", copy, "triage", "--answers", racist, "--json").stdout)["id"]
    for event in ("discuss_and_request_removal", "refused"):
        assert 0 == run("--policy", copy, "case", "record", refused, event).exit_code
    rows = {r["id"]: r for r in json.loads(run("--policy", copy, "review", "--json").stdout)}
    assert (["police is permitted at once and not yet taken"], ["police is permitted"]) == (
        rows[threat]["why"], rows[refused]["why"])
    assert ("urgent", "urgent") == (rows[threat]["attention"], rows[refused]["attention"])


def test_summary_with_check_exits_6_while_an_urgent_case_is_open(run):
    """`review --summary --check` prints the summary and exits 6 when an open case is urgent."""
    _triage(run, "threat-of-violence")
    result = run("review", "--summary", "--check", "--json")
    assert (6, 1) == (result.exit_code, json.loads(result.stdout)["cases"])


def test_summary_with_check_exits_0_when_nothing_needs_attention(run):
    """`review --summary --check` exits 0 when no open case is urgent, overdue or flagged."""
    _triage(run, "kind-post")
    assert 0 == run("review", "--summary", "--check").exit_code


def test_summary_with_csv_is_a_usage_error(run):
    """`review --summary --csv` is refused (exit 2, one Error line and a hint), never silently empty."""
    result = run("review", "--summary", "--csv")
    assert (2, "") == (result.exit_code, result.stdout)
    assert result.stderr.startswith("Error: --summary has no CSV form")


def test_no_count_is_followed_by_a_noun_with_s_in_brackets():
    """Counts read as English ("1 case", "2 problems", describe.plural), never "{n} problem(s)"."""
    found = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "hesket_cli").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"\}\s+\w+\(s\)", line)]
    assert [] == found
