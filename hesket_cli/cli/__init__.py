"""cli: the `hesket` command line: one module per command group, one error edge (app.py, edge.py).

A command reads its options, makes one call into the use-case layer
(casework), and hands the result to one output function that prints JSON,
CSV or a Rich view. Decisions about the policy are never made here.

The commonest reading commands are answered before Typer is loaded
(quick.py); every other goes through the full command line (app.py), which
is imported only then.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """The console script's entry point."""
    from .quick import answer

    code = answer(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .app import main as run

    run()

