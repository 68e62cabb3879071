"""Frontend-cache backends for ``WAGTAILFRONTENDCACHE`` that a purge task can rely on.

Wagtail's own ``HTTPBackend`` (Varnish, Squid, nginx with a purge module) opens its requests
without a timeout and logs failures instead of raising them: a cache that accepts the
connection and never answers holds the worker for good, and a failed purge is never retried.
:class:`HTTPBackend` is a drop-in replacement::

    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail_acupuncture.delivery.purge_backends.HTTPBackend",
            "LOCATION": "http://varnish.internal:8000",
            "TIMEOUT": 5,  # seconds; default PURGE_TIMEOUT
        },
    }

The system check ``wagtail_acupuncture.W002`` points at Wagtail's backend where it is set.
"""

import http.client
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from ..conf import acupuncture_settings


class PurgeFailed(Exception):
    """Raised by a backend when some URLs could not be purged (``urls``); worth a retry."""

    def __init__(self, message, urls=()):
        super().__init__(message)
        self.urls = list(urls)


class HTTPBackend(WagtailHTTPBackend):
    """Wagtail's HTTP ``PURGE`` backend with a request timeout (``TIMEOUT``) and failures raised.

    A ``404`` answer (not in the cache) counts as purged; other HTTP errors, refused
    connections and timeouts raise :class:`PurgeFailed` once the whole batch was tried, naming
    the URLs that failed, so :func:`~wagtail_acupuncture.delivery.purge.purge_urls` retries.
    """

    def __init__(self, params):
        params = dict(params)
        timeout = params.pop("TIMEOUT", None)
        self.timeout = float(acupuncture_settings.PURGE_TIMEOUT if timeout is None else timeout)
        super().__init__(params)

    def _request(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        location = (self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment)
        return PurgeRequest(
            url=urlunsplit(location),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        failed = []
        errors = []
        for url in urls:
            try:
                # The scheme is the configured LOCATION's.
                with urlopen(self._request(url), timeout=self.timeout):  # noqa: S310
                    pass
            except HTTPError as error:
                if error.code != 404:
                    failed.append(url)
                    errors.append(f"{url}: HTTP {error.code}")
            except (OSError, http.client.HTTPException, ValueError) as error:
                failed.append(url)
                errors.append(f"{url}: {type(error).__name__}: {getattr(error, 'reason', error)}")
        if failed:
            raise PurgeFailed(
                f"{len(failed)} of {len(urls)} URL(s) not purged ({'; '.join(errors[:3])})", failed
            )
