"""The suite really runs with network connections blocked, here and in the processes it starts."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def test_network_connection_is_blocked_in_the_test_process():
    """A connection attempt from a test fails before it reaches the network."""
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_network_connection_is_blocked_in_child_processes():
    """A Python process started by a test inherits the guard through PYTHONPATH."""
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert 0 != result.returncode
    assert "network access attempted" in result.stderr
