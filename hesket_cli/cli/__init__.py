"""cli: the `hesket` command line: one module per command group, one error edge (app.py).

A command reads its options, makes one call into the use-case layer
(casework), and hands the result to one output function that prints JSON,
CSV or a Rich view. Decisions about the policy are never made here.
"""

from .app import app, main

__all__ = ["app", "main"]
