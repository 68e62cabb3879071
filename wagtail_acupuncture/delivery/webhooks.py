"""Signed revalidation webhooks: tell a frontend which paths a publish made stale.

For every :class:`~wagtail_acupuncture.delivery.invalidation.Change`, :func:`send_webhooks` records one
:class:`~wagtail_acupuncture.models.WebhookDelivery` per receiver in ``REVALIDATE_WEBHOOKS`` and
enqueues :data:`deliver_webhook` on the task backend Wagtail's own background tasks use
(django-tasks, ``TASKS`` setting). The task POSTs the JSON body::

    {"id": "<delivery uuid>", "event": "published" | "unpublished" | "deleted",
     "object": {"type": "wagtail_acupuncture.treatment", "id": 3, "title": "…"},
     "paths": ["/api/v2/treatments/3/", "/blog/back-pain/", …],
     "urls": ["https://example.com/blog/back-pain/", …],
     "timestamp": "2025-01-31T09:30:00Z"}

with the header ``X-Acupuncture-Signature: t=<unix time>,v1=<hex HMAC-SHA256>``, the HMAC being
keyed with the receiver's ``secret`` over ``"<t>." + body``. Receivers check it with
:func:`verify_signature` (or the TypeScript in ``docs/headless-delivery.md``).

A failed attempt (network error, timeout, HTTP 5xx, 408, 409, 425 or 429) is retried after
``WEBHOOK_RETRY_BACKOFF`` seconds, doubling each time, ``WEBHOOK_MAX_RETRIES`` times. Other 4xx
answers (a wrong secret, say) fail at once. Every failure is logged to the
``wagtail_acupuncture.webhooks`` logger and shown in the admin (Reports > Webhook deliveries).
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.core import checks
from django.utils import timezone

from ..conf import SETTINGS_KEY, acupuncture_settings
from ..models import WebhookDelivery
from .runner import dispatch, runner, runs_in_process
from .runner import retry_delay as backoff

try:  # The django-tasks backport, which Wagtail 7.4 and 8 enqueue their own tasks with.
    from django_tasks import task
except ImportError:  # pragma: no cover - a Wagtail that uses Django's django.tasks instead
    from django.tasks import task

logger = logging.getLogger("wagtail_acupuncture.webhooks")

#: Request header carrying ``t=<unix time>,v1=<hex HMAC-SHA256>``.
SIGNATURE_HEADER = "X-Acupuncture-Signature"
#: Request header naming the event, as in the body.
EVENT_HEADER = "X-Acupuncture-Event"
#: Request header with the delivery's UUID (the same on every retry of one delivery).
DELIVERY_HEADER = "X-Acupuncture-Delivery"
#: Default of :func:`verify_signature`: how old, in seconds, a signature may be.
DEFAULT_TOLERANCE = 300

_RETRYABLE_CLIENT_ERRORS = {408, 409, 425, 429}


# --- Signing ----------------------------------------------------------------------------------


def encode_body(payload):
    """The exact bytes sent for ``payload``: compact JSON, sorted keys, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def compute_signature(body, secret, timestamp):
    """Hex HMAC-SHA256 of ``"<timestamp>." + body`` keyed with ``secret``."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(body, secret, timestamp=None):
    """The ``X-Acupuncture-Signature`` value for ``body``: ``t=<unix time>,v1=<hex digest>``."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    return f"t={timestamp},v1={compute_signature(body, secret, timestamp)}"


def verify_signature(body, header, secret, tolerance=DEFAULT_TOLERANCE, *, now=None):
    """Whether ``header`` is a valid signature of ``body`` (bytes or str) made with ``secret``.

    ``body`` must be the raw request body, byte for byte, not re-serialised JSON. The signature
    must be at most ``tolerance`` seconds old (or ahead, for clock skew); ``None`` skips that
    check. Several ``v1=`` values are accepted, any one matching. Never raises on bad input.
    """
    if not header or not secret:
        return False
    timestamp = None
    signatures = []
    for item in str(header).split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                return False
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if tolerance is not None:
        now = time.time() if now is None else now
        if abs(now - timestamp) > tolerance:
            return False
    expected = compute_signature(body, secret, timestamp)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


# --- Configuration ----------------------------------------------------------------------------


def _target_problem(target):
    if not isinstance(target, dict):
        return "must be a dict with 'url' and 'secret'"
    url = target.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        return "needs an http:// or https:// 'url'"
    if not isinstance(target.get("secret"), str) or not target["secret"]:
        return "needs a non-empty 'secret'"
    return None


def webhook_targets():
    """The valid receivers of ``REVALIDATE_WEBHOOKS``; invalid entries are logged and skipped."""
    targets = []
    for index, target in enumerate(acupuncture_settings.REVALIDATE_WEBHOOKS or ()):
        problem = _target_problem(target)
        if problem:
            logger.error("%s['REVALIDATE_WEBHOOKS'][%d] %s; skipped", SETTINGS_KEY, index, problem)
            continue
        targets.append(target)
    return targets


def check_webhook_settings(app_configs=None, **kwargs):
    """System check: every ``REVALIDATE_WEBHOOKS`` entry has an http(s) ``url`` and a ``secret``."""
    errors = []
    for index, target in enumerate(acupuncture_settings.REVALIDATE_WEBHOOKS or ()):
        problem = _target_problem(target)
        if problem:
            errors.append(
                checks.Error(
                    f"{SETTINGS_KEY}['REVALIDATE_WEBHOOKS'][{index}] {problem}.",
                    id="wagtail_acupuncture.E001",
                )
            )
    return errors


def retry_delay(attempts):
    """Seconds to wait after the ``attempts``-th failed attempt: exponential, capped."""
    return backoff(
        attempts,
        acupuncture_settings.WEBHOOK_RETRY_BACKOFF,
        acupuncture_settings.WEBHOOK_RETRY_BACKOFF_MAX,
    )


# --- Sending ----------------------------------------------------------------------------------


def build_payload(change, delivery_id, *, timestamp=None):
    """The JSON-ready webhook body for ``change`` (see the module docstring)."""
    moment = (timestamp or timezone.now()).astimezone(UTC)
    return {
        "id": str(delivery_id),
        "event": change.event,
        "object": change.object,
        "paths": change.paths,
        "urls": list(change.urls),
        "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def send_webhooks(change):
    """Record and enqueue one delivery of ``change`` per configured receiver.

    Call it after the change is committed. Returns the
    :class:`~wagtail_acupuncture.models.WebhookDelivery` rows; with no receivers configured,
    does nothing and returns ``[]``. A delivery that cannot be enqueued is marked failed and
    logged; nothing here raises because of a receiver.
    """
    targets = webhook_targets()
    if not targets:
        return []
    now = timezone.now()
    deliveries = []
    for target in targets:
        delivery = WebhookDelivery(
            event=change.event,
            object_type=change.object["type"],
            object_id=str(change.object["id"]),
            object_title=str(change.object.get("title", ""))[:255],
            url=target["url"],
        )
        delivery.payload = build_payload(change, delivery.pk, timestamp=now)
        delivery.save()
        deliveries.append(delivery)
    for delivery in deliveries:
        try:
            enqueue_delivery(delivery.pk)
        except Exception as error:
            logger.exception(
                "Could not enqueue webhook delivery %s to %s", delivery.pk, delivery.url
            )
            _finish(delivery, WebhookDelivery.Status.FAILED, error=f"Not enqueued: {error!r}")
    return deliveries


def enqueue_delivery(delivery_id, *, delay=0):
    """Enqueue the delivery task for ``delivery_id`` (see :func:`~.runner.dispatch`).

    On a backend that runs tasks at once in-process (``ImmediateBackend``), the task runs in the
    process's delivery threads unless ``WEBHOOK_IMMEDIATE_IN_THREAD`` is off, so the caller
    never waits for the receiver.
    """
    return dispatch(
        deliver_webhook,
        [str(delivery_id)],
        backend=acupuncture_settings.WEBHOOK_TASK_BACKEND,
        queue=acupuncture_settings.WEBHOOK_TASK_QUEUE,
        in_thread=acupuncture_settings.WEBHOOK_IMMEDIATE_IN_THREAD,
        delay=delay,
        description=f"webhook delivery {delivery_id}",
    )


# --- Delivering -------------------------------------------------------------------------------


@task()
def deliver_webhook(delivery_id):
    """Task: POST one delivery, retrying failures with exponential backoff.

    Each retry is a new task: deferred with ``run_after`` on a worker backend, or waiting in
    the in-process delivery queue (:mod:`~wagtail_acupuncture.delivery.runner`); only inline
    delivery (``WEBHOOK_IMMEDIATE_IN_THREAD`` off) waits in this task. Never raises: outcomes
    are saved on the delivery and logged.
    """
    try:
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
    except WebhookDelivery.DoesNotExist:
        logger.warning("Webhook delivery %s no longer exists; not sent", delivery_id)
        return None
    if delivery.is_finished:
        return delivery.status
    try:
        _deliver(delivery)
    except Exception as error:
        logger.exception("Webhook delivery %s to %s crashed", delivery.pk, delivery.url)
        _finish(delivery, WebhookDelivery.Status.FAILED, error=f"Crashed: {error!r}")
    try:
        prune_deliveries()
    except Exception:
        logger.exception("Could not prune old webhook deliveries")
    return delivery.status


def _find_target(url):
    for target in webhook_targets():
        if target["url"] == url:
            return target
    return None


def _deliver(delivery):
    target = _find_target(delivery.url)
    if target is None:
        logger.error(
            "Webhook delivery %s: %s is no longer in REVALIDATE_WEBHOOKS; not sent",
            delivery.pk,
            delivery.url,
        )
        _finish(delivery, WebhookDelivery.Status.FAILED, error="Receiver no longer configured.")
        return
    max_attempts = 1 + max(0, int(acupuncture_settings.WEBHOOK_MAX_RETRIES))
    while True:
        ok, retryable = _attempt(delivery, target)
        if ok:
            logger.info(
                "Webhook %s %s %s delivered to %s (attempt %d)",
                delivery.event,
                delivery.object_type,
                delivery.object_id,
                delivery.url,
                delivery.attempts,
            )
            _finish(delivery, WebhookDelivery.Status.SUCCEEDED)
            return
        if not retryable or delivery.attempts >= max_attempts:
            logger.error(
                "Webhook %s %s %s to %s failed after %d attempt(s): %s",
                delivery.event,
                delivery.object_type,
                delivery.object_id,
                delivery.url,
                delivery.attempts,
                delivery.last_error,
            )
            _finish(delivery, WebhookDelivery.Status.FAILED)
            return
        delay = retry_delay(delivery.attempts)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        delivery.save(update_fields=["status", "next_attempt_at"])
        logger.warning(
            "Webhook %s to %s failed (attempt %d of %d): %s; retrying in %ss",
            delivery.pk,
            delivery.url,
            delivery.attempts,
            max_attempts,
            delivery.last_error,
            delay,
        )
        if _delivers_inline():
            time.sleep(delay)  # WEBHOOK_IMMEDIATE_IN_THREAD off: the caller asked to wait
            continue
        enqueue_delivery(delivery.pk, delay=delay)
        return


def _delivers_inline():
    backend = deliver_webhook.using(backend=acupuncture_settings.WEBHOOK_TASK_BACKEND).get_backend()
    return runs_in_process(backend) and not runner.in_runner_thread()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _attempt(delivery, target):
    """POST once; record the outcome on ``delivery``. Returns ``(succeeded, worth_retrying)``."""
    body = encode_body(delivery.payload)
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked in webhook_targets()
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "wagtail-acupuncture-webhooks",
            SIGNATURE_HEADER: sign(body, target["secret"]),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.pk),
        },
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.response_status = None
    retryable = True
    try:
        with _opener.open(request, timeout=acupuncture_settings.WEBHOOK_TIMEOUT) as response:
            delivery.response_status = response.status
            error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    except urllib.error.HTTPError as http_error:
        delivery.response_status = http_error.code
        detail = http_error.read(300).decode("utf-8", "replace").strip()
        error = f"HTTP {http_error.code}" + (f": {detail}" if detail else "")
        retryable = http_error.code >= 500 or http_error.code in _RETRYABLE_CLIENT_ERRORS
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # URLError, timeouts, refused connections and broken responses are all OSErrors or
        # HTTPExceptions.
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    delivery.last_error = error
    delivery.save(update_fields=["attempts", "last_attempt_at", "response_status", "last_error"])
    return not error, retryable


def _finish(delivery, status, *, error=None):
    delivery.status = status
    delivery.next_attempt_at = None
    fields = ["status", "next_attempt_at"]
    if status == WebhookDelivery.Status.SUCCEEDED:
        delivery.delivered_at = timezone.now()
        fields.append("delivered_at")
    if error is not None:
        delivery.last_error = error
        fields.append("last_error")
    delivery.save(update_fields=fields)


def prune_deliveries():
    """Delete finished deliveries older than ``WEBHOOK_DELIVERY_RETENTION_DAYS``; count them."""
    days = acupuncture_settings.WEBHOOK_DELIVERY_RETENTION_DAYS
    if days is None:
        return 0
    deleted, _ = WebhookDelivery.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days),
        status__in=[WebhookDelivery.Status.SUCCEEDED, WebhookDelivery.Status.FAILED],
    ).delete()
    return deleted
