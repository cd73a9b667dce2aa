"""toml_read.py: the TOML parser used where many case files are read: compiled tomli where it is installed.

`review`, `case list` and `case verify` parse every case file when the
index cannot answer; tomli (the origin of the standard library's tomllib)
ships compiled wheels that parse about three times faster. Where only the
pure-Python build or no tomli is installed, the standard library's tomllib
is used: the same results, the same errors.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import Any

loads: Callable[[str], dict[str, Any]]
try:
    import tomli

    loads = tomli.loads
    DECODE_ERRORS: tuple[type[Exception], ...] = (tomllib.TOMLDecodeError, tomli.TOMLDecodeError)
except ImportError:  # pragma: no cover - tomli is a dependency, but hesket works without it
    loads = tomllib.loads
    DECODE_ERRORS = (tomllib.TOMLDecodeError,)
