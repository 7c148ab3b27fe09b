"""The web server of ``inleg sandbox serve``: Django's runserver with TCP_NODELAY on every connection.

Django's server writes a response's headers and body in two sends. With Nagle's algorithm on, the body then
waits for the client to acknowledge the headers, and a keep-alive client (httpx, the Loket client) delays that
acknowledgement by up to 40 ms: every request on a kept-alive connection took ~40 ms longer than its work.
"""

from __future__ import annotations

import socket
from typing import Any

from django.core.management.commands.runserver import Command as RunserverCommand
from django.core.servers.basehttp import WSGIServer


class NoDelayWSGIServer(WSGIServer):
    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class ServeCommand(RunserverCommand):
    """``runserver`` on the server above (threading and the rest as Django has them)."""

    server_cls = NoDelayWSGIServer
