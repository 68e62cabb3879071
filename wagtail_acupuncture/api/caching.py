"""HTTP caching of the API's responses: validators, conditional GET, public or private.

:class:`HTTPCachingMixin` comes first in the bases of every endpoint class. A successful GET or
HEAD is either

* **public** (JSON, nobody authenticated, the session untouched): ``Cache-Control`` from
  ``API_CACHE_CONTROL``, a strong ``ETag`` (SHA-256 of the body bytes), ``Last-Modified``, and
  ``304 Not Modified`` when the request's ``If-None-Match`` or, without it,
  ``If-Modified-Since`` matches (Django's ``get_conditional_response``); or
* **private**: ``Cache-Control: private, no-store`` and no validators. That is any response of
  an endpoint with ``public_responses = False`` (the previews), the browsable HTML API (it
  carries a CSRF token), and any response for which a user was authenticated or the session was
  read - only possible in a site's subclass, since the package's endpoints authenticate nobody
  (``authentication_classes = ()``): their output does not depend on who asks, so neither DRF
  nor Django reads the session, and no ``Vary: Cookie`` or session cookie is sent.

``Last-Modified`` is the later of

* the latest publication time of the response's objects (``last_published_at``, else
  ``latest_revision_created_at``), read from the loaded objects without a query, and
* the time since which this URL has been answered with these exact bytes, remembered per URL in
  the ``API_VALIDATOR_CACHE`` cache.

The second moves the date whenever the body changes, also for changes that carry no date of
their own (a practitioner, the clinic settings, an image, a related treatment unpublished), so
a client revalidating with ``If-Modified-Since`` alone never gets a 304 for an outdated copy.
A forgotten record (evicted, expired, cache unreachable) counts from now, which costs a 200 but
is never wrong. With a per-process cache (Django's default ``LocMemCache``), each worker keeps
its own records, so the date can differ between workers, and a body that returns to an earlier
state can keep a date older than one another worker gave out; use a shared cache for exact
dates. ``If-None-Match``, which clients send whenever they have the ``ETag``, takes precedence
and is always exact.

Public responses are also kept in the server-side render cache
(:mod:`wagtail_acupuncture.delivery.render_cache`): a request for the same URL over the same content is
answered with the stored bytes, and the validators above are worked out from them as for a
fresh render, so both answers carry the same headers.
"""

import hashlib
import logging
import time

from django.core.cache import caches
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.permissions import AllowAny

from ..delivery import render_cache
from ..conf import acupuncture_settings

logger = logging.getLogger(__name__)

#: ``Cache-Control`` of personalised responses and previews.
PRIVATE_CACHE_CONTROL = "private, no-store"

#: Seconds a URL's validator record is kept (a forgotten record only costs a 200).
VALIDATOR_RECORD_TIMEOUT = 24 * 60 * 60

#: Prefix of the validator records' cache keys.
VALIDATOR_KEY_PREFIX = "wagtail_acupuncture:api-validators:"

#: Attributes giving an object's last publication time, in order of preference.
TIMESTAMP_ATTRIBUTES = ("last_published_at", "latest_revision_created_at")


def content_etag(content):
    """The strong ``ETag`` of a body: its SHA-256, quoted."""
    return f'"{hashlib.sha256(content).hexdigest()}"'


def object_timestamp(obj):
    """``obj``'s last publication time as a Unix time, or ``None`` (never queries)."""
    deferred = obj.get_deferred_fields() if hasattr(obj, "get_deferred_fields") else ()
    for name in TIMESTAMP_ATTRIBUTES:
        if name in deferred:
            continue
        value = getattr(obj, name, None)
        if value is not None:
            return int(value.timestamp())
    return None


def unchanged_since(url, etag, now=None):
    """Unix time since which ``url`` has been answered with the body ``etag``.

    Records ``(etag, now)`` for the URL in ``API_VALIDATOR_CACHE`` when the body differs from
    the recorded one (or nothing is recorded).
    """
    now = int(time.time()) if now is None else now
    key = VALIDATOR_KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()
    try:
        cache = caches[acupuncture_settings.API_VALIDATOR_CACHE]
        record = cache.get(key)
        if isinstance(record, (list, tuple)) and len(record) == 2 and record[0] == etag:
            return int(record[1])
        cache.set(key, (etag, now), VALIDATOR_RECORD_TIMEOUT)
    except Exception:  # noqa: BLE001 - an unreachable cache must not fail the response
        logger.warning("API validator cache unavailable; Last-Modified is now", exc_info=True)
    return now


class HTTPCachingMixin:
    """``ETag``, ``Last-Modified``, conditional GET and public or private ``Cache-Control``.

    Put it first in an endpoint's bases (``class MyEndpoint(HTTPCachingMixin, ...)``).
    """

    #: Nobody is authenticated: responses never depend on (or read) the session.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    #: ``False``: every successful response is ``private, no-store`` (previews).
    public_responses = True

    def initial(self, request, *args, **kwargs):
        """After DRF's checks and content negotiation, answer from the render cache if possible.

        A hit replaces this request's handler (the viewset's ``get``/``head`` action) with one
        returning the stored bytes; a miss leaves ``render_cache_key`` for
        :meth:`finalize_response` to store the response under.
        """
        super().initial(request, *args, **kwargs)
        self.render_cache_key = self.render_cache_entry = None
        self.render_cache_claimed = False
        if not self.uses_render_cache(request):
            return
        key = render_cache.cache_key(request._request, f"api:{type(self).__qualname__}")
        entry, self.render_cache_claimed = render_cache.get_or_claim(key)
        if entry is None:
            self.render_cache_key = key
            self.render_cache_token = render_cache.begin()
            return
        self.render_cache_entry = entry

        def cached_handler(*args, **kwargs):
            return render_cache.response_from(entry)

        self.get = self.head = cached_handler

    def uses_render_cache(self, request):
        """Whether ``request`` may be answered from, and stored in, the render cache."""
        return (
            render_cache.enabled()
            and self.public_responses
            and request.method in ("GET", "HEAD")
            and getattr(request, "accepted_renderer", None) is not None
            and request.accepted_renderer.format == "json"
        )

    def end_render_cache_collection(self):
        """The moments a render to be stored reported (see ``render_cache.changes_at``)."""
        token = getattr(self, "render_cache_token", None)
        if token is None:
            return []
        self.render_cache_token = None
        return render_cache.end(token)

    def detail_view(self, request, pk):
        response = super().detail_view(request, pk)
        self.http_cache_objects = [self.get_object()]  # fetched once, kept by get_object
        return response

    def paginate_queryset(self, queryset):
        objects = super().paginate_queryset(queryset)
        if objects is not None:
            self.http_cache_objects = list(objects)
        return objects

    def is_public_response(self, request, response):
        """Whether ``response`` may be stored by shared caches (see the module docstring)."""
        if not self.public_responses:
            return False
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is not None and renderer.format != "json":
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(getattr(request, "_request", request), "session", None)
        return not (session is not None and session.accessed)

    def get_last_modified(self, request, etag):
        """Unix time of the ``Last-Modified`` header (see the module docstring)."""
        timestamps = [object_timestamp(obj) for obj in getattr(self, "http_cache_objects", ())]
        entry = getattr(self, "render_cache_entry", None)
        if entry is not None:
            timestamps.append(entry.get("last_modified"))
        since = unchanged_since(request.build_absolute_uri(), etag)
        return max([since, *(ts for ts in timestamps if ts is not None)])

    def finalize_response(self, request, response, *args, **kwargs):
        try:
            return self._finalize_cacheable_response(request, response, *args, **kwargs)
        finally:
            if getattr(self, "render_cache_claimed", False):
                self.render_cache_claimed = False
                render_cache.release(self.render_cache_key)

    def _finalize_cacheable_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        moments = self.end_render_cache_collection()
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not self.is_public_response(request, response):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            return response
        if callable(getattr(response, "render", None)):
            response.render()
        entry = getattr(self, "render_cache_entry", None)
        etag = entry["etag"] if entry is not None else content_etag(response.content)
        last_modified = self.get_last_modified(request, etag)
        if getattr(self, "render_cache_key", None) is not None:
            render_cache.store(
                self.render_cache_key,
                response,
                moments,
                scope=request.get_host(),
                etag=etag,
                last_modified=last_modified,
            )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            getattr(request, "_request", request),
            etag=etag,
            last_modified=last_modified,
            response=response,
        )
