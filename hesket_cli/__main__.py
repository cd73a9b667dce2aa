"""Lets `python -m hesket_cli` run hesket where the console script is not on PATH."""

from .cli import main

main()
