"""A small disk for the tests of writes the system refuses: a tmpfs of a given size, and filling it up.

Mounting needs root on Linux (CI runs as root); elsewhere each test using
it is skipped, saying why.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

NEEDS_ROOT = "needs root to mount a small tmpfs (CI runs as root)"


def mount_tmpfs(at: Path, size: str) -> None:
    """Make the folder `at` and mount a tmpfs of `size` (e.g. 256k) on it; skip the test where that cannot be."""
    if os.name == "nt" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip(NEEDS_ROOT)
    at.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(at)], capture_output=True)
    if done.returncode:
        pytest.skip(f"this machine cannot mount a tmpfs: {done.stderr.decode().strip()}")


def fill(mount: Path) -> None:
    """Write to a file on `mount` until the disk is full."""
    with open(mount / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
