"""Measuring requests, moving the process between databases, checking the targets.

Every figure comes from Django's test client in this process: the full middleware stack, URL
resolution, view, serialization or template rendering, with no network in between. For each
subject: warm-up requests (renditions are created, caches filled), one request under
``CaptureQueriesContext`` (SQL queries), one under ``tracemalloc`` (peak Python memory), then
``reps`` timed requests (median and 95th percentile), alternating with the subjects it is
compared with.
"""

import gc
import math
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Figures:
    """What one subject measured, one implementation, one database."""

    subject: str
    impl: str  # "ours", "cold" (ours, render cache off), "stock", "floor"
    url: str
    queries: int
    median_ms: float
    p95_ms: float
    bytes: int
    peak_kib: float
    times_ms: list = field(default_factory=list, repr=False)

    def as_dict(self):
        data = asdict(self)
        data.pop("times_ms")
        return data


@contextmanager
def render_cache_off():
    """The package's render cache switched off for a request, without a ``setting_changed``.

    (A settings override would move every render cache key and so empty the cache that the
    ``ours`` requests, measured in alternation, are answered from.)
    """
    from wagtail_acupuncture.conf import acupuncture_settings

    merged = acupuncture_settings.merged
    previous = merged["RENDER_CACHE"]
    merged["RENDER_CACHE"] = False
    try:
        yield
    finally:
        merged["RENDER_CACHE"] = previous


def percentile(values, fraction):
    """Nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Bench:
    """Measures subjects on the current database and keeps the figures."""

    def __init__(self, reps, warmup=2, progress=None):
        self.reps = reps
        self.warmup = warmup
        self.client = Client()
        self.results = []
        self.progress = progress or (lambda text: None)

    def get(self, url, impl=None):
        with render_cache_off() if impl == "cold" else nullcontext():
            response = self.client.get(url)
        if response.status_code != 200:
            status, body = response.status_code, response.content[:300]
            raise RuntimeError(f"GET {url} answered {status}: {body!r}")
        return response

    def measure(self, subject, impl, url):
        """Measure one subject (see :meth:`measure_many`)."""
        return self.measure_many([(subject, impl, url)])[0]

    def measure_many(self, entries):
        """Measure ``[(subject, impl, url)]`` that are compared with each other.

        Queries, bytes and memory come from one request each; the timed requests alternate
        between the entries (A, B, A, B, ...), so that a change in the machine's load while
        they run affects every entry of the comparison alike.
        """
        figures = []
        for subject, impl, url in entries:
            for _ in range(self.warmup):
                self.get(url, impl)
            with CaptureQueriesContext(connection) as captured:
                response = self.get(url, impl)
            queries = len(captured.captured_queries)  # before the next request resets the log
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            self.get(url, impl)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            figures.append(
                Figures(
                    subject=subject,
                    impl=impl,
                    url=url,
                    queries=queries,
                    median_ms=0.0,
                    p95_ms=0.0,
                    bytes=len(response.content),
                    peak_kib=peak / 1024,
                )
            )
        gc.collect()
        for _ in range(self.reps):
            for figure in figures:
                start = time.perf_counter()
                self.get(figure.url, figure.impl)
                figure.times_ms.append((time.perf_counter() - start) * 1000)
        for figure in figures:
            figure.median_ms = statistics.median(figure.times_ms)
            figure.p95_ms = percentile(figure.times_ms, 0.95)
            self.results.append(figure)
            self.progress(
                f"  {figure.subject:<34} {figure.impl:<5} {figure.queries:>4} q  "
                f"{figure.median_ms:8.2f} ms"
            )
        return figures

    def find(self, subject, impl):
        for figures in self.results:
            if figures.subject == subject and figures.impl == impl:
                return figures
        return None


# ------------------------------------------------------------------------------ databases


def use_database(config):
    """Point this process's ``default`` database at ``config`` (a ``DATABASES`` entry).

    Closes the current connections, swaps the settings the connection handler holds and drops
    every cache holding rows of the previous database (content types, Django's caches).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    connections.settings["default"] = connections.configure_settings({"default": dict(config)})[
        "default"
    ]
    try:
        del connections["default"]
    except AttributeError:
        pass
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
    # Some migrations (Wagtail's search index) choose their operations by database vendor when
    # their module is imported: import them afresh for the new database.
    for name in [name for name in sys.modules if ".migrations." in name]:
        if not name.startswith("django.db.migrations"):
            del sys.modules[name]


def reset_caches():
    """Drop cached rows between data building and measuring (renditions are rebuilt warm)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


# ------------------------------------------------------------------------------ targets


@dataclass
class Target:
    """One target of issue 7: ``value`` against ``limit`` (lower is better)."""

    name: str
    value: float
    limit: float
    unit: str = "x"

    @property
    def met(self):
        return self.value <= self.limit + 1e-9

    def line(self):
        value = f"{self.value:.0f}" if self.unit == "q" else f"{self.value:.2f}{self.unit}"
        limit = f"{self.limit:.0f}" if self.unit == "q" else f"{self.limit:.2f}{self.unit}"
        return f"{'PASS' if self.met else 'MISS'}  {self.name}: {value} (limit {limit})"
