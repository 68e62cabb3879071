"""Frontend-cache purging of a :class:`~wagtail_acupuncture.delivery.invalidation.Change`.

Goes through ``wagtail.contrib.frontend_cache``, so every backend it supports (Cloudflare,
CloudFront, Azure, Varnish/Squid over HTTP, your own) and its language handling apply. Nothing
happens unless that app is installed and ``WAGTAILFRONTENDCACHE`` (or the older
``WAGTAILFRONTENDCACHE_LOCATION``) is set.

:func:`purge_change` only enqueues the task :data:`purge_urls` (``PURGE_TASK_BACKEND``,
``PURGE_TASK_QUEUE``), so a publish never waits for a cache; on an in-process backend the task
runs in the process's delivery threads (:mod:`~wagtail_acupuncture.delivery.runner`). The task
asks each backend in turn; a backend that raises (as
:class:`~wagtail_acupuncture.delivery.purge_backends.HTTPBackend` does for a failed or timed-out
purge) is asked again after ``PURGE_RETRY_BACKOFF`` seconds, doubling, ``PURGE_MAX_RETRIES``
times, and then logged as failed to the ``wagtail_acupuncture.purge`` logger.
"""

import logging

from django.apps import apps
from django.conf import settings

from ..conf import acupuncture_settings
from .runner import dispatch, retry_delay

try:  # The django-tasks backport, which Wagtail 7.4 and 8 enqueue their own tasks with.
    from django_tasks import task
except ImportError:  # pragma: no cover - a Wagtail that uses Django's django.tasks instead
    from django.tasks import task

logger = logging.getLogger("wagtail_acupuncture.purge")


def frontend_cache_configured():
    """Whether ``wagtail.contrib.frontend_cache`` is installed and has a backend configured."""
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return False
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


def purge_change(change):
    """Enqueue the purge of every URL of ``change``; returns the URLs, sorted.

    Returns an empty list, and does nothing, when purging is switched off
    (``FRONTEND_CACHE_PURGE``), the frontend cache is not configured or the change has no URL.
    """
    if not acupuncture_settings.FRONTEND_CACHE_PURGE or not frontend_cache_configured():
        return []
    urls = sorted(set(change.urls))
    if not urls:
        return []
    description = f"{change.event} {change.object['type']} {change.object['id']}"
    enqueue_purge(urls, None, 1, description)
    return urls


def enqueue_purge(urls, backends, attempt, description, *, delay=0):
    """Enqueue :data:`purge_urls` for ``urls`` on the named ``backends`` (``None``: all)."""
    return dispatch(
        purge_urls,
        [list(urls), backends, attempt, description],
        backend=acupuncture_settings.PURGE_TASK_BACKEND,
        queue=acupuncture_settings.PURGE_TASK_QUEUE,
        in_thread=acupuncture_settings.PURGE_IMMEDIATE_IN_THREAD,
        delay=delay,
        description=f"purge after {description}",
    )


@task()
def purge_urls(urls, backends=None, attempt=1, description=""):
    """Task: purge ``urls`` from each frontend-cache backend (``backends``: their names).

    Backends that fail are retried in a new task (see the module docstring). Returns the names
    of the backends that purged every URL.
    """
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
    from wagtail.contrib.frontend_cache.utils import get_backends

    names = list(get_backends(backends=backends))
    failed = []
    for name in names:
        try:
            # Wagtail's own task, run here for one backend: its language and host handling.
            purge_urls_from_cache_task.func(list(urls), backends=[name])
        except Exception as error:
            failed.append(name)
            logger.warning(
                "Purge after %s failed on %r (attempt %d): %s", description, name, attempt, error
            )
    purged = [name for name in names if name not in failed]
    if purged:
        logger.info("Purged %d URL(s) after %s (%s)", len(urls), description, ", ".join(purged))
    if not failed:
        return purged
    if attempt > int(acupuncture_settings.PURGE_MAX_RETRIES):
        logger.error(
            "Purge after %s failed on %s after %d attempt(s); not retried",
            description,
            ", ".join(map(repr, failed)),
            attempt,
        )
        return purged
    delay = retry_delay(
        attempt,
        acupuncture_settings.PURGE_RETRY_BACKOFF,
        acupuncture_settings.PURGE_RETRY_BACKOFF_MAX,
    )
    try:
        enqueue_purge(urls, failed, attempt + 1, description, delay=delay)
    except Exception:
        logger.exception("Could not enqueue the retry of the purge after %s", description)
    return purged
