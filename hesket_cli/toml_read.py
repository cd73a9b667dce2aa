"""toml_read.py: the TOML parser hesket reads every file with: compiled tomli where it is installed.

`review`, `case list` and `case verify` parse every case file when the
index cannot answer; tomli (the origin of the standard library's tomllib)
ships compiled wheels that parse about three times faster, and it starts
quicker too. Where no tomli is installed, the standard library's tomllib is
used: the same results, the same errors (TOMLDecodeError, a ValueError).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

loads: Callable[[str], dict[str, Any]]
DECODE_ERRORS: tuple[type[Exception], ...]
try:
    import tomli

    loads = tomli.loads
    DECODE_ERRORS = (tomli.TOMLDecodeError,)
except ImportError:  # pragma: no cover - tomli is a dependency, but hesket works without it
    import tomllib

    loads = tomllib.loads
    DECODE_ERRORS = (tomllib.TOMLDecodeError,)

# Everything that means "not a TOML file hesket can read": bad TOML, bad UTF-8, nested too deeply.
PARSE_ERRORS: tuple[type[Exception], ...] = (*DECODE_ERRORS, UnicodeDecodeError, RecursionError)
