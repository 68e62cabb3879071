"""The production stack end to end (issue 13, item 4), on real parts.

A Redis server (Debian's ``redis-server``) on 127.0.0.1, a PostgreSQL database of its own on the
matrix's server, three gunicorn web processes and a ``db_worker`` (django-tasks-db), all run with
``example_project.settings.production`` and configured only through its environment variables.
A purge target and a webhook receiver run in this process; the receiver is down when the
article is published and comes up later.

Checked: a publish through the admin (Wagtail's bulk publish action) is seen by every web
process at once, in the HTML and the API; nothing stale is served after it; the purge reaches
the cache; the webhook is retried by the worker and then delivered, signed.
"""

import hashlib
import html as html_module
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
from contextlib import suppress
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from clinic.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME

from tests.local_server import LocalServer
from wagtail_acupuncture.delivery.webhooks import SIGNATURE_HEADER, verify_signature

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_project"
WEB_PROCESSES = 3
SECRET = "stack-webhook-secret"
ARTICLE_SLUG = "acupuncture-for-back-pain"
STARTUP_TIMEOUT = 90
DELIVERY_TIMEOUT = 60

#: The production settings, with retries short enough for a test and the demo loader allowed.
SETTINGS_MODULE = textwrap.dedent(
    """
    from example_project.settings.production import *  # noqa: F403

    WAGTAIL_ACUPUNCTURE = {
        **WAGTAIL_ACUPUNCTURE,  # noqa: F405
        "WEBHOOK_TIMEOUT": 2,
        "WEBHOOK_RETRY_BACKOFF": 1,
        "WEBHOOK_RETRY_BACKOFF_MAX": 2,
        "WEBHOOK_MAX_RETRIES": 30,
        "PURGE_RETRY_BACKOFF": 1,
    }
    ACUPUNCTURE_DEMO_ENABLED = True
    """
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


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

    def start(self, name, command, **kwargs):
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.logs.append(log)
        process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            **kwargs,
        )  # fmt: skip
        self.processes.append((name, process))
        return process

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, str(EXAMPLE / "manage.py"), *args],
            env=self.env, cwd=EXAMPLE, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def up(self):
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
        for port in self.web_ports:
            self.env["PORT"] = str(port)
            self.env["WEB_CONCURRENCY"] = "1"
            self.start(
                f"web-{port}",
                [sys.executable, "-m", "gunicorn", "-c", str(EXAMPLE / "gunicorn.conf.py")],
                cwd=EXAMPLE,
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

    def stop(self):
        for name, process in reversed(self.processes):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        for log in self.logs:
            log.close()
        self.purges.__exit__()

    def log_tail(self):
        parts = []
        for name, _process in self.processes:
            text = (self.workdir / f"{name}.log").read_text(errors="replace")
            parts.append(f"--- {name} ---\n{text[-3000:]}")
        return "\n".join(parts)

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


@pytest.fixture(scope="module")
def stack():
    import psycopg

    redis_server = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not redis_server:
        pytest.fail("redis-server is not installed (tests/matrix.py installs Debian's)")
    server_url = os.environ["DATABASE_URL"]
    name = f"acupuncture_stack_{os.getpid()}"
    parts = urllib.parse.urlsplit(server_url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    workdir = tempfile.mkdtemp(prefix="acupuncture-stack-")
    running = Stack(workdir, urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), redis_server)
    try:
        try:
            running.up()
        except BaseException:
            print(running.log_tail())
            raise
        yield running
    finally:
        running.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The checks -------------------------------------------------------------------------------


def article_views(stack, port, page_id, html_path):
    """(HTML title, API title) of the article as one web process serves it."""
    browser = Browser(port, stack.host)
    status, _, html = browser.get(html_path)
    assert status == 200
    html_title = html_module.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip())
    status, _, body = browser.get(f"/api/v2/pages/{page_id}/")
    assert status == 200
    return html_title, json.loads(body)["title"]


def test_a_publish_through_the_admin_reaches_every_process_the_cache_and_the_frontend(stack):
    web = stack.web_ports
    [(page_id, url_path)] = stack.query(
        "SELECT id, url_path FROM wagtailcore_page WHERE slug = %s", [ARTICLE_SLUG]
    )
    html_path = "/" + url_path.strip("/").split("/", 1)[1] + "/"
    # Every process renders once and the render cache (Redis) holds the article.
    before = {port: article_views(stack, port, page_id, html_path) for port in web}
    old_title = before[web[0]][1]
    assert set(before.values()) == {(old_title, old_title)}
    assert {article_views(stack, port, page_id, html_path) for port in web} == {(old_title, old_title)}

    new_title = f"{old_title} (reviewed {time.strftime('%H:%M:%S')})"
    stack.manage(
        "shell",
        "-c",
        "from wagtail.models import Page; from django.contrib.auth import get_user_model; "
        f"page = Page.objects.get(id={page_id}).specific; page.title = {new_title!r}; "
        f"page.save_revision(user=get_user_model().objects.get(username={ADMIN_USERNAME!r}))",
    )
    # A draft changes nothing that is served.
    assert {article_views(stack, port, page_id, html_path) for port in web} == {(old_title, old_title)}

    purges_before = len(stack.purges.seen())
    editor = Browser(web[0], stack.host)
    editor.log_in(ADMIN_USERNAME, ADMIN_PASSWORD)
    published_at = time.time()
    editor.bulk_publish(page_id)

    # At once, and from then on, every process serves the new title in both outputs; what the
    # first renders, the others take from the shared cache (Redis: reads, no writes).
    assert article_views(stack, web[0], page_id, html_path) == (new_title, new_title)
    writes, reads = stack.redis_calls("set"), stack.redis_calls("get")
    assert stack.redis_keys("*wagtail_acupuncture:render:*")
    for port in web[1:]:
        assert article_views(stack, port, page_id, html_path) == (new_title, new_title), port
    assert stack.redis_calls("set") == writes
    assert stack.redis_calls("get") > reads
    for _round in range(3):
        for port in web:
            assert article_views(stack, port, page_id, html_path) == (new_title, new_title), port

    # The purge reached the cache, from the worker.
    def purged_paths():
        return {r["path"] for r in stack.purges.seen()[purges_before:] if r["method"] == "PURGE"}

    wait_for(lambda: {html_path, f"/api/v2/pages/{page_id}/"} <= purged_paths(), DELIVERY_TIMEOUT,
             "the purge of the article")  # fmt: skip

    # The webhook receiver is down: the worker records failed attempts and retries.
    def delivery():
        rows = stack.query(
            "SELECT status, attempts, id FROM wagtail_acupuncture_webhookdelivery "
            "WHERE object_id = %s AND event = 'published' AND payload->'object'->>'title' = %s",
            [str(page_id), new_title],
        )
        return rows[0] if rows else None

    status, attempts, delivery_id = wait_for(
        lambda: (row := delivery()) and row[1] >= 2 and row, DELIVERY_TIMEOUT, "two failed attempts"
    )
    assert status == "retrying"
    assert time.time() - published_at < DELIVERY_TIMEOUT

    with Recorder(port=stack.webhook_port) as receiver:
        wait_for(lambda: delivery()[0] == "succeeded", DELIVERY_TIMEOUT, "the retried delivery")
        ours = [
            r for r in receiver.seen()
            if json.loads(r["body"]).get("id") == str(delivery_id)
        ]  # fmt: skip
    assert len(ours) == 1
    assert verify_signature(ours[0]["body"], ours[0]["headers"][SIGNATURE_HEADER], SECRET)
    payload = json.loads(ours[0]["body"])
    assert payload["event"] == "published"
    assert payload["object"]["title"] == new_title
    assert delivery()[1] > attempts
    # Each attempt was a task of its own, run by the worker (a retry is a new, deferred task).
    runs = stack.query(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s AND args_kwargs::text LIKE %s",
        ["%.deliver_webhook", f"%{delivery_id}%"],
    )
    assert len(runs) == delivery()[1]
    assert {status for (status,) in runs} == {"SUCCESSFUL"}

    # Still nothing stale anywhere.
    assert {article_views(stack, port, page_id, html_path) for port in web} == {(new_title, new_title)}

