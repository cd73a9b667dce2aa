"""cli/review.py: `hesket review`: every case's next step, most urgent first; the governors' summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..errors import ExitCode, InvalidInput, UsageError
from . import output
from .app import settings
from .options import Since, StatusName, moment, refuse_blank_path, status_option, typed_date, workspace

if TYPE_CHECKING:
    from ..casework.review import Review, Summary
    from ..workspace import Workspace

_T = TypeVar("_T")

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket review`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def review(
    ctx: typer.Context,
    status: Annotated[StatusName | None, status_option(
        "Which cases: open, closed or all (default: open; all with --summary).")] = None,
    since: Since = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the rows as CSV (UTF-8, exactly as in --json).")]
    = False,
    excel: Annotated[bool, typer.Option(
        "--excel", help="Print the rows as CSV for Excel: with a byte-order mark so accents and dashes show "
                        "rightly, and no cell Excel could run as a formula.")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 6 if any open case is urgent, overdue or flagged (for scheduled jobs).")] = False,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Counts for a governors' report, with no names or details.")] = False,
    html: Annotated[str | None, typer.Option(
        "--html", metavar="FILE",
        help="With --summary: also write it as one printable HTML page. Never replaces a file.")] = None,
) -> None:
    """Review every case: what each needs next, most urgent first.

    Urgent cases (a step permitted at once, such as the police for a threat
    of violence, or a step the policy marks urgent) come first, then overdue
    ones (by the school's settings in policy.toml [timings]), then flagged
    ones (overrides, unreadable case files, changed evidence, a policy change
    that moved the next step), then the rest. An unreadable case file is
    reported and the review goes on. With --check the exit code says whether
    anyone needs to look: 6 if so, 0 if not (with --summary too).

    \b
    Examples:
      hesket review
      hesket review --status all --csv > cases.csv
      hesket review --status all --excel > cases.csv
      hesket review --check || echo "cases need attention"
      hesket review --summary --since 01/09/2026 --html summary.html
    """
    _refuse_combinations(as_json=as_json, as_csv=as_csv, excel=excel, summary=summary, html=html)
    now = moment()
    start = typed_date("--since", since, now.today)
    place = workspace(ctx)
    quiet = as_json or as_csv or excel
    output.announce_trial(place, machine=quiet)
    if summary:
        from ..casework.review import summarise

        counts = summarise(place, (status or "all").lower(), start, _progress(quiet), today=now.today)
        show_summary(ctx, place, counts, as_json, html)
        if not check:
            return
    from ..casework.review import review_cases

    result = review_cases(place, (status or "open").lower(), start, now, _progress(quiet or summary))
    if not summary:
        show_review(ctx, place, result, as_json, "excel" if excel else "csv" if as_csv else None)
    if check and result.needs_attention:
        raise typer.Exit(int(ExitCode.ATTENTION))


def _refuse_combinations(*, as_json: bool, as_csv: bool, excel: bool, summary: bool, html: str | None) -> None:
    """Options that make no sense together are a usage error, never silently ignored; a page over a file
    already there is refused before anything is counted."""
    if as_csv and excel:
        raise UsageError("--csv and --excel cannot be used together; choose one (--excel is CSV for Excel)")
    csv_flag = "--excel" if excel else "--csv" if as_csv else None
    if as_json and csv_flag:
        raise UsageError(f"--json and {csv_flag} cannot be used together; choose one")
    refuse_blank_path("--html", html, "summary.html")
    if html and not summary:
        raise UsageError("--html goes with --summary: hesket review --summary --html FILE")
    if summary and csv_flag:
        raise UsageError(f"--summary has no CSV form; use --summary --json, or {csv_flag} without --summary")
    if html:
        from ..casework.common import refuse_to_replace

        refuse_to_replace(Path(html), "--html")


def _progress(quiet: bool) -> Callable[[Iterable[Any], Callable[[], int]], Iterable[Any]]:
    """A progress bar on standard error for a long review at a terminal; never in --json or --csv."""

    def wrap(items: Iterable[_T], count: Callable[[], int]) -> Iterable[_T]:
        if quiet or not sys.stderr.isatty():
            return items
        total = count()
        if total < 500:
            return items
        return _bar(items, total)

    return wrap


def _bar(items: Iterable[_T], total: int) -> Iterator[_T]:
    """The items, with a progress bar moved on every few hundred (moved on each, it costs more than the
    review of a warm index), gone when they are."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from ..render import make_console

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), TaskProgressColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=make_console(stderr=True), transient=True, refresh_per_second=4) as progress:
        task = progress.add_task("Reviewing cases", total=total)
        for n, item in enumerate(items, 1):
            yield item
            if not n % 500:
                progress.update(task, completed=n)
        progress.update(task, completed=total)


def show_review(ctx: click.Context, place: Workspace, result: Review, as_json: bool, csv_form: str | None) -> None:
    """The review's rows: JSON, CSV (`csv_form` "csv", or "excel" for Excel) or the Rich view (paged)."""
    from ..views import review_document

    output.warnings(result.warnings)
    docs = [review_document(r) for r in result.rows]
    if as_json:  # one row a line, as case list --json: a trust's review is tens of thousands of rows
        from ..views import json_array, json_line

        output.write_bytes(json_array([json_line(doc) for doc in docs]), form="json")
    elif csv_form:
        from ..views import to_csv

        output.write_bytes(to_csv(docs, excel=csv_form == "excel").encode("utf-8"), form="csv")
    else:
        from ..render.review import show_review as draw

        policy = place.policy()
        output.show(settings(ctx), lambda console: draw(console, docs, policy), page=True)


def show_summary(ctx: click.Context, place: Workspace, result: Summary, as_json: bool, html: str | None) -> None:
    """The governors' counts: JSON or the Rich view, and the HTML page when asked."""
    output.warnings(result.warnings)
    policy = place.policy()
    if html:
        from ..files import atomic_write
        from ..report import summary_html

        try:
            atomic_write(Path(html), summary_html(result.data, policy, moment().today, place.school).encode("utf-8"))
        except OSError as exc:
            raise InvalidInput(f"--html: cannot write {html}: {exc.strerror}; nothing was written") from None
    if as_json:
        from ..views import summary_document

        output.write_json(summary_document(result.data))
        return
    from ..render.review import show_summary as draw

    output.show(settings(ctx), lambda console: draw(console, result.data, policy), page=True)
    if html:
        output.message(f"\nWrote {html}")
