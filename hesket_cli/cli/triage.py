"""cli/triage.py: `hesket triage`: the interview or an answers file, a new case, the next step."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..errors import UsageError
from . import output
from .app import settings
from .options import By, Json, moment, refuse_blank_path, retention, workspace

if TYPE_CHECKING:
    from rich.console import Console

    from ..answers import Answers
    from ..casework.common import CaseOutcome, Moment
    from ..workspace import Workspace

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket triage`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def triage(
    ctx: typer.Context,
    answers: Annotated[str | None, typer.Option(
        "--answers", "-a", metavar="FILE",
        help="Answers file (TOML, or JSON of the same shape; - reads standard input). "
             "Without it, the questions are asked.")] = None,
    as_json: Json = False,
    by: By = None,
    template: Annotated[bool, typer.Option("--template", help="Print a commented answers file to fill in, and exit.")]
    = False,
    save_answers: Annotated[str | None, typer.Option(
        "--save-answers", metavar="FILE", help="Also write the answers given as a reusable answers file.")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Line-by-line questions without panels or colour (for screen readers).")] = False,
    interview: Annotated[bool, typer.Option(
        "--interview", help="Ask the questions even when standard input is not a terminal.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Assess and show, saving nothing anywhere (to try a post, or an edited policy).")]
    = False,
    to_case: Annotated[str | None, typer.Option(
        "--case", metavar="ID", help="A later post by the same person: add it to their open case ID.")] = None,
) -> None:
    """Assess a post against the policy, save it as a new case, and show the next step.

    Without --answers, the policy's questions are asked one at a time: Enter
    accepts the answer in [brackets], ? shows the policy's words, b goes back,
    q quits without saving (Ctrl-C too: exit 130). A review screen lists
    every answer before anything is saved.

    \b
    Examples:
      hesket triage
      hesket triage --plain --save-answers post.toml
      hesket triage --answers examples/kind-post.toml
      hesket triage --answers examples/threat-of-violence.toml --json
      hesket triage --dry-run --answers examples/kind-post.toml
      hesket triage --case 2026-0004 --answers second-post.toml
      hesket --policy draft/policy.toml triage --dry-run --answers post.toml
      hesket triage --template > answers.toml
    """
    from ..casework import triage as use

    _refuse_combinations(template=template, answers=answers, save_answers=save_answers, as_json=as_json,
                         interview=interview, dry_run=dry_run, to_case=to_case)
    place = workspace(ctx, read_only=dry_run)
    now = moment()
    if template:
        output.write_bytes(use.template(place, now).encode("utf-8"))
        return
    if answers is not None:
        given = use.read_answers(place, answers, now)
    else:
        given = _interview(ctx, place, now, by, plain, interview)
        to_case = _confirm_unless_new(ctx, place, given, to_case, dry_run, plain)
    if to_case is not None:
        result = use.add_post(place, to_case, given, now, by=by)
    else:
        result = use.triage(place, given, now, by=by, save_answers_to=save_answers, dry_run=dry_run)
    show(ctx, result, as_json, plain)


def _refuse_combinations(*, template: bool, answers: str | None, save_answers: str | None, as_json: bool,
                         interview: bool, dry_run: bool, to_case: str | None) -> None:
    """Options that make no sense together are a usage error before any question is asked; so is a
    --save-answers file that is there already (it is never replaced: it may be someone's edited answers)."""
    refuse_blank_path("--answers", answers, "post.toml", "leave --answers out to be asked the questions")
    refuse_blank_path("--save-answers", save_answers, "post.toml")
    if template and (answers or save_answers or as_json or interview):
        raise UsageError("--template prints an answers file and saves nothing; use it alone: hesket triage --template")
    if interview and answers:
        raise UsageError("--interview asks the questions, --answers reads them from a file; choose one")
    if dry_run and (save_answers or to_case):
        raise UsageError("--dry-run saves nothing, so it cannot --save-answers or add to a --case; leave one out")
    if save_answers and to_case:
        raise UsageError("--save-answers goes with a new case; to add a post to --case, keep its answers file "
                         "and use --answers FILE")
    if save_answers:
        from ..casework.common import refuse_to_replace

        refuse_to_replace(Path(save_answers), "--save-answers")


def _confirm_unless_new(ctx: click.Context, place: Workspace, given: Answers, to_case: str | None, dry_run: bool,
                        plain: bool) -> str | None:
    """At the interview, a post that looks recorded already is saved only if the person says so; one by the
    poster of an open case may go into that case instead. The case to add it to (None: a new case)."""
    from ..casework.triage import cautions

    if dry_run:
        return to_case
    found = cautions(place, given, to_case=to_case)
    if not found.lines:
        return to_case
    for line in found.lines:
        output.message(f"Warning: {line}", err=True)
    if len(found.open_cases) == 1 and _yes(ctx, plain, f"Add this post to case {found.open_cases[0]} instead? [y/N]: "):
        return found.open_cases[0]
    if not _yes(ctx, plain, "Save it all the same? [y/N]: "):
        output.message("Stopped: nothing was saved.", err=True)
        raise typer.Exit(0)
    return to_case


def _yes(ctx: click.Context, plain: bool, question: str) -> bool:
    """Whether the person answers y or yes (Enter, anything else or the end of input: no)."""
    try:
        answer = output.console(settings(ctx), plain=plain).input(question, markup=False)
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _interview(ctx: click.Context, place: Workspace, now: Moment, by: str | None, plain: bool,
               forced: bool) -> Answers:
    """Run the interview; leaving it (q, Ctrl-D, Ctrl-C) saves nothing."""
    from ..casework import triage as use
    from ..casework.common import recorder
    from ..interview import Interview, Quit
    from ..render.interview import InterviewScreen

    if not (forced or sys.stdin.isatty()):
        raise UsageError("standard input is not a terminal, so the questions cannot be asked; "
                         "give an answers file with --answers FILE (`hesket triage --template` prints one to fill in)")
    policy = place.policy()
    who = recorder(by)
    screen = InterviewScreen(output.console(settings(ctx), plain=plain), plain=plain)
    try:
        data: dict[str, Any] = Interview(policy, screen, today=now.today, recorder=who).run()
    except (Quit, EOFError):
        output.message("\nStopped: nothing was saved.", err=True)
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        output.message("\nInterrupted: nothing was saved.", err=True)
        raise typer.Exit(130) from None
    return use.check_answers(place, data, now, "the interview")


def show(ctx: click.Context, result: CaseOutcome, as_json: bool, plain: bool) -> None:
    """The new case: JSON, or its header, assessment and where it was saved."""
    from ..views import case_document

    doc = case_document(result.case, result.assessment, result.policy, retention=retention(ctx))
    if not result.saved:
        doc = {**doc, "id": None, "saved": False}
    for line in result.notices:
        output.message(f"Warning: {line}", err=True)
    if result.notices:
        doc = {**doc, "warnings": list(result.notices)}  # only then: otherwise the document is case show's
    if as_json:
        output.write_json(doc)
        return
    from ..render import said
    from ..render.case import show_assessment, show_case_header

    def draw(console: Console) -> None:
        show_case_header(console, doc, result.policy)
        show_assessment(console, doc)
        console.print()
        console.print(said(result.message))

    output.show(settings(ctx), draw, plain=plain)
