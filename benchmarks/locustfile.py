"""Readers for ``make loadtest`` (run by ``benchmarks/loadtest.py``, not on its own).

Each simulated reader asks one of the web processes (``LOADTEST_PORTS``, as a load balancer
would, with the site's ``Host``) for the demo article's HTML or API detail, or for the example
project's home page, a stock Wagtail page. The editor process publishes a new title
``"<title> v<n>"`` every few seconds and, once the publish has committed, stores ``n`` in Redis
(``LOADTEST_VERSION_KEY``). A response is a **stale read** when it shows a version older than the
one committed before its request was sent. Stale reads are written to ``LOADTEST_OUT``.
"""

import html
import json
import os
import random
import re

import redis
from locust import HttpUser, between, events, task

PORTS = [int(port) for port in os.environ["LOADTEST_PORTS"].split(",")]
HOST = os.environ["LOADTEST_HOST"]
PAGE_ID = os.environ["LOADTEST_PAGE_ID"]
HTML_PATH = os.environ["LOADTEST_HTML_PATH"]
VERSION_KEY = os.environ["LOADTEST_VERSION_KEY"]
VERSION = re.compile(r" v(\d+)$")
STORE = redis.Redis.from_url(os.environ["LOADTEST_REDIS_URL"])
STALE = {}


def committed_version():
    value = STORE.get(VERSION_KEY)
    return int(value) if value is not None else -1


def shown_version(title):
    match = VERSION.search(title.strip())
    return int(match.group(1)) if match else None


class Reader(HttpUser):
    """An anonymous visitor or frontend reading the site."""

    wait_time = between(0.05, 0.2)
    host = f"http://{HOST}"

    def _get(self, path, name, title_of):
        url = f"http://127.0.0.1:{random.choice(PORTS)}{path}"
        before = committed_version()
        with self.client.get(
            url, headers={"Host": HOST}, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            if title_of is None:
                response.success()
                return
            version = shown_version(title_of(response.text))
            if version is None:
                response.failure("no version in the title")
            elif version < before:
                STALE[name] = STALE.get(name, 0) + 1
                response.success()
            else:
                response.success()

    @task(4)
    def article_html(self):
        self._get(HTML_PATH, "article HTML", html_title)

    @task(4)
    def article_api(self):
        self._get(f"/api/v2/pages/{PAGE_ID}/", "article API", lambda text: json.loads(text)["title"])

    @task(2)
    def stock_page(self):
        self._get("/", "stock Wagtail page (home)", None)


def html_title(text):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return html.unescape(match.group(1)) if match else ""


@events.quitting.add_listener
def write_stale_reads(environment, **kwargs):
    with open(os.environ["LOADTEST_OUT"], "w") as out:
        json.dump(STALE, out)
