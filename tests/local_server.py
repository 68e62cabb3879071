"""A threaded HTTP server on 127.0.0.1 for tests: webhook receivers, purge targets."""

import threading
from http.server import ThreadingHTTPServer


class LocalServer:
    """Serve ``handler`` on a free port of 127.0.0.1 while used as a context manager.

    ``port`` may name a port (a receiver started later on an address already configured).
    """

    def __init__(self, handler, *, port=0):
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self.location = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
