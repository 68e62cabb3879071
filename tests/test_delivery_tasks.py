"""Purges and webhooks as tasks (issue 13, item 2): publishing never waits on the network.

Purge targets are real HTTP servers on 127.0.0.1 answering ``PURGE`` (scripted to fail first),
or a socket that accepts connections and never answers; Wagtail's ``frontend_cache`` runs with
the package's ``HTTPBackend``.
"""

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from django.db import connection, connections
from django.test.utils import override_settings
from django_tasks.backends.immediate import ImmediateBackend

from tests.factories import make_article
from tests.local_server import LocalServer
from tests.test_webhooks import closed_port_url, configure
from wagtail_acupuncture import checks as acupuncture_checks
from wagtail_acupuncture.delivery import purge
from wagtail_acupuncture.delivery.purge_backends import HTTPBackend, PurgeFailed
from wagtail_acupuncture.delivery.runner import InProcessRunner, runner
from wagtail_acupuncture.models import WebhookDelivery

BACKEND = "wagtail_acupuncture.delivery.purge_backends.HTTPBackend"
FAST_ENOUGH = 1.0
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class PurgeReceiver(LocalServer):
    """A cache on 127.0.0.1 that records ``PURGE`` requests, failing the first ``fail_first``."""

    def __init__(self, *, fail_first=0, status=200):
        self.fail_first = fail_first
        self.status = status
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                with receiver.lock:
                    receiver.requests.append((self.headers["Host"], self.path))
                    number = len(receiver.requests)
                status = 503 if number <= receiver.fail_first else receiver.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(Handler)


@pytest.fixture
def frontend_cache(settings, frontend_cache_installed):
    """``wagtail.contrib.frontend_cache`` installed; returns a function that sets its backends."""

    def use(**locations):
        settings.WAGTAILFRONTENDCACHE = {
            name: {"BACKEND": BACKEND, "LOCATION": location, "TIMEOUT": 1}
            for name, location in locations.items()
        }

    return use


@pytest.fixture
def hanging_location(blackhole):
    """A cache location that accepts connections and never answers."""
    return blackhole.rsplit("/api/", 1)[0]


def purge_settings(settings, **overrides):
    settings.WAGTAIL_ACUPUNCTURE = {
        "PURGE_RETRY_BACKOFF": 0.1,
        "PURGE_MAX_RETRIES": 2,
        **overrides,
    }


# --- Publishing with a cache that hangs -------------------------------------------------------


@transactional
def test_publishing_does_not_wait_for_a_purge_target_that_hangs(
    index, settings, frontend_cache, hanging_location, caplog
):
    purge_settings(settings, PURGE_MAX_RETRIES=1)
    frontend_cache(hanging=hanging_location)
    revision = make_article(index, live=False).save_revision()

    with caplog.at_level(logging.WARNING, logger="wagtail_acupuncture.purge"):
        started = time.monotonic()
        revision.publish()
        elapsed = time.monotonic() - started
        assert runner.wait_idle(60), "the purge never finished"

    assert elapsed < FAST_ENOUGH
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # the attempt and its one retry
    assert all("timed out" in message for message in warnings)
    assert "failed on 'hanging' after 2 attempt(s)" in caplog.text


@transactional
def test_the_hang_check_would_catch_an_inline_purge(
    index, settings, frontend_cache, hanging_location
):
    # The control: purging in the request waits for every URL's timeout.
    purge_settings(settings, PURGE_IMMEDIATE_IN_THREAD=False, PURGE_MAX_RETRIES=0)
    frontend_cache(hanging=hanging_location)
    revision = make_article(index, live=False).save_revision()

    started = time.monotonic()
    revision.publish()

    assert time.monotonic() - started >= 1.0


# --- Retries ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_purge_is_retried_until_the_cache_takes_it(
    index, settings, frontend_cache, committed, caplog
):
    purge_settings(settings)
    with PurgeReceiver(fail_first=1) as failing, PurgeReceiver() as healthy:
        frontend_cache(failing=failing.location, healthy=healthy.location)
        article = make_article(index, live=False)

        with caplog.at_level(logging.INFO, logger="wagtail_acupuncture.purge"):
            committed(article.save_revision().publish)

    paths = {path for _host, path in healthy.requests}
    assert f"/blog/{article.slug}/" in paths
    assert f"/api/v2/pages/{article.pk}/" in paths
    assert {host for host, _path in healthy.requests} == {"localhost"}
    # The healthy cache was asked once; the failing one once more for the URLs of the batch.
    assert len(healthy.requests) == len(paths)
    assert len(failing.requests) == 2 * len(paths)
    assert "failed on 'failing' (attempt 1)" in caplog.text
    assert "(healthy)" in caplog.text and "(failing)" in caplog.text


@pytest.mark.django_db
def test_a_cache_that_keeps_failing_is_given_up_after_the_retries(
    index, settings, frontend_cache, committed, caplog
):
    purge_settings(settings, PURGE_MAX_RETRIES=2)
    with PurgeReceiver(fail_first=10_000) as failing:
        frontend_cache(failing=failing.location)
        article = make_article(index, live=False)

        with caplog.at_level(logging.WARNING, logger="wagtail_acupuncture.purge"):
            committed(article.save_revision().publish)

    urls = len({path for _host, path in failing.requests})
    assert len(failing.requests) == 3 * urls
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "after 3 attempt(s)" in errors[0].getMessage()


def test_the_http_backend_counts_not_cached_as_purged_and_raises_other_failures():
    with PurgeReceiver(status=404) as absent:
        HTTPBackend({"LOCATION": absent.location}).purge_batch(["http://clinic.test/blog/"])
        assert absent.requests == [("clinic.test", "/blog/")]
    backend = HTTPBackend({"LOCATION": closed_port_url().rsplit("/api", 1)[0], "TIMEOUT": 1})
    with pytest.raises(PurgeFailed) as failure:
        backend.purge_batch(["http://clinic.test:8080/a/", "http://clinic.test:8080/b/"])
    assert failure.value.urls == ["http://clinic.test:8080/a/", "http://clinic.test:8080/b/"]
    assert "2 of 2" in str(failure.value)


@pytest.mark.django_db
def test_a_worker_backend_only_enqueues_and_defers_the_retry(
    index, settings, frontend_cache, committed
):
    from django_tasks import task_backends

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "purges": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    queue = task_backends["purges"]
    queue.clear()
    purge_settings(settings, PURGE_TASK_BACKEND="purges", PURGE_RETRY_BACKOFF=60)
    with PurgeReceiver(fail_first=10_000) as failing:
        frontend_cache(failing=failing.location)
        article = make_article(index, live=False)

        committed(article.save_revision().publish)
        assert failing.requests == []
        [queued] = queue.results
        assert queued.task.func is purge.purge_urls.func
        assert queued.task.run_after is None

        queued.task.call(*queued.args, **queued.kwargs)

    assert failing.requests
    first, retry = queue.results
    assert retry.task.func is purge.purge_urls.func
    assert retry.args[0] == first.args[0]  # the same URLs
    assert retry.args[1:3] == [["failing"], 2]  # only the failed backend, second attempt
    assert retry.task.run_after is not None


# --- Bounded threads and connections ----------------------------------------------------------


@transactional
def test_failing_webhooks_hold_no_thread_and_no_connection(index, settings):
    configure(
        settings,
        closed_port_url(),
        WEBHOOK_MAX_RETRIES=2,
        WEBHOOK_RETRY_BACKOFF=0.2,
        IN_PROCESS_DELIVERY_THREADS=2,
    )
    threads_before = threading.active_count()
    connections_before = database_connections()
    for number in range(20):
        make_article(index, live=False, slug=f"failing-{number}").save_revision().publish()

    # While the retries wait, the runner's two threads are all there is.
    assert len(runner.threads()) <= 2
    assert threading.active_count() <= threads_before + 2
    assert runner.wait_idle(60)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {3}
    assert database_connections() <= connections_before


def database_connections():
    """Connections to the test database other than this one (PostgreSQL; 0 on SQLite)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_runner_job_leaves_no_connection_open(db):
    held = {}

    def job():
        connections["default"].ensure_connection()
        held["connection"] = connections["default"]

    assert runner.submit(job)
    assert runner.wait_idle(10)
    assert held["connection"].connection is None


def test_the_runner_runs_by_due_time_and_refuses_jobs_beyond_its_bound(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"IN_PROCESS_DELIVERY_MAX_PENDING": 3}
    local = InProcessRunner()
    order = []

    assert local.submit(order.append, "late", delay=0.3)
    assert local.submit(order.append, "soon", delay=0.1)
    assert local.submit(order.append, "later", delay=0.5)
    assert not local.submit(order.append, "refused")
    assert local.wait_idle(10)
    assert order == ["soon", "late", "later"]


@transactional
def test_a_full_queue_marks_the_delivery_failed_instead_of_blocking(index, settings):
    configure(settings, closed_port_url(), IN_PROCESS_DELIVERY_MAX_PENDING=0)
    article = make_article(index, live=False)

    article.save_revision().publish()

    assert runner.wait_idle(10)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "queue is full" in delivery.last_error


# --- System checks ----------------------------------------------------------------------------


def test_wagtails_http_purge_backend_is_flagged(settings, frontend_cache):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:1",
        },
        "ours": {"BACKEND": BACKEND, "LOCATION": "http://127.0.0.1:1"},
    }
    warnings = acupuncture_checks.check_purge_timeouts()
    assert [w.id for w in warnings] == ["wagtail_acupuncture.W002"]
    assert "'varnish'" in warnings[0].msg

    del settings.WAGTAILFRONTENDCACHE
    settings.WAGTAILFRONTENDCACHE_LOCATION = "http://127.0.0.1:1"
    assert [w.id for w in acupuncture_checks.check_purge_timeouts()] == [
        "wagtail_acupuncture.W002"
    ]


class InlineBackend(ImmediateBackend):
    """A site's own in-process backend, under another name."""


def test_in_process_backend_is_recognised_by_class_not_name(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379",
        }
    }
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.InlineBackend"}}
    warnings = acupuncture_checks.check_production_stack()
    assert [w.id for w in warnings] == ["wagtail_acupuncture.W003"] * 2
    assert f"{__name__}.InlineBackend" in warnings[0].msg

    # An alias that TASKS does not define is not a production-stack finding.
    settings.TASKS = {"other": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert acupuncture_checks.check_production_stack() == []


def test_production_settings_with_in_process_parts_are_flagged(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    ids = [w.id for w in acupuncture_checks.check_production_stack()]
    assert ids == ["wagtail_acupuncture.W003"] * 2 + ["wagtail_acupuncture.W004"] * 2

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379",
        }
    }
    assert acupuncture_checks.check_production_stack() == []

    with override_settings(DEBUG=True, TASKS={}, CACHES=settings.CACHES):
        assert acupuncture_checks.check_production_stack() == []
