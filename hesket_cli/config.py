"""config.py: the user's own settings (for now, the name recorded on cases).

Kept in the platform's per-user config folder (or HESKET_CONFIG), as TOML.
Only a few known keys are accepted, so a typo is caught at once.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path

from .errors import HesketWarning, InvalidInput, UsageError
from .files import read_bounded
from .toml_read import PARSE_ERRORS
from .toml_read import loads as toml_loads

ENV_CONFIG = "HESKET_CONFIG"
KEYS = {"name": "the name recorded on cases you triage or record (instead of your login's full name)"}


def config_path() -> Path:
    """HESKET_CONFIG if set, else config.toml in the user's config folder."""
    configured = os.environ.get(ENV_CONFIG)
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_config_path("hesket", appauthor=False) / "config.toml"


def untrusted(path: Path) -> str | None:
    """Why a settings file must not be used (None if it may): another user could have written it."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if os.name != "nt":
        if info.st_uid != os.getuid():
            return "it belongs to another user"
        if info.st_mode & 0o022:
            return f"other users may change it (mode {stat.S_IMODE(info.st_mode):o}); fix with: chmod go-w {path}"
    return None


def load_config() -> dict[str, str]:
    """The saved settings ({} when there are none); a broken file is reported, not ignored.

    A settings file another user could have written is ignored, with a
    warning: the name it holds is recorded on cases.
    """
    path = config_path()
    problem = untrusted(path)
    if problem is not None:
        warnings.warn(f"{path}: not using these settings because {problem}", HesketWarning, stacklevel=2)
        return {}
    try:
        data = toml_loads(read_bounded(path, 64 * 1024).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the settings file ({exc.strerror}); fix or delete it") from None
    except PARSE_ERRORS as exc:
        raise InvalidInput(f"{path}: cannot read the settings file ({exc}); fix or delete it") from None
    return {k: v for k, v in data.items() if k in KEYS and isinstance(v, str)}


def check_key(key: str) -> str:
    """Refuse a setting hesket does not have."""
    if key not in KEYS:
        raise UsageError(f"unknown setting {key!r}; settings: {', '.join(KEYS)}")
    return key


def save_config(values: dict[str, str]) -> Path:
    """Write the settings atomically, readable by the owner only."""
    import tomli_w

    from .files import atomic_write, make_folder

    path = config_path()
    make_folder(path.parent)
    atomic_write(path, tomli_w.dumps(values).encode("utf-8"))
    return path
