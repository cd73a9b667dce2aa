"""people.py: who is recording, when nobody says.

A case records who triaged it; by default that is the full name of the
person logged in to this computer, found without any network look-up.
"""

from __future__ import annotations

import getpass
import os
import sys


def login_full_name() -> str:
    """The logged-in user's full name where the system knows it, else the login name."""
    if os.name == "nt":
        name = _windows_display_name()
        if name:
            return name
    else:
        try:
            import pwd

            entry = pwd.getpwuid(os.getuid())
            full = entry.pw_gecos.split(",")[0].strip()
            if full:
                return full
            if entry.pw_name:
                return entry.pw_name
        except (ImportError, KeyError, OSError):
            pass
    try:
        return getpass.getuser()
    except Exception:  # getpass raises OSError or KeyError depending on the platform
        return "unknown"


def _windows_display_name() -> str | None:
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        size = ctypes.c_ulong(0)
        get_name = ctypes.windll.secur32.GetUserNameExW
        name_display = 3
        get_name(name_display, None, ctypes.byref(size))
        buffer = ctypes.create_unicode_buffer(size.value)
        if get_name(name_display, buffer, ctypes.byref(size)):
            return buffer.value.strip() or None
    except Exception:
        return None
    return None
