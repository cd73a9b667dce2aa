"""Helpers for tests that build a case's history through the command line: an example post as an answers
file, a triage and a recorded step read back as JSON, and dates counted back from today."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import tomli_w

from conftest import EXAMPLES

TODAY = dt.date.today()


def ago(days: int) -> str:
    """The date `days` before today, as an option takes it (YYYY-MM-DD)."""
    return (TODAY - dt.timedelta(days=days)).isoformat()


def answers_file(tmp_path: Path, name: str = "complaint-wrong-channel", *, seen: dt.date | None = None,
                 tick: tuple[str, ...] = (), poster_ref: str | None = None, summary: str | None = None,
                 file: str = "answers.toml") -> Path:
    """An example post (examples/NAME.toml) as an answers file, seen on `seen` (default: ten days ago), with
    these checklist items ticked and this poster reference and summary."""
    data = tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"))
    data["incident"]["observed_on"] = seen or TODAY - dt.timedelta(days=10)
    if poster_ref:
        data["incident"]["poster_ref"] = poster_ref
    if summary:
        data["incident"]["summary"] = summary
    for item in tick:
        data["checklist"][item] = True
    path = tmp_path / file
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def triage(run, answers: Path, *args: str) -> dict:
    """`triage --answers ANSWERS --json`, which must succeed: the saved case's document."""
    result = run("triage", "--answers", answers, "--json", *args)
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)


def record(run, case_id: str, *args: str) -> dict:
    """`case record ID ... --json`, which must succeed: the case's document after it."""
    result = run("case", "record", case_id, *args, "--json")
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)
