"""The production stack end to end (issue 13, item 4), on real parts.

:mod:`tests.stack.launcher` starts a Redis server (Debian's ``redis-server``) on 127.0.0.1, a
PostgreSQL database of its own on the matrix's server, three gunicorn web processes and a
``db_worker`` (django-tasks-db), all run with ``example_project.settings.production`` and
configured only through its environment variables. A purge target and a webhook receiver run in
this process; the receiver is down when the article is published and comes up later.

Checked: a publish through the admin (Wagtail's bulk publish action) is seen by every web
process at once, in the HTML and the API, the others reading what the first rendered from Redis;
nothing stale is served after it; the purge reaches the cache; the webhook is retried by the
worker, each attempt a task of its own, and then delivered, signed.
"""

import html as html_module
import json
import os
import re
import shutil
import tempfile
import time

import pytest
from clinic.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME

from tests.stack.launcher import SECRET, Browser, Recorder, Stack, stack_database
from tests.stack.launcher import wait_for as poll
from wagtail_acupuncture.delivery.webhooks import SIGNATURE_HEADER, verify_signature

ARTICLE_SLUG = "acupuncture-for-back-pain"
DELIVERY_TIMEOUT = 60


def wait_for(condition, timeout, what):
    try:
        return poll(condition, timeout, what)
    except TimeoutError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def stack():
    redis_server = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not redis_server:
        pytest.fail("redis-server is not installed (tests/matrix.py installs Debian's)")
    workdir = tempfile.mkdtemp(prefix="acupuncture-stack-")
    try:
        with stack_database(os.environ["DATABASE_URL"]) as database_url:
            running = Stack(workdir, database_url, redis_server)
            try:
                try:
                    running.up()
                except BaseException:
                    print(running.log_tail())
                    raise
                yield running
            finally:
                running.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


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

