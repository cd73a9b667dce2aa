"""cli/case_evidence.py: `hesket case attach | capture | redact | verify | export`: evidence kept with a case, the
names kept out of its letters and report packs, checking it all, and a sealed bundle for a solicitor or the police."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..describe import plural
from ..errors import InvalidInput, UsageError
from . import output
from .case import app
from .case_history import show_recorded
from .options import By, CaseId, Json, WholeNumber, moment, workspace

if TYPE_CHECKING:
    from ..casework.verify import Verification


# The largest evidence file `attach` and `capture` accept.
MaxSize = Annotated[int | None, typer.Option(
    "--max-size", metavar="MB", click_type=WholeNumber("a whole number of megabytes"),
    help="The largest file to accept, in whole MB, 1 or more (default: the workspace's evidence.max_mb, else 100).")]


@app.command("attach")
def case_attach(
    ctx: typer.Context,
    case_id: CaseId,
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Screenshots, saved pages, PDFs.", show_default=False)],
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="What the files show.")] = None,
    by: By = None,
    max_size: MaxSize = None,
    as_json: Json = False,
) -> None:
    """Keep evidence with a case: copy each file into the case's folder and record its SHA-256.

    The copies are readable by you only. `hesket case verify` later checks
    that none has changed or gone missing. Only regular files are accepted,
    each at most 100 MB unless --max-size says more.

    \b
    Examples:
      hesket case attach 2026-0001 screenshot.png
      hesket case attach 2026-0001 post.png comments.pdf \\
          --note "Taken before the post was deleted"
    """
    from ..casework.history import attach_evidence

    result = attach_evidence(workspace(ctx), case_id, files, moment(), by=by, note=note, max_mb=max_size)
    show_recorded(ctx, result, as_json)


@app.command("capture")
def case_capture(
    ctx: typer.Context,
    case_id: CaseId,
    url: Annotated[str, typer.Option(
        "--url", metavar="URL", help="The post's address (http:// or https://), as the browser shows it.",
        show_default=False)],
    files: Annotated[list[str] | None, typer.Argument(
        metavar="[FILE...]", help="Screenshots or saved pages of the post.", show_default=False)] = None,
    account: Annotated[str | None, typer.Option(
        "--account", metavar="HANDLE", help="The account that posted it, as the site shows it.")] = None,
    posted_at: Annotated[str | None, typer.Option(
        "--posted-at", metavar="WHEN",
        help="When it was posted, as the site shows it: YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time).")] = None,
    text: Annotated[str | None, typer.Option(
        "--text", metavar="TEXT", help="The post's exact words, typed or pasted, every word and mark as posted.")]
    = None,
    redact: Annotated[list[str] | None, typer.Option(
        "--redact", metavar="NAME",
        help="A child's name (or any words) in the post to leave out of letters and report packs; once per name.",
        show_default=False)] = None,
    by: By = None,
    max_size: MaxSize = None,
    as_json: Json = False,
) -> None:
    """Capture a post as evidence: its address, the account, when it was posted, its exact words, and files.

    One `capture` event keeps what a solicitor, the platform or the police
    ask for first, with who captured it and when. The address is checked
    and never opened (hesket never uses the network). Each file is copied
    with its SHA-256, as `case attach` does. Letters and the platform
    report quote the exact words of the latest capture, never the summary,
    with each name given with --redact (or later with `case redact`) shown
    as [child's name removed]; the case keeps the words as posted.

    \b
    Examples:
      hesket case capture 2026-0001 \\
          --url https://www.facebook.com/groups/example/posts/1 \\
          --account "Pat Example" --posted-at 2026-11-17T21:04 \\
          --text "Does anyone else think Mr Example shouldn't be teaching?" \\
          screenshot.png
      hesket case capture 2026-0002 --url https://x.com/example/status/1 \\
          --text "Keep your kids away from Tommy Smith in 2B" \\
          --redact "Tommy Smith"
    """
    from ..casework.capture import capture_post

    result = capture_post(workspace(ctx), case_id, url, moment(), by=by, account=account, posted_at=posted_at,
                          text=text, files=files or (), max_mb=max_size, redact=redact or ())
    show_recorded(ctx, result, as_json)


@app.command("redact")
def case_redact(
    ctx: typer.Context,
    case_id: CaseId,
    names: Annotated[list[str], typer.Argument(
        metavar="NAME...", help="Each child's name (or any words) to leave out, as the post writes it.",
        show_default=False)],
    by: By = None,
    as_json: Json = False,
) -> None:
    """Keep children's names out of the case's letters and report packs: each is shown as [child's name removed].

    Letters and report packs quote the post exactly as captured; a letter
    or a report to a platform must never name a child. Each NAME is taken
    out wherever it stands in the post's words as a whole word, whatever
    its case, with any spaces or line breaks between its words (`Tom` is
    not taken out of `Tommy`); a nickname or a misspelling needs its own
    NAME. The names are recorded as one event in the case's history,
    sealed like every other; the case keeps the post's words as captured.
    A name no capture's words hold is kept, with a note (check its
    spelling). Open and closed cases accept it; a void case does not.

    \b
    Examples:
      hesket case redact 2026-0001 "Tommy Smith" "Ellie Jones"
      hesket case redact 2026-0001 Tommy --by "Mrs A Example"
    """
    from ..casework.capture import redact_names

    result = redact_names(workspace(ctx), case_id, names, moment(), by=by)
    show_recorded(ctx, result, as_json)


@app.command("verify")
def case_verify(
    ctx: typer.Context,
    case_id: Annotated[str | None, typer.Argument(
        metavar="[ID]", help="One case to check (default: every case).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Remove what killed commands left behind (listed first); never a case or its evidence.")]
    = False,
    head: Annotated[str | None, typer.Option(
        "--head", metavar="HASH",
        help="With ID: also check the case against a chain head written down earlier (from case show).")] = None,
) -> None:
    """Check that case files load, that each history still matches its hashes, that no evidence is missing
    or changed, and that nothing was left behind.

    Each event carries the SHA-256 of the history up to it: a note reworded,
    an event removed or moved, or an answer changed by hand is reported,
    naming the case, the event's number in the history (as case show numbers
    it) and its date. Events removed from the end show only against a head
    written down earlier (--head). Left behind by a command that was killed:
    a triage's unfinished copy of a case (a folder in .hesket/staging/, or a
    hidden .new-* folder from an earlier version) and an evidence copy no
    event names. Both hold personal data; --repair removes them. Exit 3 if
    anything is wrong.

    \b
    Examples:
      hesket case verify
      hesket case verify 2026-0001
      hesket case verify 2026-0001 --head HASH
      hesket case verify --repair
    """
    from ..casework.verify import verify

    result = verify(workspace(ctx), moment().today, case_id, repair=repair, head=head)
    if as_json:
        from ..views import verify_document

        output.write_json(verify_document(result))
    else:
        _show_verification(result)
    if not result.ok:
        raise InvalidInput("see the problems above; nothing was changed" if not result.removed else
                           "see the problems above; only the leftovers listed as removed were changed")


def _show_verification(result: Verification) -> None:
    for problem in result.problems:
        output.message(f"Problem: {problem}")
    for note in result.notes:
        output.message(f"Note: {note}")
    for path in result.leftovers:
        what = "removed" if path in result.removed else "left behind by a command that was stopped"
        output.message(f"Leftover: {path} ({what})")
    verdict = "all as recorded" if result.ok else plural(len(result.problems) + len(result.leftovers)
                                                         - len(result.removed), "problem")
    output.message(f"Checked {plural(result.cases, 'case')} and {plural(result.attachments, 'attachment')}: "
                   f"{verdict}.")


@app.command("export")
def case_export(
    ctx: typer.Context,
    case_id: CaseId,
    bundle: Annotated[str, typer.Option(
        "--bundle", metavar="FILE.zip",
        help="Where to write the bundle (a .zip, readable by you only). Never replaces a file.",
        show_default=False)],
    no_pdf: Annotated[bool, typer.Option(
        "--no-pdf", help="Leave out the PDF of the chronology (the HTML prints the same).")] = False,
    as_json: Json = False,
) -> None:
    """Write a case as one sealed file for a solicitor or the police: a zip to hand over or send.

    The bundle holds the case file as it is, every piece of evidence, a
    printable chronology with the policy's words for each step (HTML, and PDF
    where LibreOffice is installed), and a manifest listing each file with
    its SHA-256 and the case's chain head. Only a case that verifies is
    bundled (exit 3 otherwise, nothing written), and the bundle is checked
    once written. Anyone can check it later, without a workspace, with
    `hesket bundle verify FILE.zip`. It holds the case's personal data:
    send it securely.

    \b
    Examples:
      hesket case export 2026-0001 --bundle 2026-0001.zip
      hesket bundle verify 2026-0001.zip
    """
    from ..bundle import bundle_case
    from ..casework.common import refuse_to_replace
    from ..casework.exports import case_for_bundle
    from ..views import case_document

    target = Path(bundle)
    if target.suffix.lower() != ".zip":
        raise UsageError(f"--bundle: {bundle!r} is not a .zip; name the bundle FILE.zip")
    refuse_to_replace(target, "--bundle")
    place = workspace(ctx, read_only=True)
    source = case_for_bundle(place, case_id)
    result = source.outcome
    doc = case_document(result.case, result.assessment, result.policy, retention=place.retention())
    report = bundle_case(target, doc, case_file=source.case_file, evidence=source.evidence, quotes=source.quotes,
                         school=source.school, pdf=not no_pdf, created_at=moment().now, titles=source.titles)
    if as_json:
        from ..views import bundle_document

        output.write_json(bundle_document(report))
    else:
        names = [f.name for f in report.files]
        output.message(f"Wrote the bundle of case {result.case.id} to {target}: the case file, "
                       f"{plural(sum(n.startswith('evidence/') for n in names), 'piece')} of evidence, the chronology "
                       f"({'HTML and PDF' if 'chronology.pdf' in names else 'HTML'}) and the manifest.")
        output.message(f"Chain head: {report.chain_head or 'none (a case from before hesket sealed its histories)'}")
        output.message(f"Check it at any time with: hesket bundle verify {target}")
    if not report.ok:
        raise InvalidInput(f"{target}: the bundle just written does not verify: {report.problems[0]}")
