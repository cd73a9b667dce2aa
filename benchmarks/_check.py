"""Ask an installed hesket whether a generated folder holds its own files.

Its one job: the `--check` of benchmarks/cases.py. It runs `hesket case
verify` (every case loads, every evidence hash matches) and, with that
hesket's own Python, reads each file with hesket's code: the bytes must be
exactly what hesket would write for that case, the recorded next step what
the engine says, and every event one the engine accepts at that point. It
only reads the folder; it changes nothing and writes only a temporary cache.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_CHECK = r"""
import sys, tomllib, tomli_w
from pathlib import Path
from hesket_cli.case_data import case_from_dict, case_to_dict
from hesket_cli.engine import assess
from hesket_cli.refusals import judge_event
from hesket_cli.policy_file import load_policy, default_policy_path
policy = load_policy(default_policy_path())
bad = 0
for path in sorted(Path(sys.argv[1]).glob("*/case.toml")):
    raw = path.read_bytes()
    case = case_from_dict(tomllib.loads(raw.decode()))
    problems = []
    if tomli_w.dumps(case_to_dict(case)).encode() != raw:
        problems.append("not byte for byte what hesket writes")
    step = assess(policy, case.answers, case.events).next_step
    if (step.id if step else "none") != case.policy.next_step:
        problems.append(f"next step {case.policy.next_step}, hesket says {step.id if step else 'none'}")
    for i, event in enumerate(case.events):
        if event.event in ("note", "evidence"):
            if case.events[:i] and assess(policy, case.answers, case.events[:i]).status == "closed":
                problems.append(f"{event.event} on a closed case")
        elif judge_event(policy, case.answers, case.events[:i], event.event) is not None:
            problems.append(f"event {i} ({event.event}) would be refused")
    if problems:
        bad += 1
        print(path, "; ".join(problems))
print(f"checked: {bad} problem case(s)")
sys.exit(1 if bad else 0)
"""


def check_folder(root: Path, hesket: Sequence[str], python: str) -> bool:
    """Ask the installed hesket whether these are its own files: byte for byte, next step, every event permitted."""
    env = {**os.environ, "HESKET_CASES_DIR": str(root)}
    env.pop("HESKET_POLICY", None)
    with tempfile.TemporaryDirectory(prefix="hesket-bench-check-") as cache:
        env["HESKET_CACHE_DIR"] = cache
        verify = subprocess.run([*hesket, "case", "verify"], check=False, env=env, capture_output=True, text=True)
        print(verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else verify.stderr.strip())
        internal = subprocess.run([python, "-c", _CHECK, str(root)], check=False, env=env, capture_output=True,
                                  text=True)
    print(internal.stdout.strip() or internal.stderr.strip().splitlines()[-1])
    return verify.returncode == 0 and internal.returncode == 0
