"""Production settings. Refuses to start without ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.

Environment:
  DJANGO_SECRET_KEY        required, a long random string
  DJANGO_ALLOWED_HOSTS     required, comma separated, e.g. "clinic.example.com,www.example.com"
  DATABASE_URL             e.g. postgres://user:password@db.internal:5432/clinic (default: SQLite)
  WAGTAILADMIN_BASE_URL    e.g. https://clinic.example.com (default: https://<first allowed host>)
  CSRF_TRUSTED_ORIGINS     optional, comma separated origins
  STATIC_ROOT, MEDIA_ROOT  optional, where collectstatic and uploads write
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: production settings refuse to start without it."
        )
    return value


def _list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _list(_required("DJANGO_ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = _list(os.environ.get("CSRF_TRUSTED_ORIGINS", ""))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or f"https://{ALLOWED_HOSTS[0]}"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Never create the demo's admin user (with its published password) on a production site.
ACUPUNCTURE_DEMO_ENABLED = False
