"""casework/settings.py: a person's own settings, such as the name recorded on their cases."""

from __future__ import annotations

from pathlib import Path

from .common import clean_name


def set_setting(key: str, value: str) -> tuple[Path, str]:
    """Save a setting; returns where it was saved and the value as saved."""
    from ..config import check_key, load_config, save_config

    check_key(key)
    cleaned = clean_name(value, key, example="hesket config set name") if key == "name" else value
    return save_config({**load_config(), key: cleaned}), cleaned


def get_setting(key: str) -> str | None:
    """A saved setting, or None."""
    from ..config import check_key, load_config

    return load_config().get(check_key(key))
