"""cli/bundle.py: `hesket bundle verify`: check a case bundle against its manifest, with no workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # Typer 0.28 carries its own Click

from ..describe import plural
from ..errors import InvalidInput
from . import output
from .app import CommandGroup
from .options import Json

app = typer.Typer(
    help="Sealed case bundles (made by hesket case export --bundle): check one, anywhere, with no workspace.",
    epilog="\b\nExamples:\n  hesket bundle verify 2026-0001.zip",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
)


def command(name: str) -> click.Command:
    """The click group `hesket bundle`, each command built when it is run."""
    return CommandGroup(app, name)


@app.command("verify")
def bundle_verify(
    bundle: Annotated[str, typer.Argument(metavar="FILE.zip", help="The bundle to check.", show_default=False)],
    as_json: Json = False,
) -> None:
    """Check a case bundle against its manifest: every file present, unchanged, and nothing added.

    Needs no workspace and no copy of the school's cases: a solicitor, the
    police or a tribunal can run it on the bundle they were given. It checks
    each file's size and SHA-256 against the manifest, that nothing is in the
    zip that the manifest does not list, and that the case file's own chain
    of hashes and its evidence agree with the manifest. It reads the zip as
    it is and writes nothing. Exit 3 if anything does not match.

    \b
    Examples:
      hesket bundle verify 2026-0001.zip
      hesket bundle verify 2026-0001.zip --json
    """
    from ..bundle import verify_bundle

    report = verify_bundle(Path(bundle))
    if as_json:
        from ..views import bundle_document

        output.write_json(bundle_document(report))
    else:
        lines = [f"Bundle: {report.path}"]
        if report.case_id:
            lines.append(f"Case {report.case_id}, bundled {report.created_at or 'at an unknown time'}")
            lines.append(f"Chain head: {report.chain_head or 'none (a case from before hesket sealed its histories)'}")
        if report.manifest_sha256:
            lines.append(f"Manifest SHA-256: {report.manifest_sha256}")
        lines += [f"  {f.name}  {f.size} bytes  SHA-256 {f.sha256}" for f in report.files]
        lines += [f"Problem: {problem}" for problem in report.problems]
        lines.append(f"All {len(report.files)} files are as the manifest lists them." if report.ok
                     else f"{plural(len(report.problems), 'problem')}: this bundle is not as it was made.")
        output.message("\n".join(lines))
    if not report.ok:
        raise InvalidInput(f"{report.path}: the bundle does not match its manifest ({report.problems[0]})")
