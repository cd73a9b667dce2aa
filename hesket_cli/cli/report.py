"""cli/report.py: `hesket report ID`: the pack for reporting a case's post to the site it is on."""

from __future__ import annotations

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from . import output
from .options import CaseId, Json, workspace

app = typer.Typer(rich_markup_mode=None, add_completion=False)


def command(name: str) -> click.Command:
    """The click command `hesket report`."""
    built = typer.main.get_command(app)
    built.name = name
    return built


@app.command()
def report(ctx: typer.Context, case_id: CaseId, as_json: Json = False) -> None:
    """The pack for reporting a case's post to the site: the route that fits, what its form asks, a factual
    summary to paste in, and what to know before sending.

    The route fits the case's platform and the kinds of harm its ticked
    checklist items amount to (`harm` in the policy). Routes come from
    hesket's data file, each with its source and the date it was last
    checked, or from the workspace's own newer copy (platforms.toml in the
    workspace). The summary holds the post's address, account, posting time
    and exact words as captured (`case capture`), never the staff summary or
    notes; each child's name recorded with the case (`case redact`) is shown
    as [child's name removed], and while none is, a warning says so. A report
    may be shown to the person reported. Record the step with the
    platform's reference number once it is sent.

    \b
    Examples:
      hesket report 2026-0001
      hesket report 2026-0001 --json
      hesket case record 2026-0001 contact_provider --ref "FB-123456"
    """
    from ..casework.report import report_for
    from ..platform_report import report_document, report_text

    pack = report_for(workspace(ctx, read_only=True), case_id)
    if as_json:
        from ..views import CONTRACT

        output.write_json({"contract": CONTRACT, **report_document(pack)})
        return
    output.message(report_text(pack).rstrip("\n"))
