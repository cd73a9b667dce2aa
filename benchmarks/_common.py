"""What the benchmark scripts share: finding a hesket, a private sandbox, and timing runs as users meet them.

Its one job: run a command the way a user or a scheduled job does and
measure it fairly. Why each piece:
- interleaved timing: a baseline A and the command B run alternately (A B A
  B ...), and the ratio is taken pair by pair, so a change in the machine's
  load during the run moves A and B together instead of every ratio;
- per-child peak memory: each run is started with Popen and reaped with
  os.wait4, whose rusage is that child's own (ru_maxrss); where there is no
  wait4 (Windows) the figure is left out, never guessed. Linux carries the
  starting process's high-water mark into a child across exec, so a child
  that stayed smaller than this script reports this script's size: such a
  figure is left out too (it says only "no larger than the harness");
- a pseudo-terminal for the Rich views, because Rich draws differently (and
  more slowly) for a terminal than for a pipe: COLUMNS=120, LINES=40, TERM
  set, and the output read and thrown away until the child exits (POSIX only;
  elsewhere those rows are skipped with a note);
- a sandbox per run: its own cache folder (HESKET_CACHE_DIR), settings file,
  XDG folders and output files, all removed afterwards, so a benchmark never
  leaves an index in the user's cache or reads the user's settings.
It never uses the network and never writes outside its temporary folders.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

PTY_COLUMNS, PTY_LINES = 120, 40
RUN_TIMEOUT = 1800.0
POSIX = os.name == "posix" and hasattr(os, "wait4")
# Variables that would point hesket at the user's own files, or change what it does.
_INHERITED = ("HESKET_POLICY", "HESKET_CASES_DIR", "HESKET_CACHE_DIR", "HESKET_CONFIG", "HESKET_WORKSPACE",
              "PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR", "PAGER", "COLUMNS", "LINES")


class Skip(Exception):
    """This measurement cannot be taken here (no pseudo-terminal, a command this hesket lacks)."""


class RunFailed(Exception):
    """A timed command exited with a code it should not have; the message holds its error output."""


@dataclass(frozen=True)
class Hesket:
    """One installed hesket: how to run it and the Python it runs on."""

    label: str
    command: tuple[str, ...]
    python: str

    @classmethod
    def find(cls, path: str | None, label: str = "current") -> Hesket:
        """The hesket at `path`, else the `hesket` script beside this Python, else `python -m hesket_cli`."""
        if path is None:
            script = Path(sys.executable).parent / ("hesket.exe" if os.name == "nt" else "hesket")
            if not script.exists():
                return cls(label, (sys.executable, "-m", "hesket_cli"), sys.executable)
        else:
            script = Path(path).resolve()
            if not script.exists():
                raise SystemExit(f"--hesket: {path}: no such file; give the path of an installed hesket script")
        return cls(label, (str(script),), _interpreter_of(script))

    def policy_file(self) -> Path:
        """The policy file this hesket uses by default (`hesket policy path`)."""
        env = {k: v for k, v in os.environ.items() if k not in _INHERITED}
        found = subprocess.run([*self.command, "policy", "path"], check=False, env=env, capture_output=True, text=True)
        if found.returncode != 0:
            raise SystemExit(f"{' '.join(self.command)} policy path failed: {found.stderr.strip()}")
        return Path(found.stdout.strip())

    def has(self, words: Sequence[str], env: dict[str, str]) -> bool:
        """Whether this hesket has the (sub)command `words` (its --help exits 0)."""
        if not words:
            return True
        return subprocess.run([*self.command, *words, "--help"], check=False, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0


def _interpreter_of(script: Path) -> str:
    """The Python a console script runs on, from its #! line (this Python if there is none)."""
    try:
        first = script.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        words = first[2:].strip().split()
        if words and Path(words[0]).name.startswith("python"):
            return words[0]
    return sys.executable


class Sandbox:
    """A temporary folder holding everything a benchmark run writes; removed by close()."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hesket-bench-"))
        self.config = self.root / "config.toml"
        self.config.write_text('name = "Benchmark Recorder"\n', encoding="utf-8")
        for name in ("xdg-cache", "xdg-data", "xdg-config", "out"):
            (self.root / name).mkdir()

    def cache_dir(self, hesket: Hesket, cases: Path) -> Path:
        """The cache folder one hesket uses for one cases folder (its index lives there)."""
        folder = self.root / f"cache-{hesket.label}-{cases.name}"
        folder.mkdir(exist_ok=True)
        return folder

    def env(self, hesket: Hesket, cases: Path) -> dict[str, str]:
        """The environment for running `hesket` on `cases`: nothing of the user's leaks in."""
        env = {k: v for k, v in os.environ.items() if k not in _INHERITED}
        env.update({
            "HESKET_CASES_DIR": str(cases),
            "HESKET_CACHE_DIR": str(self.cache_dir(hesket, cases)),
            "HESKET_CONFIG": str(self.config),
            "XDG_CACHE_HOME": str(self.root / "xdg-cache"),
            "XDG_DATA_HOME": str(self.root / "xdg-data"),
            "XDG_CONFIG_HOME": str(self.root / "xdg-config"),
            "PAGER": "cat",  # a pager waiting for a key would stop the clock forever
            "TERM": env.get("TERM") or "xterm-256color",
        })
        return env

    def out(self, name: str) -> Path:
        """A file for a command's output."""
        return self.root / "out" / name

    def strays(self) -> list[str]:
        """Files hesket wrote outside HESKET_CACHE_DIR / HESKET_CASES_DIR (into the XDG folders): worth reporting."""
        found = []
        for name in ("xdg-cache", "xdg-data", "xdg-config"):
            found += [str(p.relative_to(self.root)) for p in (self.root / name).rglob("*") if p.is_file()]
        return found

    def close(self) -> None:
        """Remove everything written during the run."""
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Outcome:
    """One timed run: wall-clock seconds, the child's peak memory (None where unknown), its exit code."""

    seconds: float
    peak_mb: float | None
    code: int


def run(command: Sequence[str], env: dict[str, str], *, tty: bool = False, stdout: Path | None = None,
        expect: Sequence[int] = (0,)) -> Outcome:
    """Run `command` once as a user would, timing it and measuring its peak memory.

    tty: in a pseudo-terminal of PTY_COLUMNS x PTY_LINES (Skip where there is none); its output is
    thrown away unless `stdout` names a file to keep it in.
    stdout: write standard output to this file (else it is thrown away).
    RunFailed if the exit code is not in `expect`.
    """
    if tty:
        return _run_in_pty(command, env, expect, stdout)
    with tempfile.TemporaryFile() as errors:
        out = open(stdout, "wb") if stdout is not None else None  # noqa: SIM115 - closed below
        try:
            start = time.perf_counter()
            child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                     stdout=out or subprocess.DEVNULL, stderr=errors)
            code, peak = _reap(child)
            seconds = time.perf_counter() - start
        finally:
            if out is not None:
                out.close()
        if code not in expect:
            errors.seek(0)
            raise RunFailed(f"{' '.join(command)} exited {code}: {errors.read().decode('utf-8', 'replace')[-800:]}")
    return Outcome(seconds, peak, code)


def _reap(child: subprocess.Popen[bytes]) -> tuple[int, float | None]:
    """Wait for the child; its exit code and peak memory in MB (from wait4's rusage, where there is one)."""
    if not POSIX:
        return child.wait(timeout=RUN_TIMEOUT), None
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # what a child that stayed smaller reports
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = code = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux kilobytes
    return code, usage.ru_maxrss / scale if usage.ru_maxrss > own else None


def _run_in_pty(command: Sequence[str], env: dict[str, str], expect: Sequence[int], keep: Path | None) -> Outcome:
    if not POSIX:
        raise Skip("needs a pseudo-terminal (POSIX only)")
    import fcntl
    import select
    import struct
    import termios

    env = {**env, "COLUMNS": str(PTY_COLUMNS), "LINES": str(PTY_LINES)}
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", PTY_LINES, PTY_COLUMNS, 0, 0))
    tail = b""
    kept = open(keep, "wb") if keep is not None else None  # noqa: SIM115 - closed below
    try:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        slave = -1
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            tail = (tail + chunk)[-2000:]
            if kept is not None:
                kept.write(chunk)
        else:
            child.kill()
        code, peak = _reap(child)
        seconds = time.perf_counter() - start
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
        if kept is not None:
            kept.close()
    if code not in expect:
        raise RunFailed(f"{' '.join(command)} exited {code}: {tail.decode('utf-8', 'replace')[-800:]}")
    return Outcome(seconds, peak, code)


@dataclass
class Trial:
    """Something to time: `prepare` (untimed, e.g. touch files or delete the index), then `measure`."""

    measure: Callable[[], Outcome]
    prepare: Callable[[], None] = lambda: None


@dataclass
class Series:
    """Every run of one contender: its times, its ratios to the baseline run just before it, its peaks."""

    seconds: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    skipped: str | None = None

    @property
    def median(self) -> float:
        """The median time, in seconds."""
        return statistics.median(self.seconds)

    @property
    def ratio(self) -> float:
        """The median of the pair-by-pair ratios."""
        return statistics.median(self.ratios)

    @property
    def peak_mb(self) -> float | None:
        """The highest peak memory seen, in MB."""
        return max(self.peaks) if self.peaks else None


def interleave(baseline: Trial, contenders: Sequence[Trial | None], runs: int, *, warm_up: bool = True,
               warm_up_baseline: bool | None = None) -> tuple[Series, list[Series]]:
    """Time the baseline and each contender alternately, `runs` rounds: A B1 B2, A B2 B1, ...

    Each contender's ratio is taken against the baseline run of its own round;
    the contenders' order rotates each round, so none always runs right
    after A. A None contender (not available) is skipped. Unless told not to,
    one untimed run of each comes first, so every run starts from the same
    warm file cache (`warm_up_baseline` defaults to `warm_up`).
    """
    base = Series()
    results = [Series() if c is not None else Series(skipped="n/a") for c in contenders]
    live = [i for i, c in enumerate(contenders) if c is not None]
    try:
        if warm_up if warm_up_baseline is None else warm_up_baseline:
            baseline.prepare()
            baseline.measure()
        if warm_up:
            for i in live:
                _run_trial(contenders[i], results[i], warm=True)
        for round_number in range(runs):
            _round(baseline, contenders, results, live, base, round_number)
    except (Skip, RunFailed) as exc:  # the baseline itself could not run: nothing can be compared
        base.skipped = f"FAILED: baseline: {exc}"
        for series in results:
            series.skipped = series.skipped or "FAILED: baseline"
    return base, results


def _round(baseline: Trial, contenders: Sequence[Trial | None], results: list[Series], live: list[int],
           base: Series, round_number: int) -> None:
    """One round: the baseline, then each contender in turn, the order rotated by the round's number."""
    baseline.prepare()
    a = baseline.measure()
    base.seconds.append(a.seconds)
    base.ratios.append(1.0)
    if a.peak_mb is not None:
        base.peaks.append(a.peak_mb)
    shift = round_number % max(len(live), 1)
    for i in live[shift:] + live[:shift]:
        outcome = _run_trial(contenders[i], results[i], warm=False)
        if outcome is not None:
            results[i].ratios.append(outcome.seconds / a.seconds)


def _run_trial(trial: Trial | None, series: Series, *, warm: bool) -> Outcome | None:
    if trial is None or series.skipped:
        return None
    try:
        trial.prepare()
        outcome = trial.measure()
    except (Skip, RunFailed) as exc:
        series.skipped = str(exc).splitlines()[0][:300] if isinstance(exc, Skip) else f"FAILED: {exc}"
        return None
    if not warm:
        series.seconds.append(outcome.seconds)
        if outcome.peak_mb is not None:
            series.peaks.append(outcome.peak_mb)
    return outcome


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right_from: int = 1) -> None:
    """Print rows as an aligned plain-text table (columns from `right_from` on are right-aligned)."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) if i < right_from else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=False))).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    sys.stdout.flush()


def fmt_seconds(seconds: float) -> str:
    """A time as people read it: milliseconds under a second, else seconds."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


PEAK_LEGEND = "peak -: not measured (no wait4), or no larger than this script, whose size Linux reports for it"


def fmt_mb(peak: float | None) -> str:
    """A peak memory figure, or a dash where it could not be measured (PEAK_LEGEND)."""
    return "-" if peak is None else f"{peak:.0f} MB"
