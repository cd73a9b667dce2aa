"""cli.py: the `hesket` command line; parses, calls the core, renders. Thin.

This is the one place where errors are caught: a HesketError becomes one
`Error:` line on stderr and its documented exit code; anything unexpected
becomes one line and exit 1 (`--debug` shows the traceback, never with local
variables, which may hold pupils' or parents' details). Decisions about the
policy are never made here: they belong to the engine.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import ExitCode, HesketError, InvalidInput, Refused, UsageError

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  unexpected failure (run again with --debug to see why)
  2  wrong usage (unknown option, missing argument)
  3  invalid input or data (answers file, policy file, case file)
  4  no such case
  5  refused by the policy
  6  review --check: some open case needs attention
"""


class Settings:
    """Options given before the command, shared by every command.

    A plain class, not a dataclass: generating a dataclass's methods costs
    milliseconds at every start, and this module is on every command's path.
    """

    def __init__(self, policy: Optional[str] = None, debug: bool = False, no_color: bool = False) -> None:
        self.policy = policy
        self.debug = debug
        self.no_color = no_color


class HesketGroup(TyperGroup):
    """The top-level group: catches every error once and turns it into one line and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except HesketError as exc:
            if _settings(ctx).debug:
                raise
            _error(exc.message)
            for line in exc.details if len(exc.details) > 1 else ():
                _error(line)
            raise typer.Exit(int(exc.exit_code)) from None
        except Exception as exc:
            if _settings(ctx).debug:
                raise
            _error(f"unexpected failure ({type(exc).__name__}); nothing was changed by the failed step. "
                   "Run again with --debug to see the details")
            raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


def _settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Settings) else Settings()


def _error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def _write_json(document: Any) -> None:
    from .views import to_json

    sys.stdout.buffer.write(to_json(document).encode("utf-8"))
    sys.stdout.flush()


app = typer.Typer(
    cls=HesketGroup,
    name="hesket",
    help=(
        "hesket: the school's policy on parental use of social networking sites, as a tool.\n\n"
        "Triage a post against the policy, keep each case's history, and see the next step "
        "the policy permits, in the policy's own words. Case files stay on this computer."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  hesket triage --answers examples/complaint-wrong-channel.toml\n"
        "  hesket case list\n"
        "  hesket case show 2026-0001\n"
        "  hesket review --check\n"
        "  hesket policy show\n\n" + EXIT_CODES_HELP
    ),
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
case_app = typer.Typer(
    help="Find a case again and see its assessment and history.",
    epilog="\b\nExamples:\n  hesket case list\n  hesket case list --status all --json\n  hesket case show 2026-0001",
    rich_markup_mode=None,
    no_args_is_help=True,
)
policy_app = typer.Typer(
    help="See, check or locate the policy file hesket uses.",
    epilog="\b\nExamples:\n  hesket policy show\n  hesket policy path\n  hesket policy check my-school-policy.toml",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(case_app, name="case")
app.add_typer(policy_app, name="policy")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hesket {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    policy: Optional[str] = typer.Option(
        None, "--policy", envvar="HESKET_POLICY", metavar="FILE",
        help="Use this policy file instead of the built-in one (also: HESKET_POLICY).",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an unexpected failure."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour in the output (also: NO_COLOR)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show hesket's version and exit."),
) -> None:
    """Options that apply to every command."""
    ctx.obj = Settings(policy=policy, debug=debug, no_color=no_color)


def _load_policy(ctx: typer.Context):
    from .policy import load_policy, policy_path

    return load_policy(policy_path(_settings(ctx).policy))


def _store():
    from .store import CaseStore, default_cases_dir

    return CaseStore(default_cases_dir())


def _console(ctx: typer.Context, *, plain: bool = False):
    from .render import make_console

    return make_console(no_color=_settings(ctx).no_color or plain)


def _case_document(case, policy) -> dict[str, Any]:
    from .engine import assess
    from .views import case_document

    return case_document(case, assess(policy, case.answers, case.events), policy)


@app.command()
def triage(
    ctx: typer.Context,
    answers: Optional[str] = typer.Option(
        None, "--answers", "-a", metavar="FILE",
        help="Answers file (TOML, or JSON of the same shape; - reads standard input). Without it, the questions are asked.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON (the contract in the README) and nothing else."),
    by: Optional[str] = typer.Option(None, "--by", metavar="NAME", help="Who is recording the case (default: the saved name, else your login's full name)."),
    template: bool = typer.Option(False, "--template", help="Print a commented answers file to fill in, and exit."),
    save_answers: Optional[str] = typer.Option(None, "--save-answers", metavar="FILE", help="Also write the answers given as a reusable answers file."),
    plain: bool = typer.Option(False, "--plain", help="Line-by-line questions without panels or colour (for screen readers)."),
    interview: bool = typer.Option(False, "--interview", help="Ask the questions even when standard input is not a terminal."),
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
      hesket triage --template > answers.toml
    """
    from .answers import parse_answers, read_answers_file

    policy = _load_policy(ctx)
    today = dt.date.today()
    if template:
        from .answers import template as make_template

        typer.echo(make_template(policy, today), nl=False)
        return
    recorder = _recorder(by) if by is not None else _default_recorder()
    if answers is not None:
        given = parse_answers(read_answers_file(answers), policy, today=today, source=answers)
    else:
        if not (interview or sys.stdin.isatty()):
            raise UsageError("standard input is not a terminal, so the questions cannot be asked; "
                             "give an answers file with --answers FILE (`hesket triage --template` prints one to fill in)")
        given = parse_answers(_interview(ctx, policy, today, recorder, plain), policy, today=today, source="the interview")
    if save_answers:
        _save_answers(save_answers, given)
    case = _save_new_case(policy, given, recorder, today)
    doc = _case_document(case, policy)
    if as_json:
        _write_json(doc)
        return
    from .render import show_assessment, show_case_header

    console = _console(ctx, plain=plain)
    show_case_header(console, doc, policy)
    show_assessment(console, doc)
    console.print()
    console.print(f"Saved as case {case.id}. See it again with: hesket case show {case.id}", markup=False)


def _interview(ctx: typer.Context, policy, today: dt.date, recorder: str, plain: bool) -> dict[str, Any]:
    """Run the interview; leaving it (q, Ctrl-D, Ctrl-C) saves nothing."""
    from .interview import Interview, Quit
    from .render import InterviewScreen

    screen = InterviewScreen(_console(ctx, plain=plain), plain=plain)
    try:
        return Interview(policy, screen, today=today, recorder=recorder).run()
    except (Quit, EOFError):
        typer.echo("\nStopped: nothing was saved.", err=True)
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        typer.echo("\nInterrupted: nothing was saved.", err=True)
        raise typer.Exit(130) from None


def _save_answers(path: str, given) -> None:
    """Write the answers as a TOML answers file that --answers accepts."""
    from pathlib import Path

    import tomli_w

    from .answers import answers_to_dict
    from .store import atomic_write

    text = "# Answers saved by `hesket triage --save-answers`; use with `hesket triage --answers FILE`.\n"
    text += tomli_w.dumps(answers_to_dict(given))
    target = Path(path)
    try:
        atomic_write(target, text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"--save-answers: cannot write {path}: {exc.strerror}; nothing was saved") from None


def _save_new_case(policy, given, recorder: str, today: dt.date):
    from .case import Case, PolicyRef

    created_at = _now()
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256)
    return _store().create(
        lambda case_id: _reassessed(
            Case(id=case_id, created_at=created_at, recorded_by=recorder, policy=ref, answers=given), policy),
        year=today.year,
    )


def _reassessed(case, policy):
    """The case stamped with the policy it is now assessed under and the next step that gave,
    so `review` can flag a case whose next step a later policy change has moved."""
    from dataclasses import replace

    from .case import PolicyRef
    from .engine import assess

    step = assess(policy, case.answers, case.events).next_step
    ref = PolicyRef(policy.header.title, policy.header.last_reviewed, policy.sha256, step.id if step else "none")
    return replace(case, policy=ref)


def _default_recorder() -> str:
    """The saved name (hesket config set name), else the login's full name."""
    from .config import load_config
    from .people import login_full_name

    return load_config().get("name") or login_full_name()


def _recorder(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("--by: the name is blank; give the name of the person recording, e.g. --by \"Mrs A Example\"")
    return cleaned


@case_app.command("show")
def case_show(
    ctx: typer.Context,
    case_id: str = typer.Argument(..., metavar="ID", help="The case id, like 2026-0001."),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON and nothing else."),
) -> None:
    """Show a case: what was seen, its assessment under the policy in use now, and its history.

    \b
    Examples:
      hesket case show 2026-0001
      hesket case show 2026-0001 --json
    """
    from .store import validate_case_id

    store = _store()
    case = store.load(validate_case_id(case_id))
    policy = _load_policy(ctx)
    doc = _case_document(case, policy)
    if as_json:
        _write_json(doc)
        return
    from .render import show_case

    show_case(_console(ctx), doc, policy)


_STATUSES = ("open", "closed", "all")


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    status: str = typer.Option("open", "--status", metavar="open|closed|all", help="Which cases to list.",
                               case_sensitive=False),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of cases (each as in case show --json)."),
) -> None:
    """List cases, newest first: id, date seen, platform, poster, verdict, next step, status.

    A case file that cannot be read is reported on standard error and the
    others are still listed.

    \b
    Examples:
      hesket case list
      hesket case list --status all
      hesket case list --json
    """
    import json

    wanted = status.lower()
    if wanted not in _STATUSES:
        raise typer.BadParameter(f"{status!r} is not one of open, closed, all", param_hint="--status")
    policy = _load_policy(ctx)

    def document(case):
        return case.status, _case_document(case, policy)

    tags = {"open", "closed"} if wanted == "all" else {wanted}
    text, errors = _store().listing("list", policy.sha256, document, tags)
    for error in errors:
        typer.echo(f"Warning: {error.message}", err=True)
    if as_json:
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
        return
    from .render import show_case_list

    show_case_list(_console(ctx), json.loads(text), policy)


def _event_date(text: Optional[str], observed_on: dt.date) -> dt.date:
    """The date an event happened: today unless given; never in the future or before the post was seen."""
    today = dt.date.today()
    if text is None:
        return today
    try:
        when = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--on: {text!r} is not a date; write it as YYYY-MM-DD, e.g. --on {today.isoformat()}") from None
    if when > today:
        raise InvalidInput(f"--on: {when.isoformat()} is in the future (today is {today.isoformat()}); "
                           "give the date it happened")
    if when < observed_on:
        raise InvalidInput(f"--on: {when.isoformat()} is before the post was seen ({observed_on.isoformat()}); "
                           "give the date it happened")
    return when


def _text_option(name: str, value: Optional[str]) -> Optional[str]:
    if value is not None and not value.strip():
        raise UsageError(f"{name}: the text is blank; leave {name} out or write something")
    return value


def _append_event(policy, case_id: str, make_event, *, check):
    """Append one event to a case under its lock; `check(policy, case)` may refuse first."""
    from dataclasses import replace

    from .store import validate_case_id

    validate_case_id(case_id)

    def change(case):
        check(policy, case)
        return _reassessed(replace(case, events=case.events + (make_event(case),)), policy)

    return _store().update(case_id, change)


def _refuse_if_closed(event: str):
    """A check that refuses `event` on a closed case, worded as case record words its refusals."""

    def check(case) -> None:
        if case.status == "closed":
            raise Refused(f"{event} is not permitted for case {case.id}: the case is closed; reopen it first "
                          f"with: hesket case record {case.id} reopen_case. Permitted now: reopen_case.")

    return check


def _show_recorded(ctx: typer.Context, case, policy, message: str, as_json: bool) -> None:
    doc = _case_document(case, policy)
    if as_json:
        _write_json(doc)
        return
    from .render import show_assessment

    console = _console(ctx)
    console.print(message, markup=False)
    show_assessment(console, doc, with_reasons=False)


@case_app.command("record")
def case_record(
    ctx: typer.Context,
    case_id: str = typer.Argument(..., metavar="ID", help="The case id, like 2026-0001."),
    event: str = typer.Argument(..., metavar="EVENT", help="A step of the policy, an outcome, close_case or reopen_case."),
    by: Optional[str] = typer.Option(None, "--by", metavar="NAME", help="Who did it (default: your login's full name)."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="What happened, in your words."),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help="The date it happened, YYYY-MM-DD (default: today)."),
    override: bool = typer.Option(False, "--override", help="Record a step the policy does not permit yet (needs --reason)."),
    reason: Optional[str] = typer.Option(None, "--reason", metavar="TEXT", help="Why the policy is being overridden (kept in the case)."),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON (the triage contract) and nothing else."),
) -> None:
    """Record what happened in a case: a step taken, an outcome, or closing and reopening it.

    A step the policy does not permit now is refused (exit 5) and nothing is
    written, unless overridden with --override --reason, which keeps the
    reason and who gave it. A closed case accepts only reopen_case.

    \b
    EVENT is one of:
      steps:    the policy's steps (hesket policy show lists them), e.g.
                discuss_and_request_removal, written_warning, contact_police
      outcomes: removed, refused, continued (after the discussion)
      case:     close_case, reopen_case

    \b
    Examples:
      hesket case record 2026-0001 discuss_and_request_removal --note "Phoned Mr Example"
      hesket case record 2026-0001 refused --on 2026-11-20
      hesket case record 2026-0001 written_warning --by "Mrs A Example"
      hesket case record 2026-0001 contact_police --override --reason "Head's decision after a second threat"
      hesket case record 2026-0001 close_case
    """
    from .case import Event
    from .engine import judge_event

    if override and (reason is None or not reason.strip()):
        raise UsageError("--override needs a reason: add --reason \"why the policy is being overridden\"")
    if reason is not None and not override:
        raise UsageError("--reason goes with --override; leave it out, or add --override")
    _text_option("--note", note)
    recorder = _recorder(by) if by is not None else _default_recorder()
    policy = _load_policy(ctx)
    policy_events = policy.event_ids
    if event not in policy_events:
        import difflib

        close = difflib.get_close_matches(event, policy_events, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(f"unknown event {event!r}; {hint}valid events: {', '.join(policy_events)}")
    overridden: list[str] = []

    def check(policy, case) -> None:
        refusal = judge_event(policy, case.answers, case.events, event)
        if refusal is None:
            return
        if override and case.status == "open":
            overridden.append(event)
            return
        yet = "yet " if refusal.yet else ""
        hint = "" if case.status == "closed" else " To record it anyway: --override --reason \"why\"."
        raise Refused(f"{event} is not permitted {yet}for case {case.id}: {refusal.reason}. "
                      f"Permitted now: {', '.join(refusal.permitted)}.{hint}")

    def make_event(case) -> Event:
        return Event(
            event=event, at=_now(), on=_event_date(on, case.answers.incident.observed_on), by=recorder,
            note=note, override_reason=reason if overridden else None,
        )

    case = _append_event(policy, case_id, make_event, check=check)
    if override and not overridden:
        typer.echo(f"Note: {event} is permitted now, so it was recorded without an override.", err=True)
    label = " (overriding the policy)" if overridden else ""
    _show_recorded(ctx, case, policy, f"Recorded {event} for case {case.id}{label}.", as_json)


@case_app.command("note")
def case_note(
    ctx: typer.Context,
    case_id: str = typer.Argument(..., metavar="ID", help="The case id, like 2026-0001."),
    text: str = typer.Argument(..., metavar="TEXT", help="The note."),
    by: Optional[str] = typer.Option(None, "--by", metavar="NAME", help="Who is writing it (default: your login's full name)."),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help="The date it refers to, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON and nothing else."),
) -> None:
    """Add a free note to a case's history (events are never edited: a note corrects a mistake).

    \b
    Examples:
      hesket case note 2026-0001 "Parent phoned back; meeting booked for Friday"
      hesket case note 2026-0001 "The warning letter was dated 21 November, not 20" --on 2026-11-21
    """
    from .case import NOTE, Event

    if not text.strip():
        raise UsageError("the note is blank; write what you want to record")
    recorder = _recorder(by) if by is not None else _default_recorder()

    def make_event(case) -> Event:
        return Event(event=NOTE, at=_now(), on=_event_date(on, case.answers.incident.observed_on), by=recorder, note=text)

    policy = _load_policy(ctx)
    case = _append_event(policy, case_id, make_event, check=lambda policy, case: _refuse_if_closed(NOTE)(case))
    _show_recorded(ctx, case, policy, f"Added a note to case {case.id}.", as_json)


@case_app.command("attach")
def case_attach(
    ctx: typer.Context,
    case_id: str = typer.Argument(..., metavar="ID", help="The case id, like 2026-0001."),
    files: list[str] = typer.Argument(..., metavar="FILE...", help="Screenshots, saved pages, PDFs."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="What the files show."),
    by: Optional[str] = typer.Option(None, "--by", metavar="NAME", help="Who is attaching them (default: your login's full name)."),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON and nothing else."),
) -> None:
    """Keep evidence with a case: copy each file into the case's folder and record its SHA-256.

    The copies are readable by you only. `hesket case verify` later checks
    that none has changed or gone missing.

    \b
    Examples:
      hesket case attach 2026-0001 screenshot.png
      hesket case attach 2026-0001 post.png comments.pdf --note "Taken before the post was deleted"
    """
    from dataclasses import replace
    from pathlib import Path

    from .case import EVIDENCE, Event
    from .store import validate_case_id

    validate_case_id(case_id)
    _text_option("--note", note)
    recorder = _recorder(by) if by is not None else _default_recorder()
    policy = _load_policy(ctx)
    store = _store()
    store.load(case_id)

    def record(case, attachments):
        at = _now()
        on = dt.date.today()
        added = tuple(Event(event=EVIDENCE, at=at, on=on, by=recorder, note=note, attachment=a) for a in attachments)
        return _reassessed(replace(case, events=case.events + added), policy)

    case = store.attach(case_id, [Path(f) for f in files], record, check=_refuse_if_closed(EVIDENCE))
    names = ", ".join(Path(f).name for f in files)
    _show_recorded(ctx, case, policy, f"Attached {names} to case {case.id}.", as_json)


@case_app.command("verify")
def case_verify(
    case_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="One case to check (default: every case)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Check that case files load and that no evidence is missing or changed (exit 3 if any is).

    \b
    Examples:
      hesket case verify
      hesket case verify 2026-0001
    """
    from .store import validate_case_id

    store = _store()
    ids = None
    if case_id is not None:
        validate_case_id(case_id)
        store.load(case_id)
        ids = [case_id]
    cases, attachments, problems = store.verify(ids)
    if as_json:
        _write_json({"cases": cases, "attachments": attachments, "problems": problems, "ok": not problems})
    else:
        for problem in problems:
            typer.echo(f"Problem: {problem}")
        typer.echo(f"Checked {cases} case{'s' if cases != 1 else ''} and {attachments} "
                   f"attachment{'s' if attachments != 1 else ''}: "
                   f"{'all as recorded' if not problems else f'{len(problems)} problem(s)'}.")
    if problems:
        raise InvalidInput(f"{len(problems)} problem(s) found; see above. Nothing was changed")


@app.command()
def review(
    ctx: typer.Context,
    status: Optional[str] = typer.Option(None, "--status", metavar="open|closed|all",
                                         help="Which cases (default: open; all with --summary)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Only cases seen on or after this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the rows as CSV."),
    check: bool = typer.Option(False, "--check", help="Exit 6 if any open case is urgent, overdue or flagged (for scheduled jobs)."),
    summary: bool = typer.Option(False, "--summary", help="Counts for a governors' report, with no names or details."),
    html: Optional[str] = typer.Option(None, "--html", metavar="FILE", help="With --summary: also write it as one printable HTML page."),
) -> None:
    """Review every case: what each needs next, most urgent first.

    Urgent cases (a threat of violence, the police permitted) come first,
    then overdue ones (by the school's settings in policy.toml [timings]),
    then flagged ones (overrides, unreadable case files, changed evidence,
    a policy change that moved the next step), then the rest. An unreadable
    case file is reported and the review goes on. With --check the exit
    code says whether anyone needs to look: 6 if so, 0 if not.

    \b
    Examples:
      hesket review
      hesket review --status all --csv > cases.csv
      hesket review --check || echo "cases need attention"
      hesket review --summary --since 2026-09-01 --html summary.html
    """
    import json

    from .review import review_record, review_row, sort_rows, summary as make_summary, unreadable_row
    from .views import review_document

    wanted = (status or ("all" if summary else "open")).lower()
    if wanted not in _STATUSES:
        raise typer.BadParameter(f"{status!r} is not one of open, closed, all", param_hint="--status")
    if as_json and as_csv:
        raise UsageError("--json and --csv cannot be used together; choose one")
    if html and not summary:
        raise UsageError("--html goes with --summary: hesket review --summary --html FILE")
    start = None
    if since is not None:
        try:
            start = dt.date.fromisoformat(since.strip())
        except ValueError:
            raise InvalidInput(f"--since: {since!r} is not a date; write it as YYYY-MM-DD") from None
    policy = _load_policy(ctx)
    store = _store()
    today = dt.date.today()
    quiet = as_json or as_csv
    if summary:
        cases = []
        for _, loaded in _with_progress(store.entries(), len(store.ids()), quiet=quiet):
            if isinstance(loaded, HesketError):
                typer.echo(f"Warning: {loaded.message}", err=True)
            elif wanted in ("all", loaded.status):
                cases.append(loaded)
        data = make_summary(policy, cases, since=start)
        if html:
            from .report import summary_html
            from .store import atomic_write
            from pathlib import Path

            try:
                atomic_write(Path(html), summary_html(data, policy, today).encode("utf-8"))
            except OSError as exc:
                raise InvalidInput(f"--html: cannot write {html}: {exc.strerror}") from None
        if as_json:
            _write_json(data)
        elif not as_csv:
            from .render import show_summary

            show_summary(_console(ctx), data, policy)
            if html:
                typer.echo(f"\nWrote {html}")
        return

    records = _with_progress(
        store.derived("review", policy.sha256, lambda case: (case.status, review_record(policy, case))),
        len(store.ids()), quiet=quiet)
    rows = []
    for case_id, tag, found in records:
        if tag is None:
            rows.append(unreadable_row(case_id, found.message))
            continue
        if wanted not in ("all", tag):
            continue
        record = json.loads(found)
        if start is not None and record["observed_on"] < start.isoformat():
            continue
        problems = store.evidence_problems(store.load(case_id)) if record["attachments"] else ()
        rows.append(review_row(record, policy, today, evidence_problems=problems))
    ordered = sort_rows(rows)
    docs = [review_document(r) for r in ordered]
    if as_json:
        _write_json(docs)
    elif as_csv:
        from .views import to_csv

        sys.stdout.buffer.write(to_csv(docs).encode("utf-8"))
        sys.stdout.flush()
    else:
        from .render import show_review

        show_review(_console(ctx), docs, policy)
    if check and any(r.needs_attention or r.status == "unreadable" for r in ordered):
        raise typer.Exit(int(ExitCode.ATTENTION))


def _with_progress(items, total: int, *, quiet: bool):
    """Show a progress bar on standard error for a long review at a terminal; never in --json or --csv."""
    if quiet or total < 500 or not sys.stderr.isatty():
        return items
    from rich.progress import track

    from .render import make_console

    return track(items, total=total, description="Reviewing cases", console=make_console(stderr=True),
                 transient=True)


config_app = typer.Typer(
    help="Your own settings, such as the name recorded on cases.",
    epilog="\b\nExamples:\n  hesket config set name \"Mrs A Example\"\n  hesket config get name",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


@config_app.command("set")
def config_set(
    key: str = typer.Argument(..., metavar="KEY", help="The setting: name."),
    value: str = typer.Argument(..., metavar="VALUE", help="Its value."),
) -> None:
    """Save a setting: `name` is recorded on the cases you triage and record (instead of your login's full name).

    \b
    Examples:
      hesket config set name "Mrs A Example"
    """
    from .config import check_key, load_config, save_config

    check_key(key)
    cleaned = _recorder(value) if key == "name" else value
    path = save_config({**load_config(), key: cleaned})
    typer.echo(f"Saved {key} = {cleaned!r} in {path}")


@config_app.command("get")
def config_get(key: str = typer.Argument(..., metavar="KEY", help="The setting: name.")) -> None:
    """Print a saved setting (nothing if it is not set).

    \b
    Examples:
      hesket config get name
    """
    from .config import check_key, load_config

    value = load_config().get(check_key(key))
    if value is not None:
        typer.echo(value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@policy_app.command("path")
def policy_path_command(ctx: typer.Context) -> None:
    """Print the path of the policy file in use.

    \b
    Examples:
      hesket policy path
      HESKET_POLICY=our-policy.toml hesket policy path
    """
    from .policy import policy_path

    typer.echo(str(policy_path(_settings(ctx).policy).resolve()))


@policy_app.command("show")
def policy_show(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the policy as JSON."),
) -> None:
    """Show the policy as hesket reads it: considerations, checklist and steps, with quotes.

    \b
    Examples:
      hesket policy show
      hesket --policy our-policy.toml policy show --json
    """
    policy = _load_policy(ctx)
    if as_json:
        from .views import policy_document

        _write_json(policy_document(policy))
        return
    from .render import show_policy

    show_policy(_console(ctx), policy)


@policy_app.command("check")
def policy_check(
    file: str = typer.Argument(..., metavar="FILE", help="The policy file to check."),
) -> None:
    """Check an edited policy file: every key, id and condition, and every quote.

    Each problem is reported with its place in the file. Where the file names
    its published text (`source` in [policy]), every policy_text must occur in
    it word for word.

    \b
    Examples:
      hesket policy check policy.toml
      hesket policy check our-school/policy.toml
    """
    from pathlib import Path

    from .errors import PolicyError
    from .policy import load_policy, unquoted

    policy = load_policy(file)
    source = policy.header.source
    checked_quotes = ""
    if source:
        source_path = Path(file).parent / source
        try:
            text = source_path.read_text(encoding="utf-8")
        except OSError:
            raise PolicyError(f"{file}: policy.source: cannot read {source_path}; "
                              "put the published policy text there or remove `source`") from None
        problems = [f"{file}: {line}" for line in unquoted(policy, text)]
        if problems:
            raise PolicyError(problems[0] if len(problems) == 1 else f"{file}: {len(problems)} quotes not found in {source}",
                              details=tuple(problems))
        checked_quotes = f", every quote found in {source}"
    typer.echo(
        f"{file}: OK: {len(policy.considerations)} considerations, {len(policy.checklist)} checklist items, "
        f"{len(policy.steps)} steps{checked_quotes}."
    )


def main() -> None:
    """The console script's entry point."""
    _build_only_what_is_asked(sys.argv[1:])
    app(prog_name="hesket")


_GLOBAL_OPTIONS_WITH_VALUE = {"--policy"}


def _build_only_what_is_asked(args: list[str]) -> None:
    """Register only the command being run, so Typer does not inspect all the others.

    Typer reads every command's signature at each start (measured: about
    8 ms of every run). When the command line names a command (and a
    subcommand) that exists, the others are left out; anything else (help,
    a typo) keeps them all, so help and "did you mean" work as usual.
    """
    typer_app = app
    rest = list(args)
    for _ in range(2):
        name = _first_word(rest)
        if name is None:
            return
        commands = [c for c in typer_app.registered_commands
                    if (c.name or c.callback.__name__.replace("_", "-")) == name]
        groups = [g for g in typer_app.registered_groups if g.name == name]
        if not commands and not groups:
            return
        typer_app.registered_commands[:] = commands
        typer_app.registered_groups[:] = groups
        if not groups:
            return
        typer_app = groups[0].typer_instance
        rest = rest[rest.index(name) + 1:]


def _first_word(args: list[str]) -> Optional[str]:
    """The first argument that is not an option (None if help is asked for before it)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-h", "--help"):
            return None
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


if __name__ == "__main__":
    main()
