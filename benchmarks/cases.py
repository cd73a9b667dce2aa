"""Realistic case folders for the benchmarks, written straight to disk, fast.

Its one job: fill a folder with N case files (`<root>/<id>/case.toml`, case
schema 2) byte for byte as hesket itself writes them (case_to_dict + tomli_w),
so a benchmark measures hesket on the folders a trust would really hold. It
never imports hesket and never runs it (except `--check`, in _check.py, which
asks the installed hesket to confirm the files): a second installed hesket can
then be compared on the very same folder.

Why each detail:
- histories of 3-6 events are drawn from the shipped policy's own steps and
  outcomes (read from the policy file, not hard-coded) in an order its engine
  permits, so no case is flagged or refused for being impossible;
- a fifth of the cases carry evidence (`evidence/NNN-screenshot.png`, a few
  KB, with its true SHA-256), because checking evidence is a cost `review`
  and `verify` pay;
- dates run over the three years up to today and ids are numbered per year in
  date order, as triage numbers them; old cases are mostly closed, recent ones
  mostly open, so `review` has a realistic backlog;
- each case depends only on (seed, its number), so folders are the same
  however the work is split, and 100,000 cases are written on every core.

    python benchmarks/cases.py 1000 /tmp/cases            # write 1,000 cases
    python benchmarks/cases.py 200 /tmp/cases --check      # and have hesket confirm them
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from _policy import PolicyFacts, Progress, load_policy_facts
from _toml import dumps
from _words import KINDS, LOCATIONS, NOTES, RECORDERS, Kind, evidence_note, summary_for

EVIDENCE_SHARE = 5  # one case in five carries evidence
OPEN_SHARE = 0.3  # about this share of all cases is open: most recent ones, a backlog of older ones
RECENT_DAYS, RECENT_OPEN = 60, 0.8
YEARS = 3
PARALLEL_FROM = 5_000  # below this, one process is quicker than starting others
CHUNK = 2_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Folder:
    """A generated cases folder: where it is, its ids (oldest first) and the case the timed edits use."""

    root: Path
    ids: tuple[str, ...]
    target: str
    target_event: str  # a step the target case may record again and again (the first open to every post)
    open_ids: frozenset[str]  # the cases generated open: what the Rich views must list


@dataclass(frozen=True)
class _Job:
    """One worker's share: the cases numbered `first`..`last` (1-based) of `count`."""

    root: str
    policy_file: str
    seed: int
    open_share: float
    count: int
    first: int
    last: int
    today: dt.date
    now: dt.datetime


def observed_on(n: int, count: int, today: dt.date) -> dt.date:
    """The date case n of `count` was seen: spread evenly over the three years before today."""
    span = YEARS * 365
    return today - dt.timedelta(days=span) + dt.timedelta(days=((n - 1) * (span - 1)) // max(count, 1))


def case_ids(count: int, today: dt.date) -> list[str]:
    """The id of every case, in date order, numbered within its year as triage numbers them."""
    ids: list[str] = []
    year, number = 0, 0
    for n in range(1, count + 1):
        seen = observed_on(n, count, today)
        year, number = (seen.year, number + 1) if seen.year == year else (seen.year, 1)
        ids.append(f"{year:04d}-{number:04d}")
    return ids


def write_cases(root: Path, count: int, *, policy_file: Path, seed: int = 7, open_share: float = OPEN_SHARE,
                workers: int | None = None) -> Folder:
    """Write `count` cases into `root` (which must not exist yet); on every core for large counts.

    `open_share`: about this share of the cases is open (the Rich `review` lists every open case).
    """
    root.mkdir(parents=True, mode=0o700)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    jobs = [_Job(str(root), str(policy_file), seed, open_share, count, first, min(first + CHUNK - 1, count), today, now)
            for first in range(1, count + 1, CHUNK)]
    open_ids: set[str] = set()
    if count >= PARALLEL_FROM and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            for found in pool.map(_write_share, jobs):
                open_ids.update(found)
    else:
        for job in jobs:
            open_ids.update(_write_share(job))
    ids = case_ids(count, today)
    policy = load_policy_facts(policy_file)
    _write_target(root, ids[-1], policy, today, now)
    return Folder(root, tuple(ids), ids[-1], policy.escalation_steps[0], frozenset(open_ids | {ids[-1]}))


def _write_share(job: _Job) -> list[str]:
    """Write the job's cases; return the ids of those left open."""
    policy = load_policy_facts(Path(job.policy_file))
    ids = case_ids(job.count, job.today)
    open_ids = []
    for n in range(job.first, job.last + 1):
        rng = random.Random(job.seed * 1_000_003 + n)
        seen = observed_on(n, job.count, job.today)
        case = _make_case(policy, rng, ids[n - 1], seen, job.today, job.now, job.open_share)
        _save(Path(job.root), case)
        if not any(e["event"] == "close_case" for e in case.data["events"]):
            open_ids.append(case.id)
    return open_ids


@dataclass(frozen=True)
class _Made:
    """One case ready to write: its id, its case file's data and any evidence file."""

    id: str
    data: dict[str, Any]
    evidence: tuple[str, bytes] | None


def _make_case(policy: PolicyFacts, rng: random.Random, case_id: str, seen: dt.date,
               today: dt.date, now: dt.datetime, open_share: float) -> _Made:
    kind = rng.choices(KINDS, weights=[k.weight for k in KINDS])[0]
    answers = _answers(policy, rng, kind, seen)
    facts = policy.facts(answers)
    want_closed = rng.random() >= _open_chance(today, seen, open_share)
    with_evidence = rng.randrange(EVIDENCE_SHARE) == 0
    names = _history(policy, facts, rng, want_closed=want_closed, with_evidence=with_evidence)
    return _assemble(policy, rng, case_id, seen, today, now, answers, names)


def _open_chance(today: dt.date, seen: dt.date, open_share: float) -> float:
    """How likely a case seen on `seen` is still open: most recent ones are, older ones less, so the whole
    folder has about `open_share` open."""
    if (today - seen).days <= RECENT_DAYS:
        return RECENT_OPEN
    recent = RECENT_DAYS / (YEARS * 365)
    return min(max((open_share - recent * RECENT_OPEN) / (1 - recent), 0.0), 1.0)


def _assemble(policy: PolicyFacts, rng: random.Random, case_id: str, seen: dt.date, today: dt.date,
              now: dt.datetime, answers: dict[str, Any], names: Sequence[str]) -> _Made:
    created = min(dt.datetime.combine(seen, dt.time(rng.randrange(8, 17), rng.randrange(60)), dt.UTC), now)
    recorder = rng.choice(RECORDERS)
    events: list[dict[str, Any]] = []
    evidence: tuple[str, bytes] | None = None
    on = seen
    for name in names:
        on = min(on + dt.timedelta(days=rng.randrange(0, 12)), today)
        at = min(dt.datetime.combine(on, dt.time(rng.randrange(8, 18), rng.randrange(60), rng.randrange(60)),
                                     dt.UTC), now)
        event: dict[str, Any] = {"event": name, "at": at, "on": on, "by": rng.choice((recorder, *RECORDERS[:3]))}
        if name == "evidence":
            body = PNG_SIGNATURE + rng.randbytes(rng.randrange(2_000, 6_000))
            file = f"{len([e for e in events if 'attachment' in e]) + 1:03d}-screenshot.png"
            event["note"] = evidence_note(rng)
            event["attachment"] = {"file": file, "name": "screenshot.png", "size": len(body),
                                   "sha256": hashlib.sha256(body).hexdigest()}
            evidence = (file, body)
        elif name == "note" or rng.random() < 0.5:
            event["note"] = rng.choice(NOTES)
        events.append(event)
    next_step = Progress(policy, policy.facts(answers), names).next_step or "none"
    data: dict[str, Any] = {
        "schema": 2, "id": case_id, "created_at": created, "recorded_by": recorder,
        "policy": {"title": policy.title, "last_reviewed": policy.last_reviewed, "sha256": policy.sha256,
                   "next_step": next_step},
        **answers,
        "events": events,
    }
    return _Made(case_id, data, evidence)


def _answers(policy: PolicyFacts, rng: random.Random, kind: Kind, seen: dt.date) -> dict[str, Any]:
    """The answers, in the order and shape hesket's answers_to_dict writes them."""
    ticked, flagged, judged = _ticks(policy, rng, kind)
    checklist: dict[str, Any] = {c: c in ticked for c in policy.checklist}
    if not ticked and rng.random() < 0.02:
        checklist["other"] = "Shared a photograph of a school trip without asking the school."
    return {
        "incident": _incident(policy, rng, kind, seen),
        "considerations": {c: c in flagged for c in policy.considerations},
        "checklist": checklist,
        "judgement": {j: j in judged for j in policy.judgements},
    }


def _ticks(policy: PolicyFacts, rng: random.Random, kind: Kind) -> tuple[set[str], set[str], set[str]]:
    """The checklist items ticked, considerations flagged and judgements made, among those the policy has."""
    ticked = {c for c in kind.checklist if c in policy.checklist}
    if ticked and rng.random() < 0.2:
        ticked.add(rng.choice(policy.checklist))
    flagged = {c for c in kind.considerations if c in policy.considerations}
    flagged |= {c for c in policy.considerations if rng.random() < 0.15}
    judged = {j for j in policy.judgements if rng.random() < kind.judgement_chance}
    return ticked, flagged, judged


def _incident(policy: PolicyFacts, rng: random.Random, kind: Kind, seen: dt.date) -> dict[str, Any]:
    platform = rng.choice([p for p in kind.platforms if p in policy.platforms] or policy.platforms)
    posters = [p for p in kind.posters if p in policy.posters] or policy.posters
    poster = "pupil" if "pupil" in policy.posters and rng.random() < 0.04 else rng.choice(posters)
    incident: dict[str, Any] = {"observed_on": seen, "platform": platform}
    if rng.random() < 0.8:
        incident["location"] = rng.choice(LOCATIONS)
    incident["poster"] = poster
    incident["summary"] = summary_for(kind, rng)
    return incident


def _history(policy: PolicyFacts, facts: frozenset[str], rng: random.Random, *,
             want_closed: bool, with_evidence: bool) -> list[str]:
    """3-6 event names, each one the engine would accept at that point."""
    length = rng.randrange(3, 7)
    names: list[str] = []
    walk = length - int(want_closed) - int(with_evidence)
    for _ in range(walk):
        names.append(_next_event(policy, facts, names, rng, want_closed=want_closed))
    if with_evidence:
        names.insert(min(1, len(names)), "evidence")
    if want_closed:
        names.append("close_case")
    return names


def _next_event(policy: PolicyFacts, facts: frozenset[str], names: list[str], rng: random.Random, *,
                want_closed: bool) -> str:
    now = Progress(policy, facts, names)
    if rng.random() < 0.12:
        return "note"
    if now.next_step in policy.step_ids:
        untaken = [s for s in now.permitted if s not in names]
        if untaken and rng.random() < 0.25:
            return rng.choice(untaken)
        return now.next_step
    if now.outcomes and (now.next_step == "record_outcome" or rng.random() < 0.3):
        return rng.choices(now.outcomes, weights=[4, 4, 2][:len(now.outcomes)] + [1] * (len(now.outcomes) - 3))[0]
    return "note"


def _write_target(root: Path, case_id: str, policy: PolicyFacts, today: dt.date, now: dt.datetime) -> None:
    """The case the constant-time commands change: open, in the escalation stage, the same in every folder."""
    rng = random.Random(42)
    seen = today - dt.timedelta(days=20)
    kind = next(k for k in KINDS if k.name == "defamatory")
    answers = _answers(policy, rng, kind, seen)
    first = [s for s in policy.first_steps if s in now_permitted(policy, answers)]
    names = [first[0], policy.escalating_outcome, policy.escalation_steps[0]]
    shutil.rmtree(root / case_id)
    _save(root, _assemble(policy, rng, case_id, seen, today, now, answers, names))


def now_permitted(policy: PolicyFacts, answers: dict[str, Any]) -> tuple[str, ...]:
    """The steps the engine permits for these answers before anything is recorded."""
    return Progress(policy, policy.facts(answers), ()).permitted


def _save(root: Path, case: _Made) -> None:
    folder = root / case.id
    folder.mkdir(mode=0o700)
    _write_private(folder / "case.toml", dumps(case.data).encode("utf-8"))
    if case.evidence is not None:
        (folder / "evidence").mkdir(mode=0o700)
        _write_private(folder / "evidence" / case.evidence[0], case.evidence[1])


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class CaseFolders:
    """Generated folders for one benchmark run, made once per size under a temporary folder, removed at the end."""

    def __init__(self, policy_file: Path, seed: int = 7, open_share: float = OPEN_SHARE) -> None:
        self.policy_file = policy_file
        self.seed = seed
        self.open_share = open_share
        self.base = Path(tempfile.mkdtemp(prefix="hesket-bench-cases-"))
        self._made: dict[int, Folder] = {}

    def get(self, count: int) -> Folder:
        """The folder of `count` cases, generating it the first time it is asked for."""
        if count not in self._made:
            self._made[count] = write_cases(self.base / f"cases-{count}", count,
                                            policy_file=self.policy_file, seed=self.seed,
                                            open_share=self.open_share)
        return self._made[count]

    def close(self) -> None:
        """Remove every generated folder."""
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def folder_bytes(paths: Iterable[Path]) -> int:
    """The total size of the files given."""
    return sum(p.stat().st_size for p in paths if p.is_file())


def case_files(root: Path) -> Iterator[Path]:
    """Every case.toml under a cases folder."""
    for entry in os.scandir(root):
        if entry.is_dir() and entry.name[:1].isdigit():
            yield Path(entry.path) / "case.toml"


def main(argv: Sequence[str] | None = None) -> int:
    """Write N cases into a new folder; with --check, have hesket confirm them."""
    from _check import check_folder

    from _common import Hesket

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", type=int, help="how many cases")
    parser.add_argument("folder", type=Path, help="a folder that does not exist yet")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--open-share", type=float, default=OPEN_SHARE, help=f"share of open cases ({OPEN_SHARE})")
    parser.add_argument("--hesket", default=None, help="the hesket whose policy (and, with --check, code) to use")
    parser.add_argument("--check", action="store_true", help="confirm the files with that hesket")
    args = parser.parse_args(argv)
    hesket = Hesket.find(args.hesket)
    started = dt.datetime.now()
    folder = write_cases(args.folder, args.count, policy_file=hesket.policy_file(), seed=args.seed,
                         open_share=args.open_share)
    took = (dt.datetime.now() - started).total_seconds()
    print(f"wrote {len(folder.ids)} cases to {folder.root} in {took:.1f} s (target case {folder.target})")
    if args.check:
        return 0 if check_folder(folder.root, hesket.command, hesket.python) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
