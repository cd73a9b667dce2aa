"""cli/policy.py: `hesket policy ...`: see, check, import, adopt or locate the policy file hesket uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..errors import PolicyError
from . import output
from .app import CommandGroup, settings
from .options import Json, workspace

if TYPE_CHECKING:
    from ..casework.policies import PolicyCheck

app = typer.Typer(
    help="See, check, import or locate the policy file hesket uses.",
    epilog="\b\nExamples:\n  hesket policy show\n  hesket policy path\n  hesket policy check my-school-policy.toml\n"
           "  hesket policy import our-policy.docx --out our-policy",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket policy`, each command built when it is run."""
    return CommandGroup(app, name)


@app.command("path")
def policy_path_command(ctx: typer.Context) -> None:
    """Print the path of the policy file in use.

    \b
    Examples:
      hesket policy path
      HESKET_POLICY=our-policy.toml hesket policy path
    """
    output.message(str(workspace(ctx).policy_path.resolve()))


@app.command("show")
def policy_show(ctx: typer.Context, as_json: Json = False) -> None:
    """Show the policy as hesket reads it: considerations, checklist and steps, with quotes.

    \b
    Examples:
      hesket policy show
      hesket --policy our-policy.toml policy show --json
    """
    policy = workspace(ctx).policy()
    if as_json:
        from ..views import policy_document

        output.write_json(policy_document(policy))
        return
    from ..render.policy import show_policy

    output.show(settings(ctx), lambda console: show_policy(console, policy), page=True)


@app.command("check")
def policy_check(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The policy file to check.", show_default=False)],
    as_json: Json = False,
) -> None:
    """Check a policy file: every key, id, condition and quote, and steps that can never be permitted.

    Every problem is listed in one run, each with its place in the file,
    sorted by place. Where the file names its published text (`source` in
    [policy]), every policy_text must occur in it word for word; a quote
    that matches only once typography is folded (’ for ', – for -) is a
    warning. Errors exit 3; warnings alone exit 0.

    \b
    Examples:
      hesket policy check policy.toml
      hesket policy check our-school/policy.toml --json
    """
    from ..casework.policies import inspect_policy

    found = inspect_policy(file)
    if as_json:
        from ..policy_check import check_document

        output.write_json(check_document(file, found.source, list(found.problems),
                                         logic_checked=found.logic_checked, quotes_checked=found.quotes_checked))
    else:
        for problem in found.problems:
            output.message(found.line(problem))
    if found.errors:
        raise PolicyError(_failed(found))
    if not as_json:
        output.message(_passed(found))


def _failed(found: PolicyCheck) -> str:
    """The one Error line of a check that found errors."""
    from ..describe import plural

    warned = f" and {plural(len(found.warnings), 'warning')}" if found.warnings else ""
    later = "" if found.logic_checked else "; the steps' logic is checked once the file loads"
    return f"{found.file}: {plural(len(found.errors), 'error')}{warned}; fix each error and check again{later}"


def _passed(found: PolicyCheck) -> str:
    """The line saying a check passed, and what it covered."""
    from ..describe import plural

    policy = found.policy
    assert policy is not None  # no error, so the loader accepted it
    quotes = f", every quote found in {found.source}" if found.source else ", no published text named to quote"
    warned = f" with {plural(len(found.warnings), 'warning')}" if found.warnings else ""
    return (f"{found.file}: OK{warned}: {plural(len(policy.considerations), 'consideration')}, "
            f"{plural(len(policy.checklist), 'checklist item')}, {plural(len(policy.steps), 'step')}{quotes}.")


@app.command("import")
def policy_import(
    their_text: Annotated[str, typer.Argument(
        metavar="THEIR_TEXT", help="The school's published policy: .txt, .docx or .html.", show_default=False)],
    base: Annotated[str | None, typer.Option(
        "--base", metavar="FILE", help="The policy.toml to start from (default: the built-in policy).")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR", help="Where to write policy.toml and policy.txt (default: this folder).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a policy.toml or policy.txt already there.")] = False,
    as_json: Json = False,
) -> None:
    """Draft a school's own policy.toml from its published text, and say what a person must decide.

    Each quote of the base policy is found in the school's text (with the
    standard library's difflib) and replaced by the school's own words;
    what the school's policy does not have is removed from the draft, lines
    of its lists that match nothing are drafted as new items marked
    CONFIRM, and conditions naming a removed item are changed and listed.
    Writes DIR/policy.toml and DIR/policy.txt (DIR is made if missing;
    existing files are replaced only with --force). The draft then passes
    `policy check`, or each place it names is listed as a decision.

    \b
    Examples:
      hesket policy import our-policy.docx --out our-policy
      hesket policy import their-page.html --base policy.toml --out draft --force
      hesket policy check our-policy/policy.toml
    """
    from ..casework.policies import import_school_policy
    from ..errors import UsageError

    for option, value in (("--base", base), ("--out", out)):
        if value is not None and not value.strip():
            raise UsageError(f"{option}: the path is blank; give it, or leave {option} out")
    done = import_school_policy(their_text, base, out, force=force)
    if as_json:
        from ..policy_import_report import import_document

        output.write_json(import_document(done.result, [str(p) for p in done.written], done.base))
        return
    from ..policy_import_report import report_lines

    for line in report_lines(done.result):
        output.message(line)
    output.message(f"Wrote {done.written[0]} and {done.written[1]}. Next: read the lines marked CONFIRM or DECIDE, "
                   f"then: hesket policy check {done.written[0]}")


@app.command("adopt")
def policy_adopt(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The new policy.toml (its policy.txt beside it).",
                                        show_default=False)],
    school: Annotated[str | None, typer.Option(
        "--school", metavar="NAME",
        help="Adopt another school's policy: the workspace is now for the school NAME (its name in hesket.toml).")]
    = None,
) -> None:
    """Make FILE the workspace's policy, after checking it as `policy check` does; the old version is kept.

    Every version the workspace has used is kept by its SHA-256 (under
    policies/), so `case show ID --as-triaged` can still show a case under
    the words it was triaged under. `review` flags cases whose next step the
    new version moves. A policy of another school than the workspace's is
    refused unless --school names the school the workspace is now for:
    cases triaged under the old school's policy can then be shown, but no
    longer written to.

    \b
    Examples:
      hesket policy check reviewed-2026/policy.toml
      hesket policy adopt reviewed-2026/policy.toml
      hesket policy adopt our-policy/policy.toml --school "Example Primary School"
    """
    from ..casework.common import policy_named
    from ..casework.workspaces import adopt_policy

    named = None if school is None else _named_school(school)
    done = adopt_policy(workspace(ctx), file, named)
    previous, adopted = done.previous, done.adopted
    output.message(f"Adopted {file}: {adopted.header.title} ({adopted.header.school}), SHA-256 "
                   f"{adopted.sha256[:12]}...")
    if done.school_was is not None:
        output.message(f"The workspace is now {named}'s (it was {done.school_was}'s).")
    output.message(f"The previous version (SHA-256 {previous.sha256[:12]}...) is kept in the workspace's policies/ "
                   "folder; see cases whose next step moved with: hesket review")
    before, after = previous.header, adopted.header
    if (before.school, before.title) != (after.school, after.title):
        output.message(f"Cases triaged under {policy_named(before.school, before.title)} can still be shown "
                       "(hesket case show ID --as-triaged), but not written to under this policy.")


def _named_school(school: str) -> str:
    """--school's value, spaces tidied; blank is wrong usage."""
    from ..errors import UsageError

    name = " ".join(school.split())
    if not name:
        raise UsageError("--school: the school's name is blank; give it, e.g. --school \"Example Primary School\"")
    return name
