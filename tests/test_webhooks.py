"""Signed revalidation webhooks (issue 8): signature, delivery, retries, admin log, latency.

Receivers are real HTTP servers on 127.0.0.1 (a free port each), scripted to fail, stall or
answer; a "dead" receiver is a closed port or a socket that never answers.
"""

import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import TreatmentFactory, make_article
from tests.local_server import LocalServer
from wagtail_acupuncture.delivery import webhooks
from wagtail_acupuncture.delivery.invalidation import Change
from wagtail_acupuncture.delivery.runner import runner
from wagtail_acupuncture.models import WebhookDelivery

SECRET = "s3cret-for-tests"
HOST = "http://localhost"


# --- A local receiver -------------------------------------------------------------------------


class Receiver(LocalServer):
    """An HTTP server on 127.0.0.1 that records POSTs, failing the first ``fail_first`` with
    ``fail_status`` and answering each after ``delay`` seconds."""

    def __init__(self, *, fail_first=0, fail_status=503, delay=0.0):
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.delay = delay
        self.requests = []
        self.lock = threading.Lock()
        self.first_request = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append(
                        {"at": time.monotonic(), "headers": dict(self.headers), "body": body}
                    )
                    number = len(receiver.requests)
                receiver.first_request.set()
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.fail_status if number <= receiver.fail_first else 200
                answer = json.dumps({"revalidated": status == 200}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        super().__init__(Handler)
        self.url = f"{self.location}/api/revalidate"


def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/revalidate"


def configure(settings, *urls, **overrides):
    settings.WAGTAIL_ACUPUNCTURE = {
        "REVALIDATE_WEBHOOKS": [{"url": url, "secret": SECRET} for url in urls],
        "WEBHOOK_RETRY_BACKOFF": 0.05,
        "WEBHOOK_MAX_RETRIES": 3,
        "WEBHOOK_TIMEOUT": 5,
        **overrides,
    }


def hand_signature(body, secret, timestamp):
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


# --- Signature --------------------------------------------------------------------------------


def test_signature_is_an_hmac_sha256_of_timestamp_dot_body():
    body = b'{"event":"published","paths":["/blog/"]}'

    header = webhooks.sign(body, SECRET, timestamp=1_700_000_000)

    assert header == f"t=1700000000,v1={hand_signature(body, SECRET, 1_700_000_000)}"
    assert webhooks.verify_signature(body, header, SECRET, now=1_700_000_010)
    assert webhooks.verify_signature(body.decode(), header, SECRET, now=1_700_000_010)


@pytest.mark.parametrize(
    ("body", "secret", "now", "tolerance"),
    [
        (b'{"event":"published","paths":["/blog/x/"]}', SECRET, 1_700_000_010, 300),  # tampered
        (b'{"event":"published","paths":["/blog/"]}', "another-secret", 1_700_000_010, 300),
        (b'{"event":"published","paths":["/blog/"]}', SECRET, 1_700_000_301, 300),  # too old
        (
            b'{"event":"published","paths":["/blog/"]}',
            SECRET,
            1_699_999_000,
            300,
        ),  # from the future
        (b'{"event":"published","paths":["/blog/"]}', "", 1_700_000_010, 300),
    ],
)
def test_verify_signature_rejects(body, secret, now, tolerance):
    header = webhooks.sign(b'{"event":"published","paths":["/blog/"]}', SECRET, 1_700_000_000)
    assert not webhooks.verify_signature(body, header, secret, tolerance, now=now)


def test_verify_signature_tolerance_and_header_shapes():
    body = b"{}"
    good = hand_signature(body, SECRET, 1000)
    assert webhooks.verify_signature(body, f"t=1000,v1={good}", SECRET, tolerance=None, now=10**9)
    # Several signatures (e.g. while rotating secrets): any one matching is enough.
    assert webhooks.verify_signature(body, f"t=1000, v1={'0' * 64}, v1={good}", SECRET, None)
    for header in ["", "garbage", f"v1={good}", "t=1000", f"t=abc,v1={good}", None]:
        assert not webhooks.verify_signature(body, header, SECRET, tolerance=None)


# --- Delivery ---------------------------------------------------------------------------------

django_db = pytest.mark.django_db


@django_db
def test_publishing_a_treatment_sends_a_signed_webhook_naming_it_and_its_pages(
    index, settings, committed
):
    with Receiver() as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        treatment = TreatmentFactory(slug="electro", name="Electro")
        article = make_article(index, slug="shows-it", treatments=[treatment])
        started = time.time()

        committed(treatment.save_revision().publish)

    [request] = receiver.requests
    body = request["body"]
    headers = request["headers"]
    timestamp, signature = (
        part.split("=", 1)[1] for part in headers["X-Acupuncture-Signature"].split(",")
    )
    assert abs(int(timestamp) - started) < 60
    assert signature == hand_signature(body, SECRET, timestamp)
    assert webhooks.verify_signature(body, headers["X-Acupuncture-Signature"], SECRET)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Acupuncture-Event"] == "published"

    payload = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert payload["id"] == headers["X-Acupuncture-Delivery"] == str(delivery.pk)
    assert payload["event"] == "published"
    assert payload["object"] == {
        "type": "wagtail_acupuncture.treatment",
        "id": treatment.pk,
        "title": "Electro",
    }
    assert payload["paths"] == sorted(
        [
            f"/api/v2/treatments/{treatment.pk}/",
            "/api/v2/treatments/?slug=electro",
            "/api/v2/treatments/find/?slug=electro",
            "/api/v2/treatments/",
            "/blog/shows-it/",
            f"/api/v2/pages/{article.pk}/",
            "/api/v2/pages/find/?html_path=/blog/shows-it/",
            "/blog/",
            "/blog/?treatment=electro",
        ]
    )
    assert payload["urls"] == sorted(HOST + path for path in payload["paths"])
    assert payload["timestamp"].endswith("Z")
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert delivery.delivered_at is not None


@django_db
def test_every_receiver_gets_its_own_signed_delivery(index, settings, committed):
    with Receiver() as first, Receiver() as second:
        settings.WAGTAIL_ACUPUNCTURE = {
            "REVALIDATE_WEBHOOKS": [
                {"url": first.url, "secret": "first-secret"},
                {"url": second.url, "secret": "second-secret"},
            ],
            "WEBHOOK_IMMEDIATE_IN_THREAD": False,
        }
        article = make_article(index, live=False)

        committed(article.save_revision().publish)

    for receiver, secret in [(first, "first-secret"), (second, "second-secret")]:
        [request] = receiver.requests
        header = request["headers"]["X-Acupuncture-Signature"]
        assert webhooks.verify_signature(request["body"], header, secret)
        assert not webhooks.verify_signature(
            request["body"], header, {"first-secret": "second-secret"}.get(secret, "first-secret")
        )
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 2


@django_db
def test_failed_attempts_are_retried_with_exponential_backoff(index, settings, committed, caplog):
    with Receiver(fail_first=2) as receiver:
        configure(
            settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False, WEBHOOK_RETRY_BACKOFF=0.2
        )
        article = make_article(index, live=False)

        with caplog.at_level(logging.WARNING, logger="wagtail_acupuncture.webhooks"):
            committed(article.save_revision().publish)

    assert len(receiver.requests) == 3
    first, second, third = (request["at"] for request in receiver.requests)
    assert second - first >= 0.2
    assert third - second >= 0.4  # doubled
    ids = {request["headers"]["X-Acupuncture-Delivery"] for request in receiver.requests}
    assert len(ids) == 1
    for request in receiver.requests:
        assert webhooks.verify_signature(
            request["body"], request["headers"]["X-Acupuncture-Signature"], SECRET
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 3
    assert caplog.text.count("failed (attempt") == 2
    assert "HTTP 503" in caplog.text


@django_db
def test_a_receiver_that_keeps_failing_is_logged_and_marked_failed(
    index, settings, committed, caplog
):
    with Receiver(fail_first=100, fail_status=500) as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False, WEBHOOK_MAX_RETRIES=2)
        article = make_article(index, live=False)

        with caplog.at_level(logging.WARNING, logger="wagtail_acupuncture.webhooks"):
            committed(article.save_revision().publish)

    article.refresh_from_db()
    assert article.live
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert delivery.response_status == 500
    assert delivery.last_error.startswith("HTTP 500")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "failed after 3 attempt(s)" in errors[0].getMessage()


@django_db
def test_a_rejected_signature_is_not_retried(index, settings, committed):
    with Receiver(fail_first=100, fail_status=401) as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        article = make_article(index, live=False)

        committed(article.save_revision().publish)

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED


@django_db
def test_a_closed_port_is_retried_then_failed(index, settings, committed):
    configure(settings, closed_port_url(), WEBHOOK_IMMEDIATE_IN_THREAD=False, WEBHOOK_MAX_RETRIES=1)
    article = make_article(index, live=False)

    committed(article.save_revision().publish)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 2
    assert delivery.response_status is None
    assert "refused" in delivery.last_error.lower()


@django_db
def test_deferred_retries_are_new_tasks_on_a_backend_that_can_defer(index, settings, committed):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    from django_tasks import task_backends

    queue = task_backends["webhooks"]
    queue.clear()
    with Receiver(fail_first=2) as receiver:
        configure(settings, receiver.url, WEBHOOK_TASK_BACKEND="webhooks", WEBHOOK_RETRY_BACKOFF=30)
        article = make_article(index, live=False)

        committed(article.save_revision().publish)
        assert receiver.requests == []  # only enqueued

        delays = []
        while queue.results:
            result = queue.results.pop(0)
            if result.task.run_after is not None:
                delays.append((result.task.run_after - timezone.now()).total_seconds())
            result.task.call(*result.args, **result.kwargs)  # what a worker would do

    assert len(receiver.requests) == 3
    assert len(delays) == 2
    assert 25 < delays[0] <= 30
    assert 55 < delays[1] <= 60
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


@django_db
def test_no_webhooks_without_receivers_or_after_a_rollback(index, settings, committed):
    article = make_article(index, live=False)
    committed(article.save_revision().publish)
    assert not WebhookDelivery.objects.exists()

    with Receiver() as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        revision = article.save_revision()

        def publish_then_fail():
            from django.db import transaction

            with transaction.atomic():
                revision.publish()
                raise RuntimeError("rolled back")

        with pytest.raises(RuntimeError):
            committed(publish_then_fail)

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@django_db
def test_deleting_a_treatment_sends_one_deleted_webhook(index, settings, committed):
    with Receiver() as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        treatment = TreatmentFactory(slug="gone")
        article = make_article(index, slug="had-it", treatments=[treatment])
        treatment_id = treatment.pk

        committed(treatment.delete)

    [request] = receiver.requests
    payload = json.loads(request["body"])
    assert payload["event"] == "deleted"
    assert payload["object"]["id"] == treatment_id
    assert "/blog/had-it/" in payload["paths"]
    assert f"/api/v2/pages/{article.pk}/" in payload["paths"]


@django_db
def test_invalid_receivers_are_reported_by_the_system_check_and_skipped(settings, caplog):
    settings.WAGTAIL_ACUPUNCTURE = {
        "REVALIDATE_WEBHOOKS": [
            {"url": "ftp://example.com/", "secret": "x"},
            {"url": "https://example.com/ok", "secret": ""},
            {"url": "https://example.com/ok", "secret": "fine"},
        ]
    }
    errors = webhooks.check_webhook_settings()
    assert [e.id for e in errors] == ["wagtail_acupuncture.E001"] * 2
    with caplog.at_level(logging.ERROR, logger="wagtail_acupuncture.webhooks"):
        assert webhooks.webhook_targets() == [{"url": "https://example.com/ok", "secret": "fine"}]
    assert "skipped" in caplog.text


@django_db
def test_old_finished_deliveries_are_pruned(settings):
    change = Change(event="published", object={"type": "t", "id": 1, "title": "T"}, urls=())
    settings.WAGTAIL_ACUPUNCTURE = {
        "REVALIDATE_WEBHOOKS": [{"url": closed_port_url(), "secret": SECRET}],
        "WEBHOOK_IMMEDIATE_IN_THREAD": False,
        "WEBHOOK_MAX_RETRIES": 0,
        "WEBHOOK_DELIVERY_RETENTION_DAYS": 7,
    }
    old_failed, old_pending, recent = (
        WebhookDelivery.objects.create(
            event="published",
            object_type="t",
            object_id="1",
            url="https://x.example/",
            payload={},
            status=status,
        )
        for status in ("failed", "pending", "failed")
    )
    WebhookDelivery.objects.filter(pk__in=[old_failed.pk, old_pending.pk]).update(
        created_at=timezone.now() - timedelta(days=8)
    )

    webhooks.send_webhooks(change)

    remaining = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert old_failed.pk not in remaining
    assert {old_pending.pk, recent.pk} <= remaining
    assert len(remaining) == 3  # and the new one


# --- Admin ------------------------------------------------------------------------------------


@django_db
def test_deliveries_are_listed_read_only_in_the_admin(client, index, settings, committed):
    configure(settings, closed_port_url(), WEBHOOK_IMMEDIATE_IN_THREAD=False, WEBHOOK_MAX_RETRIES=0)
    article = make_article(index, title="Needling and back pain", live=False)
    committed(article.save_revision().publish)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"

    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    listing = client.get(reverse("acupuncture_webhook_deliveries:index"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Needling and back pain" in content
    assert "Failed" in content
    assert "refused" in content.lower()

    inspect = client.get(reverse("acupuncture_webhook_deliveries:inspect", args=[delivery.pk]))
    assert inspect.status_code == 200
    assert delivery.url in inspect.content.decode()

    assert client.get(reverse("acupuncture_webhook_deliveries:add")).status_code in (302, 403)
    edit_url = reverse("acupuncture_webhook_deliveries:edit", args=[delivery.pk])
    assert client.post(edit_url, {"status": "succeeded"}).status_code in (302, 403)
    delete_url = reverse("acupuncture_webhook_deliveries:delete", args=[delivery.pk])
    assert client.post(delete_url).status_code in (302, 403)
    delivery.refresh_from_db()
    assert delivery.status == "failed"

    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("acupuncture_webhook_deliveries:index") in menu


@django_db
def test_the_view_permission_alone_opens_the_log(client):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("viewer", "viewer@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    index_url = reverse("acupuncture_webhook_deliveries:index")
    assert client.get(index_url).status_code in (302, 403)

    user.user_permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    user = get_user_model().objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(index_url).status_code == 200
    assert client.get(reverse("acupuncture_webhook_deliveries:add")).status_code in (302, 403)


# --- Publish latency --------------------------------------------------------------------------
# Generous margins: these check "did not wait for the receiver", not speed.

RECEIVER_DELAY = 1.5
FAST_ENOUGH = 1.0


def timed(action):
    started = time.monotonic()
    action()
    return time.monotonic() - started


def wait_for_deliveries(timeout=15):
    assert runner.wait_idle(timeout), "deliveries still running"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_does_not_wait_for_a_slow_receiver(index, settings):
    with Receiver(delay=RECEIVER_DELAY) as receiver:
        configure(settings, receiver.url)  # Wagtail's default ImmediateBackend
        article = make_article(index, live=False)
        revision = article.save_revision()

        elapsed = timed(revision.publish)

        assert elapsed < FAST_ENOUGH
        assert receiver.first_request.wait(10), "the webhook was never sent"
        wait_for_deliveries()

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_does_not_wait_for_a_dead_receiver(index, settings, blackhole, caplog):
    configure(settings, blackhole, closed_port_url(), WEBHOOK_TIMEOUT=1, WEBHOOK_MAX_RETRIES=1)
    article = make_article(index, live=False)
    revision = article.save_revision()

    with caplog.at_level(logging.ERROR, logger="wagtail_acupuncture.webhooks"):
        elapsed = timed(revision.publish)
        assert elapsed < FAST_ENOUGH
        wait_for_deliveries()

    article.refresh_from_db()
    assert article.live
    deliveries = WebhookDelivery.objects.all()
    assert [d.status for d in deliveries] == ["failed", "failed"]
    assert {d.attempts for d in deliveries} == {2}
    assert "timed out" in " ".join(d.last_error for d in deliveries)
    assert caplog.text.count("failed after 2 attempt(s)") == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_latency_check_would_catch_an_inline_delivery(index, settings):
    # The control: delivering in the request (the thread switched off) does wait for the
    # receiver, so the checks above are able to fail.
    with Receiver(delay=RECEIVER_DELAY) as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        article = make_article(index, live=False)
        revision = article.save_revision()

        elapsed = timed(revision.publish)

    assert elapsed >= RECEIVER_DELAY
    assert len(receiver.requests) == 1


@django_db
def test_publishing_only_enqueues_on_a_worker_backend(index, settings, committed):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    from django_tasks import task_backends

    queue = task_backends["webhooks"]
    queue.clear()
    with Receiver(delay=RECEIVER_DELAY) as receiver:
        configure(settings, receiver.url, WEBHOOK_TASK_BACKEND="webhooks")
        article = make_article(index, live=False)
        revision = article.save_revision()

        elapsed = timed(lambda: committed(revision.publish))

        assert elapsed < FAST_ENOUGH
        assert receiver.requests == []
        [queued] = queue.results
        assert queued.task.func is webhooks.deliver_webhook.func

        worker_time = timed(lambda: queued.task.call(*queued.args, **queued.kwargs))

    assert worker_time >= RECEIVER_DELAY
    assert len(receiver.requests) == 1
