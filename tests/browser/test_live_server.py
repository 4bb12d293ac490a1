"""The browser tests' server must not leave files open when a browser drops a connection."""

import gc
import socket
import struct

from tests.browser.conftest import serving

ASSET = "/static/pwa/js/activity-form.js"


def test_a_reset_connection_closes_the_body(app, recwarn):
    """A client that resets mid-request must not leave the static file for the collector."""
    with serving(app) as base:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(50):
            # Unread request bytes plus a zero linger make the close a reset, which werkzeug
            # meets while draining the request, before it would close the body.
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(f"GET {ASSET} HTTP/1.1\r\nHost: t\r\n\r\n".encode() + b"x" * 100_000)
            client.recv(1)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
    gc.collect()
    assert not [w for w in recwarn if issubclass(w.category, ResourceWarning)]
