"""casework/policies.py: check a policy file, and draft a school's own policy from its published text.

`policy check` must say everything wrong with a file in one run: the loader's
problems (unknown keys, bad conditions), the quotes not in the published
text, and the steps that can never be permitted, each with its place.
Warnings (a quote that matches only once typography is folded, a dead entry
in a list that can still hold) are reported and never fail a check. The
workspace's `init` and `policy adopt` use the same check and refuse a policy
with any error in it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HesketWarning, InvalidInput, PolicyError, WriteFailed
from ..policy import Policy
from ..policy_check import Problem

if TYPE_CHECKING:
    from ..policy_import import ImportResult

SOURCE_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class PolicyCheck:
    """Everything `policy check` found in a policy file, sorted by place.

    `policy` is None when the loader refused the file; the steps' logic can
    then not be checked (`logic_checked` is False), but the quotes still are.
    """

    file: str
    policy: Policy | None
    source: str | None
    problems: tuple[Problem, ...]
    logic_checked: bool
    quotes_checked: bool

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make the policy unusable."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems a school may decide to leave as they are."""
        return tuple(p for p in self.problems if p.severity != "error")

    def line(self, problem: Problem) -> str:
        """One problem as a person reads it: `FILE: place: error: message`."""
        where = f"{self.file}: {problem.place}" if problem.place else self.file
        return f"{where}: {problem.severity}: {problem.message}"


@dataclass(frozen=True)
class CheckedPolicy:
    """A policy file with no error in it (warnings allowed), and the source text its quotes were found in."""

    policy: Policy
    source: str | None
    warnings: tuple[Problem, ...]


def inspect_policy(file: str, given_with: str = "to `hesket policy check`") -> PolicyCheck:
    """Every problem of a policy file, of every kind, each with its place, sorted by place.

    Raises PolicyError only when there is nothing to check: the file is
    missing, unreadable, not UTF-8 or not TOML.
    """
    from ..policy_check import check_logic, check_quote_pairs, loader_problems, quotes_in_data, sort_problems
    from ..policy_file import read_policy_data, validate_policy

    data, sha256 = read_policy_data(file, given_with)
    policy, found = validate_policy(data, display=file, sha256=sha256)
    problems = loader_problems(found.found)
    source = _source_name(data)
    quotes_checked = False
    if source is not None:
        text, problem = _read_source(Path(file).parent / source)
        if problem is not None:
            problems.append(problem)
        else:
            problems += check_quote_pairs(quotes_in_data(data), text)
            quotes_checked = True
    if policy is not None:
        problems += check_logic(policy)
    return PolicyCheck(file, policy, source, tuple(sort_problems(problems)), policy is not None, quotes_checked)


def check_policy(file: str, given_with: str) -> CheckedPolicy:
    """The policy in a file, checked as `policy check` does; PolicyError listing every error if it has any.

    Each warning is shown (a HesketWarning) and does not stop it. `given_with`
    says what named the file ("with --base", "to `hesket policy adopt`"), for a missing one's fix.
    """
    found = inspect_policy(file, given_with)
    if found.errors or found.policy is None:
        lines = tuple(found.line(p) for p in found.errors)
        headline = lines[0] if len(lines) == 1 else (f"{file}: {len(lines)} problems; fix each and check again "
                                                     f"(hesket policy check {file})")
        raise PolicyError(headline, details=lines)
    for problem in found.warnings:
        warnings.warn(found.line(problem), HesketWarning, stacklevel=2)
    return CheckedPolicy(found.policy, found.source, found.warnings)


def _source_name(data: dict[str, object]) -> str | None:
    header = data.get("policy")
    source = header.get("source") if isinstance(header, dict) else None
    return source if isinstance(source, str) and source.strip() else None


def _read_source(path: Path) -> tuple[str, Problem | None]:
    """The published text a policy quotes, or the problem (at policy.source) of reading it."""
    from ..files import read_bounded

    try:
        return read_bounded(path, SOURCE_LIMIT).decode("utf-8"), None
    except UnicodeDecodeError:
        why = "it is not UTF-8 text; save it as UTF-8"
    except OSError as exc:
        why = f"{exc.strerror or 'it cannot be read'}; put the published policy text there or remove `source`"
    return "", Problem("policy.source", f"cannot read {path}: {why}", "error")


@dataclass(frozen=True)
class Imported:
    """A school's policy drafted from its published text: what was written where, and the import's findings."""

    result: ImportResult
    written: tuple[Path, ...]
    base: str


def import_school_policy(their_file: str, base_file: str | None, out: str | None, *, force: bool = False) -> Imported:
    """Draft DIR/policy.toml and DIR/policy.txt from a school's published policy (.txt, .docx or .html).

    The base policy (default: the built-in one) gives the draft its shape
    and its quotes to align. Nothing is written until everything has been
    read and aligned; existing files are refused without `force`; DIR is
    created (owner only) if missing, and each file is written atomically.
    """
    from ..files import atomic_write, make_folder
    from ..policy_file import default_policy_path
    from ..policy_import import draft_toml, import_policy
    from ..policy_read_text import read_policy_text

    folder = Path(out) if out else Path(".")
    targets = (folder / "policy.toml", folder / "policy.txt")
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"--out {folder}: is a file; give a folder for the draft's policy.toml and policy.txt")
    existing = [str(p) for p in targets if p.exists() or p.is_symlink()]
    if existing and not force:
        raise InvalidInput(f"{' and '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; nothing was "
                           "written (give another --out folder, or add --force to replace them)")
    their_text = read_policy_text(their_file)
    base = Path(base_file) if base_file else default_policy_path()
    result = import_policy(their_text, *_base(base))
    try:
        make_folder(folder)
        atomic_write(targets[1], _text_file(result.source_text))
        atomic_write(targets[0], draft_toml(result).encode("utf-8"))
    except OSError as exc:
        raise WriteFailed(f"cannot write the draft in {folder}: {exc.strerror or exc}") from None
    return Imported(result, targets, str(base))


def _base(base: Path) -> tuple[dict[str, Any], str]:
    """The base policy's data and the published text it quotes, checked; PolicyError (one line naming --base,
    each problem under it) if it cannot be a draft's start."""
    from ..policy_file import read_policy_data

    if not base.is_file():
        raise InvalidInput(f"--base {base}: no such policy file; give the policy.toml to start from, or leave --base "
                           "out to start from the built-in policy")
    try:
        base_policy = check_policy(str(base), "with --base").policy
    except PolicyError as exc:
        found = f"{len(exc.details)} problems, listed below" if len(exc.details) > 1 else exc.message
        raise PolicyError(f"--base {base}: not a policy the draft can start from ({found}); fix it (hesket policy "
                          f"check {base}), or leave --base out to start from the built-in policy",
                          details=exc.details) from None
    if not base_policy.header.source:
        raise PolicyError(f"--base {base}: names no published text (`source` in [policy]), so its quotes cannot be "
                          "aligned with yours; give a base policy that has one")
    base_data, _ = read_policy_data(base)
    base_text, problem = _read_source(base.parent / base_policy.header.source)
    if problem is not None:
        raise PolicyError(f"--base {base}: {problem.place}: {problem.message}")
    return base_data, base_text


def _text_file(text: str) -> bytes:
    """The school's text as policy.txt: UTF-8, ending with one line break."""
    return (text.rstrip("\n") + "\n").encode("utf-8")
