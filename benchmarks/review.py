"""How `hesket review` and friends scale, as ratios to a floor measured in the same run.

Makes 1,000 and 10,000 realistic cases (each with a history of 3 to 6
events) in a temporary folder, then prints the median time of:
  hesket review --json, hesket case list --json, hesket case show ID --json
against the floor: a plain Python script that lists the folder and parses
every case file with tomllib (what any tool reading these files must do).

Goals at 10,000 cases: review --json at most 0.25x the floor; case list
--json and case show --json under 0.3 s.

    python benchmarks/review.py               # 1,000 and 10,000 cases, 5 runs each
    python benchmarks/review.py --sizes 1000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hesket_cli.answers import parse_answers, read_answers_file  # noqa: E402
from hesket_cli.case import Case, Event, PolicyRef  # noqa: E402
from hesket_cli.policy_file import default_policy_path, load_policy  # noqa: E402
from hesket_cli.store import CASE_FILE, encode_case, format_case_id  # noqa: E402

from _common import hesket_command, median_seconds  # noqa: E402

FLOOR = """
import os, sys, tomllib
root = sys.argv[1]
for name in os.listdir(root):
    if name[:1].isdigit():
        with open(os.path.join(root, name, "case.toml"), "rb") as f:
            tomllib.load(f)
"""

HISTORIES = [
    ["discuss_and_request_removal", "removed", "close_case"],
    ["discuss_and_request_removal", "refused", "written_warning", "contact_provider"],
    ["discuss_and_request_removal", "refused", "written_warning", "note", "removed", "close_case"],
    ["discuss_and_request_removal", "continued", "written_warning", "contact_provider", "note"],
    ["contact_police", "discuss_and_request_removal", "refused", "written_warning"],
]


def make_cases(folder: Path, count: int, seed: int = 7) -> list[str]:
    """Write `count` cases straight to disk (as the store would), each with 3-6 events."""
    rng = random.Random(seed)
    policy = load_policy(default_policy_path())
    examples = [parse_answers(read_answers_file(str(p)), policy, today=dt.date.today(), source=str(p))
                for p in sorted((ROOT / "examples").glob("*.toml")) if "kind" not in p.name]
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256, "written_warning")
    folder.mkdir(parents=True, mode=0o700)
    ids = []
    for n in range(1, count + 1):
        year = 2024 + n * 3 // (count + 1)
        case_id = format_case_id(year, n)
        seen = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
        answers = rng.choice(examples)
        answers = replace(answers, incident=replace(answers.incident, observed_on=seen,
                                                    summary=f"{answers.incident.summary} (case {n})"))
        events = []
        for offset, name in enumerate(rng.choice(HISTORIES)):
            on = seen + dt.timedelta(days=1 + offset * rng.randrange(1, 9))
            at = dt.datetime.combine(on, dt.time(10, 30), tzinfo=dt.UTC)
            events.append(Event(name, at, on, "Benchmark Recorder", note="Spoke to the parent on the phone."))
        created = dt.datetime.combine(seen, dt.time(9), tzinfo=dt.UTC)
        case = Case(case_id, created, "Benchmark Recorder", ref, answers, tuple(events))
        (folder / case_id).mkdir(mode=0o700)
        (folder / case_id / CASE_FILE).write_bytes(encode_case(case))
        ids.append(case_id)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    hesket = hesket_command()
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="hesket-review-bench-"))
        try:
            cases = folder / "cases"
            ids = make_cases(cases, size)
            env = {**os.environ, "HESKET_CASES_DIR": str(cases)}
            env.pop("HESKET_POLICY", None)
            # A user's installed hesket runs from compiled bytecode, as the floor's tomllib does;
            # let this run write it too (some environments set PYTHONDONTWRITEBYTECODE).
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            # One warm-up run of each, so every command starts from the same warm file cache.
            review_all = [*hesket, "review", "--json", "--status", "all"]
            subprocess.run(review_all, env=env, stdout=subprocess.DEVNULL, check=True)
            floor = median_seconds([sys.executable, "-c", FLOOR, str(cases)], args.runs, env)
            print(f"\n{size} cases: floor (list + tomllib every file): {floor:.3f} s (median of {args.runs})")
            print(f"{'command':36} {'median':>8} {'ratio':>7}  goal")
            rows = [
                ("hesket review --json --status all", review_all, "<= 0.25x floor"),
                ("hesket case list --json", [*hesket, "case", "list", "--json", "--status", "all"],
                 "< 0.3 s at 10,000"),
                ("hesket case show ID --json", [*hesket, "case", "show", ids[len(ids) // 2], "--json"],
                 "< 0.3 s at 10,000"),
            ]
            for label, command, goal in rows:
                seconds = median_seconds(command, args.runs, env)
                print(f"{label:36} {seconds:7.3f}s {seconds / floor:6.2f}x  {goal}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
