"""How quickly hesket answers, as ratios to `python -c "import typer"` measured in the same run.

A command that answers at once feels trustworthy; one that lags at every
call does not. Absolute times depend on the machine, so each command's
median is divided by the median of the baseline, timed alongside it.

Goals: `--help`, `case show --json` and `case list --json` (100 cases) at
most 1.5x the baseline; the Rich views of `case show` and `case list` at
most 2x.

    python benchmarks/startup.py            # 15 runs of each
    python benchmarks/startup.py --runs 31
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hesket_cli.answers import parse_answers, read_answers_file  # noqa: E402
from hesket_cli.case import Case, PolicyRef  # noqa: E402
from hesket_cli.policy_file import default_policy_path, load_policy  # noqa: E402
from hesket_cli.store import CaseStore  # noqa: E402

from _common import hesket_command, median_seconds  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def make_cases(folder: Path, count: int) -> str:
    """Fill `folder` with `count` cases made from the examples; return one id."""
    policy = load_policy(default_policy_path())
    store = CaseStore(folder)
    today = dt.date.today()
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    case_id = ""
    for n in range(count):
        path = EXAMPLES[n % len(EXAMPLES)]
        answers = parse_answers(read_answers_file(str(path)), policy, today=today, source=str(path))
        case = store.create(lambda i, given=answers: Case(i, now, "Benchmark Recorder", ref, given), year=today.year)
        case_id = case.id
    return case_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="hesket-bench-"))
    try:
        case_id = make_cases(folder / "cases", 100)
        env = {**os.environ, "HESKET_CASES_DIR": str(folder / "cases"), "COLUMNS": "100"}
        env.pop("HESKET_POLICY", None)
        # A user's installed hesket runs from compiled bytecode, as typer in the baseline does;
        # let this run write it too (some environments set PYTHONDONTWRITEBYTECODE).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        hesket = hesket_command()
        rows = [
            ("hesket --help", hesket + ["--help"], 1.5),
            ("hesket case show ID --json", hesket + ["case", "show", case_id, "--json"], 1.5),
            ("hesket case list --json (100 cases)", hesket + ["case", "list", "--json"], 1.5),
            ("hesket case show ID", hesket + ["case", "show", case_id], 2.0),
            ("hesket case list (100 cases)", hesket + ["case", "list"], 2.0),
        ]
        baseline = median_seconds([sys.executable, "-c", "import typer"], args.runs, env)
        print(f"baseline: python -c 'import typer': {baseline * 1000:.0f} ms (median of {args.runs})")
        print(f"{'command':40} {'median':>8} {'ratio':>6} {'goal':>6}")
        for label, command, goal in rows:
            seconds = median_seconds(command, args.runs, env)
            ratio = seconds / baseline
            verdict = "ok" if ratio <= goal else "OVER"
            print(f"{label:40} {seconds * 1000:6.0f}ms {ratio:5.2f}x {goal:5.1f}x {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
