"""config.py: the user's own settings (for now, the name recorded on cases).

Kept in the platform's per-user config folder (or HESKET_CONFIG), as TOML.
Only a few known keys are accepted, so a typo is caught at once.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .errors import InvalidInput, UsageError

ENV_CONFIG = "HESKET_CONFIG"
KEYS = {"name": "the name recorded on cases you triage or record (instead of your login's full name)"}


def config_path() -> Path:
    """HESKET_CONFIG if set, else config.toml in the user's config folder."""
    configured = os.environ.get(ENV_CONFIG)
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_config_path("hesket", appauthor=False) / "config.toml"


def load_config() -> dict[str, str]:
    """The saved settings ({} when there are none); a broken file is reported, not ignored."""
    path = config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
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
