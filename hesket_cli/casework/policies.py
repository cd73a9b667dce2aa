"""casework/policies.py: see and check a policy file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PolicyError
from ..policy import Policy, unquoted


@dataclass(frozen=True)
class PolicyCheck:
    """A policy file that passed its check, and the source text its quotes were found in (if it names one)."""

    policy: Policy
    source: str | None


def check_policy(file: str) -> PolicyCheck:
    """Check a policy file: every key, id and condition, and every quote against its published text.

    Raises PolicyError listing every problem, each with its place in the file.
    """
    from ..files import read_bounded
    from ..policy_file import load_policy

    policy = load_policy(file)
    source = policy.header.source
    if not source:
        return PolicyCheck(policy, None)
    source_path = Path(file).parent / source
    try:
        text = read_bounded(source_path, 5 * 1024 * 1024).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"{file}: policy.source: cannot read {source_path}; "
                          "put the published policy text there or remove `source`") from None
    problems = [f"{file}: {line}" for line in unquoted(policy, text)]
    if problems:
        headline = problems[0] if len(problems) == 1 else f"{file}: {len(problems)} quotes not found in {source}"
        raise PolicyError(headline, details=tuple(problems))
    return PolicyCheck(policy, source)
