"""Django settings of the benchmark: the test settings, plus the stock Wagtail app and a floor view.

The database starts as a fresh SQLite file in a temporary folder; ``benchmarks/run.py`` moves the
same process to a throwaway PostgreSQL cluster afterwards. Connections are persistent and the
cache is large enough for every rendition, as on a production site.
"""

import os
import tempfile

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

#: Where the benchmark keeps its SQLite file and media (removed by run.py at the end).
BENCH_DIR = os.environ.get("ACUPUNCTURE_BENCH_DIR") or tempfile.mkdtemp(prefix="acupuncture-bench-")

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django.contrib.postgres"]
INSTALLED_APPS += ["benchmarks.stock"]
ROOT_URLCONF = "benchmarks.urls"
DEBUG = False

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(BENCH_DIR, "bench.sqlite3"),
        "CONN_MAX_AGE": None,
    }
}

MEDIA_ROOT = os.path.join(BENCH_DIR, "media")

#: The benchmark measures reading only: pages are not indexed for search when they are created.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

#: Stock Wagtail's API allows 20 items a page by default; the listings ask for 100.
WAGTAILAPI_LIMIT_MAX = 100

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.request": {"level": "CRITICAL"}},
}
