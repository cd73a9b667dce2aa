"""How quickly hesket answers, as ratios to `python -c "import typer"` measured in the same run.

A command that answers at once feels trustworthy; one that lags at every call
does not. Absolute times depend on the machine, so each command is timed
alternately with the baseline (A B A B ...), and the ratio is taken pair by
pair: a change in the machine's load moves both alike. The Rich views run in
a pseudo-terminal (120 x 40), as a person sees them; the baseline runs the
same way as the command it is paired with.

Goals (issue 17): `hesket --help`, `case show ID --json` and `case list
--json` (100 cases) at most 1.3x the baseline; the Rich views of `case show`
and `case list` at most 1.75x.

    python benchmarks/startup.py                     # 21 rounds
    python benchmarks/startup.py --runs 41 --json startup.json
    python benchmarks/startup.py --hesket /work/baseline/.venv/bin/hesket   # compare another install

Run it with the Python of the hesket being measured (`.venv/bin/python
benchmarks/startup.py`): the `hesket` beside that Python is the one timed,
and that Python imports typer for the baseline. Everything is written in a
temporary folder (cases, index, settings) and removed at the end. Not part of
the test suite or CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cases import CaseFolders

from _common import PEAK_LEGEND, Hesket, Sandbox, Series, Trial, fmt_mb, fmt_seconds, interleave, print_table, run

CASES = 100


@dataclass(frozen=True)
class Row:
    """One command timed: its label, its words after `hesket`, whether it draws for a terminal, its goal."""

    label: str
    words: tuple[str, ...]
    tty: bool
    goal: float


def rows(case_id: str) -> list[Row]:
    """The commands timed, with their goals."""
    return [
        Row("hesket --help", ("--help",), False, 1.3),
        Row("hesket case show ID --json", ("case", "show", case_id, "--json"), False, 1.3),
        Row(f"hesket case list --json ({CASES} cases)", ("case", "list", "--json"), False, 1.3),
        Row("hesket case show ID (Rich, terminal)", ("case", "show", case_id), True, 1.75),
        Row(f"hesket case list (Rich, terminal, {CASES} cases)", ("case", "list"), True, 1.75),
    ]


def timed(command: Sequence[str], env: dict[str, str], tty: bool) -> Trial:
    """A trial that runs `command` once, in a terminal if `tty`."""
    return Trial(lambda: run(command, env, tty=tty))


def verdict(series: Series, goal: float) -> str:
    """ok or OVER against the goal; n/a or FAILED when the command could not be timed."""
    if series.skipped:
        return series.skipped.split(":")[0]
    return "ok" if series.ratio <= goal else "OVER"


def main(argv: Sequence[str] | None = None) -> int:
    """Time each command against the baseline, interleaved, and print a table of ratios and verdicts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed rounds of each command (default 21)")
    parser.add_argument("--hesket", metavar="PATH", help="another installed hesket to compare, side by side")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also save every timing as JSON")
    args = parser.parse_args(argv)
    heskets = [Hesket.find(None)]
    if args.hesket:
        heskets.append(Hesket.find(args.hesket, label="other"))
    baseline_command = [heskets[0].python, "-c", "import typer"]
    results: list[dict[str, object]] = []
    with Sandbox() as sandbox, CaseFolders(heskets[0].policy_file()) as folders:
        folder = folders.get(CASES)
        envs = [sandbox.env(h, folder.root) for h in heskets]
        table = []
        for row in rows(folder.target):
            base, series = interleave(
                timed(baseline_command, envs[0], row.tty),
                [timed([*h.command, *row.words], env, row.tty) for h, env in zip(heskets, envs, strict=True)],
                args.runs)
            cells = [row.label, f"{row.goal:.2f}x", fmt_seconds(base.median)]
            for hesket, s in zip(heskets, series, strict=True):
                cells += ["-", "-", "-", verdict(s, row.goal)] if s.skipped else [
                    fmt_seconds(s.median), f"{s.ratio:.2f}x", fmt_mb(s.peak_mb), verdict(s, row.goal)]
                results.append({"command": row.label, "hesket": " ".join(hesket.command), "goal": row.goal,
                                "baseline_seconds": base.seconds, "seconds": s.seconds, "ratios": s.ratios,
                                "median_ratio": None if s.skipped else s.ratio, "peak_mb": s.peak_mb,
                                "verdict": verdict(s, row.goal)})
            table.append(cells)
        strays = sandbox.strays()
    print(f"start-up: {args.runs} rounds, interleaved with `python -c \"import typer\"` ({heskets[0].python})")
    for hesket in heskets:
        print(f"  {hesket.label}: {' '.join(hesket.command)}")
    headers = ["command", "goal", "baseline"]
    for hesket in heskets:
        headers += [f"{hesket.label}", "ratio", "peak", "verdict"]
    print_table(headers, table)
    print(PEAK_LEGEND)
    if strays:
        print(f"note: hesket wrote outside its cache and cases folders: {', '.join(strays[:5])}")
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
