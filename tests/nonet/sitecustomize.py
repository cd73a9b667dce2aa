"""Blocks network connections in every Python process the tests start.

Case files hold personal data: hesket must never open a network connection.
The test suite puts this folder on PYTHONPATH, so each `hesket` process it
runs (through CliRunner, subprocess or pexpect) fails loudly if any code
tries to reach a network address. Local (AF_UNIX) sockets stay allowed.
"""

import socket

_MESSAGE = "network access attempted during hesket tests"


class NetworkBlocked(RuntimeError):
    """Raised by any attempt to reach a network address under test."""


def block_network() -> None:
    """Replace the socket entry points that reach the network with ones that raise."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def _guard(sock) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkBlocked(_MESSAGE)

    def connect(self, address):
        _guard(self)
        return real_connect(self, address)

    def connect_ex(self, address):
        _guard(self)
        return real_connect_ex(self, address)

    def refuse(*args, **kwargs):
        raise NetworkBlocked(_MESSAGE)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.create_connection = refuse
    socket.getaddrinfo = refuse


block_network()
