"""Django settings for the package's test suite.

SQLite by default; set ``DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/acupuncture``)
to run against PostgreSQL.
"""

import os
import sys
from pathlib import Path

import dj_database_url

from wagtail_acupuncture.checks import SQLITE_CONCURRENT_OPTIONS

BASE_DIR = Path(__file__).resolve().parent
EXAMPLE_PROJECT = str(BASE_DIR.parent / "example_project")
if EXAMPLE_PROJECT not in sys.path:
    # the example project's ``clinic`` app is installed below, whoever loads these settings
    sys.path.append(EXAMPLE_PROJECT)
SECRET_KEY = "tests-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "wagtail_acupuncture",
    "clinic",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'test.sqlite3'}",
        conn_max_age=0,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_CONCURRENT_OPTIONS)
    # A database file, not Django's shared-cache in-memory default: delivery threads write
    # while the test thread does, and SQLite's shared cache has table locks with no busy
    # timeout (and in-memory connections are never closed), unlike any real site. Two runs
    # at once in one checkout need two files: ACUPUNCTURE_TEST_SQLITE names another.
    test_name = os.environ.get("ACUPUNCTURE_TEST_SQLITE") or str(BASE_DIR / "test-run.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": test_name}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static-collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("ACUPUNCTURE_TEST_MEDIA_ROOT", str(BASE_DIR / "media"))

WAGTAIL_SITE_NAME = "Acupuncture tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
# wagtail.contrib.redirects is installed for the WordPress import's redirects; its automatic
# redirects on slug changes stay off, as in a site without the app.
WAGTAILREDIRECTS_AUTO_CREATE = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_ACUPUNCTURE = {}

# Django 6.1's mailers (``EMAIL_BACKEND`` before it); the test runner swaps in locmem either way.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
