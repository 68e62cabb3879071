"""Frontend-cache purging of a :class:`~wagtail_acupuncture.delivery.invalidation.Change`.

Goes through ``wagtail.contrib.frontend_cache``, so every backend it supports (Cloudflare,
CloudFront, Azure, Varnish/Squid over HTTP, your own) and its language handling apply. Nothing
happens unless that app is installed and ``WAGTAILFRONTENDCACHE`` (or the older
``WAGTAILFRONTENDCACHE_LOCATION``) is set.
"""

import logging

from django.apps import apps
from django.conf import settings

from ..conf import acupuncture_settings

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
    """Purge every URL of ``change`` in one ``PurgeBatch``; returns the URLs purged.

    Returns an empty list, and does nothing, when purging is switched off
    (``FRONTEND_CACHE_PURGE``) or the frontend cache is not configured. Backend errors are left
    to the caller (:mod:`~wagtail_acupuncture.delivery.signals` logs them).
    """
    if not acupuncture_settings.FRONTEND_CACHE_PURGE or not frontend_cache_configured():
        return []
    if not change.urls:
        return []
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch(change.urls)
    batch.purge()
    logger.info(
        "Purged %d URL(s) after %s %s %s",
        len(batch.urls),
        change.event,
        change.object["type"],
        change.object["id"],
    )
    return sorted(batch.urls)
