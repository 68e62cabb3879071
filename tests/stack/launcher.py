"""Start the example project's production stack on real parts, for tests and the load test.

:class:`Stack` runs a Redis server (Debian's ``redis-server``) on 127.0.0.1, migrates and loads
the demo into a PostgreSQL database of its own (:func:`stack_database`), then starts
``WEB_PROCESSES`` gunicorn web processes and a ``db_worker`` (django-tasks-db), all with
``example_project.settings.production`` configured only through its environment. A purge
target (:class:`Recorder`) runs in the calling process. :class:`Browser` talks to one web
process as a load balancer would pass requests on.
"""

import hashlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.local_server import LocalServer
from tests.matrix import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_project"
WEB_PROCESSES = 3
SECRET = "stack-webhook-secret"
STARTUP_TIMEOUT = 90

#: The production settings, with retries short enough for a test, the demo loader allowed and
#: the render cache switched by ``STACK_RENDER_CACHE`` (for the load test's cold runs).
SETTINGS_MODULE = textwrap.dedent(
    """
    import os

    from example_project.settings.production import *  # noqa: F403

    WAGTAIL_ACUPUNCTURE = {
        **WAGTAIL_ACUPUNCTURE,  # noqa: F405
        "RENDER_CACHE": os.environ.get("STACK_RENDER_CACHE", "1") == "1",
        "WEBHOOK_TIMEOUT": 2,
        "WEBHOOK_RETRY_BACKOFF": 1,
        "WEBHOOK_RETRY_BACKOFF_MAX": 2,
        "WEBHOOK_MAX_RETRIES": 30,
        "PURGE_RETRY_BACKOFF": 1,
    }
    ACUPUNCTURE_DEMO_ENABLED = True
    """
)


def wait_for(condition, timeout, what):
    """The first true value of ``condition()``, polled for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


# --- Receivers --------------------------------------------------------------------------------


class Recorder(LocalServer):
    """Records every request (method, path, headers, body); answers 200."""

    def __init__(self, *, port=0):
        self.requests = []
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with recorder.lock:
                    recorder.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PURGE = _record

            def log_message(self, *args):
                pass

        super().__init__(Handler, port=port)

    def seen(self):
        with self.lock:
            return list(self.requests)


# --- HTTP to the web processes ----------------------------------------------------------------


class Browser:
    """A cookie-keeping HTTP client for one web process, as if behind a TLS load balancer.

    Every request names the site's ``host``, whichever process it goes to. The production
    settings mark cookies ``Secure`` and trust ``X-Forwarded-Proto``; the client sends that
    header (and an https ``Origin``) the way the proxy would.
    """

    def __init__(self, port, host):
        self.port = port
        self.host = host
        self.cookies = {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), content

    def get(self, path):
        return self.request("GET", path)

    def csrf_token(self, html):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, "no CSRF token in the form"
        return match.group(1)

    def log_in(self, username, password):
        status, _, html = self.get("/admin/login/")
        assert status == 200
        status, headers, _ = self.request(
            "POST",
            "/admin/login/",
            {
                "csrfmiddlewaretoken": self.csrf_token(html),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        assert status == 302, "the admin login failed"

    def bulk_publish(self, page_id):
        path = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
        status, _, html = self.get(path)
        assert status == 200, f"the bulk publish form answered {status}"
        status, headers, _ = self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token(html)})
        assert status == 302, f"the bulk publish answered {status}"


# --- The stack --------------------------------------------------------------------------------


class Stack:
    """Redis, a PostgreSQL database, the web processes and the task worker."""

    def __init__(self, workdir, database_url, redis_server):
        self.workdir = Path(workdir)
        self.processes = []
        self.logs = []
        self.redis_port = free_port()
        self.web_ports = [free_port() for _ in range(WEB_PROCESSES)]
        #: The site's address, as the load balancer in front of the processes passes it on.
        self.host = f"127.0.0.1:{self.web_ports[0]}"
        self.webhook_port = free_port()  # nothing listens here until the receiver comes up
        self.purges = Recorder()
        self.database_url = database_url
        self.redis_server = redis_server
        (self.workdir / "stack_settings.py").write_text(SETTINGS_MODULE)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "stack_settings",
            "PYTHONPATH": os.pathsep.join([str(self.workdir), str(EXAMPLE), str(ROOT)]),
            "DJANGO_SECRET_KEY": "stack-test-" + hashlib.sha256(os.urandom(16)).hexdigest(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "TASK_BACKEND": "database",
            "FRONTEND_CACHE_PURGE_URL": self.purges.location,
            "REVALIDATE_WEBHOOK_URL": f"http://127.0.0.1:{self.webhook_port}/api/revalidate",
            "REVALIDATE_WEBHOOK_SECRET": SECRET,
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, name, command, *, extra_env=None, **kwargs):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.logs.append(log)
        process = subprocess.Popen(
            command, env={**self.env, **(extra_env or {})}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            **kwargs,
        )  # fmt: skip
        self.processes.append((name, process))
        return process

    def manage(self, *args):
        """Run ``manage.py *args`` with the stack's settings; its output."""
        result = subprocess.run(
            [sys.executable, str(EXAMPLE / "manage.py"), *args],
            env=self.env, cwd=EXAMPLE, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def up(self):
        """Start Redis, load the demo into the database, start the worker and web processes."""
        self.purges.__enter__()
        self.start(
            "redis",
            [self.redis_server, "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
        )  # fmt: skip
        wait_for(self.redis_answers, STARTUP_TIMEOUT, "redis-server")
        self.manage("check", "--deploy", "--fail-level", "ERROR")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("load_acupuncture_demo", "--site-url", f"http://{self.host}")
        self.start(
            "worker",
            [sys.executable, str(EXAMPLE / "manage.py"), "db_worker", "--queue-name", "*",
             "--interval", "0.2", "--no-startup-delay"],
            cwd=EXAMPLE,
        )  # fmt: skip
        self.start_web()

    def start_web(self, **env):
        """Start the web processes (again), with ``env`` added to their environment."""
        for name, process in [(n, p) for n, p in self.processes if n.startswith("web-")]:
            self.terminate(process)
            self.processes.remove((name, process))
        for port in self.web_ports:
            self.start(
                f"web-{port}",
                [sys.executable, "-m", "gunicorn", "-c", str(EXAMPLE / "gunicorn.conf.py")],
                cwd=EXAMPLE,
                extra_env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1"},
            )
        for port in self.web_ports:
            wait_for(lambda port=port: self.answers(port), STARTUP_TIMEOUT, f"gunicorn on {port}")

    def redis_answers(self):
        with suppress(OSError), socket.create_connection(("127.0.0.1", self.redis_port), 1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False

    def answers(self, port):
        with suppress(OSError):
            return Browser(port, self.host).get("/api/v2/pages/?limit=1")[0] == 200
        return False

    @staticmethod
    def terminate(process):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def stop(self):
        for _name, process in reversed(self.processes):
            self.terminate(process)
        for log in self.logs:
            log.close()
        self.purges.__exit__()

    def log_of(self, name):
        """What process ``name`` printed so far."""
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def log_tail(self):
        """The end of every process's output, for a failure report."""
        return "\n".join(
            f"--- {name} ---\n{self.log_of(name)[-3000:]}" for name, _process in self.processes
        )

    def redis(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.redis_port)

    def redis_calls(self, command):
        """How many times Redis has run ``command`` (``INFO commandstats``)."""
        return self.redis().info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0)

    def redis_keys(self, pattern):
        return self.redis().keys(pattern)

    def query(self, sql, params=()):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()


@contextmanager
def stack_database(server_url):
    """A new, empty PostgreSQL database on the server of ``server_url``; its URL. Dropped after."""
    import psycopg

    name = f"acupuncture_stack_{os.getpid()}"
    parts = urllib.parse.urlsplit(server_url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
