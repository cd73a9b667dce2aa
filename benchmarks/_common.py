"""What the benchmark scripts share: how to run hesket and how to time a command."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def hesket_command() -> list[str]:
    """The installed `hesket` script beside this Python, else the package run as a module."""
    script = Path(sys.executable).parent / ("hesket.exe" if os.name == "nt" else "hesket")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hesket_cli"]


def median_seconds(command: list[str], runs: int, env: dict[str, str], *, warm_up: bool = True) -> float:
    """The median wall-clock time of `runs` runs of `command` (after one warm-up run)."""
    if warm_up:
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
