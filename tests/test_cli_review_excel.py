"""`hesket review --excel`: the rows as a school office opens them, in Excel; `--csv` stays exact for scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from conftest import EXAMPLES

CONSIDERATIONS = ("wrong_channel", "private_discussion_better", "unjustified_harm", "reputational_impact")
CHECKLIST = ("naming_children", "staff_allegation", "cyberbullying", "complaint", "defamatory", "offensive",
             "racist", "threat_of_violence")
FORMULA = '=HYPERLINK("http://x.example/","Open me")'


def _case_with_poster_ref(run, tmp_path, poster_ref: str) -> str:
    data = {"incident": {"observed_on": dt.date.today().isoformat(), "platform": "facebook", "poster": "parent",
                         "poster_ref": poster_ref, "summary": "A made-up parent posted about the school."},
            "considerations": dict.fromkeys(CONSIDERATIONS, False),
            "checklist": {item: item == "complaint" for item in CHECKLIST}}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("triage", "--answers", path, "--json")
    assert 0 == result.exit_code, result.stderr
    return json.loads(result.stdout)["id"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_excel_csv_starts_with_a_byte_order_mark_and_keeps_the_policys_dash(run):
    """--excel begins with a UTF-8 byte-order mark, so Excel reads the policy's "–" as a dash, not "â€“"."""
    run("triage", "--answers", EXAMPLES / "threat-of-violence.toml")
    data = run("review", "--excel").stdout_bytes
    assert (b"\xef\xbb\xbfid,attention,", True) == (data[:16], "\u2013" in data.decode("utf-8"))


def test_excel_csv_ends_lines_as_windows_does(run):
    """--excel ends each record with CR LF, as Excel writes and expects."""
    run("triage", "--answers", EXAMPLES / "kind-post.toml")
    text = run("review", "--excel").stdout_bytes.decode("utf-8")
    assert (2, 2) == (text.count("\r\n"), text.count("\n"))


def test_excel_csv_has_the_same_rows_as_csv(run):
    """--excel and --csv hold the same columns, rows and values (nothing here starts like a formula)."""
    for name in ("threat-of-violence", "kind-post", "defamatory-post"):
        run("triage", "--answers", EXAMPLES / f"{name}.toml")
    assert _rows(run("review", "--csv").stdout) == _rows(run("review", "--excel").stdout)


def test_excel_csv_never_lets_a_cell_start_a_formula(run, tmp_path):
    """A poster reference typed as `=HYPERLINK(...)` is shown by Excel as text: --excel puts a ' before it."""
    _case_with_poster_ref(run, tmp_path, FORMULA)
    [row] = _rows(run("review", "--excel").stdout)
    assert f"'{FORMULA}" == row["poster_ref"]


def test_plain_csv_keeps_every_cell_exactly(run, tmp_path):
    """--csv is for scripts: no byte-order mark, LF line ends, and the cell exactly as typed."""
    _case_with_poster_ref(run, tmp_path, FORMULA)
    data = run("review", "--csv").stdout_bytes
    [row] = _rows(data.decode("utf-8"))
    assert (False, False, FORMULA) == (data.startswith(b"\xef\xbb\xbf"), b"\r\n" in data, row["poster_ref"])


def test_excel_with_json_or_summary_is_a_usage_error_naming_excel(run):
    """--excel with --json, or with --summary, exits 2 naming --excel."""
    together = run("review", "--json", "--excel")
    summary = run("review", "--summary", "--excel")
    assert ((2, "Error: --json and --excel cannot be used together; choose one"),
            (2, "Error: --summary has no CSV form; use --summary --json, or --excel without --summary")) == (
        (together.exit_code, together.stderr.splitlines()[0]), (summary.exit_code, summary.stderr.splitlines()[0]))
