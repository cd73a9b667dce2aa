"""quotes.py: a policy's quotes checked against its published text whenever the policy is used.

A policy that names its `source` must quote it word for word, or invented
words would be printed as the policy's. The check is quick, but a pair of
files that passed is remembered all the same (the SHA-256 of the policy and
of its source, in the user's cache folder), so start-up stays quick.
"""

from __future__ import annotations

from pathlib import Path

from .policy import Policy

SOURCE_LIMIT = 5 * 1024 * 1024


def check_quotes_once(policy: Policy, path: Path, *, remember: bool = True) -> None:
    """Refuse a policy whose quotes are not in its published text, checking each pair of files only once.

    A policy that names its `source` must quote it word for word, or invented
    words would be printed as the policy's. Checking costs little but is
    remembered all the same (the SHA-256 of the policy file and of its
    source, in the user's cache), so start-up stays quick.
    """
    import hashlib

    from .errors import PolicyError
    from .files import read_bounded

    if not policy.header.source:
        return
    source = path.parent / policy.header.source
    try:
        raw = read_bounded(source, SOURCE_LIMIT)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"{path}: policy.source: cannot read {source}; put the published policy text there "
                          "or remove `source`") from None
    key = f"{policy.sha256} {hashlib.sha256(raw).hexdigest()}"
    memory = _quotes_memory()
    if memory is not None and key in _remembered(memory):
        return
    from .policy_check import check_quotes

    # Typography folded (’ for ') is a warning `policy check` shows; only a quote whose words differ is refused.
    problems = [f"{path}: {p.place}: {p.message}" for p in check_quotes(policy, text) if p.severity == "error"]
    if problems:
        headline = problems[0] if len(problems) == 1 else f"{path}: {len(problems)} quotes not found in {source}"
        raise PolicyError(headline + "; check it with: hesket policy check " + str(path), details=tuple(problems))
    if memory is not None and remember:
        _remember(memory, key)


def _quotes_memory() -> Path | None:
    from .index import cache_folder

    return cache_folder() / "quotes-checked.txt"


def _remembered(memory: Path) -> set[str]:
    from .config import untrusted
    from .files import read_bounded

    if untrusted(memory) is not None:
        return set()
    try:
        return set(read_bounded(memory, 1024 * 1024).decode("utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return set()


def _remember(memory: Path, key: str) -> None:
    """Add a checked pair to the memory (best effort: a cache that cannot be written is no error)."""
    import contextlib

    from .files import atomic_write, make_folder

    with contextlib.suppress(OSError):
        make_folder(memory.parent)
        kept = sorted(_remembered(memory))[-200:]
        atomic_write(memory, ("\n".join([*kept, key]) + "\n").encode("utf-8"))
